#include "identifiedequipmentpanel.h"

#include "apiclient.h"
#include "common/badges.h"
#include "common/statewidget.h"
#include "domain/enums.h"
#include "labels/labelsheetdialog.h"
#include "openticketsmodel.h"
#include "session.h"
#include "tickets/newticketdialog.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QListView>
#include <QPainter>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QUrlQuery>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using md::domain::Permission;

namespace md::ui {

namespace {

// The statuses a ticket can still be worked on in (API.md's list minus the ending ones).
const QString kOpenStatuses = u"new,assigned,in_progress,on_hold"_s;
constexpr int kMaxOpenTickets = 100;

// Equipment badges borrow the colours of the ticket badges (ui/common/badges.h) so that
// green, yellow and red mean the same everywhere.
BadgeStyle equipmentStatusBadge(const QString &status)
{
    using domain::EquipmentStatus;
    const auto colours = [](BadgeStyle from, const QString &text) {
        from.text = text;
        return from;
    };
    const auto parsed = domain::parseEquipmentStatus(status);
    if (!parsed)
        return colours(ticketStatusBadge(domain::TicketStatus::Closed), status);
    switch (*parsed) {
    case EquipmentStatus::Operational:
        return colours(ticketStatusBadge(domain::TicketStatus::Resolved),
                       IdentifiedEquipmentPanel::tr("Operational"));
    case EquipmentStatus::Degraded:
        return colours(ticketStatusBadge(domain::TicketStatus::OnHold),
                       IdentifiedEquipmentPanel::tr("Degraded"));
    case EquipmentStatus::Down:
        return colours(priorityBadge(domain::Priority::Critical),
                       IdentifiedEquipmentPanel::tr("Down"));
    case EquipmentStatus::Maintenance:
        return colours(ticketStatusBadge(domain::TicketStatus::Assigned),
                       IdentifiedEquipmentPanel::tr("Maintenance"));
    case EquipmentStatus::Retired:
        return colours(ticketStatusBadge(domain::TicketStatus::Closed),
                       IdentifiedEquipmentPanel::tr("Retired"));
    }
    return colours(ticketStatusBadge(domain::TicketStatus::Closed), status);
}

BadgeStyle criticalityBadge(const QString &criticality)
{
    using domain::Criticality;
    const auto colours = [](BadgeStyle from, const QString &text) {
        from.text = text;
        return from;
    };
    const auto parsed = domain::parseCriticality(criticality);
    if (!parsed)
        return colours(priorityBadge(domain::Priority::Low), criticality);
    switch (*parsed) {
    case Criticality::Low:
        return colours(priorityBadge(domain::Priority::Low),
                       IdentifiedEquipmentPanel::tr("Low criticality"));
    case Criticality::Medium:
        return colours(priorityBadge(domain::Priority::Normal),
                       IdentifiedEquipmentPanel::tr("Medium criticality"));
    case Criticality::High:
        return colours(priorityBadge(domain::Priority::High),
                       IdentifiedEquipmentPanel::tr("High criticality"));
    case Criticality::LifeSupport:
        return colours(priorityBadge(domain::Priority::Critical),
                       IdentifiedEquipmentPanel::tr("Life support"));
    }
    return colours(priorityBadge(domain::Priority::Low), criticality);
}

/// An open ticket: its status badge, then number and title.
class OpenTicketDelegate final : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override
    {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        const QString text = opt.text;
        opt.text.clear();
        const QWidget *widget = opt.widget;
        QStyle *style = widget ? widget->style() : nullptr;
        if (style)
            style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);
        QRect rect = opt.rect.adjusted(4, 0, -4, 0);
        painter->save();
        if (const auto status =
                domain::parseTicketStatus(index.data(OpenTicketsModel::StatusRole).toString())) {
            const int used = paintBadge(painter, rect, ticketStatusBadge(*status));
            rect.setLeft(rect.left() + used + 8);
        }
        painter->setPen(opt.palette.color(
            opt.state & QStyle::State_Selected ? QPalette::HighlightedText : QPalette::Text));
        painter->drawText(rect, Qt::AlignVCenter | Qt::AlignLeft,
                          opt.fontMetrics.elidedText(text, Qt::ElideRight, rect.width()));
        painter->restore();
    }

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QSize size = QStyledItemDelegate::sizeHint(option, index);
        const QSize badge =
            badgeSizeHint(option.fontMetrics, ticketStatusBadge(domain::TicketStatus::InProgress));
        size.setHeight(std::max(size.height(), badge.height() + 6));
        size.setWidth(size.width() + badge.width() + 8);
        return size;
    }
};

QLabel *valueLabel(const QString &objectName, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    // Server data (names typed by people, serials from labels) is never markup.
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    return label;
}

QString orDash(const QString &text)
{
    return text.trimmed().isEmpty() ? IdentifiedEquipmentPanel::tr("—") : text;
}

} // namespace

