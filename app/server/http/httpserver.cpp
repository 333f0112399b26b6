#include "httpserver.h"

#include "guardedtcpserver.h"
#include "logging.h"
#include "requestcontext.h"
#include "wire.h"

#include "api/apierror.h"
#include "storage/storageerror.h"

#include <QHttpServerRequest>
#include <QJsonArray>
#include <QTcpSocket>
#include <QThread>

#include <spdlog/spdlog.h>

using namespace Qt::StringLiterals;

namespace md::server {

namespace {

constexpr int maxPipelinedRequests = 32;

QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return QByteArrayLiteral("GET");
    case QHttpServerRequest::Method::Put:
        return QByteArrayLiteral("PUT");
    case QHttpServerRequest::Method::Delete:
        return QByteArrayLiteral("DELETE");
    case QHttpServerRequest::Method::Post:
        return QByteArrayLiteral("POST");
    case QHttpServerRequest::Method::Head:
        return QByteArrayLiteral("HEAD");
    case QHttpServerRequest::Method::Options:
        return QByteArrayLiteral("OPTIONS");
    case QHttpServerRequest::Method::Patch:
        return QByteArrayLiteral("PATCH");
    case QHttpServerRequest::Method::Connect:
        return QByteArrayLiteral("CONNECT");
    case QHttpServerRequest::Method::Trace:
        return QByteArrayLiteral("TRACE");
    default:
        return {};
    }
}

// Only used when a socket reached us without a guard (not through listen()).
RequestHead headFromQt(const QHttpServerRequest &request)
{
    RequestHead head;
    head.method = methodName(request.method());
    head.target = request.url().path(QUrl::FullyEncoded).toUtf8();
    if (request.url().hasQuery())
        head.target += '?' + request.url().query(QUrl::FullyEncoded).toUtf8();
    head.keepAlive = !request.value("connection").toLower().contains("close");
    return head;
}

QByteArray mediaType(const QByteArray &contentType)
{
    const qsizetype semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.left(semicolon)).trimmed().toLower();
}

HttpResponse withRetryAfter(HttpResponse response, int seconds)
{
    response.withHeader("Retry-After", QByteArray::number(seconds));
    return response;
}

} // namespace

HttpServer::HttpServer(const Router &router, storage::Database &database,
                       const domain::Clock &clock, Options options, QObject *parent)
    : QAbstractHttpServer(parent), m_router(router), m_database(database), m_clock(clock),
      m_options(std::move(options)), m_cors(m_options.corsOrigins),
      m_limits(std::make_shared<ConnectionGuard::Limits>()), m_hub(&database, m_options.events)
{
    m_limits->maxHeadBytes = m_options.maxHeadBytes;
    m_limits->idleTimeout = m_options.idleTimeout;
    m_limits->maxBodyBytes = [router = &m_router](const QByteArray &method, const QString &path) {
        return router->maxBodyBytesFor(method, path);
    };
    m_limits->trustedProxies = m_options.trustedProxies;
    // A copy: guards are deleted with their sockets, after this object's members.
    m_limits->corsHeaders = [cors = m_cors](HttpResponse &response, const QByteArray &origin) {
        cors.decorate(response, origin);
    };
    m_hub.attach(this);

    const int threads = m_options.workerThreads > 0 ? m_options.workerThreads
                                                    : std::max(2, QThread::idealThreadCount());
    m_pool.setMaxThreadCount(threads);
    // Workers keep their database connection (one per thread) for the server's life.
    m_pool.setExpiryTimeout(-1);
    m_slowPool.setMaxThreadCount(m_options.slowWorkerThreads > 0
                                     ? m_options.slowWorkerThreads
                                     : std::max(1, QThread::idealThreadCount()));
    m_slowPool.setExpiryTimeout(-1);
}

HttpServer::~HttpServer()
{
    // Workers use the router, the database, the hub and this object.
    m_pool.waitForDone();
    m_slowPool.waitForDone();
}

