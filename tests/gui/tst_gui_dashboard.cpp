// The dashboard against a real server with the demo data: the figures it shows are the
// server's, its cards follow live changes without a reload, it polls without a live
// stream, its filter narrows the cards, it recovers from an unreachable server, and an
// organization's administrator sees their own figures.

#include "common/badges.h"
#include "common/statewidget.h"
#include "dashboard/dashboardview.h"
#include "dashboard/kpitile.h"
#include "dashboard/organizationcard.h"
#include "guitestsupport.h"

#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QJsonArray>
#include <QLabel>
#include <QLayout>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QStackedBarSeries>
#include <QTcpServer>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace md;

namespace {

constexpr int kLoadTimeoutMs = 15000;

QString number(qint64 n)
{
    return QLocale().toString(n);
}

ui::KpiTile *tile(const QWidget &view, const QString &wireName)
{
    return view.findChild<ui::KpiTile *>(u"kpi_"_s + wireName);
}

QString countLabel(const ui::OrganizationCard *card, const QString &objectName)
{
    const auto *label = card ? card->findChild<QLabel *>(objectName) : nullptr;
    return label ? label->text() : QString();
}

int visibleCards(const ui::DashboardView &view)
{
    int n = 0;
    const auto cards = view.findChildren<ui::OrganizationCard *>();
    for (const ui::OrganizationCard *card : cards)
        n += card->isVisibleTo(&view) ? 1 : 0;
    return n;
}

// A loopback URL on which nothing listens: connections are refused at once.
QUrl closedPortUrl()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return {};
    const quint16 port = probe.serverPort();
    probe.close();
    return QUrl(u"http://127.0.0.1:%1"_s.arg(port));
}

} // namespace

class TestGuiDashboard final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void showsTheServersFigures();
    void darkPaletteSwitchesChartTheme();
    void filterNarrowsTheCards();
    void pollsWithoutLiveStream();
    void liveEventsUpdateWithoutReload();
    void errorStateOffersRetryAndRecovers();
    void failedRefreshKeepsTheFigures();
    void orgAdminSeesOwnCounts();
    void cleanupTestCase();

private:
    QJsonObject serverDashboard();
    QJsonObject serverOrganization(const QString &id);
    QString equipmentOf(const QString &organizationId);
    bool createTicket(const QString &equipmentId, const QString &title);
    ui::ViewContext contextWithoutEvents();
    bool waitLoaded(ui::DashboardView &view);

    std::unique_ptr<test::GuiFixture> m_fixture;
    QString m_hospitalId;
};

void TestGuiDashboard::initTestCase()
{
    m_fixture = std::make_unique<test::GuiFixture>();
    QVERIFY2(m_fixture->isRunning(), qPrintable(m_fixture->error()));
    QVERIFY(m_fixture->signInDemo(u"admin@meddispatch.example"_s));
    m_hospitalId = m_fixture->firstOrganizationId(u"hospital"_s);
    QVERIFY(!m_hospitalId.isEmpty());
}

void TestGuiDashboard::cleanupTestCase()
{
    m_fixture.reset();
}

QJsonObject TestGuiDashboard::serverDashboard()
{
    const test::HttpReply reply = m_fixture->server().client().get(u"/v1/dashboard"_s);
    if (reply.status != 200)
        qWarning("GET /v1/dashboard: %d", reply.status);
    return reply.json;
}

QJsonObject TestGuiDashboard::serverOrganization(const QString &id)
{
    const test::HttpReply reply =
        m_fixture->server().client().get(u"/v1/organizations?include_counts=true&limit=500"_s);
    const QJsonArray rows = reply.json.value(u"data"_s).toArray();
    for (const QJsonValue &row : rows) {
        if (row.toObject().value(u"id"_s).toString() == id)
            return row.toObject();
    }
    return {};
}

