#pragma once

#include "common/viewcontext.h"

#include <QJsonObject>
#include <QWidget>

class QFormLayout;
class QHBoxLayout;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QTreeWidget;

namespace md::client {
struct ApiResult;
}

namespace md::ui {

class AssignmentHistoryView;
class BadgeLabel;
class StateWidget;

/// One ticket: number, title, description, priority/status/SLA badges, reporter and
/// times; its equipment (GET /v1/equipment/{id}); its status history
/// (GET /v1/tickets/{id}/history) and assignment history. The status changes the state
/// machine allows ("allowed_statuses") are buttons "statusButton_<status>" for roles
/// that may update tickets (cancelling asks first); "Assign engineer" (Ctrl+Shift+A) for
/// roles that may assign when the ticket can take an assignment. Loading, empty
/// ("Select a ticket") and error states.
class TicketDetailView final : public QWidget
{
    Q_OBJECT
public:
    explicit TicketDetailView(const ViewContext &context, QWidget *parent = nullptr);
    ~TicketDetailView() override;

    void showTicket(const QString &id);
    /// The shown ticket again, without the loading page in between.
    void reload();
    void clear();
    QString ticketId() const { return m_id; }
    /// The ticket as last loaded (GET /v1/tickets/{id}).
    QJsonObject ticket() const { return m_ticket; }

Q_SIGNALS:
    /// The ticket is shown (after each load; tests wait on it).
    void loaded();
    /// This view changed the ticket (status change, assignment): the stored ticket.
    void ticketChanged(const QJsonObject &ticket);

private:
    void load(bool quiet);
    void showLoaded(const QJsonObject &ticket);
    void loadEquipment(const QString &equipmentId);
    void loadHistory();
    void rebuildActions();
    void requestStatus(const QString &status);
    void changeStatus(const QString &status);
    void openAssignDialog();
    QString timeText(const QJsonValue &value) const;

    ViewContext m_context;
    QString m_id;
    QJsonObject m_ticket;
    quint64 m_generation = 0;

    StateWidget *m_state = nullptr;
    QLabel *m_number = nullptr;
    QLabel *m_title = nullptr;
    BadgeLabel *m_priority = nullptr;
    BadgeLabel *m_status = nullptr;
    BadgeLabel *m_sla = nullptr;
    QHBoxLayout *m_actions = nullptr;
    QList<QPushButton *> m_statusButtons;
    QPushButton *m_assignButton = nullptr;
    QLabel *m_actionError = nullptr;
    QTabWidget *m_tabs = nullptr;
    QPlainTextEdit *m_description = nullptr;
    QFormLayout *m_facts = nullptr;
    QLabel *m_reporter = nullptr;
    QLabel *m_channel = nullptr;
    QLabel *m_created = nullptr;
    QLabel *m_updated = nullptr;
    QLabel *m_assignedAt = nullptr;
    QLabel *m_responseDue = nullptr;
    QLabel *m_resolutionDue = nullptr;
    QLabel *m_resolvedAt = nullptr;
    QLabel *m_closedAt = nullptr;
    QLabel *m_equipmentName = nullptr;
    QLabel *m_equipmentModel = nullptr;
    QLabel *m_equipmentSerial = nullptr;
    QLabel *m_equipmentManufacturer = nullptr;
    QLabel *m_equipmentLocation = nullptr;
    QLabel *m_equipmentCriticality = nullptr;
    QLabel *m_equipmentStatus = nullptr;
    QLabel *m_equipmentError = nullptr;
    QTreeWidget *m_history = nullptr;
    AssignmentHistoryView *m_assignments = nullptr;
};

} // namespace md::ui
