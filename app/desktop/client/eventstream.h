#pragma once

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

class QWebSocket;

namespace md::client {

class Session;

/// The live event stream (/v1/events WebSocket). After connecting it sends
/// {"type":"auth","token":<access token>} and waits for {"type":"ready"}; then every
/// {"type": ..., "data": ...} becomes eventReceived(). It reconnects with exponential
/// backoff (1 s doubling to 30 s, with jitter) and re-authenticates with the current
/// access token after a refresh. Views use isLive() to decide whether to poll instead.
class EventStream final : public QObject
{
    Q_OBJECT
public:
    EventStream(Session *session, QObject *parent = nullptr);
    ~EventStream() override;

    /// ws:// or wss:// from the API's http(s) base URL.
    void start(const QUrl &apiBaseUrl);
    void stop();
    bool isLive() const { return m_live; }

Q_SIGNALS:
    /// "ticket.created", "ticket.updated", "assignment.created", "assignment.updated",
    /// "counts.changed", "equipment.updated", ... with the object's JSON.
    void eventReceived(const QString &type, const QJsonObject &data);
    void liveChanged(bool live);

private:
    void connectSocket();
    void scheduleReconnect();
    void setLive(bool live);
    void onMessage(const QString &message);
    void dropSocket();

    QPointer<Session> m_session;
    QWebSocket *m_socket = nullptr;
    QUrl m_url;
    QTimer m_reconnectTimer;
    int m_attempt = 0;
    bool m_live = false;
    bool m_running = false;
    bool m_resumeOnSignIn = false; // stopped by a sign-out: the next sign-in resumes
};

} // namespace md::client