QString TestGuiDashboard::equipmentOf(const QString &organizationId)
{
    const test::HttpReply reply = m_fixture->server().client().get(
        u"/v1/equipment?limit=50&organization_id="_s + organizationId);
    const QJsonArray rows = reply.json.value(u"data"_s).toArray();
    for (const QJsonValue &row : rows) {
        if (row.toObject().value(u"status"_s).toString() != u"retired")
            return row.toObject().value(u"id"_s).toString();
    }
    return {};
}

bool TestGuiDashboard::createTicket(const QString &equipmentId, const QString &title)
{
    const test::HttpReply reply = m_fixture->server().client().post(
        u"/v1/tickets"_s, QJsonObject{{u"equipment_id"_s, equipmentId},
                                      {u"title"_s, title},
                                      {u"priority"_s, u"high"_s}});
    if (reply.status != 201)
        qWarning("POST /v1/tickets: %d %s", reply.status, reply.body.constData());
    return reply.status == 201;
}

ui::ViewContext TestGuiDashboard::contextWithoutEvents()
{
    ui::ViewContext context = m_fixture->context();
    context.events = nullptr;
    return context;
}

bool TestGuiDashboard::waitLoaded(ui::DashboardView &view)
{
    QSignalSpy loaded(&view, &ui::DashboardView::loaded);
    return QTest::qWaitFor([&] { return !loaded.isEmpty(); }, kLoadTimeoutMs);
}

void TestGuiDashboard::showsTheServersFigures()
{
    ui::DashboardView view(contextWithoutEvents());
    QSignalSpy loaded(&view, &ui::DashboardView::loaded);
    view.resize(1200, 900);
    view.show();
    QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), kLoadTimeoutMs);
    auto *state = view.findChild<ui::StateWidget *>(u"dashboardState"_s);
    QVERIFY(state);
    QCOMPARE(state->state(), ui::StateWidget::State::Content);

    const QJsonObject dashboard = serverDashboard();
    QVERIFY(dashboard.value(u"open_tickets"_s).toInteger() > 0);
    const auto wire = [&](const QString &key) { return dashboard.value(key).toInteger(); };
    QCOMPARE(tile(view, u"open_tickets"_s)->value(), number(wire(u"open_tickets"_s)));
    QCOMPARE(tile(view, u"sla_breached"_s)->value(), number(wire(u"sla_breached"_s)));
    QCOMPARE(tile(view, u"sla_at_risk"_s)->value(), number(wire(u"sla_at_risk"_s)));
    QCOMPARE(tile(view, u"mean_time_to_assign_minutes"_s)->value(),
             ui::humanDuration(dashboard.value(u"mean_time_to_assign_minutes"_s).toDouble()));
    QCOMPARE(tile(view, u"mean_time_to_resolve_minutes"_s)->value(),
             ui::humanDuration(dashboard.value(u"mean_time_to_resolve_minutes"_s).toDouble()));
    QCOMPARE(tile(view, u"open_tickets"_s)->accessibleName(),
             QString(u"Open tickets: "_s + number(wire(u"open_tickets"_s)) + u" ("_s +
                     tile(view, u"open_tickets"_s)->detail() + u')'));

    // The priority bars carry the server's counts, in the priority badge colours.
    auto *priorityView = view.findChild<QChartView *>(u"priorityChart"_s);
    QVERIFY(priorityView);
    QVERIFY(view.findChild<QChartView *>(u"statusChart"_s));
    const auto series = priorityView->chart()->series();
    QCOMPARE(series.size(), 1);
    auto *bars = qobject_cast<QStackedBarSeries *>(series.first());
    QVERIFY(bars);
    const QJsonObject byPriority = dashboard.value(u"open_by_priority"_s).toObject();
    const QList<QBarSet *> sets = bars->barSets();
    QCOMPARE(sets.size(), 4);
    QCOMPARE(qint64(sets.at(0)->at(0)), byPriority.value(u"critical"_s).toInteger());
    QCOMPARE(qint64(sets.at(1)->at(1)), byPriority.value(u"high"_s).toInteger());
    QCOMPARE(sets.at(0)->color(), ui::priorityBadge(domain::Priority::Critical).background);

    // A card per organization, each with the server's counts; hospitals come first.
    const test::HttpReply orgs =
        m_fixture->server().client().get(u"/v1/organizations?include_counts=true&limit=500"_s);
    const qint64 total = orgs.json.value(u"page"_s).toObject().value(u"total"_s).toInteger();
    QCOMPARE(qint64(view.findChildren<ui::OrganizationCard *>().size()), total);
    QCOMPARE(visibleCards(view), int(total));
    const QJsonObject hospital = serverOrganization(m_hospitalId);
    ui::OrganizationCard *card = view.card(m_hospitalId);
    QVERIFY(card);
    QCOMPARE(card->objectName(), QString(u"orgCard_"_s + m_hospitalId));
    QCOMPARE(countLabel(card, u"equipmentCount"_s),
             number(hospital.value(u"equipment_count"_s).toInteger()));
    QCOMPARE(countLabel(card, u"engineersCount"_s),
             number(hospital.value(u"engineers_count"_s).toInteger()));
    QCOMPARE(countLabel(card, u"activeTicketsCount"_s),
             number(hospital.value(u"active_tickets_count"_s).toInteger()));
    QVERIFY(card->accessibleName().contains(hospital.value(u"name"_s).toString()));
    QVERIFY(card->accessibleName().contains(
        number(hospital.value(u"active_tickets_count"_s).toInteger()) + u" active tickets"_s));
    auto *container = view.findChild<QWidget *>(u"orgCards"_s);
    QVERIFY(container && container->layout() && container->layout()->count() == total);
    auto *first = qobject_cast<ui::OrganizationCard *>(container->layout()->itemAt(0)->widget());
    QVERIFY(first);
    QCOMPARE(first->summary().type, u"hospital"_s);
    auto *last =
        qobject_cast<ui::OrganizationCard *>(container->layout()->itemAt(int(total) - 1)->widget());
    QVERIFY(last && last->summary().type != u"hospital"_s);

    // Without an event stream the view says it polls.
    auto *indicator = view.findChild<QLabel *>(u"liveIndicator"_s);
    QVERIFY(indicator);
    QVERIFY2(indicator->accessibleName().contains(u"polling"_s), qPrintable(indicator->text()));
}

