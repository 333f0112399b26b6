// The /v1/events WebSocket: authentication in the first message, no events before it,
// errors for garbage, events from successful handlers only, and fan-out between two
// server instances through PostgreSQL LISTEN/NOTIFY.

#include "httptestsupport.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QWebSocket>

using namespace Qt::StringLiterals;
using md::test::TestServer;

namespace {

/// A QWebSocket client that records every text message.
class EventClient final : public QObject
{
public:
    explicit EventClient(quint16 port, const QString &path = u"/v1/events"_s)
    {
        connect(&socket, &QWebSocket::textMessageReceived, this, [this](const QString &message) {
            messages.append(QJsonDocument::fromJson(message.toUtf8()).object());
        });
        connect(&socket, &QWebSocket::disconnected, this, [this] { closed = true; });
        socket.open(QUrl(u"ws://127.0.0.1:%1%2"_s.arg(port).arg(path)));
    }
    bool waitConnected()
    {
        return QTest::qWaitFor(
                   [this] { return socket.state() == QAbstractSocket::ConnectedState || closed; },
                   5000) &&
               socket.state() == QAbstractSocket::ConnectedState;
    }
    std::optional<QJsonObject> next(int timeoutMs = 5000)
    {
        if (!QTest::qWaitFor([this] { return m_read < messages.size(); }, timeoutMs))
            return std::nullopt;
        return messages.at(m_read++);
    }
    void sendJson(const QJsonObject &object)
    {
        socket.sendTextMessage(
            QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)));
    }
    bool authenticate(const QString &token = u"token"_s)
    {
        sendJson({{u"type"_s, u"auth"_s}, {u"token"_s, token}});
        const std::optional<QJsonObject> ready = next();
        return ready && ready->value(u"type"_s).toString() == u"ready";
    }

    QWebSocket socket;
    QList<QJsonObject> messages;
    bool closed = false;

private:
    qsizetype m_read = 0;
};

QString type(const std::optional<QJsonObject> &message)
{
    return message ? message->value(u"type"_s).toString() : u"<none>"_s;
}

QString errorCode(const std::optional<QJsonObject> &message)
{
    return message ? message->value(u"error"_s).toObject().value(u"code"_s).toString() : QString();
}

md::server::HttpServer::Options options()
{
    md::server::HttpServer::Options o;
    o.workerThreads = 2;
    return o;
}

} // namespace

class TstHttpEvents final : public QObject
{
    Q_OBJECT

