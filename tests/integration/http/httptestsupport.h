#pragma once

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>

// Helpers for the transport tests: a raw HTTP/1.1 client over QTcpSocket (so tests can
// send exactly the bytes they mean: partial heads, pipelined requests, lies about
// Content-Length) and a real HttpServer on port 0 with a few test routes.
//
// The server runs in the test thread's event loop, so every wait here spins it
// (QTest::qWaitFor) instead of blocking.

#include "httpserver.h"
#include "requestcontext.h"
#include "router.h"

#include "api/apierror.h"
#include "domain/clock.h"
#include "storage/database.h"
#include "storage/storageerror.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSemaphore>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QUrlQuery>

#include <atomic>
#include <memory>
#include <optional>

namespace md::test {

using namespace Qt::StringLiterals;

/// What a QNetworkAccessManager request got back (the suites' real-client view).
struct NetworkReply
{
    int status = 0;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray body;
    QList<QNetworkReply::RawHeaderPair> headers;
    QByteArray header(const QByteArray &name) const
    {
        for (const auto &[key, value] : headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
    /// error.code of an API error envelope, or empty.
    QString errorCode() const
    {
        return QJsonDocument::fromJson(body)
            .object()
            .value(QStringLiteral("error"))
            .toObject()
            .value(QStringLiteral("code"))
            .toString();
    }
};

struct RawResponse
{
    int status = 0;
    QList<std::pair<QByteArray, QByteArray>> headers; // names lower-cased
    QByteArray body;

    QByteArray header(QByteArrayView name) const
    {
        for (const auto &[key, value] : headers) {
            if (key == name)
                return value;
        }
        return {};
    }
    bool hasHeader(QByteArrayView name) const
    {
        for (const auto &header : headers) {
            if (header.first == name)
                return true;
        }
        return false;
    }
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QString errorCode() const
    {
        return json().value(u"error"_s).toObject().value(u"code"_s).toString();
    }
};

/// One client connection speaking raw HTTP/1.1, over TLS when given a configuration
/// (which must trust the server's certificate; the name checked is 127.0.0.1).
class RawClient final
{
public:
    explicit RawClient(quint16 port, const std::optional<QSslConfiguration> &tls = std::nullopt)
    {
        if (tls) {
            auto *ssl = new QSslSocket;
            m_socket.reset(ssl);
            ssl->setSslConfiguration(*tls);
            ssl->connectToHostEncrypted(u"127.0.0.1"_s, port);
            (void)QTest::qWaitFor([ssl] { return ssl->isEncrypted(); }, 5000);
        } else {
            m_socket = std::make_unique<QTcpSocket>();
            m_socket->connectToHost(QHostAddress::LocalHost, port);
            (void)QTest::qWaitFor(
                [this] { return m_socket->state() == QAbstractSocket::ConnectedState; }, 5000);
        }
    }

    bool isConnected() const { return m_socket->state() == QAbstractSocket::ConnectedState; }
    QTcpSocket &socket() { return *m_socket; }

    void send(const QByteArray &bytes)
    {
        m_socket->write(bytes);
        m_socket->flush();
    }

    /// The next complete response, or nullopt after timeoutMs. headRequest: the
    /// response carries Content-Length but no body.
    std::optional<RawResponse> next(int timeoutMs = 5000, bool headRequest = false)
    {
        std::optional<RawResponse> response;
        (void)QTest::qWaitFor(
            [&] {
                m_buffer += m_socket->readAll();
                response = parse(headRequest);
                return response.has_value();
            },
            timeoutMs);
        if (!response) {
            m_buffer += m_socket->readAll();
            response = parse(headRequest);
        }
        return response;
    }

    /// True once the server has closed the connection (FIN or RST).
    bool waitClosed(int timeoutMs = 5000)
    {
        return QTest::qWaitFor(
            [this] {
                m_buffer += m_socket->readAll();
                return m_socket->state() == QAbstractSocket::UnconnectedState;
            },
            timeoutMs);
    }

    QByteArray pendingBytes()
    {
        m_buffer += m_socket->readAll();
        return m_buffer;
    }

private:
    std::optional<RawResponse> parse(bool headRequest)
    {
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return std::nullopt;
        const QList<QByteArray> lines = m_buffer.left(end).split('\n');
        RawResponse response;
        const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
        if (statusLine.size() < 2)
            return std::nullopt;
        response.status = statusLine.at(1).toInt();
        qint64 length = 0;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            const QByteArray name = line.left(colon).trimmed().toLower();
            const QByteArray value = line.mid(colon + 1).trimmed();
            response.headers.append({name, value});
            if (name == "content-length")
                length = value.toLongLong();
        }
        if (headRequest)
            length = 0;
        if (m_buffer.size() < end + 4 + length)
            return std::nullopt;
        response.body = m_buffer.mid(end + 4, length);
        m_buffer.remove(0, end + 4 + length);
        return response;
    }

    std::unique_ptr<QTcpSocket> m_socket;
    QByteArray m_buffer;
};

inline QByteArray get(const QByteArray &target, const QByteArray &extraHeaders = {})
{
    return "GET " + target + " HTTP/1.1\r\nHost: test\r\n" + extraHeaders + "\r\n";
}

/// The PostgreSQL URL of the CTest fixture cluster, if there is one.
inline QString postgresUrl()
{
    const QString file = qEnvironmentVariable("MEDDISPATCH_TEST_POSTGRES_URL_FILE");
    QFile f(file);
    if (file.isEmpty() || !f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll()).trimmed();
}

/// A real HttpServer on 127.0.0.1:<any port> with test routes:
///   GET  /fast              200 {"route":"fast"}
///   GET  /slow?ms=N         sleeps N ms (default 300) on the worker, 200 {"route":"slow"}
///   GET  /gated             blocks its worker until the test calls openGate()
///   GET  /healthz           inline on the server thread
///   POST /echo              echoes the JSON body (1 MiB limit), counts calls
///   POST /small             10 KiB limit
///   GET  /items/{id}        {"id": ..., "q": ...}
///   GET  /items/special     literal beats {id}
///   GET  /api-error         throws ApiError 422
///   GET  /boom              throws std::runtime_error
///   GET  /conflict          throws StorageError(Conflict)
///   GET  /unavailable       throws StorageError(Unavailable)
///   GET  /private           non-public: the before hook wants X-Test-Auth: yes
///   POST /publish           publishes a ticket.created event
///   POST /publish-then-fail publishes, then throws
///   GET  /whoami            {"client_ip": ..., "user_agent": ...} as handlers see them
class TestServer final
{
public:
    std::unique_ptr<storage::Database> database;
    server::Router router;
    std::unique_ptr<server::HttpServer> http;
    quint16 port = 0;
    std::atomic<int> echoCalls{0};
    std::atomic<int> beforeCalls{0};
    std::atomic<int> slowFinished{0};
    std::atomic<int> fastCalls{0};
    std::atomic<int> itemCalls{0};
    std::atomic<int> gatedStarted{0};
    std::atomic<int> gatedFinished{0};