void TestGuiDashboard::darkPaletteSwitchesChartTheme()
{
    ui::DashboardView view(contextWithoutEvents());
    auto *priorityView = view.findChild<QChartView *>(u"priorityChart"_s);
    auto *statusView = view.findChild<QChartView *>(u"statusChart"_s);
    QVERIFY(priorityView && statusView);

    QPalette dark = view.palette();
    dark.setColor(QPalette::Window, QColor(0x20, 0x20, 0x20));
    dark.setColor(QPalette::Base, QColor(0x18, 0x18, 0x18));
    view.setPalette(dark);
    QCOMPARE(priorityView->chart()->theme(), QChart::ChartThemeDark);
    QCOMPARE(statusView->chart()->theme(), QChart::ChartThemeDark);
    // The theme must not replace the product's priority colours.
    auto *bars = qobject_cast<QStackedBarSeries *>(priorityView->chart()->series().first());
    QVERIFY(bars);
    QCOMPARE(bars->barSets().at(0)->color(),
             ui::priorityBadge(domain::Priority::Critical).background);

    QPalette light = view.palette();
    light.setColor(QPalette::Window, QColor(0xf4, 0xf4, 0xf4));
    light.setColor(QPalette::Base, Qt::white);
    view.setPalette(light);
    QCOMPARE(priorityView->chart()->theme(), QChart::ChartThemeLight);
    QCOMPARE(statusView->chart()->theme(), QChart::ChartThemeLight);
    QVERIFY(waitLoaded(view));
}

