#include "dashboardview.h"

#include "apiclient.h"
#include "common/badges.h"
#include "common/statewidget.h"
#include "connectionmonitor.h"
#include "eventstream.h"
#include "flowlayout.h"
#include "kpitile.h"
#include "session.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QBoxLayout>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLegendMarker>
#include <QLineEdit>
#include <QLocale>
#include <QPieLegendMarker>
#include <QPieSeries>
#include <QPieSlice>
#include <QPushButton>
#include <QScrollArea>
#include <QShortcut>
#include <QSplitter>
#include <QStackedBarSeries>
#include <QUrl>
#include <QUrlQuery>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;
using namespace md::domain;

namespace md::ui {

namespace {

constexpr int kDebounceMs = 300;
constexpr int kPollMs = 30000;
constexpr int kPageLimit = 500; // the API's maximum page size

constexpr Priority kPriorities[] = {Priority::Critical, Priority::High, Priority::Normal,
                                    Priority::Low};
constexpr TicketStatus kStatuses[] = {
    TicketStatus::New,      TicketStatus::Assigned, TicketStatus::InProgress, TicketStatus::OnHold,
    TicketStatus::Resolved, TicketStatus::Closed,   TicketStatus::Cancelled};

// Hospitals first: they own the equipment and the tickets the dashboard is about.
int typeRank(const QString &type)
{
    static const QStringList order{u"hospital"_s, u"manufacturer"_s, u"authorized_partner"_s,
                                   u"service_provider"_s};
    const qsizetype rank = order.indexOf(type);
    return rank < 0 ? int(order.size()) : int(rank);
}

qint64 countValue(const QJsonObject &json, const QString &key)
{
    return qint64(json.value(key).toDouble());
}

// A tick step of 1, 2 or 5 times a power of ten giving about four intervals: integer
// labels without repeats however small or large the counts are.
qint64 niceStep(qint64 maximum)
{
    const double rough = std::max(1.0, double(maximum) / 4.0);
    const double magnitude = std::pow(10.0, std::floor(std::log10(rough)));
    for (const double factor : {1.0, 2.0, 5.0, 10.0}) {
        if (factor * magnitude >= rough)
            return std::max<qint64>(1, qint64(factor * magnitude));
    }
    return qint64(10 * magnitude);
}

} // namespace

void DashboardView::Work::merge(const Work &other)
{
    kpis = kpis || other.kpis;
    allOrganizations = allOrganizations || other.allOrganizations;
    if (allOrganizations)
        organizations.clear();
    else
        organizations.unite(other.organizations);
}

DashboardView::DashboardView(const ViewContext &context, QWidget *parent)
    : QWidget(parent), m_context(context)
{
    buildUi();
    applyChartTheme();

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &DashboardView::startRefresh);
    m_pollTimer.setInterval(kPollMs);
    connect(&m_pollTimer, &QTimer::timeout, this, [this] {
        // A hidden dashboard need not keep the server busy; it catches up when shown.
        if (!isVisible()) {
            m_staleWhileHidden = true;
            return;
        }
        reload();
    });

    if (m_context.events) {
        connect(m_context.events, &client::EventStream::eventReceived, this,
                &DashboardView::onEvent);
        connect(m_context.events, &client::EventStream::liveChanged, this,
                &DashboardView::updateLiveMode);
    }
    if (m_context.api)
        connect(m_context.api, &client::ApiClient::reachabilityChanged, this,
                &DashboardView::onReachable);
    if (m_context.connection)
        connect(m_context.connection, &client::ConnectionMonitor::onlineChanged, this,
                &DashboardView::onReachable);
    // Another user signed in: their role decides which figures they may see.
    if (m_context.session)
        connect(m_context.session, &client::Session::signedIn, this, &DashboardView::reload);

    m_wasLive = isLive();
    updateLiveMode();
    reload();
}

DashboardView::~DashboardView() = default;

