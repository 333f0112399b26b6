// The desktop's API client against a real server: the server's error envelope becomes
// an ApiError with plain sentences (field errors, not found, rate limit and lockout with
// the wait), a closed view never gets its answer, and an unreachable server is reported
// as offline and noticed again by the ConnectionMonitor once it is back.

#include "guitestsupport.h"

#include <QHostAddress>
#include <QProcess>
#include <QSignalSpy>
#include <QSslConfiguration>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;
using namespace md;

class TestClientApi final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void validationFieldErrors();
    void notFoundEnvelope();
    void rateLimitSaysTheWait();
    void lockoutSaysTheWait();
    void describeWaitReadsNaturally_data();
    void describeWaitReadsNaturally();
    void noCallbackAfterContextDeleted();
    void unreachableServerIsOffline();
    void monitorNoticesTheServerComingBack();
    void untrustedCertificateIsRefused();

private:
    /// Runs one call and waits for its answer.
    client::ApiResult wait(const std::function<void(QObject *, client::ApiCallback)> &call);

    std::unique_ptr<test::GuiFixture> m_fixture;
};

namespace {

/// A loopback port nobody listens on (taken and released again).
quint16 closedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

} // namespace

client::ApiResult
TestClientApi::wait(const std::function<void(QObject *, client::ApiCallback)> &call)
{
    QObject context;
    bool done = false;
    client::ApiResult result;
    call(&context, [&](const client::ApiResult &r) {
        result = r;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 15000))
        qWarning("no answer within 15 s");
    return result;
}

void TestClientApi::initTestCase()
{
    m_fixture = std::make_unique<test::GuiFixture>(false);
    QVERIFY2(m_fixture->isRunning(), qPrintable(m_fixture->error()));
    QVERIFY(m_fixture->signIn(domain::Role::Admin));
}

void TestClientApi::cleanupTestCase()
{
    m_fixture.reset();
}

void TestClientApi::validationFieldErrors()
{
    auto &api = m_fixture->api();
    const auto result = wait([&](QObject *context, client::ApiCallback done) {
        api.post(u"/v1/tickets"_s,
                 QJsonObject{{u"equipment_id"_s, u"not-an-id"_s}, {u"priority"_s, u"urgent"_s}},
                 context, done);
    });
    QVERIFY(!result.ok());
    QCOMPARE(result.error.kind, client::ApiError::Kind::Http);
    QCOMPARE(result.error.status, 422);
    QCOMPARE(result.error.code, u"validation_failed"_s);
    // What the form shows beside each field.
    QVERIFY2(!result.error.fieldError(u"priority"_s).isEmpty(),
             qPrintable(QString::fromUtf8(result.body)));
    QVERIFY(!result.error.fieldError(u"title"_s).isEmpty());
    QVERIFY(!result.error.fieldError(u"equipment_id"_s).isEmpty());
    QVERIFY(result.error.fieldError(u"description"_s).isEmpty());
    QCOMPARE(result.error.userMessage(), result.error.message);
    QVERIFY(!result.error.userMessage().isEmpty());
    QVERIFY(!result.error.isOffline());
}

void TestClientApi::notFoundEnvelope()
{
    auto &api = m_fixture->api();
    const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const auto result = wait([&](QObject *context, client::ApiCallback done) {
        api.get(u"/v1/tickets/"_s + id, {}, context, done);
    });
    QCOMPARE(result.error.kind, client::ApiError::Kind::Http);
    QCOMPARE(result.error.status, 404);
    QCOMPARE(result.error.code, u"not_found"_s);
    QVERIFY(!result.error.message.isEmpty());
    QCOMPARE(result.error.userMessage(), result.error.message);

    // An authenticated call that works, for contrast: the token went along.
    const auto me = wait([&](QObject *context, client::ApiCallback done) {
        api.get(u"/v1/auth/me"_s, {}, context, done);
    });
    QVERIFY2(me.ok(), qPrintable(me.error.userMessage()));
    QCOMPARE(me.json.value(u"id"_s).toString(), m_fixture->session().user().id);
}

void TestClientApi::rateLimitSaysTheWait()
{
    auto &api = m_fixture->api();
    const QJsonObject send{{u"identifier"_s, u"rate-limit@test.example"_s},
                           {u"channel"_s, u"email"_s},
                           {u"purpose"_s, u"login"_s}};
    const auto first = wait([&](QObject *context, client::ApiCallback done) {
        api.postAnonymous(u"/v1/auth/otp/send"_s, send, context, done);
    });
    QVERIFY2(first.ok(), qPrintable(first.error.userMessage()));
    QCOMPARE(first.status, 202);

    const auto second = wait([&](QObject *context, client::ApiCallback done) {
        api.postAnonymous(u"/v1/auth/otp/send"_s, send, context, done);
    });
    QCOMPARE(second.error.status, 429);
    QVERIFY(second.error.retryAfterSeconds > 0);
    QVERIFY(second.error.retryAfterSeconds <= 60);
    const QString message = second.error.userMessage();
    QVERIFY2(message.startsWith(u"Too many attempts. Try again in "_s), qPrintable(message));
    QVERIFY2(message.contains(client::describeWait(second.error.retryAfterSeconds)),
             qPrintable(message));
}

