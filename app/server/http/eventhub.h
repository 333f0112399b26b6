#pragma once

#include "requestcontext.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSqlDriver>
#include <QString>
#include <QTimer>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>

class QAbstractHttpServer;
class QWebSocket;

namespace md::storage {
class Database;
}

namespace md::server {

struct EventHubOptions
{
    /// Checks the token of the auth message (server thread) and says what its holder
    /// may hear; nullopt refuses it. Empty: any token is accepted and hears everything
    /// (transport tests only; the server always sets one).
    using TokenCheck = std::function<std::optional<EventAudience>(const QString &token)>;
    TokenCheck tokenCheck;
    std::chrono::milliseconds authTimeout{10000};
    std::chrono::milliseconds pingInterval{30000};
    int maxClients = 1000;
    qint64 maxMessageBytes = 16 * 1024;
};

/// The /v1/events WebSocket. Qt 6.4 has no upgrade verifier, so a client authenticates
/// with its first message, {"type":"auth","token":"..."}, and gets {"type":"ready"};
/// only ready clients receive events, {"type": ..., "data": ...}. Unauthenticated
/// sockets are closed after authTimeout, clients that miss a ping are dropped.
///
/// With PostgreSQL several server instances share one database: publish() sends
/// NOTIFY on the calling thread's connection and every instance's hub LISTENs on a
/// dedicated connection, so a change made anywhere reaches every client. With SQLite
/// (one instance) events are broadcast directly.
class EventHub final : public QObject
{
    Q_OBJECT
public:
    using TokenCheck = EventHubOptions::TokenCheck;
    using Options = EventHubOptions;
    static constexpr auto notifyChannel = "meddispatch_events";

    /// database may be null (no fan-out between instances).
    explicit EventHub(storage::Database *database, Options options = {}, QObject *parent = nullptr);
    ~EventHub() override;

    /// Takes over the WebSockets that server upgrades.
    void attach(QAbstractHttpServer *server);
    /// PostgreSQL: opens the LISTEN connection (retried in the background on failure).
    void start();
    void setTokenCheck(TokenCheck check);

    /// Thread-safe. Delivered to ready clients of every instance.
    void publish(const QList<Event> &events);

    int clientCount() const { return int(m_clients.size()); }
    int readyClientCount() const;

private:
    struct Client;

    void takePendingConnections();
    void onTextMessage(QWebSocket *socket, const QString &message);
    void sendError(QWebSocket *socket, const QString &code, const QString &message);
    void broadcast(const Event &event);
    void broadcastLocally(const QList<Event> &events);
    void pingClients();
    bool openListenConnection();
    void checkListenConnection();
    void onNotification(const QString &name, QSqlDriver::NotificationSource source,
                        const QVariant &payload);

    storage::Database *m_database;
    Options m_options;
    QPointer<QAbstractHttpServer> m_server;
    QHash<QWebSocket *, std::shared_ptr<Client>> m_clients;
    QTimer m_pingTimer;
    QTimer m_listenCheckTimer;
    QString m_listenConnectionName;
    bool m_usesNotify = false;
};

} // namespace md::server
