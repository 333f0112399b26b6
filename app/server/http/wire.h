#pragma once

// HTTP/1.1 framing shared by the connection guard and the server: how a request target
// is split and decoded, and how a response is serialized with the headers every
// response carries.

#include "httpresponse.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <utility>

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

/// How one response goes out on its connection.
struct Framing
{
    Connection connection = Connection::KeepAlive;
    bool omitBody = false; // HEAD: headers as for GET, no body
    bool tls = false;      // the connection is HTTPS: adds Strict-Transport-Security
};

/// The security headers of every response, whoever writes it (handlers, routing errors,
/// the connection guards' 408/413/431, overload). This is the one place they are
/// defined; handlers cannot override them. Cache-Control is separate: no-store unless
/// the handler sets its own (only public, cacheable documents such as
/// /v1/openapi.json and /.well-known/jwks.json should).
QList<std::pair<QByteArray, QByteArray>> securityHeaders(bool tls);

/// Status line, the common headers (Content-Type, Content-Length, X-Request-Id,
/// Cache-Control, Date, Connection), securityHeaders() and the response's own headers,
/// then the body unless framing.omitBody.
QByteArray serialize(const HttpResponse &response, const QString &requestId,
                     const Framing &framing);

/// The JSON error envelope of API.md as a response.
HttpResponse errorResponse(int status, const QString &code, const QString &message,
                           const QJsonObject &details = {});

} // namespace md::server::wire
