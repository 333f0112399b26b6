#include "testdatabase.h"

#include "storage/storageerror.h"

#include <QFile>
#include <QProcessEnvironment>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

namespace md::testlib {

using storage::Backend;

namespace {

const char UrlFileVariable[] = "MEDDISPATCH_TEST_POSTGRES_URL_FILE";

bool adminExec(const QString &adminUrl, const QString &sql, QString *error)
{
    const auto config = storage::DatabaseConfig::parse(adminUrl, error);
    if (!config)
        return false;
    // A short-lived connection of its own; CREATE/DROP DATABASE cannot run inside a
    // transaction, so no Database::transaction here.
    const QString name = u"md-test-admin-" + QUuid::createUuid().toString(QUuid::WithoutBraces);
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        db.setHostName(config->host);
        db.setPort(config->port);
        db.setUserName(config->user);
        db.setPassword(config->password);
        db.setDatabaseName(config->databaseName);
        db.setConnectOptions(QStringLiteral("connect_timeout=10"));
        if (!db.open()) {
            if (error)
                *error = u"cannot connect to the PostgreSQL test cluster at " + adminUrl + u": " +
                         db.lastError().text();
        } else {
            QSqlQuery q(db);
            ok = q.exec(sql);
            if (!ok && error)
                *error = sql + u": " + q.lastError().text();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

} // namespace

void TestDatabase::addBackendRows()
{
    QTest::addColumn<Backend>("backend");
    QTest::newRow("sqlite") << Backend::Sqlite;
    QTest::newRow("postgres") << Backend::Postgres;
}

Backend TestDatabase::currentBackend()
{
    // Only valid in suites whose initTestCase_data() called addBackendRows().
    return *static_cast<Backend *>(QTest::qGlobalData("backend", qMetaTypeId<Backend>()));
}

std::unique_ptr<TestDatabase> TestDatabase::create(Backend backend, QString *error, Schema schema)
{
    std::unique_ptr<TestDatabase> t(new TestDatabase);
    t->m_backend = backend;
    if (backend == Backend::Sqlite) {
        t->m_dir = std::make_unique<QTemporaryDir>();
        if (!t->m_dir->isValid()) {
            if (error)
                *error = QStringLiteral("cannot create a temporary directory");
            return nullptr;
        }
        t->m_location = t->m_dir->filePath(QStringLiteral("meddispatch.sqlite"));
    } else {
        const QString urlFile = qEnvironmentVariable(UrlFileVariable);
        if (urlFile.isEmpty()) {
            if (error)
                *error = QStringLiteral("MEDDISPATCH_TEST_POSTGRES_URL_FILE is not set: run the "
                                        "tests through ctest, whose postgres fixture starts a "
                                        "throwaway cluster (scripts/pg-test-cluster.sh)");
            return nullptr;
        }
        QFile f(urlFile);
        if (!f.open(QIODevice::ReadOnly)) {
            if (error)
                *error = u"no PostgreSQL test cluster: cannot read " + urlFile +
                         u" (did the postgres_start fixture run? see scripts/pg-test-cluster.sh)";
            return nullptr;
        }
        t->m_adminUrl = QString::fromUtf8(f.readAll()).trimmed();
        t->m_databaseName =
            u"md_test_" +
            QString::number(QRandomGenerator::global()->generate64() & 0xffffffffffffULL, 36);
        if (!adminExec(t->m_adminUrl,
                       u"CREATE DATABASE " + t->m_databaseName +
                           u" ENCODING 'UTF8' TEMPLATE template0",
                       error))
            return nullptr;
        QString base = t->m_adminUrl;
        const qsizetype slash = base.lastIndexOf(u'/');
        t->m_location = base.left(slash + 1) + t->m_databaseName;
    }

    QString parseError;
    const auto config = storage::DatabaseConfig::parse(t->m_location, &parseError);
    if (!config) {
        if (error)
            *error = parseError;
        return nullptr;
    }
    t->m_database = std::make_unique<storage::Database>(*config);
    if (schema == Schema::Empty)
        return t;
    try {
        t->m_database->migrate();
    } catch (const storage::StorageError &e) {
        if (error)
            *error = u"migration failed: " + e.message();
        return nullptr;
    }
    return t;
}

TestDatabase::~TestDatabase()
{
    m_database.reset();
    if (m_backend == Backend::Postgres && !m_databaseName.isEmpty()) {
        QString error;
        if (!adminExec(m_adminUrl, u"DROP DATABASE IF EXISTS " + m_databaseName + u" WITH (FORCE)",
                       &error))
            qWarning("%s", qPrintable(error));
    }
}

} // namespace md::testlib
