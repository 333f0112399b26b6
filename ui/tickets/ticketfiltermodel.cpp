#include "ticketfiltermodel.h"

namespace md::ui {

TicketFilterModel::TicketFilterModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortRole(TicketModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setFilterCaseSensitivity(Qt::CaseInsensitive);
}

void TicketFilterModel::setSourceModel(QAbstractItemModel *model)
{
    if (m_tickets)
        disconnect(m_tickets, nullptr, this, nullptr);
    m_tickets = qobject_cast<TicketModel *>(model);
    Q_ASSERT(m_tickets || !model);
    QSortFilterProxyModel::setSourceModel(model);
    m_search = m_tickets ? m_tickets->prepareSearch(m_searchText) : TicketModel::Search{};
    if (m_tickets) {
        // New names can make rows match (or stop matching) the current search.
        connect(m_tickets, &TicketModel::namesChanged, this, [this] {
            if (m_searchText.isEmpty())
                return;
            m_search = m_tickets->prepareSearch(m_searchText);
            invalidate();
        });
    }
}

void TicketFilterModel::setSearchText(const QString &text)
{
    const QString search = text.trimmed();
    if (search == m_searchText)
        return;
    m_searchText = search;
    m_search = m_tickets ? m_tickets->prepareSearch(search) : TicketModel::Search{};
    // A new search changes rows all over the table: filtering row by row
    // (invalidateRowsFilter) would announce thousands of scattered removals one interval
    // at a time, which takes seconds at 100k rows; one layout change rebuilds the mapping
    // (filter, then sort what is left) in a single pass.
    invalidate();
}

bool TicketFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_search.isEmpty() || sourceParent.isValid() || !m_tickets)
        return true;
    return m_tickets->rowMatches(sourceRow, m_search);
}

bool TicketFilterModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    if (!m_tickets || sortRole() != TicketModel::SortRole)
        return QSortFilterProxyModel::lessThan(left, right);
    return m_tickets->lessThan(left.column(), left.row(), right.row());
}

} // namespace md::ui
