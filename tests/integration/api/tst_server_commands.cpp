// The commands of meddispatch-server, run as the real binary: create-admin bootstraps
// the first super_admin on a fresh install (password on standard input), and
// verify-audit names the first tampered entry of the audit log.

#include "apitestsupport.h"

#include "storage/database.h"

#include <QProcess>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using md::test::HttpReply;
using md::test::TestServer;

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run runServer(const QStringList &arguments, const QByteArray &input = {})
{
    QProcess process;
    process.start(QStringLiteral(MEDDISPATCH_SERVER_BINARY), arguments);
    if (!process.waitForStarted(10000))
        return {};
    process.write(input);
    process.closeWriteChannel();
    process.waitForFinished(60000);
    return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}

} // namespace

class TestServerCommands final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("sqlite") << u"sqlite"_s;
        QTest::newRow("postgres") << u"postgres"_s;
    }

    void createAdminOnAFreshInstall()
    {
        QFETCH_GLOBAL(QString, backend);
        if (backend != u"sqlite"_s)
            QSKIP("a fresh install is the embedded default; the PostgreSQL row runs below");
        QTemporaryDir dir;
        const QStringList common{u"--data-dir"_s, dir.path()};
        const QString password = u"a long and sturdy admin passphrase"_s;

        const Run weak =
            runServer(QStringList{u"create-admin"_s, u"--email"_s, u"ops@hospital.example"_s,
                                  u"--name"_s, u"Olu Ops"_s} +
                          common,
                      "password1\n");
        QCOMPARE(weak.exitCode, 2);
        QVERIFY2(weak.err.contains(u"common"_s) || weak.err.contains(u"at least"_s),
                 qPrintable(weak.err));

        const Run ok = runServer(QStringList{u"create-admin"_s, u"--email"_s,
                                             u"ops@hospital.example"_s, u"--name"_s, u"Olu Ops"_s} +
                                     common,
                                 password.toUtf8() + '\n');
        QVERIFY2(ok.exitCode == 0, qPrintable(ok.err));
        QVERIFY(ok.out.contains(u"created super_admin"_s));
        QVERIFY2(!ok.out.contains(u"ops@hospital.example"_s), "the address is masked");
        QVERIFY(!ok.out.contains(password) && !ok.err.contains(password));

        const Run again =
            runServer(QStringList{u"create-admin"_s, u"--email"_s, u"ops@hospital.example"_s,
                                  u"--name"_s, u"Olu Ops"_s} +
                          common,
                      password.toUtf8() + '\n');
        QCOMPARE(again.exitCode, 1);
        QVERIFY(again.err.contains(u"exists"_s));

        const Run usage = runServer({u"create-admin"_s, u"--name"_s, u"No Mail"_s});
        QCOMPARE(usage.exitCode, 2);
        QVERIFY(usage.err.contains(u"usage"_s));

        const Run audit = runServer(QStringList{u"verify-audit"_s} + common);
        QCOMPARE(audit.exitCode, 0);
        QVERIFY(audit.out.contains(u"intact"_s));
    }

    void createdAdminSignsInAndTamperingIsFound()
    {
        QFETCH_GLOBAL(QString, backend);
        TestServer server(backend);
        QVERIFY2(server.isRunning(), qPrintable(server.error()));
        const QStringList target{u"--database"_s, server.databaseLocation(), u"--data-dir"_s,
                                 server.dataDir()};
        const QString password = u"tulip garden by the river 77"_s;
        const Run created =
            runServer(QStringList{u"create-admin"_s, u"--email"_s, u"root@meddispatch.example"_s,
                                  u"--name"_s, u"First Operator"_s} +
                          target,
                      password.toUtf8() + '\n');
        QVERIFY2(created.exitCode == 0, qPrintable(created.err));

        auto anon = server.anonymousClient();
        const HttpReply login =
            anon->post(u"/v1/auth/login"_s, {{u"identifier"_s, u"root@meddispatch.example"_s},
                                             {u"password"_s, password}});
        QCOMPARE(login.status, 200);
        QCOMPARE(login.json.value(u"user"_s).toObject().value(u"role"_s).toString(),
                 u"super_admin"_s);

        // Some audited changes, then a clean chain.
        for (int i = 0; i < 3; ++i)
            QCOMPARE(server.client()
                         .post(u"/v1/organizations"_s,
                               {{u"name"_s, u"Clinic %1"_s.arg(i)}, {u"type"_s, u"hospital"_s}})
                         .status,
                     201);
        const Run intact = runServer(QStringList{u"verify-audit"_s} + target);
        QVERIFY2(intact.exitCode == 0, qPrintable(intact.err));

        // The database refuses to rewrite history...
        QSqlDatabase sql = server.app().database().connection();
        QSqlQuery q(sql);
        QVERIFY(
            !q.exec(u"UPDATE audit_log SET action = 'organization.delete' WHERE sequence = 3"_s));
        QVERIFY(!q.exec(u"DELETE FROM audit_log WHERE sequence = 2"_s));
        // ...so a tamperer must first switch the guard off; the chain still tells.
        if (backend == u"sqlite"_s) {
            QSqlQuery names(sql);
            QVERIFY(names.exec(u"SELECT name FROM sqlite_master WHERE type = 'trigger' AND "
                               u"tbl_name = 'audit_log'"_s));
            QStringList triggers;
            while (names.next())
                triggers.append(names.value(0).toString());
            QVERIFY(!triggers.isEmpty());
            for (const QString &t : triggers)
                QVERIFY2(q.exec(u"DROP TRIGGER "_s + t), qPrintable(q.lastError().text()));
        } else {
            QVERIFY2(q.exec(u"ALTER TABLE audit_log DISABLE TRIGGER USER"_s),
                     qPrintable(q.lastError().text()));
        }
        QVERIFY2(q.exec(u"UPDATE audit_log SET after_json = '{\"name\":\"Forged\"}' WHERE "
                        u"sequence = 3"_s),
                 qPrintable(q.lastError().text()));
        const Run tampered = runServer(QStringList{u"verify-audit"_s} + target);
        QCOMPARE(tampered.exitCode, 1);
        QVERIFY2(tampered.err.contains(u"sequence 3"_s), qPrintable(tampered.err));
    }
};

QTEST_MAIN(TestServerCommands)
#include "tst_server_commands.moc"