    /// Lets n (default: all waiting) /gated handlers finish.
    void openGate(int n = 1000) { m_gate.release(n); }
    ~TestServer() { openGate(); }

    /// sqlite: a temporary file; otherwise a postgresql:// URL.
    static std::unique_ptr<TestServer> start(server::HttpServer::Options options = {},
                                             const QString &databaseUrl = {})
    {
        return start(std::move(options), databaseUrl, QHostAddress(QHostAddress::LocalHost));
    }

    static std::unique_ptr<TestServer> start(server::HttpServer::Options options,
                                             const QString &databaseUrl,
                                             const QHostAddress &listenAddress)
    {
        auto s = std::make_unique<TestServer>();
        QString url = databaseUrl;
        if (url.isEmpty())
            url = s->m_dir.filePath(u"test.sqlite"_s);
        QString error;
        const std::optional<storage::DatabaseConfig> config =
            storage::DatabaseConfig::parse(url, &error);
        if (!config) {
            qWarning("bad database URL: %s", qPrintable(error));
            return nullptr;
        }
        s->database = std::make_unique<storage::Database>(*config);
        s->addRoutes();
        TestServer *self = s.get();
        options.before = [self](server::HttpRequest &request,
                                server::RequestContext &) -> std::optional<server::HttpResponse> {
            ++self->beforeCalls;
            if (request.header("x-test-auth") != "yes")
                return server::HttpResponse::error(
                    api::ApiError(401, u"unauthenticated"_s, u"Who are you?"_s));
            return std::nullopt;
        };
        s->http = std::make_unique<server::HttpServer>(s->router, *s->database,
                                                       domain::Clock::system(), options);
        s->port = s->http->listen(listenAddress, 0);
        if (s->port == 0) {
            qWarning("listen failed: %s", qPrintable(s->http->errorString()));
            return nullptr;
        }
        return s;
    }

