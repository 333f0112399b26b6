#include "flowlayout.h"

#include <QStyle>
#include <QWidget>

namespace md::ui {

FlowLayout::FlowLayout(QWidget *parent, int horizontalSpacing, int verticalSpacing)
    : QLayout(parent), m_horizontalSpacing(horizontalSpacing), m_verticalSpacing(verticalSpacing)
{}

FlowLayout::~FlowLayout()
{
    while (QLayoutItem *item = takeAt(0))
        delete item;
}

void FlowLayout::addItem(QLayoutItem *item)
{
    m_items.append(item);
}

QLayoutItem *FlowLayout::itemAt(int index) const
{
    return index >= 0 && index < m_items.size() ? m_items.at(index) : nullptr;
}

QLayoutItem *FlowLayout::takeAt(int index)
{
    if (index < 0 || index >= m_items.size())
        return nullptr;
    QLayoutItem *item = m_items.takeAt(index);
    invalidate();
    return item;
}

void FlowLayout::moveWidget(QWidget *widget, int index)
{
    const int from = indexOf(widget);
    if (from < 0 || from == index || index < 0 || index >= m_items.size())
        return;
    m_items.move(from, index);
    invalidate();
}

int FlowLayout::horizontalSpacing() const
{
    return m_horizontalSpacing >= 0 ? m_horizontalSpacing
                                    : smartSpacing(QStyle::PM_LayoutHorizontalSpacing);
}

int FlowLayout::verticalSpacing() const
{
    return m_verticalSpacing >= 0 ? m_verticalSpacing
                                  : smartSpacing(QStyle::PM_LayoutVerticalSpacing);
}

int FlowLayout::heightForWidth(int width) const
{
    return doLayout(QRect(0, 0, width, 0), true);
}

QSize FlowLayout::minimumSize() const
{
    QSize size;
    for (const QLayoutItem *item : m_items) {
        if (!item->isEmpty())
            size = size.expandedTo(item->minimumSize());
    }
    const QMargins margins = contentsMargins();
    return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom());
}

QSize FlowLayout::sizeHint() const
{
    return minimumSize();
}

void FlowLayout::setGeometry(const QRect &rect)
{
    QLayout::setGeometry(rect);
    doLayout(rect, false);
}

// Returns the height the items need at rect's width; places them unless testOnly.
int FlowLayout::doLayout(const QRect &rect, bool testOnly) const
{
    const QMargins margins = contentsMargins();
    const QRect area =
        rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom());
    const int spaceX = horizontalSpacing();
    const int spaceY = verticalSpacing();
    int x = area.x();
    int y = area.y();
    int lineHeight = 0;
    for (QLayoutItem *item : m_items) {
        if (item->isEmpty())
            continue;
        QSize hint = item->sizeHint();
        // Word-wrapped text (a long organization name) needs the height for this width.
        if (item->hasHeightForWidth())
            hint.setHeight(qMax(hint.height(), item->heightForWidth(hint.width())));
        int nextX = x + hint.width() + spaceX;
        if (nextX - spaceX > area.right() + 1 && lineHeight > 0) {
            x = area.x();
            y += lineHeight + spaceY;
            nextX = x + hint.width() + spaceX;
            lineHeight = 0;
        }
        if (!testOnly)
            item->setGeometry(QRect(QPoint(x, y), hint));
        x = nextX;
        lineHeight = qMax(lineHeight, hint.height());
    }
    return y + lineHeight - rect.y() + margins.bottom();
}

// Styles such as Fusion answer -1 for the layout spacing metrics and expect
// layoutSpacing() to be asked instead; fall back to half a line so the cards never touch.
int FlowLayout::smartSpacing(QStyle::PixelMetric metric) const
{
    QObject *owner = parent();
    if (!owner)
        return -1;
    if (!owner->isWidgetType())
        return static_cast<QLayout *>(owner)->spacing();
    auto *widget = static_cast<QWidget *>(owner);
    int spacing = widget->style()->pixelMetric(metric, nullptr, widget);
    if (spacing < 0)
        spacing = widget->style()->layoutSpacing(
            QSizePolicy::Frame, QSizePolicy::Frame,
            metric == QStyle::PM_LayoutHorizontalSpacing ? Qt::Horizontal : Qt::Vertical, nullptr,
            widget);
    return spacing >= 0 ? spacing : widget->fontMetrics().height() / 2;
}

} // namespace md::ui