void DashboardView::buildUi()
{
    auto *page = new QWidget(this);
    m_state = new StateWidget(page, this);
    m_state->setObjectName(u"dashboardState"_s);
    connect(m_state, &StateWidget::retryRequested, this, &DashboardView::reload);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_state);

    auto *layout = new QVBoxLayout(page);

    auto *header = new QHBoxLayout;
    auto *title = new QLabel(tr("Overview"), page);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setBold(true);
    title->setFont(titleFont);
    header->addWidget(title);
    header->addStretch();
    m_indicator = new QLabel(page);
    m_indicator->setObjectName(u"liveIndicator"_s);
    m_indicator->setTextFormat(Qt::RichText);
    header->addWidget(m_indicator);
    auto *refresh = new QPushButton(tr("Refresh"), page);
    refresh->setObjectName(u"dashboardRefresh"_s);
    refresh->setToolTip(
        tr("Fetch the latest figures (%1)")
            .arg(QKeySequence(QKeySequence::Refresh).toString(QKeySequence::NativeText)));
    connect(refresh, &QPushButton::clicked, this, &DashboardView::reload);
    header->addWidget(refresh);
    layout->addLayout(header);
    auto *refreshShortcut = new QShortcut(QKeySequence::Refresh, this);
    refreshShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(refreshShortcut, &QShortcut::activated, this, &DashboardView::reload);

    auto *tiles = new QWidget(page);
    auto *tilesLayout = new FlowLayout(tiles);
    tilesLayout->setContentsMargins(0, 0, 0, 0);
    const std::pair<QString, QString> tileNames[] = {
        {u"open_tickets"_s, tr("Open tickets")},
        {u"sla_breached"_s, tr("SLA breached")},
        {u"sla_at_risk"_s, tr("SLA at risk")},
        {u"mean_time_to_assign_minutes"_s, tr("Mean time to assign")},
        {u"mean_time_to_resolve_minutes"_s, tr("Mean time to resolve")},
        {u"engineers_count"_s, tr("Engineers")},
    };
    for (const auto &[wire, label] : tileNames) {
        auto *tile = new KpiTile(wire, label, tiles);
        tilesLayout->addWidget(tile);
        m_tiles.insert(wire, tile);
    }
    m_tiles.value(u"open_tickets"_s)->setAccent(priorityBadge(Priority::Normal).background);
    m_tiles.value(u"sla_breached"_s)->setAccent(slaBadge(u"breached"_s).background);
    m_tiles.value(u"sla_at_risk"_s)->setAccent(slaBadge(u"at_risk"_s).background);
    layout->addWidget(tiles);

    auto *splitter = new QSplitter(Qt::Vertical, page);
    splitter->setObjectName(u"dashboardSplitter"_s);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(buildCharts(splitter));

    auto *section = new QWidget(splitter);
    auto *sectionLayout = new QVBoxLayout(section);
    sectionLayout->setContentsMargins(0, 0, 0, 0);
    auto *bar = new QHBoxLayout;
    auto *heading = new QLabel(tr("&Organizations"), section);
    QFont headingFont = heading->font();
    headingFont.setBold(true);
    heading->setFont(headingFont);
    bar->addWidget(heading);
    m_filter = new QLineEdit(section);
    m_filter->setObjectName(u"orgCardFilter"_s);
    m_filter->setPlaceholderText(tr("Find an organization…"));
    m_filter->setAccessibleName(tr("Find an organization by name"));
    m_filter->setClearButtonEnabled(true);
    heading->setBuddy(m_filter);
    connect(m_filter, &QLineEdit::textChanged, this, &DashboardView::applyFilter);
    bar->addWidget(m_filter, 1);
    m_typeFilter = new QComboBox(section);
    m_typeFilter->setObjectName(u"orgTypeFilter"_s);
    m_typeFilter->setAccessibleName(tr("Organization type"));
    m_typeFilter->addItem(tr("All types, hospitals first"), QString());
    m_typeFilter->addItem(tr("Hospitals"), u"hospital"_s);
    m_typeFilter->addItem(tr("Manufacturers"), u"manufacturer"_s);
    m_typeFilter->addItem(tr("Authorized partners"), u"authorized_partner"_s);
    m_typeFilter->addItem(tr("Service providers"), u"service_provider"_s);
    connect(m_typeFilter, &QComboBox::currentIndexChanged, this, &DashboardView::applyFilter);
    bar->addWidget(m_typeFilter);
    m_cardCount = new QLabel(section);
    m_cardCount->setObjectName(u"orgCardCount"_s);
    bar->addWidget(m_cardCount);
    sectionLayout->addLayout(bar);
    auto *findShortcut = new QShortcut(QKeySequence::Find, this);
    findShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(findShortcut, &QShortcut::activated, this, [this] {
        m_filter->setFocus(Qt::ShortcutFocusReason);
        m_filter->selectAll();
    });

    auto *scroll = new QScrollArea(section);
    scroll->setObjectName(u"orgCardsScroll"_s);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_cardsContainer = new QWidget(scroll);
    m_cardsContainer->setObjectName(u"orgCards"_s);
    m_cardsLayout = new FlowLayout(m_cardsContainer);
    scroll->setWidget(m_cardsContainer);
    m_cardsScroll = scroll;
    sectionLayout->addWidget(scroll, 1);
    // The cards' own empty state; a nested StateWidget would give the view two sets of
    // "stateRetryButton"/"stateEmpty" children.
    m_cardsEmpty = new QLabel(section);
    m_cardsEmpty->setObjectName(u"orgCardsEmpty"_s);
    m_cardsEmpty->setAlignment(Qt::AlignCenter);
    m_cardsEmpty->setWordWrap(true);
    m_cardsEmpty->hide();
    sectionLayout->addWidget(m_cardsEmpty, 1);
    splitter->addWidget(section);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    layout->addWidget(splitter, 1);
}