    QUrl url(const QString &path) const
    {
        return QUrl(u"http://127.0.0.1:%1%2"_s.arg(port).arg(path));
    }
    QUrl httpsUrl(const QString &path) const
    {
        return QUrl(u"https://127.0.0.1:%1%2"_s.arg(port).arg(path));
    }

private:
    void addRoutes()
    {
        using server::HttpRequest;
        using server::HttpResponse;
        using server::RequestContext;
        server::RouteOptions open;
        open.isPublic = true;

        router.add(
            "GET", u"/fast"_s,
            [this](HttpRequest &, RequestContext &) {
                ++fastCalls;
                return HttpResponse::json(200, QJsonObject{{u"route"_s, u"fast"_s}});
            },
            open);
        router.add(
            "GET", u"/slow"_s,
            [this](HttpRequest &request, RequestContext &) {
                const int ms =
                    request.hasQueryItem(u"ms"_s) ? request.queryValue(u"ms"_s).toInt() : 300;
                QThread::msleep(ms);
                ++slowFinished;
                return HttpResponse::json(200, QJsonObject{{u"route"_s, u"slow"_s}});
            },
            open);
        router.add(
            "GET", u"/gated"_s,
            [this](HttpRequest &, RequestContext &) {
                ++gatedStarted;
                m_gate.tryAcquire(1, 20000); // never hang a test run for good
                ++gatedFinished;
                return HttpResponse::json(200, QJsonObject{{u"route"_s, u"gated"_s}});
            },
            open);
        server::RouteOptions inlineRoute = open;
        inlineRoute.inlineOnServerThread = true;
        router.add(
            "GET", u"/healthz"_s,
            [](HttpRequest &, RequestContext &) {
                return HttpResponse::json(200, QJsonObject{{u"status"_s, u"ok"_s}});
            },
            inlineRoute);
        router.add(
            "POST", u"/echo"_s,
            [this](HttpRequest &request, RequestContext &) {
                ++echoCalls;
                return HttpResponse::text(200, request.body, "application/json");
            },
            open);
        server::RouteOptions small = open;
        small.maxBodyBytes = 10 * 1024;
        router.add(
            "POST", u"/small"_s,
            [](HttpRequest &request, RequestContext &) {
                return HttpResponse::json(200, QJsonObject{{u"bytes"_s, request.body.size()}});
            },
            small);
        router.add(
            "GET", u"/items/{id}"_s,
            [this](HttpRequest &request, RequestContext &) {
                ++itemCalls;
                return HttpResponse::json(200, QJsonObject{{u"id"_s, request.param(u"id"_s)},
                                                           {u"q"_s, request.queryValue(u"q"_s)}});
            },
            open);
        router.add(
            "GET", u"/items/special"_s,
            [](HttpRequest &, RequestContext &) {
                return HttpResponse::json(200, QJsonObject{{u"special"_s, true}});
            },
            open);
        router.add(
            "GET", u"/api-error"_s,
            [](HttpRequest &, RequestContext &) -> HttpResponse {
                throw api::ApiError::validation({{u"name"_s, u"must not be empty"_s}});
            },
            open);
        router.add(
            "GET", u"/boom"_s,
            [](HttpRequest &, RequestContext &) -> HttpResponse {
                throw std::runtime_error("kaboom");
            },
            open);
        router.add(
            "GET", u"/conflict"_s,
            [](HttpRequest &, RequestContext &) -> HttpResponse {
                throw storage::StorageError(
                    storage::StorageError::Kind::Conflict,
                    u"UNIQUE constraint failed: secret_table.secret_column"_s);
            },
            open);
        router.add(
            "GET", u"/unavailable"_s,
            [](HttpRequest &, RequestContext &) -> HttpResponse {
                throw storage::StorageError(storage::StorageError::Kind::Unavailable, u"down"_s);
            },
            open);
        router.add("GET", u"/private"_s, [](HttpRequest &, RequestContext &) {
            return HttpResponse::json(200, QJsonObject{{u"secret"_s, 42}});
        });
        router.add(
            "GET", u"/whoami"_s,
            [](HttpRequest &, RequestContext &context) {
                return HttpResponse::json(200, QJsonObject{{u"client_ip"_s, context.clientIp()},
                                                           {u"user_agent"_s, context.userAgent()}});
            },
            open);
        router.add(
            "POST", u"/publish"_s,
            [](HttpRequest &request, RequestContext &context) {
                context.publish(u"ticket.created"_s,
                                QJsonDocument::fromJson(request.body).object());
                return HttpResponse::json(201, QJsonObject{{u"published"_s, true}});
            },
            open);
        router.add(
            "POST", u"/publish-then-fail"_s,
            [](HttpRequest &, RequestContext &context) -> HttpResponse {
                context.publish(u"ticket.created"_s, QJsonObject{{u"lost"_s, true}});
                throw api::ApiError::conflict(u"conflict"_s, u"No."_s);
            },
            open);
    }

    QTemporaryDir m_dir;
    QSemaphore m_gate;
};

} // namespace md::test
