// The transport against a real HttpServer on port 0, over real sockets: limits Qt 6.4
// lacks (413 before the body, 431, idle and slowloris connections), the error envelopes,
// response order under pipelining, the worker pool (disconnects, overload, cheap routes
// under load) and exception handling.

#include "httptestsupport.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSignalSpy>

using namespace Qt::StringLiterals;
using md::test::get;
using md::test::RawClient;
using md::test::RawResponse;
using md::test::TestServer;

class TstHttpServer final : public QObject
{
    Q_OBJECT

private:
    using Reply = md::test::NetworkReply;

    Reply send(const QByteArray &verb, const QUrl &url, const QByteArray &body = {},
               const QByteArray &contentType = {})
    {
        QNetworkRequest request(url);
        if (!contentType.isEmpty())
            request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
        QNetworkReply *reply = m_network.sendCustomRequest(request, verb, body);
        const bool done = QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000);
        Reply result;
        if (done) {
            result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            result.error = reply->error();
            result.body = reply->readAll();
            result.headers = reply->rawHeaderPairs();
        }
        reply->deleteLater();
        return result;
    }

    static md::server::HttpServer::Options options(int workers = 2, int maxPending = 256)
    {
        md::server::HttpServer::Options o;
        o.workerThreads = workers;
        o.maxPendingRequests = maxPending;
        o.idleTimeout = std::chrono::seconds(15);
        return o;
    }

    QNetworkAccessManager m_network;