    int post(quint16 port, const QString &path, const QJsonObject &body)
    {
        QNetworkRequest request(QUrl(u"http://127.0.0.1:%1%2"_s.arg(port).arg(path)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        QNetworkReply *reply = m_network.post(request, QJsonDocument(body).toJson());
        (void)QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000);
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        reply->deleteLater();
        return status;
    }

    QNetworkAccessManager m_network;

private Q_SLOTS:
    void noEventsBeforeAuthThenEvents()
    {
        const auto server = TestServer::start(options());
        QVERIFY(server);
        EventClient client(server->port);
        QVERIFY(client.waitConnected());
        QTRY_COMPARE(server->http->eventHub().clientCount(), 1);

        server->http->eventHub().publish({{u"ticket.updated"_s, {{u"id"_s, u"before"_s}}}});
        QTest::qWait(100); // the broadcast has run (and skipped the unauthenticated client)
        QVERIFY(client.messages.isEmpty());

        QVERIFY(client.authenticate());
        server->http->eventHub().publish({{u"ticket.updated"_s, {{u"id"_s, u"after"_s}}}});
        const std::optional<QJsonObject> event = client.next();
        QCOMPARE(type(event), u"ticket.updated"_s);
        QCOMPARE(event->value(u"data"_s).toObject().value(u"id"_s).toString(), u"after"_s);
        QCOMPARE(client.messages.size(), 2); // ready, the event: never "before"
    }

    void handlersPublishOnlyOnSuccess()
    {
        const auto server = TestServer::start(options());
        QVERIFY(server);
        EventClient client(server->port);
        QVERIFY(client.waitConnected());
        QVERIFY(client.authenticate());

        QCOMPARE(post(server->port, u"/publish-then-fail"_s, {}), 409);
        QCOMPARE(post(server->port, u"/publish"_s, {{u"id"_s, u"t-1"_s}}), 201);
        const std::optional<QJsonObject> event = client.next();
        QCOMPARE(type(event), u"ticket.created"_s);
        QCOMPARE(event->value(u"data"_s).toObject().value(u"id"_s).toString(), u"t-1"_s);
        QVERIFY(!event->value(u"data"_s).toObject().contains(u"lost"_s));
    }

    void garbageGetsErrorsNotACrash()
    {
        const auto server = TestServer::start(options());
        QVERIFY(server);
        EventClient client(server->port);
        QVERIFY(client.waitConnected());

        client.socket.sendTextMessage(u"this is not json"_s);
        std::optional<QJsonObject> reply = client.next();
        QCOMPARE(type(reply), u"error"_s);
        QCOMPARE(errorCode(reply), u"malformed_message"_s);

        client.socket.sendTextMessage(u"[1,2,3]"_s);
        QCOMPARE(errorCode(client.next()), u"malformed_message"_s);
        client.socket.sendBinaryMessage(QByteArray("\x00\xff\x10", 3));
        QCOMPARE(errorCode(client.next()), u"malformed_message"_s);
        client.sendJson({{u"type"_s, u"auth"_s}, {u"token"_s, 42}});
        QCOMPARE(errorCode(client.next()), u"malformed_message"_s);
        client.sendJson({{u"type"_s, u"subscribe-to-everything"_s}});
        QCOMPARE(errorCode(client.next()), u"unknown_type"_s);

        // still connected, and still able to authenticate
        QVERIFY(!client.closed);
        QVERIFY(client.authenticate());
        client.sendJson({{u"type"_s, u"ping"_s}});
        QCOMPARE(type(client.next()), u"pong"_s);
    }

    void unauthenticatedSocketsAreClosed()
    {
        md::server::HttpServer::Options o = options();
        o.events.authTimeout = std::chrono::milliseconds(300);
        const auto server = TestServer::start(o);
        QVERIFY(server);
        EventClient client(server->port);
        QVERIFY(client.waitConnected());
        QVERIFY(QTest::qWaitFor([&] { return client.closed; }, 5000));
        QCOMPARE(errorCode(client.next(100)), u"auth_timeout"_s);
        QTRY_COMPARE(server->http->eventHub().clientCount(), 0);
    }

    void rejectedTokenClosesTheSocket()
    {
        md::server::HttpServer::Options o = options();
        o.events.tokenCheck = [](const QString &token) -> std::optional<md::server::EventAudience> {
            if (token != u"good")
                return std::nullopt;
            return md::server::EventAudience{true, {}, {}};
        };
        const auto server = TestServer::start(o);
        QVERIFY(server);
        EventClient bad(server->port);
        QVERIFY(bad.waitConnected());
        bad.sendJson({{u"type"_s, u"auth"_s}, {u"token"_s, u"bad"_s}});
        QCOMPARE(errorCode(bad.next()), u"unauthenticated"_s);
        QVERIFY(QTest::qWaitFor([&] { return bad.closed; }, 5000));

        EventClient good(server->port);
        QVERIFY(good.waitConnected());
        QVERIFY(good.authenticate(u"good"_s));
    }

    void otherUpgradePathsAreRefused()
    {
        const auto server = TestServer::start(options());
        QVERIFY(server);
        EventClient client(server->port, u"/v1/other"_s);
        QVERIFY(!client.waitConnected());
        QCOMPARE(server->http->eventHub().clientCount(), 0);
        // and plain HTTP still works
        md::test::RawClient raw(server->port);
        raw.send(md::test::get("/fast"));
        QCOMPARE(raw.next()->status, 200);
    }

    void eventsFanOutBetweenInstancesThroughPostgres()
    {
        const QString url = md::test::postgresUrl();
        if (url.isEmpty())
            QSKIP("no PostgreSQL test cluster (MEDDISPATCH_TEST_POSTGRES_URL_FILE)");
        const auto first = TestServer::start(options(), url);
        const auto second = TestServer::start(options(), url);
        QVERIFY(first);
        QVERIFY(second);
        EventClient client(second->port);
        QVERIFY(client.waitConnected());
        QVERIFY(client.authenticate());
        EventClient local(first->port);
        QVERIFY(local.waitConnected());
        QVERIFY(local.authenticate());

        // a handler on the first instance; the client of the second hears about it
        QCOMPARE(post(first->port, u"/publish"_s, {{u"id"_s, u"pg-1"_s}}), 201);
        const std::optional<QJsonObject> event = client.next(10000);
        QCOMPARE(type(event), u"ticket.created"_s);
        QCOMPARE(event->value(u"data"_s).toObject().value(u"id"_s).toString(), u"pg-1"_s);
        // and the first instance's own client exactly once (through its LISTEN)
        QCOMPARE(type(local.next(10000)), u"ticket.created"_s);
        QTest::qWait(200);
        QCOMPARE(local.messages.size(), 2);
    }
};

QTEST_GUILESS_MAIN(TstHttpEvents)
#include "tst_http_events.moc"