IdentifiedEquipmentPanel::IdentifiedEquipmentPanel(const ViewContext &context, QWidget *parent)
    : QWidget(parent), m_context(context)
{
    setObjectName(u"identifiedEquipment"_s);
    setAccessibleName(tr("Identified equipment"));
    auto *layout = new QVBoxLayout(this);

    auto *heading = new QHBoxLayout;
    m_name = valueLabel(u"equipmentName"_s, this);
    QFont big = m_name->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    big.setBold(true);
    m_name->setFont(big);
    heading->addWidget(m_name, 1);
    m_status = new BadgeLabel(this);
    m_status->setObjectName(u"equipmentStatusBadge"_s);
    heading->addWidget(m_status, 0, Qt::AlignVCenter);
    m_criticality = new BadgeLabel(this);
    m_criticality->setObjectName(u"equipmentCriticalityBadge"_s);
    heading->addWidget(m_criticality, 0, Qt::AlignVCenter);
    layout->addLayout(heading);

    auto *form = new QFormLayout;
    m_model = valueLabel(u"equipmentModel"_s, this);
    m_serial = valueLabel(u"equipmentSerial"_s, this);
    m_hospital = valueLabel(u"equipmentHospital"_s, this);
    m_location = valueLabel(u"equipmentLocation"_s, this);
    m_code = valueLabel(u"equipmentCode"_s, this);
    form->addRow(tr("Model:"), m_model);
    form->addRow(tr("Serial number:"), m_serial);
    form->addRow(tr("Hospital:"), m_hospital);
    form->addRow(tr("Location:"), m_location);
    form->addRow(tr("Label code:"), m_code);
    layout->addLayout(form);

    auto *ticketsHeading = new QHBoxLayout;
    auto *ticketsLabel = new QLabel(tr("&Open tickets"), this);
    QFont bold = ticketsLabel->font();
    bold.setBold(true);
    ticketsLabel->setFont(bold);
    ticketsHeading->addWidget(ticketsLabel, 1);
    m_report = new QPushButton(tr("&Report a problem…"), this);
    m_report->setObjectName(u"reportProblemButton"_s);
    m_report->setToolTip(tr("Create a ticket for this equipment"));
    m_report->setVisible(m_context.session && m_context.session->may(Permission::TicketsCreate));
    ticketsHeading->addWidget(m_report);
    // A worn or missing label is often why the device was scanned by hand: reprint it.
    auto *printLabel = new QPushButton(tr("Print &label…"), this);
    printLabel->setObjectName(u"printLabelButton"_s);
    printLabel->setToolTip(tr("Print or export this equipment's QR label"));
    ticketsHeading->addWidget(printLabel);
    connect(printLabel, &QPushButton::clicked, this, [this] {
        auto *dialog = new LabelSheetDialog(m_context, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setEquipment({m_equipment});
        dialog->show();
    });
    layout->addLayout(ticketsHeading);

    m_tickets = new OpenTicketsModel(this);
    m_ticketList = new QListView(this);
    m_ticketList->setObjectName(u"openTicketsList"_s);
    m_ticketList->setAccessibleName(tr("Open tickets of this equipment"));
    m_ticketList->setModel(m_tickets);
    m_ticketList->setItemDelegate(new OpenTicketDelegate(m_ticketList));
    m_ticketList->setUniformItemSizes(true);
    m_ticketList->setEditTriggers(QAbstractItemView::NoEditTriggers);
    ticketsLabel->setBuddy(m_ticketList);
    m_ticketState = new StateWidget(m_ticketList, this);
    m_ticketState->setObjectName(u"openTicketsState"_s);
    layout->addWidget(m_ticketState, 1);
    connect(m_ticketState, &StateWidget::retryRequested, this,
            &IdentifiedEquipmentPanel::reloadTickets);
    connect(m_ticketList, &QListView::activated, this, &IdentifiedEquipmentPanel::openTicketAt);

    m_confirmation = valueLabel(u"reportConfirmation"_s, this);
    m_confirmation->hide();
    layout->addWidget(m_confirmation);

    connect(m_report, &QPushButton::clicked, this, &IdentifiedEquipmentPanel::reportProblem);
}

IdentifiedEquipmentPanel::~IdentifiedEquipmentPanel() = default;

QString IdentifiedEquipmentPanel::equipmentId() const
{
    return m_equipment.value(u"id"_s).toString();
}

NewTicketDialog *IdentifiedEquipmentPanel::newTicketDialog() const
{
    return m_newTicket;
}

QString IdentifiedEquipmentPanel::confirmation() const
{
    return m_confirmation->isHidden() ? QString() : m_confirmation->text();
}

void IdentifiedEquipmentPanel::clearEquipment()
{
    m_equipment = {};
    ++m_ticketGeneration;
    ++m_hospitalGeneration;
    m_loadingTickets = false;
    m_tickets->clear();
    m_confirmation->clear();
    m_confirmation->hide();
    for (QLabel *label : {m_name, m_model, m_serial, m_hospital, m_location, m_code})
        label->clear();
    m_status->setBadge({});
    m_criticality->setBadge({});
}

void IdentifiedEquipmentPanel::setEquipment(const QJsonObject &equipment)
{
    const bool same =
        !equipmentId().isEmpty() && equipment.value(u"id"_s).toString() == equipmentId();
    m_equipment = equipment;
    if (!same) {
        m_confirmation->clear();
        m_confirmation->hide();
    }
    m_name->setText(equipment.value(u"name"_s).toString());
    m_model->setText(orDash(equipment.value(u"model"_s).toString()));
    m_serial->setText(orDash(equipment.value(u"serial_number"_s).toString()));
    m_code->setText(orDash(equipment.value(u"qr_code"_s).toString()));
    QStringList place;
    for (const QString &key : {u"department"_s, u"room"_s}) {
        const QString part = equipment.value(key).toString().trimmed();
        if (!part.isEmpty())
            place.append(part);
    }
    m_location->setText(place.isEmpty() ? tr("Not recorded") : place.join(u" · "_s));
    m_status->setBadge(equipmentStatusBadge(equipment.value(u"status"_s).toString()));
    m_criticality->setBadge(criticalityBadge(equipment.value(u"criticality"_s).toString()));
    showHospital();
    reloadTickets();
}

void IdentifiedEquipmentPanel::showHospital()
{
    const QString id = m_equipment.value(u"organization_id"_s).toString();
    if (id.isEmpty()) {
        m_hospital->setText(tr("—"));
        return;
    }
    if (m_hospitalNames.contains(id)) {
        m_hospital->setText(m_hospitalNames.value(id));
        return;
    }
    m_hospital->setText(tr("Loading…"));
    if (!m_context.api)
        return;
    const quint64 generation = ++m_hospitalGeneration;
    m_context.api->get(u"/v1/organizations/"_s + id, {}, this,
                       [this, generation, id](const client::ApiResult &result) {
                           if (generation != m_hospitalGeneration)
                               return;
                           if (!result.ok()) {
                               m_hospital->setText(
                                   tr("Not available (%1)").arg(result.error.userMessage()));
                               return;
                           }
                           const QString name = result.json.value(u"name"_s).toString();
                           m_hospitalNames.insert(id, name);
                           m_hospital->setText(orDash(name));
                       });
}

void IdentifiedEquipmentPanel::reloadTickets()
{
    const QString id = equipmentId();
    if (id.isEmpty() || !m_context.api)
        return;
    const quint64 generation = ++m_ticketGeneration;
    m_loadingTickets = true;
    if (m_tickets->rowCount() == 0)
        m_ticketState->showLoading(tr("Loading the open tickets…"));
    QUrlQuery query;
    query.addQueryItem(u"equipment_id"_s, id);
    query.addQueryItem(u"status"_s, kOpenStatuses);
    query.addQueryItem(u"limit"_s, QString::number(kMaxOpenTickets));
    m_context.api->get(
        u"/v1/tickets"_s, query, this, [this, generation](const client::ApiResult &result) {
            if (generation != m_ticketGeneration)
                return;
            m_loadingTickets = false;
            if (!result.ok()) {
                m_tickets->clear();
                m_ticketState->showError(
                    tr("The open tickets could not be loaded: %1").arg(result.error.userMessage()));
                Q_EMIT ticketsLoaded();
                return;
            }
            QList<QJsonObject> tickets;
            for (const QJsonValue &t : result.json.value(u"data"_s).toArray())
                tickets.append(t.toObject());
            m_tickets->setTickets(tickets);
            if (tickets.isEmpty())
                m_ticketState->showEmpty(tr("No open tickets for this equipment."));
            else
                m_ticketState->showContent();
            Q_EMIT ticketsLoaded();
        });
}

void IdentifiedEquipmentPanel::openTicketAt(const QModelIndex &index)
{
    const QString id = index.data(OpenTicketsModel::IdRole).toString();
    if (!id.isEmpty())
        Q_EMIT ticketActivated(id);
}

void IdentifiedEquipmentPanel::reportProblem()
{
    if (equipmentId().isEmpty() || !m_context.session ||
        !m_context.session->may(Permission::TicketsCreate))
        return;
    if (m_newTicket) {
        m_newTicket->raise();
        m_newTicket->activateWindow();
        return;
    }
    auto *dialog = new NewTicketDialog(m_context, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_newTicket = dialog;
    dialog->preselectEquipment(m_equipment);
    const QString equipmentAtOpen = equipmentId();
    connect(dialog, &NewTicketDialog::created, this,
            [this, equipmentAtOpen](const QJsonObject &ticket) {
                if (equipmentAtOpen != equipmentId())
                    return;
                m_confirmation->setText(tr("Ticket %1 was created for this equipment.")
                                            .arg(ticket.value(u"number"_s).toString()));
                m_confirmation->show();
                reloadTickets();
                Q_EMIT ticketCreated(ticket);
            });
    dialog->open();
}

} // namespace md::ui