private Q_SLOTS:
    void initTestCase() { qputenv("QT_LOGGING_RULES", "qt.httpserver*=false"); }

    void envelopes404405415()
    {
        const auto server = TestServer::start(options());
        QVERIFY(server);

        const Reply notFound = send("GET", server->url(u"/nope"_s));
        QCOMPARE(notFound.status, 404);
        QCOMPARE(notFound.errorCode(), u"not_found"_s);
        QVERIFY(!QJsonDocument::fromJson(notFound.body)
                     .object()
                     .value(u"error"_s)
                     .toObject()
                     .value(u"message"_s)
                     .toString()
                     .isEmpty());
        QCOMPARE(notFound.header("Content-Type"), QByteArray("application/json"));

        const Reply wrongMethod = send("DELETE", server->url(u"/fast"_s));
        QCOMPARE(wrongMethod.status, 405);
        QCOMPARE(wrongMethod.errorCode(), u"method_not_allowed"_s);
        QCOMPARE(wrongMethod.header("Allow"), QByteArray("GET, HEAD"));

        const Reply wrongType = send("POST", server->url(u"/echo"_s), "hello", "text/plain");
        QCOMPARE(wrongType.status, 415);
        QCOMPARE(wrongType.errorCode(), u"unsupported_media_type"_s);

        const Reply noType = send("POST", server->url(u"/echo"_s), "{}");
        QCOMPARE(noType.status, 415);

        const Reply json =
            send("POST", server->url(u"/echo"_s), R"({"a":1})", "application/json; charset=utf-8");
        QCOMPARE(json.status, 200);
        QCOMPARE(json.body, QByteArray(R"({"a":1})"));
        QCOMPARE(server->echoCalls.load(), 1);
    }

    void commonHeadersAndRequestId()
    {
        const auto server = TestServer::start(options());
        QVERIFY(server);
        RawClient client(server->port);
        client.send(get("/fast", "X-Request-Id: abc-123_x.y:z\r\n"));
        std::optional<RawResponse> response = client.next();
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        QCOMPARE(response->header("x-request-id"), QByteArray("abc-123_x.y:z"));
        QCOMPARE(response->header("cache-control"), QByteArray("no-store"));
        QCOMPARE(response->header("x-content-type-options"), QByteArray("nosniff"));
        QCOMPARE(response->header("content-type"), QByteArray("application/json"));
        QCOMPARE(response->header("content-length").toInt(), response->body.size());
        QVERIFY(!response->hasHeader("connection"));

        // an id that would let clients inject into logs is replaced
        client.send(get("/fast", "X-Request-Id: evil id\"\r\n"));
        response = client.next();
        QVERIFY(response);
        const QByteArray generated = response->header("x-request-id");
        QVERIFY(!generated.isEmpty());
        QVERIFY(!generated.contains(' '));

        // HEAD: the GET route's headers, no body
        client.send("HEAD /fast HTTP/1.1\r\nHost: t\r\n\r\n");
        response = client.next(5000, true);
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        QVERIFY(response->header("content-length").toInt() > 0);
        client.send(get("/items/special"));
        response = client.next();
        QVERIFY(response);
        QCOMPARE(response->json().value(u"special"_s).toBool(), true); // no stray HEAD body
    }

    void routingParamsAndQuery()
    {
        const auto server = TestServer::start(options());
        QVERIFY(server);
        const Reply item = send("GET", server->url(u"/items/caf%C3%A9%20x?q=a+b%26c"_s));
        QCOMPARE(item.status, 200);
        const QJsonObject object = QJsonDocument::fromJson(item.body).object();
        QCOMPARE(object.value(u"id"_s).toString(), u"café x"_s);
        QCOMPARE(object.value(u"q"_s).toString(), u"a b&c"_s);
        const Reply special = send("GET", server->url(u"/items/special"_s));
        QCOMPARE(QJsonDocument::fromJson(special.body).object().value(u"special"_s).toBool(), true);
    }

    void bodiesWithinTheLimitArriveIntact()
    {
        const auto server = TestServer::start(options());
        QVERIFY(server);
        const QByteArray big = "\"" + QByteArray(1024 * 1024 - 2, 'b') + "\""; // exactly 1 MiB
        const Reply reply = send("POST", server->url(u"/echo"_s), big, "application/json");
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.body, big);

        // a body trickling in, followed on the same connection by another request
        RawClient client(server->port);
        client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                    "Content-Length: 11\r\n\r\n{\"a\"");
        QTest::qWait(50);
        client.send(":[1,");
        QTest::qWait(50);
        client.send("2]}" + get("/fast"));
        const std::optional<RawResponse> echoed = client.next();
        QVERIFY(echoed);
        QCOMPARE(echoed->body, QByteArray(R"({"a":[1,2]})"));
        const std::optional<RawResponse> fast = client.next();
        QVERIFY(fast);
        QCOMPARE(fast->json().value(u"route"_s).toString(), u"fast"_s);
    }

    void bodyTooLargeAnsweredBeforeTheBodyIsSent()
    {
        const auto server = TestServer::start(options());
        QVERIFY(server);
        RawClient client(server->port);
        client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                    "Content-Length: 2097152\r\n\r\n");
        const std::optional<RawResponse> response = client.next();
        QVERIFY2(response, "no 413 before the body was sent");
        QCOMPARE(response->status, 413);
        QCOMPARE(response->errorCode(), u"payload_too_large"_s);
        QCOMPARE(response->header("connection"), QByteArray("close"));
        QVERIFY(!response->header("x-request-id").isEmpty());

        // the body that follows is discarded, never handed to the route
        client.send(QByteArray(2 * 1024 * 1024, 'x'));
        QVERIFY(client.waitClosed());
        QCOMPARE(server->echoCalls.load(), 0);
    }

    void bodyTooLargeWithExpectContinue()
    {
        const auto server = TestServer::start(options());
        QVERIFY(server);
        RawClient client(server->port);
        client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                    "Expect: 100-continue\r\nContent-Length: 2097152\r\n\r\n");
        const std::optional<RawResponse> response = client.next();
        QVERIFY(response);
        QCOMPARE(response->status, 413); // not "100 Continue"
        QVERIFY(client.waitClosed());
    }

    void perRouteBodyLimit()
    {
        const auto server = TestServer::start(options());
        QVERIFY(server);
        QCOMPARE(send("POST", server->url(u"/small"_s), QByteArray(5000, 'a'), "application/json")
                     .status,
                 200);
        RawClient client(server->port);
        client.send("POST /small HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                    "Content-Length: 20000\r\n\r\n");
        const std::optional<RawResponse> response = client.next();
        QVERIFY(response);
        QCOMPARE(response->status, 413);
        QCOMPARE(response->json()
                     .value(u"error"_s)
                     .toObject()
                     .value(u"details"_s)
                     .toObject()
                     .value(u"max_bytes"_s)
                     .toInt(),
                 10 * 1024);
    }

    void bodyTooLargeFromQNetworkAccessManager()
    {
        // A client that sends the body at once must still read the 413, not a reset.
        const auto server = TestServer::start(options());
        QVERIFY(server);
        const Reply reply = send("POST", server->url(u"/echo"_s), QByteArray(2 * 1024 * 1024, 'x'),
                                 "application/json");
        QCOMPARE(reply.status, 413);
        QCOMPARE(reply.errorCode(), u"payload_too_large"_s);
        QCOMPARE(server->echoCalls.load(), 0);
        QCOMPARE(send("GET", server->url(u"/fast"_s)).status, 200);
    }

    void chunkedBodies()
    {
        const auto server = TestServer::start(options());
        QVERIFY(server);
        RawClient client(server->port);
        client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                    "Transfer-Encoding: chunked\r\n\r\n"
                    "4\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\n\r\n");
        std::optional<RawResponse> response = client.next();
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        QCOMPARE(response->body, QByteArray(R"({"a":1})"));

        // over the route's limit, counted as it arrives
        RawClient big(server->port);
        big.send("POST /small HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                 "Transfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < 4; ++i)
            big.send("1000\r\n" + QByteArray(0x1000, 'a') + "\r\n");
        response = big.next();
        QVERIFY(response);
        QCOMPARE(response->status, 413);
        QVERIFY(big.waitClosed());
    }

    void malformedRequests_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        QTest::newRow("garbage request line") << QByteArray("HELLO\r\n\r\n") << 400;
        QTest::newRow("HTTP/2.0") << QByteArray("GET /fast HTTP/2.0\r\nHost: t\r\n\r\n") << 505;
        QTest::newRow("conflicting lengths")
            << QByteArray("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                          "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}")
            << 400;
        QTest::newRow("length and chunked")
            << QByteArray("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n"
                          "Transfer-Encoding: chunked\r\n\r\n")
            << 400;
        QTest::newRow("gzip coding")
            << QByteArray("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n")
            << 501;
        QTest::newRow("negative length")
            << QByteArray("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: -1\r\n\r\n") << 400;
        QTest::newRow("folded header")
            << QByteArray("GET /fast HTTP/1.1\r\nHost: t\r\nX-A: 1\r\n  continued\r\n\r\n") << 400;
        QTest::newRow("header without colon")
            << QByteArray("GET /fast HTTP/1.1\r\nHost t\r\n\r\n") << 400;
        QByteArray many = "GET /fast HTTP/1.1\r\nHost: t\r\n";
        for (int i = 0; i < 150; ++i)
            many += "X-H" + QByteArray::number(i) + ": v\r\n";
        QTest::newRow("150 header fields") << many + "\r\n" << 431;
    }

    void malformedRequests()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        const auto server = TestServer::start(options());
        QVERIFY(server);
        RawClient client(server->port);
        client.send(request);
        const std::optional<RawResponse> response = client.next();
        QVERIFY(response);
        QCOMPARE(response->status, status);
        QVERIFY(!response->errorCode().isEmpty());
        QVERIFY(client.waitClosed());
        QCOMPARE(server->echoCalls.load(), 0);
        QCOMPARE(send("GET", server->url(u"/fast"_s)).status, 200);
    }

    void headersTooLarge()
    {
        const auto server = TestServer::start(options());
        QVERIFY(server);
        RawClient client(server->port);
        client.send("GET /fast HTTP/1.1\r\nHost: t\r\nX-Big: " + QByteArray(100 * 1024, 'a') +
                    "\r\n\r\n");
        const std::optional<RawResponse> response = client.next();
        QVERIFY(response);
        QCOMPARE(response->status, 431);
        QCOMPARE(response->errorCode(), u"headers_too_large"_s);
        QVERIFY(client.waitClosed());

        // just under the limit is fine
        RawClient ok(server->port);
        ok.send("GET /fast HTTP/1.1\r\nHost: t\r\nX-Big: " + QByteArray(60 * 1024, 'a') +
                "\r\n\r\n");
        const std::optional<RawResponse> fine = ok.next();
        QVERIFY(fine);
        QCOMPARE(fine->status, 200);
    }

    void pipelinedResponsesKeepRequestOrder()
    {
        const auto server = TestServer::start(options(4));
        QVERIFY(server);
        RawClient client(server->port);
        client.send(get("/gated", "X-Request-Id: one\r\n") + get("/fast", "X-Request-Id: two\r\n") +
                    get("/nope", "X-Request-Id: three\r\n") +
                    get("/items/7?q=x", "X-Request-Id: four\r\n"));
        // the later requests are done, the first is not: nothing may be written yet
        QVERIFY(QTest::qWaitFor(
            [&] {
                return server->fastCalls == 1 && server->itemCalls == 1 &&
                       server->http->inFlight() == 1;
            },
            5000));
        QTest::qWait(50);
        QVERIFY(client.pendingBytes().isEmpty());
        server->openGate();
        QList<RawResponse> responses;
        for (int i = 0; i < 4; ++i) {
            const std::optional<RawResponse> response = client.next();
            QVERIFY(response);
            responses.append(*response);
        }
        QCOMPARE(responses.at(0).header("x-request-id"), QByteArray("one"));
        QCOMPARE(responses.at(0).json().value(u"route"_s).toString(), u"gated"_s);
        QCOMPARE(responses.at(1).header("x-request-id"), QByteArray("two"));
        QCOMPARE(responses.at(1).json().value(u"route"_s).toString(), u"fast"_s);
        QCOMPARE(responses.at(2).header("x-request-id"), QByteArray("three"));
        QCOMPARE(responses.at(2).status, 404);
        QCOMPARE(responses.at(3).header("x-request-id"), QByteArray("four"));
        QCOMPARE(responses.at(3).json().value(u"id"_s).toString(), u"7"_s);
        QVERIFY(client.isConnected());
    }

    void pipeliningDepthIsBounded()
    {
        // Responses queued behind a slow one are buffered: a client cannot pile up more
        // than 32 of them.
        const auto server = TestServer::start(options(4));
        QVERIFY(server);
        RawClient client(server->port);
        QByteArray burst = get("/gated");
        for (int i = 0; i < 39; ++i)
            burst += get("/fast");
        client.send(burst);
        QVERIFY(QTest::qWaitFor([&] { return server->fastCalls == 31; }, 5000));
        QTest::qWait(100);
        QCOMPARE(server->fastCalls.load(), 31); // the rest was never dispatched
        server->openGate();
        for (int i = 0; i < 32; ++i) {
            const std::optional<RawResponse> response = client.next();
            QVERIFY(response);
            QCOMPARE(response->status, 200);
        }
        const std::optional<RawResponse> last = client.next();
        QVERIFY(last);
        QCOMPARE(last->status, 503);
        QCOMPARE(last->header("connection"), QByteArray("close"));
        QVERIFY(client.waitClosed());
    }

    void pipelinedRequestBeforeAnOversizedOneIsStillAnswered()
    {
        const auto server = TestServer::start(options());
        QVERIFY(server);
        RawClient client(server->port);
        client.send(get("/slow?ms=100") +
                    "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                    "Content-Length: 5000000\r\n\r\n");
        std::optional<RawResponse> first = client.next();
        QVERIFY(first);
        QCOMPARE(first->status, 200);
        std::optional<RawResponse> second = client.next();
        QVERIFY(second);
        QCOMPARE(second->status, 413);
        QVERIFY(client.waitClosed());
    }

    void connectionCloseAndHttp10()
    {
        const auto server = TestServer::start(options());
        QVERIFY(server);
        {
            RawClient client(server->port);
            client.send(get("/fast", "Connection: close\r\n") + get("/fast"));
            const std::optional<RawResponse> response = client.next();
            QVERIFY(response);
            QCOMPARE(response->header("connection"), QByteArray("close"));
            QVERIFY(client.waitClosed());
            QVERIFY(!client.pendingBytes().contains("HTTP/1.1")); // the second is dropped
        }
        {
            RawClient client(server->port);
            client.send("GET /fast HTTP/1.0\r\n\r\n");
            const std::optional<RawResponse> response = client.next();
            QVERIFY(response);
            QCOMPARE(response->status, 200);
            QCOMPARE(response->header("connection"), QByteArray("close"));
            QVERIFY(client.waitClosed());
        }
        {
            RawClient client(server->port);
            client.send("GET /fast HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            const std::optional<RawResponse> response = client.next();
            QVERIFY(response);
            QCOMPARE(response->header("connection"), QByteArray("keep-alive"));
            client.send("GET /fast HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            QVERIFY(client.next());
        }
    }

    void idleConnectionsAreClosed()
    {
        md::server::HttpServer::Options o = options();
        o.idleTimeout = std::chrono::seconds(1);
        const auto server = TestServer::start(o);
        QVERIFY(server);

        RawClient silent(server->port);
        RawClient keepAlive(server->port);
        keepAlive.send(get("/fast"));
        QVERIFY(keepAlive.next());
        QTest::qWait(300);
        QVERIFY(silent.isConnected());
        QVERIFY(keepAlive.isConnected());
        QVERIFY(silent.waitClosed(5000));
        QVERIFY(keepAlive.waitClosed(5000));
        QVERIFY(silent.pendingBytes().isEmpty()); // closed quietly, no 408 for nothing
    }

    void requestLongerThanIdleTimeoutIsAnswered()
    {
        md::server::HttpServer::Options o = options();
        o.idleTimeout = std::chrono::seconds(1);
        const auto server = TestServer::start(o);
        QVERIFY(server);
        RawClient client(server->port);
        client.send(get("/slow?ms=1800"));
        const std::optional<RawResponse> response = client.next(8000);
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        QVERIFY(client.waitClosed(5000)); // and then idle again
    }

    void slowlorisIsClosed()
    {
        md::server::HttpServer::Options o = options();
        o.idleTimeout = std::chrono::seconds(1);
        const auto server = TestServer::start(o);
        QVERIFY(server);
        RawClient client(server->port);
        client.send("GET /fast HTTP/1.1\r\n");
        QElapsedTimer clock;
        clock.start();
        // one header line every 200 ms would keep a naive per-read timer alive forever
        int sent = 0;
        while (client.isConnected() && clock.elapsed() < 6000) {
            client.send("X-Trickle-" + QByteArray::number(sent++) + ": a\r\n");
            QTest::qWait(200);
        }
        QVERIFY2(!client.isConnected(), "slow headers kept the connection open");
        const QByteArray answer = client.pendingBytes();
        QVERIFY(answer.isEmpty() || answer.startsWith("HTTP/1.1 408"));
    }

    void clientDisconnectingBeforeTheAnswerIsHarmless()
    {
        const auto server = TestServer::start(options(2));
        QVERIFY(server);
        for (int i = 0; i < 50; ++i) {
            auto client = std::make_unique<RawClient>(server->port);
            QVERIFY(client->isConnected());
            client->send(get("/slow?ms=30"));
            QVERIFY(QTest::qWaitFor([&] { return server->http->inFlight() > 0; }, 5000));
            if (i % 2)
                client->socket().abort(); // RST
            else
                client->socket().disconnectFromHost(); // FIN
            client.reset();
        }
        QVERIFY(QTest::qWaitFor([&] { return server->http->inFlight() == 0; }, 20000));
        QTest::qWait(50); // the queued completions run
        QCOMPARE(server->slowFinished.load(), 50);
        const Reply reply = send("GET", server->url(u"/fast"_s));
        QCOMPARE(reply.status, 200);
    }

    void inlineRouteAnswersWhileThePoolIsSaturated()
    {
        const auto server = TestServer::start(options(2));
        QVERIFY(server);
        std::vector<std::unique_ptr<RawClient>> blocked;
        for (int i = 0; i < 8; ++i) {
            blocked.push_back(std::make_unique<RawClient>(server->port));
            blocked.back()->send(get("/gated"));
        }
        QVERIFY(QTest::qWaitFor([&] { return server->http->inFlight() == 8; }, 5000));
        RawClient health(server->port);
        health.send(get("/healthz"));
        const std::optional<RawResponse> response = health.next();
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        // answered while every worker is busy and six requests wait in the queue
        QCOMPARE(server->gatedFinished.load(), 0);
        QCOMPARE(server->gatedStarted.load(), 2);
        server->openGate();
        for (auto &client : blocked)
            QVERIFY(client->next());
    }

    void fastRouteIsNotBlockedBySlowOnes()
    {
        // The event loop never waits for handlers: with free workers a fast request
        // overtakes eight blocked ones that were sent first.
        const auto server = TestServer::start(options(12));
        QVERIFY(server);
        std::vector<std::unique_ptr<RawClient>> blocked;
        for (int i = 0; i < 8; ++i) {
            blocked.push_back(std::make_unique<RawClient>(server->port));
            blocked.back()->send(get("/gated"));
        }
        QVERIFY(QTest::qWaitFor([&] { return server->gatedStarted == 8; }, 5000));
        RawClient fast(server->port);
        fast.send(get("/fast"));
        const std::optional<RawResponse> response = fast.next();
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        QCOMPARE(server->gatedFinished.load(), 0);
        server->openGate();
        for (auto &client : blocked)
            QVERIFY(client->next());
    }

    void overloadAnswers503AtOnce()
    {
        const auto server = TestServer::start(options(1, 2));
        QVERIFY(server);
        RawClient first(server->port);
        RawClient second(server->port);
        first.send(get("/gated"));
        second.send(get("/gated"));
        QVERIFY(QTest::qWaitFor([&] { return server->http->inFlight() == 2; }, 5000));
        RawClient third(server->port);
        third.send(get("/fast"));
        const std::optional<RawResponse> rejected = third.next();
        QVERIFY(rejected);
        QCOMPARE(rejected->status, 503);
        QCOMPARE(rejected->errorCode(), u"overloaded"_s);
        QCOMPARE(rejected->header("retry-after"), QByteArray("1"));
        QCOMPARE(server->gatedFinished.load(), 0); // at once, not after the queue
        server->openGate();
        QCOMPARE(first.next()->status, 200);
        QCOMPARE(second.next()->status, 200);
        third.send(get("/fast"));
        QCOMPARE(third.next()->status, 200);
    }

    void exceptionsBecomeEnvelopes_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("ApiError") << u"/api-error"_s << 422 << u"validation_failed"_s;
        QTest::newRow("std::runtime_error") << u"/boom"_s << 500 << u"internal_error"_s;
        QTest::newRow("StorageError conflict") << u"/conflict"_s << 409 << u"conflict"_s;
        QTest::newRow("StorageError unavailable")
            << u"/unavailable"_s << 503 << u"database_unavailable"_s;
    }

    void exceptionsBecomeEnvelopes()
    {
        QFETCH(QString, path);
        QFETCH(int, status);
        QFETCH(QString, code);
        const auto server = TestServer::start(options());
        QVERIFY(server);
        const Reply reply = send("GET", server->url(path));
        QCOMPARE(reply.status, status);
        QCOMPARE(reply.errorCode(), code);
        // internals (exception text, SQL) never reach the client
        QVERIFY(!reply.body.contains("kaboom"));
        QVERIFY(!reply.body.contains("secret_table"));
        QCOMPARE(send("GET", server->url(u"/fast"_s)).status, 200);
    }

    void beforeHookGuardsNonPublicRoutesOnly()
    {
        const auto server = TestServer::start(options());
        QVERIFY(server);
        QCOMPARE(send("GET", server->url(u"/fast"_s)).status, 200);
        QCOMPARE(server->beforeCalls.load(), 0);
        const Reply denied = send("GET", server->url(u"/private"_s));
        QCOMPARE(denied.status, 401);
        QCOMPARE(denied.errorCode(), u"unauthenticated"_s);
        RawClient client(server->port);
        client.send(get("/private", "X-Test-Auth: yes\r\n"));
        const std::optional<RawResponse> allowed = client.next();
        QVERIFY(allowed);
        QCOMPARE(allowed->status, 200);
        QCOMPARE(server->beforeCalls.load(), 2);
    }
};

QTEST_GUILESS_MAIN(TstHttpServer)
#include "tst_http_server.moc"
