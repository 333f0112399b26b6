#include "sqlrepositories.h"
#include "storageerror.h"

namespace md::storage {

// Writes run in Database::transaction (nested: part of the caller's), so a lone call
// still gets the writer queue and the retry of busy databases.

LockState SqlLoginThrottleRepository::state(const QString &key)
{
    sql::Query q(m_db, QStringLiteral("SELECT consecutive_failures, locked_until, "
                                      "admin_unlock_required FROM login_throttle WHERE key = ?"));
    q.bind(key).exec();
    LockState state;
    if (!q.next())
        return state;
    state.consecutiveFailures = q.value(0).toInt();
    state.lockedUntil = sql::dateTime(q.value(1));
    state.adminUnlockRequired = q.value(2).toBool();
    return state;
}

LockState SqlLoginThrottleRepository::recordFailure(const QString &key, const QDateTime &now,
                                                    const LockoutPolicy &policy)
{
    LockState state;
    m_db.transaction([&] {
        {
            // The upsert keeps the row locked until commit, so concurrent failures of one
            // subject are counted one after the other and each sees its own count.
            sql::Query q(
                m_db, QStringLiteral("INSERT INTO login_throttle (key, consecutive_failures, "
                                     "updated_at) VALUES (?, 1, ?) ON CONFLICT (key) DO UPDATE SET "
                                     "consecutive_failures = login_throttle.consecutive_failures + "
                                     "1, updated_at = excluded.updated_at "
                                     "RETURNING consecutive_failures, locked_until, "
                                     "admin_unlock_required"));
            q.bind(key).bind(sql::millis(now)).exec();
            if (!q.next())
                throw StorageError(StorageError::Kind::Internal, QStringLiteral("login throttle"));
            state.consecutiveFailures = q.value(0).toInt();
            state.lockedUntil = sql::dateTime(q.value(1));
            state.adminUnlockRequired = q.value(2).toBool();
        }
        // The count is not reset when a lock ends: every failuresPerLock-th consecutive
        // failure locks again, and from adminUnlockAfter on only an administrator helps.
        const bool locks =
            policy.failuresPerLock > 0 && state.consecutiveFailures % policy.failuresPerLock == 0;
        const bool becomesAdminOnly = policy.adminUnlockAfter > 0 &&
                                      state.consecutiveFailures >= policy.adminUnlockAfter &&
                                      !state.adminUnlockRequired;
        if (!locks && !becomesAdminOnly)
            return;
        if (locks) {
            const QDateTime until = now.addMSecs(policy.lockMilliseconds);
            if (!state.lockedUntil.isValid() || state.lockedUntil < until)
                state.lockedUntil = until;
        }
        if (becomesAdminOnly)
            state.adminUnlockRequired = true;
        sql::Query u(m_db, QStringLiteral("UPDATE login_throttle SET locked_until = ?, "
                                          "admin_unlock_required = ? WHERE key = ?"));
        u.bind(sql::millis(state.lockedUntil)).bind(sql::boolean(state.adminUnlockRequired));
        u.bind(key).exec();
    });
    return state;
}

void SqlLoginThrottleRepository::reset(const QString &key)
{
    m_db.transaction([&] {
        sql::Query q(m_db, QStringLiteral("DELETE FROM login_throttle WHERE key = ?"));
        q.bind(key).exec();
    });
}

} // namespace md::storage
