#pragma once

// Repositories of authentication, sessions, rate limits and the audit trail
// (issue 3). Same rules as repositories.h: the calling thread's connection, writes
// inside Database::transaction, StorageError on failure. Times are UTC; stored as
// epoch milliseconds.

#include "paging.h"
#include "repositories.h"

#include "domain/user.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <optional>

namespace md::storage {

struct UserFilter
{
    QString organizationId;
    std::optional<domain::Role> role;
    std::optional<bool> active;
    QString q; // case-insensitive substring of name, e-mail or phone
};

class UserRepository
{
public:
    virtual ~UserRepository() = default;
    /// StorageError Conflict when the e-mail or phone is taken (unique indexes).
    virtual void insert(const domain::User &user) = 0;
    /// Every column, password hash included.
    virtual void update(const domain::User &user) = 0;
    virtual std::optional<domain::User> find(const QString &id) = 0;
    /// By a normalized identifier (domain::normalizeIdentifier): e-mail or phone.
    virtual std::optional<domain::User> findByIdentifier(const QString &normalized) = 0;
    /// Ordered by name, then id. Scope: users of scope.organizationIds.
    virtual Page<domain::User> list(const UserFilter &filter, const Scope &scope,
                                    PageRequest page) = 0;
    virtual qint64 countByRole(domain::Role role) = 0;
    /// The engineer record whose user_id is this user, if any.
    virtual std::optional<QString> engineerIdOf(const QString &userId) = 0;
};

/// Consecutive authentication failures (passwords and OTP codes together) of one
/// subject. The key is "user:<id>" for a known user and "id:<hmac of identifier>" for an
/// identifier that names nobody, so both lock the same way and answer alike.
struct LockoutPolicy
{
    int failuresPerLock = 5;                  // every 5th consecutive failure locks...
    qint64 lockMilliseconds = 30 * 60 * 1000; // ...for 30 minutes
    int adminUnlockAfter = 100; // from the 100th consecutive failure on, only an admin unlocks
};

struct LockState
{
    int consecutiveFailures = 0; // reset only by a success or an administrator
    QDateTime lockedUntil;       // invalid or past: not locked by time
    bool adminUnlockRequired = false;

    bool lockedAt(const QDateTime &now) const
    {
        return adminUnlockRequired || (lockedUntil.isValid() && lockedUntil > now);
    }
};

class LoginThrottleRepository
{
public:
    virtual ~LoginThrottleRepository() = default;
    virtual LockState state(const QString &key) = 0;
    /// Atomically adds one failure and applies the policy; returns the new state.
    virtual LockState recordFailure(const QString &key, const QDateTime &now,
                                    const LockoutPolicy &policy) = 0;
    /// A success, or an administrator's unlock: forgets the failures and the lock.
    virtual void reset(const QString &key) = 0;
};

struct OtpRecord
{
    QString id;
    QString identifierKey; // HMAC of the normalized identifier (hex), never the identifier
    QString purpose;       // "login", "register", "reset"
    QString channel;       // "sms", "whatsapp", "email"
    QByteArray codeMac;    // HMAC-SHA256(server key, purpose|identifier|code), raw bytes
    QString userId;        // empty when the identifier names nobody (not delivered)
    QDateTime createdAt;
    QDateTime expiresAt;
    QDateTime consumedAt; // invalid: not used yet
};

class OtpRepository
{
public:
    virtual ~OtpRepository() = default;
    virtual void insert(const OtpRecord &record) = 0;
    /// Codes created for this identifier at or after `since` (any purpose): the send
    /// limits count these rows.
    virtual int countSince(const QString &identifierKey, const QDateTime &since) = 0;
    virtual std::optional<QDateTime> lastCreatedAt(const QString &identifierKey) = 0;
    /// The newest code of that identifier and purpose that is unconsumed and unexpired.
    virtual std::optional<OtpRecord> latestUsable(const QString &identifierKey,
                                                  const QString &purpose, const QDateTime &now) = 0;
    /// Marks it used; false if it already was (single use under concurrency).
    virtual bool consume(const QString &id, const QDateTime &at) = 0;
    /// Marks every unconsumed code of that identifier and purpose used (after a
    /// success, so older codes die too).
    virtual void consumeAll(const QString &identifierKey, const QString &purpose,
                            const QDateTime &at) = 0;
    /// Deletes rows created before `before` (housekeeping; they no longer count).
    virtual int purgeCreatedBefore(const QDateTime &before) = 0;
};

/// A signed-in device: one refresh-token family.
struct Session
{
    QString id;
    QString userId;
    QString deviceName;
    QString ipAddress;
    QString userAgent;
    QDateTime createdAt;
    QDateTime lastUsedAt;
    QDateTime expiresAt;   // absolute end of the family
    QDateTime revokedAt;   // invalid: live
    QString revokedReason; // "logout", "revoked", "refresh_reuse", "password_changed", ...
};

class SessionRepository
{
public:
    virtual ~SessionRepository() = default;
    /// A new session with its first refresh token (stored as SHA-256 hex only).
    virtual void insert(const Session &session, const QString &refreshTokenHash) = 0;
    virtual std::optional<Session> find(const QString &id) = 0;
    /// Live (unrevoked, unexpired) sessions of the user, most recently used first.
    virtual QList<Session> listLive(const QString &userId, const QDateTime &now) = 0;

