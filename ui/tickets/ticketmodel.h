#pragma once

#include "apiresult.h"
#include "domain/enums.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>
#include <QPointer>
#include <QStringList>
#include <QUrlQuery>
#include <QUuid>
#include <map>
#include <vector>

namespace md::client {
class ApiClient;
}

namespace md::ui {

/// The ticket table's model: every ticket the server lists for the current filters, in
/// a compact form so that 100k tickets stay small (a row is 96 bytes plus its number
/// and title; organizations and engineers are interned to small integers and named by
/// tables the view fills from /v1/organizations and /v1/engineers).
///
/// Loading is incremental: GET /v1/tickets pages of 500, one after another, with the
/// server-side filters; each page is turned into rows on a worker thread and appended
/// on the UI thread. A reload makes earlier pages stale (a generation counter), so a
/// page of a superseded load is dropped. Live changes arrive through applyTicket().
class TicketModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        NumberColumn,
        TitleColumn,
        OrganizationColumn,
        PriorityColumn,
        StatusColumn,
        SlaColumn,
        EngineerColumn,
        CreatedColumn,
        UpdatedColumn,
        ColumnCount
    };

    enum Role
    {
        /// Raw values to sort by: the priority rank (critical 0 … low 3), the status in
        /// life-cycle order, the SLA severity (none 0 … breached 3), times in ms since
        /// the epoch, names and numbers as text.
        SortRole = Qt::UserRole + 1,
        TicketIdRole,
        NumberRole,
        PriorityRole, // int(domain::Priority)
        StatusRole,   // int(domain::TicketStatus)
        SlaStateRole, // the SLA column's state as a wire name ("breached", …), or empty
        OrganizationIdRole,
        EngineerIdRole,
        CreatedAtRole, // QDateTime (UTC)
        UpdatedAtRole,
    };

    /// The SLA states of codecs.cpp, ordered by severity.
    enum class Sla : quint8
    {
        None,
        OnTrack,
        AtRisk,
        Breached
    };

    /// One ticket as the table needs it. Organizations and engineers are indices into
    /// the model's interning tables (0: none).
    struct Row
    {
        QUuid id;
        QString number;
        QString title;
        qint64 createdMs = 0;
        qint64 updatedMs = 0;
        quint32 organization = 0;
        quint32 engineer = 0;
        quint8 priority = quint8(domain::Priority::Normal);
        quint8 status = quint8(domain::TicketStatus::New);
        Sla slaResponse = Sla::None;
        Sla slaResolution = Sla::None;
    };

    /// Rows parsed off the UI thread. Their organization and engineer indices refer to
    /// the page's own id lists (index i + 1 is ids[i]); appendParsedRows() maps them onto
    /// the model's tables.
    struct Page
    {
        std::vector<Row> rows;
        QStringList organizationIds;
        QStringList engineerIds;
        int skipped = 0; // objects without a UUID id
    };

    /// The server-side filters of GET /v1/tickets (ticketscontroller.cpp list()).
    struct Filters
    {
        QString status;         // a wire name or a comma-separated list
        QString priority;       // a wire name
        QString organizationId; // the ticket's hospital
        int tier = 0;           // 1-4: the active assignment's tier; 0: any
        QUrlQuery query() const;
        bool operator==(const Filters &other) const = default;
    };

    static constexpr int PageSize = 500;

    explicit TicketModel(client::ApiClient *api, QObject *parent = nullptr);
    ~TicketModel() override;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    /// Rows from a list's "data" array (the JSON of codecs.cpp toJson(Ticket)). Pure:
    /// safe on any thread.
    static Page parsePage(const QJsonArray &data);
    /// The same from a body: {"data": [...], ...} or a bare array.
    static Page parsePage(const QByteArray &json);
    /// Appends the rows of a page; tickets already present are updated in place.
    void appendParsedRows(Page &&page);
    void clear();

    void setFilters(const Filters &filters);
    const Filters &filters() const { return m_filters; }
    /// Drops the rows and loads every page again with the current filters.
    void reload();
    /// After an error: carries on from the page that failed.
    void continueLoading();
    bool isLoading() const { return m_loading; }
    /// page.total of the latest page (-1 before the first answer).
    qint64 total() const { return m_total; }
    /// Tickets received from the server for the current load.
    int loaded() const { return m_received; }

    /// A "ticket.created" / "ticket.updated" event's (or a PATCH answer's) ticket:
    /// updated in place when present; inserted when it matches the filters that can be
    /// checked here; removed when it no longer matches them. True when rows changed.
    bool applyTicket(const QJsonObject &ticket);

    /// id -> name; unknown ids show empty until named.
    void setOrganizationNames(const QHash<QString, QString> &names);
    void setEngineerNames(const QHash<QString, QString> &names);
    QString organizationName(const QString &id) const;
    QString engineerName(const QString &id) const;

    int rowForId(const QString &id) const;
    QString ticketId(int row) const;
    const Row &row(int row) const { return m_rows[size_t(row)]; }

    /// The comparison of SortRole values without building QVariants (the proxy's sort).
    bool lessThan(int column, int left, int right) const;
    /// A prepared case-insensitive search over number, title, organization and
    /// engineer name: organizations and engineers are matched once (by name table), not
    /// once per row, and an ASCII needle is compared without Unicode case folding.
    struct Search
    {
        QString needle;
        QString asciiLower;                 // the needle in lower case when it is ASCII, else empty
        std::vector<char> organizationHits; // by interned index
        std::vector<char> engineerHits;
        bool isEmpty() const { return needle.isEmpty(); }
    };
    Search prepareSearch(const QString &needle) const;
    bool rowMatches(int row, const Search &search) const;

    /// Rows and ids to expect (page.total): one allocation instead of repeated growth.
    void reserve(qsizetype rows);

    /// A time of the wire format ("2026-11-23T09:30:00.000Z") in ms since the epoch
    /// (0: none). The server's own shape is read directly; others via api::parseTime.
    static qint64 parseTimeMsecs(const QJsonValue &value);

    /// The SLA column's state: the worse of response and resolution while the ticket is
    /// open; afterwards only a breach is worth showing.
    static Sla slaState(const Row &row);
    static QString slaWireName(Sla state);

