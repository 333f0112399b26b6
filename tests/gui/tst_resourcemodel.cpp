// ResourceModel under QAbstractItemModelTester (fatal) against a real server with the demo
// data: the first page, every further page through fetchMore(), a new search and a
// filter (each a reset), a search superseded before its answer, in-place updates and
// the organization names of reference columns.

#include "admin/adminviews.h"
#include "admin/resourcemodel.h"
#include "guitestsupport.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

using namespace Qt::StringLiterals;
using md::test::GuiFixture;
using md::ui::ResourceModel;

namespace {

constexpr auto Fatal = QAbstractItemModelTester::FailureReportingMode::Fatal;
constexpr int LoadTimeoutMs = 15000;

} // namespace

class TestResourceModel final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<GuiFixture> m_fixture;

    md::test::HttpClient &http() { return m_fixture->server().client(); }

    QJsonObject serverPage(const QString &path, const QUrlQuery &query)
    {
        const auto reply = http().get(path + u'?' + query.toString(QUrl::FullyEncoded));
        return reply.status == 200 ? reply.json : QJsonObject();
    }

    static qint64 totalOf(const QJsonObject &page)
    {
        return page.value(u"page"_s).toObject().value(u"total"_s).toInteger(-1);
    }

    // Waits for the answer to the query in flight; false on timeout or error.
    static bool waitLoaded(ResourceModel &model)
    {
        return QTest::qWaitFor([&] { return !model.isLoading(); }, LoadTimeoutMs) &&
               model.hasLoaded() && model.lastError().kind == md::client::ApiError::Kind::None;
    }

    static QStringList ids(const ResourceModel &model)
    {
        QStringList out;
        for (int row = 0; row < model.rowCount(); ++row)
            out.append(model.data(model.index(row, 0), ResourceModel::IdRole).toString());
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_fixture = std::make_unique<GuiFixture>();
        QVERIFY2(m_fixture->isRunning(), qPrintable(m_fixture->error()));
        QVERIFY(m_fixture->signInDemo(u"admin@meddispatch.example"_s));
    }

    void firstPageThenEveryPageByFetchMore()
    {
        ResourceModel model(&m_fixture->api(), md::ui::equipmentDescriptor());
        QAbstractItemModelTester tester(&model, Fatal);
        QVERIFY(!model.canFetchMore({})); // nothing asked yet: nothing to fetch

        model.reload();
        QVERIFY(waitLoaded(model));
        const QJsonObject first = serverPage(u"/v1/equipment"_s, QUrlQuery(u"limit=1"_s));
        const qint64 total = totalOf(first);
        QVERIFY(total > 2 * ResourceModel::PageSize); // the demo's ~3,200 devices
        QCOMPARE(model.total(), total);
        QCOMPARE(model.rowCount(), ResourceModel::PageSize);
        QCOMPARE(model.columnCount(), md::ui::equipmentDescriptor().columns.size());
        QCOMPARE(model.object(0).value(u"id"_s),
                 first.value(u"data"_s).toArray().first().toObject().value(u"id"_s));
        QCOMPARE(model.data(model.index(0, 0)).toString(),
                 model.object(0).value(u"name"_s).toString());

        // The second page continues where the first ended, in the server's order.
        QVERIFY(model.canFetchMore({}));
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.fetchMore({});
        QVERIFY(!model.canFetchMore({})); // one request at a time
        QVERIFY(waitLoaded(model));
        QCOMPARE(model.rowCount(), 2 * ResourceModel::PageSize);
        QCOMPARE(inserted.size(), 1);
        const QJsonObject second =
            serverPage(u"/v1/equipment"_s, QUrlQuery(u"limit=1&offset=200"_s));
        QCOMPARE(model.object(ResourceModel::PageSize).value(u"id"_s),
                 second.value(u"data"_s).toArray().first().toObject().value(u"id"_s));

        while (model.canFetchMore({})) {
            model.fetchMore({});
            QVERIFY(waitLoaded(model));
        }
        QCOMPARE(model.rowCount(), total);
        const QStringList all = ids(model);
        QCOMPARE(QSet<QString>(all.cbegin(), all.cend()).size(), all.size()); // no duplicates
    }

    void newSearchAndFilterReplaceTheRows()
    {
        ResourceModel model(&m_fixture->api(), md::ui::equipmentDescriptor());
        QAbstractItemModelTester tester(&model, Fatal);
        model.reload();
        QVERIFY(waitLoaded(model));

        // A serial number names one device.
        const QJsonObject some = model.object(17);
        const QString serial = some.value(u"serial_number"_s).toString();
        QVERIFY(!serial.isEmpty());
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setSearch(serial);
        QCOMPARE(model.rowCount(), 0); // the old query's rows are gone at once
        QVERIFY(waitLoaded(model));
        QUrlQuery bySerial;
        bySerial.addQueryItem(u"q"_s, serial);
        QCOMPARE(model.total(), totalOf(serverPage(u"/v1/equipment"_s, bySerial)));
        QVERIFY(model.rowOf(some.value(u"id"_s).toString()) >= 0);
        QVERIFY(model.rowCount() < 10);
        QVERIFY(reset.size() >= 2);

        // A filter on top: every row has that status, as many as the server counts.
        model.setSearch({});
        model.setFilter(u"status"_s, u"down"_s);
        QVERIFY(waitLoaded(model));
        const qint64 down =
            totalOf(serverPage(u"/v1/equipment"_s, QUrlQuery(u"status=down&limit=1"_s)));
        QVERIFY(down > 0);
        QCOMPARE(model.total(), down);
        for (int row = 0; row < model.rowCount(); ++row)
            QCOMPARE(model.object(row).value(u"status"_s).toString(), u"down"_s);
        model.setFilter(u"status"_s, {});
        QVERIFY(waitLoaded(model));
        QVERIFY(model.total() > down);
    }

    void supersededSearchIsDropped()
    {
        ResourceModel model(&m_fixture->api(), md::ui::organizationsDescriptor());
        QAbstractItemModelTester tester(&model, Fatal);
        model.reload();
        QVERIFY(waitLoaded(model));
        const QString name = model.object(3).value(u"name"_s).toString();
        QVERIFY(!name.isEmpty());

        // Typed quickly: "" (everything) is asked, then the name. Whatever order the
        // answers come in, only the last query's rows may stay.
        QSignalSpy pages(&model, &ResourceModel::pageLoaded);
        model.setSearch(u"zzzz-nothing"_s);
        model.setSearch(name);
        QVERIFY(waitLoaded(model));
        QTest::qWait(300); // an answer to the first query would arrive by now
        QCOMPARE(pages.size(), 1);
        QCOMPARE(model.search(), name);
        QVERIFY(model.rowCount() >= 1);
        for (int row = 0; row < model.rowCount(); ++row)
            QVERIFY(
                model.object(row).value(u"name"_s).toString().contains(name, Qt::CaseInsensitive));
    }

    void updatesInPlaceAndNamesOrganizations()
    {
        ResourceModel model(&m_fixture->api(), md::ui::engineersDescriptor());
        QAbstractItemModelTester tester(&model, Fatal);
        model.reload();
        QVERIFY(waitLoaded(model));
        QVERIFY(model.rowCount() > 5);

        // The organization column shows names once they are known.
        int orgColumn = -1;
        const auto columns = model.descriptor().columns;
        for (int c = 0; c < columns.size(); ++c)
            if (columns.at(c).organizationName)
                orgColumn = c;
        QVERIFY(orgColumn >= 0);
        const QJsonObject engineer = model.object(4);
        const QString orgId = engineer.value(u"organization_id"_s).toString();
        QCOMPARE(model.data(model.index(4, orgColumn)).toString(), QString());
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setOrganizationNames({{orgId, u"Klinikum Test"_s}});
        QCOMPARE(changed.size(), 1);
        QCOMPARE(model.data(model.index(4, orgColumn)).toString(), u"Klinikum Test"_s);

        // An edited or live-updated object replaces its row without a reset.
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QJsonObject renamed = engineer;
        renamed.insert(u"name"_s, u"Renamed Engineer"_s);
        QVERIFY(model.updateObject(renamed));
        QCOMPARE(model.data(model.index(4, 0)).toString(), u"Renamed Engineer"_s);
        QCOMPARE(changed.size(), 2);
        QCOMPARE(reset.size(), 0);
        QVERIFY(!model.updateObject(QJsonObject{{u"id"_s, u"not-loaded"_s}}));

        // A refresh keeps the loaded rows and shows the server's state again.
        model.fetchMore({});
        QVERIFY(waitLoaded(model));
        const int loaded = model.rowCount();
        model.refresh();
        QCOMPARE(model.rowCount(), loaded); // nothing vanishes while it is asked
        QVERIFY(waitLoaded(model));
        QCOMPARE(model.rowCount(), loaded);
        QCOMPARE(model.data(model.index(4, 0)).toString(), engineer.value(u"name"_s).toString());
    }
};

QTEST_MAIN(TestResourceModel)
#include "tst_resourcemodel.moc"