quint16 HttpServer::listen(const QHostAddress &address, quint16 port)
{
    auto *tcpServer = new GuardedTcpServer(this, m_limits, m_options.tls, this);
    if (!tcpServer->listen(address, port)) {
        m_errorString = tcpServer->errorString();
        delete tcpServer;
        return 0;
    }
    bind(tcpServer);
    tcpServer->attachAfterHttpServer();
    m_hub.start();
    spdlog::info("listening on {}://{}:{} ({} workers, {} pending max, idle timeout {} ms)",
                 m_options.tls ? "https" : "http", address.toString().toStdString(),
                 tcpServer->serverPort(), m_pool.maxThreadCount(), m_options.maxPendingRequests,
                 m_options.idleTimeout.count());
    return tcpServer->serverPort();
}

bool HttpServer::handleRequest(const QHttpServerRequest &qtRequest, QTcpSocket *socket)
{
    ConnectionGuard *guard = ConnectionGuard::of(socket);
    if (!guard)
        guard = new ConnectionGuard(socket, this, m_limits);
    std::optional<RequestHead> head = guard->takeHead();
    if (!head) {
        head = headFromQt(qtRequest);
    } else if (const QByteArray qtMethod = methodName(qtRequest.method());
               !qtMethod.isEmpty() && qtMethod != head->method) {
        // The guard and Qt disagree about where requests start: never guess.
        spdlog::error("request framing mismatch ({} vs {}); closing the connection",
                      logging::printable(head->method), logging::printable(qtMethod));
        guard->noMoreRequests();
        socket->abort();
        return true;
    }
    if (head->rejected || guard->isClosing())
        return true;

    const wire::Target target = wire::splitTarget(head->target);
    const QString path = wire::decodePath(target.rawPath);
    const auto headers = qtRequest.headers();
    QList<QByteArray> forwardedFor;
    for (const auto &[name, value] : headers) {
        if (name.compare("x-forwarded-for", Qt::CaseInsensitive) == 0)
            forwardedFor.append(value);
    }
    const QHostAddress peer = normalizedAddress(socket->peerAddress());
    const QHostAddress client = clientAddress(peer, forwardedFor, m_options.trustedProxies);
    if (head->upgrade) {
        // Returning true without writing lets Qt hand the socket to its
        // QWebSocketServer (and so to the EventHub); false makes it call missingHandler.
        if (path != u"/v1/events")
            return false;
        logging::access(head->method, target.rawPath, 101, 0.0, u"-"_s, client, "websocket", peer);
        return true;
    }

    HttpRequest request;
    request.method = head->method;
    request.path = path;
    QString query = QString::fromUtf8(target.rawQuery);
    query.replace(u'+', u"%20"_s); // form-style spaces
    request.query.setQuery(query);
    request.headers.reserve(headers.size());
    for (const auto &[name, value] : headers)
        request.headers.append({name.toLower(), value});
    request.body = qtRequest.body();
    request.peerAddress = peer;
    request.clientAddress = client;
    const QByteArray clientId = request.header("x-request-id");
    request.requestId =
        wire::isSaneRequestId(clientId) ? QString::fromLatin1(clientId) : wire::generateRequestId();

    Pending pending;
    pending.clock.start();
    pending.socket = socket;
    pending.guard = guard;
    pending.position = guard->reserveResponse();
    pending.close = !head->keepAlive;
    pending.http10 = head->minorVersion == 0;
    pending.omitBody = head->method == "HEAD";
    pending.method = head->method;
    pending.rawPath = target.rawPath;
    pending.requestId = request.requestId;
    pending.peer = peer;
    pending.client = client;
    pending.origin = request.header("origin");
    pending.tls = guard->isTls();
    // Responses waiting behind a slow one are buffered per connection: bound them.
    const bool pipelinedTooDeep = guard->outstandingResponses() > maxPipelinedRequests;
    if (pipelinedTooDeep)
        pending.close = true;
    if (pending.close)
        guard->noMoreRequests();
    if (pipelinedTooDeep) {
        respond(pending,
                wire::errorResponse(503, u"overloaded"_s, u"Too many pipelined requests."_s));
        return true;
    }

    bool pathExists = false;
    QList<QByteArray> allowed;
    if (isPreflight(request.method, pending.origin,
                    request.header("access-control-request-method"))) {
        (void)m_router.match(QByteArrayLiteral("OPTIONS"), QString::fromLatin1(target.rawPath),
                             &pathExists, &allowed);
        if (!m_cors.isAllowed(pending.origin) || pathExists)
            respond(pending, m_cors.preflight(pending.origin, allowed));
        else
            respond(pending, HttpResponse::error(api::ApiError::notFound()));
        return true;
    }
    std::optional<Router::Match> match =
        m_router.match(request.method, QString::fromLatin1(target.rawPath), &pathExists, &allowed);
    if (!match && request.method == "HEAD")
        match = m_router.match(QByteArrayLiteral("GET"), QString::fromLatin1(target.rawPath));
    if (!match) {
        if (!pathExists) {
            respond(pending, HttpResponse::error(api::ApiError::notFound()));
            return true;
        }
        if (allowed.contains("GET") && !allowed.contains("HEAD"))
            allowed.append(QByteArrayLiteral("HEAD"));
        QJsonArray methods;
        for (const QByteArray &method : std::as_const(allowed))
            methods.append(QString::fromLatin1(method));
        HttpResponse response =
            wire::errorResponse(405, u"method_not_allowed"_s,
                                u"%1 is not allowed here."_s.arg(
                                    QString::fromStdString(logging::printable(request.method, 16))),
                                QJsonObject{{u"allowed_methods"_s, methods}});
        response.withHeader("Allow", allowed.join(", "));
        respond(pending, response);
        return true;
    }
    request.pathParams = match->params;
    const Route *route = match->route;

    if (!request.body.isEmpty() && !route->options.contentTypes.isEmpty()) {
        const QByteArray type = mediaType(request.header("content-type"));
        const bool accepted = std::any_of(
            route->options.contentTypes.cbegin(), route->options.contentTypes.cend(),
            [&type](const QByteArray &candidate) { return mediaType(candidate) == type; });
        if (!accepted) {
            QJsonArray types;
            for (const QByteArray &candidate : route->options.contentTypes)
                types.append(QString::fromLatin1(candidate));
            respond(pending,
                    wire::errorResponse(415, u"unsupported_media_type"_s,
                                        u"The body must be sent as %1."_s.arg(QString::fromLatin1(
                                            route->options.contentTypes.join(" or "))),
                                        QJsonObject{{u"accepted_content_types"_s, types}}));
            return true;
        }
    }

    if (route->options.inlineOnServerThread) {
        QList<Event> events;
        const HttpResponse response = runHandler(*route, request, &events);
        m_hub.publish(events);
        respond(pending, response);
        return true;
    }

    if (route->options.slow && m_slowInFlight >= m_options.maxPendingSlowRequests) {
        HttpResponse busy = wire::errorResponse(
            503, u"busy"_s,
            u"Too many sign-ins and photo checks are being processed right now. Try again in a moment."_s);
        respond(pending, withRetryAfter(std::move(busy), 1));
        return true;
    }
    if (m_inFlight >= m_options.maxPendingRequests) {
        respond(pending,
                withRetryAfter(wire::errorResponse(503, u"overloaded"_s,
                                                   u"The server is busy. Retry shortly."_s),
                               1));
        return true;
    }

    ++m_inFlight;
    pending.slow = route->options.slow;
    if (pending.slow)
        ++m_slowInFlight;
    const quint64 token = ++m_nextToken;
    m_pending.insert(token, std::move(pending));
    QThreadPool &pool = route->options.slow ? m_slowPool : m_pool;
    pool.start([this, token, route, request = std::move(request)]() mutable {
        QList<Event> events;
        HttpResponse response = runHandler(*route, request, &events);
        m_hub.publish(events);
        // The socket may be gone by now; only the server thread may find out.
        QMetaObject::invokeMethod(
            this,
            [this, token, response = std::move(response)]() mutable {
                complete(token, std::move(response));
            },
            Qt::QueuedConnection);
    });
    return true;
}

