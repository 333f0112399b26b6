// The embedded default: LocalServer runs the real meddispatch-server on a free loopback
// port over a data directory, the first administrator is created before it starts and
// can sign in, stop() ends the process, and a start that fails says why.

#include "apiclient.h"
#include "localserver.h"
#include "session.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace md;

class TestClientLocalServer final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void findsTheServerBinary();
    void createsAdministratorStartsAndStops();
    void weakPasswordIsRefused();
    void failedStartExplainsWhy();

private:
    client::LocalServer::Options options(const QTemporaryDir &dir) const;
};

namespace {

QString createAdmin(client::LocalServer &server, const QString &email, const QString &password)
{
    bool done = false;
    QString error;
    QObject context;
    server.createAdministrator(email, u"Local Administrator"_s, password, &context,
                               [&](const QString &e) {
                                   error = e;
                                   done = true;
                               });
    if (!QTest::qWaitFor([&] { return done; }, 30000))
        return u"no answer within 30 s"_s;
    return error;
}

} // namespace

client::LocalServer::Options TestClientLocalServer::options(const QTemporaryDir &dir) const
{
    client::LocalServer::Options options;
    options.serverBinary = QStringLiteral(MEDDISPATCH_SERVER_BINARY);
    options.dataDirectory = dir.path() + u"/server"_s;
    options.startTimeoutMs = 30000;
    return options;
}

void TestClientLocalServer::findsTheServerBinary()
{
    qputenv("MEDDISPATCH_SERVER_BINARY", MEDDISPATCH_SERVER_BINARY);
    QCOMPARE(client::LocalServer::findServerBinary(), QStringLiteral(MEDDISPATCH_SERVER_BINARY));
    qunsetenv("MEDDISPATCH_SERVER_BINARY");
}

void TestClientLocalServer::createsAdministratorStartsAndStops()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    client::LocalServer server(options(dir));
    const QString email = u"first-admin@local.example"_s;
    const QString password = u"Embedded-Passphrase-2026"_s;
    const QString error = createAdmin(server, email, password);
    QVERIFY2(error.isEmpty(), qPrintable(error));

    QSignalSpy started(&server, &client::LocalServer::started);
    QSignalSpy failed(&server, &client::LocalServer::failed);
    server.start(); // returns at once
    QVERIFY(started.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(!started.isEmpty() || !failed.isEmpty(), 30000);
    QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
    const QUrl url = started.at(0).at(0).toUrl();
    QCOMPARE(url, server.url());
    QCOMPARE(url.host(), u"127.0.0.1"_s);
    QVERIFY(server.isRunning());
    QVERIFY(QFile::exists(server.dataDirectory() + u"/meddispatch.sqlite"_s));

    client::ApiClient api;
    api.setBaseUrl(url);
    bool healthy = false;
    QObject context;
    api.getAnonymous(u"/healthz"_s, &context,
                     [&](const client::ApiResult &r) { healthy = r.ok() && r.status == 200; });
    QTRY_VERIFY_WITH_TIMEOUT(healthy, 15000);

    // The administrator created before the start signs in.
    bool answered = false;
    client::ApiResult login;
    api.postAnonymous(u"/v1/auth/login"_s,
                      QJsonObject{{u"identifier"_s, email}, {u"password"_s, password}}, &context,
                      [&](const client::ApiResult &r) {
                          login = r;
                          answered = true;
                      });
    QTRY_VERIFY_WITH_TIMEOUT(answered, 15000);
    QVERIFY2(login.ok(), qPrintable(login.error.userMessage()));
    QCOMPARE(login.json.value(u"user"_s).toObject().value(u"role"_s).toString(), u"super_admin"_s);

    QSignalSpy crashed(&server, &client::LocalServer::crashed);
    server.stop();
    QTRY_VERIFY_WITH_TIMEOUT(!server.isRunning(), 10000);
    QVERIFY(crashed.isEmpty()); // a requested stop is not a crash
    answered = false;
    client::ApiResult afterStop;
    api.getAnonymous(u"/healthz"_s, &context, [&](const client::ApiResult &r) {
        afterStop = r;
        answered = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(answered, 15000);
    QVERIFY(afterStop.error.isOffline());
}

void TestClientLocalServer::weakPasswordIsRefused()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    client::LocalServer server(options(dir));
    const QString error = createAdmin(server, u"weak@local.example"_s, u"short"_s);
    QVERIFY(!error.isEmpty());
    QVERIFY2(!error.contains(u"exit code"_s), qPrintable(error)); // the server's own words
}

void TestClientLocalServer::failedStartExplainsWhy()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto opts = options(dir);
    // A database path inside a file: the server cannot open it.
    QFile blocker(dir.path() + u"/not-a-directory"_s);
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    opts.extraArguments = {u"--database"_s, blocker.fileName() + u"/meddispatch.sqlite"_s};
    client::LocalServer server(opts);
    QSignalSpy started(&server, &client::LocalServer::started);
    QSignalSpy failed(&server, &client::LocalServer::failed);
    server.start();
    QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 30000);
    QVERIFY(started.isEmpty());
    const QString explanation = failed.at(0).at(0).toString();
    QVERIFY2(explanation.startsWith(u"The MedDispatch server on this computer could not start"_s),
             qPrintable(explanation));
    // The server's own last words are included for the administrator.
    QVERIFY2(explanation.contains(u"not-a-directory/meddispatch.sqlite"_s),
             qPrintable(explanation));
    QVERIFY(!server.isRunning());
}

QTEST_MAIN(TestClientLocalServer)
#include "tst_client_localserver.moc"
