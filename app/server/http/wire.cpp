#include "wire.h"

#include <QDateTime>
#include <QLocale>
#include <QUrl>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace md::server::wire {

Target splitTarget(const QByteArray &target)
{
    QByteArray rest = target;
    if (!rest.startsWith('/')) {
        // absolute-form, as proxies may send it: drop scheme and authority
        const qsizetype scheme = rest.indexOf("://");
        if (scheme <= 0)
            return {};
        const qsizetype slash = rest.indexOf('/', scheme + 3);
        rest = slash < 0 ? QByteArrayLiteral("/") : rest.mid(slash);
    }
    Target result;
    const qsizetype question = rest.indexOf('?');
    if (question < 0) {
        result.rawPath = rest;
    } else {
        result.rawPath = rest.left(question);
        result.rawQuery = rest.mid(question + 1);
    }
    const qsizetype fragment = result.rawQuery.indexOf('#');
    if (fragment >= 0)
        result.rawQuery.truncate(fragment);
    return result;
}

QString decodePath(const QByteArray &rawPath)
{
    return QUrl::fromPercentEncoding(rawPath);
}

bool isSaneRequestId(QByteArrayView id)
{
    if (id.isEmpty() || id.size() > 128)
        return false;
    for (const char c : id) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == ':';
        if (!ok)
            return false;
    }
    return true;
}

QString generateRequestId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

namespace {

bool bodyless(int status)
{
    return (status >= 100 && status < 200) || status == 204 || status == 304;
}

bool safeHeaderValue(QByteArrayView value)
{
    for (const char c : value) {
        if (c == '\r' || c == '\n' || c == '\0')
            return false;
    }
    return true;
}

bool safeHeaderName(QByteArrayView name)
{
    if (name.isEmpty())
        return false;
    for (const char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!ok)
            return false;
    }
    return true;
}

QByteArray httpDate()
{
    return QLocale::c()
        .toString(QDateTime::currentDateTimeUtc(), u"ddd, dd MMM yyyy hh:mm:ss 'GMT'"_s)
        .toLatin1();
}

} // namespace

QList<std::pair<QByteArray, QByteArray>> securityHeaders(bool tls)
{
    // An API answers JSON only: nothing may be sniffed into HTML, framed, or leak the
    // URL (which may carry ids) through Referer; no browser feature is ever needed.
    static const QList<std::pair<QByteArray, QByteArray>> common = {
        {"X-Content-Type-Options", "nosniff"},
        {"X-Frame-Options", "DENY"},
        {"Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"},
        {"Referrer-Policy", "no-referrer"},
        {"Permissions-Policy",
         "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
         "gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"},
    };
    if (!tls)
        return common;
    // Only over HTTPS: browsers ignore it on plain HTTP, and sending it from a plain
    // listener behind a TLS proxy is the proxy's decision.
    QList<std::pair<QByteArray, QByteArray>> headers = common;
    headers.emplaceBack("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    return headers;
}

QByteArray serialize(const HttpResponse &response, const QString &requestId, const Framing &framing)
{
    // Framing headers belong to the transport, so handlers cannot break the connection
    // with them; anything with CR/LF would allow response splitting. The security
    // headers cannot be weakened by a handler either.
    static const QList<QByteArray> reserved = {"content-length",
                                               "content-type",
                                               "connection",
                                               "transfer-encoding",
                                               "date",
                                               "x-request-id",
                                               "keep-alive",
                                               "upgrade",
                                               "x-content-type-options",
                                               "x-frame-options",
                                               "content-security-policy",
                                               "referrer-policy",
                                               "permissions-policy",
                                               "strict-transport-security"};
    QList<std::pair<QByteArray, QByteArray>> extra;
    bool customCacheControl = false;
    for (const auto &[name, value] : response.headers) {
        const QByteArray lower = name.toLower();
        if (reserved.contains(lower) || !safeHeaderName(name) || !safeHeaderValue(value))
            continue;
        if (lower == "cache-control")
            customCacheControl = true;
        extra.append({name, value});
    }

    QByteArray out;
    out.reserve(512 + response.body.size());
    out += "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + reasonPhrase(response.status) +
           "\r\n";
    if (!bodyless(response.status)) {
        QByteArray type = response.contentType;
        if (type.isEmpty() && !response.body.isEmpty())
            type = QByteArrayLiteral("application/octet-stream");
        if (!type.isEmpty() && safeHeaderValue(type))
            out += "Content-Type: " + type + "\r\n";
        out += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
    }
    out += "X-Request-Id: " + requestId.toLatin1() + "\r\n";
    if (!customCacheControl)
        out += "Cache-Control: no-store\r\n";
    for (const auto &[name, value] : securityHeaders(framing.tls))
        out += name + ": " + value + "\r\n";
    out += "Date: " + httpDate() + "\r\n";
    switch (framing.connection) {
    case Connection::Close:
        out += "Connection: close\r\n";
        break;
    case Connection::KeepAliveHttp10:
        out += "Connection: keep-alive\r\n";
        break;
    case Connection::KeepAlive:
        break;
    }
    for (const auto &[name, value] : extra)
        out += name + ": " + value + "\r\n";
    out += "\r\n";
    if (!framing.omitBody && !bodyless(response.status))
        out += response.body;
    return out;
}

HttpResponse errorResponse(int status, const QString &code, const QString &message,
                           const QJsonObject &details)
{
    return HttpResponse::error(api::ApiError(status, code, message, details));
}

} // namespace md::server::wire
