#include "sqlrepositories.h"
#include "storageerror.h"

namespace md::storage {

namespace {

const QString SessionColumns =
    QStringLiteral("s.id, s.user_id, s.device_name, s.ip_address, s.user_agent, s.created_at, "
                   "s.last_used_at, s.expires_at, s.revoked_at, s.revoked_reason");

Session session(const sql::Query &q, int i = 0)
{
    Session s;
    s.id = q.string(i + 0);
    s.userId = q.string(i + 1);
    s.deviceName = q.string(i + 2);
    s.ipAddress = q.string(i + 3);
    s.userAgent = q.string(i + 4);
    s.createdAt = sql::dateTime(q.value(i + 5));
    s.lastUsedAt = sql::dateTime(q.value(i + 6));
    s.expiresAt = sql::dateTime(q.value(i + 7));
    s.revokedAt = sql::dateTime(q.value(i + 8));
    s.revokedReason = q.string(i + 9);
    return s;
}

} // namespace

// Writes run in Database::transaction (nested: part of the caller's), so a lone call
// still gets the writer queue and the retry of busy databases.

void SqlSessionRepository::insert(const Session &s, const QString &refreshTokenHash)
{
    const QDateTime created = s.createdAt.isValid() ? s.createdAt : QDateTime::currentDateTimeUtc();
    m_db.transaction([&] {
        sql::Query q(m_db, QStringLiteral("INSERT INTO sessions (id, user_id, device_name, "
                                          "ip_address, user_agent, created_at, last_used_at, "
                                          "expires_at, revoked_at, revoked_reason) "
                                          "VALUES (?,?,?,?,?,?,?,?,?,?)"));
        q.bind(s.id).bind(s.userId).bind(sql::text(s.deviceName)).bind(sql::text(s.ipAddress));
        q.bind(sql::text(s.userAgent)).bind(sql::millis(created));
        q.bind(sql::millis(s.lastUsedAt.isValid() ? s.lastUsedAt : created));
        q.bind(sql::millis(s.expiresAt)).bind(sql::millis(s.revokedAt));
        q.bind(sql::text(s.revokedReason));
        q.exec();
        sql::Query t(m_db, QStringLiteral("INSERT INTO refresh_tokens (token_hash, session_id, "
                                          "created_at, used_at) VALUES (?, ?, ?, NULL)"));
        t.bind(refreshTokenHash).bind(s.id).bind(sql::millis(created)).exec();
    });
}

std::optional<Session> SqlSessionRepository::find(const QString &id)
{
    sql::Query q(m_db, u"SELECT " + SessionColumns + u" FROM sessions s WHERE s.id = ?");
    q.bind(id).exec();
    if (!q.next())
        return std::nullopt;
    return session(q);
}

QList<Session> SqlSessionRepository::listLive(const QString &userId, const QDateTime &now)
{
    sql::Query q(m_db, u"SELECT " + SessionColumns +
                           u" FROM sessions s WHERE s.user_id = ? AND s.revoked_at IS NULL "
                           u"AND s.expires_at > ? ORDER BY s.last_used_at DESC, s.id DESC");
    q.bind(userId).bind(sql::millis(now)).exec();
    QList<Session> out;
    while (q.next())
        out.append(session(q));
    return out;
}

SessionRepository::RotateResult
SqlSessionRepository::rotate(const QString &oldHash, const QString &newHash, const QDateTime &now,
                             const QString &ipAddress, const QString &userAgent)
{
    RotateResult result;
    m_db.transaction([&] {
        result = {};
        {
            sql::Query q(m_db, u"SELECT " + SessionColumns +
                                   u" FROM refresh_tokens r JOIN sessions s ON s.id = "
                                   u"r.session_id WHERE r.token_hash = ?");
            q.bind(oldHash).exec();
            if (!q.next())
                return; // Unknown
            result.session = session(q);
        }
        Session &s = *result.session;
        if (s.revokedAt.isValid() || !s.expiresAt.isValid() || s.expiresAt <= now) {
            result.outcome = RotateOutcome::Dead;
            return;
        }
        // The decision is this conditional UPDATE, not the read above: of two concurrent
        // rotations one marks the token used, and the other then changes no row (on
        // PostgreSQL it waits for the first's row lock and re-checks used_at).
        {
            sql::Query used(m_db, QStringLiteral("UPDATE refresh_tokens SET used_at = ? "
                                                 "WHERE token_hash = ? AND used_at IS NULL"));
            used.bind(sql::millis(now)).bind(oldHash).exec();
            if (used.numRowsAffected() != 1) {
                result.outcome = RotateOutcome::Reused;
                return;
            }
        }
        sql::Query t(m_db, QStringLiteral("INSERT INTO refresh_tokens (token_hash, session_id, "
                                          "created_at, used_at) VALUES (?, ?, ?, NULL)"));
        t.bind(newHash).bind(s.id).bind(sql::millis(now)).exec();
        sql::Query u(m_db, QStringLiteral("UPDATE sessions SET last_used_at = ?, ip_address = ?, "
                                          "user_agent = ? WHERE id = ?"));
        u.bind(sql::millis(now)).bind(sql::text(ipAddress)).bind(sql::text(userAgent));
        u.bind(s.id).exec();
        s.lastUsedAt = now;
        s.ipAddress = ipAddress;
        s.userAgent = userAgent;
        result.outcome = RotateOutcome::Rotated;
    });
    return result;
}

std::optional<Session> SqlSessionRepository::findByRefreshHash(const QString &hash)
{
    sql::Query q(m_db, u"SELECT " + SessionColumns +
                           u" FROM refresh_tokens r JOIN sessions s ON s.id = r.session_id "
                           u"WHERE r.token_hash = ?");
    q.bind(hash).exec();
    if (!q.next())
        return std::nullopt;
    return session(q);
}

bool SqlSessionRepository::revoke(const QString &sessionId, const QDateTime &at,
                                  const QString &reason)
{
    bool revoked = false;
    m_db.transaction([&] {
        sql::Query q(m_db, QStringLiteral("UPDATE sessions SET revoked_at = ?, revoked_reason = ? "
                                          "WHERE id = ? AND revoked_at IS NULL"));
        q.bind(sql::millis(at)).bind(sql::text(reason)).bind(sessionId).exec();
        revoked = q.numRowsAffected() == 1;
    });
    return revoked;
}

int SqlSessionRepository::revokeAllOf(const QString &userId, const QDateTime &at,
                                      const QString &reason)
{
    int revoked = 0;
    m_db.transaction([&] {
        sql::Query q(m_db, QStringLiteral("UPDATE sessions SET revoked_at = ?, revoked_reason = ? "
                                          "WHERE user_id = ? AND revoked_at IS NULL AND "
                                          "expires_at > ?"));
        q.bind(sql::millis(at)).bind(sql::text(reason)).bind(userId).bind(sql::millis(at));
        q.exec();
        revoked = q.numRowsAffected();
    });
    return revoked;
}

} // namespace md::storage
