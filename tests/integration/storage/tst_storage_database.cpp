// Database: configuration parsing, migrations, per-thread connections, transactions and
// error classification, on SQLite and PostgreSQL.

#include "storage/database.h"
#include "storage/migrations.h"
#include "storage/repositories.h"
#include "storage/storageerror.h"
#include "testlib/storagefixtures.h"
#include "testlib/testdatabase.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>
#include <QThread>
#include <atomic>

using namespace md;
using namespace Qt::Literals::StringLiterals;
using namespace md::storage;
using md::testlib::TestDatabase;

class TestStorageDatabase final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data() { TestDatabase::addBackendRows(); }

    void parsesLocations_data();
    void parsesLocations();
    void describeHidesPassword();
    void splitsScripts();
    void migrationsAreIdempotent();
    void concurrentStartsMigrateOnce();
    void sqliteSessionSettings();
    void connectionPerThreadIsRemovedWithTheThread();
    void transactionRollsBackOnException();
    void nestedTransactionsJoinTheOuterOne();
    void classifiesErrors();
    void unreachableDatabaseIsUnavailable();
    void reconnectsAfterTheServerDropsTheConnection();
};

void TestStorageDatabase::parsesLocations_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<int>("backend");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("database");
    QTest::addColumn<QString>("options");

    QTest::newRow("sqlite path") << u"/var/lib/md/data.sqlite"_s << true << 0 << QString() << 5432
                                 << QString() << QString() << QString() << QString();
    QTest::newRow("relative path") << u"data.sqlite"_s << true << 0 << QString() << 5432
                                   << QString() << QString() << QString() << QString();
    QTest::newRow("full url")
        << u"postgresql://md:s%40cret@db.example.org:6543/meddispatch?sslmode=require&connect_timeout=3"_s
        << true << 1 << u"db.example.org"_s << 6543 << u"md"_s << u"s@cret"_s << u"meddispatch"_s
        << u"sslmode=require;connect_timeout=3"_s;
    QTest::newRow("postgres scheme, default port")
        << u"postgres://alice@127.0.0.1/app"_s << true << 1 << u"127.0.0.1"_s << 5432 << u"alice"_s
        << QString() << u"app"_s << QString();
    QTest::newRow("empty") << QString() << false << 0 << QString() << 0 << QString() << QString()
                           << QString() << QString();
    QTest::newRow("other scheme") << u"mysql://x@y/z"_s << false << 0 << QString() << 0 << QString()
                                  << QString() << QString() << QString();
}

void TestStorageDatabase::parsesLocations()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QString error;
    const auto config = DatabaseConfig::parse(text, &error);
    QCOMPARE(config.has_value(), valid);
    if (!valid) {
        QVERIFY(!error.isEmpty());
        return;
    }
    QFETCH(int, backend);
    QCOMPARE(int(config->backend), backend);
    if (config->backend == Backend::Sqlite) {
        QCOMPARE(config->sqlitePath, text);
        return;
    }
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(QString, database);
    QFETCH(QString, options);
    QCOMPARE(config->host, host);
    QCOMPARE(config->port, port);
    QCOMPARE(config->user, user);
    QCOMPARE(config->password, password);
    QCOMPARE(config->databaseName, database);
    QCOMPARE(config->options, options);
}

void TestStorageDatabase::describeHidesPassword()
{
    const auto config = DatabaseConfig::parse(u"postgresql://md:topsecret@h:5/db"_s);
    QVERIFY(config);
    QVERIFY(!config->describe().contains(u"topsecret"));
    QVERIFY(config->describe().contains(u"md@h:5/db"));
}

void TestStorageDatabase::splitsScripts()
{
    const QStringList statements = splitSqlStatements(
        u"-- comment; not a statement\n"
        "CREATE TABLE a (x TEXT DEFAULT 'semi;colon');\n"
        "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n"
        "  UPDATE a SET x = CASE WHEN x = 'a' THEN 'b' ELSE 'c' END;\n"
        "  UPDATE a SET x = 'd';\n"
        "END;\n"
        "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;\n"
        "/* block; comment */ SELECT 1"_s);
    QCOMPARE(statements.size(), 4);
    QVERIFY(statements.at(0).contains(u"'semi;colon'"));
    QVERIFY(statements.at(1).endsWith(u"END"));
    QVERIFY(statements.at(1).contains(u"x = 'd'"));
    QVERIFY(statements.at(2).contains(u"RETURN NULL; END $$"));
    QCOMPARE(statements.at(3), u"SELECT 1"_s);

    for (const Backend backend : {Backend::Sqlite, Backend::Postgres}) {
        const QList<Migration> migrations = embeddedMigrations(backend);
        QVERIFY(!migrations.isEmpty());
        QCOMPARE(migrations.first().version, 1);
    }
}

