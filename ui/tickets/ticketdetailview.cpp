#include "ticketdetailview.h"

#include "api/codecs.h"
#include "apiclient.h"
#include "common/badges.h"
#include "common/statewidget.h"
#include "dispatch/assignmenthistoryview.h"
#include "dispatch/engineerselectiondialog.h"
#include "eventstream.h"
#include "session.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QShortcut>
#include <QTabWidget>
#include <QTreeWidget>
#include <QUuid>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using namespace md::domain;

namespace md::ui {

namespace {

QLabel *valueLabel(const QString &objectName, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    label->setTextFormat(Qt::PlainText);
    return label;
}

QString orDash(const QString &text)
{
    return text.isEmpty() ? TicketDetailView::tr("—") : text;
}

QString statusWord(const QString &wire)
{
    const auto status = parseTicketStatus(wire);
    return status ? ticketStatusBadge(*status).text : wire;
}

// What the button for a status change says, from where the ticket is now.
QString statusActionText(TicketStatus from, TicketStatus to)
{
    switch (to) {
    case TicketStatus::InProgress:
        if (from == TicketStatus::Resolved)
            return TicketDetailView::tr("Re&open");
        if (from == TicketStatus::OnHold)
            return TicketDetailView::tr("Res&ume work");
        return TicketDetailView::tr("Start &work");
    case TicketStatus::OnHold:
        return TicketDetailView::tr("Put on &hold");
    case TicketStatus::Resolved:
        return TicketDetailView::tr("&Resolve");
    case TicketStatus::Closed:
        return TicketDetailView::tr("C&lose");
    case TicketStatus::Cancelled:
        return TicketDetailView::tr("Cance&l ticket");
    case TicketStatus::New:
        return TicketDetailView::tr("Back to new");
    case TicketStatus::Assigned:
        break;
    }
    return ticketStatusBadge(to).text;
}

QString channelWord(const QString &wire)
{
    if (wire == "desk"_L1)
        return TicketDetailView::tr("Service desk");
    if (wire == "qr_scan"_L1)
        return TicketDetailView::tr("QR label scan");
    if (wire == "whatsapp"_L1)
        return TicketDetailView::tr("WhatsApp");
    if (wire == "api"_L1)
        return TicketDetailView::tr("Application");
    return wire;
}

QString criticalityWord(const QString &wire)
{
    if (wire == "low"_L1)
        return TicketDetailView::tr("Low");
    if (wire == "medium"_L1)
        return TicketDetailView::tr("Medium");
    if (wire == "high"_L1)
        return TicketDetailView::tr("High");
    if (wire == "life_support"_L1)
        return TicketDetailView::tr("Life support");
    return wire;
}

QString equipmentStatusWord(const QString &wire)
{
    if (wire == "operational"_L1)
        return TicketDetailView::tr("Operational");
    if (wire == "degraded"_L1)
        return TicketDetailView::tr("Degraded");
    if (wire == "down"_L1)
        return TicketDetailView::tr("Down");
    if (wire == "maintenance"_L1)
        return TicketDetailView::tr("In maintenance");
    if (wire == "retired"_L1)
        return TicketDetailView::tr("Retired");
    return wire;
}

QString historyText(const QJsonObject &entry)
{
    const QString kind = entry.value("kind"_L1).toString();
    const QString from = entry.value("from_status"_L1).toString();
    const QString to = entry.value("to_status"_L1).toString();
    if (kind == "created"_L1)
        return TicketDetailView::tr("Opened");
    if (kind == "status_changed"_L1)
        return from.isEmpty()
                   ? TicketDetailView::tr("Status: %1").arg(statusWord(to))
                   : TicketDetailView::tr("Status: %1 → %2").arg(statusWord(from), statusWord(to));
    if (kind == "priority_changed"_L1)
        return TicketDetailView::tr("Priority changed");
    if (kind == "assigned"_L1)
        return TicketDetailView::tr("Engineer assigned");
    if (kind == "reassigned"_L1)
        return TicketDetailView::tr("Engineer reassigned");
    return kind;
}

} // namespace

TicketDetailView::TicketDetailView(const ViewContext &context, QWidget *parent)
    : QWidget(parent), m_context(context)
{
    auto *content = new QWidget(this);
    auto *layout = new QVBoxLayout(content);

    m_number = valueLabel(u"ticketNumberLabel"_s, content);
    m_title = valueLabel(u"ticketTitleLabel"_s, content);
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.25);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    layout->addWidget(m_number);
    layout->addWidget(m_title);