void TestGuiDashboard::filterNarrowsTheCards()
{
    ui::DashboardView view(contextWithoutEvents());
    QSignalSpy loaded(&view, &ui::DashboardView::loaded);
    view.resize(1200, 900);
    view.show();
    QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), kLoadTimeoutMs);

    const int all = int(view.findChildren<ui::OrganizationCard *>().size());
    QVERIFY(all > 26);
    QCOMPARE(visibleCards(view), all);
    auto *filter = view.findChild<QLineEdit *>(u"orgCardFilter"_s);
    auto *types = view.findChild<QComboBox *>(u"orgTypeFilter"_s);
    auto *count = view.findChild<QLabel *>(u"orgCardCount"_s);
    auto *empty = view.findChild<QLabel *>(u"orgCardsEmpty"_s);
    QVERIFY(filter && types && count && empty);
    QVERIFY(!empty->isVisibleTo(&view));

    // Typing a hospital's full name leaves that card (and any sharing the name).
    ui::OrganizationCard *hospital = view.card(m_hospitalId);
    QVERIFY(hospital);
    const QString name = hospital->summary().name;
    filter->setFocus();
    QTest::keyClicks(filter, name.toUpper());
    QTRY_VERIFY(visibleCards(view) < all);
    QVERIFY(visibleCards(view) >= 1);
    QVERIFY(hospital->isVisibleTo(&view));
    const auto cards = view.findChildren<ui::OrganizationCard *>();
    for (const ui::OrganizationCard *card : cards) {
        if (card->isVisibleTo(&view))
            QVERIFY(card->summary().name.contains(name, Qt::CaseInsensitive));
    }
    QVERIFY(count->text().startsWith(number(visibleCards(view)) + u" of "_s));

    QTest::keyClicks(filter, u" no such place"_s);
    QCOMPARE(visibleCards(view), 0);
    QVERIFY(empty->isVisibleTo(&view));
    QVERIFY(!empty->text().isEmpty());

    filter->clear();
    QCOMPARE(visibleCards(view), all);
    QVERIFY(!empty->isVisibleTo(&view));

    // The type filter: only manufacturers.
    types->setCurrentIndex(types->findData(u"manufacturer"_s));
    const int manufacturers = visibleCards(view);
    QVERIFY(manufacturers > 0 && manufacturers < all);
    for (const ui::OrganizationCard *card : cards) {
        if (card->isVisibleTo(&view))
            QCOMPARE(card->summary().type, u"manufacturer"_s);
    }
    QVERIFY(!hospital->isVisibleTo(&view));

    // Ctrl+F goes to the filter from anywhere in the view.
    types->setCurrentIndex(0);
    view.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&view));
    hospital->setFocus();
    QTRY_VERIFY(hospital->hasFocus());
    QTest::keySequence(hospital, QKeySequence::Find);
    QTRY_VERIFY(filter->hasFocus());
}

void TestGuiDashboard::pollsWithoutLiveStream()
{
    ui::DashboardView view(contextWithoutEvents());
    view.setPollInterval(400);
    QSignalSpy loaded(&view, &ui::DashboardView::loaded);
    view.show();
    QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), kLoadTimeoutMs);
    QVERIFY(!view.isLive());

    const qint64 before = serverDashboard().value(u"open_tickets"_s).toInteger();
    QTRY_COMPARE_WITH_TIMEOUT(tile(view, u"open_tickets"_s)->value(), number(before), 5000);
    const QString equipment = equipmentOf(m_hospitalId);
    QVERIFY(!equipment.isEmpty());
    QVERIFY(createTicket(equipment, u"Polling test: infusion pump alarm"_s));
    QTRY_COMPARE_WITH_TIMEOUT(tile(view, u"open_tickets"_s)->value(), number(before + 1), 10000);
    auto *indicator = view.findChild<QLabel *>(u"liveIndicator"_s);
    QVERIFY(indicator->accessibleName().contains(u"polling"_s));
}

