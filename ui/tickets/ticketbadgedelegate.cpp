#include "ticketbadgedelegate.h"

#include "common/badges.h"
#include "ticketmodel.h"

#include <QApplication>
#include <QPainter>
#include <optional>

namespace md::ui {

namespace {

std::optional<BadgeStyle> badgeFor(const QModelIndex &index)
{
    switch (index.column()) {
    case TicketModel::PriorityColumn:
        return priorityBadge(domain::Priority(index.data(TicketModel::PriorityRole).toInt()));
    case TicketModel::StatusColumn:
        return ticketStatusBadge(domain::TicketStatus(index.data(TicketModel::StatusRole).toInt()));
    case TicketModel::SlaColumn: {
        const QString state = index.data(TicketModel::SlaStateRole).toString();
        if (state.isEmpty())
            return BadgeStyle{};
        return slaBadge(state);
    }
    default:
        return std::nullopt;
    }
}

} // namespace

TicketBadgeDelegate::TicketBadgeDelegate(QObject *parent) : QStyledItemDelegate(parent) {}

void TicketBadgeDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                                const QModelIndex &index) const
{
    const auto badge = badgeFor(index);
    if (!badge) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear(); // the badge carries the text
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);
    const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 2;
    painter->save();
    painter->setFont(opt.font);
    paintBadge(painter, opt.rect.adjusted(margin, 1, -margin, -1), *badge);
    painter->restore();
}

QSize TicketBadgeDelegate::sizeHint(const QStyleOptionViewItem &option,
                                    const QModelIndex &index) const
{
    const auto badge = badgeFor(index);
    if (!badge)
        return QStyledItemDelegate::sizeHint(option, index);
    const QSize size = badgeSizeHint(option.fontMetrics, *badge);
    return {size.width() + 8, size.height() + 4};
}

} // namespace md::ui
