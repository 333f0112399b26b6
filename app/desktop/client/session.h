#pragma once

#include "apiresult.h"
#include "domain/role.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <functional>

namespace md::client {

class ApiClient;
class CredentialStore;

/// Who is signed in, from the token pair's "user" (or /v1/auth/me).
struct SignedInUser
{
    QString id;
    QString name;
    QString email;
    QString phone;
    domain::Role role = domain::Role::Customer;
    QStringList permissions; // wire names, "tickets.assign"
    QString organizationId;
    QString organizationName;
    QJsonObject json; // everything the server said
};

/// The signed-in session. The access token lives only in memory; the refresh token in
/// the CredentialStore (keychain) under a key per server URL, so a restart signs in
/// again without a password. Refreshing is single-flight (RFC 9700 §4.14.2: a refresh
/// token used twice revokes the family): concurrent refresh() calls share one request.
/// A timer refreshes ahead of expiry (at 80 % of expires_in); ApiClient refreshes on a
/// 401. When a refresh is refused (401), the session ends: signedOut(). A refresh that
/// cannot reach the server keeps the session and tries again later.
class Session final : public QObject
{
    Q_OBJECT
public:
    Session(ApiClient *api, CredentialStore *store, QObject *parent = nullptr);
    ~Session() override;

    bool isSignedIn() const { return !m_accessToken.isEmpty(); }
    QByteArray accessToken() const { return m_accessToken; }
    QDateTime accessExpiresAt() const { return m_expiresAt; }
    const SignedInUser &user() const { return m_user; }
    bool may(domain::Permission permission) const;
    /// False once the store said it is unavailable: the user signs in every time.
    bool isPersistent() const { return m_persistent; }

    /// A token pair from /v1/auth/otp/verify or /v1/auth/login: keeps the access token,
    /// stores the refresh token, emits signedIn().
    void acceptTokens(const QJsonObject &pair);
    /// Reads a stored refresh token and refreshes with it: signedIn() on success,
    /// restoreFailed() when there is none, it is refused, or the store is unavailable.
    void restore();
    /// Single-flight. done(true) when a new access token is in place.
    void refresh(QObject *context, std::function<void(bool ok)> done);
    /// Ends the session on the server (best effort) and forgets both tokens.
    void signOut();
    /// The key the refresh token is stored under for the API's current base URL.
    QString storeKey() const;

    /// Tests only: replaces the access token (e.g. with one the server refuses, to see
    /// the transparent refresh on a 401) and, when valid, its expiry time.
    void setAccessTokenForTesting(const QByteArray &token, const QDateTime &expiresAt = {});

Q_SIGNALS:
    void signedIn();
    /// Signed out by the user, or the session was refused by the server.
    void signedOut(const QString &reason);
    void restoreFailed(const QString &reason);
    /// The keychain cannot be used: tell the user they will sign in each time.
    void credentialStoreUnavailable(const QString &explanation);
    void userChanged();

private:
    void applyPair(const QJsonObject &pair, bool storeRefresh);
    void scheduleRefresh(int expiresInSeconds);
    void clear(const QString &reason, bool emitSignedOut);
    void storeRefreshToken(const QString &token);
    void finishRefresh(bool ok);
    void markStoreUnavailable(const QString &explanation);

    QPointer<ApiClient> m_api;
    QPointer<CredentialStore> m_store;
    QByteArray m_accessToken;
    QString m_refreshToken; // kept in memory too when the store is unavailable
    QDateTime m_expiresAt;
    SignedInUser m_user;
    bool m_persistent = true;
    bool m_refreshing = false;
    quint64 m_generation = 0;   // bumped when the session ends: late answers are stale
    QString m_lastRefreshError; // why the last refresh failed, for restoreFailed()
    QList<std::pair<QPointer<QObject>, std::function<void(bool)>>> m_waiting;
    QTimer m_refreshTimer;
};

} // namespace md::client