HttpResponse HttpServer::runHandler(const Route &route, HttpRequest &request,
                                    QList<Event> *events) const
{
    try {
        RequestContext context(m_database, m_clock, request.requestId);
        context.setClientIp(request.clientAddress.toString());
        context.setUserAgent(QString::fromUtf8(request.header("user-agent").left(512)));
        if (!route.options.inlineOnServerThread && m_options.admission) {
            if (std::optional<HttpResponse> refused = m_options.admission(request, context))
                return *refused;
        }
        if (!route.options.isPublic && m_options.before) {
            if (std::optional<HttpResponse> early = m_options.before(request, context))
                return *early;
        }
        HttpResponse response = route.handler(request, context);
        if (response.status < 400)
            *events = context.events();
        return response;
    } catch (const api::ApiError &error) {
        HttpResponse response = HttpResponse::error(error);
        const int retryAfter = error.details().value(u"retry_after_seconds"_s).toInt(-1);
        if ((error.status() == 423 || error.status() == 429 || error.status() == 503) &&
            retryAfter >= 0)
            response = withRetryAfter(std::move(response), retryAfter);
        return response;
    } catch (const storage::StorageError &error) {
        using Kind = storage::StorageError::Kind;
        switch (error.kind()) {
        case Kind::Unavailable:
        case Kind::Busy:
            spdlog::warn("{} {} id={}: database unavailable: {}",
                         logging::printable(request.method), request.path.toStdString(),
                         request.requestId.toStdString(), error.what());
            return withRetryAfter(HttpResponse::error(api::ApiError::unavailable()), 1);
        case Kind::Conflict:
            return wire::errorResponse(409, u"conflict"_s,
                                       u"This conflicts with an existing record."_s);
        case Kind::Reference:
            return wire::errorResponse(422, u"invalid_reference"_s,
                                       u"A referenced record does not exist."_s);
        case Kind::Internal:
            break;
        }
        spdlog::error("{} {} id={}: storage error: {}", logging::printable(request.method),
                      request.path.toStdString(), request.requestId.toStdString(), error.what());
    } catch (const std::exception &error) {
        spdlog::error("{} {} id={}: unhandled exception: {}", logging::printable(request.method),
                      request.path.toStdString(), request.requestId.toStdString(), error.what());
    } catch (...) {
        spdlog::error("{} {} id={}: unhandled non-standard exception",
                      logging::printable(request.method), request.path.toStdString(),
                      request.requestId.toStdString());
    }
    return wire::errorResponse(500, u"internal_error"_s,
                               u"Internal error. It was logged with the request id."_s);
}