QWidget *DashboardView::buildCharts(QWidget *parent)
{
    auto *charts = new QWidget(parent);
    m_chartsRow = charts;
    charts->installEventFilter(this);
    auto *layout = new QBoxLayout(QBoxLayout::LeftToRight, charts);
    layout->setContentsMargins(0, 0, 0, 0);
    const int minimumHeight = fontMetrics().height() * 11;

    m_priorityChart = new QChart;
    m_priorityChart->setTitle(tr("Open tickets by priority"));
    m_priorityChart->legend()->hide();
    auto *bars = new QStackedBarSeries(m_priorityChart);
    bars->setBarWidth(0.6);
    bars->setLabelsVisible(true);
    bars->setLabelsPosition(QAbstractBarSeries::LabelsInsideEnd);
    bars->setLabelsPrecision(12); // counts are whole numbers; never "1.2e+03"
    // One set per priority, each non-zero only in its own category: every bar gets its
    // priority's colour while the axis keeps one category per priority.
    QStringList categories;
    for (const Priority priority : kPriorities) {
        auto *set = new QBarSet(priorityBadge(priority).text, bars);
        for (int i = 0; i < int(std::size(kPriorities)); ++i)
            set->append(0);
        bars->append(set);
        m_prioritySets.append(set);
        categories.append(priorityBadge(priority).text);
    }
    m_priorityChart->addSeries(bars);
    m_priorityAxis = new QBarCategoryAxis(m_priorityChart);
    m_priorityAxis->append(categories);
    m_priorityChart->addAxis(m_priorityAxis, Qt::AlignBottom);
    bars->attachAxis(m_priorityAxis);
    m_countAxis = new QValueAxis(m_priorityChart);
    m_countAxis->setLabelFormat(u"%i"_s);
    m_countAxis->setTickType(QValueAxis::TicksDynamic);
    m_countAxis->setTickAnchor(0);
    m_countAxis->setTickInterval(1);
    m_countAxis->setRange(0, 4);
    m_priorityChart->addAxis(m_countAxis, Qt::AlignLeft);
    bars->attachAxis(m_countAxis);
    m_priorityView = new QChartView(m_priorityChart, charts);
    m_priorityView->setObjectName(u"priorityChart"_s);
    m_priorityView->setRenderHint(QPainter::Antialiasing);
    m_priorityView->setMinimumHeight(minimumHeight);
    m_priorityView->setAccessibleName(m_priorityChart->title());
    layout->addWidget(m_priorityView, 1);

    m_statusChart = new QChart;
    m_statusChart->setTitle(tr("Tickets by status"));
    m_statusChart->legend()->setAlignment(Qt::AlignRight);
    m_statusSeries = new QPieSeries(m_statusChart);
    m_statusSeries->setHoleSize(0.4);
    for (const TicketStatus status : kStatuses)
        m_statusSlices.append(m_statusSeries->append(ticketStatusBadge(status).text, 0));
    m_statusChart->addSeries(m_statusSeries);
    m_statusView = new QChartView(m_statusChart, charts);
    m_statusView->setObjectName(u"statusChart"_s);
    m_statusView->setRenderHint(QPainter::Antialiasing);
    // Room for the seven legend rows beside the donut.
    m_statusView->setMinimumHeight(fontMetrics().height() * 16);
    m_statusView->setAccessibleName(m_statusChart->title());
    layout->addWidget(m_statusView, 1);
    return charts;
}

