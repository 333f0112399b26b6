#pragma once

#include "common/viewcontext.h"

#include <QWidget>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSplitter;
class QTableView;
class QTimer;

namespace md::client {
struct ApiError;
}

namespace md::ui {

class StateWidget;
class TicketDetailView;
class TicketFilterModel;
class TicketModel;

/// The tickets workspace: search (Ctrl+F), server-side filters (status, priority,
/// organization, tier), the incrementally loaded table with its badges, the loaded/total
/// progress, and the selected ticket's detail beside it. "New ticket" (Ctrl+N) for the
/// roles that may report. Live through the event stream; every 30 s it polls the newest
/// tickets instead while the stream is not live. Loading starts when first shown.
class TicketsView final : public QWidget
{
    Q_OBJECT
public:
    explicit TicketsView(const ViewContext &context, QWidget *parent = nullptr);
    ~TicketsView() override;

    TicketModel *model() const { return m_model; }
    TicketFilterModel *proxy() const { return m_proxy; }
    QTableView *table() const { return m_table; }
    TicketDetailView *detailView() const { return m_detail; }

    /// Selects the ticket in the table when it is listed, and shows its detail.
    void selectTicket(const QString &id);
    /// Names and tickets again from the server.
    void reload();

Q_SIGNALS:
    void ticketSelected(const QString &id);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void buildFilters();
    void loadNames(const QString &path, int offset);
    void applyFilters();
    void updateState();
    void updateProgress();
    void modelError(const client::ApiError &error);
    void currentRowChanged();
    void openNewTicket();
    void poll();

    ViewContext m_context;
    TicketModel *m_model = nullptr;
    TicketFilterModel *m_proxy = nullptr;
    QLineEdit *m_search = nullptr;
    QTimer *m_searchDebounce = nullptr;
    QComboBox *m_statusFilter = nullptr;
    QComboBox *m_priorityFilter = nullptr;
    QComboBox *m_organizationFilter = nullptr;
    QComboBox *m_tierFilter = nullptr;
    QAction *m_newTicketAction = nullptr;
    QPushButton *m_newTicketButton = nullptr;
    QLabel *m_progress = nullptr;
    QPushButton *m_continueButton = nullptr;
    QTableView *m_table = nullptr;
    StateWidget *m_state = nullptr;
    QSplitter *m_splitter = nullptr;
    TicketDetailView *m_detail = nullptr;
    QTimer *m_pollTimer = nullptr;
    QString m_errorMessage;
    QString m_shownId;
    bool m_started = false;
};

} // namespace md::ui
