#pragma once

#include "apiresult.h"
#include "domain/enums.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QPointer>

namespace md::client {
class ApiClient;
}

namespace md::ui {

/// A ticket's assignments (GET /v1/tickets/{id}/assignments/history), newest first as the
/// server sends them, with the summary counts. A load replaces the rows in one reset; an
/// answer to an older request than the latest is dropped.
class AssignmentHistoryModel final : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role
    {
        AssignmentIdRole = Qt::UserRole + 1,
        EngineerIdRole,
        EngineerNameRole,
        EngineerLevelRole,  // int 1..3, 0 when unknown
        OrganizationRole,   // organization name
        TierRole,           // int 1..4 (domain::AssignmentTier)
        StatusRole,         // int (domain::AssignmentStatus)
        StatusNameRole,     // wire name ("active", ...)
        AssignedAtRole,     // QDateTime (UTC)
        EndedAtRole,        // QDateTime, invalid while active
        AssignedByRole,     // what the server says: a user id or an actor name
        AssignedByTextRole, // "by you", "by dispatcher", "by user 1a2b3c4d"
        ReasonRole,
        MatchScoreRole, // int, -1 when not recorded
        TimesTextRole,  // "Assigned 3 Mar 2026 14:05 · ended 4 Mar 2026 09:10", local time
    };
    Q_ENUM(Role)

    struct Entry
    {
        QString id;
        QString engineerId;
        QString engineerName;
        int engineerLevel = 0;
        QString organizationName;
        domain::AssignmentTier tier = domain::AssignmentTier::HospitalBme;
        domain::AssignmentStatus status = domain::AssignmentStatus::Active;
        QString statusName;
        QDateTime assignedAt;
        QDateTime endedAt;
        QString assignedBy;
        QString assignedByName; // the user's name, when assigned_by is a user
        QString reason;
        int matchScore = -1;
    };

    struct Summary
    {
        int total = 0;
        int active = 0;
        int completed = 0;
        int reassigned = 0;
        int cancelled = 0;
    };

    explicit AssignmentHistoryModel(client::ApiClient *api, QObject *parent = nullptr);
    ~AssignmentHistoryModel() override;

    /// Fetches a ticket's history; rows of another ticket are dropped at once.
    void load(const QString &ticketId);
    void reload();
    QString ticketId() const { return m_ticketId; }
    bool isLoading() const { return m_loading; }
    /// Whether at least one load of the current ticket succeeded.
    bool hasLoaded() const { return m_hasLoaded; }
    const Summary &summary() const { return m_summary; }
    /// "3 assignments · 1 active · 1 completed · 1 reassigned" (zero counts left out).
    QString summaryText() const;
    /// The signed-in user's id: their own assignments read "by you".
    void setCurrentUserId(const QString &userId) { m_currentUserId = userId; }

    const Entry *entryAt(int row) const;
    static QList<Entry> parse(const QJsonObject &body);
    static Summary parseSummary(const QJsonObject &body);
    QString assignedByText(const Entry &entry) const;
    static QString timesText(const Entry &entry);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void loadingChanged(bool loading);
    void loaded();
    /// A load failed; the rows are unchanged.
    void failed(const md::client::ApiError &error);

private:
    void setLoading(bool loading);
    void apply(const client::ApiResult &result);

    QPointer<client::ApiClient> m_api;
    QList<Entry> m_rows;
    Summary m_summary;
    QString m_ticketId;
    QString m_currentUserId;
    quint64 m_request = 0;
    bool m_loading = false;
    bool m_hasLoaded = false;
};

} // namespace md::ui
