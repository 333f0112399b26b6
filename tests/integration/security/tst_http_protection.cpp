// Protection of the HTTP server over real sockets: the security headers on every kind of
// answer, the CORS allow-list, HTTPS with the connection guards still in force, the
// client address behind trusted proxies, and the per-client rate limit shared through
// the database (SQLite and PostgreSQL) by several server instances.

#include "httptestsupport.h"

#include "http/clientaddress.h"
#include "http/ratelimiter.h"
#include "http/tlssetup.h"
#include "http/wire.h"
#include "protection.h"
#include "serverconfig.h"
#include "storage/authrepositories.h"
#include "storage/repositories.h"
#include "testlib/testdatabase.h"

#include <QDir>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QProcess>
#include <QSslCertificate>
#include <QWebSocket>

#include <sstream>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

using namespace Qt::StringLiterals;
using md::server::HttpServer;
using md::server::RateLimiter;
using md::storage::Backend;
using md::test::get;
using md::test::RawClient;
using md::test::RawResponse;
using md::test::TestServer;
using md::testlib::TestDatabase;

/// Declares `var`, a fresh database of that backend, or fails the test.
#define MD_TEST_DATABASE_FOR(var, backend)                                                         \
    QString var##Error;                                                                            \
    auto var = TestDatabase::create(backend, &var##Error);                                         \
    QVERIFY2(var, qPrintable(var##Error))

namespace {

const QByteArray allowedOrigin = "https://app.example.org";
const QByteArray otherAllowedOrigin = "http://localhost:5173";

/// The system clock moved back so that a test starts one second into a rate-limit
/// window: counts never straddle a window boundary, yet time runs normally.
class WindowStartClock final : public md::domain::Clock
{
public:
    WindowStartClock()
        : m_shiftMs(QDateTime::currentDateTimeUtc().toMSecsSinceEpoch() % 60000 - 1000)
    {}
    QDateTime now() const override { return QDateTime::currentDateTimeUtc().addMSecs(-m_shiftMs); }

private:
    qint64 m_shiftMs;
};

HttpServer::Options baseOptions()
{
    HttpServer::Options options;
    options.workerThreads = 2;
    options.idleTimeout = std::chrono::seconds(15);
    return options;
}

/// 2026-03-01 at that UTC time.
QDateTime at(int hour, int minute, int second)
{
    return QDateTime(QDate(2026, 3, 1), QTime(hour, minute, second), Qt::UTC);
}

md::server::TrustedProxies loopbackProxy()
{
    return {QHostAddress::parseSubnet(u"127.0.0.1/32"_s)};
}

QByteArray withHeaders(const QByteArray &requestLine, const QByteArray &headers,
                       const QByteArray &body = {})
{
    return requestLine + "\r\nHost: test\r\n" + headers + "\r\n" + body;
}

/// The error envelope of API.md.
bool isEnvelope(const RawResponse &response, const QString &code)
{
    const QJsonObject error = response.json().value(u"error"_s).toObject();
    return error.value(u"code"_s).toString() == code &&
           !error.value(u"message"_s).toString().isEmpty();
}

void verifySecurityHeaders(const RawResponse &response, bool tls)
{
    QCOMPARE(response.header("x-content-type-options"), QByteArray("nosniff"));
    QCOMPARE(response.header("x-frame-options"), QByteArray("DENY"));
    QCOMPARE(response.header("content-security-policy"),
             QByteArray("default-src 'none'; frame-ancestors 'none'"));
    QCOMPARE(response.header("referrer-policy"), QByteArray("no-referrer"));
    const QByteArray permissions = response.header("permissions-policy");
    for (const char *feature : {"camera=()", "microphone=()", "geolocation=()", "payment=()"})
        QVERIFY2(permissions.contains(feature), feature);
    QCOMPARE(response.header("cache-control"), QByteArray("no-store"));
    if (tls)
        QCOMPARE(response.header("strict-transport-security"),
                 QByteArray("max-age=31536000; includeSubDomains"));
    else
        QVERIFY(!response.hasHeader("strict-transport-security"));
}

using Reply = md::test::NetworkReply;

} // namespace

class TstHttpProtection final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_certificate; // self-signed for 127.0.0.1, RSA
    QString m_key;
    QString m_otherKey; // EC, belongs to no certificate
    QNetworkAccessManager m_network;

    Reply send(const QNetworkRequest &request, const QByteArray &verb = "GET",
               const QByteArray &body = {})
    {
        QNetworkReply *reply = m_network.sendCustomRequest(request, verb, body);
        const bool done = QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000);
        Reply result;
        if (done) {
            result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            result.error = reply->error();
            result.body = reply->readAll();
            result.headers = reply->rawHeaderPairs();
        }
        reply->deleteLater();
        return result;
    }

    QSslConfiguration clientTrustingOurCertificate() const
    {
        QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
        configuration.setCaCertificates(QSslCertificate::fromPath(m_certificate));
        return configuration;
    }

    std::unique_ptr<TestServer> startTls(HttpServer::Options options = baseOptions())
    {
        QString error;
        options.tls = md::server::loadTlsConfiguration(m_certificate, m_key, &error);
        if (!options.tls) {
            qWarning("TLS setup failed: %s", qPrintable(error));
            return nullptr;
        }
        return TestServer::start(std::move(options));
    }

    static bool runOpenssl(const QStringList &arguments)
    {
        QProcess openssl;
        openssl.start(u"openssl"_s, arguments);
        if (!openssl.waitForFinished(60000) || openssl.exitCode() != 0) {
            qWarning("openssl %s failed: %s", qPrintable(arguments.join(u' ')),
                     openssl.readAllStandardError().constData());
            return false;
        }
        return true;
    }

    /// The shared counter in the database for a client in the window that is current
    /// for `clock` (adding nothing returns the total).
    static qint64 sharedCount(md::storage::Database &database, const md::domain::Clock &clock,
                              const QString &key)
    {
        const qint64 now = clock.now().toMSecsSinceEpoch();
        md::storage::Repositories repositories(database);
        return repositories.rateLimits().add(key, now - now % 60000, 0);
    }

private Q_SLOTS:
    void initTestCase()
    {
        qputenv("QT_LOGGING_RULES", "qt.httpserver*=false");
        QVERIFY(m_dir.isValid());
        m_certificate = m_dir.filePath(u"cert.pem"_s);
        m_key = m_dir.filePath(u"key.pem"_s);
        m_otherKey = m_dir.filePath(u"other-key.pem"_s);
        // A throwaway certificate for this run only.
        QVERIFY(runOpenssl({u"req"_s, u"-x509"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s,
                            u"-keyout"_s, m_key, u"-out"_s, m_certificate, u"-days"_s, u"2"_s,
                            u"-subj"_s, u"/CN=127.0.0.1"_s, u"-addext"_s,
                            u"subjectAltName=IP:127.0.0.1,DNS:localhost"_s}));
        QVERIFY(runOpenssl({u"genpkey"_s, u"-algorithm"_s, u"EC"_s, u"-pkeyopt"_s,
                            u"ec_paramgen_curve:P-256"_s, u"-out"_s, m_otherKey}));
    }

    // ---- security headers -------------------------------------------------------------

    void securityHeadersOnEveryAnswer_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code"); // error code, empty for success

        QTest::newRow("200") << get("/fast") << 200 << QString();
        QTest::newRow("404") << get("/nope") << 404 << u"not_found"_s;
        QTest::newRow("405") << withHeaders("DELETE /fast HTTP/1.1", {}) << 405
                             << u"method_not_allowed"_s;
        QTest::newRow("413 (guard)")
            << withHeaders("POST /small HTTP/1.1",
                           "Content-Type: application/json\r\nContent-Length: 20000\r\n")
            << 413 << u"payload_too_large"_s;
        QTest::newRow("431 (guard)")
            << withHeaders("GET /fast HTTP/1.1", "X-Big: " + QByteArray(70 * 1024, 'a') + "\r\n")
            << 431 << u"headers_too_large"_s;
        QTest::newRow("400 (guard)") << QByteArray("GET /fast HTTP/1.1\r\nBad Header\r\n\r\n")
                                     << 400 << u"malformed_request"_s;
        QTest::newRow("415") << withHeaders("POST /echo HTTP/1.1",
                                            "Content-Type: text/plain\r\nContent-Length: 2\r\n",
                                            "hi")
                             << 415 << u"unsupported_media_type"_s;
        QTest::newRow("422") << get("/api-error") << 422 << u"validation_failed"_s;
        QTest::newRow("500") << get("/boom") << 500 << u"internal_error"_s;
        QTest::newRow("503") << get("/unavailable") << 503 << u"database_unavailable"_s;
    }

    void securityHeadersOnEveryAnswer()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        QFETCH(QString, code);
        const auto server = TestServer::start(baseOptions());
        QVERIFY(server);
        RawClient client(server->port);
        client.send(request);
        const std::optional<RawResponse> response = client.next();
        QVERIFY(response);
        QCOMPARE(response->status, status);
        if (!code.isEmpty())
            QVERIFY2(isEnvelope(*response, code), response->body.constData());
        verifySecurityHeaders(*response, false);
        QVERIFY(!response->hasHeader("access-control-allow-origin"));
        QVERIFY(!response->hasHeader("vary")); // no CORS configured
    }

    void securityHeadersOnTimeoutAndOverload()
    {
        HttpServer::Options options = baseOptions();
        options.idleTimeout = std::chrono::milliseconds(400);
        options.maxPendingRequests = 1;
        const auto server = TestServer::start(options);
        QVERIFY(server);

        RawClient slow(server->port);
        slow.send("GET /fast HTTP/1.1\r\nHost: t\r\n"); // and never the blank line
        std::optional<RawResponse> response = slow.next(5000);
        QVERIFY(response);
        QCOMPARE(response->status, 408);
        verifySecurityHeaders(*response, false);

        RawClient blocker(server->port);
        blocker.send(get("/gated"));
        QTRY_COMPARE(server->gatedStarted.load(), 1);
        RawClient turnedAway(server->port);
        turnedAway.send(get("/fast"));
        response = turnedAway.next();
        QVERIFY(response);
        QCOMPARE(response->status, 503);
        QVERIFY(isEnvelope(*response, u"overloaded"_s));
        verifySecurityHeaders(*response, false);
        server->openGate();
        QVERIFY(blocker.next());
    }

    void handlersCannotWeakenSecurityHeaders()
    {
        md::server::HttpResponse response =
            md::server::HttpResponse::json(200, QJsonObject{{u"openapi"_s, u"3.0.3"_s}});
        response.withHeader("X-Frame-Options", "ALLOWALL");
        response.withHeader("Content-Security-Policy", "default-src *");
        response.withHeader("Cache-Control", "public, max-age=300"); // allowed: documents
        const QByteArray bytes = md::server::wire::serialize(response, u"id-1"_s, {});
        QCOMPARE(bytes.count("X-Frame-Options"), 1);
        QVERIFY(bytes.contains("X-Frame-Options: DENY\r\n"));
        QVERIFY(!bytes.contains("ALLOWALL"));
        QVERIFY(!bytes.contains("default-src *"));
        QVERIFY(bytes.contains("Cache-Control: public, max-age=300\r\n"));
        QVERIFY(!bytes.contains("no-store"));
        QVERIFY(!bytes.contains("Strict-Transport-Security"));
    }

    // ---- CORS --------------------------------------------------------------------------

    void corsAllowList_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("allowOrigin"); // expected Access-Control-Allow-Origin
        QTest::addColumn<QByteArray>("allowMethods");

        const auto from = [](const QByteArray &origin) -> QByteArray {
            return "Origin: " + origin + "\r\n";
        };
        const auto preflight = [](const QByteArray &path, const QByteArray &origin,
                                  const QByteArray &method) -> QByteArray {
            return withHeaders("OPTIONS " + path + " HTTP/1.1",
                               "Origin: " + origin +
                                   "\r\nAccess-Control-Request-Method: " + method +
                                   "\r\nAccess-Control-Request-Headers: authorization, "
                                   "content-type\r\n");
        };

        QTest::newRow("allowed origin")
            << get("/fast", from(allowedOrigin)) << 200 << allowedOrigin << QByteArray();
        QTest::newRow("second allowed origin")
            << get("/fast", from(otherAllowedOrigin)) << 200 << otherAllowedOrigin << QByteArray();
        QTest::newRow("allowed origin reads errors")
            << get("/nope", from(allowedOrigin)) << 404 << allowedOrigin << QByteArray();
        QTest::newRow("allowed origin reads a guard's 413")
            << withHeaders("POST /small HTTP/1.1",
                           from(allowedOrigin) +
                               "Content-Type: application/json\r\nContent-Length: 20000\r\n")
            << 413 << allowedOrigin << QByteArray();
        QTest::newRow("unlisted origin")
            << get("/fast", from("https://evil.example")) << 200 << QByteArray() << QByteArray();
        QTest::newRow("origin null")
            << get("/fast", from("null")) << 200 << QByteArray() << QByteArray();
        QTest::newRow("not exactly the same origin")
            << get("/fast", from("https://app.example.org:8443")) << 200 << QByteArray()
            << QByteArray();
        QTest::newRow("suffix is not a match")
            << get("/fast", from("https://app.example.org.evil.example")) << 200 << QByteArray()
            << QByteArray();
        QTest::newRow("no origin") << get("/fast") << 200 << QByteArray() << QByteArray();
        QTest::newRow("preflight allowed") << preflight("/echo", allowedOrigin, "POST") << 204
                                           << allowedOrigin << QByteArray("POST");
        QTest::newRow("preflight lists the path's methods")
            << preflight("/items/abc", allowedOrigin, "GET") << 204 << allowedOrigin
            << QByteArray("GET, HEAD");
        QTest::newRow("preflight for a private route")
            << preflight("/private", otherAllowedOrigin, "GET") << 204 << otherAllowedOrigin
            << QByteArray("GET, HEAD");
        QTest::newRow("preflight unknown path")
            << preflight("/nope", allowedOrigin, "GET") << 404 << allowedOrigin << QByteArray();
        QTest::newRow("preflight unlisted origin")
            << preflight("/echo", "https://evil.example", "POST") << 403 << QByteArray()
            << QByteArray();
        QTest::newRow("preflight origin null")
            << preflight("/echo", "null", "POST") << 403 << QByteArray() << QByteArray();
        QTest::newRow("OPTIONS without preflight headers")
            << withHeaders("OPTIONS /echo HTTP/1.1", from(allowedOrigin)) << 405 << allowedOrigin
            << QByteArray();
    }

    void corsAllowList()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        QFETCH(QByteArray, allowOrigin);
        QFETCH(QByteArray, allowMethods);

        HttpServer::Options options = baseOptions();
        options.corsOrigins = {QString::fromLatin1(allowedOrigin),
                               QString::fromLatin1(otherAllowedOrigin)};
        const auto server = TestServer::start(options);
        QVERIFY(server);
        RawClient client(server->port);
        client.send(request);
        const std::optional<RawResponse> response = client.next();
        QVERIFY(response);
        QCOMPARE(response->status, status);
        QCOMPARE(response->header("access-control-allow-origin"), allowOrigin);
        QCOMPARE(response->header("vary"), QByteArray("Origin"));
        QVERIFY(!response->hasHeader("access-control-allow-credentials"));
        for (const auto &[name, value] : response->headers)
            QVERIFY2(value != "*", name.constData());
        verifySecurityHeaders(*response, false);

        if (!allowOrigin.isEmpty() && status != 204) {
            QCOMPARE(response->header("access-control-expose-headers"),
                     QByteArray("X-Request-Id, Retry-After"));
        }
        if (status == 204) {
            QCOMPARE(response->header("access-control-allow-methods"), allowMethods);
            QCOMPARE(response->header("access-control-allow-headers"),
                     QByteArray("Authorization, Content-Type, X-Request-Id"));
            QCOMPARE(response->header("access-control-max-age"), QByteArray("600"));
            QVERIFY(response->body.isEmpty());
        } else {
            QVERIFY(!response->hasHeader("access-control-allow-methods"));
        }
        if (status == 403)
            QVERIFY(isEnvelope(*response, u"cors_origin_not_allowed"_s));
        // a refused preflight never reaches a handler
        QCOMPARE(server->echoCalls.load(), 0);
    }

    void corsDisabledByDefault()
    {
        const auto server = TestServer::start(baseOptions());
        QVERIFY(server);
        RawClient client(server->port);
        client.send(get("/fast", "Origin: " + allowedOrigin + "\r\n"));
        std::optional<RawResponse> response = client.next();
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        QVERIFY(!response->hasHeader("access-control-allow-origin"));
        client.send(withHeaders("OPTIONS /echo HTTP/1.1",
                                "Origin: " + allowedOrigin +
                                    "\r\nAccess-Control-Request-Method: POST\r\n"));
        response = client.next();
        QVERIFY(response);
        QCOMPARE(response->status, 403);
        QVERIFY(isEnvelope(*response, u"cors_origin_not_allowed"_s));
        QVERIFY(!response->hasHeader("access-control-allow-origin"));
    }

    // ---- TLS -----------------------------------------------------------------------------

    void tlsServesHttpsWithHsts()
    {
        const auto server = startTls();
        QVERIFY(server);
        QNetworkRequest request(server->httpsUrl(u"/fast"_s));
        request.setSslConfiguration(clientTrustingOurCertificate());
        const Reply reply = send(request);
        QCOMPARE(reply.error, QNetworkReply::NoError);
        QCOMPARE(reply.status, 200);
        QCOMPARE(QJsonDocument::fromJson(reply.body).object().value(u"route"_s).toString(),
                 u"fast"_s);
        QCOMPARE(reply.header("Strict-Transport-Security"),
                 QByteArray("max-age=31536000; includeSubDomains"));
        QCOMPARE(reply.header("X-Frame-Options"), QByteArray("DENY"));
        QCOMPARE(reply.header("Cache-Control"), QByteArray("no-store"));

        // An error over TLS carries HSTS too, and the connection stays usable.
        RawClient client(server->port, clientTrustingOurCertificate());
        QVERIFY(client.isConnected());
        client.send(get("/nope"));
        std::optional<RawResponse> response = client.next();
        QVERIFY(response);
        QCOMPARE(response->status, 404);
        verifySecurityHeaders(*response, true);
        client.send(get("/items/special"));
        response = client.next();
        QVERIFY(response);
        QCOMPARE(response->status, 200);

        // The certificate is what makes it trusted: a client that does not trust it fails
        // (its own manager, so that no trusted connection is reused).
        QNetworkAccessManager untrusting;
        QNetworkReply *refused = untrusting.get(QNetworkRequest(server->httpsUrl(u"/fast"_s)));
        QVERIFY(QTest::qWaitFor([refused] { return refused->isFinished(); }, 10000));
        QCOMPARE(refused->error(), QNetworkReply::SslHandshakeFailedError);
        delete refused;
    }

    void tlsPortSpeaksNoPlainHttp()
    {
        const auto server = startTls();
        QVERIFY(server);
        RawClient plain(server->port);
        QVERIFY(plain.isConnected());
        plain.send(get("/fast"));
        QVERIFY(plain.waitClosed(5000));
        const QByteArray answer = plain.pendingBytes();
        QVERIFY2(!answer.contains("HTTP/1."), answer.constData());
        QCOMPARE(server->fastCalls.load(), 0);
        // and the server is unharmed
        RawClient secure(server->port, clientTrustingOurCertificate());
        secure.send(get("/fast"));
        const std::optional<RawResponse> response = secure.next();
        QVERIFY(response);
        QCOMPARE(response->status, 200);
    }

    void tlsKeepsTheConnectionGuards()
    {
        HttpServer::Options options = baseOptions();
        options.idleTimeout = std::chrono::seconds(2); // also bounds the handshake
        const auto server = startTls(options);
        QVERIFY(server);

        // Started first, checked last: slow headers (408), a connection idle after the
        // handshake, and one that never starts a handshake.
        RawClient slow(server->port, clientTrustingOurCertificate());
        QVERIFY(slow.isConnected());
        slow.send("GET /fast HTTP/1.1\r\nHost: t\r\n");
        RawClient idle(server->port, clientTrustingOurCertificate());
        QVERIFY(idle.isConnected());
        RawClient silent(server->port);
        QVERIFY(silent.isConnected());

        // oversize body: 413 before the body is sent, then the connection is closed
        RawClient client(server->port, clientTrustingOurCertificate());
        QVERIFY(client.isConnected());
        client.send("POST /small HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                    "Content-Length: 20000\r\n\r\n");
        std::optional<RawResponse> response = client.next();
        QVERIFY2(response, "no 413 over TLS");
        QCOMPARE(response->status, 413);
        QVERIFY(isEnvelope(*response, u"payload_too_large"_s));
        QCOMPARE(response->header("connection"), QByteArray("close"));
        verifySecurityHeaders(*response, true);
        client.send(QByteArray(20000, 'x'));
        QVERIFY(client.waitClosed());

        // the same through QNetworkAccessManager, which sends the body at once
        QNetworkRequest request(server->httpsUrl(u"/small"_s));
        request.setSslConfiguration(clientTrustingOurCertificate());
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        const Reply reply = send(request, "POST", QByteArray(12 * 1024, 'x'));
        QCOMPARE(reply.status, 413);

        // a huge head: 431
        RawClient big(server->port, clientTrustingOurCertificate());
        big.send(
            withHeaders("GET /fast HTTP/1.1", "X-Big: " + QByteArray(70 * 1024, 'a') + "\r\n"));
        response = big.next();
        QVERIFY(response);
        QCOMPARE(response->status, 431);

        response = slow.next(8000);
        QVERIFY(response);
        QCOMPARE(response->status, 408);
        verifySecurityHeaders(*response, true);
        QVERIFY(idle.waitClosed(8000));
        QVERIFY(silent.waitClosed(8000));
        QVERIFY(silent.pendingBytes().isEmpty());
        QCOMPARE(server->fastCalls.load(), 0);
    }

    void tlsCarriesTheEventsWebSocket()
    {
        const auto server = startTls();
        QVERIFY(server);
        QWebSocket socket;
        socket.setSslConfiguration(clientTrustingOurCertificate());
        QList<QJsonObject> messages;
        connect(&socket, &QWebSocket::textMessageReceived, this,
                [&messages](const QString &message) {
                    messages.append(QJsonDocument::fromJson(message.toUtf8()).object());
                });
        socket.open(QUrl(u"wss://127.0.0.1:%1/v1/events"_s.arg(server->port)));
        QTRY_COMPARE(socket.state(), QAbstractSocket::ConnectedState);
        socket.sendTextMessage(uR"({"type":"auth","token":"t"})"_s);
        QTRY_COMPARE(messages.size(), 1);
        QCOMPARE(messages.first().value(u"type"_s).toString(), u"ready"_s);

        QNetworkRequest publish(server->httpsUrl(u"/publish"_s));
        publish.setSslConfiguration(clientTrustingOurCertificate());
        publish.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        QCOMPARE(send(publish, "POST", R"({"id":"t-1"})").status, 201);
        QTRY_COMPARE(messages.size(), 2);
        QCOMPARE(messages.last().value(u"type"_s).toString(), u"ticket.created"_s);
        socket.close();
    }

    void tlsConfigurationErrors()
    {
        QString error;
        QVERIFY(md::server::loadTlsConfiguration(m_certificate, m_key, &error));

        const QString missing = m_dir.filePath(u"missing.pem"_s);
        QVERIFY(!md::server::loadTlsConfiguration(missing, m_key, &error));
        QVERIFY2(error.contains(u"cannot read the TLS certificate "_s + missing),
                 qPrintable(error));
        QVERIFY(!md::server::loadTlsConfiguration(m_certificate, missing, &error));
        QVERIFY2(error.contains(u"cannot read the TLS private key "_s + missing),
                 qPrintable(error));
        // swapped files
        QVERIFY(!md::server::loadTlsConfiguration(m_key, m_certificate, &error));
        QVERIFY2(error.contains(u"holds no PEM certificate"_s), qPrintable(error));
        // a key of another pair
        QVERIFY(!md::server::loadTlsConfiguration(m_certificate, m_otherKey, &error));
        QVERIFY2(error.contains(u"does not belong to the certificate"_s), qPrintable(error));

        // through applyProtection, as ServerApp::start calls it
        md::server::ServerConfig config;
        config.tlsCertificateFile = missing;
        config.tlsKeyFile = m_key;
        MD_TEST_DATABASE_FOR(db, Backend::Sqlite);
        HttpServer::Options options;
        error.clear();
        QVERIFY(!md::server::applyProtection(config, db->database(), md::domain::Clock::system(),
                                             options, &error));
        QVERIFY2(error.contains(missing), qPrintable(error));
        config.tlsCertificateFile = m_certificate;
        QVERIFY2(md::server::applyProtection(config, db->database(), md::domain::Clock::system(),
                                             options, &error),
                 qPrintable(error));
        QVERIFY(options.tls.has_value());
        QCOMPARE(options.tls->protocol(), QSsl::TlsV1_2OrLater);
        QVERIFY(options.admission); // the default rate limit
        config.rateLimitPerMinute = 0;
        QVERIFY(md::server::applyProtection(config, db->database(), md::domain::Clock::system(),
                                            options, &error));
        QVERIFY(!options.admission);
    }

    // ---- client address ------------------------------------------------------------------

    void clientAddressRules_data()
    {
        QTest::addColumn<QString>("trusted");
        QTest::addColumn<QString>("peer");
        QTest::addColumn<QByteArrayList>("forwardedFor");
        QTest::addColumn<QString>("client");

        const QString proxy = u"10.0.0.0/8"_s;
        QTest::newRow("no proxies: the peer")
            << QString() << u"10.0.0.1"_s << QByteArrayList{"203.0.113.9"} << u"10.0.0.1"_s;
        QTest::newRow("untrusted peer: XFF ignored")
            << proxy << u"198.51.100.2"_s << QByteArrayList{"203.0.113.9"} << u"198.51.100.2"_s;
        QTest::newRow("trusted peer, no XFF")
            << proxy << u"10.0.0.1"_s << QByteArrayList{} << u"10.0.0.1"_s;
        QTest::newRow("trusted peer: one hop")
            << proxy << u"10.0.0.1"_s << QByteArrayList{"203.0.113.9"} << u"203.0.113.9"_s;
        QTest::newRow("spoofed left part ignored")
            << proxy << u"10.0.0.1"_s << QByteArrayList{"1.2.3.4, 203.0.113.9"} << u"203.0.113.9"_s;
        QTest::newRow("trusted hops skipped")
            << proxy << u"10.0.0.1"_s << QByteArrayList{"1.2.3.4, 203.0.113.9, 10.1.1.1, 10.2.2.2"}
            << u"203.0.113.9"_s;
        QTest::newRow("several headers in order")
            << proxy << u"10.0.0.1"_s << QByteArrayList{"1.2.3.4", "203.0.113.9,10.9.9.9"}
            << u"203.0.113.9"_s;
        QTest::newRow("all hops trusted: the leftmost")
            << proxy << u"10.0.0.1"_s << QByteArrayList{"10.3.3.3, 10.2.2.2"} << u"10.3.3.3"_s;
        QTest::newRow("IPv6 hop") << proxy << u"10.0.0.1"_s << QByteArrayList{"2001:db8::7"}
                                  << u"2001:db8::7"_s;
        QTest::newRow("ports are tolerated")
            << proxy << u"10.0.0.1"_s << QByteArrayList{"[2001:db8::7]:4711, 203.0.113.9:80"}
            << u"203.0.113.9"_s;
        QTest::newRow("malformed: the peer")
            << proxy << u"10.0.0.1"_s << QByteArrayList{"203.0.113.9, evil"} << u"10.0.0.1"_s;
        QTest::newRow("unknown: the peer")
            << proxy << u"10.0.0.1"_s << QByteArrayList{"unknown"} << u"10.0.0.1"_s;
        QTest::newRow("empty element: the peer")
            << proxy << u"10.0.0.1"_s << QByteArrayList{"203.0.113.9,,1.2.3.4"} << u"10.0.0.1"_s;
        QTest::newRow("hostname: the peer")
            << proxy << u"10.0.0.1"_s << QByteArrayList{"example.org"} << u"10.0.0.1"_s;
        QTest::newRow("IPv4-mapped peer counts as IPv4")
            << proxy << u"::ffff:10.0.0.1"_s << QByteArrayList{"203.0.113.9"} << u"203.0.113.9"_s;
        QTest::newRow("IPv4-mapped hop counts as IPv4")
            << proxy << u"10.0.0.1"_s << QByteArrayList{"::ffff:203.0.113.9"} << u"203.0.113.9"_s;
    }

    void clientAddressRules()
    {
        QFETCH(QString, trusted);
        QFETCH(QString, peer);
        QFETCH(QByteArrayList, forwardedFor);
        QFETCH(QString, client);
        md::server::TrustedProxies proxies;
        if (!trusted.isEmpty())
            proxies.append(QHostAddress::parseSubnet(trusted));
        QCOMPARE(md::server::clientAddress(QHostAddress(peer), forwardedFor, proxies),
                 QHostAddress(client));
    }

    void rateLimitKeys()
    {
        QCOMPARE(md::server::rateLimitKey(QHostAddress(u"203.0.113.9"_s)), u"ip:203.0.113.9"_s);
        QCOMPARE(md::server::rateLimitKey(QHostAddress(u"::ffff:203.0.113.9"_s)),
                 u"ip:203.0.113.9"_s);
        // one subscriber's /64 is one client
        QCOMPARE(md::server::rateLimitKey(QHostAddress(u"2001:db8:1:2:aaaa::1"_s)),
                 md::server::rateLimitKey(QHostAddress(u"2001:db8:1:2:bbbb::2"_s)));
        QVERIFY(md::server::rateLimitKey(QHostAddress(u"2001:db8:1:2::1"_s)) !=
                md::server::rateLimitKey(QHostAddress(u"2001:db8:1:3::1"_s)));
    }

    void forwardedForOnlyFromTrustedPeers()
    {
        // the access log names the client, and the proxy it came through
        std::ostringstream log;
        const auto previous = spdlog::default_logger();
        auto capture = std::make_shared<spdlog::logger>(
            "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(log));
        capture->set_level(spdlog::level::info);
        spdlog::set_default_logger(capture);
        const auto restore = qScopeGuard([&previous] { spdlog::set_default_logger(previous); });

        HttpServer::Options options = baseOptions();
        options.trustedProxies = loopbackProxy();
        const auto trusting = TestServer::start(options);
        QVERIFY(trusting);
        RawClient client(trusting->port);
        client.send(get("/whoami", "X-Forwarded-For: 1.2.3.4, 203.0.113.9\r\n"
                                   "User-Agent: MedDispatch-Desktop/1.0\r\n"));
        std::optional<RawResponse> response = client.next();
        QVERIFY(response);
        QCOMPARE(response->json().value(u"client_ip"_s).toString(), u"203.0.113.9"_s);
        QCOMPARE(response->json().value(u"user_agent"_s).toString(), u"MedDispatch-Desktop/1.0"_s);
        QVERIFY2(log.str().find("GET /whoami 200") != std::string::npos, log.str().c_str());
        QVERIFY2(log.str().find("client=203.0.113.9 via=127.0.0.1") != std::string::npos,
                 log.str().c_str());

        // a client's own header followed by the one its proxy added
        client.send(get("/whoami", "X-Forwarded-For: 1.2.3.4\r\n"
                                   "X-Forwarded-For: 203.0.113.11\r\n"));
        response = client.next();
        QVERIFY(response);
        QCOMPARE(response->json().value(u"client_ip"_s).toString(), u"203.0.113.11"_s);

        client.send(get("/whoami", "X-Forwarded-For: not-an-address\r\n"));
        response = client.next();
        QVERIFY(response);
        QCOMPARE(response->json().value(u"client_ip"_s).toString(), u"127.0.0.1"_s);

        client.send(get("/whoami"));
        response = client.next();
        QVERIFY(response);
        QCOMPARE(response->json().value(u"client_ip"_s).toString(), u"127.0.0.1"_s);

        // the guard's own answers log the client as well
        client.send(withHeaders("POST /small HTTP/1.1",
                                "X-Forwarded-For: 203.0.113.10\r\nContent-Type: "
                                "application/json\r\nContent-Length: 20000\r\n"));
        response = client.next();
        QVERIFY(response);
        QCOMPARE(response->status, 413);
        QVERIFY2(log.str().find("413 0.0ms") != std::string::npos, log.str().c_str());
        QVERIFY2(log.str().find("client=203.0.113.10 via=127.0.0.1") != std::string::npos,
                 log.str().c_str());

        // a server that does not trust the peer ignores the header
        options.trustedProxies = {QHostAddress::parseSubnet(u"10.0.0.0/8"_s)};
        const auto distrusting = TestServer::start(options);
        QVERIFY(distrusting);
        RawClient direct(distrusting->port);
        direct.send(get("/whoami", "X-Forwarded-For: 203.0.113.9\r\n"));
        response = direct.next();
        QVERIFY(response);
        QCOMPARE(response->json().value(u"client_ip"_s).toString(), u"127.0.0.1"_s);

        // a dual-stack listener sees ::ffff:127.0.0.1, which is still the trusted 127.0.0.1
        options.trustedProxies = loopbackProxy();
        const auto dualStack = TestServer::start(options, {}, QHostAddress(QHostAddress::Any));
        QVERIFY(dualStack);
        RawClient mapped(dualStack->port);
        mapped.send(get("/whoami", "X-Forwarded-For: 203.0.113.9\r\n"));
        response = mapped.next();
        QVERIFY(response);
        QCOMPARE(response->json().value(u"client_ip"_s).toString(), u"203.0.113.9"_s);
    }

    // ---- rate limit ----------------------------------------------------------------------

    void rateLimitBatchesAndWindows_data() { backendRows(); }

    void rateLimitBatchesAndWindows()
    {
        QFETCH(Backend, backend);
        MD_TEST_DATABASE_FOR(db, backend);
        md::domain::FixedClock clock(at(8, 0, 20));
        const QString key = u"ip:203.0.113.9"_s;

        RateLimiter::Options options;
        options.limit = 100;
        RateLimiter limiter(db->database(), clock, options);
        QCOMPARE(limiter.flushHits(), 10);
        QCOMPARE(limiter.admittedBound(2), 118);

        // the first hit of a window is written at once, then every 10th (the clock
        // stands still, so the 250 ms interval never passes)
        QVERIFY(limiter.hit(key).allowed);
        QCOMPARE(sharedCount(db->database(), clock, key), 1);
        for (int i = 2; i <= 10; ++i)
            QVERIFY(limiter.hit(key).allowed);
        QCOMPARE(sharedCount(db->database(), clock, key), 1);
        QVERIFY(limiter.hit(key).allowed); // the 11th flushes 10
        QCOMPARE(sharedCount(db->database(), clock, key), 11);
        // the interval: after 250 ms the next hit is written
        clock.set(clock.now().addMSecs(300));
        QVERIFY(limiter.hit(key).allowed);
        QCOMPARE(sharedCount(db->database(), clock, key), 12);

        for (int i = 13; i <= 100; ++i)
            QVERIFY2(limiter.hit(key).allowed, qPrintable(QString::number(i)));
        const RateLimiter::Decision refused = limiter.hit(key);
        QVERIFY(!refused.allowed);
        QCOMPARE(refused.retryAfterSeconds, 40);            // 08:00:20.3 -> 08:01:00
        QVERIFY(limiter.hit(u"ip:198.51.100.1"_s).allowed); // another client

        // the next window starts from zero
        clock.set(at(8, 1, 0));
        QVERIFY(limiter.hit(key).allowed);
        QCOMPARE(sharedCount(db->database(), clock, key), 1);

        // old windows are purged (the previous one is kept)
        const qint64 firstWindow = at(8, 0, 0).toMSecsSinceEpoch();
        clock.set(at(8, 3, 30));
        QVERIFY(limiter.hit(key).allowed);
        md::storage::Repositories repositories(db->database());
        QCOMPARE(repositories.rateLimits().add(key, firstWindow, 0), 0);
    }

    void rateLimitSharedByInstances_data() { backendRows(); }

    void rateLimitSharedByInstances()
    {
        // Two limiters on one database, hits alternating: together they stay within the
        // documented bound, and both end up refusing.
        QFETCH(Backend, backend);
        MD_TEST_DATABASE_FOR(db, backend);
        md::domain::FixedClock clock(at(9, 0, 5));
        RateLimiter::Options options;
        options.limit = 30; // flushes every 3rd hit
        RateLimiter first(db->database(), clock, options);
        RateLimiter second(db->database(), clock, options);
        const QString key = u"ip:203.0.113.9"_s;
        int admitted = 0;
        for (int i = 0; i < 100; ++i) {
            if (first.hit(key).allowed)
                ++admitted;
            if (second.hit(key).allowed)
                ++admitted;
        }
        QVERIFY2(admitted >= options.limit, qPrintable(QString::number(admitted)));
        QVERIFY2(admitted <= first.admittedBound(2), qPrintable(QString::number(admitted)));
        QVERIFY(!first.hit(key).allowed);
        QVERIFY(!second.hit(key).allowed);
    }

    void rateLimitOverHttp_data() { backendRows(); }

    void rateLimitOverHttp()
    {
        QFETCH(Backend, backend);
        MD_TEST_DATABASE_FOR(db, backend);
        const WindowStartClock clock;
        md::server::ServerConfig config; // the default: 100 per minute
        config.trustedProxies = loopbackProxy();
        HttpServer::Options options = baseOptions();
        QString error;
        QVERIFY2(md::server::applyProtection(config, db->database(), clock, options, &error),
                 qPrintable(error));
        const auto server = TestServer::start(options, db->location());
        QVERIFY(server);

        const QByteArray client = "X-Forwarded-For: 198.51.100.7\r\n";
        RawClient connection(server->port);
        for (int i = 1; i <= 100; ++i) {
            // public and private routes count alike; 401s count too
            connection.send(get(i % 2 ? "/fast" : "/private", client));
            const std::optional<RawResponse> response = connection.next();
            QVERIFY(response);
            QVERIFY2(response->status == (i % 2 ? 200 : 401), qPrintable(QString::number(i)));
        }
        const int beforeCalls = server->beforeCalls.load();

        connection.send(get("/private", client)); // the 101st
        std::optional<RawResponse> response = connection.next();
        QVERIFY(response);
        QCOMPARE(response->status, 429);
        QVERIFY(isEnvelope(*response, u"rate_limited"_s));
        const QJsonObject details =
            response->json().value(u"error"_s).toObject().value(u"details"_s).toObject();
        const int retryAfter = response->header("retry-after").toInt();
        QVERIFY2(retryAfter >= 1 && retryAfter <= 60, response->header("retry-after").constData());
        QCOMPARE(details.value(u"retry_after_seconds"_s).toInt(), retryAfter);
        QCOMPARE(details.value(u"limit"_s).toInt(), 100);
        verifySecurityHeaders(*response, false);
        QCOMPARE(server->beforeCalls.load(), beforeCalls); // refused before authentication
        connection.send(get("/fast", client));
        response = connection.next();
        QVERIFY(response);
        QCOMPARE(response->status, 429);

        // inline server-thread routes are exempt
        connection.send(get("/healthz", client));
        response = connection.next();
        QVERIFY(response);
        QCOMPARE(response->status, 200);

        // another client behind the same proxy is unaffected, and so is the proxy itself
        connection.send(get("/fast", "X-Forwarded-For: 198.51.100.8\r\n"));
        response = connection.next();
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        connection.send(get("/fast"));
        response = connection.next();
        QVERIFY(response);
        QCOMPARE(response->status, 200);

        // The count lives in the database. Refused requests are not counted, but once the
        // flush interval has passed a refusal shares the hits this server still held.
        QTest::qWait(300);
        connection.send(get("/fast", client));
        response = connection.next();
        QVERIFY(response);
        QCOMPARE(response->status, 429);
        QCOMPARE(sharedCount(db->database(), clock, u"ip:198.51.100.7"_s), 100);
    }

    void rateLimitSharedByTwoServers_data() { backendRows(); }

    void rateLimitSharedByTwoServers()
    {
        QFETCH(Backend, backend);
        MD_TEST_DATABASE_FOR(db, backend);
        const WindowStartClock clock;
        md::server::ServerConfig config;
        config.rateLimitPerMinute = 30;
        config.trustedProxies = loopbackProxy();

        // two instances, each with its own limiter, on one database
        std::unique_ptr<TestServer> servers[2];
        for (auto &server : servers) {
            HttpServer::Options options = baseOptions();
            options.workerThreads = 3;
            QString error;
            QVERIFY2(md::server::applyProtection(config, db->database(), clock, options, &error),
                     qPrintable(error));
            server = TestServer::start(options, db->location());
            QVERIFY(server);
        }

        // 4 connections, 2 per server, each pipelining 20 requests of the same client
        std::vector<std::unique_ptr<RawClient>> clients;
        for (int i = 0; i < 4; ++i)
            clients.push_back(std::make_unique<RawClient>(servers[i % 2]->port));
        const QByteArray request = get("/fast", "X-Forwarded-For: 203.0.113.50\r\n");
        for (auto &client : clients)
            client->send(request.repeated(20));
        int successes[2] = {0, 0};
        for (int i = 0; i < 4; ++i) {
            for (int n = 0; n < 20; ++n) {
                const std::optional<RawResponse> response = clients[i]->next(10000);
                QVERIFY(response);
                if (response->status == 200) {
                    ++successes[i % 2];
                } else {
                    QCOMPARE(response->status, 429);
                    QVERIFY(response->hasHeader("retry-after"));
                }
            }
        }
        const int total = successes[0] + successes[1];
        // flushHits is 3 at a limit of 30: at most 2 more per instance
        const qint64 bound = config.rateLimitPerMinute + 2 * (3 - 1);
        qInfo("admitted %d + %d of 80 (limit 30, bound %lld)", successes[0], successes[1], bound);
        QVERIFY2(total >= config.rateLimitPerMinute, qPrintable(QString::number(total)));
        QVERIFY2(total <= bound, qPrintable(QString::number(total)));
    }

private:
    static void backendRows()
    {
        QTest::addColumn<Backend>("backend");
        QTest::newRow("sqlite") << Backend::Sqlite;
        QTest::newRow("postgres") << Backend::Postgres;
    }
};

QTEST_GUILESS_MAIN(TstHttpProtection)
#include "tst_http_protection.moc"