Q_SIGNALS:
    void loadingChanged(bool loading);
    /// Rows in the model, and page.total of the server (-1: not known yet).
    void progressChanged(int loaded, qint64 total);
    void errorOccurred(const md::client::ApiError &error);
    /// Every page of the current load is in.
    void loadFinished();
    /// Organization or engineer names changed (the proxy re-runs its search).
    void namesChanged();

private:
    struct Pending
    {
        Page page;
        int count = 0; // objects the server sent (rows + skipped)
        bool last = false;
    };

    void fetchPage(int offset);
    void pageArrived(quint64 generation, int offset, const client::ApiResult &result);
    void pageParsed(quint64 generation, int offset, Pending pending);
    void setLoading(bool loading);
    bool admits(const Row &row) const;
    void removeRow(int row);
    QVariant display(const Row &row, int column) const;
    QVariant sortValue(const Row &row, int column) const;
    QString toolTip(const Row &row, int column) const;
    QString timeText(qint64 msecs) const;

    QPointer<client::ApiClient> m_api;
    std::vector<Row> m_rows;
    QHash<QUuid, int> m_index;

    // Interned organizations and engineers: rows hold a small index instead of two
    // strings. Index 0 is "none"; ids[i] and names[i] describe index i.
    struct NameTable
    {
        QStringList ids{QString()};
        QStringList names{QString()};
        QHash<QString, quint32> index;
        quint32 intern(const QString &id);
    };
    NameTable m_organizations;
    NameTable m_engineers;

    Filters m_filters;
    quint64 m_generation = 0;
    bool m_loading = false;
    int m_appendOffset = 0; // the next page to append, in order
    int m_received = 0;
    qint64 m_total = -1;
    std::map<int, Pending> m_parsed; // pages parsed ahead of their turn
    int m_failedOffset = -1;
    QLocale m_locale;
    QString m_priorityText[4];
    QString m_statusText[7];
    QString m_slaText[4];
};

} // namespace md::ui
