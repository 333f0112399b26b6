#include "ticketsview.h"

#include "apiclient.h"
#include "common/badges.h"
#include "common/statewidget.h"
#include "eventstream.h"
#include "newticketdialog.h"
#include "session.h"
#include "ticketbadgedelegate.h"
#include "ticketdetailview.h"
#include "ticketfiltermodel.h"
#include "ticketmodel.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using namespace md::domain;

namespace md::ui {

namespace {

constexpr int SearchDebounceMs = 200;
constexpr int PollIntervalMs = 30000;
constexpr int PollPageSize = 100;

QComboBox *filterCombo(const QString &objectName, const QString &accessibleName, QWidget *parent)
{
    auto *combo = new QComboBox(parent);
    combo->setObjectName(objectName);
    combo->setAccessibleName(accessibleName);
    combo->setToolTip(accessibleName);
    combo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    return combo;
}

} // namespace

TicketsView::TicketsView(const ViewContext &context, QWidget *parent)
    : QWidget(parent), m_context(context)
{
    m_model = new TicketModel(context.api, this);
    m_proxy = new TicketFilterModel(this);
    m_proxy->setSourceModel(m_model);

    auto *layout = new QVBoxLayout(this);

    // Search and filters.
    auto *bar = new QHBoxLayout;
    m_search = new QLineEdit(this);
    m_search->setObjectName(u"ticketSearchEdit"_s);
    m_search->setPlaceholderText(tr("Search number, title, organization or engineer (Ctrl+F)"));
    m_search->setAccessibleName(tr("Search tickets"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(m_search->fontMetrics().averageCharWidth() * 36);
    bar->addWidget(m_search, 1);
    buildFilters();
    bar->addWidget(m_statusFilter);
    bar->addWidget(m_priorityFilter);
    bar->addWidget(m_organizationFilter);
    bar->addWidget(m_tierFilter);

    m_newTicketAction = new QAction(tr("&New ticket"), this);
    m_newTicketAction->setShortcut(QKeySequence::New);
    m_newTicketAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_newTicketAction->setToolTip(tr("Report a new ticket (Ctrl+N)"));
    const bool mayCreate = context.session && context.session->may(Permission::TicketsCreate);
    m_newTicketAction->setEnabled(mayCreate);
    addAction(m_newTicketAction);
    connect(m_newTicketAction, &QAction::triggered, this, &TicketsView::openNewTicket);
    if (mayCreate) {
        m_newTicketButton = new QPushButton(tr("&New ticket"), this);
        m_newTicketButton->setObjectName(u"newTicketButton"_s);
        m_newTicketButton->setToolTip(m_newTicketAction->toolTip());
        connect(m_newTicketButton, &QPushButton::clicked, this, &TicketsView::openNewTicket);
        bar->addWidget(m_newTicketButton);
    }
    layout->addLayout(bar);

    auto *progressRow = new QHBoxLayout;
    m_progress = new QLabel(this);
    m_progress->setObjectName(u"ticketProgressLabel"_s);
    progressRow->addWidget(m_progress, 1);
    m_continueButton = new QPushButton(tr("Continue &loading"), this);
    m_continueButton->setObjectName(u"ticketContinueButton"_s);
    m_continueButton->hide();
    connect(m_continueButton, &QPushButton::clicked, this, [this] {
        m_errorMessage.clear();
        m_continueButton->hide();
        m_model->continueLoading();
    });
    progressRow->addWidget(m_continueButton);
    layout->addLayout(progressRow);

    // The table: uniform row heights from the font (never ResizeToContents: measuring
    // 100k rows costs seconds), no vertical header, sorted by the proxy.
    m_table = new QTableView(this);
    m_table->setObjectName(u"ticketTable"_s);
    m_table->setAccessibleName(tr("Tickets"));
    m_table->setModel(m_proxy);
    m_table->setItemDelegate(new TicketBadgeDelegate(m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 10);
    QHeaderView *header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(false);
    header->setHighlightSections(false);
    // Widths from what the columns hold, in the table's font (high-DPI and font-size
    // safe), never from measuring the rows.
    const QFontMetrics metrics = m_table->fontMetrics();
    const int padding = metrics.averageCharWidth() * 3;
    const auto widest = [&](const QList<BadgeStyle> &badges) {
        int width = 0;
        for (const BadgeStyle &badge : badges)
            width = std::max(width, badgeSizeHint(metrics, badge).width());
        return width + padding;
    };
    QList<BadgeStyle> priorities, statuses;
    for (int i = 0; i <= int(Priority::Low); ++i)
        priorities << priorityBadge(Priority(i));
    for (int i = 0; i <= int(TicketStatus::Cancelled); ++i)
        statuses << ticketStatusBadge(TicketStatus(i));
    const QString sampleTime =
        QLocale().toString(QDateTime(QDate(2026, 12, 28), QTime(23, 59)), QLocale::ShortFormat);
    const int em = metrics.averageCharWidth();
    header->resizeSection(TicketModel::NumberColumn,
                          metrics.horizontalAdvance(u"TKT-0000-000000"_s) + padding);
    header->resizeSection(TicketModel::TitleColumn, em * 40);
    header->resizeSection(TicketModel::OrganizationColumn, em * 26);
    header->resizeSection(TicketModel::PriorityColumn, widest(priorities));
    header->resizeSection(TicketModel::StatusColumn, widest(statuses));
    header->resizeSection(
        TicketModel::SlaColumn,
        widest({slaBadge(u"breached"_s), slaBadge(u"at_risk"_s), slaBadge(u"on_track"_s)}));
    header->resizeSection(TicketModel::EngineerColumn, em * 20);
    header->resizeSection(TicketModel::CreatedColumn,
                          metrics.horizontalAdvance(sampleTime) + padding);
    header->resizeSection(TicketModel::UpdatedColumn,
                          metrics.horizontalAdvance(sampleTime) + padding);
    header->setSortIndicator(TicketModel::CreatedColumn, Qt::DescendingOrder);
    m_table->setSortingEnabled(true);

    m_state = new StateWidget(m_table, this);
    m_state->setObjectName(u"ticketTableState"_s);
    m_detail = new TicketDetailView(context, this);
    m_detail->setObjectName(u"ticketDetailView"_s);
    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setObjectName(u"ticketSplitter"_s);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->addWidget(m_state);
    m_splitter->addWidget(m_detail);
    m_splitter->setStretchFactor(0, 2);
    m_splitter->setStretchFactor(1, 1);
    layout->addWidget(m_splitter, 1);

    // Ctrl+F: to the search field from anywhere in the view.
    auto *find = new QShortcut(QKeySequence::Find, this);
    find->setContext(Qt::WidgetWithChildrenShortcut);
    connect(find, &QShortcut::activated, this, [this] {
        m_search->setFocus(Qt::ShortcutFocusReason);
        m_search->selectAll();
    });

    m_searchDebounce = new QTimer(this);
    m_searchDebounce->setSingleShot(true);
    m_searchDebounce->setInterval(SearchDebounceMs);
    connect(m_search, &QLineEdit::textChanged, m_searchDebounce, qOverload<>(&QTimer::start));
    connect(m_searchDebounce, &QTimer::timeout, this,
            [this] { m_proxy->setSearchText(m_search->text()); });
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        m_searchDebounce->stop();
        m_proxy->setSearchText(m_search->text());
    });

    connect(m_model, &TicketModel::loadingChanged, this, &TicketsView::updateState);
    connect(m_model, &TicketModel::progressChanged, this, &TicketsView::updateProgress);
    connect(m_model, &TicketModel::errorOccurred, this, &TicketsView::modelError);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &TicketsView::updateState);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &TicketsView::updateState);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &TicketsView::updateState);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &TicketsView::updateState);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &TicketsView::updateProgress);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &TicketsView::updateProgress);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &TicketsView::updateProgress);
    connect(m_state, &StateWidget::retryRequested, this, &TicketsView::reload);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &TicketsView::currentRowChanged);
    connect(m_detail, &TicketDetailView::ticketChanged, this,
            [this](const QJsonObject &ticket) { m_model->applyTicket(ticket); });

    if (context.events) {
        connect(context.events, &client::EventStream::eventReceived, this,
                [this](const QString &type, const QJsonObject &object) {
                    if (type == "ticket.created"_L1 || type == "ticket.updated"_L1)
                        m_model->applyTicket(object);
                });
    }
    m_pollTimer = new QTimer(this);
    m_pollTimer->setInterval(PollIntervalMs);
    connect(m_pollTimer, &QTimer::timeout, this, &TicketsView::poll);

    m_state->showLoading(tr("Loading tickets…"));
}

