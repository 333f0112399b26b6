// SuggestionModel against a real server with the demo data: the ranked suggestions of a
// new ticket, under QAbstractItemModelTester while loading, reloading and switching to
// another ticket, and a failure that leaves the rows alone.

#include "dispatch/suggestionmodel.h"
#include "guitestsupport.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;
using md::ui::SuggestionModel;

namespace {

using Tester = QAbstractItemModelTester;

} // namespace

class TestSuggestionModel final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_fixture = std::make_unique<md::test::GuiFixture>();
        QVERIFY2(m_fixture->isRunning(), qPrintable(m_fixture->error()));
        QVERIFY(m_fixture->signInDemo(u"admin@meddispatch.example"_s));
        // New tickets the engine has several engineers for.
        for (const auto &ticket : m_fixture->newTickets()) {
            if (ticket.engineerIds.size() >= 2 && m_tickets.size() < 2)
                m_tickets << ticket.id();
        }
        QVERIFY2(m_tickets.size() == 2, "the demo data has new tickets with suggestions");
    }

    void loadsTheServersRanking()
    {
        SuggestionModel model(&m_fixture->api());
        Tester tester(&model, Tester::FailureReportingMode::Fatal);
        QSignalSpy loaded(&model, &SuggestionModel::loaded);
        model.load(m_tickets.at(0));
        QVERIFY(model.isLoading());
        QVERIFY(loaded.wait(15000));
        QVERIFY(!model.isLoading());

        const QJsonArray expected = serverSuggestions(m_tickets.at(0));
        QCOMPARE(model.rowCount(), int(expected.size()));
        QVERIFY(!model.requiredLevel().isEmpty());
        int recommended = 0;
        for (int row = 0; row < model.rowCount(); ++row) {
            const QModelIndex index = model.index(row);
            const QJsonObject json = expected.at(row).toObject();
            const QJsonObject engineer = json.value(u"engineer"_s).toObject();
            QCOMPARE(index.data(SuggestionModel::EngineerIdRole).toString(),
                     engineer.value(u"id"_s).toString());
            QCOMPARE(index.data(Qt::DisplayRole).toString(), engineer.value(u"name"_s).toString());
            QCOMPARE(index.data(SuggestionModel::ScoreRole).toInt(),
                     json.value(u"match_score"_s).toInt());
            QCOMPARE(index.data(SuggestionModel::TierRole).toInt(),
                     json.value(u"assignment_tier"_s).toInt());
            QCOMPARE(u"L"_s + QString::number(index.data(SuggestionModel::LevelRole).toInt()),
                     engineer.value(u"level"_s).toString());
            QCOMPARE(index.data(SuggestionModel::OrganizationRole).toString(),
                     engineer.value(u"organization"_s).toObject().value(u"name"_s).toString());
            QCOMPARE(index.data(SuggestionModel::OpenAssignmentsRole).toInt(),
                     engineer.value(u"open_assignments"_s).toInt());
            QCOMPARE(index.data(SuggestionModel::CategoriesRole).toStringList().size(),
                     engineer.value(u"categories"_s).toArray().size());
            const QJsonObject breakdown = json.value(u"score_breakdown"_s).toObject();
            QCOMPARE(index.data(SuggestionModel::CertifiedRole).toBool(),
                     breakdown.value(u"certification"_s).toInt() > 0);
            QCOMPARE(index.data(SuggestionModel::BreakdownRole).toJsonObject(), breakdown);
            if (row > 0) {
                QVERIFY(index.data(SuggestionModel::ScoreRole).toInt() <=
                        model.index(row - 1).data(SuggestionModel::ScoreRole).toInt());
            }
            if (index.data(SuggestionModel::RecommendedRole).toBool()) {
                ++recommended;
                QCOMPARE(row, 0);
                QVERIFY(index.data(Qt::AccessibleTextRole).toString().contains(u"recommended"_s));
            }
            const QString accessible = index.data(Qt::AccessibleTextRole).toString();
            QVERIFY(accessible.startsWith(engineer.value(u"name"_s).toString()));
            QVERIFY(!index.data(SuggestionModel::LocationRole).toString().isEmpty());
        }
        QCOMPARE(recommended, 1);
    }

    void reloadsAndSwitchesTickets()
    {
        SuggestionModel model(&m_fixture->api());
        Tester tester(&model, Tester::FailureReportingMode::Fatal);
        QSignalSpy loaded(&model, &SuggestionModel::loaded);
        model.load(m_tickets.at(0));
        QVERIFY(loaded.wait(15000));
        const int first = model.rowCount();
        QVERIFY(first > 0);

        model.reload();
        QVERIFY(loaded.wait(15000));
        QCOMPARE(model.rowCount(), first);

        // Another ticket: the first ticket's engineers go at once, not when the answer comes.
        model.load(m_tickets.at(1));
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.ticketId(), m_tickets.at(1));
        QVERIFY(loaded.wait(15000));
        QCOMPARE(model.rowCount(), int(serverSuggestions(m_tickets.at(1)).size()));

        // Two loads in a row: only the last one's answer counts.
        loaded.clear();
        model.load(m_tickets.at(0));
        model.load(m_tickets.at(1));
        QVERIFY(loaded.wait(15000));
        QTest::qWait(300);
        QCOMPARE(model.ticketId(), m_tickets.at(1));
        QCOMPARE(model.index(0).data(SuggestionModel::EngineerIdRole).toString(),
                 serverSuggestions(m_tickets.at(1))
                     .at(0)
                     .toObject()
                     .value(u"engineer"_s)
                     .toObject()
                     .value(u"id"_s)
                     .toString());
    }

    void marksTheCurrentEngineer()
    {
        SuggestionModel model(&m_fixture->api());
        Tester tester(&model, Tester::FailureReportingMode::Fatal);
        QSignalSpy loaded(&model, &SuggestionModel::loaded);
        model.load(m_tickets.at(0));
        QVERIFY(loaded.wait(15000));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        const QString id = model.index(1).data(SuggestionModel::EngineerIdRole).toString();
        model.setCurrentEngineerId(id);
        QCOMPARE(changed.size(), 1);
        QVERIFY(model.index(1).data(SuggestionModel::CurrentRole).toBool());
        QVERIFY(!model.index(0).data(SuggestionModel::CurrentRole).toBool());
        QVERIFY(model.index(1).data(Qt::AccessibleTextRole).toString().contains(u"assigned now"_s));
    }

    void failureKeepsRows()
    {
        SuggestionModel model(&m_fixture->api());
        Tester tester(&model, Tester::FailureReportingMode::Fatal);
        QSignalSpy failed(&model, &SuggestionModel::failed);
        model.load(QUuid::createUuid().toString(QUuid::WithoutBraces));
        QVERIFY(failed.wait(15000));
        QCOMPARE(model.rowCount(), 0);
        const auto error = failed.at(0).at(0).value<md::client::ApiError>();
        QCOMPARE(error.status, 404);
    }

private:
    QJsonArray serverSuggestions(const QString &ticketId)
    {
        const auto reply = m_fixture->server().client().get(
            u"/v1/engineers/suggestions?limit=50&ticket_id="_s + ticketId);
        return reply.json.value(u"data"_s).toArray();
    }

    std::unique_ptr<md::test::GuiFixture> m_fixture;
    QStringList m_tickets;
};

QTEST_MAIN(TestSuggestionModel)
#include "tst_suggestionmodel.moc"