void TestGuiDashboard::liveEventsUpdateWithoutReload()
{
    client::EventStream &events = m_fixture->events();
    QTRY_VERIFY_WITH_TIMEOUT(events.isLive(), kLoadTimeoutMs);

    ui::DashboardView view(m_fixture->context());
    // Far beyond the test's waits: any update seen below came through the event stream.
    view.setPollInterval(10 * 60 * 1000);
    QSignalSpy loaded(&view, &ui::DashboardView::loaded);
    view.show();
    QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), kLoadTimeoutMs);
    QVERIFY(view.isLive());
    auto *indicator = view.findChild<QLabel *>(u"liveIndicator"_s);
    QVERIFY(indicator->accessibleName().startsWith(u"Live"_s));

    const qint64 openBefore = serverDashboard().value(u"open_tickets"_s).toInteger();
    const qint64 activeBefore =
        serverOrganization(m_hospitalId).value(u"active_tickets_count"_s).toInteger();
    QTRY_COMPARE_WITH_TIMEOUT(tile(view, u"open_tickets"_s)->value(), number(openBefore), 5000);
    ui::OrganizationCard *card = view.card(m_hospitalId);
    QVERIFY(card);
    QCOMPARE(countLabel(card, u"activeTicketsCount"_s), number(activeBefore));

    const QString equipment = equipmentOf(m_hospitalId);
    QVERIFY(!equipment.isEmpty());
    QVERIFY(createTicket(equipment, u"Live test: ventilator pressure fault"_s));
    QTRY_COMPARE_WITH_TIMEOUT(tile(view, u"open_tickets"_s)->value(), number(openBefore + 1),
                              10000);
    QTRY_COMPARE_WITH_TIMEOUT(countLabel(card, u"activeTicketsCount"_s), number(activeBefore + 1),
                              10000);
    QVERIFY(card->accessibleName().contains(number(activeBefore + 1) + u" active tickets"_s));

    // A burst of changes is coalesced: three tickets, far fewer refreshes than events.
    loaded.clear();
    for (int i = 0; i < 3; ++i)
        QVERIFY(createTicket(equipment, u"Live test: burst %1"_s.arg(i)));
    QTRY_COMPARE_WITH_TIMEOUT(tile(view, u"open_tickets"_s)->value(), number(openBefore + 4),
                              10000);
    QTRY_COMPARE_WITH_TIMEOUT(countLabel(card, u"activeTicketsCount"_s), number(activeBefore + 4),
                              10000);
    QVERIFY2(loaded.size() <= 4, qPrintable(QString::number(loaded.size())));
}

void TestGuiDashboard::errorStateOffersRetryAndRecovers()
{
    const QUrl working = m_fixture->api().baseUrl();
    const QUrl closed = closedPortUrl();
    QVERIFY(closed.isValid());
    m_fixture->api().setBaseUrl(closed);
    const auto restore = qScopeGuard([&] { m_fixture->api().setBaseUrl(working); });

    ui::ViewContext context = contextWithoutEvents();
    context.connection = nullptr; // only the Retry button brings this view back
    ui::DashboardView view(context);
    view.show();
    auto *state = view.findChild<ui::StateWidget *>(u"dashboardState"_s);
    QVERIFY(state);
    QTRY_COMPARE_WITH_TIMEOUT(state->state(), ui::StateWidget::State::Error, kLoadTimeoutMs);
    auto *errorPage = state->findChild<QWidget *>(u"stateError"_s, Qt::FindDirectChildrenOnly);
    QVERIFY(errorPage);
    auto *retry = errorPage->findChild<QPushButton *>(u"stateRetryButton"_s);
    QVERIFY(retry);
    QVERIFY(retry->isVisibleTo(&view));
    QVERIFY(!state->message().isEmpty());

    // Still down: Retry fails again.
    QTest::mouseClick(retry, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(state->state(), ui::StateWidget::State::Error, kLoadTimeoutMs);

    m_fixture->api().setBaseUrl(working);
    QSignalSpy loaded(&view, &ui::DashboardView::loaded);
    QTest::mouseClick(retry, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), kLoadTimeoutMs);
    QCOMPARE(state->state(), ui::StateWidget::State::Content);
    QCOMPARE(tile(view, u"open_tickets"_s)->value(),
             number(serverDashboard().value(u"open_tickets"_s).toInteger()));
    QVERIFY(view.card(m_hospitalId));
}