TicketsView::~TicketsView() = default;

void TicketsView::buildFilters()
{
    m_statusFilter = filterCombo(u"statusFilter"_s, tr("Status filter"), this);
    m_statusFilter->addItem(tr("All statuses"), QString());
    m_statusFilter->addItem(tr("Open"), u"new,assigned,in_progress,on_hold"_s);
    for (int i = 0; i <= int(TicketStatus::Cancelled); ++i)
        m_statusFilter->addItem(ticketStatusBadge(TicketStatus(i)).text, toString(TicketStatus(i)));

    m_priorityFilter = filterCombo(u"priorityFilter"_s, tr("Priority filter"), this);
    m_priorityFilter->addItem(tr("All priorities"), QString());
    for (int i = 0; i <= int(Priority::Low); ++i)
        m_priorityFilter->addItem(priorityBadge(Priority(i)).text, toString(Priority(i)));

    m_organizationFilter = filterCombo(u"organizationFilter"_s, tr("Organization filter"), this);
    m_organizationFilter->addItem(tr("All organizations"), QString());

    m_tierFilter = filterCombo(u"tierFilter"_s, tr("Assignment tier filter"), this);
    m_tierFilter->addItem(tr("All tiers"), 0);
    for (int tier = 1; tier <= 4; ++tier)
        m_tierFilter->addItem(tierBadge(AssignmentTier(tier)).text, tier);

    for (QComboBox *combo : {m_statusFilter, m_priorityFilter, m_organizationFilter, m_tierFilter})
        connect(combo, &QComboBox::currentIndexChanged, this, &TicketsView::applyFilters);
}

