#include "eventstream.h"

#include "session.h"

#include <QJsonDocument>
#include <QRandomGenerator>
#include <QWebSocket>

using namespace Qt::StringLiterals;

namespace md::client {

namespace {

constexpr int kFirstDelayMs = 1000;
constexpr int kMaxDelayMs = 30000;

} // namespace

EventStream::EventStream(Session *session, QObject *parent) : QObject(parent), m_session(session)
{
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &EventStream::connectSocket);
    if (session) {
        connect(session, &Session::signedOut, this, [this] {
            const bool wasRunning = m_running;
            stop();
            m_resumeOnSignIn = wasRunning;
        });
        connect(session, &Session::signedIn, this, [this] {
            if (m_resumeOnSignIn && !m_running && m_url.isValid()) {
                m_resumeOnSignIn = false;
                m_running = true;
            }
            // Waiting for a session (started before sign-in): connect now, not after
            // the backoff.
            if (m_running && !m_socket) {
                m_reconnectTimer.stop();
                m_attempt = 0;
                connectSocket();
            }
        });
    }
}

EventStream::~EventStream()
{
    m_running = false;
    dropSocket();
}

void EventStream::start(const QUrl &apiBaseUrl)
{
    QUrl url = apiBaseUrl;
    url.setScheme(apiBaseUrl.scheme() == u"https" ? u"wss"_s : u"ws"_s);
    QString basePath = url.path();
    if (basePath.endsWith(u'/'))
        basePath.chop(1);
    url.setPath(basePath + u"/v1/events"_s);
    url.setQuery(QString());
    m_url = url;
    m_running = true;
    m_resumeOnSignIn = false;
    m_attempt = 0;
    m_reconnectTimer.stop();
    connectSocket();
}

void EventStream::stop()
{
    m_running = false;
    m_resumeOnSignIn = false;
    m_reconnectTimer.stop();
    dropSocket();
    setLive(false);
}

void EventStream::dropSocket()
{
    if (!m_socket)
        return;
    QWebSocket *socket = std::exchange(m_socket, nullptr);
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();
}

void EventStream::connectSocket()
{
    if (!m_running)
        return;
    dropSocket();
    setLive(false);
    if (!m_session || !m_session->isSignedIn()) {
        // Nothing to authenticate with yet; a sign-in or a later attempt continues.
        scheduleReconnect();
        return;
    }
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    QWebSocket *socket = m_socket;
    connect(socket, &QWebSocket::connected, this, [this, socket] {
        if (socket != m_socket || !m_session)
            return;
        // The access token of now, which may be newer than at the last connection.
        const QJsonObject auth{{u"type"_s, u"auth"_s},
                               {u"token"_s, QString::fromUtf8(m_session->accessToken())}};
        socket->sendTextMessage(
            QString::fromUtf8(QJsonDocument(auth).toJson(QJsonDocument::Compact)));
    });
    connect(socket, &QWebSocket::textMessageReceived, this, [this, socket](const QString &message) {
        if (socket == m_socket)
            onMessage(message);
    });
    connect(socket, &QWebSocket::disconnected, this, [this, socket] {
        if (socket != m_socket)
            return;
        setLive(false);
        scheduleReconnect();
    });
    // Qt 6.4: error(), errorOccurred() only arrives in 6.5.
    connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this, socket](QAbstractSocket::SocketError) {
                if (socket != m_socket)
                    return;
                // Refused or unreachable: no disconnected() follows in every case.
                if (socket->state() == QAbstractSocket::UnconnectedState) {
                    setLive(false);
                    scheduleReconnect();
                }
            });
    // Certificate errors are not ignored: the connection fails and is retried later,
    // exactly like the HTTP client refuses an untrusted server.
    socket->open(m_url);
}

void EventStream::onMessage(const QString &message)
{
    const QJsonDocument document = QJsonDocument::fromJson(message.toUtf8());
    if (!document.isObject())
        return;
    const QJsonObject object = document.object();
    const QString type = object.value(u"type"_s).toString();
    if (type.isEmpty() || type == u"ping" || type == u"pong")
        return;
    if (type == u"ready") {
        m_attempt = 0;
        setLive(true);
        return;
    }
    if (type == u"error") {
        const QString code = object.value(u"error"_s).toObject().value(u"code"_s).toString();
        // A stale token: refresh, the reconnect after the server closes uses the new one.
        if (code == u"unauthenticated" && m_session && m_session->isSignedIn())
            m_session->refresh(this, {});
        return;
    }
    Q_EMIT eventReceived(type, object.value(u"data"_s).toObject());
}

void EventStream::scheduleReconnect()
{
    if (!m_running || m_reconnectTimer.isActive())
        return;
    const int base = qMin(kMaxDelayMs, kFirstDelayMs << qMin(m_attempt, 5));
    ++m_attempt;
    // ±20 % jitter so that many desktops do not reconnect in lockstep after a restart.
    const int jitter = int(QRandomGenerator::global()->bounded(base * 2 / 5 + 1)) - base / 5;
    m_reconnectTimer.start(qMax(100, base + jitter));
}

void EventStream::setLive(bool live)
{
    if (m_live == live)
        return;
    m_live = live;
    Q_EMIT liveChanged(live);
}

} // namespace md::client
