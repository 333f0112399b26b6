#pragma once

#include <QMap>

#include "clientaddress.h"
#include "connectionguard.h"
#include "corspolicy.h"
#include "eventhub.h"
#include "httprequest.h"
#include "httpresponse.h"
#include "router.h"

#include <QAbstractHttpServer>
#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QPointer>
#include <QSslConfiguration>
#include <QStringList>
#include <QThreadPool>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>

class QTcpSocket;

namespace md::domain {
class Clock;
}
namespace md::storage {
class Database;
}

namespace md::server {

class RequestContext;

struct HttpServerOptions
{
    /// Runs on the worker before the handler of every non-public route; a response
    /// returned here is sent instead of calling the handler (401, 403, 429, ...).
    using BeforeHook = std::function<std::optional<HttpResponse>(HttpRequest &, RequestContext &)>;
    /// Runs on the worker before everything else for every routed request, public
    /// routes included (the per-client rate limit); not for inline server-thread routes
    /// (/healthz, /metrics), CORS preflights, or requests refused before routing.
    using AdmissionHook = BeforeHook;

    int workerThreads = 0;        // 0 -> max(2, ideal thread count)
    int maxPendingRequests = 256; // running + queued on the pool; beyond: 503 overloaded
    std::chrono::milliseconds idleTimeout{15000}; // keep-alive and slow headers
    qint64 maxHeadBytes = 64 * 1024;              // request line + headers; beyond: 431
    int slowWorkerThreads = 0;       // pool of RouteOptions::slow routes; 0 -> ideal thread count
    int maxPendingSlowRequests = 32; // slow requests running + queued; beyond: 503 busy
    AdmissionHook admission;
    BeforeHook before;
    EventHubOptions events;
    /// Peers whose X-Forwarded-For names the client (clientAddress()); empty: the TCP
    /// peer is always the client.
    TrustedProxies trustedProxies;
    /// Browser origins allowed to call the API (CorsPolicy); empty: no CORS.
    QStringList corsOrigins;
    /// Serve HTTPS only, with this configuration (certificate, key, TLS 1.2+).
    std::optional<QSslConfiguration> tls;
};

/// The HTTP/1.1 transport of meddispatch-server on QtHttpServer 6.4.
///
/// Qt parses on the server thread; every request is copied into an HttpRequest and its
/// route handler runs on a worker pool (bounded: 503 when too much is in flight). The
/// response comes back to the server thread and is written only if the socket still
/// exists and is connected, in request order per connection. Limits Qt 6.4 lacks
/// (head size, body size, idle connections) are enforced by a ConnectionGuard per
/// socket, before Qt reads the bytes. See FACTS.md for why it is built this way.
///
/// Every response carries the security headers of wire::securityHeaders() and, for
/// allowed browser origins, CORS headers; CORS preflights are answered here. The client
/// address (X-Forwarded-For from trusted proxies only) is what handlers, the admission
/// hook and the access log see. With options.tls it serves HTTPS only.
class HttpServer final : public QAbstractHttpServer
{
    Q_OBJECT
public:
    using BeforeHook = HttpServerOptions::BeforeHook;
    using Options = HttpServerOptions;

    /// router, database and clock must outlive the server.
    HttpServer(const Router &router, storage::Database &database, const domain::Clock &clock,
               Options options = {}, QObject *parent = nullptr);
    ~HttpServer() override;

    /// Listens on address:port (0: any free port). Returns the bound port, 0 on failure
    /// (see errorString()). Hides QAbstractHttpServer::listen, which would not attach
    /// the connection guards.
    quint16 listen(const QHostAddress &address, quint16 port);
    QString errorString() const { return m_errorString; }

    EventHub &eventHub() { return m_hub; }
    /// Requests on the worker pool, running or queued (server thread).
    int inFlight() const { return m_inFlight; }

    /// Counters of answered requests (those that reached routing; the connection
    /// guards' own 408/413/431 answers are not counted). Server thread only.
    struct Metrics
    {
        QMap<int, quint64> responsesByStatus;
        quint64 notDelivered = 0; // the client had gone when the answer was ready
        double secondsTotal = 0;  // summed handling time
    };
    const Metrics &metrics() const { return m_metrics; }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    struct Pending
    {
        QPointer<QTcpSocket> socket;
        QPointer<ConnectionGuard> guard;
        quint64 position = 0;
        bool close = false;
        bool http10 = false;
        bool omitBody = false;
        bool slow = false;
        QByteArray method;
        QByteArray rawPath;
        QString requestId;
        QHostAddress peer;
        QHostAddress client; // the peer, or from X-Forwarded-For via a trusted proxy
        QByteArray origin;
        bool tls = false;
        QElapsedTimer clock;
    };

    HttpResponse runHandler(const Route &route, HttpRequest &request, QList<Event> *events) const;
    void complete(quint64 token, HttpResponse response);
    void respond(const Pending &pending, HttpResponse response, QByteArrayView note = {}) const;

    const Router &m_router;
    storage::Database &m_database;
    const domain::Clock &m_clock;
    Options m_options;
    CorsPolicy m_cors;
    std::shared_ptr<ConnectionGuard::Limits> m_limits;
    EventHub m_hub;
    QString m_errorString;
    int m_inFlight = 0;
    int m_slowInFlight = 0;
    mutable Metrics m_metrics;
    quint64 m_nextToken = 0;
    QHash<quint64, Pending> m_pending;
    QThreadPool m_pool;
    QThreadPool m_slowPool;
};

} // namespace md::server
