#pragma once

#include <QAbstractListModel>
#include <QJsonObject>
#include <QList>

namespace md::ui {

/// The open tickets of one equipment (the scan view's result panel): number and title,
/// with the status for the delegate's badge and the id to open the ticket.
class OpenTicketsModel final : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role
    {
        IdRole = Qt::UserRole + 1,
        NumberRole,
        StatusRole,   // wire name, "in_progress"
        PriorityRole, // wire name
    };

    explicit OpenTicketsModel(QObject *parent = nullptr);

    void setTickets(const QList<QJsonObject> &tickets);
    void clear();
    QJsonObject ticket(int row) const;
    /// -1 when not listed.
    int rowOf(const QString &id) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    QList<QJsonObject> m_tickets;
};

} // namespace md::ui
