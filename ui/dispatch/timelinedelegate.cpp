#include "timelinedelegate.h"

#include "assignmenthistorymodel.h"
#include "common/badges.h"

#include <QApplication>
#include <QPainter>
#include <QStyle>

using namespace Qt::StringLiterals;

namespace md::ui {

namespace {

// Spacing in units of the font height, so the timeline scales with the font and screen.
struct TimelineMetrics
{
    explicit TimelineMetrics(const QFontMetrics &fm)
        : gutter(fm.height() * 2), padding(std::max(4, fm.height() / 2)),
          gap(std::max(2, fm.height() / 4)), line(fm.lineSpacing()), badge(fm.height() + 4),
          dot(std::max(8, fm.height() * 17 / 20)), stroke(std::max(2, fm.height() / 7))
    {}
    int gutter;  // the column the dots and lines live in
    int padding; // above and below an entry
    int gap;     // between rows of an entry
    int line;
    int badge;
    int dot;    // diameter
    int stroke; // connecting line width
    int height(bool withReason) const
    {
        return 2 * padding + badge + 2 * gap + 2 * line + (withReason ? gap + line : 0);
    }
};

QPalette::ColorGroup colorGroup(const QStyleOptionViewItem &option)
{
    if (!(option.state & QStyle::State_Enabled))
        return QPalette::Disabled;
    return (option.state & QStyle::State_Active) ? QPalette::Normal : QPalette::Inactive;
}

} // namespace

TimelineDelegate::TimelineDelegate(QObject *parent) : QStyledItemDelegate(parent) {}

QSize TimelineDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const TimelineMetrics m(option.fontMetrics);
    const bool withReason = !index.data(AssignmentHistoryModel::ReasonRole).toString().isEmpty();
    return {option.fontMetrics.averageCharWidth() * 50, m.height(withReason)};
}

void TimelineDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                             const QModelIndex &index) const
{
    const auto *model = qobject_cast<const AssignmentHistoryModel *>(index.model());
    const AssignmentHistoryModel::Entry *e = model ? model->entryAt(index.row()) : nullptr;
    if (!e) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    const QFontMetrics fm(option.font);
    const TimelineMetrics m(fm);
    const QPalette::ColorGroup group = colorGroup(option);
    const QPalette &palette = option.palette;
    const bool selected = option.state & QStyle::State_Selected;
    const QRect r = option.rect;

    painter->save();
    painter->setFont(option.font);
    painter->setRenderHint(QPainter::Antialiasing);

    const QRect content(r.left() + m.gutter, r.top(), r.width() - m.gutter, r.height());
    if (selected) {
        const qreal radius = m.padding / 1.5;
        painter->setPen(Qt::NoPen);
        painter->setBrush(palette.color(group, QPalette::Highlight));
        painter->drawRoundedRect(QRectF(content).adjusted(0, 1, -1, -1), radius, radius);
    }

    // The timeline: a line up to the newer entry, one down to the older, and the dot.
    const BadgeStyle status = assignmentStatusBadge(e->status);
    const int centreX = r.left() + m.gutter / 2;
    const int dotCentreY = r.top() + m.padding + m.badge / 2;
    const QPen linePen(palette.color(group, QPalette::Mid), m.stroke, Qt::SolidLine, Qt::FlatCap);
    painter->setPen(linePen);
    if (index.row() > 0)
        painter->drawLine(centreX, r.top(), centreX, dotCentreY);
    if (index.row() + 1 < model->rowCount())
        painter->drawLine(centreX, dotCentreY, centreX, r.bottom() + 1);
    painter->setPen(QPen(palette.color(group, QPalette::Base), m.stroke));
    painter->setBrush(status.background);
    painter->drawEllipse(QPointF(centreX, dotCentreY), m.dot / 2.0, m.dot / 2.0);

    const QColor text = palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
    QColor muted = selected ? text : palette.color(group, QPalette::PlaceholderText);
    if (!selected && muted == text)
        muted.setAlpha(170);

    const QRect inner = content.adjusted(m.padding, m.padding, -m.padding, -m.padding);
    int y = inner.top();
    int x = inner.left();

    // Row 1: status, tier, match score.
    QList<BadgeStyle> badges{status, tierBadge(e->tier)};
    if (e->matchScore >= 0)
        badges << matchScoreBadge(e->matchScore);
    for (const BadgeStyle &badge : badges) {
        if (x >= inner.right())
            break;
        x += paintBadge(painter, QRect(x, y, inner.right() - x, m.badge), badge) + m.gap;
    }
    y += m.badge + m.gap;

    // Row 2: the engineer (bold), level and organization.
    QFont bold = option.font;
    bold.setBold(true);
    const QFontMetrics boldFm(bold);
    const QString name =
        boldFm.elidedText(index.data(AssignmentHistoryModel::EngineerNameRole).toString(),
                          Qt::ElideRight, inner.width());
    painter->setFont(bold);
    painter->setPen(text);
    painter->drawText(QRect(inner.left(), y, inner.width(), m.line),
                      Qt::AlignLeft | Qt::AlignVCenter, name);
    painter->setFont(option.font);
    QStringList details;
    if (e->engineerLevel > 0)
        details << levelBadge(domain::EngineerLevel(e->engineerLevel)).text;
    if (!e->organizationName.isEmpty())
        details << e->organizationName;
    const int detailsLeft = inner.left() + boldFm.horizontalAdvance(name) + m.padding;
    if (!details.isEmpty() && detailsLeft < inner.right()) {
        painter->drawText(
            QRect(detailsLeft, y, inner.right() - detailsLeft, m.line),
            Qt::AlignLeft | Qt::AlignVCenter,
            fm.elidedText(details.join(u" · "_s), Qt::ElideRight, inner.right() - detailsLeft));
    }
    y += m.line + m.gap;

    // Row 3: when, and by whom.
    QString when = AssignmentHistoryModel::timesText(*e);
    const QString by = model->assignedByText(*e);
    if (!by.isEmpty())
        when += u" · "_s + by;
    painter->setPen(muted);
    painter->drawText(QRect(inner.left(), y, inner.width(), m.line),
                      Qt::AlignLeft | Qt::AlignVCenter,
                      fm.elidedText(when, Qt::ElideRight, inner.width()));
    y += m.line + m.gap;

    // Row 4: the reason, when one was given (the full text is the tooltip).
    if (!e->reason.isEmpty()) {
        QFont italic = option.font;
        italic.setItalic(true);
        const QFontMetrics italicFm(italic);
        painter->setFont(italic);
        painter->setPen(text);
        painter->drawText(
            QRect(inner.left(), y, inner.width(), m.line), Qt::AlignLeft | Qt::AlignVCenter,
            italicFm.elidedText(tr("Reason: %1").arg(e->reason), Qt::ElideRight, inner.width()));
    }

    if (option.state & QStyle::State_HasFocus) {
        QStyleOptionFocusRect focus;
        if (option.widget)
            focus.initFrom(option.widget);
        focus.palette = palette;
        focus.state = option.state;
        focus.rect = content.adjusted(1, 1, -1, -1);
        focus.backgroundColor =
            palette.color(group, selected ? QPalette::Highlight : QPalette::Base);
        const QStyle *style = option.widget ? option.widget->style() : QApplication::style();
        style->drawPrimitive(QStyle::PE_FrameFocusRect, &focus, painter, option.widget);
    }
    painter->restore();
}

} // namespace md::ui
