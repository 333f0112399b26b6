#include "eventhub.h"

#include "storage/database.h"
#include "storage/storageerror.h"

#include <QAbstractHttpServer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QWebSocket>

#include <spdlog/spdlog.h>

using namespace Qt::StringLiterals;

namespace md::server {

namespace {

// PostgreSQL refuses NOTIFY payloads of 8000 bytes or more.
constexpr qsizetype maxNotifyPayload = 7900;

// What clients receive.
QByteArray eventJson(const Event &event)
{
    return QJsonDocument(QJsonObject{{u"type"_s, event.type}, {u"data"_s, event.data}})
        .toJson(QJsonDocument::Compact);
}

// What travels between instances: the event and its audience.
QByteArray notifyJson(const Event &event)
{
    return QJsonDocument(
               QJsonObject{{u"type"_s, event.type},
                           {u"data"_s, event.data},
                           {u"organizations"_s, QJsonArray::fromStringList(event.organizationIds)},
                           {u"engineers"_s, QJsonArray::fromStringList(event.engineerIds)}})
        .toJson(QJsonDocument::Compact);
}

QStringList stringList(const QJsonValue &value)
{
    QStringList list;
    for (const QJsonValue &v : value.toArray())
        list.append(v.toString());
    return list;
}

QByteArray shrunkEventJson(const Event &event)
{
    // Too big to NOTIFY: send what identifies the change; clients refetch it anyway.
    QJsonObject data;
    for (const QString &key : {u"id"_s, u"ticket_id"_s, u"organization_id"_s}) {
        if (event.data.contains(key))
            data.insert(key, event.data.value(key));
    }
    data.insert(u"truncated"_s, true);
    return notifyJson(Event{event.type, data, event.organizationIds, event.engineerIds});
}

} // namespace

struct EventHub::Client
{
    QPointer<QWebSocket> socket;
    bool ready = false;
    EventAudience audience;
    bool alive = true; // heard from since the last ping
    int protocolErrors = 0;
    QTimer authTimer;
};

EventHub::EventHub(storage::Database *database, Options options, QObject *parent)
    : QObject(parent), m_database(database), m_options(std::move(options))
{
    m_usesNotify = m_database && m_database->backend() == storage::Backend::Postgres;
    connect(&m_pingTimer, &QTimer::timeout, this, &EventHub::pingClients);
    connect(&m_listenCheckTimer, &QTimer::timeout, this, &EventHub::checkListenConnection);
    if (m_options.pingInterval.count() > 0)
        m_pingTimer.start(m_options.pingInterval);
}

EventHub::~EventHub()
{
    for (const auto &client : std::as_const(m_clients)) {
        if (client->socket) {
            client->socket->disconnect(this);
            client->socket->abort();
        }
    }
    m_clients.clear();
    if (!m_listenConnectionName.isEmpty()) {
        {
            QSqlDatabase connection = QSqlDatabase::database(m_listenConnectionName, false);
            if (connection.isOpen()) {
                connection.driver()->unsubscribeFromNotification(
                    QString::fromLatin1(notifyChannel));
                connection.close();
            }
        }
        QSqlDatabase::removeDatabase(m_listenConnectionName);
    }
}

void EventHub::attach(QAbstractHttpServer *server)
{
    m_server = server;
    connect(server, &QAbstractHttpServer::newWebSocketConnection, this,
            &EventHub::takePendingConnections);
}

void EventHub::setTokenCheck(TokenCheck check)
{
    m_options.tokenCheck = std::move(check);
}

int EventHub::readyClientCount() const
{
    int ready = 0;
    for (const auto &client : m_clients)
        ready += client->ready ? 1 : 0;
    return ready;
}

void EventHub::takePendingConnections()
{
    while (m_server && m_server->hasPendingWebSocketConnections()) {
        QWebSocket *socket = m_server->nextPendingWebSocketConnection().release();
        if (!socket)
            break;
        socket->setParent(this);
        if (m_clients.size() >= m_options.maxClients) {
            socket->close(QWebSocketProtocol::CloseCodeGoingAway, u"Too many clients."_s);
            socket->deleteLater();
            continue;
        }
        socket->setMaxAllowedIncomingMessageSize(quint64(m_options.maxMessageBytes));
        socket->setMaxAllowedIncomingFrameSize(quint64(m_options.maxMessageBytes));

        auto client = std::make_shared<Client>();
        client->socket = socket;
        client->authTimer.setSingleShot(true);
        connect(&client->authTimer, &QTimer::timeout, socket, [this, socket] {
            sendError(socket, u"auth_timeout"_s, u"Authenticate within the time limit."_s);
            socket->close(QWebSocketProtocol::CloseCodePolicyViolated, u"Not authenticated."_s);
        });
        client->authTimer.start(m_options.authTimeout);
        m_clients.insert(socket, client);

        connect(socket, &QWebSocket::textMessageReceived, this,
                [this, socket](const QString &message) { onTextMessage(socket, message); });
        connect(socket, &QWebSocket::binaryMessageReceived, this, [this, socket] {
            sendError(socket, u"malformed_message"_s, u"Send JSON text messages."_s);
        });
        connect(socket, &QWebSocket::pong, this, [this, socket] {
            if (const auto known = m_clients.value(socket))
                known->alive = true;
        });
        connect(socket, &QWebSocket::disconnected, this, [this, socket] {
            m_clients.remove(socket);
            socket->deleteLater();
        });
        spdlog::debug("events: client connected from {}",
                      socket->peerAddress().toString().toStdString());
    }
}

void EventHub::onTextMessage(QWebSocket *socket, const QString &message)
{
    const auto client = m_clients.value(socket);
    if (!client)
        return;
    client->alive = true;

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(message.toUtf8(), &parseError);
    const QJsonObject object = document.object();
    const QString type = object.value(u"type"_s).toString();
    if (parseError.error != QJsonParseError::NoError || !document.isObject() || type.isEmpty()) {
        sendError(socket, u"malformed_message"_s,
                  u"Expected a JSON object with a \"type\" string."_s);
        return;
    }
    if (type == u"auth") {
        const QJsonValue token = object.value(u"token"_s);
        if (!token.isString()) {
            sendError(socket, u"malformed_message"_s, u"\"token\" must be a string."_s);
            return;
        }
        std::optional<EventAudience> audience = EventAudience{true, {}, {}};
        if (m_options.tokenCheck)
            audience = m_options.tokenCheck(token.toString());
        if (!audience) {
            sendError(socket, u"unauthenticated"_s, u"The token is not valid."_s);
            socket->close(QWebSocketProtocol::CloseCodePolicyViolated, u"Not authenticated."_s);
            return;
        }
        client->audience = *audience;
        client->ready = true;
        client->authTimer.stop();
        socket->sendTextMessage(u"{\"type\":\"ready\"}"_s);
        return;
    }
    if (type == u"ping") {
        socket->sendTextMessage(u"{\"type\":\"pong\"}"_s);
        return;
    }
    sendError(socket, u"unknown_type"_s, u"Unknown message type."_s);
}

void EventHub::sendError(QWebSocket *socket, const QString &code, const QString &message)
{
    const auto client = m_clients.value(socket);
    const QJsonObject error{{u"code"_s, code}, {u"message"_s, message}};
    socket->sendTextMessage(
        QString::fromUtf8(QJsonDocument(QJsonObject{{u"type"_s, u"error"_s}, {u"error"_s, error}})
                              .toJson(QJsonDocument::Compact)));
    // a client that only sends garbage is not worth a socket
    if (client && ++client->protocolErrors > 20)
        socket->close(QWebSocketProtocol::CloseCodeProtocolError, u"Too many errors."_s);
}

void EventHub::publish(const QList<Event> &events)
{
    if (events.isEmpty())
        return;
    if (m_usesNotify) {
        try {
            QSqlQuery query(m_database->connection());
            for (const Event &event : events) {
                QByteArray payload = notifyJson(event);
                if (payload.size() > maxNotifyPayload)
                    payload = shrunkEventJson(event);
                query.prepare(u"SELECT pg_notify(?, ?)"_s);
                query.addBindValue(QString::fromLatin1(notifyChannel));
                query.addBindValue(QString::fromUtf8(payload));
                if (!query.exec())
                    throw storage::StorageError(storage::StorageError::Kind::Unavailable,
                                                query.lastError().text());
            }
            return;
        } catch (const std::exception &e) {
            // local clients at least hear about it
            spdlog::warn("events: NOTIFY failed, broadcasting locally only: {}", e.what());
        }
    }
    QMetaObject::invokeMethod(
        this, [this, events] { broadcastLocally(events); }, Qt::QueuedConnection);
}

void EventHub::broadcastLocally(const QList<Event> &events)
{
    for (const Event &event : events)
        broadcast(event);
}

void EventHub::broadcast(const Event &event)
{
    QString text; // serialized once, for the first client that may hear it
    for (const auto &client : std::as_const(m_clients)) {
        if (!client->ready || !client->socket || !client->audience.hears(event))
            continue;
        if (text.isEmpty())
            text = QString::fromUtf8(eventJson(event));
        client->socket->sendTextMessage(text);
    }
}

void EventHub::pingClients()
{
    const auto clients = m_clients;
    for (const auto &client : clients) {
        if (!client->socket)
            continue;
        if (!client->alive) {
            spdlog::debug("events: dropping a client that missed a ping");
            client->socket->abort();
            continue;
        }
        client->alive = false;
        client->socket->ping();
    }
}

void EventHub::start()
{
    if (!m_usesNotify || !m_listenConnectionName.isEmpty())
        return;
    m_listenConnectionName = u"md_events_listen_%1"_s.arg(quintptr(this), 0, 16);
    if (!openListenConnection())
        spdlog::warn("events: cannot LISTEN yet; retrying");
    // The driver does not notice a dead server connection by itself.
    m_listenCheckTimer.start(std::chrono::seconds(10));
}

bool EventHub::openListenConnection()
{
    const storage::DatabaseConfig &config = m_database->config();
    QSqlDatabase connection = QSqlDatabase::contains(m_listenConnectionName)
                                  ? QSqlDatabase::database(m_listenConnectionName, false)
                                  : QSqlDatabase::addDatabase(u"QPSQL"_s, m_listenConnectionName);
    connection.close();
    connection.setHostName(config.host);
    connection.setPort(config.port);
    connection.setUserName(config.user);
    connection.setPassword(config.password);
    connection.setDatabaseName(config.databaseName);
    QString options = config.options;
    options.replace(u'&', u';');
    if (!options.contains(u"connect_timeout"))
        options += (options.isEmpty() ? u""_s : u";"_s) + u"connect_timeout=3"_s;
    connection.setConnectOptions(options);
    if (!connection.open()) {
        spdlog::warn("events: LISTEN connection failed: {}",
                     connection.lastError().text().toStdString());
        return false;
    }
    QSqlDriver *driver = connection.driver();
    if (!driver->subscribeToNotification(QString::fromLatin1(notifyChannel))) {
        spdlog::warn("events: LISTEN {} failed: {}", notifyChannel,
                     driver->lastError().text().toStdString());
        connection.close();
        return false;
    }
    connect(driver, &QSqlDriver::notification, this, &EventHub::onNotification,
            Qt::UniqueConnection);
    spdlog::info("events: listening on {} ({})", notifyChannel, config.describe().toStdString());
    return true;
}

void EventHub::checkListenConnection()
{
    bool healthy = false;
    {
        QSqlDatabase connection = QSqlDatabase::database(m_listenConnectionName, false);
        if (connection.isOpen()) {
            QSqlQuery query(connection);
            healthy = query.exec(u"SELECT 1"_s);
        }
    }
    if (!healthy && openListenConnection())
        spdlog::info("events: LISTEN connection restored");
}

void EventHub::onNotification(const QString &name, QSqlDriver::NotificationSource,
                              const QVariant &payload)
{
    if (name != QLatin1StringView(notifyChannel))
        return;
    const QJsonDocument document = QJsonDocument::fromJson(payload.toString().toUtf8());
    const QJsonObject object = document.object();
    if (!document.isObject() || !object.value(u"type"_s).isString()) {
        spdlog::warn("events: ignoring a malformed notification");
        return;
    }
    broadcast(Event{object.value(u"type"_s).toString(), object.value(u"data"_s).toObject(),
                    stringList(object.value(u"organizations"_s)),
                    stringList(object.value(u"engineers"_s))});
}

} // namespace md::server