void TestGuiDashboard::failedRefreshKeepsTheFigures()
{
    ui::ViewContext context = contextWithoutEvents();
    context.connection = nullptr;
    ui::DashboardView view(context);
    QSignalSpy loaded(&view, &ui::DashboardView::loaded);
    view.show();
    QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), kLoadTimeoutMs);
    const QString shown = tile(view, u"open_tickets"_s)->value();
    const int cards = visibleCards(view);
    auto *state = view.findChild<ui::StateWidget *>(u"dashboardState"_s);
    auto *indicator = view.findChild<QLabel *>(u"liveIndicator"_s);

    const QUrl working = m_fixture->api().baseUrl();
    m_fixture->api().setBaseUrl(closedPortUrl());
    auto restore = qScopeGuard([&] { m_fixture->api().setBaseUrl(working); });
    QTest::mouseClick(view.findChild<QPushButton *>(u"dashboardRefresh"_s), Qt::LeftButton);
    // While refreshing and after the failure, the last figures stay on screen.
    QCOMPARE(state->state(), ui::StateWidget::State::Content);
    QTRY_VERIFY_WITH_TIMEOUT(indicator->accessibleName().startsWith(u"Not updated since"_s),
                             kLoadTimeoutMs);
    QCOMPARE(state->state(), ui::StateWidget::State::Content);
    QCOMPARE(tile(view, u"open_tickets"_s)->value(), shown);
    QCOMPARE(visibleCards(view), cards);

    restore.dismiss();
    m_fixture->api().setBaseUrl(working);
    loaded.clear();
    view.reload();
    QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), kLoadTimeoutMs);
    QVERIFY(indicator->accessibleName().contains(u"polling"_s));
}

void TestGuiDashboard::orgAdminSeesOwnCounts()
{
    // The hospital's figures as the platform sees them, then as its administrator.
    const QJsonObject hospital = serverOrganization(m_hospitalId);
    std::unique_ptr<test::HttpClient> orgAdminClient =
        m_fixture->server().signIn(domain::Role::OrgAdmin, m_hospitalId);
    const qint64 ownOpen =
        orgAdminClient->get(u"/v1/dashboard"_s).json.value(u"open_tickets"_s).toInteger();

    m_fixture->session().signOut();
    QVERIFY(m_fixture->signIn(domain::Role::OrgAdmin, m_hospitalId));
    QVERIFY(m_fixture->session().user().role == domain::Role::OrgAdmin);

    ui::DashboardView view(contextWithoutEvents());
    QSignalSpy loaded(&view, &ui::DashboardView::loaded);
    view.show();
    QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), kLoadTimeoutMs);

    QCOMPARE(tile(view, u"open_tickets"_s)->value(), number(ownOpen));
    ui::OrganizationCard *card = view.card(m_hospitalId);
    QVERIFY(card);
    QVERIFY(card->summary().hasCounts());
    QCOMPARE(countLabel(card, u"equipmentCount"_s),
             number(hospital.value(u"equipment_count"_s).toInteger()));
    QCOMPARE(countLabel(card, u"engineersCount"_s),
             number(hospital.value(u"engineers_count"_s).toInteger()));
    QCOMPARE(countLabel(card, u"activeTicketsCount"_s),
             number(hospital.value(u"active_tickets_count"_s).toInteger()));
    // Other organizations it may read (the manufacturers) come without their figures.
    const auto cards = view.findChildren<ui::OrganizationCard *>();
    for (const ui::OrganizationCard *other : cards) {
        if (other == card)
            continue;
        QVERIFY(!other->summary().hasCounts());
        QCOMPARE(countLabel(other, u"activeTicketsCount"_s), u"—"_s);
    }
}

QTEST_MAIN(TestGuiDashboard)
#include "tst_gui_dashboard.moc"