    auto *badges = new QHBoxLayout;
    m_priority = new BadgeLabel(content);
    m_priority->setObjectName(u"ticketPriorityBadge"_s);
    m_status = new BadgeLabel(content);
    m_status->setObjectName(u"ticketStatusBadge"_s);
    m_sla = new BadgeLabel(content);
    m_sla->setObjectName(u"ticketSlaBadge"_s);
    badges->addWidget(m_priority);
    badges->addWidget(m_status);
    badges->addWidget(m_sla);
    badges->addStretch();
    layout->addLayout(badges);

    m_actions = new QHBoxLayout;
    m_assignButton = new QPushButton(tr("&Assign engineer…"), content);
    m_assignButton->setObjectName(u"assignButton"_s);
    m_assignButton->setToolTip(tr("Choose an engineer for this ticket (Ctrl+Shift+A)"));
    m_assignButton->hide();
    connect(m_assignButton, &QPushButton::clicked, this, &TicketDetailView::openAssignDialog);
    // Anywhere in the window while this view is shown (the button's own text keeps its
    // Alt mnemonic; setText() would replace a shortcut set on the button).
    auto *assignShortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A), this);
    assignShortcut->setContext(Qt::WindowShortcut);
    connect(assignShortcut, &QShortcut::activated, this, &TicketDetailView::openAssignDialog);
    m_actions->addWidget(m_assignButton);
    m_actions->addStretch();
    layout->addLayout(m_actions);
    m_actionError = valueLabel(u"ticketActionError"_s, content);
    {
        // The badges' red ("SLA breached") reads on the light and the dark palette.
        QPalette palette = m_actionError->palette();
        palette.setColor(QPalette::WindowText, slaBadge(u"breached"_s).background);
        m_actionError->setPalette(palette);
    }
    m_actionError->hide();
    layout->addWidget(m_actionError);

    m_tabs = new QTabWidget(content);
    m_tabs->setObjectName(u"ticketDetailTabs"_s);

    // Overview: description, reporter, times, equipment.
    auto *overview = new QWidget;
    auto *overviewLayout = new QVBoxLayout(overview);
    m_description = new QPlainTextEdit(overview);
    m_description->setObjectName(u"ticketDescription"_s);
    m_description->setAccessibleName(tr("Description"));
    m_description->setReadOnly(true);
    m_description->setMaximumHeight(m_description->fontMetrics().lineSpacing() * 8);
    overviewLayout->addWidget(m_description);
    m_facts = new QFormLayout;
    m_reporter = valueLabel(u"ticketReporterLabel"_s, overview);
    m_channel = valueLabel(u"ticketChannelLabel"_s, overview);
    m_created = valueLabel(u"ticketCreatedLabel"_s, overview);
    m_updated = valueLabel(u"ticketUpdatedLabel"_s, overview);
    m_assignedAt = valueLabel(u"ticketAssignedAtLabel"_s, overview);
    m_responseDue = valueLabel(u"ticketResponseDueLabel"_s, overview);
    m_resolutionDue = valueLabel(u"ticketResolutionDueLabel"_s, overview);
    m_resolvedAt = valueLabel(u"ticketResolvedAtLabel"_s, overview);
    m_closedAt = valueLabel(u"ticketClosedAtLabel"_s, overview);
    m_facts->addRow(tr("Reported by:"), m_reporter);
    m_facts->addRow(tr("Channel:"), m_channel);
    m_facts->addRow(tr("Opened:"), m_created);
    m_facts->addRow(tr("Updated:"), m_updated);
    m_facts->addRow(tr("Assigned:"), m_assignedAt);
    m_facts->addRow(tr("Response due:"), m_responseDue);
    m_facts->addRow(tr("Resolution due:"), m_resolutionDue);
    m_facts->addRow(tr("Resolved:"), m_resolvedAt);
    m_facts->addRow(tr("Closed:"), m_closedAt);
    overviewLayout->addLayout(m_facts);

    auto *equipment = new QGroupBox(tr("Equipment"), overview);
    equipment->setObjectName(u"ticketEquipmentBox"_s);
    auto *equipmentForm = new QFormLayout(equipment);
    m_equipmentName = valueLabel(u"equipmentNameLabel"_s, equipment);
    m_equipmentModel = valueLabel(u"equipmentModelLabel"_s, equipment);
    m_equipmentSerial = valueLabel(u"equipmentSerialLabel"_s, equipment);
    m_equipmentManufacturer = valueLabel(u"equipmentManufacturerLabel"_s, equipment);
    m_equipmentLocation = valueLabel(u"equipmentLocationLabel"_s, equipment);
    m_equipmentCriticality = valueLabel(u"equipmentCriticalityLabel"_s, equipment);
    m_equipmentStatus = valueLabel(u"equipmentStatusLabel"_s, equipment);
    m_equipmentError = valueLabel(u"equipmentErrorLabel"_s, equipment);
    m_equipmentError->hide();
    equipmentForm->addRow(m_equipmentError);
    equipmentForm->addRow(tr("Name:"), m_equipmentName);
    equipmentForm->addRow(tr("Model:"), m_equipmentModel);
    equipmentForm->addRow(tr("Serial number:"), m_equipmentSerial);
    equipmentForm->addRow(tr("Manufacturer:"), m_equipmentManufacturer);
    equipmentForm->addRow(tr("Location:"), m_equipmentLocation);
    equipmentForm->addRow(tr("Criticality:"), m_equipmentCriticality);
    equipmentForm->addRow(tr("Status:"), m_equipmentStatus);
    overviewLayout->addWidget(equipment);
    overviewLayout->addStretch();
    auto *overviewScroll = new QScrollArea;
    overviewScroll->setWidget(overview);
    overviewScroll->setWidgetResizable(true);
    overviewScroll->setFrameShape(QFrame::NoFrame);
    m_tabs->addTab(overviewScroll, tr("&Overview"));

    m_history = new QTreeWidget;
    m_history->setObjectName(u"ticketStatusHistory"_s);
    m_history->setAccessibleName(tr("Status history"));
    m_history->setRootIsDecorated(false);
    m_history->setUniformRowHeights(true);
    m_history->setHeaderLabels({tr("When"), tr("Change"), tr("By"), tr("Note")});
    m_history->header()->setStretchLastSection(true);
    m_tabs->addTab(m_history, tr("Status &history"));

    m_assignments = new AssignmentHistoryView(context);
    m_assignments->setObjectName(u"assignmentHistoryView"_s);
    m_tabs->addTab(m_assignments, tr("Assign&ments"));
    layout->addWidget(m_tabs, 1);

    m_state = new StateWidget(content, this);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_state);
    m_state->showEmpty(tr("Select a ticket"));
    connect(m_state, &StateWidget::retryRequested, this, [this] { load(false); });

    if (context.events) {
        connect(context.events, &client::EventStream::eventReceived, this,
                [this](const QString &type, const QJsonObject &object) {
                    if (!m_id.isEmpty() && type == "ticket.updated"_L1 &&
                        object.value("id"_L1).toString() == m_id)
                        load(true);
                });
    }
}

