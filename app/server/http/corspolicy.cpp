#include "corspolicy.h"

#include "wire.h"

using namespace Qt::StringLiterals;

namespace md::server {

CorsPolicy::CorsPolicy(const QStringList &allowedOrigins)
{
    for (const QString &origin : allowedOrigins) {
        const QByteArray bytes = origin.toLatin1();
        // "null" is what any sandboxed page sends: allowing it would allow everyone.
        if (!bytes.isEmpty() && bytes != "null" && bytes != "*" && !m_allowed.contains(bytes))
            m_allowed.append(bytes);
    }
}

bool CorsPolicy::isAllowed(const QByteArray &origin) const
{
    return !origin.isEmpty() && m_allowed.contains(origin);
}

void CorsPolicy::decorate(HttpResponse &response, const QByteArray &origin) const
{
    if (!isEnabled())
        return;
    response.withHeader("Vary", "Origin");
    if (!isAllowed(origin))
        return;
    response.withHeader("Access-Control-Allow-Origin", origin);
    response.withHeader("Access-Control-Expose-Headers", exposedHeaders.toByteArray());
}

HttpResponse CorsPolicy::preflight(const QByteArray &origin,
                                   const QList<QByteArray> &pathMethods) const
{
    if (!isAllowed(origin))
        return wire::errorResponse(403, u"cors_origin_not_allowed"_s,
                                   u"This origin may not call the API from a browser."_s);
    QList<QByteArray> methods = pathMethods;
    if (methods.contains("GET") && !methods.contains("HEAD"))
        methods.append(QByteArrayLiteral("HEAD"));
    // Access-Control-Allow-Origin and Vary are added by decorate(), as on every answer.
    HttpResponse response = HttpResponse::noContent();
    response.withHeader("Access-Control-Allow-Methods", methods.join(", "));
    response.withHeader("Access-Control-Allow-Headers", allowedHeaders.toByteArray());
    response.withHeader("Access-Control-Max-Age", QByteArray::number(maxAgeSeconds));
    return response;
}

bool isPreflight(const QByteArray &method, const QByteArray &origin,
                 const QByteArray &requestMethod)
{
    return method == "OPTIONS" && !origin.isEmpty() && !requestMethod.isEmpty();
}

} // namespace md::server
