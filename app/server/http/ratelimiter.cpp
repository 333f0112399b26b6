#include "ratelimiter.h"

#include "wire.h"

#include "domain/clock.h"
#include "storage/authrepositories.h"
#include "storage/database.h"
#include "storage/repositories.h"

#include <QJsonObject>

#include <algorithm>

#include <spdlog/spdlog.h>

using namespace Qt::StringLiterals;

namespace md::server {

namespace {

constexpr qint64 databaseRetryMs = 1000;

} // namespace

RateLimiter::RateLimiter(storage::Database &database, const domain::Clock &clock, Options options)
    : m_database(database), m_clock(clock), m_options(options),
      m_flushHits(options.flushHits > 0 ? options.flushHits
                                        : std::clamp(options.limit / 10, 1, 10)),
      m_windowMs(std::max<qint64>(1000, options.window.count()))
{
    m_options.limit = std::max(1, m_options.limit);
}

qint64 RateLimiter::nowMs() const
{
    return std::max<qint64>(0, m_clock.now().toMSecsSinceEpoch());
}

RateLimiter::Decision RateLimiter::refuse(qint64 windowStart, qint64 now) const
{
    const qint64 remainingMs = windowStart + m_windowMs - now;
    return {false, int(std::max<qint64>(1, (remainingMs + 999) / 1000))};
}

RateLimiter::Decision RateLimiter::hit(const QString &key)
{
    purgeIfDue(nowMs());

    QMutexLocker locker(&m_mutex);
    for (;;) {
        const qint64 now = nowMs();
        const qint64 windowStart = now - now % m_windowMs;
        Entry &entry = m_entries[key];
        if (entry.windowStart != windowStart) {
            // A new window; a flush of the old one may still be running and is ignored
            // when it returns.
            const bool flushing = entry.flushing;
            entry = Entry{};
            entry.windowStart = windowStart;
            entry.flushing = flushing;
        }
        const bool intervalPassed = now - entry.lastFlushMs >= m_options.flushInterval.count() &&
                                    now >= m_retryDatabaseAtMs;
        if (entry.shared + entry.inFlight + entry.unflushed >= m_options.limit) {
            // Refused requests are not counted, but hits still held here are shared
            // once due, so that the other instances learn the limit is reached.
            if (entry.unflushed > 0 && !entry.flushing && intervalPassed)
                (void)flush(locker, key, windowStart, 0, now);
            return refuse(windowStart, now);
        }

        const bool due =
            intervalPassed || (entry.unflushed + 1 >= m_flushHits && now >= m_retryDatabaseAtMs);
        if (!due) {
            ++entry.unflushed;
            return {};
        }
        if (entry.flushing) {
            // Decide on the total that flush brings back, never on more stale hits.
            m_flushDone.wait(&m_mutex);
            continue;
        }
        const std::optional<qint64> total = flush(locker, key, windowStart, 1, now);
        if (total && *total > m_options.limit)
            return refuse(windowStart, now);
        return {}; // admitted, also when the database failed (fail open)
    }
}

std::optional<qint64> RateLimiter::flush(QMutexLocker<QMutex> &locker, const QString &key,
                                         qint64 windowStart, qint64 ownHits, qint64 now)
{
    Entry &entry = m_entries[key];
    const qint64 delta = entry.unflushed + ownHits;
    entry.unflushed = 0;
    entry.inFlight = delta;
    entry.flushing = true;
    entry.lastFlushMs = now;
    locker.unlock();

    qint64 total = -1;
    QString failure;
    try {
        storage::Repositories repositories(m_database);
        total = repositories.rateLimits().add(key, windowStart, delta);
    } catch (const std::exception &error) {
        failure = QString::fromUtf8(error.what());
    } catch (...) {
        failure = u"unknown error"_s;
    }

    locker.relock();
    Entry &after = m_entries[key]; // the hash may have been rehashed meanwhile
    after.flushing = false;
    if (after.windowStart == windowStart) {
        after.inFlight = 0;
        if (failure.isEmpty())
            after.shared = std::max(after.shared, total);
        else
            after.unflushed += delta; // added with a later flush
    }
    m_flushDone.wakeAll();
    if (failure.isEmpty())
        return total;
    if (now >= m_retryDatabaseAtMs)
        spdlog::warn("rate limit: cannot update the shared counter, admitting on the local "
                     "count for {} ms: {}",
                     databaseRetryMs, failure.toStdString());
    m_retryDatabaseAtMs = now + databaseRetryMs;
    return std::nullopt;
}

void RateLimiter::purgeIfDue(qint64 now)
{
    qint64 keepFrom = 0;
    {
        QMutexLocker locker(&m_mutex);
        if (now < m_nextPurgeMs)
            return;
        m_nextPurgeMs = now + std::max<qint64>(1000, m_options.purgeInterval.count());
        const qint64 windowStart = now - now % m_windowMs;
        keepFrom = windowStart - m_windowMs; // the previous window may still be flushed
        for (auto it = m_entries.begin(); it != m_entries.end();) {
            if (it->windowStart < windowStart && !it->flushing)
                it = m_entries.erase(it);
            else
                ++it;
        }
    }
    try {
        storage::Repositories repositories(m_database);
        const int removed = repositories.rateLimits().purgeBefore(keepFrom);
        if (removed > 0)
            spdlog::debug("rate limit: purged {} old counters", removed);
    } catch (const std::exception &error) {
        spdlog::warn("rate limit: cannot purge old counters: {}", error.what());
    }
}

HttpResponse RateLimiter::refusal(const Decision &decision) const
{
    HttpResponse response = wire::errorResponse(
        429, u"rate_limited"_s,
        u"Too many requests from this address. Retry in %1 s."_s.arg(decision.retryAfterSeconds),
        QJsonObject{{u"retry_after_seconds"_s, decision.retryAfterSeconds},
                    {u"limit"_s, m_options.limit},
                    {u"window_seconds"_s, int(m_windowMs / 1000)}});
    response.withHeader("Retry-After", QByteArray::number(decision.retryAfterSeconds));
    return response;
}

} // namespace md::server
