#include "session.h"

#include "apiclient.h"
#include "credentialstore.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QMetaObject>

using namespace Qt::StringLiterals;

namespace md::client {

namespace {

/// A refresh that could not reach the server is tried again this much later (or
/// sooner, on the next request's 401).
constexpr int kRetryRefreshMs = 15000;

SignedInUser parseUser(const QJsonObject &json)
{
    SignedInUser user;
    user.json = json;
    user.id = json.value(u"id"_s).toString();
    user.name = json.value(u"name"_s).toString();
    user.email = json.value(u"email"_s).toString();
    user.phone = json.value(u"phone"_s).toString();
    user.role =
        domain::parseRole(json.value(u"role"_s).toString()).value_or(domain::Role::Customer);
    const QJsonArray permissions = json.value(u"permissions"_s).toArray();
    for (const QJsonValue &p : permissions)
        user.permissions.append(p.toString());
    const QJsonObject organization = json.value(u"organization"_s).toObject();
    user.organizationId = organization.value(u"id"_s).toString();
    if (user.organizationId.isEmpty())
        user.organizationId = json.value(u"organization_id"_s).toString();
    user.organizationName = organization.value(u"name"_s).toString();
    return user;
}

} // namespace

Session::Session(ApiClient *api, CredentialStore *store, QObject *parent)
    : QObject(parent), m_api(api), m_store(store)
{
    m_refreshTimer.setSingleShot(true);
    connect(&m_refreshTimer, &QTimer::timeout, this, [this] {
        if (isSignedIn())
            refresh(this, {});
    });
}

Session::~Session() = default;

bool Session::may(domain::Permission permission) const
{
    if (!isSignedIn())
        return false;
    // The server's list is the truth for this user; the role table is the fallback for
    // an answer that did not carry one.
    if (!m_user.json.value(u"permissions"_s).isUndefined())
        return m_user.permissions.contains(domain::toString(permission));
    return domain::hasPermission(m_user.role, permission);
}

QString Session::storeKey() const
{
    const QUrl url = m_api ? m_api->baseUrl() : QUrl();
    const int defaultPort = url.scheme() == u"https" ? 443 : 80;
    return u"refresh-token:"_s + url.host() + u':' + QString::number(url.port(defaultPort));
}

void Session::setAccessTokenForTesting(const QByteArray &token, const QDateTime &expiresAt)
{
    m_accessToken = token;
    if (expiresAt.isValid())
        m_expiresAt = expiresAt;
}

void Session::acceptTokens(const QJsonObject &pair)
{
    const bool wasSignedIn = isSignedIn();
    applyPair(pair, true);
    if (isSignedIn() && !wasSignedIn)
        Q_EMIT signedIn();
}

void Session::applyPair(const QJsonObject &pair, bool storeRefresh)
{
    const QByteArray access = pair.value(u"access_token"_s).toString().toUtf8();
    const QString refreshToken = pair.value(u"refresh_token"_s).toString();
    if (access.isEmpty())
        return;
    const int expiresIn = pair.value(u"expires_in"_s).toInt(900);
    m_accessToken = access;
    m_expiresAt = QDateTime::currentDateTimeUtc().addSecs(expiresIn);
    if (!refreshToken.isEmpty())
        m_refreshToken = refreshToken;
    const QJsonObject userJson = pair.value(u"user"_s).toObject();
    if (!userJson.isEmpty() && userJson != m_user.json) {
        m_user = parseUser(userJson);
        Q_EMIT userChanged();
    }
    scheduleRefresh(expiresIn);
    if (storeRefresh && !refreshToken.isEmpty())
        storeRefreshToken(refreshToken);
}

void Session::scheduleRefresh(int expiresInSeconds)
{
    // At 80 % of the lifetime: early enough that a slow network still beats expiry.
    const qint64 ms = qMax<qint64>(1000, qint64(expiresInSeconds) * 800);
    m_refreshTimer.start(int(qMin<qint64>(ms, std::numeric_limits<int>::max())));
}

void Session::storeRefreshToken(const QString &token)
{
    if (!m_persistent || !m_store)
        return; // memory only for this run
    const quint64 generation = m_generation;
    m_store->write(
        storeKey(), token, this, [this, generation](const CredentialStore::Result &result) {
            if (result.unavailable)
                markStoreUnavailable(result.error);
            else if (!result.ok)
                qWarning("Could not save the refresh token: %s", qPrintable(result.error));
            Q_UNUSED(generation);
        });
}

void Session::markStoreUnavailable(const QString &explanation)
{
    if (!m_persistent)
        return;
    m_persistent = false;
    Q_EMIT credentialStoreUnavailable(
        explanation.isEmpty()
            ? tr("This computer has no keychain MedDispatch can use, so you will be asked to "
                 "sign in each time.")
            : explanation);
}

void Session::restore()
{
    if (!m_store) {
        Q_EMIT restoreFailed(tr("No saved session."));
        return;
    }
    m_store->read(storeKey(), this, [this](const CredentialStore::Result &result) {
        if (result.unavailable) {
            markStoreUnavailable(result.error);
            Q_EMIT restoreFailed(result.error);
            return;
        }
        if (!result.ok || result.value.isEmpty()) {
            Q_EMIT restoreFailed(result.ok ? tr("No saved session.") : result.error);
            return;
        }
        m_refreshToken = result.value;
        refresh(this, [this](bool ok) {
            if (ok)
                Q_EMIT signedIn();
            else
                Q_EMIT restoreFailed(m_lastRefreshError);
        });
    });
}

void Session::refresh(QObject *context, std::function<void(bool ok)> done)
{
    // No context: the caller wants the answer as long as the session exists.
    m_waiting.append({QPointer<QObject>(context ? context : this), std::move(done)});
    if (m_refreshing)
        return; // single-flight: the answer in flight serves this caller too
    if (m_refreshToken.isEmpty() || !m_api) {
        m_lastRefreshError = tr("This session has ended. Sign in again.");
        // Asynchronous like the network path, so callers see one behaviour.
        QMetaObject::invokeMethod(
            this, [this] { finishRefresh(false); }, Qt::QueuedConnection);
        m_refreshing = true;
        return;
    }
    m_refreshing = true;
    m_refreshTimer.stop();
    const quint64 generation = m_generation;
    const QString used = m_refreshToken;
    m_api->postAnonymous(
        u"/v1/auth/refresh"_s, QJsonObject{{u"refresh_token"_s, used}}, this,
        [this, generation](const ApiResult &result) {
            if (generation != m_generation) {
                // Signed out meanwhile: end the session the late answer started.
                const QString late = result.json.value(u"refresh_token"_s).toString();
                if (result.ok() && !late.isEmpty() && m_api)
                    m_api->postAnonymous(u"/v1/auth/logout"_s,
                                         QJsonObject{{u"refresh_token"_s, late}}, this, {});
                m_lastRefreshError = tr("You signed out.");
                finishRefresh(false);
                return;
            }
            if (result.ok() && !result.json.value(u"access_token"_s).toString().isEmpty()) {
                applyPair(result.json, true);
                m_lastRefreshError.clear();
                finishRefresh(true);
                return;
            }
            m_lastRefreshError = result.error.userMessage();
            const int status = result.error.status;
            const bool refused = result.error.kind == ApiError::Kind::Http &&
                                 (status == 400 || status == 401 || status == 403);
            if (refused) {
                // The token is dead (expired, revoked, reused): forget it everywhere.
                if (m_store && m_persistent)
                    m_store->remove(storeKey(), this, {});
                const bool wasSignedIn = isSignedIn();
                clear(result.error.message.isEmpty() ? m_lastRefreshError : result.error.message,
                      wasSignedIn);
                finishRefresh(false);
                return;
            }
            // Offline, busy, rate limited: keep the session and try again later.
            if (isSignedIn())
                m_refreshTimer.start(kRetryRefreshMs);
            finishRefresh(false);
        });
}

void Session::finishRefresh(bool ok)
{
    m_refreshing = false;
    const auto waiting = std::exchange(m_waiting, {});
    for (const auto &[context, done] : waiting) {
        if (done && context)
            done(ok);
    }
}

void Session::signOut()
{
    if (!m_refreshToken.isEmpty() && m_api) {
        m_api->postAnonymous(u"/v1/auth/logout"_s,
                             QJsonObject{{u"refresh_token"_s, m_refreshToken}}, m_api, {});
    }
    if (m_store && m_persistent)
        m_store->remove(storeKey(), this, {});
    clear(tr("You signed out."), true);
}

void Session::clear(const QString &reason, bool emitSignedOut)
{
    const bool hadUser = !m_user.json.isEmpty();
    ++m_generation;
    m_accessToken.clear();
    m_refreshToken.clear();
    m_expiresAt = {};
    m_user = {};
    m_refreshTimer.stop();
    if (hadUser)
        Q_EMIT userChanged();
    if (emitSignedOut)
        Q_EMIT signedOut(reason);
}

} // namespace md::client
