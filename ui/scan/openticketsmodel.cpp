#include "openticketsmodel.h"

#include "common/badges.h"
#include "domain/enums.h"

using namespace Qt::StringLiterals;

namespace md::ui {

OpenTicketsModel::OpenTicketsModel(QObject *parent) : QAbstractListModel(parent) {}

void OpenTicketsModel::setTickets(const QList<QJsonObject> &tickets)
{
    beginResetModel();
    m_tickets = tickets;
    endResetModel();
}

void OpenTicketsModel::clear()
{
    setTickets({});
}

QJsonObject OpenTicketsModel::ticket(int row) const
{
    return row >= 0 && row < m_tickets.size() ? m_tickets.at(row) : QJsonObject();
}

int OpenTicketsModel::rowOf(const QString &id) const
{
    for (qsizetype i = 0; i < m_tickets.size(); ++i)
        if (m_tickets.at(i).value(u"id"_s).toString() == id)
            return int(i);
    return -1;
}

int OpenTicketsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_tickets.size());
}

QVariant OpenTicketsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QJsonObject &t = m_tickets.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return QString(t.value(u"number"_s).toString() % u" · "_s % t.value(u"title"_s).toString());
    case Qt::ToolTipRole:
    case Qt::AccessibleTextRole: {
        QString status = t.value(u"status"_s).toString();
        if (const auto s = domain::parseTicketStatus(status))
            status = ticketStatusBadge(*s).text;
        QString priority = t.value(u"priority"_s).toString();
        if (const auto p = domain::parsePriority(priority))
            priority = priorityBadge(*p).text;
        return tr("%1 — %2 (%3, priority %4)")
            .arg(t.value(u"number"_s).toString(), t.value(u"title"_s).toString(), status, priority);
    }
    case IdRole:
        return t.value(u"id"_s).toString();
    case NumberRole:
        return t.value(u"number"_s).toString();
    case StatusRole:
        return t.value(u"status"_s).toString();
    case PriorityRole:
        return t.value(u"priority"_s).toString();
    default:
        return {};
    }
}

QHash<int, QByteArray> OpenTicketsModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(IdRole, "ticketId");
    names.insert(NumberRole, "number");
    names.insert(StatusRole, "status");
    names.insert(PriorityRole, "priority");
    return names;
}

} // namespace md::ui
