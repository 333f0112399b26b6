#include "database.h"

#include "migrations.h"
#include "sqlsupport.h"
#include "statementcache.h"
#include "storageerror.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QMutex>
#include <QRandomGenerator>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QUrl>
#include <QUrlQuery>
#include <atomic>
#include <list>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace md::storage {

namespace {

// Serializes migrations of concurrently starting servers on one PostgreSQL database.
constexpr qint64 MigrationLockKey = 0x4d44'4d49'4752; // "MDMIGR"
// Bounded retry of busy/serialization failures: long enough to ride out another
// process's write burst, short enough to answer 503 instead of hanging.
constexpr qint64 RetryBudgetMs = 5000;

std::atomic<quint64> nextInstanceId{1};

// Shared between a Database and the threads that opened connections for it, so that
// whichever ends first (the thread or the Database) removes the connection.
struct ConnectionRegistry
{
    QMutex mutex;
    QSet<QString> names;
    bool alive = true;
};

struct CachedStatement
{
    std::unique_ptr<QSqlQuery> query;
    bool inUse = false;
    bool stale = false; // the connection was reset while in use: drop on release
};

// Prepared statements are kept per connection and reused: SQLite then skips parsing
// (and trigger code generation), PostgreSQL the PREPARE/DEALLOCATE round trips.
constexpr int MaxCachedStatements = 256;

struct ThreadConnection
{
    std::weak_ptr<ConnectionRegistry> registry;
    QString name;
    int transactionDepth = 0;
    std::unordered_map<QString, CachedStatement> statements;
};

void closeAndRemove(const QString &name)
{
    {
        QSqlDatabase db = QSqlDatabase::database(name, false);
        if (db.isValid())
            db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

// The connections this thread opened for Databases that still exist. Removed when
// QThread::finished is emitted (in the thread, before QThread::wait() returns), or for
// other threads when the thread-local storage goes.
struct ThreadConnections
{
    std::list<ThreadConnection> entries; // stable references while a transaction runs
    bool hooked = false;

    void removeAll()
    {
        for (ThreadConnection &e : entries) {
            e.statements.clear();
            if (auto registry = e.registry.lock()) {
                QMutexLocker locker(&registry->mutex);
                if (registry->alive && registry->names.remove(e.name))
                    closeAndRemove(e.name);
            }
        }
        entries.clear();
    }
    ~ThreadConnections() { removeAll(); }
};

thread_local ThreadConnections threadConnections;

void hookThreadEnd()
{
    if (threadConnections.hooked)
        return;
    threadConnections.hooked = true;
    QThread *thread = QThread::currentThread();
    if (thread == nullptr)
        return;
    QObject::connect(
        thread, &QThread::finished, thread,
        [] {
            threadConnections.removeAll();
            threadConnections.hooked = false;
        },
        Qt::DirectConnection);
}

QString sqlConnectOptions(const QString &urlQuery)
{
    // URL query "a=1&b=2" -> QPSQL connect options "a=1;b=2".
    QStringList options;
    const QUrlQuery query(urlQuery);
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded))
        options << key + u'=' + value;
    return options.join(u';');
}

void rollback(QSqlDatabase &db)
{
    {
        QSqlQuery q(db);
        q.exec(QStringLiteral("ROLLBACK"));
    }
    // Failed statements kept alive until now can DEALLOCATE outside the aborted
    // transaction.
    sql::releaseFailedQueries();
}

void backoff(int attempt)
{
    // 1, 2, 4 ... 32 ms with jitter, so queued writers do not retry in lock step.
    const int base = 1 << std::min(attempt, 5);
    QThread::usleep(quint64(base) * 1000 + QRandomGenerator::global()->bounded(1000));
}

} // namespace

