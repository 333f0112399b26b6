#pragma once

#include <QStyledItemDelegate>

namespace md::ui {

/// Paints the ticket table's priority, status and SLA cells as the product's badges
/// (common/badges.h) over the usual item background, so selection and focus look as in
/// any other cell. Other columns paint as text.
class TicketBadgeDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit TicketBadgeDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace md::ui
