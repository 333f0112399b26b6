#include "domain/ticketstatemachine.h"

#include <QTest>

using namespace md::domain;
using namespace Qt::StringLiterals;

class TestTicketStateMachine final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void statusChange_data();
    void statusChange();
    void assignment_data();
    void assignment();
    void assignmentOutcome_data();
    void assignmentOutcome();
};

namespace {

const QStringList kStatuses{u"new"_s,      u"assigned"_s, u"in_progress"_s, u"on_hold"_s,
                            u"resolved"_s, u"closed"_s,   u"cancelled"_s};

// The life cycle of ticketstatemachine.h, written out independently of the implementation.
// "assigned" is never a status change target: only an assignment enters it.
const QSet<QString> kAllowed{
    u"new>cancelled"_s,

    u"assigned>in_progress"_s, u"assigned>on_hold"_s,     u"assigned>resolved"_s,
    u"assigned>cancelled"_s,

    u"in_progress>on_hold"_s,  u"in_progress>resolved"_s, u"in_progress>cancelled"_s,

    u"on_hold>in_progress"_s,  u"on_hold>cancelled"_s,

    u"resolved>closed"_s,      u"resolved>in_progress"_s,
};

TicketStatus status(const QString &wire)
{
    const auto s = parseTicketStatus(wire);
    Q_ASSERT(s);
    return *s;
}

} // namespace

void TestTicketStateMachine::statusChange_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<bool>("allowed");
    // Every one of the 49 pairs, so a transition added by mistake fails too.
    for (const QString &from : kStatuses) {
        for (const QString &to : kStatuses) {
            QTest::addRow("%s -> %s", qPrintable(from), qPrintable(to))
                << from << to << kAllowed.contains(from + u'>' + to);
        }
    }
}

void TestTicketStateMachine::statusChange()
{
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(bool, allowed);
    QCOMPARE(TicketStateMachine::canChangeStatus(status(from), status(to)), allowed);
    // The desktop's buttons offer exactly the allowed changes.
    QCOMPARE(TicketStateMachine::nextStatuses(status(from)).contains(status(to)), allowed);
}

void TestTicketStateMachine::assignment_data()
{
    QTest::addColumn<QString>("status");
    QTest::addColumn<bool>("canAssign");
    QTest::addColumn<bool>("isReassignment"); // needs a reason, ends the active assignment
    QTest::newRow("new: first assignment") << u"new"_s << true << false;
    QTest::newRow("assigned: reassignment") << u"assigned"_s << true << true;
    QTest::newRow("in_progress: reassignment") << u"in_progress"_s << true << true;
    QTest::newRow("on_hold: reassignment") << u"on_hold"_s << true << true;
    QTest::newRow("resolved: no") << u"resolved"_s << false << false;
    QTest::newRow("closed: no") << u"closed"_s << false << false;
    QTest::newRow("cancelled: no") << u"cancelled"_s << false << false;
}

void TestTicketStateMachine::assignment()
{
    QFETCH(QString, status);
    QFETCH(bool, canAssign);
    QFETCH(bool, isReassignment);
    QCOMPARE(TicketStateMachine::canAssign(::status(status)), canAssign);
    QCOMPARE(TicketStateMachine::isReassignment(::status(status)), isReassignment);
}

void TestTicketStateMachine::assignmentOutcome_data()
{
    QTest::addColumn<QString>("to");
    QTest::addColumn<QString>("outcome"); // empty: the active assignment goes on
    QTest::newRow("in_progress") << u"in_progress"_s << QString();
    QTest::newRow("on_hold") << u"on_hold"_s << QString();
    QTest::newRow("resolved") << u"resolved"_s << u"completed"_s;
    QTest::newRow("closed") << u"closed"_s << u"completed"_s;
    QTest::newRow("cancelled") << u"cancelled"_s << u"cancelled"_s;
}

void TestTicketStateMachine::assignmentOutcome()
{
    QFETCH(QString, to);
    QFETCH(QString, outcome);
    const auto result = TicketStateMachine::assignmentOutcome(status(to));
    QCOMPARE(result ? toString(*result) : QString(), outcome);
}

QTEST_GUILESS_MAIN(TestTicketStateMachine)
#include "tst_ticketstatemachine.moc"
