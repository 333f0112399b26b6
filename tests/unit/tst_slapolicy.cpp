#include "domain/slapolicy.h"

#include <QTest>

using namespace md::domain;
using namespace Qt::StringLiterals;

class TestSlaPolicy final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void dueTimes_data();
    void dueTimes();
    void state_data();
    void state();
};

namespace {
const QDateTime kCreated(QDate(2026, 3, 28), QTime(22, 15), Qt::UTC);
}

void TestSlaPolicy::dueTimes_data()
{
    QTest::addColumn<QString>("priority");
    QTest::addColumn<QDateTime>("responseDue");
    QTest::addColumn<QDateTime>("resolutionDue");
    // Defaults of docs/sla.md, counted in calendar hours (24/7).
    QTest::newRow("critical: 1 h / 8 h")
        << u"critical"_s << kCreated.addSecs(3600) << kCreated.addSecs(8 * 3600);
    QTest::newRow("high: 4 h / 24 h")
        << u"high"_s << kCreated.addSecs(4 * 3600) << kCreated.addDays(1);
    QTest::newRow("normal: 24 h / 72 h")
        << u"normal"_s << kCreated.addDays(1) << kCreated.addDays(3);
    QTest::newRow("low: 72 h / 10 days") << u"low"_s << kCreated.addDays(3) << kCreated.addDays(10);
}

void TestSlaPolicy::dueTimes()
{
    QFETCH(QString, priority);
    QFETCH(QDateTime, responseDue);
    QFETCH(QDateTime, resolutionDue);
    const Priority p = *parsePriority(priority);
    QCOMPARE(SlaPolicy::responseDue(p, kCreated), responseDue);
    QCOMPARE(SlaPolicy::resolutionDue(p, kCreated), resolutionDue);
    QCOMPARE(SlaPolicy::defaults(p).responseMinutes * 60, kCreated.secsTo(responseDue));
    QCOMPARE(SlaPolicy::defaults(p).resolutionMinutes * 60, kCreated.secsTo(resolutionDue));
    // The response is always due before the resolution.
    QVERIFY(SlaPolicy::responseDue(p, kCreated) < SlaPolicy::resolutionDue(p, kCreated));
    // No creation time, no due time (rather than a due time in 1970).
    QVERIFY(!SlaPolicy::responseDue(p, QDateTime()).isValid());
    QVERIFY(!SlaPolicy::resolutionDue(p, QDateTime()).isValid());
}

void TestSlaPolicy::state_data()
{
    QTest::addColumn<QDateTime>("created");
    QTest::addColumn<QDateTime>("due");
    QTest::addColumn<QDateTime>("now");
    QTest::addColumn<QString>("expected");
    // A 4-hour window: at risk in its last hour.
    const QDateTime due = kCreated.addSecs(4 * 3600);
    QTest::newRow("just created") << kCreated << due << kCreated << u"on_track"_s;
    QTest::newRow("half the window left")
        << kCreated << due << kCreated.addSecs(2 * 3600) << u"on_track"_s;
    QTest::newRow("exactly 25 % left") << kCreated << due << due.addSecs(-3600) << u"on_track"_s;
    QTest::newRow("just under 25 % left") << kCreated << due << due.addSecs(-3599) << u"at_risk"_s;
    QTest::newRow("at the due time") << kCreated << due << due << u"at_risk"_s;
    QTest::newRow("1 ms late") << kCreated << due << due.addMSecs(1) << u"breached"_s;
    QTest::newRow("a day late") << kCreated << due << due.addDays(1) << u"breached"_s;
    QTest::newRow("no due time") << kCreated << QDateTime() << due.addDays(1) << u"on_track"_s;
    QTest::newRow("same instant in another zone")
        << kCreated << due << due.addSecs(1).toOffsetFromUtc(5 * 3600 + 1800) << u"breached"_s;
}

void TestSlaPolicy::state()
{
    QFETCH(QDateTime, created);
    QFETCH(QDateTime, due);
    QFETCH(QDateTime, now);
    QFETCH(QString, expected);
    const SlaPolicy::State s = SlaPolicy::state(created, due, now);
    const QString name = s == SlaPolicy::State::OnTrack  ? u"on_track"_s
                         : s == SlaPolicy::State::AtRisk ? u"at_risk"_s
                                                         : u"breached"_s;
    QCOMPARE(name, expected);
}

QTEST_GUILESS_MAIN(TestSlaPolicy)
#include "tst_slapolicy.moc"
