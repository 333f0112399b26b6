#pragma once

#include "apiresult.h"
#include "session.h" // session() converts the QPointer: Session must be complete

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QUrl>
#include <QUrlQuery>

class QNetworkAccessManager;
class QNetworkReply;

namespace md::client {

/// The desktop's one asynchronous client of the server API (API.md). Every call
/// returns at once; the callback runs later on the calling (UI) thread, and not at all
/// when `context` has been destroyed meanwhile (a closed view never gets a stale
/// answer). Authenticated calls carry the session's access token; a 401 makes the
/// session refresh once (single-flight, shared by every call waiting) and the call is
/// retried once with the new token. Network failures are reported through
/// reachabilityChanged() so the window can show its offline banner; the caller's
/// callback still gets ApiError::Kind::Unreachable and keeps what the user typed.
class ApiClient final : public QObject
{
    Q_OBJECT
public:
    explicit ApiClient(QObject *parent = nullptr);
    ~ApiClient() override;

    void setBaseUrl(const QUrl &url);
    QUrl baseUrl() const { return m_baseUrl; }
    /// Used for bearer tokens and refresh on 401; may be null (anonymous only).
    void setSession(Session *session);
    Session *session() const { return m_session; }
    QNetworkAccessManager *network() const { return m_network; }
    /// Per-request timeout (default 15 s); a timeout counts as unreachable.
    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }

    void get(const QString &path, const QUrlQuery &query, QObject *context, ApiCallback done);
    void post(const QString &path, const QJsonObject &body, QObject *context, ApiCallback done);
    void patch(const QString &path, const QJsonObject &body, QObject *context, ApiCallback done);
    void del(const QString &path, QObject *context, ApiCallback done);
    /// POST of a raw body with its own content type (a scanned payload as text/plain, a
    /// photo as image/jpeg); authenticated and retried on a 401 like the JSON calls.
    void postData(const QString &path, const QByteArray &body, const QByteArray &contentType,
                  QObject *context, ApiCallback done);
    /// Without a token and without refresh: the /v1/auth entry points.
    void postAnonymous(const QString &path, const QJsonObject &body, QObject *context,
                       ApiCallback done);
    void getAnonymous(const QString &path, QObject *context, ApiCallback done);

    /// Is the server answering (last request got an HTTP answer)? Starts true.
    bool isReachable() const { return m_reachable; }

Q_SIGNALS:
    /// Flips when a request fails to reach the server, and back when one succeeds.
    void reachabilityChanged(bool reachable);
    /// A TLS error on a remote server: the plain explanation of ApiError::userMessage().
    void tlsRefused(const QString &explanation);

private:
    struct Call;
    static std::shared_ptr<Call> newCall(QByteArray method, const QString &path, QObject *context,
                                         ApiCallback done);
    void send(std::shared_ptr<Call> call);
    void finish(std::shared_ptr<Call> call, QNetworkReply *reply);
    void setReachable(bool reachable);

    QNetworkAccessManager *m_network = nullptr;
    QPointer<Session> m_session;
    QUrl m_baseUrl;
    int m_timeoutMs = 15000;
    bool m_reachable = true;
};

} // namespace md::client