bool DashboardView::isLive() const
{
    return m_context.events && m_context.events->isLive();
}

OrganizationCard *DashboardView::card(const QString &organizationId) const
{
    return m_cards.value(organizationId);
}

void DashboardView::setPollInterval(int milliseconds)
{
    m_pollTimer.setInterval(milliseconds);
}

void DashboardView::reload()
{
    Work all;
    all.kpis = true;
    all.allOrganizations = true;
    schedule(all, false);
}

void DashboardView::schedule(const Work &work, bool debounce)
{
    m_pending.merge(work);
    if (m_running)
        return; // taken up when the running refresh ends
    if (!debounce) {
        m_debounce.stop();
        startRefresh();
    } else if (!m_debounce.isActive()) {
        // Not restarted by later events: a steady stream still refreshes every 300 ms.
        m_debounce.start();
    }
}

void DashboardView::startRefresh()
{
    if (m_running || m_pending.isEmpty() || !m_context.api)
        return;
    m_running.emplace();
    m_running->work = std::exchange(m_pending, Work{});
    if (!m_hasData)
        m_state->showLoading(tr("Loading the dashboard…"));

    // Held until every request is sent, so an early answer cannot end the refresh.
    m_running->outstanding = 1;
    const Work &work = m_running->work;
    if (work.kpis) {
        ++m_running->outstanding;
        m_context.api->get(u"/v1/dashboard"_s, {}, this, [this](const client::ApiResult &r) {
            if (r.ok())
                m_running->dashboard = r.json;
            else if (m_running->error.isEmpty())
                m_running->error = r.error.userMessage();
            partDone();
        });
    }
    if (work.allOrganizations) {
        ++m_running->outstanding;
        fetchOrganizationsPage(0);
    }
    for (const QString &id : work.organizations) {
        ++m_running->outstanding;
        const QString path =
            u"/v1/organizations/"_s + QString::fromLatin1(QUrl::toPercentEncoding(id));
        m_context.api->get(path, {}, this, [this, id](const client::ApiResult &r) {
            if (r.ok())
                m_running->updated.append(OrganizationSummary::fromJson(r.json));
            else if (r.error.kind == client::ApiError::Kind::Http && r.error.status == 404)
                m_running->removed.append(id); // gone, or no longer visible to us
            else if (m_running->error.isEmpty())
                m_running->error = r.error.userMessage();
            partDone();
        });
    }
    partDone();
}

void DashboardView::fetchOrganizationsPage(int offset)
{
    QUrlQuery query;
    query.addQueryItem(u"include_counts"_s, u"true"_s);
    query.addQueryItem(u"limit"_s, QString::number(kPageLimit));
    query.addQueryItem(u"offset"_s, QString::number(offset));
    m_context.api->get(
        u"/v1/organizations"_s, query, this, [this, offset](const client::ApiResult &r) {
            if (!r.ok()) {
                if (m_running->error.isEmpty())
                    m_running->error = r.error.userMessage();
                partDone();
                return;
            }
            const QJsonArray rows = r.json.value(u"data"_s).toArray();
            for (const QJsonValue &value : rows)
                m_running->organizations.append(OrganizationSummary::fromJson(value.toObject()));
            const qint64 next = offset + rows.size();
            const qint64 total =
                r.json.value(u"page"_s).toObject().value(u"total"_s).toInteger(next);
            if (!rows.isEmpty() && next < total) {
                fetchOrganizationsPage(int(next));
                return;
            }
            partDone();
        });
}

void DashboardView::partDone()
{
    if (m_running && --m_running->outstanding == 0)
        finishRefresh();
}

