#include "sqlrepositories.h"
#include "storageerror.h"

namespace md::storage {

qint64 SqlRateLimitRepository::add(const QString &key, qint64 windowStartMs, qint64 hits)
{
    // One statement: the row lock (PostgreSQL) or the write lock (SQLite) makes
    // concurrent additions from any number of server instances add up. Inside
    // Database::transaction for SQLite's writer queue and busy retry.
    qint64 total = 0;
    m_db.transaction([&] {
        sql::Query q(m_db, QStringLiteral("INSERT INTO rate_limits (key, window_start, hits) "
                                          "VALUES (?, ?, ?) ON CONFLICT (key, window_start) DO "
                                          "UPDATE SET hits = rate_limits.hits + excluded.hits "
                                          "RETURNING hits"));
        q.bind(key).bind(windowStartMs).bind(hits).exec();
        if (!q.next())
            throw StorageError(StorageError::Kind::Internal, QStringLiteral("rate limit"));
        total = q.int64(0);
    });
    return total;
}

int SqlRateLimitRepository::purgeBefore(qint64 windowStartMs)
{
    int removed = 0;
    m_db.transaction([&] {
        sql::Query q(m_db, QStringLiteral("DELETE FROM rate_limits WHERE window_start < ?"));
        q.bind(windowStartMs).exec();
        removed = q.numRowsAffected();
    });
    return removed;
}

} // namespace md::storage