TicketDetailView::~TicketDetailView() = default;

void TicketDetailView::showTicket(const QString &id)
{
    if (id.isEmpty()) {
        clear();
        return;
    }
    m_id = id;
    load(false);
}

void TicketDetailView::reload()
{
    if (!m_id.isEmpty())
        load(true);
}

void TicketDetailView::clear()
{
    ++m_generation;
    m_id.clear();
    m_ticket = {};
    m_state->showEmpty(tr("Select a ticket"));
}

QString TicketDetailView::timeText(const QJsonValue &value) const
{
    const QDateTime t = api::parseTime(value.toString());
    if (!t.isValid())
        return tr("—");
    return locale().toString(t.toLocalTime(), QLocale::ShortFormat);
}

void TicketDetailView::load(bool quiet)
{
    if (!m_context.api || m_id.isEmpty())
        return;
    const quint64 generation = ++m_generation;
    if (!quiet || m_ticket.value("id"_L1).toString() != m_id)
        m_state->showLoading(tr("Loading the ticket…"));
    const QString id = m_id;
    m_context.api->get(
        u"/v1/tickets/"_s + id, {}, this, [this, generation, id](const client::ApiResult &result) {
            if (generation != m_generation)
                return;
            if (!result.ok()) {
                m_state->showError(result.error.status == 404
                                       ? tr("This ticket does not exist or is not visible to "
                                            "you.")
                                       : result.error.userMessage(),
                                   result.error.status != 404);
                return;
            }
            const bool sameTicket = m_ticket.value("id"_L1).toString() == id;
            showLoaded(result.json);
            loadEquipment(result.json.value("equipment_id"_L1).toString());
            loadHistory();
            if (!sameTicket || m_assignments->ticketId() != id)
                m_assignments->showTicket(id);
            else
                m_assignments->reload();
            Q_EMIT loaded();
        });
}