void DashboardView::finishRefresh()
{
    Running done = std::move(*m_running);
    m_running.reset();

    if (!done.error.isEmpty()) {
        // Retried by the next trigger: a poll, an event, Retry, or the server coming back.
        m_pending.merge(done.work);
        m_lastError = done.error;
        if (!m_hasData)
            m_state->showError(tr("The dashboard could not be loaded. %1").arg(done.error));
        updateIndicator();
        return;
    }

    if (done.dashboard)
        applyDashboard(*done.dashboard);
    if (done.work.allOrganizations) {
        applyOrganizations(done.organizations);
    } else if (!done.updated.isEmpty() || !done.removed.isEmpty()) {
        for (const OrganizationSummary &summary : std::as_const(done.updated))
            applyOrganization(summary);
        for (const QString &id : std::as_const(done.removed))
            removeOrganization(id);
        sortCards();
        applyFilter();
    }
    m_hasData = m_hasData || (done.work.kpis && done.work.allOrganizations);
    if (m_hasData)
        m_state->showContent();
    m_lastUpdated = QDateTime::currentDateTime();
    m_lastError.clear();
    updateIndicator();
    if (!m_pending.isEmpty())
        m_debounce.start();
    Q_EMIT loaded();
}

void DashboardView::applyDashboard(const QJsonObject &json)
{
    const QLocale locale;
    const QJsonObject byPriority = json.value(u"open_by_priority"_s).toObject();
    const auto number = [&](const QString &key) { return locale.toString(countValue(json, key)); };

    m_tiles.value(u"open_tickets"_s)
        ->setValue(number(u"open_tickets"_s),
                   tr("%1 critical, %2 high")
                       .arg(locale.toString(countValue(byPriority, u"critical"_s)),
                            locale.toString(countValue(byPriority, u"high"_s))));
    m_tiles.value(u"sla_breached"_s)->setValue(number(u"sla_breached"_s));
    m_tiles.value(u"sla_at_risk"_s)->setValue(number(u"sla_at_risk"_s));
    m_tiles.value(u"mean_time_to_assign_minutes"_s)
        ->setValue(humanDuration(json.value(u"mean_time_to_assign_minutes"_s).toDouble()));
    m_tiles.value(u"mean_time_to_resolve_minutes"_s)
        ->setValue(humanDuration(json.value(u"mean_time_to_resolve_minutes"_s).toDouble()));
    m_tiles.value(u"engineers_count"_s)
        ->setValue(number(u"engineers_count"_s),
                   tr("%1 active").arg(number(u"active_engineers"_s)));

    // Priority bars.
    QStringList spoken;
    qint64 maximum = 0;
    for (int i = 0; i < int(std::size(kPriorities)); ++i) {
        const qint64 n = countValue(byPriority, toString(kPriorities[i]));
        const QString name = priorityBadge(kPriorities[i]).text;
        for (int j = 0; j < int(std::size(kPriorities)); ++j)
            m_prioritySets.at(i)->replace(j, i == j ? double(n) : 0.0);
        spoken.append(tr("%1 %2").arg(name, locale.toString(n)));
        maximum = std::max(maximum, n);
    }
    const qint64 step = niceStep(maximum);
    m_countAxis->setTickInterval(double(step));
    m_countAxis->setRange(0, double(std::max<qint64>(step, (maximum + step - 1) / step * step)));
    m_priorityView->setAccessibleName(
        tr("%1: %2").arg(m_priorityChart->title(), spoken.join(u", "_s)));

    // Status pie.
    const QJsonObject byStatus = json.value(u"by_status"_s).toObject();
    spoken.clear();
    for (int i = 0; i < int(std::size(kStatuses)); ++i) {
        const qint64 n = countValue(byStatus, toString(kStatuses[i]));
        QPieSlice *slice = m_statusSlices.at(i);
        const QString name = ticketStatusBadge(kStatuses[i]).text;
        slice->setValue(double(n));
        slice->setLabel(tr("%1: %2").arg(name, locale.toString(n)));
        if (n > 0)
            spoken.append(tr("%1 %2").arg(name, locale.toString(n)));
    }
    // Statuses without tickets would only crowd the legend.
    const QList<QLegendMarker *> markers = m_statusChart->legend()->markers(m_statusSeries);
    for (QLegendMarker *marker : markers) {
        if (auto *pieMarker = qobject_cast<QPieLegendMarker *>(marker))
            marker->setVisible(pieMarker->slice()->value() > 0);
    }
    m_statusView->setAccessibleName(
        spoken.isEmpty() ? tr("%1: no tickets").arg(m_statusChart->title())
                         : tr("%1: %2").arg(m_statusChart->title(), spoken.join(u", "_s)));
}

