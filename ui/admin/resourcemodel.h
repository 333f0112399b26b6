#pragma once

#include "apiresult.h"
#include "resourcedescriptor.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMap>

namespace md::client {
class ApiClient;
}

namespace md::ui {

/// The rows of one list endpoint (ResourceDescriptor::path) as a table whose columns the
/// descriptor describes. Searching (q) and filtering happen on the server; rows arrive a
/// page (200) at a time through canFetchMore()/fetchMore(), so a view loads more as the
/// user scrolls. The lists are small enough (thousands) to keep the JSON objects as rows.
/// Each new query bumps a generation counter, and answers to an older query are dropped:
/// typing "abc" quickly never shows the rows for "ab" last.
class ResourceModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Roles
    {
        SortRole = Qt::UserRole, // the column's sort value
        ObjectRole,              // the row's QJsonObject
        IdRole                   // the row's "id"
    };
    static constexpr int PageSize = 200;

    ResourceModel(client::ApiClient *api, ResourceDescriptor descriptor, QObject *parent = nullptr);
    ~ResourceModel() override;

    const ResourceDescriptor &descriptor() const { return m_descriptor; }

    /// Both start a new query when the value changes: the rows go at once (they belong to
    /// the old query) and the first page is asked for. An empty value removes a filter.
    void setSearch(const QString &text);
    QString search() const { return m_search; }
    void setFilter(const QString &param, const QString &value);
    QString filter(const QString &param) const { return m_filters.value(param); }

    /// Asks for the first page again; the current rows stay until the answer arrives.
    void reload();
    /// Like reload(), but asks for as many rows as are loaded now (up to the API's 500),
    /// so a live refresh does not shrink what the user scrolled through.
    void refresh();
    /// Repeats the request that failed.
    void retry();

    /// page.total of the last answer; -1 before the first one.
    qint64 total() const { return m_total; }
    bool isLoading() const { return m_loading; }
    /// An answer for the current query has arrived.
    bool hasLoaded() const { return m_loaded; }
    const client::ApiError &lastError() const { return m_error; }

    QJsonObject object(int row) const;
    int rowOf(const QString &id) const { return m_rowOfId.value(id, -1); }
    /// Replaces the loaded row with this object's id (after an edit, or a live event);
    /// false when no such row is loaded.
    bool updateObject(const QJsonObject &object);
    /// Names for the columns that show an organization.
    void setOrganizationNames(const QHash<QString, QString> &names);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    /// The text a column shows for a row (also used for sorting by default).
    QString displayText(const QJsonObject &row, int column) const;

Q_SIGNALS:
    void loadingChanged(bool loading);
    /// A page of the current query arrived (the first one replaced the rows).
    void pageLoaded();
    void loadFailed(const client::ApiError &error);

private:
    void startQuery();
    void request(int offset, int limit);
    void setLoading(bool loading);
    void rebuildIndex();

    client::ApiClient *m_api;
    ResourceDescriptor m_descriptor;
    QList<QJsonObject> m_rows;
    QHash<QString, int> m_rowOfId;
    QHash<QString, QString> m_organizationNames;
    QString m_search;
    QMap<QString, QString> m_filters;
    qint64 m_total = -1;
    quint64 m_generation = 0;
    int m_nextOffset = 0;
    int m_failedOffset = -1;
    int m_failedLimit = PageSize;
    client::ApiError m_error;
    bool m_loading = false;
    bool m_loaded = false;
};

} // namespace md::ui
