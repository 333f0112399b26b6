#pragma once

#include "httpresponse.h"

#include <QHash>
#include <QMutex>
#include <QString>
#include <QWaitCondition>
#include <chrono>
#include <limits>
#include <optional>

namespace md::domain {
class Clock;
}
namespace md::storage {
class Database;
}

namespace md::server {

/// Per-client request limit in fixed windows (one minute by default), counted in the
/// database (storage::RateLimitRepository) so that every server instance on it enforces
/// one shared limit.
///
/// Writing every request to the database would cost more than most requests, so each
/// instance counts locally and adds its unflushed hits to the shared counter when a key
/// has `flushHits` of them or `flushInterval` has passed since its last flush. A request
/// is admitted when (last shared total seen + hits not yet reflected in it) is below the
/// limit; the request that triggers a flush is decided on the fresh total the database
/// returns. Flushes of one key are serialized per instance.
///
/// Overshoot bound: an instance admits at most flushHits - 1 requests of a key on a
/// stale total before it flushes and learns the shared one, and after a flush that shows
/// the limit reached it admits nothing more in that window. So with N instances at most
///     limit + N * (flushHits - 1)
/// requests of one key are admitted per window (flushHits defaults to limit / 10, from
/// 1 to 10: at most 9 extra per instance, under 10 %). Instances whose clocks differ
/// by d shift their windows by d, which can admit up to one more limit across a window
/// boundary; keep clocks synchronized (NTP).
///
/// Requests refused are not counted, so a client that keeps hammering costs no writes
/// (beyond sharing the hits still held here) and is admitted again in the next window.
/// If the database cannot be reached the limiter fails open (the request itself will
/// meet the same database) and retries after a second.
class RateLimiter final
{
public:
    struct Options
    {
        int limit = 100; // requests per window and key, > 0
        std::chrono::milliseconds window{60000};
        std::chrono::milliseconds flushInterval{250};
        int flushHits = 0; // 0: limit / 10, clamped to 1..10
        /// How often windows older than the previous one are deleted, here and in the
        /// database.
        std::chrono::milliseconds purgeInterval{60000};
    };

    struct Decision
    {
        bool allowed = true;
        int retryAfterSeconds = 0; // when refused: until the window ends, at least 1
    };

    /// database and clock must outlive the limiter.
    RateLimiter(storage::Database &database, const domain::Clock &clock, Options options);

    /// Counts one request of `key` and decides. Thread-safe; database work runs on the
    /// calling thread's connection.
    Decision hit(const QString &key);

    /// 429 rate_limited with Retry-After and the error envelope.
    HttpResponse refusal(const Decision &decision) const;

    int limit() const { return m_options.limit; }
    int flushHits() const { return m_flushHits; }
    /// Most requests of one key admitted per window by `instances` instances.
    qint64 admittedBound(int instances) const
    {
        return m_options.limit + qint64(instances) * (m_flushHits - 1);
    }

private:
    struct Entry
    {
        qint64 windowStart = -1;
        qint64 shared = 0;    // the database total as last seen (our flushed hits included)
        qint64 inFlight = 0;  // being added by the flush in progress
        qint64 unflushed = 0; // admitted here, not yet added
        qint64 lastFlushMs = std::numeric_limits<qint64>::min() / 2;
        bool flushing = false;
    };

    qint64 nowMs() const;
    void purgeIfDue(qint64 now);
    /// Adds the key's unflushed hits plus ownHits to the shared counter, with m_mutex
    /// released meanwhile; the new total, nullopt if the database failed.
    std::optional<qint64> flush(QMutexLocker<QMutex> &locker, const QString &key,
                                qint64 windowStart, qint64 ownHits, qint64 now);
    Decision refuse(qint64 windowStart, qint64 now) const;

    storage::Database &m_database;
    const domain::Clock &m_clock;
    Options m_options;
    int m_flushHits;
    qint64 m_windowMs;

    QMutex m_mutex;
    QWaitCondition m_flushDone;
    QHash<QString, Entry> m_entries;
    qint64 m_nextPurgeMs = 0;
    qint64 m_retryDatabaseAtMs = 0; // after a failure: no flushes before this
};

} // namespace md::server
