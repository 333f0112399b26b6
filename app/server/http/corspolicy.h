#pragma once

#include "httpresponse.h"

#include <QByteArray>
#include <QList>
#include <QStringList>

namespace md::server {

/// Cross-origin access for browser front ends (MEDDISPATCH_CORS_ORIGINS).
///
/// Only origins on the allow-list, compared byte for byte with the Origin header, get
/// CORS headers, and then the origin itself, never "*". "null" (sandboxed frames, file:
/// pages, some redirects) is never allowed. No Access-Control-Allow-Credentials: the
/// API authenticates with bearer tokens, not cookies. An empty list disables CORS: a
/// browser page on another origin cannot read any answer.
class CorsPolicy final
{
public:
    CorsPolicy() = default;
    /// Origins exactly as browsers send them: "https://app.example.org", lower-case,
    /// without default port or trailing slash (ServerConfig normalizes
    /// MEDDISPATCH_CORS_ORIGINS so).
    explicit CorsPolicy(const QStringList &allowedOrigins);

    bool isEnabled() const { return !m_allowed.isEmpty(); }
    bool isAllowed(const QByteArray &origin) const;

    /// Adds the CORS headers of an actual (non-preflight) response to a request that
    /// carried `origin` (may be empty). Vary: Origin goes on every response while CORS
    /// is enabled, since the answer differs by origin.
    void decorate(HttpResponse &response, const QByteArray &origin) const;

    /// The answer to a preflight (OPTIONS with Origin and Access-Control-Request-Method)
    /// for a path that exists: 204 with the path's methods for an allowed origin, 403
    /// with the error envelope otherwise. decorate() still has to run on it.
    HttpResponse preflight(const QByteArray &origin, const QList<QByteArray> &pathMethods) const;

    /// What a preflight may ask for and how long browsers may cache the answer.
    static constexpr QByteArrayView allowedHeaders = "Authorization, Content-Type, X-Request-Id";
    static constexpr QByteArrayView exposedHeaders = "X-Request-Id, Retry-After";
    static constexpr int maxAgeSeconds = 600;

private:
    QList<QByteArray> m_allowed;
};

/// A request is a CORS preflight if it is OPTIONS with both headers.
bool isPreflight(const QByteArray &method, const QByteArray &origin,
                 const QByteArray &requestMethod);

} // namespace md::server
