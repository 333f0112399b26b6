#pragma once

#include "httprequest.h"
#include "httpresponse.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <functional>
#include <optional>

namespace md::server {

class RequestContext;

using Handler = std::function<HttpResponse(HttpRequest &request, RequestContext &context)>;

struct RouteOptions
{
    /// No authentication (healthz, readyz, openapi, jwks, auth entry points, webhooks).
    bool isPublic = false;
    /// Largest accepted body; bigger ones get 413 before they are read.
    qint64 maxBodyBytes = 1024 * 1024;
    /// Content types accepted for a body ("application/json" unless set); empty body OK
    /// for GET/DELETE.
    QList<QByteArray> contentTypes = {QByteArrayLiteral("application/json")};
    /// Run the handler on the server thread instead of the worker pool, so that it
    /// answers even when slow work saturates the pool (/healthz). Only for handlers that
    /// return in microseconds and never touch the database.
    bool inlineOnServerThread = false;
    /// Slow work (bcrypt): runs on the server's separate slow pool, so it never queues
    /// ahead of ordinary requests, and beyond HttpServerOptions::maxPendingSlowRequests
    /// the server answers 503 `busy` at once instead of queueing.
    bool slow = false;
};

struct Route
{
    QByteArray method;
    QString pattern; // "/v1/tickets/{id}/assign"
    Handler handler;
    RouteOptions options;
    QStringList segments; // pattern split on '/'
};

/// Method + path-pattern routing with {name} segments. Built once at start, then only
/// read (safe from every thread).
class Router final
{
public:
    void add(QByteArray method, const QString &pattern, Handler handler, RouteOptions options = {});

    struct Match
    {
        const Route *route = nullptr;
        QHash<QString, QString> params;
    };
    /// The route for method + path; a literal segment beats a {param} one. `path` is the
    /// raw, still percent-encoded request path: it is split first and each segment then
    /// decoded, so %2F stays inside its segment and params come out decoded. *pathExists
    /// tells whether any route matches the path whatever the method (false: 404, true
    /// without a match: 405) and allowedMethods lists those routes' methods.
    std::optional<Match> match(const QByteArray &method, const QString &path,
                               bool *pathExists = nullptr,
                               QList<QByteArray> *allowedMethods = nullptr) const;
    /// The largest body any route on that path accepts (used before the body is read).
    qint64 maxBodyBytesFor(const QByteArray &method, const QString &path) const;
    const QList<Route> &routes() const { return m_routes; }

private:
    QList<Route> m_routes;
};

} // namespace md::server
