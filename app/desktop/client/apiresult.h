#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <functional>

namespace md::client {

/// Why a request did not succeed, in terms the views can show.
struct ApiError
{
    enum class Kind
    {
        None,        // success
        Unreachable, // no connection, refused, DNS, timeout: the server is offline
        Tls,         // the certificate is not trusted (remote servers): refused, not retried
        Http,        // the server answered 4xx/5xx (status, code, message, details)
        BadResponse  // the server answered something that is not the API's JSON
    };
    Kind kind = Kind::None;
    int status = 0;             // HTTP status, 0 without an answer
    QString code;               // error.code of the envelope ("validation_failed", ...)
    QString message;            // error.message, or a sentence describing the transport error
    QJsonObject details;        // error.details
    int retryAfterSeconds = -1; // Retry-After (423, 429, 503), -1 when absent

    bool isOffline() const { return kind == Kind::Unreachable; }
    /// details.fields of a 422: field name -> problem.
    QJsonObject fields() const;
    QString fieldError(const QString &field) const;
    /// One or two plain sentences for the user, e.g. "Too many attempts. Try again in
    /// 4 minutes." for a 429 or 423, "The server cannot be reached." when offline.
    QString userMessage() const;
};

/// What a request produced: on success the status and the JSON body (lists are
/// {"data": [...], "page": {...}}); otherwise error.kind != None.
struct ApiResult
{
    int status = 0;
    QJsonObject json;
    QByteArray body;
    ApiError error;
    bool ok() const { return error.kind == ApiError::Kind::None; }
};

using ApiCallback = std::function<void(const ApiResult &)>;

/// "4 minutes", "1 hour 5 minutes", "30 seconds" (translated).
QString describeWait(int seconds);

} // namespace md::client