void DashboardView::applyOrganizations(const QList<OrganizationSummary> &all)
{
    QSet<QString> seen;
    for (const OrganizationSummary &summary : all) {
        seen.insert(summary.id);
        applyOrganization(summary);
    }
    const QStringList known = m_cards.keys();
    for (const QString &id : known) {
        if (!seen.contains(id))
            removeOrganization(id);
    }
    sortCards();
    applyFilter();
}

void DashboardView::applyOrganization(const OrganizationSummary &summary)
{
    if (summary.id.isEmpty())
        return;
    if (OrganizationCard *existing = m_cards.value(summary.id)) {
        existing->setSummary(summary);
        return;
    }
    auto *card = new OrganizationCard(summary, m_cardsContainer);
    connect(card, &OrganizationCard::activated, this, &DashboardView::organizationActivated);
    m_cardsLayout->addWidget(card);
    m_cards.insert(summary.id, card);
}

void DashboardView::removeOrganization(const QString &organizationId)
{
    OrganizationCard *card = m_cards.take(organizationId);
    if (!card)
        return;
    m_cardsLayout->removeWidget(card);
    card->hide();
    card->deleteLater();
}

void DashboardView::sortCards()
{
    QList<OrganizationCard *> cards = m_cards.values();
    std::sort(cards.begin(), cards.end(), [](OrganizationCard *a, OrganizationCard *b) {
        const OrganizationSummary &x = a->summary();
        const OrganizationSummary &y = b->summary();
        const int rankX = typeRank(x.type);
        const int rankY = typeRank(y.type);
        if (rankX != rankY)
            return rankX < rankY;
        const int byName = x.name.localeAwareCompare(y.name);
        return byName != 0 ? byName < 0 : x.id < y.id;
    });
    // Tab and the arrow keys follow the cards in the order they are shown.
    QWidget *previous = m_typeFilter;
    for (int i = 0; i < cards.size(); ++i) {
        m_cardsLayout->moveWidget(cards.at(i), i);
        QWidget::setTabOrder(previous, cards.at(i));
        previous = cards.at(i);
    }
}

void DashboardView::applyFilter()
{
    const QString text = m_filter->text().trimmed();
    const QString type = m_typeFilter->currentData().toString();
    int visible = 0;
    for (OrganizationCard *card : std::as_const(m_cards)) {
        const OrganizationSummary &s = card->summary();
        const bool matches = (type.isEmpty() || s.type == type) &&
                             (text.isEmpty() || s.name.contains(text, Qt::CaseInsensitive) ||
                              s.city.contains(text, Qt::CaseInsensitive));
        card->setHidden(!matches);
        visible += matches ? 1 : 0;
    }
    const int total = int(m_cards.size());
    const QLocale locale;
    if (visible != total)
        m_cardCount->setText(
            tr("%1 of %2 organizations").arg(locale.toString(visible), locale.toString(total)));
    else if (total == 1)
        m_cardCount->setText(tr("1 organization"));
    else
        m_cardCount->setText(tr("%1 organizations").arg(locale.toString(total)));
    if (total == 0)
        m_cardsEmpty->setText(tr("There are no organizations yet."));
    else if (visible == 0)
        m_cardsEmpty->setText(tr("No organization matches the filter."));
    m_cardsEmpty->setHidden(visible > 0);
    m_cardsScroll->setHidden(visible == 0);
}

void DashboardView::applyChartTheme()
{
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    const QChart::ChartTheme theme = dark ? QChart::ChartThemeDark : QChart::ChartThemeLight;
    for (QChart *chart : {m_priorityChart, m_statusChart}) {
        chart->setTheme(theme);
        // The view's own palette shows through, so the charts sit on the window's colours.
        chart->setBackgroundVisible(false);
    }
    // A theme resets series colours: the product's badge colours win.
    for (int i = 0; i < m_prioritySets.size(); ++i) {
        const QColor colour = priorityBadge(kPriorities[i]).background;
        m_prioritySets.at(i)->setColor(colour);
        m_prioritySets.at(i)->setBorderColor(colour);
        m_prioritySets.at(i)->setLabelColor(priorityBadge(kPriorities[i]).foreground);
    }
    const QColor gap = palette().color(QPalette::Base);
    for (int i = 0; i < m_statusSlices.size(); ++i) {
        m_statusSlices.at(i)->setColor(ticketStatusBadge(kStatuses[i]).background);
        m_statusSlices.at(i)->setBorderColor(gap);
    }
}