void TestStorageDatabase::migrationsAreIdempotent()
{
    MD_TEST_DATABASE(db);
    const int version = db->database().schemaVersion();
    QCOMPARE(version, embeddedMigrations(db->backend()).last().version);
    QCOMPARE(db->database().migrate(), version);

    // A second server on the same database finds nothing to do.
    const auto config = DatabaseConfig::parse(db->location());
    QVERIFY(config);
    Database second(*config);
    QCOMPARE(second.migrate(), version);
    QSqlQuery q(second.connection());
    QVERIFY(q.exec(u"SELECT count(*) FROM schema_version"_s));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toInt(), embeddedMigrations(db->backend()).size());
}

void TestStorageDatabase::concurrentStartsMigrateOnce()
{
    QString error;
    auto db =
        TestDatabase::create(TestDatabase::currentBackend(), &error, TestDatabase::Schema::Empty);
    QVERIFY2(db, qPrintable(error));
    const auto config = DatabaseConfig::parse(db->location());
    QVERIFY(config);

    std::atomic<int> failures{0};
    QList<QThread *> threads;
    for (int i = 0; i < 3; ++i) {
        threads << QThread::create([&] {
            try {
                Database mine(*config);
                mine.migrate();
            } catch (const StorageError &e) {
                qWarning("%s", e.what());
                ++failures;
            }
        });
    }
    for (QThread *t : threads)
        t->start();
    for (QThread *t : threads) {
        QVERIFY(t->wait(60000));
        delete t;
    }
    QCOMPARE(failures.load(), 0);
    QSqlQuery q(db->database().connection());
    QVERIFY(q.exec(u"SELECT count(*), count(DISTINCT version) FROM schema_version"_s));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toInt(), embeddedMigrations(db->backend()).size());
    QCOMPARE(q.value(1).toInt(), q.value(0).toInt());
}

void TestStorageDatabase::sqliteSessionSettings()
{
    MD_TEST_DATABASE(db);
    if (db->backend() != Backend::Sqlite)
        QSKIP("SQLite pragmas");
    QSqlQuery q(db->database().connection());
    QVERIFY(q.exec(u"PRAGMA journal_mode"_s) && q.next());
    QCOMPARE(q.value(0).toString(), u"wal"_s);
    QVERIFY(q.exec(u"PRAGMA synchronous"_s) && q.next());
    QCOMPARE(q.value(0).toInt(), 1); // NORMAL
    QVERIFY(q.exec(u"PRAGMA foreign_keys"_s) && q.next());
    QCOMPARE(q.value(0).toInt(), 1);
    QVERIFY(q.exec(u"PRAGMA busy_timeout"_s) && q.next());
    QCOMPARE(q.value(0).toInt(), 250);
}

void TestStorageDatabase::connectionPerThreadIsRemovedWithTheThread()
{
    MD_TEST_DATABASE(db);
    Database &database = db->database();
    const QString mainName = database.connection().connectionName();
    const qsizetype before = QSqlDatabase::connectionNames().size();

    QString threadName;
    bool worked = false;
    QThread *thread = QThread::create([&] {
        QSqlDatabase c = database.connection();
        threadName = c.connectionName();
        QSqlQuery q(c);
        worked = q.exec(u"SELECT 1"_s) && q.next() && q.value(0).toInt() == 1;
    });
    thread->start();
    QVERIFY(thread->wait(30000));
    delete thread;
    QVERIFY(worked);
    QVERIFY(!threadName.isEmpty());
    QVERIFY(threadName != mainName);
    // The thread's connection went with the thread.
    QVERIFY(!QSqlDatabase::connectionNames().contains(threadName));
    QCOMPARE(QSqlDatabase::connectionNames().size(), before);
    QCOMPARE(database.connection().connectionName(), mainName);

    // And the Database removes its own on destruction.
    db.reset();
    QVERIFY(!QSqlDatabase::connectionNames().contains(mainName));
}