void TicketDetailView::showLoaded(const QJsonObject &ticket)
{
    m_ticket = ticket;
    m_number->setText(ticket.value("number"_L1).toString());
    m_title->setText(ticket.value("title"_L1).toString());
    const auto priority = parsePriority(ticket.value("priority"_L1).toString());
    m_priority->setBadge(priority ? priorityBadge(*priority) : BadgeStyle{});
    const auto status = parseTicketStatus(ticket.value("status"_L1).toString());
    m_status->setBadge(status ? ticketStatusBadge(*status) : BadgeStyle{});
    // The worse of response and resolution, as in the table.
    const QJsonObject sla = ticket.value("sla"_L1).toObject();
    const auto rank = [](const QString &s) {
        return s == "breached"_L1 ? 3 : s == "at_risk"_L1 ? 2 : s == "on_track"_L1 ? 1 : 0;
    };
    const QString response = sla.value("response"_L1).toString();
    const QString resolution = sla.value("resolution"_L1).toString();
    const QString worse = rank(response) >= rank(resolution) ? response : resolution;
    const bool open = status && isOpen(*status);
    if (worse.isEmpty() || (!open && worse != "breached"_L1)) {
        m_sla->setBadge(BadgeStyle{});
        m_sla->hide();
    } else {
        m_sla->setBadge(slaBadge(worse));
        m_sla->setToolTip(tr("Response: %1 · Resolution: %2")
                              .arg(slaBadge(response).text, slaBadge(resolution).text));
        m_sla->show();
    }
    m_description->setPlainText(ticket.value("description"_L1).toString());
    const QString reporter = ticket.value("reporter_name"_L1).toString();
    const QString contact = ticket.value("reporter_contact"_L1).toString();
    m_reporter->setText(contact.isEmpty() ? orDash(reporter)
                                          : tr("%1 (%2)").arg(orDash(reporter), contact));
    m_channel->setText(channelWord(ticket.value("channel"_L1).toString()));
    m_created->setText(timeText(ticket.value("created_at"_L1)));
    m_updated->setText(timeText(ticket.value("updated_at"_L1)));
    m_assignedAt->setText(timeText(ticket.value("assigned_at"_L1)));
    m_responseDue->setText(timeText(ticket.value("response_due_at"_L1)));
    m_resolutionDue->setText(timeText(ticket.value("resolution_due_at"_L1)));
    m_resolvedAt->setText(timeText(ticket.value("resolved_at"_L1)));
    m_closedAt->setText(timeText(ticket.value("closed_at"_L1)));
    m_actionError->hide();
    rebuildActions();
    m_state->showContent();
}

