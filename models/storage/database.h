#pragma once

#include <QSqlDatabase>
#include <QString>
#include <functional>
#include <memory>
#include <optional>

class QSqlQuery;

namespace md::storage {

struct StatementCacheAccess;

enum class Backend
{
    Sqlite,
    Postgres
};

/// Where the data lives: a SQLite file, or a PostgreSQL server named by a
/// postgresql://user:pass@host:port/db URL (MEDDISPATCH_DATABASE).
struct DatabaseConfig
{
    Backend backend = Backend::Sqlite;
    QString sqlitePath;
    QString host;
    int port = 5432;
    QString user;
    QString password;
    QString databaseName;
    QString options; // e.g. "sslmode=require" from the URL's query

    /// Parses a SQLite path (absolute or relative) or a postgresql:// URL.
    static std::optional<DatabaseConfig> parse(const QString &text, QString *error = nullptr);
    /// For logs: never contains the password.
    QString describe() const;
};

/// Opens one named QSqlDatabase connection per thread on demand (QtSql connections may
/// only be used by the thread that opened them), applies SQLite pragmas (WAL,
/// synchronous=NORMAL, foreign_keys=ON, short busy timeout), and runs versioned
/// migrations at start. Thread-safe.
class Database final
{
public:
    explicit Database(DatabaseConfig config);
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    Backend backend() const;
    const DatabaseConfig &config() const;

    /// This thread's open connection; throws StorageError(Unavailable) if it cannot open.
    QSqlDatabase connection();
    /// Applies pending migrations in one transaction; returns the schema version.
    int migrate();
    int schemaVersion();
    /// True if a trivial query succeeds (readiness).
    bool ping();

    /// Runs fn inside a transaction on this thread's connection and commits; rolls back
    /// when fn throws. Retries the whole function a bounded number of times when SQLite
    /// reports "busy/locked" or PostgreSQL a serialization failure or deadlock.
    void transaction(const std::function<void()> &fn);
    /// True while this thread runs inside transaction().
    bool inTransaction();

private:
    friend struct StatementCacheAccess; // prepared-statement reuse by the repositories
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace md::storage