void TicketsView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!m_started) {
        m_started = true;
        reload();
    }
}

void TicketsView::reload()
{
    m_started = true;
    m_errorMessage.clear();
    m_continueButton->hide();
    loadNames(u"/v1/organizations"_s, 0);
    loadNames(u"/v1/engineers"_s, 0);
    m_model->reload();
    updateState();
    m_pollTimer->start();
}

void TicketsView::loadNames(const QString &path, int offset)
{
    if (!m_context.api)
        return;
    QUrlQuery query;
    query.addQueryItem(u"limit"_s, QString::number(TicketModel::PageSize));
    query.addQueryItem(u"offset"_s, QString::number(offset));
    m_context.api->get(path, query, this, [this, path, offset](const client::ApiResult &result) {
        if (!result.ok())
            return; // the table still works with empty names; a reload tries again
        const QJsonArray items = result.json.value("data"_L1).toArray();
        QHash<QString, QString> names;
        const bool organizations = path == "/v1/organizations"_L1;
        for (const QJsonValue &value : items) {
            const QJsonObject o = value.toObject();
            const QString id = o.value("id"_L1).toString();
            const QString name = o.value("name"_L1).toString();
            names.insert(id, name);
            // Tickets belong to the hospital that owns the equipment.
            if (organizations && o.value("type"_L1).toString() == "hospital"_L1 &&
                m_organizationFilter->findData(id) < 0) {
                int at = 1;
                while (at < m_organizationFilter->count() &&
                       QString::localeAwareCompare(m_organizationFilter->itemText(at), name) < 0)
                    ++at;
                const QSignalBlocker blocker(m_organizationFilter);
                m_organizationFilter->insertItem(at, name, id);
            }
        }
        if (organizations)
            m_model->setOrganizationNames(names);
        else
            m_model->setEngineerNames(names);
        const qint64 total = result.json.value("page"_L1).toObject().value("total"_L1).toInteger();
        const int next = offset + int(items.size());
        if (!items.isEmpty() && next < total)
            loadNames(path, next);
    });
}

