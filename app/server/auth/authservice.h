#pragma once

#include "domain/user.h"
#include "principal.h"
#include "security/jwt.h"
#include "storage/authrepositories.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QMutex>
#include <QString>
#include <chrono>
#include <optional>

namespace md::domain {
class Clock;
}
namespace md::storage {
class Database;
}

namespace md::server {

class Notifier;
class PasswordGate;
class RequestContext;

struct AuthSettings
{
    std::chrono::seconds accessLifetime{15 * 60};
    std::chrono::seconds sessionLifetime{30 * 24 * 3600}; // a refresh family's absolute end
    std::chrono::seconds otpLifetime{10 * 60};
    int otpSendsPerHour = 3;
    std::chrono::seconds otpMinInterval{60};
    storage::LockoutPolicy lockout;
};

/// What a successful sign-in or refresh answers (API.md "token pair").
struct TokenPair
{
    QString accessToken;
    QString refreshToken;
    qint64 expiresIn = 0; // seconds
    QJsonObject user;     // the user as GET /v1/auth/me shows it
    QJsonObject toJson() const;
};

/// The authentication flows of API.md: OTP first, passwords as the fallback, token
/// pairs with rotating refresh tokens, sessions, lockout, and the audit entries of each.
/// Every entry point runs on a worker thread; bcrypt goes through the PasswordGate.
/// Known and unknown identifiers take the same path (unknown ones get codes that are
/// never delivered, failures that lock, and a dummy bcrypt), so the answers match.
class AuthService final
{
public:
    AuthService(storage::Database &database, const domain::Clock &clock, security::JwtCodec codec,
                QByteArray otpKey, Notifier &notifier, PasswordGate &gate,
                AuthSettings settings = {});

    // POST /v1/auth/... (throw api::ApiError on every refusal)
    QJsonObject sendOtp(RequestContext &context, const QString &identifier, const QString &channel,
                        const QString &purpose);
    TokenPair verifyOtp(RequestContext &context, const QString &identifier, const QString &code,
                        const QString &deviceName);
    TokenPair login(RequestContext &context, const QString &identifier, const QString &password,
                    const QString &deviceName);
    TokenPair refresh(RequestContext &context, const QString &refreshToken);
    void logout(RequestContext &context, const QString &refreshToken);
    /// The new user (inactive until an administrator approves, unverified until the
    /// OTP sent to it is verified).
    domain::User registerUser(RequestContext &context, domain::User user, const QString &password);
    QJsonObject forgotPassword(RequestContext &context, const QString &identifier);
    void resetPassword(RequestContext &context, const QString &identifier, const QString &code,
                       const QString &newPassword);
    void changePassword(RequestContext &context, const QString &currentPassword,
                        const QString &newPassword);

    /// The caller of a request from its bearer token, or nullopt (problem says why).
    std::optional<Principal> authenticate(QByteArrayView accessToken, RequestContext &context,
                                          QString *problem);
    /// GET /v1/auth/me's body for a user.
    QJsonObject describeUser(RequestContext &context, const domain::User &user);

    /// bcrypt through the gate; throws 422 weak_password naming `field` when the policy
    /// refuses it.
    QByteArray hashNewPassword(const QString &password, const QString &name, const QString &email,
                               const QString &field = QStringLiteral("password"));
    /// Forgets failures and lifts the lock (PATCH /v1/users/{id} {"locked": false}).
    void unlock(const QString &userId);
    storage::LockState lockState(const QString &userId);
    /// An access token for a user and session (tests and benchmarks sign in with it).
    QByteArray issueAccessToken(const domain::User &user, const QString &engineerId,
                                const QString &sessionId) const;
    const security::JwtCodec &codec() const { return m_codec; }
    const AuthSettings &settings() const { return m_settings; }

    /// "id:<hex hmac>": an identifier's key in OTP and throttle rows, never the text.
    QString identifierKey(const QString &normalized) const;

private:
    struct Subject
    {
        QString normalized;
        std::optional<domain::User> user;
        QString throttleKey;
        QString identifierKey;
    };
    Subject subjectFor(RequestContext &context, const QString &identifier,
                       const QString &field = QStringLiteral("identifier"));
    void refuseIfLocked(RequestContext &context, const Subject &subject);
    /// Records a failed attempt (own transaction, audited) and throws 401 `failure` or
    /// 423 when this failure locked the account.
    [[noreturn]] void fail(RequestContext &context, const Subject &subject, const QString &code,
                           const QString &message, const QString &action);
    std::optional<storage::OtpRecord> matchingCode(RequestContext &context, const Subject &subject,
                                                   const QStringList &purposes,
                                                   const QString &code);
    QByteArray codeMac(const QString &purpose, const QString &normalized,
                       const QString &code) const;
    TokenPair startSession(RequestContext &context, domain::User user, const QString &deviceName,
                           const QString &method);
    QString engineerIdFor(RequestContext &context, const QString &userId);
    void deliverCode(const domain::User *user, const QString &normalized, const QString &channel,
                     const QString &purpose, const storage::OtpRecord &record, const QString &code);
    qint64 sendRetryAfter(RequestContext &context, const QString &key);

    storage::Database &m_database;
    const domain::Clock &m_clock;
    security::JwtCodec m_codec;
    QByteArray m_otpKey;
    Notifier &m_notifier;
    PasswordGate &m_gate;
    AuthSettings m_settings;

    // Tokens verified before: a client sends the same access token for 15 minutes, so
    // its RSA signature is checked once, not on every request. Keyed by the exact bytes.
    struct VerifiedToken
    {
        Principal principal;
        qint64 validUntilMs = 0; // exp + leeway
    };
    QMutex m_verifiedMutex;
    QHash<QByteArray, VerifiedToken> m_verified;

    QMutex m_engineerCacheMutex;
    QHash<QString, std::pair<QString, qint64>>
        m_engineerCache; // user id -> (engineer id, expiry ms)
};

} // namespace md::server
