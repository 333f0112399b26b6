// TicketModel and TicketFilterModel under QAbstractItemModelTester (fatal): loading every
// demo ticket page by page from a real server, live updates, a superseded load, and the
// proxy's search and sort checked against a brute-force reading of the same rows.

#include "guitestsupport.h"
#include "tickets/ticketfiltermodel.h"
#include "tickets/ticketmodel.h"

#include "api/codecs.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>
#include <QUuid>

using namespace Qt::StringLiterals;
using md::test::GuiFixture;
using md::ui::TicketFilterModel;
using md::ui::TicketModel;

namespace {

constexpr auto Fatal = QAbstractItemModelTester::FailureReportingMode::Fatal;
constexpr int LoadTimeoutMs = 15000;

} // namespace

class TestTicketModel final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<GuiFixture> m_fixture;

    md::test::HttpClient &http() { return m_fixture->server().client(); }

    qint64 serverTotal(const QString &query = {})
    {
        const auto reply = http().get(u"/v1/tickets?limit=1&"_s + query);
        if (reply.status != 200)
            return -1;
        return reply.json.value(u"page"_s).toObject().value(u"total"_s).toInteger();
    }

    QJsonObject serverTicket(const QString &query)
    {
        const auto reply = http().get(u"/v1/tickets?limit=1&"_s + query);
        const QJsonArray data = reply.json.value(u"data"_s).toArray();
        return data.isEmpty() ? QJsonObject() : data.first().toObject();
    }

    QHash<QString, QString> names(const QString &path)
    {
        QHash<QString, QString> result;
        for (int offset = 0;; offset += 500) {
            const auto reply = http().get(path + u"?limit=500&offset="_s + QString::number(offset));
            const QJsonArray data = reply.json.value(u"data"_s).toArray();
            for (const QJsonValue &v : data)
                result.insert(v[u"id"_s].toString(), v[u"name"_s].toString());
            if (data.size() < 500)
                break;
        }
        return result;
    }

    // Loads everything with the current filters; false on timeout or error.
    bool loadAll(TicketModel &model)
    {
        QSignalSpy finished(&model, &TicketModel::loadFinished);
        QSignalSpy failed(&model, &TicketModel::errorOccurred);
        model.reload();
        return QTest::qWaitFor([&] { return !finished.isEmpty() || !failed.isEmpty(); },
                               LoadTimeoutMs) &&
               failed.isEmpty();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_fixture = std::make_unique<GuiFixture>();
        QVERIFY2(m_fixture->isRunning(), qPrintable(m_fixture->error()));
        QVERIFY(m_fixture->signInDemo(u"admin@meddispatch.example"_s));
    }

    void parsesTheServersJson()
    {
        // The exact JSON the server writes (codecs.cpp), times included.
        md::domain::Ticket t;
        t.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        t.number = u"TKT-2026-000042"_s;
        t.equipmentId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        t.organizationId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        t.title = u"Ventilator alarm ✓ fault"_s;
        t.priority = md::domain::Priority::Critical;
        t.status = md::domain::TicketStatus::InProgress;
        t.assignedEngineerId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        t.createdAt = QDateTime(QDate(2026, 2, 28), QTime(23, 59, 58, 123), Qt::UTC);
        t.updatedAt = QDateTime(QDate(1999, 12, 31), QTime(0, 0, 0, 7), Qt::UTC);
        t.assignedAt = t.createdAt;
        t.responseDueAt = t.createdAt.addSecs(3600);
        t.resolutionDueAt = t.createdAt.addSecs(3600 * 8); // long past: breached
        const QJsonObject json = md::api::toJson(t, now);

        QJsonObject broken = json;
        broken.insert(u"id"_s, u"not-a-uuid"_s);
        const QByteArray body = QJsonDocument(md::api::pageJson(QJsonArray{json, broken}, 50, 0, 2))
                                    .toJson(QJsonDocument::Compact);
        TicketModel::Page page = TicketModel::parsePage(body);
        QCOMPARE(page.rows.size(), size_t(1));
        QCOMPARE(page.skipped, 1);
        const TicketModel::Row &row = page.rows.front();
        QCOMPARE(row.id.toString(QUuid::WithoutBraces), t.id);
        QCOMPARE(row.number, t.number);
        QCOMPARE(row.title, t.title);
        QCOMPARE(row.createdMs, t.createdAt.toMSecsSinceEpoch());
        QCOMPARE(row.updatedMs, t.updatedAt.toMSecsSinceEpoch());
        QCOMPARE(row.priority, quint8(md::domain::Priority::Critical));
        QCOMPARE(row.status, quint8(md::domain::TicketStatus::InProgress));
        QCOMPARE(row.slaResolution, TicketModel::Sla::Breached);
        QCOMPARE(TicketModel::slaState(row), TicketModel::Sla::Breached);

        TicketModel model(nullptr);
        QAbstractItemModelTester tester(&model, Fatal);
        model.setOrganizationNames({{t.organizationId, u"St. Mary's Hospital"_s}});
        model.appendParsedRows(std::move(page));
        QCOMPARE(model.rowCount(), 1);
        const auto cell = [&](int column, int role = Qt::DisplayRole) {
            return model.index(0, column).data(role);
        };
        QCOMPARE(cell(TicketModel::NumberColumn).toString(), t.number);
        QCOMPARE(cell(TicketModel::OrganizationColumn).toString(), u"St. Mary's Hospital"_s);
        QCOMPARE(cell(TicketModel::PriorityColumn).toString(), u"Critical"_s);
        QCOMPARE(cell(TicketModel::StatusColumn).toString(), u"In progress"_s);
        QCOMPARE(cell(TicketModel::SlaColumn, TicketModel::SlaStateRole).toString(), u"breached"_s);
        QCOMPARE(cell(TicketModel::CreatedColumn, TicketModel::CreatedAtRole).toDateTime(),
                 t.createdAt);
        QCOMPARE(cell(TicketModel::EngineerColumn, TicketModel::EngineerIdRole).toString(),
                 t.assignedEngineerId);
        QCOMPARE(cell(0, TicketModel::TicketIdRole).toString(), t.id);
        QCOMPARE(model.rowForId(t.id), 0);
    }

    void loadsEveryPageUnderTheTester()
    {
        TicketModel model(&m_fixture->api());
        QAbstractItemModelTester tester(&model, Fatal);
        QList<int> rowsSeen;
        connect(&model, &TicketModel::progressChanged, this,
                [&](int loaded, qint64) { rowsSeen.append(loaded); });
        QVERIFY(loadAll(model));

        const qint64 total = serverTotal();
        QVERIFY(total > TicketModel::PageSize); // the demo data spans several pages
        QCOMPARE(model.rowCount(), int(total));
        QCOMPARE(model.total(), total);
        QCOMPARE(model.loaded(), int(total));
        QVERIFY(!model.isLoading());
        // Page by page: the row count grew in steps before reaching the total.
        QVERIFY2(rowsSeen.size() >=
                     int((total + TicketModel::PageSize - 1) / TicketModel::PageSize),
                 qPrintable(u"progress steps: %1"_s.arg(rowsSeen.size())));
        QVERIFY(rowsSeen.first() < total);
        QCOMPARE(rowsSeen.last(), int(total));
        QVERIFY(std::is_sorted(rowsSeen.begin(), rowsSeen.end()));

        // Every ticket once, and the rows say what the server says.
        QSet<QString> ids;
        for (int r = 0; r < model.rowCount(); ++r)
            ids.insert(model.ticketId(r));
        QCOMPARE(ids.size(), int(total));
        const QJsonObject newest = serverTicket({});
        const int row = model.rowForId(newest.value(u"id"_s).toString());
        QVERIFY(row >= 0);
        QCOMPARE(model.index(row, TicketModel::NumberColumn).data().toString(),
                 newest.value(u"number"_s).toString());
        QCOMPARE(model.index(row, 0).data(TicketModel::PriorityRole).toInt(),
                 int(*md::domain::parsePriority(newest.value(u"priority"_s).toString())));
        QCOMPARE(model.index(row, 0).data(TicketModel::StatusRole).toInt(),
                 int(*md::domain::parseTicketStatus(newest.value(u"status"_s).toString())));
    }

    void appliesLiveTickets()
    {
        TicketModel model(&m_fixture->api());
        QAbstractItemModelTester tester(&model, Fatal);
        QVERIFY(loadAll(model));
        const int before = model.rowCount();

        // An update in place: same row count, the row shows the new values.
        QJsonObject ticket = serverTicket(u"status=new"_s);
        QVERIFY(!ticket.isEmpty());
        const QString id = ticket.value(u"id"_s).toString();
        const int row = model.rowForId(id);
        QVERIFY(row >= 0);
        ticket.insert(u"title"_s, u"Changed elsewhere"_s);
        ticket.insert(u"priority"_s, u"critical"_s);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QVERIFY(model.applyTicket(ticket));
        QCOMPARE(model.rowCount(), before);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(model.index(row, TicketModel::TitleColumn).data().toString(),
                 u"Changed elsewhere"_s);
        QCOMPARE(model.index(row, TicketModel::PriorityColumn).data().toString(), u"Critical"_s);

        // A ticket created on the server: inserted once, however often it is announced.
        const auto equipment = http().get(u"/v1/equipment?limit=1"_s);
        const QString equipmentId =
            equipment.json.value(u"data"_s).toArray().first()[u"id"_s].toString();
        const auto created =
            http().post(u"/v1/tickets"_s, {{u"equipment_id"_s, equipmentId},
                                           {u"title"_s, u"Infusion pump occlusion alarm"_s},
                                           {u"priority"_s, u"high"_s}});
        QCOMPARE(created.status, 201);
        QVERIFY(model.applyTicket(created.json));
        QVERIFY(model.applyTicket(created.json));
        QCOMPARE(model.rowCount(), before + 1);
        const int inserted = model.rowForId(created.json.value(u"id"_s).toString());
        QVERIFY(inserted >= 0);
        QCOMPARE(model.index(inserted, TicketModel::TitleColumn).data().toString(),
                 u"Infusion pump occlusion alarm"_s);

        // With a priority filter: a high ticket does not belong; a critical one that
        // became normal leaves.
        TicketModel critical(&m_fixture->api());
        QAbstractItemModelTester criticalTester(&critical, Fatal);
        critical.setFilters({.priority = u"critical"_s});
        QSignalSpy finished(&critical, &TicketModel::loadFinished);
        QVERIFY(finished.wait(LoadTimeoutMs));
        const int criticalRows = critical.rowCount();
        QCOMPARE(criticalRows, int(serverTotal(u"priority=critical"_s)));
        QVERIFY(!critical.applyTicket(created.json));
        QCOMPARE(critical.rowForId(created.json.value(u"id"_s).toString()), -1);
        QJsonObject demoted = serverTicket(u"priority=critical"_s);
        QVERIFY(critical.rowForId(demoted.value(u"id"_s).toString()) >= 0);
        demoted.insert(u"priority"_s, u"normal"_s);
        QVERIFY(critical.applyTicket(demoted));
        QCOMPARE(critical.rowCount(), criticalRows - 1);
        QCOMPARE(critical.rowForId(demoted.value(u"id"_s).toString()), -1);
        // The rows after the removed one are still found by id.
        for (int r = 0; r < critical.rowCount(); ++r)
            QCOMPARE(critical.rowForId(critical.ticketId(r)), r);
    }

    void dropsPagesOfASupersededLoad()
    {
        TicketModel model(&m_fixture->api());
        QAbstractItemModelTester tester(&model, Fatal);
        // Let the unfiltered load get going: the first page is in and the next is on its
        // way when the filter changes.
        QSignalSpy finished(&model, &TicketModel::loadFinished);
        bool switched = false;
        QObject context;
        connect(&model, &TicketModel::progressChanged, &context, [&](int loaded, qint64 total) {
            if (!switched && loaded > 0 && loaded < total) {
                switched = true;
                QVERIFY(model.isLoading());
                model.setFilters({.priority = u"low"_s});
                QCOMPARE(model.rowCount(), 0); // the old rows go at once
            }
        });
        model.reload();
        QVERIFY(finished.wait(LoadTimeoutMs));
        QVERIFY(switched);
        // Give any page of the first load time to arrive: it must be dropped.
        QTest::qWait(500);
        QCOMPARE(finished.size(), 1);
        const qint64 low = serverTotal(u"priority=low"_s);
        QCOMPARE(model.rowCount(), int(low));
        for (int r = 0; r < model.rowCount(); ++r)
            QCOMPARE(model.index(r, 0).data(TicketModel::PriorityRole).toInt(),
                     int(md::domain::Priority::Low));
    }

    void searchesAndSortsUnderTheTester()
    {
        TicketModel model(&m_fixture->api());
        TicketFilterModel proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester sourceTester(&model, Fatal);
        QAbstractItemModelTester proxyTester(&proxy, Fatal);
        model.setOrganizationNames(names(u"/v1/organizations"_s));
        model.setEngineerNames(names(u"/v1/engineers"_s));
        proxy.sort(TicketModel::CreatedColumn, Qt::DescendingOrder);
        QVERIFY(loadAll(model));
        const int all = model.rowCount();
        QCOMPARE(proxy.rowCount(), all);

        // What a search should find, read the slow way through DisplayRole.
        const auto expected = [&](const QString &needle) {
            int n = 0;
            for (int r = 0; r < all; ++r) {
                for (int column : {TicketModel::NumberColumn, TicketModel::TitleColumn,
                                   TicketModel::OrganizationColumn, TicketModel::EngineerColumn}) {
                    if (model.index(r, column).data().toString().contains(needle,
                                                                          Qt::CaseInsensitive)) {
                        ++n;
                        break;
                    }
                }
            }
            return n;
        };

        // A ticket number: exactly that ticket.
        const QString number = model.index(all / 2, TicketModel::NumberColumn).data().toString();
        proxy.setSearchText(number);
        QCOMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.index(0, TicketModel::NumberColumn).data().toString(), number);

        // A word of a title, in the wrong case; an organization's name; an engineer's.
        const QString title = model.index(0, TicketModel::TitleColumn).data().toString();
        const QString word = title.section(u' ', 0, 0).toUpper();
        const QString organization =
            model.index(0, TicketModel::OrganizationColumn).data().toString();
        QVERIFY(!organization.isEmpty());
        QString engineer;
        for (int r = 0; r < all && engineer.isEmpty(); ++r)
            engineer = model.index(r, TicketModel::EngineerColumn).data().toString();
        QVERIFY(!engineer.isEmpty());
        for (const QString &needle : {word, organization.toLower(), engineer}) {
            proxy.setSearchText(needle);
            const int want = expected(needle);
            QVERIFY2(want > 0 && want < all, qPrintable(needle));
            QCOMPARE(proxy.rowCount(), want);
            // Still newest first within the matches.
            for (int r = 1; r < proxy.rowCount(); ++r)
                QVERIFY(proxy.index(r - 1, 0).data(TicketModel::CreatedAtRole).toDateTime() >=
                        proxy.index(r, 0).data(TicketModel::CreatedAtRole).toDateTime());
        }
        proxy.setSearchText(u"no ticket says this 7f3e"_s);
        QCOMPARE(proxy.rowCount(), 0);
        proxy.setSearchText({});
        QCOMPARE(proxy.rowCount(), all);

        // Sorting follows SortRole in both directions, for numbers and for text.
        const auto checkSorted = [&](int column, Qt::SortOrder order) {
            proxy.sort(column, order);
            for (int r = 1; r < proxy.rowCount(); ++r) {
                const QVariant a = proxy.index(r - 1, column).data(TicketModel::SortRole);
                const QVariant b = proxy.index(r, column).data(TicketModel::SortRole);
                const int c =
                    a.typeId() == QMetaType::QString
                        ? QString::compare(a.toString(), b.toString(), Qt::CaseInsensitive)
                        : (a.toLongLong() < b.toLongLong()   ? -1
                           : a.toLongLong() > b.toLongLong() ? 1
                                                             : 0);
                if (order == Qt::AscendingOrder ? c > 0 : c < 0)
                    return false;
            }
            return true;
        };
        for (int column :
             {TicketModel::PriorityColumn, TicketModel::StatusColumn, TicketModel::SlaColumn,
              TicketModel::CreatedColumn, TicketModel::TitleColumn, TicketModel::OrganizationColumn,
              TicketModel::EngineerColumn}) {
            QVERIFY2(checkSorted(column, Qt::AscendingOrder), qPrintable(QString::number(column)));
            QVERIFY2(checkSorted(column, Qt::DescendingOrder), qPrintable(QString::number(column)));
        }
        // Critical first when sorted by priority.
        proxy.sort(TicketModel::PriorityColumn, Qt::AscendingOrder);
        QCOMPARE(proxy.index(0, TicketModel::PriorityColumn).data().toString(), u"Critical"_s);
    }
};

QTEST_MAIN(TestTicketModel)
#include "tst_ticketmodel.moc"
