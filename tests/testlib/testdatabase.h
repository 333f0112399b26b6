#pragma once

#include "storage/database.h"

#include <QMetaType>
#include <QString>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

Q_DECLARE_METATYPE(md::storage::Backend)

namespace md::testlib {

/// A fresh, migrated, empty database for one test, on SQLite (a new file in a temporary
/// directory) or PostgreSQL (CREATE DATABASE md_test_<random> on the throwaway cluster
/// whose URL is in the file named by MEDDISPATCH_TEST_POSTGRES_URL_FILE). Removed
/// (file deleted / database dropped) on destruction.
///
/// Suites run once per backend:
///   void initTestCase_data() { TestDatabase::addBackendRows(); }
///   void someTest() { MD_TEST_DATABASE(db); ... db->database() ... }
class TestDatabase final
{
public:
    /// Adds the global "backend" column and the rows "sqlite" and "postgres".
    static void addBackendRows();
    /// The backend of the current global data row (the suite must call addBackendRows()).
    static storage::Backend currentBackend();

    /// nullptr with *error set when the database cannot be made (for PostgreSQL: the
    /// URL file is missing or the cluster is unreachable); callers fail the test.
    enum class Schema
    {
        Migrated,
        Empty
    };
    static std::unique_ptr<TestDatabase> create(storage::Backend backend, QString *error,
                                                Schema schema = Schema::Migrated);

    ~TestDatabase();
    TestDatabase(const TestDatabase &) = delete;
    TestDatabase &operator=(const TestDatabase &) = delete;

    storage::Database &database() { return *m_database; }
    storage::Database *operator->() { return m_database.get(); }
    storage::Backend backend() const { return m_backend; }
    /// What MEDDISPATCH_DATABASE / --database would say for this database (a SQLite
    /// path or a postgresql:// URL), for tests that start a server on it.
    QString location() const { return m_location; }

private:
    TestDatabase() = default;

    storage::Backend m_backend = storage::Backend::Sqlite;
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_location;
    QString m_adminUrl;     // PostgreSQL: the cluster's maintenance database
    QString m_databaseName; // PostgreSQL: md_test_<random>
    std::unique_ptr<storage::Database> m_database;
};

} // namespace md::testlib

/// Declares `var`, a fresh database of the current row's backend, or fails the test.
#define MD_TEST_DATABASE(var)                                                                      \
    QString var##Error;                                                                            \
    auto var = md::testlib::TestDatabase::create(md::testlib::TestDatabase::currentBackend(),      \
                                                 &var##Error);                                     \
    QVERIFY2(var, qPrintable(var##Error))