    enum class RotateOutcome
    {
        Unknown, // no such token
        Rotated, // was current: now used, the new hash is current, last use updated
        Reused,  // had been used before (or concurrently): caller revokes the family
        Dead,    // its session is revoked or expired
    };
    struct RotateResult
    {
        RotateOutcome outcome = RotateOutcome::Unknown;
        std::optional<Session> session; // for every outcome but Unknown
    };
    /// Atomic under concurrency: of two requests presenting the same current token,
    /// exactly one gets Rotated and the other Reused.
    virtual RotateResult rotate(const QString &oldHash, const QString &newHash,
                                const QDateTime &now, const QString &ipAddress,
                                const QString &userAgent) = 0;
    /// The session a refresh token belongs to (any state), for logout.
    virtual std::optional<Session> findByRefreshHash(const QString &hash) = 0;
    /// false when it was already revoked or does not exist.
    virtual bool revoke(const QString &sessionId, const QDateTime &at, const QString &reason) = 0;
    /// Revokes every live session of the user; returns how many.
    virtual int revokeAllOf(const QString &userId, const QDateTime &at, const QString &reason) = 0;
};

class RateLimitRepository
{
public:
    virtual ~RateLimitRepository() = default;
    /// Adds `hits` to the counter (key, windowStart) and returns its new total; shared
    /// by every server instance on the same database. One statement (upsert).
    virtual qint64 add(const QString &key, qint64 windowStartMs, qint64 hits) = 0;
    /// Deletes windows that started before `windowStartMs`.
    virtual int purgeBefore(qint64 windowStartMs) = 0;
};

/// One line of the append-only audit trail (HIPAA 164.312(b), 21 CFR 11.10(e)).
struct AuditEntry
{
    qint64 sequence = 0; // assigned by append(): 1, 2, 3, ... in chain order
    QString id;
    QDateTime at;
    QString actorId;        // user id; empty for the system or an anonymous caller
    QString actorRole;      // role wire name, or "system" / "anonymous"
    QString organizationId; // the organization the change concerns (or the actor's)
    QString action;         // "ticket.create", "auth.login_failed", "user.update", ...
    QString entityType;     // "ticket", "assignment", "equipment", "user", "session", ...
    QString entityId;
    QJsonObject before; // the object before the change (empty for creates and events)
    QJsonObject after;  // after (empty for events without an object)
    QString ipAddress;
    QString requestId;
    QString previousHash; // hex SHA-256 of the previous entry ("" for the first)
    QString hash;         // hex SHA-256 over previousHash and this entry's canonical form
};

struct AuditFilter
{
    QString actorId;
    QString organizationId;
    QString action; // exact, or a prefix ending in '.' ("auth.")
    QString entityType;
    QString entityId;
    QDateTime from; // inclusive
    QDateTime to;   // exclusive
};

struct AuditVerification
{
    bool intact = true;
    qint64 checked = 0;
    qint64 firstBadSequence = 0; // 0 when intact
    QString problem;             // "hash mismatch", "broken link to the previous entry", ...
};

class AuditRepository
{
public:
    virtual ~AuditRepository() = default;
    /// Appends inside the caller's transaction (so the entry commits or rolls back with
    /// the change), after taking the chain lock; fills sequence, previousHash and hash.
    /// Assigns id and at when empty.
    virtual void append(AuditEntry &entry) = 0;
    /// Newest first.
    virtual Page<AuditEntry> list(const AuditFilter &filter, PageRequest page) = 0;
    /// Recomputes the chain from the first entry; names the first entry that does not
    /// match.
    virtual AuditVerification verify() = 0;
};

/// Whether one object is visible under a scope (the rules of Scope). Unknown ids are
/// invisible.
class VisibilityRepository
{
public:
    virtual ~VisibilityRepository() = default;
    virtual bool organizationVisible(const QString &id, const Scope &scope) = 0;
    virtual bool equipmentVisible(const QString &id, const Scope &scope) = 0;
    virtual bool engineerVisible(const QString &id, const Scope &scope) = 0;
    virtual bool ticketVisible(const QString &id, const Scope &scope) = 0;
    virtual bool userVisible(const QString &id, const Scope &scope) = 0;
};

/// The canonical text an audit entry's hash covers (shared by append and verify, and
/// documented in docs/security.md): the compact UTF-8 JSON of an object of every field
/// but hash, keys sorted at every level (action, actor_id, actor_role, after, at, before,
/// entity_id, entity_type, id, ip_address, organization_id, previous_hash, request_id,
/// sequence), `at` in epoch milliseconds, empty objects as {}.
QByteArray auditCanonicalForm(const AuditEntry &entry);
/// Lower-case hex SHA-256 of the canonical form with previous_hash set to previousHash.
QString auditHash(const QString &previousHash, const AuditEntry &entry);

} // namespace md::storage
