#pragma once

#include "ticketmodel.h"

#include <QSortFilterProxyModel>

namespace md::ui {

/// The ticket table's search and sort. The search is a case-insensitive fixed string
/// over number, title, organization name and engineer name; organizations and
/// engineers are matched once per search (by name table) rather than once per row, and
/// rows are tested straight on TicketModel's rows. Sorting compares the same raw values
/// as TicketModel::SortRole, without building a QVariant per comparison: both keep a
/// 100k-row table within the time of a keystroke.
class TicketFilterModel final : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit TicketFilterModel(QObject *parent = nullptr);

    /// Must be a TicketModel.
    void setSourceModel(QAbstractItemModel *model) override;
    TicketModel *ticketModel() const { return m_tickets; }

    void setSearchText(const QString &text);
    QString searchText() const { return m_searchText; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    TicketModel *m_tickets = nullptr;
    QString m_searchText;
    TicketModel::Search m_search;
};

} // namespace md::ui