void TicketDetailView::rebuildActions()
{
    qDeleteAll(m_statusButtons);
    m_statusButtons.clear();
    const bool mayUpdate = m_context.session && m_context.session->may(Permission::TicketsUpdate);
    const auto from = parseTicketStatus(m_ticket.value("status"_L1).toString());
    if (mayUpdate && from) {
        int at = 0;
        for (const QJsonValue &value : m_ticket.value("allowed_statuses"_L1).toArray()) {
            const QString wire = value.toString();
            const auto to = parseTicketStatus(wire);
            // "assigned" is reached by assigning an engineer, never by a status change.
            if (!to || *to == TicketStatus::Assigned)
                continue;
            auto *button = new QPushButton(statusActionText(*from, *to), this);
            button->setObjectName(u"statusButton_"_s + wire);
            button->setAccessibleName(tr("Change status to %1").arg(statusWord(wire)));
            button->setToolTip(button->accessibleName());
            connect(button, &QPushButton::clicked, this, [this, wire] { requestStatus(wire); });
            m_actions->insertWidget(at++, button);
            m_statusButtons.append(button);
        }
    }
    const bool mayAssign = m_context.session && m_context.session->may(Permission::TicketsAssign);
    const bool canAssign = m_ticket.value("can_assign"_L1).toBool();
    m_assignButton->setVisible(mayAssign && canAssign);
    m_assignButton->setEnabled(mayAssign && canAssign);
    m_assignButton->setText(m_ticket.value("assigned_engineer_id"_L1).toString().isEmpty()
                                ? tr("&Assign engineer…")
                                : tr("Re&assign engineer…"));
}

