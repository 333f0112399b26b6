#pragma once

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <optional>
#include <stdexcept>

namespace md::api {

/// An error the API reports: HTTP status plus the envelope of API.md,
/// {"error": {"code", "message", "details"}}. Thrown by server services, decoded by
/// the desktop client.
class ApiError : public std::runtime_error
{
public:
    ApiError(int status, QString code, QString message, QJsonObject details = {});

    int status() const { return m_status; }
    const QString &code() const { return m_code; }
    const QString &message() const { return m_message; }
    const QJsonObject &details() const { return m_details; }

    QJsonObject toEnvelope() const;
    /// nullopt when the JSON is not an error envelope.
    static std::optional<ApiError> fromEnvelope(int status, const QJsonObject &envelope);

    // The common ones.
    static ApiError badRequest(const QString &code, const QString &message,
                               QJsonObject details = {});
    static ApiError notFound(const QString &what = {});
    static ApiError conflict(const QString &code, const QString &message, QJsonObject details = {});
    /// 422 validation_failed; details {"fields": {"name": "problem", ...}}.
    static ApiError validation(const QMap<QString, QString> &fieldErrors);
    static ApiError unavailable(const QString &message = {});

private:
    int m_status;
    QString m_code;
    QString m_message;
    QJsonObject m_details;
};

} // namespace md::api