void TicketsView::applyFilters()
{
    TicketModel::Filters filters;
    filters.status = m_statusFilter->currentData().toString();
    filters.priority = m_priorityFilter->currentData().toString();
    filters.organizationId = m_organizationFilter->currentData().toString();
    filters.tier = m_tierFilter->currentData().toInt();
    m_errorMessage.clear();
    m_continueButton->hide();
    m_model->setFilters(filters);
    updateState();
}

void TicketsView::updateState()
{
    if (m_model->rowCount() == 0) {
        if (m_model->isLoading())
            m_state->showLoading(tr("Loading tickets…"));
        else if (!m_errorMessage.isEmpty())
            m_state->showError(m_errorMessage);
        else if (m_started)
            m_state->showEmpty(tr("No tickets match these filters."));
        return;
    }
    if (m_proxy->rowCount() == 0)
        m_state->showEmpty(tr("No tickets match these filters."));
    else
        m_state->showContent();
}

void TicketsView::updateProgress()
{
    const int rows = m_model->rowCount();
    const qint64 total = m_model->total();
    QString text;
    if (m_model->isLoading())
        text = total >= 0 ? tr("Loading tickets: %L1 of %L2").arg(rows).arg(total)
                          : tr("Loading tickets…");
    else
        // Spelled out: without a loaded translator "%n ticket(s)" would show as written.
        text = rows == 1 ? tr("1 ticket") : tr("%L1 tickets").arg(rows);
    if (!m_proxy->searchText().isEmpty())
        text = tr("%1 · %L2 shown").arg(text).arg(m_proxy->rowCount());
    if (!m_errorMessage.isEmpty() && rows > 0)
        text = tr("%1 · Loading stopped: %2").arg(text, m_errorMessage);
    m_progress->setText(text);
}

void TicketsView::modelError(const client::ApiError &error)
{
    m_errorMessage = error.userMessage();
    // With tickets already listed, keep them and offer to carry on from the failed page.
    m_continueButton->setVisible(m_model->rowCount() > 0);
    updateProgress();
    updateState();
}

void TicketsView::currentRowChanged()
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    if (!current.isValid())
        return;
    const QString id = current.data(TicketModel::TicketIdRole).toString();
    if (id.isEmpty() || id == m_shownId)
        return;
    m_shownId = id;
    m_detail->showTicket(id);
    Q_EMIT ticketSelected(id);
}

void TicketsView::selectTicket(const QString &id)
{
    const int row = m_model->rowForId(id);
    if (row >= 0) {
        const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
        if (index.isValid()) {
            m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                                  QItemSelectionModel::Rows);
            m_table->scrollTo(index);
            return; // currentRowChanged() shows it
        }
    }
    // Not listed here (filtered out, or not loaded yet): still show its detail.
    if (id != m_shownId) {
        m_shownId = id;
        m_detail->showTicket(id);
        Q_EMIT ticketSelected(id);
    }
}

void TicketsView::openNewTicket()
{
    if (!m_context.session || !m_context.session->may(Permission::TicketsCreate))
        return;
    auto *dialog = new NewTicketDialog(m_context, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &NewTicketDialog::created, this, [this](const QJsonObject &ticket) {
        m_model->applyTicket(ticket);
        selectTicket(ticket.value("id"_L1).toString());
    });
    dialog->open();
}

void TicketsView::poll()
{
    // The stream tells us about every change while it is live; polling is the fallback.
    if (!m_context.api || m_model->isLoading() || (m_context.events && m_context.events->isLive()))
        return;
    QUrlQuery query = m_model->filters().query();
    query.addQueryItem(u"limit"_s, QString::number(PollPageSize));
    query.addQueryItem(u"offset"_s, u"0"_s);
    m_context.api->get(u"/v1/tickets"_s, query, this, [this](const client::ApiResult &result) {
        if (!result.ok() || m_model->isLoading())
            return;
        for (const QJsonValue &value : result.json.value("data"_L1).toArray())
            m_model->applyTicket(value.toObject());
    });
}

} // namespace md::ui
