#pragma once

#include "apiresult.h"
#include "domain/enums.h"

#include <QAbstractListModel>
#include <QJsonObject>
#include <QList>
#include <QPointer>
#include <QStringList>
#include <optional>

namespace md::client {
class ApiClient;
}

namespace md::ui {

/// The ranked engineers the server suggests for one ticket
/// (GET /v1/engineers/suggestions?ticket_id=&limit=50), in the server's order (best
/// first; the first is the recommended one). One row per suggestion; the roles carry
/// every piece the selection card shows. A load replaces the rows in one reset; an
/// answer to an older request than the latest is dropped.
class SuggestionModel final : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role
    {
        EngineerIdRole = Qt::UserRole + 1,
        NameRole,
        ScoreRole,            // int 0..100
        TierRole,             // int 1..4 (domain::AssignmentTier)
        LevelRole,            // int 1..3 (domain::EngineerLevel)
        CertifiedRole,        // bool: a valid certification covers this equipment
        RecommendedRole,      // bool: the engine's top match
        CurrentRole,          // bool: the engineer the ticket has now
        OrganizationRole,     // organization name
        OrganizationTypeRole, // wire name ("manufacturer", ...)
        LocationRole,         // "12.3 km from the hospital", coordinates, or "Location unknown"
        PhoneRole,
        EmailRole,
        ContactRole,         // "phone · e-mail", what is known of the two
        CategoriesRole,      // QStringList of equipment types, translated
        OpenAssignmentsRole, // int
        BreakdownRole,       // QJsonObject score_breakdown
        JsonRole,            // QJsonObject: the whole suggestion as the server sent it
    };
    Q_ENUM(Role)

    struct Suggestion
    {
        QString engineerId;
        QString name;
        int score = 0;
        domain::AssignmentTier tier = domain::AssignmentTier::HospitalBme;
        domain::EngineerLevel level = domain::EngineerLevel::L1;
        bool recommended = false;
        bool certified = false;
        QString organizationName;
        QString organizationType;
        std::optional<double> latitude;
        std::optional<double> longitude;
        std::optional<double> distanceKm;
        QString phone;
        QString email;
        QStringList categories; // wire names
        int openAssignments = 0;
        QJsonObject breakdown;
        QJsonObject json;
    };

    explicit SuggestionModel(client::ApiClient *api, QObject *parent = nullptr);
    ~SuggestionModel() override;

    /// Fetches the suggestions for a ticket; rows of another ticket are dropped at once.
    void load(const QString &ticketId);
    void reload();
    QString ticketId() const { return m_ticketId; }
    bool isLoading() const { return m_loading; }
    /// The minimum level the ticket's priority needs ("L1".."L3"), from the last answer.
    QString requiredLevel() const { return m_requiredLevel; }
    /// How many engineers are eligible in all (the page may hold fewer).
    int total() const { return m_total; }
    /// Marks the engineer the ticket is assigned to now (CurrentRole).
    void setCurrentEngineerId(const QString &engineerId);
    QString currentEngineerId() const { return m_currentEngineerId; }

    const Suggestion *suggestionAt(int row) const;
    int rowOf(const QString &engineerId) const;

    /// The rows of a suggestions answer, in its order; entries it cannot read are skipped.
    static QList<Suggestion> parse(const QJsonObject &body);
    /// A translated label for an equipment category wire name ("patient_monitor").
    static QString categoryLabel(const QString &category);
    /// One sentence for screen readers and tooltips summarizing the card.
    static QString summary(const Suggestion &suggestion, bool current);
    static QString locationText(const Suggestion &suggestion);
    /// "1 open assignment", "3 open assignments".
    static QString openAssignmentsText(int count);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void loadingChanged(bool loading);
    /// A load finished: the rows are in place (possibly none).
    void loaded();
    /// A load failed; the rows are unchanged.
    void failed(const md::client::ApiError &error);

private:
    void setLoading(bool loading);
    void apply(const client::ApiResult &result);

    QPointer<client::ApiClient> m_api;
    QList<Suggestion> m_rows;
    QString m_ticketId;
    QString m_requiredLevel;
    QString m_currentEngineerId;
    int m_total = 0;
    quint64 m_request = 0; // the latest request; older answers are ignored
    bool m_loading = false;
};

} // namespace md::ui