void HttpServer::complete(quint64 token, HttpResponse response)
{
    const auto it = m_pending.find(token);
    if (it == m_pending.end())
        return;
    const Pending pending = std::move(it.value());
    m_pending.erase(it);
    --m_inFlight;
    if (pending.slow)
        --m_slowInFlight;
    respond(pending, response);
}

void HttpServer::respond(const Pending &pending, HttpResponse response, QByteArrayView note) const
{
    const double milliseconds = double(pending.clock.nsecsElapsed()) / 1e6;
    ++m_metrics.responsesByStatus[response.status];
    m_metrics.secondsTotal += milliseconds / 1000;
    if (!pending.socket || !pending.guard ||
        pending.socket->state() != QAbstractSocket::ConnectedState) {
        ++m_metrics.notDelivered;
        logging::access(pending.method, pending.rawPath, response.status, milliseconds,
                        pending.requestId, pending.client, "client went away; not sent",
                        pending.peer);
        return;
    }
    m_cors.decorate(response, pending.origin);
    wire::Framing framing;
    framing.connection = pending.close    ? wire::Connection::Close
                         : pending.http10 ? wire::Connection::KeepAliveHttp10
                                          : wire::Connection::KeepAlive;
    framing.omitBody = pending.omitBody;
    framing.tls = pending.tls;
    pending.guard->deliver(pending.position, wire::serialize(response, pending.requestId, framing),
                           pending.close);
    logging::access(pending.method, pending.rawPath, response.status, milliseconds,
                    pending.requestId, pending.client, note, pending.peer);
}

void HttpServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // Reached for WebSocket upgrades of other paths; Qt closes the socket afterwards.
    const QString requestId = wire::generateRequestId();
    const HttpResponse response = HttpResponse::error(api::ApiError::notFound());
    ConnectionGuard *guard = ConnectionGuard::of(socket);
    const QByteArray bytes =
        wire::serialize(response, requestId,
                        {.connection = wire::Connection::Close, .tls = guard && guard->isTls()});
    if (guard)
        guard->deliver(guard->reserveResponse(), bytes, true);
    else if (socket->state() == QAbstractSocket::ConnectedState)
        socket->write(bytes);
    logging::access(methodName(request.method()), request.url().path(QUrl::FullyEncoded).toUtf8(),
                    404, 0.0, requestId, socket->peerAddress(), "upgrade refused");
}

} // namespace md::server