std::optional<DatabaseConfig> DatabaseConfig::parse(const QString &text, QString *error)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty()) {
        if (error)
            *error = QStringLiteral("empty database location");
        return std::nullopt;
    }
    DatabaseConfig config;
    if (trimmed.startsWith(u"postgresql://") || trimmed.startsWith(u"postgres://")) {
        const QUrl url(trimmed, QUrl::StrictMode);
        if (!url.isValid()) {
            if (error)
                *error = QStringLiteral("invalid PostgreSQL URL: ") + url.errorString();
            return std::nullopt;
        }
        config.backend = Backend::Postgres;
        config.host = url.host();
        config.port = url.port(5432);
        config.user = url.userName();
        config.password = url.password();
        QString path = url.path();
        if (path.startsWith(u'/'))
            path.remove(0, 1);
        config.databaseName = path;
        config.options = sqlConnectOptions(url.query(QUrl::FullyEncoded));
        if (config.port <= 0 || config.port > 65535) {
            if (error)
                *error = QStringLiteral("invalid PostgreSQL port");
            return std::nullopt;
        }
        return config;
    }
    QString path = trimmed;
    if (path.startsWith(u"sqlite://"))
        path.remove(0, 9);
    else if (path.startsWith(u"sqlite:"))
        path.remove(0, 7);
    if (path.contains(u"://")) {
        if (error)
            *error = QStringLiteral("unsupported database URL (use a file path or postgresql://)");
        return std::nullopt;
    }
    config.backend = Backend::Sqlite;
    config.sqlitePath = path;
    return config;
}

QString DatabaseConfig::describe() const
{
    if (backend == Backend::Sqlite)
        return u"sqlite:" + sqlitePath;
    QString s = QStringLiteral("postgresql://");
    if (!user.isEmpty())
        s += user + u'@';
    s += (host.isEmpty() ? QStringLiteral("localhost") : host) + u':' + QString::number(port) +
         u'/' + databaseName;
    return s;
}

struct Database::Private
{
    DatabaseConfig config;
    quint64 instanceId = nextInstanceId++;
    std::shared_ptr<ConnectionRegistry> registry = std::make_shared<ConnectionRegistry>();
    // SQLite allows one writer; queueing this process's writers on a mutex is fairer and
    // much faster than letting them poll the file lock through busy_timeout.
    std::mutex writeMutex;

    QString connectionName() const
    {
        return QStringLiteral("md-%1-%2")
            .arg(instanceId)
            .arg(quintptr(QThread::currentThreadId()), 0, 16);
    }

    ThreadConnection &threadEntry(const QString &name)
    {
        auto &entries = threadConnections.entries;
        // Forget connections of Databases destroyed meanwhile (they removed them).
        std::erase_if(entries, [](const ThreadConnection &e) { return e.registry.expired(); });
        for (ThreadConnection &e : entries) {
            if (e.name == name)
                return e;
        }
        hookThreadEnd();
        entries.push_back({registry, name, 0});
        return entries.back();
    }

    // Closes this thread's connection (it reopens on next use) and forgets its
    // prepared statements, which died with the server session.
    void resetConnection()
    {
        const QString name = connectionName();
        for (ThreadConnection &e : threadConnections.entries) {
            if (e.name != name)
                continue;
            for (auto it = e.statements.begin(); it != e.statements.end();) {
                if (it->second.inUse) {
                    it->second.stale = true;
                    ++it;
                } else {
                    it = e.statements.erase(it);
                }
            }
        }
        if (QSqlDatabase::contains(name)) {
            QSqlDatabase db = QSqlDatabase::database(name, false);
            db.close();
        }
    }

    void configure(QSqlDatabase &db) const
    {
        if (config.backend == Backend::Sqlite) {
            db.setDatabaseName(config.sqlitePath);
            db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=250"));
            return;
        }
        db.setHostName(config.host);
        db.setPort(config.port);
        db.setUserName(config.user);
        db.setPassword(config.password);
        db.setDatabaseName(config.databaseName);
        QString options = config.options;
        if (!options.contains(u"connect_timeout"))
            options += (options.isEmpty() ? u"" : u";") + QStringLiteral("connect_timeout=5");
        db.setConnectOptions(options);
    }

    void applySessionSettings(QSqlDatabase &db) const
    {
        QSqlQuery q(db);
        if (config.backend == Backend::Sqlite) {
            const char16_t *pragmas[] = {
                u"PRAGMA journal_mode=WAL",
                u"PRAGMA synchronous=NORMAL",
                u"PRAGMA foreign_keys=ON",
                u"PRAGMA temp_store=MEMORY",
                u"PRAGMA cache_size=-32768",
                // Checkpoint (and fsync) every ~40 MB of WAL instead of every 4 MB: hot
                // pages (counters, index tails) are then written back once per interval.
                u"PRAGMA wal_autocheckpoint=10000",
                u"PRAGMA journal_size_limit=67108864",
                u"PRAGMA mmap_size=2147483648",
            };
            for (const char16_t *p : pragmas) {
                if (!q.exec(QString::fromUtf16(p)))
                    throw StorageError::fromSql(q.lastError(), QStringLiteral("sqlite setup"));
                q.finish();
            }
        } else {
            if (!q.exec(QStringLiteral("SET client_min_messages TO warning")))
                throw StorageError::fromSql(q.lastError(), QStringLiteral("postgres setup"));
        }
    }
};