void TestStorageDatabase::transactionRollsBackOnException()
{
    MD_TEST_DATABASE(db);
    Repositories repos(db->database());
    const auto org =
        testlib::makeOrganization(u"Rolled back"_s, domain::OrganizationType::Hospital);
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, db->database().transaction([&] {
        repos.organizations().insert(org);
        QVERIFY(repos.organizations().find(org.id).has_value());
        throw std::runtime_error("abort");
    }));
    QVERIFY(!repos.organizations().find(org.id).has_value());
    QVERIFY(db->database().ping());
}

void TestStorageDatabase::nestedTransactionsJoinTheOuterOne()
{
    MD_TEST_DATABASE(db);
    Repositories repos(db->database());
    const auto a = testlib::makeOrganization(u"A"_s, domain::OrganizationType::Hospital);
    const auto b = testlib::makeOrganization(u"B"_s, domain::OrganizationType::Hospital);
    try {
        db->database().transaction([&] {
            db->database().transaction([&] { repos.organizations().insert(a); });
            repos.organizations().insert(b);
            repos.organizations().insert(b); // duplicate: the whole outer transaction fails
        });
        QFAIL("expected a conflict");
    } catch (const StorageError &e) {
        QCOMPARE(e.kind(), StorageError::Kind::Conflict);
    }
    QVERIFY(!repos.organizations().find(a.id));
    QVERIFY(!repos.organizations().find(b.id));
}

void TestStorageDatabase::classifiesErrors()
{
    MD_TEST_DATABASE(db);
    Repositories repos(db->database());
    const auto hospital =
        testlib::makeOrganization(u"Hospital"_s, domain::OrganizationType::Hospital);
    repos.organizations().insert(hospital);
    try {
        repos.organizations().insert(hospital);
        QFAIL("duplicate id accepted");
    } catch (const StorageError &e) {
        QCOMPARE(e.kind(), StorageError::Kind::Conflict);
    }
    const auto device = testlib::makeEquipment(hospital.id, testlib::newId(), u"mri"_s, u"X"_s);
    try {
        repos.equipment().insert(device); // unknown manufacturer
        QFAIL("dangling reference accepted");
    } catch (const StorageError &e) {
        QCOMPARE(e.kind(), StorageError::Kind::Reference);
    }
}

void TestStorageDatabase::unreachableDatabaseIsUnavailable()
{
    const Backend backend = TestDatabase::currentBackend();
    DatabaseConfig config;
    config.backend = backend;
    if (backend == Backend::Sqlite) {
        config.sqlitePath = u"/proc/meddispatch-no-such-dir/db.sqlite"_s;
    } else {
        config.host = u"127.0.0.1"_s;
        config.port = 1; // nothing listens there
        config.user = u"postgres"_s;
        config.databaseName = u"postgres"_s;
    }
    Database db(config);
    QVERIFY(!db.ping());
    try {
        db.connection();
        QFAIL("opened an unreachable database");
    } catch (const StorageError &e) {
        QCOMPARE(e.kind(), StorageError::Kind::Unavailable);
    }
}

void TestStorageDatabase::reconnectsAfterTheServerDropsTheConnection()
{
    MD_TEST_DATABASE(db);
    if (db->backend() != Backend::Postgres)
        QSKIP("a server-side disconnect is a PostgreSQL matter");
    Repositories repos(db->database());
    const auto org = testlib::makeOrganization(u"Survivor"_s, domain::OrganizationType::Hospital);
    repos.organizations().insert(org);
    QVERIFY(repos.organizations().find(org.id));

    qint64 pid = 0;
    {
        QSqlQuery q(db->database().connection());
        QVERIFY(q.exec(u"SELECT pg_backend_pid()"_s) && q.next());
        pid = q.value(0).toLongLong();
    }
    {
        const auto config = DatabaseConfig::parse(db->location());
        Database admin(*config);
        QSqlQuery q(admin.connection());
        QVERIFY(q.exec(u"SELECT pg_terminate_backend(%1)"_s.arg(pid)));
    }
    // The first use notices the loss (503 for that request) ...
    try {
        repos.organizations().find(org.id);
        QFAIL("a terminated connection kept working");
    } catch (const StorageError &e) {
        QCOMPARE(e.kind(), StorageError::Kind::Unavailable);
    }
    // ... and the next one reconnects, cached statements included.
    QVERIFY(repos.organizations().find(org.id));
    db->database().transaction([&] {
        repos.organizations().insert(
            testlib::makeOrganization(u"After"_s, domain::OrganizationType::Hospital));
    });
    QVERIFY(db->database().ping());
}

QTEST_GUILESS_MAIN(TestStorageDatabase)
#include "tst_storage_database.moc"
