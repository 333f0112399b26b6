#pragma once

#include "common/viewcontext.h"
#include "organizationcard.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QSet>
#include <QTimer>
#include <QWidget>
#include <optional>

class QBarCategoryAxis;
class QBarSet;
class QChart;
class QChartView;
class QComboBox;
class QLabel;
class QLineEdit;
class QPieSeries;
class QPieSlice;
class QValueAxis;

namespace md::client {
struct ApiError;
}

namespace md::ui {

class FlowLayout;
class KpiTile;
class StateWidget;

/// The dashboard: KPI tiles and charts from GET /v1/dashboard, and a card per
/// organization from GET /v1/organizations?include_counts=true. It follows the server's
/// event stream while that is live (a burst of changes becomes one refresh of the KPIs
/// and of the organizations it touched, about 300 ms later) and polls every 30 s when
/// there is no live stream. After the first load, refreshes replace the figures in
/// place: the view never falls back to its loading page, and a failed refresh keeps the
/// last figures with a note saying since when they are stale.
///
/// objectNames: "kpi_open_tickets", "kpi_sla_breached", "kpi_sla_at_risk",
/// "kpi_mean_time_to_assign_minutes", "kpi_mean_time_to_resolve_minutes",
/// "kpi_engineers_count" (KpiTile); "priorityChart",
/// "statusChart" (QChartView); "orgCard_<id>" (OrganizationCard); "orgCardFilter",
/// "orgTypeFilter", "orgCardCount", "orgCardsEmpty", "liveIndicator",
/// "dashboardRefresh", "dashboardState" (the view's StateWidget).
class DashboardView final : public QWidget
{
    Q_OBJECT
public:
    explicit DashboardView(const ViewContext &context, QWidget *parent = nullptr);
    ~DashboardView() override;

    /// Fetches everything again (KPIs and all organizations), keeping what is shown.
    void reload();
    /// The fallback polling period while there is no live event stream (default 30 s).
    void setPollInterval(int milliseconds);
    int pollInterval() const { return m_pollTimer.interval(); }
    /// True while changes arrive through the live event stream (no polling).
    bool isLive() const;
    OrganizationCard *card(const QString &organizationId) const;

Q_SIGNALS:
    /// After every refresh that completed (the first load and each update).
    void loaded();
    /// A card was activated (Enter or double click).
    void organizationActivated(const QString &organizationId);

protected:
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    // What the next refresh has to fetch; requests arriving while one runs merge here.
    struct Work
    {
        bool kpis = false;
        bool allOrganizations = false;
        QSet<QString> organizations; // single cards, when not all of them
        bool isEmpty() const { return !kpis && !allOrganizations && organizations.isEmpty(); }
        void merge(const Work &other);
    };
    // The refresh in flight and what it has gathered so far; applied all at once.
    struct Running
    {
        Work work;
        int outstanding = 0;
        std::optional<QJsonObject> dashboard;
        QList<OrganizationSummary> organizations; // all of them, page by page
        QList<OrganizationSummary> updated;       // single cards
        QStringList removed;                      // single cards now gone (404)
        QString error;                            // first failure, user sentence
    };

    void buildUi();
    QWidget *buildCharts(QWidget *parent);
    void schedule(const Work &work, bool debounce);
    void startRefresh();
    void fetchOrganizationsPage(int offset);
    void partDone();
    void finishRefresh();
    void applyDashboard(const QJsonObject &json);
    void applyOrganizations(const QList<OrganizationSummary> &all);
    void applyOrganization(const OrganizationSummary &summary);
    void removeOrganization(const QString &organizationId);
    void sortCards();
    void applyFilter();
    void applyChartTheme();
    void onEvent(const QString &type, const QJsonObject &data);
    void updateLiveMode();
    void updateIndicator();
    void onReachable(bool reachable);

    ViewContext m_context;
    StateWidget *m_state = nullptr;
    QLabel *m_indicator = nullptr;
    QHash<QString, KpiTile *> m_tiles; // by wire name
    QWidget *m_chartsRow = nullptr;
    QChartView *m_priorityView = nullptr;
    QChartView *m_statusView = nullptr;
    QChart *m_priorityChart = nullptr;
    QChart *m_statusChart = nullptr;
    QList<QBarSet *> m_prioritySets; // critical, high, normal, low
    QBarCategoryAxis *m_priorityAxis = nullptr;
    QValueAxis *m_countAxis = nullptr;
    QPieSeries *m_statusSeries = nullptr;
    QList<QPieSlice *> m_statusSlices; // in the order of kStatuses
    QLineEdit *m_filter = nullptr;
    QComboBox *m_typeFilter = nullptr;
    QLabel *m_cardCount = nullptr;
    QWidget *m_cardsScroll = nullptr;
    QLabel *m_cardsEmpty = nullptr;
    QWidget *m_cardsContainer = nullptr;
    FlowLayout *m_cardsLayout = nullptr;
    QHash<QString, OrganizationCard *> m_cards;

    Work m_pending;
    std::optional<Running> m_running;
    QTimer m_debounce;
    QTimer m_pollTimer;
    bool m_hasData = false;
    bool m_staleWhileHidden = false;
    bool m_wasLive = false;
    QDateTime m_lastUpdated;
    QString m_lastError;
};

} // namespace md::ui
