#pragma once

// HTTP/1.1 framing shared by the connection guard and the server: how a request target
// is split and decoded, and how a response is serialized with the headers every
// response carries.

#include "httpresponse.h"

#include <QByteArray>
#include <QString>

namespace md::server::wire {

struct Target
{
    QByteArray rawPath;  // still percent-encoded, never empty for a valid target
    QByteArray rawQuery; // without '?'
};

/// Splits an origin-form ("/a?b") or absolute-form ("http://h/a?b") request target.
/// nullopt-like empty rawPath for anything else.
Target splitTarget(const QByteArray &target);
/// Percent-decoded path (UTF-8).
QString decodePath(const QByteArray &rawPath);

/// A client-supplied X-Request-Id we are willing to echo and log (1–128 of
/// [A-Za-z0-9._:-]); anything else is replaced by a generated one.
bool isSaneRequestId(QByteArrayView id);
QString generateRequestId();

enum class Connection
{
    KeepAlive,
    KeepAliveHttp10,
    Close
};

/// Status line, the common headers (Content-Type, Content-Length, X-Request-Id,
/// Cache-Control: no-store, X-Content-Type-Options: nosniff, Date, Connection) and the
/// response's own headers, then the body unless omitBody (HEAD).
QByteArray serialize(const HttpResponse &response, const QString &requestId, Connection connection,
                     bool omitBody = false);

/// The JSON error envelope of API.md as a response.
HttpResponse errorResponse(int status, const QString &code, const QString &message,
                           const QJsonObject &details = {});

} // namespace md::server::wire