void TicketDetailView::requestStatus(const QString &status)
{
    if (status != "cancelled"_L1) {
        changeStatus(status);
        return;
    }
    // Cancelling ends the work for good: ask first (without blocking the event loop).
    auto *box = new QMessageBox(QMessageBox::Question, tr("Cancel ticket"),
                                tr("Cancel ticket %1? An active assignment ends, and a "
                                   "cancelled ticket cannot be reopened.")
                                    .arg(m_ticket.value("number"_L1).toString()),
                                QMessageBox::Yes | QMessageBox::No, this);
    box->setObjectName(u"cancelTicketConfirmation"_s);
    box->setDefaultButton(QMessageBox::No);
    box->button(QMessageBox::Yes)->setText(tr("Cancel ticket"));
    box->button(QMessageBox::No)->setText(tr("Keep ticket"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    const QString id = m_id;
    connect(box, &QMessageBox::finished, this, [this, box, id](int) {
        if (box->clickedButton() == box->button(QMessageBox::Yes) && id == m_id)
            changeStatus(u"cancelled"_s);
    });
    box->open();
}

void TicketDetailView::changeStatus(const QString &status)
{
    if (!m_context.api || m_id.isEmpty())
        return;
    for (QPushButton *button : std::as_const(m_statusButtons))
        button->setEnabled(false);
    m_actionError->hide();
    const QString id = m_id;
    m_context.api->patch(u"/v1/tickets/"_s + id, QJsonObject{{u"status"_s, status}}, this,
                         [this, id](const client::ApiResult &result) {
                             if (id != m_id)
                                 return;
                             if (!result.ok()) {
                                 for (QPushButton *button : std::as_const(m_statusButtons))
                                     button->setEnabled(true);
                                 m_actionError->setText(result.error.userMessage());
                                 m_actionError->show();
                                 return;
                             }
                             Q_EMIT ticketChanged(result.json);
                             load(true); // for the statuses allowed from here
                         });
}

void TicketDetailView::openAssignDialog()
{
    if (m_id.isEmpty() || !m_assignButton->isVisible() || !m_assignButton->isEnabled())
        return;
    const bool reassigning = !m_ticket.value("assigned_engineer_id"_L1).toString().isEmpty();
    auto *dialog = new EngineerSelectionDialog(m_context, m_id, reassigning, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QString id = m_id;
    connect(dialog, &EngineerSelectionDialog::assigned, this,
            [this, id](const QJsonObject &assignment) {
                const QJsonObject ticket = assignment.value("ticket"_L1).toObject();
                if (!ticket.isEmpty())
                    Q_EMIT ticketChanged(ticket);
                if (id == m_id)
                    load(true);
            });
    dialog->open();
}

void TicketDetailView::loadEquipment(const QString &equipmentId)
{
    for (QLabel *label :
         {m_equipmentName, m_equipmentModel, m_equipmentSerial, m_equipmentManufacturer,
          m_equipmentLocation, m_equipmentCriticality, m_equipmentStatus})
        label->setText(tr("—"));
    m_equipmentError->hide();
    if (!m_context.api || equipmentId.isEmpty())
        return;
    const quint64 generation = m_generation;
    m_context.api->get(
        u"/v1/equipment/"_s + equipmentId, {}, this,
        [this, generation](const client::ApiResult &result) {
            if (generation != m_generation)
                return;
            if (!result.ok()) {
                m_equipmentError->setText(
                    tr("The equipment could not be loaded: %1").arg(result.error.userMessage()));
                m_equipmentError->show();
                return;
            }
            const QJsonObject e = result.json;
            m_equipmentName->setText(orDash(e.value("name"_L1).toString()));
            m_equipmentModel->setText(orDash(e.value("model"_L1).toString()));
            m_equipmentSerial->setText(orDash(e.value("serial_number"_L1).toString()));
            QStringList location;
            for (const auto key : {"department"_L1, "room"_L1}) {
                const QString part = e.value(key).toString();
                if (!part.isEmpty())
                    location.append(part);
            }
            m_equipmentLocation->setText(orDash(location.join(u" · "_s)));
            m_equipmentCriticality->setText(
                orDash(criticalityWord(e.value("criticality"_L1).toString())));
            m_equipmentStatus->setText(
                orDash(equipmentStatusWord(e.value("status"_L1).toString())));
            const QString manufacturerId = e.value("manufacturer_id"_L1).toString();
            if (manufacturerId.isEmpty())
                return;
            m_context.api->get(u"/v1/organizations/"_s + manufacturerId, {}, this,
                               [this, generation](const client::ApiResult &org) {
                                   if (generation == m_generation && org.ok())
                                       m_equipmentManufacturer->setText(
                                           orDash(org.json.value("name"_L1).toString()));
                               });
        });
}

void TicketDetailView::loadHistory()
{
    m_history->clear();
    if (!m_context.api)
        return;
    const quint64 generation = m_generation;
    m_context.api->get(
        u"/v1/tickets/"_s + m_id + u"/history"_s, {}, this,
        [this, generation](const client::ApiResult &result) {
            if (generation != m_generation)
                return;
            m_history->clear();
            if (!result.ok()) {
                auto *item = new QTreeWidgetItem(m_history);
                item->setText(
                    1, tr("The history could not be loaded: %1").arg(result.error.userMessage()));
                return;
            }
            const QString me = m_context.session ? m_context.session->user().id : QString();
            for (const QJsonValue &value : result.json.value("data"_L1).toArray()) {
                const QJsonObject entry = value.toObject();
                auto *item = new QTreeWidgetItem(m_history);
                item->setText(0, timeText(entry.value("at"_L1)));
                item->setText(1, historyText(entry));
                QString actor = entry.value("actor"_L1).toString();
                if (!me.isEmpty() && actor == me)
                    actor = tr("You");
                else if (!QUuid::fromString(actor).isNull())
                    actor = tr("User %1").arg(actor.left(8));
                item->setText(2, actor);
                item->setText(3, entry.value("note"_L1).toString());
            }
            if (m_history->topLevelItemCount() == 0) {
                auto *item = new QTreeWidgetItem(m_history);
                item->setText(1, tr("No changes yet."));
            }
        });
}

} // namespace md::ui