void DashboardView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyChartTheme();
    QWidget::changeEvent(event);
}

bool DashboardView::eventFilter(QObject *watched, QEvent *event)
{
    // Side by side in a narrow window the axis and legend labels would be cut short
    // ("Criti…"): the charts then stack, each with the full width.
    if (watched == m_chartsRow && event->type() == QEvent::Resize) {
        auto *layout = static_cast<QBoxLayout *>(m_chartsRow->layout());
        const bool wide = m_chartsRow->width() > fontMetrics().averageCharWidth() * 130;
        const auto direction = wide ? QBoxLayout::LeftToRight : QBoxLayout::TopToBottom;
        if (layout->direction() != direction)
            layout->setDirection(direction);
    }
    return QWidget::eventFilter(watched, event);
}

void DashboardView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_staleWhileHidden) {
        m_staleWhileHidden = false;
        reload();
    }
}

void DashboardView::onEvent(const QString &type, const QJsonObject &payload)
{
    Work work;
    if (type == u"counts.changed") {
        work.kpis = true;
        const QString id = payload.value(u"organization_id"_s).toString();
        if (!id.isEmpty())
            work.organizations.insert(id);
    } else if (type.startsWith(u"ticket.") || type.startsWith(u"assignment.")) {
        work.kpis = true;
        const QString id = payload.value(u"organization_id"_s).toString();
        if (!id.isEmpty())
            work.organizations.insert(id);
    } else if (type.startsWith(u"organization.")) {
        const QString id = payload.value(u"id"_s).toString();
        if (!id.isEmpty())
            work.organizations.insert(id);
        work.kpis = true; // organizations_count
    } else if (type.startsWith(u"equipment.") || type.startsWith(u"engineer.")) {
        work.kpis = true;
    } else {
        return;
    }
    schedule(work, true);
}

void DashboardView::updateLiveMode()
{
    const bool live = isLive();
    if (live)
        m_pollTimer.stop();
    else if (!m_pollTimer.isActive())
        m_pollTimer.start();
    // Events sent while the stream was down are lost: catch up once it is back.
    if (live && !m_wasLive)
        reload();
    m_wasLive = live;
    updateIndicator();
}

void DashboardView::onReachable(bool reachable)
{
    if (reachable && (!m_lastError.isEmpty() || !m_pending.isEmpty()))
        reload();
}

void DashboardView::updateIndicator()
{
    const QLocale locale;
    const QString time = locale.toString(m_lastUpdated.time(), QLocale::ShortFormat);
    QString text;
    QString tip;
    QColor dot;
    if (!m_lastError.isEmpty()) {
        text = m_lastUpdated.isValid() ? tr("Not updated since %1: %2").arg(time, m_lastError)
                                       : m_lastError;
        dot = slaBadge(u"breached"_s).background;
    } else if (isLive()) {
        text = tr("Live");
        tip = m_lastUpdated.isValid() ? tr("Updated %1 from the live event stream").arg(time)
                                      : QString();
        dot = assignmentStatusBadge(AssignmentStatus::Active).background;
    } else {
        text = m_lastUpdated.isValid() ? tr("Updated %1 (polling)").arg(time) : tr("Polling");
        tip = tr("No live connection: the figures are fetched every %1 seconds.")
                  .arg(std::max(1, m_pollTimer.interval() / 1000));
        dot = priorityBadge(Priority::Low).background;
    }
    m_indicator->setText(QString(u"<span style='color:"_s % dot.name() % u"'>&#9679;</span> "_s %
                                 text.toHtmlEscaped()));
    m_indicator->setToolTip(tip);
    m_indicator->setAccessibleName(tip.isEmpty() ? text : QString(text % u". "_s % tip));
}

} // namespace md::ui
