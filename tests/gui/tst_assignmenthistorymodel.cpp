// AssignmentHistoryModel against a real server with the demo data: a ticket assigned and
// reassigned through the API, under QAbstractItemModelTester while loading, reloading and
// switching to a ticket that was never assigned.

#include "dispatch/assignmenthistorymodel.h"
#include "guitestsupport.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using md::domain::AssignmentStatus;
using md::ui::AssignmentHistoryModel;
using Tester = QAbstractItemModelTester;

class TestAssignmentHistoryModel final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_fixture = std::make_unique<md::test::GuiFixture>();
        QVERIFY2(m_fixture->isRunning(), qPrintable(m_fixture->error()));
        QVERIFY(m_fixture->signInDemo(u"admin@meddispatch.example"_s));
        auto &server = m_fixture->server().client();
        for (const auto &ticket : m_fixture->newTickets()) {
            if (m_assigned.isEmpty() && ticket.engineerIds.size() >= 2) {
                m_assigned = ticket.id();
                m_engineers = ticket.engineerIds.mid(0, 2);
            } else if (m_neverAssigned.isEmpty()) {
                m_neverAssigned = ticket.id();
            }
        }
        QVERIFY(!m_assigned.isEmpty() && !m_neverAssigned.isEmpty());
        QCOMPARE(server
                     .post(u"/v1/tickets/"_s + m_assigned + u"/assign"_s,
                           {{u"engineer_id"_s, m_engineers.at(0)}})
                     .status,
                 201);
        QCOMPARE(server
                     .post(u"/v1/tickets/"_s + m_assigned + u"/assign"_s,
                           {{u"engineer_id"_s, m_engineers.at(1)},
                            {u"reason"_s, u"First engineer is on leave"_s}})
                     .status,
                 201);
    }

    void loadsNewestFirstWithSummary()
    {
        AssignmentHistoryModel model(&m_fixture->api());
        Tester tester(&model, Tester::FailureReportingMode::Fatal);
        QSignalSpy loaded(&model, &AssignmentHistoryModel::loaded);
        model.load(m_assigned);
        QVERIFY(model.isLoading());
        QVERIFY(loaded.wait(15000));
        QVERIFY(model.hasLoaded());

        QCOMPARE(model.rowCount(), 2);
        const QModelIndex newest = model.index(0);
        const QModelIndex older = model.index(1);
        QCOMPARE(newest.data(AssignmentHistoryModel::EngineerIdRole).toString(), m_engineers.at(1));
        QCOMPARE(newest.data(AssignmentHistoryModel::StatusRole).toInt(),
                 int(AssignmentStatus::Active));
        QCOMPARE(newest.data(AssignmentHistoryModel::ReasonRole).toString(),
                 u"First engineer is on leave"_s);
        QVERIFY(!newest.data(AssignmentHistoryModel::EndedAtRole).toDateTime().isValid());
        QCOMPARE(older.data(AssignmentHistoryModel::EngineerIdRole).toString(), m_engineers.at(0));
        QCOMPARE(older.data(AssignmentHistoryModel::StatusRole).toInt(),
                 int(AssignmentStatus::Reassigned));
        QVERIFY(older.data(AssignmentHistoryModel::EndedAtRole).toDateTime().isValid());
        QVERIFY(newest.data(AssignmentHistoryModel::AssignedAtRole).toDateTime() >=
                older.data(AssignmentHistoryModel::AssignedAtRole).toDateTime());
        QVERIFY(!newest.data(Qt::DisplayRole).toString().isEmpty());
        QVERIFY(!newest.data(AssignmentHistoryModel::OrganizationRole).toString().isEmpty());
        QVERIFY(newest.data(AssignmentHistoryModel::MatchScoreRole).toInt() >= 0);
        // Assigned by the test server's administrator: the server names them.
        QCOMPARE(newest.data(AssignmentHistoryModel::AssignedByTextRole).toString(),
                 u"by "_s + m_fixture->server().admin().name);
        QVERIFY(newest.data(Qt::AccessibleTextRole)
                    .toString()
                    .contains(u"First engineer is on leave"_s));

        QCOMPARE(model.summary().total, 2);
        QCOMPARE(model.summary().active, 1);
        QCOMPARE(model.summary().reassigned, 1);
        QCOMPARE(model.summaryText(), u"2 assignments · 1 active · 1 reassigned"_s);
    }

    void reloadsAndSwitches()
    {
        AssignmentHistoryModel model(&m_fixture->api());
        Tester tester(&model, Tester::FailureReportingMode::Fatal);
        QSignalSpy loaded(&model, &AssignmentHistoryModel::loaded);
        model.load(m_assigned);
        QVERIFY(loaded.wait(15000));
        QCOMPARE(model.rowCount(), 2);

        model.reload();
        QVERIFY(loaded.wait(15000));
        QCOMPARE(model.rowCount(), 2);

        model.load(m_neverAssigned);
        QCOMPARE(model.rowCount(), 0); // at once: no rows of another ticket meanwhile
        QVERIFY(!model.hasLoaded());
        QVERIFY(loaded.wait(15000));
        QVERIFY(model.hasLoaded());
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.summary().total, 0);
        QCOMPARE(model.summaryText(), u"0 assignments"_s);

        model.load(m_assigned);
        QVERIFY(loaded.wait(15000));
        QCOMPARE(model.rowCount(), 2);
    }

    void theSignedInUserReadsAsYou()
    {
        AssignmentHistoryModel model(&m_fixture->api());
        model.setCurrentUserId(m_fixture->server().admin().id);
        QSignalSpy loaded(&model, &AssignmentHistoryModel::loaded);
        model.load(m_assigned);
        QVERIFY(loaded.wait(15000));
        QCOMPARE(model.index(0).data(AssignmentHistoryModel::AssignedByTextRole).toString(),
                 u"by you"_s);
    }

private:
    std::unique_ptr<md::test::GuiFixture> m_fixture;
    QString m_assigned;
    QString m_neverAssigned;
    QStringList m_engineers;
};

QTEST_MAIN(TestAssignmentHistoryModel)
#include "tst_assignmenthistorymodel.moc"