void TestClientApi::lockoutSaysTheWait()
{
    auto &api = m_fixture->api();
    const domain::User user = m_fixture->server().createUser(
        domain::Role::Customer, {}, u"lockout@test.example"_s, u"Right-Passphrase-77"_s);
    client::ApiResult last;
    for (int attempt = 0; attempt < 8 && last.error.status != 423; ++attempt) {
        last = wait([&](QObject *context, client::ApiCallback done) {
            api.postAnonymous(u"/v1/auth/login"_s,
                              QJsonObject{{u"identifier"_s, user.email},
                                          {u"password"_s, u"Wrong-Passphrase-77"_s}},
                              context, done);
        });
        QVERIFY2(last.error.status == 401 || last.error.status == 423,
                 qPrintable(QString::fromUtf8(last.body)));
    }
    QCOMPARE(last.error.status, 423);
    QVERIFY(last.error.retryAfterSeconds > 25 * 60);
    QCOMPARE(last.error.userMessage(),
             u"This account is locked after too many failed attempts. Try again in 30 minutes."_s);
}

void TestClientApi::describeWaitReadsNaturally_data()
{
    QTest::addColumn<int>("seconds");
    QTest::addColumn<QString>("text");
    QTest::newRow("one second") << 1 << u"1 second"_s;
    QTest::newRow("seconds") << 30 << u"30 seconds"_s;
    QTest::newRow("one minute") << 60 << u"1 minute"_s;
    QTest::newRow("rounded up") << 181 << u"4 minutes"_s;
    QTest::newRow("hour") << 3600 << u"1 hour"_s;
    QTest::newRow("hour and minutes") << 3900 << u"1 hour 5 minutes"_s;
    QTest::newRow("hours") << 7200 << u"2 hours"_s;
}

void TestClientApi::describeWaitReadsNaturally()
{
    QFETCH(int, seconds);
    QFETCH(QString, text);
    QCOMPARE(client::describeWait(seconds), text);

    client::ApiError busy;
    busy.kind = client::ApiError::Kind::Http;
    busy.status = 503;
    busy.retryAfterSeconds = seconds;
    QCOMPARE(busy.userMessage(), u"The server is busy. Try again in %1."_s.arg(text));
}

void TestClientApi::noCallbackAfterContextDeleted()
{
    auto &api = m_fixture->api();
    int closedCalls = 0;
    bool liveDone = false;
    auto *closedView = new QObject;
    QObject liveView;
    api.get(u"/v1/auth/me"_s, {}, closedView, [&](const client::ApiResult &) { ++closedCalls; });
    api.get(u"/v1/auth/me"_s, {}, &liveView, [&](const client::ApiResult &) { liveDone = true; });
    delete closedView; // the view closed before the answer came
    QTRY_VERIFY_WITH_TIMEOUT(liveDone, 15000);
    QTest::qWait(200); // the other answer arrived at about the same time
    QCOMPARE(closedCalls, 0);
}

void TestClientApi::unreachableServerIsOffline()
{
    const quint16 port = closedPort();
    QVERIFY(port != 0);
    client::ApiClient api;
    api.setBaseUrl(QUrl(u"http://127.0.0.1:%1"_s.arg(port)));
    QSignalSpy reachability(&api, &client::ApiClient::reachabilityChanged);
    QVERIFY(api.isReachable());

    const auto result = wait([&](QObject *context, client::ApiCallback done) {
        api.postAnonymous(
            u"/v1/auth/login"_s,
            QJsonObject{{u"identifier"_s, u"x@test.example"_s}, {u"password"_s, u"y"_s}}, context,
            done);
    });
    QCOMPARE(result.error.kind, client::ApiError::Kind::Unreachable);
    QVERIFY(result.error.isOffline());
    QCOMPARE(result.status, 0);
    QCOMPARE(result.error.userMessage(),
             u"The server cannot be reached. Check the connection; MedDispatch keeps retrying."_s);
    QCOMPARE(reachability.size(), 1);
    QCOMPARE(reachability.at(0).at(0).toBool(), false);
    QVERIFY(!api.isReachable());

    // A second failure does not repeat the signal: the banner is already up.
    wait([&](QObject *context, client::ApiCallback done) {
        api.getAnonymous(u"/healthz"_s, context, done);
    });
    QCOMPARE(reachability.size(), 1);
}