Database::Database(DatabaseConfig config) : d(std::make_unique<Private>())
{
    d->config = std::move(config);
    if (d->config.backend == Backend::Sqlite && !d->config.sqlitePath.isEmpty() &&
        d->config.sqlitePath != u":memory:")
        QDir().mkpath(QFileInfo(d->config.sqlitePath).absolutePath());
}

Database::~Database()
{
    // This thread's cached statements go before the connection; other threads' are
    // dropped when those threads end (the driver finalizes them on close).
    const QString mine = d->connectionName();
    for (ThreadConnection &e : threadConnections.entries) {
        if (e.name == mine)
            e.statements.clear();
    }
    QMutexLocker locker(&d->registry->mutex);
    d->registry->alive = false;
    for (const QString &name : std::as_const(d->registry->names))
        closeAndRemove(name);
    d->registry->names.clear();
}

Backend Database::backend() const
{
    return d->config.backend;
}

const DatabaseConfig &Database::config() const
{
    return d->config;
}

QSqlDatabase Database::connection()
{
    const QString name = d->connectionName();
    QSqlDatabase db;
    if (QSqlDatabase::contains(name)) {
        db = QSqlDatabase::database(name, false);
    } else {
        db = QSqlDatabase::addDatabase(d->config.backend == Backend::Sqlite
                                           ? QStringLiteral("QSQLITE")
                                           : QStringLiteral("QPSQL"),
                                       name);
        if (!db.isValid())
            throw StorageError(StorageError::Kind::Unavailable,
                               QStringLiteral("the Qt SQL driver for ") + d->config.describe() +
                                   QStringLiteral(" is not available"));
        d->configure(db);
        {
            QMutexLocker locker(&d->registry->mutex);
            d->registry->names.insert(name);
        }
        d->threadEntry(name);
    }
    if (!db.isOpen()) {
        if (!db.open())
            throw StorageError(StorageError::Kind::Unavailable,
                               u"cannot open " + d->config.describe() + u": " +
                                   db.lastError().text().trimmed());
        try {
            d->applySessionSettings(db);
        } catch (...) {
            db.close();
            throw;
        }
    }
    return db;
}

void Database::transaction(const std::function<void()> &fn)
{
    QSqlDatabase db = connection();
    ThreadConnection &entry = d->threadEntry(d->connectionName());
    if (entry.transactionDepth > 0) {
        // Nested: part of the caller's transaction, which commits or retries as a whole.
        fn();
        return;
    }

    const bool sqlite = d->config.backend == Backend::Sqlite;
    std::unique_lock<std::mutex> writeLock(d->writeMutex, std::defer_lock);
    if (sqlite)
        writeLock.lock();

    QElapsedTimer elapsed;
    elapsed.start();
    for (int attempt = 0;; ++attempt) {
        QSqlQuery control(db);
        const bool retryable = elapsed.elapsed() < RetryBudgetMs;
        if (!control.exec(sqlite ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("BEGIN"))) {
            const StorageError error =
                StorageError::fromSql(control.lastError(), QStringLiteral("begin transaction"));
            if (error.kind() == StorageError::Kind::Busy && retryable) {
                backoff(attempt);
                continue;
            }
            if (error.kind() == StorageError::Kind::Unavailable ||
                error.kind() == StorageError::Kind::Internal)
                d->resetConnection(); // reconnect on next use
            throw error;
        }
        entry.transactionDepth = 1;
        try {
            fn();
            if (!control.exec(QStringLiteral("COMMIT")))
                throw StorageError::fromSql(control.lastError(), QStringLiteral("commit"));
            entry.transactionDepth = 0;
            sql::releaseFailedQueries();
            return;
        } catch (const StorageError &error) {
            entry.transactionDepth = 0;
            rollback(db);
            if (error.kind() == StorageError::Kind::Busy && elapsed.elapsed() < RetryBudgetMs) {
                backoff(attempt);
                continue;
            }
            if (error.kind() == StorageError::Kind::Unavailable)
                d->resetConnection();
            throw;
        } catch (...) {
            entry.transactionDepth = 0;
            rollback(db);
            throw;
        }
    }
}

