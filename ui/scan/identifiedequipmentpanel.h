#pragma once

#include "apiresult.h"
#include "common/viewcontext.h"

#include <QHash>
#include <QJsonObject>
#include <QPointer>
#include <QWidget>

class QLabel;
class QListView;
class QPushButton;

namespace md::ui {

class BadgeLabel;
class NewTicketDialog;
class OpenTicketsModel;
class StateWidget;

/// The equipment a scan identified ("identifiedEquipment"): name, model, serial number,
/// owner hospital, status and criticality badges, location, and its open tickets
/// (GET /v1/tickets?equipment_id=…, not resolved, closed or cancelled) in a list whose
/// items open the ticket (ticketActivated). "Report a problem" ("reportProblemButton",
/// only with tickets.create) opens the new-ticket dialog with the equipment chosen; once
/// the ticket exists its number is confirmed here and the list is loaded again.
/// Everything shown comes from the server as text and is shown as plain text.
class IdentifiedEquipmentPanel final : public QWidget
{
    Q_OBJECT
public:
    explicit IdentifiedEquipmentPanel(const ViewContext &context, QWidget *parent = nullptr);
    ~IdentifiedEquipmentPanel() override;

    void setEquipment(const QJsonObject &equipment);
    void clearEquipment();
    QJsonObject equipment() const { return m_equipment; }
    QString equipmentId() const;

    OpenTicketsModel *openTickets() const { return m_tickets; }
    QListView *openTicketsView() const { return m_ticketList; }
    /// True from a request for the open tickets until its answer.
    bool isLoadingTickets() const { return m_loadingTickets; }
    /// The new-ticket dialog while it is open (tests).
    NewTicketDialog *newTicketDialog() const;
    /// The confirmation after a ticket was created, empty otherwise.
    QString confirmation() const;

public Q_SLOTS:
    void reloadTickets();
    void reportProblem();

Q_SIGNALS:
    void ticketActivated(const QString &ticketId);
    void ticketCreated(const QJsonObject &ticket);
    void ticketsLoaded();

private:
    void showHospital();
    void openTicketAt(const QModelIndex &index);

    ViewContext m_context;
    QJsonObject m_equipment;
    QLabel *m_name = nullptr;
    BadgeLabel *m_status = nullptr;
    BadgeLabel *m_criticality = nullptr;
    QLabel *m_model = nullptr;
    QLabel *m_serial = nullptr;
    QLabel *m_hospital = nullptr;
    QLabel *m_location = nullptr;
    QLabel *m_code = nullptr;
    QLabel *m_confirmation = nullptr;
    QPushButton *m_report = nullptr;
    OpenTicketsModel *m_tickets = nullptr;
    QListView *m_ticketList = nullptr;
    StateWidget *m_ticketState = nullptr;
    QPointer<NewTicketDialog> m_newTicket;
    QHash<QString, QString> m_hospitalNames; // organization id -> name, as fetched
    quint64 m_ticketGeneration = 0;
    quint64 m_hospitalGeneration = 0;
    bool m_loadingTickets = false;
};

} // namespace md::ui
