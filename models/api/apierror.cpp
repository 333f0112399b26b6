#include "apierror.h"

#include <QJsonValue>

using namespace Qt::StringLiterals;

namespace md::api {

ApiError::ApiError(int status, QString code, QString message, QJsonObject details)
    : std::runtime_error(message.toStdString()), m_status(status), m_code(std::move(code)),
      m_message(std::move(message)), m_details(std::move(details))
{}

QJsonObject ApiError::toEnvelope() const
{
    QJsonObject error{{u"code"_s, m_code}, {u"message"_s, m_message}};
    if (!m_details.isEmpty())
        error.insert(u"details"_s, m_details);
    return QJsonObject{{u"error"_s, error}};
}

std::optional<ApiError> ApiError::fromEnvelope(int status, const QJsonObject &envelope)
{
    const QJsonValue error = envelope.value(u"error"_s);
    if (!error.isObject())
        return std::nullopt;
    const QJsonObject e = error.toObject();
    const QString code = e.value(u"code"_s).toString();
    if (code.isEmpty())
        return std::nullopt;
    return ApiError(status, code, e.value(u"message"_s).toString(),
                    e.value(u"details"_s).toObject());
}

ApiError ApiError::badRequest(const QString &code, const QString &message, QJsonObject details)
{
    return ApiError(400, code, message, std::move(details));
}

ApiError ApiError::notFound(const QString &what)
{
    return ApiError(404, u"not_found"_s,
                    what.isEmpty() ? u"Not found."_s : what + u" not found."_s);
}

ApiError ApiError::conflict(const QString &code, const QString &message, QJsonObject details)
{
    return ApiError(409, code, message, std::move(details));
}

ApiError ApiError::validation(const QMap<QString, QString> &fieldErrors)
{
    QJsonObject fields;
    for (auto it = fieldErrors.cbegin(); it != fieldErrors.cend(); ++it)
        fields.insert(it.key(), it.value());
    QStringList names = fieldErrors.keys();
    return ApiError(422, u"validation_failed"_s,
                    u"Some fields are not valid: "_s + names.join(u", "_s) + u'.',
                    QJsonObject{{u"fields"_s, fields}});
}

ApiError ApiError::unavailable(const QString &message)
{
    return ApiError(503, u"database_unavailable"_s,
                    message.isEmpty() ? u"The database is not reachable. Try again shortly."_s
                                      : message);
}

} // namespace md::api