QSqlQuery *StatementCacheAccess::acquire(Database &db, const QString &sql)
{
    QSqlDatabase connection = db.connection();
    ThreadConnection &entry = db.d->threadEntry(connection.connectionName());
    auto it = entry.statements.find(sql);
    if (it != entry.statements.end()) {
        if (it->second.inUse || it->second.stale)
            return nullptr; // the same statement is still being read: use a fresh one
        it->second.inUse = true;
        return it->second.query.get();
    }
    if (entry.statements.size() >= MaxCachedStatements)
        return nullptr;
    auto query = std::make_unique<QSqlQuery>(connection);
    query->setForwardOnly(true);
    if (!query->prepare(sql))
        throw StorageError::fromSql(query->lastError(), QStringLiteral("prepare"));
    QSqlQuery *raw = query.get();
    entry.statements.emplace(sql, CachedStatement{std::move(query), true});
    return raw;
}

void StatementCacheAccess::release(Database &db, const QString &sql)
{
    const QString name = db.d->connectionName();
    for (ThreadConnection &e : threadConnections.entries) {
        if (e.name != name)
            continue;
        auto it = e.statements.find(sql);
        if (it != e.statements.end() && it->second.inUse) {
            if (it->second.stale) {
                e.statements.erase(it);
                return;
            }
            // Reset, so a finished SELECT holds no read snapshot or cursor.
            it->second.query->finish();
            it->second.inUse = false;
        }
        return;
    }
}

void StatementCacheAccess::connectionLost(Database &db)
{
    db.d->resetConnection();
}

bool Database::inTransaction()
{
    for (const ThreadConnection &e : threadConnections.entries) {
        if (e.name == d->connectionName())
            return e.transactionDepth > 0;
    }
    return false;
}

int Database::migrate()
{
    const QList<Migration> migrations = embeddedMigrations(d->config.backend);
    if (migrations.isEmpty())
        throw StorageError(StorageError::Kind::Internal,
                           QStringLiteral("no embedded migrations (resources not linked?)"));
    int version = 0;
    transaction([&] {
        QSqlDatabase db = connection();
        QSqlQuery q(db);
        if (d->config.backend == Backend::Postgres) {
            // A second server starting at the same time waits here, then finds the
            // schema current.
            execOrThrow(q, QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(MigrationLockKey),
                        QStringLiteral("migration lock"));
        }
        execOrThrow(q,
                    QStringLiteral("CREATE TABLE IF NOT EXISTS schema_version ("
                                   "version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                                   "applied_at BIGINT NOT NULL)"),
                    QStringLiteral("schema_version"));
        execOrThrow(q, QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM schema_version"),
                    QStringLiteral("schema_version"));
        version = q.next() ? q.value(0).toInt() : 0;
        q.finish();
        for (const Migration &m : migrations) {
            if (m.version <= version)
                continue;
            for (const QString &statement : splitSqlStatements(m.script)) {
                QSqlQuery s(db);
                execOrThrow(s, statement,
                            u"migration " + QString::number(m.version) + u'_' + m.name);
            }
            QSqlQuery record(db);
            record.prepare(QStringLiteral(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)"));
            record.addBindValue(m.version);
            record.addBindValue(m.name);
            record.addBindValue(QDateTime::currentMSecsSinceEpoch());
            execOrThrow(record, QStringLiteral("record migration"));
            version = m.version;
        }
    });
    return version;
}

int Database::schemaVersion()
{
    QSqlQuery q(connection());
    if (!q.exec(QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM schema_version")))
        return 0;
    return q.next() ? q.value(0).toInt() : 0;
}

bool Database::ping()
{
    try {
        bool ok = false;
        {
            QSqlQuery q(connection());
            ok = q.exec(QStringLiteral("SELECT 1")) && q.next();
        }
        if (ok)
            return true;
        // A broken connection stays "open" in QtSql: drop it so the next call reconnects.
        d->resetConnection();
        return false;
    } catch (const StorageError &) {
        return false;
    }
}

} // namespace md::storage
