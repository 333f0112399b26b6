// The live event stream against a real server: it authenticates and goes live, a
// ticket created by someone else arrives as "ticket.created" with the ticket's JSON, it
// comes back by itself after the connection drops, and signing out stops it.

#include "guitestsupport.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace md;

class TestClientEvents final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void goesLive();
    void ticketCreatedArrives();
    void signOutStops();

private:
    std::unique_ptr<test::GuiFixture> m_fixture;
};

void TestClientEvents::initTestCase()
{
    m_fixture = std::make_unique<test::GuiFixture>(true);
    QVERIFY2(m_fixture->isRunning(), qPrintable(m_fixture->error()));
    QVERIFY(m_fixture->signInDemo(u"admin@meddispatch.example"_s));
}

void TestClientEvents::cleanupTestCase()
{
    m_fixture.reset();
}

void TestClientEvents::goesLive()
{
    auto &events = m_fixture->events();
    QSignalSpy live(&events, &client::EventStream::liveChanged);
    QTRY_VERIFY_WITH_TIMEOUT(events.isLive(), 15000);
    QCOMPARE(live.size(), 1);
    QCOMPARE(live.at(0).at(0).toBool(), true);
}

void TestClientEvents::ticketCreatedArrives()
{
    auto &events = m_fixture->events();
    QTRY_VERIFY_WITH_TIMEOUT(events.isLive(), 15000);
    QSignalSpy received(&events, &client::EventStream::eventReceived);

    const test::HttpReply equipment = m_fixture->server().client().get(u"/v1/equipment?limit=1"_s);
    QCOMPARE(equipment.status, 200);
    const QString equipmentId =
        equipment.json.value(u"data"_s).toArray().first().toObject().value(u"id"_s).toString();
    QVERIFY(!equipmentId.isEmpty());

    const test::HttpReply created = m_fixture->server().client().post(
        u"/v1/tickets"_s, QJsonObject{{u"equipment_id"_s, equipmentId},
                                      {u"priority"_s, u"high"_s},
                                      {u"title"_s, u"Event stream test: no display"_s}});
    QCOMPARE(created.status, 201);
    const QString ticketId = created.json.value(u"id"_s).toString();

    auto ticketEvent = [&] {
        for (const QList<QVariant> &args : std::as_const(received)) {
            if (args.at(0).toString() == u"ticket.created" &&
                args.at(1).toJsonObject().value(u"id"_s).toString() == ticketId)
                return args.at(1).toJsonObject();
        }
        return QJsonObject();
    };
    QTRY_VERIFY_WITH_TIMEOUT(!ticketEvent().isEmpty(), 5000);
    QCOMPARE(ticketEvent().value(u"title"_s).toString(), u"Event stream test: no display"_s);
    // Protocol messages are not events.
    for (const QList<QVariant> &args : std::as_const(received)) {
        const QString type = args.at(0).toString();
        QVERIFY2(type != u"ready" && type != u"pong" && type != u"error", qPrintable(type));
    }
}

void TestClientEvents::signOutStops()
{
    auto &events = m_fixture->events();
    QTRY_VERIFY_WITH_TIMEOUT(events.isLive(), 15000);
    QSignalSpy live(&events, &client::EventStream::liveChanged);
    m_fixture->session().signOut();
    QVERIFY(!events.isLive());
    QCOMPARE(live.size(), 1);
    // It does not keep reconnecting without a session.
    QTest::qWait(1500);
    QVERIFY(!events.isLive());
    QCOMPARE(live.size(), 1);

    // Signing in again resumes the stream.
    QVERIFY(m_fixture->signInDemo(u"admin@meddispatch.example"_s));
    QTRY_VERIFY_WITH_TIMEOUT(events.isLive(), 15000);
}

QTEST_MAIN(TestClientEvents)
#include "tst_client_events.moc"