void TestClientApi::monitorNoticesTheServerComingBack()
{
    const quint16 port = closedPort();
    QVERIFY(port != 0);
    client::ApiClient api;
    api.setBaseUrl(QUrl(u"http://127.0.0.1:%1"_s.arg(port)));
    client::ConnectionMonitor monitor(&api);
    QSignalSpy online(&monitor, &client::ConnectionMonitor::onlineChanged);
    QSignalSpy countdown(&monitor, &client::ConnectionMonitor::retryCountdown);
    QVERIFY(monitor.isOnline());

    const auto result = wait([&](QObject *context, client::ApiCallback done) {
        api.getAnonymous(u"/healthz"_s, context, done);
    });
    QVERIFY(result.error.isOffline());
    QCOMPARE(online.size(), 1);
    QCOMPARE(online.at(0).at(0).toBool(), false);
    QVERIFY(!monitor.isOnline());
    QVERIFY(monitor.secondsUntilRetry() >= 1);
    QVERIFY(!countdown.isEmpty());

    // Probes keep failing while nothing listens: still offline after a few of them.
    QTest::qWait(3500);
    QVERIFY(!monitor.isOnline());
    QCOMPARE(online.size(), 1);

    // The server comes (back) up on that port.
    test::TestServer server(u"sqlite"_s, false,
                            [port](server::ServerConfig &config) { config.listenPort = port; });
    QVERIFY2(server.isRunning(), qPrintable(server.error()));
    monitor.retryNow();
    QTRY_VERIFY_WITH_TIMEOUT(monitor.isOnline(), 15000);
    QCOMPARE(online.size(), 2);
    QCOMPARE(online.at(1).at(0).toBool(), true);
    QVERIFY(api.isReachable());
    QCOMPARE(monitor.secondsUntilRetry(), 0);
}

void TestClientApi::untrustedCertificateIsRefused()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString certificate = dir.filePath(u"cert.pem"_s);
    const QString key = dir.filePath(u"key.pem"_s);
    QProcess openssl;
    openssl.start(u"openssl"_s,
                  {u"req"_s, u"-x509"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s, u"-keyout"_s,
                   key, u"-out"_s, certificate, u"-days"_s, u"2"_s, u"-subj"_s, u"/CN=127.0.0.1"_s,
                   u"-addext"_s, u"subjectAltName=IP:127.0.0.1"_s});
    if (!openssl.waitForStarted(5000))
        QSKIP("openssl is not installed: no throwaway certificate");
    QVERIFY(openssl.waitForFinished(30000));
    QCOMPARE(openssl.exitCode(), 0);

    // A server whose self-signed certificate this computer does not trust.
    test::TestServer server(u"sqlite"_s, false, [&](server::ServerConfig &config) {
        config.tlsCertificateFile = certificate;
        config.tlsKeyFile = key;
    });
    QVERIFY2(server.isRunning(), qPrintable(server.error()));
    QUrl url = server.url();
    url.setScheme(u"https"_s);

    client::ApiClient api;
    api.setBaseUrl(url);
    QSignalSpy refused(&api, &client::ApiClient::tlsRefused);
    QSignalSpy reachability(&api, &client::ApiClient::reachabilityChanged);
    const auto result = wait([&](QObject *context, client::ApiCallback done) {
        api.getAnonymous(u"/healthz"_s, context, done);
    });
    QCOMPARE(result.error.kind, client::ApiError::Kind::Tls);
    QVERIFY(!result.error.isOffline()); // not retried like an outage
    const QString explanation = result.error.userMessage();
    QVERIFY2(explanation.startsWith(u"The server's certificate is not trusted by this computer"_s),
             qPrintable(explanation));
    QCOMPARE(refused.size(), 1);
    QCOMPARE(refused.at(0).at(0).toString(), explanation);
    QVERIFY(reachability.isEmpty());

    // Once the computer trusts the certificate, the same client connects: the refusal
    // was about trust, not a broken connection.
    const QSslConfiguration original = QSslConfiguration::defaultConfiguration();
    QSslConfiguration trusting = original;
    trusting.addCaCertificates(certificate);
    QSslConfiguration::setDefaultConfiguration(trusting);
    api.network()->clearConnectionCache();
    const auto trusted = wait([&](QObject *context, client::ApiCallback done) {
        api.getAnonymous(u"/healthz"_s, context, done);
    });
    QSslConfiguration::setDefaultConfiguration(original);
    QVERIFY2(trusted.ok(), qPrintable(trusted.error.message));
    QCOMPARE(trusted.status, 200);
}

QTEST_MAIN(TestClientApi)
#include "tst_client_api.moc"
