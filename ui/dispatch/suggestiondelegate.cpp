#include "suggestiondelegate.h"

#include "common/badges.h"
#include "suggestionmodel.h"

#include <QApplication>
#include <QPainter>
#include <QStyle>

using namespace Qt::StringLiterals;

namespace md::ui {

namespace {

// Spacing in units of the font height, so cards scale with the font and the screen.
struct CardMetrics
{
    explicit CardMetrics(const QFontMetrics &fm)
        : margin(std::max(2, fm.height() / 4)), padding(std::max(4, fm.height() / 2)),
          gap(std::max(2, fm.height() / 4)), line(fm.lineSpacing()), badge(fm.height() + 4)
    {}
    int margin;  // between the card and the item rectangle
    int padding; // inside the card
    int gap;     // between rows of the card
    int line;    // a line of text
    int badge;   // a row of badges
    int height() const { return 2 * margin + 2 * padding + 2 * badge + 3 * line + 4 * gap; }
};

QPalette::ColorGroup colorGroup(const QStyleOptionViewItem &option)
{
    if (!(option.state & QStyle::State_Enabled))
        return QPalette::Disabled;
    return (option.state & QStyle::State_Active) ? QPalette::Normal : QPalette::Inactive;
}

BadgeStyle certificationBadge(bool certified)
{
    // The certified pill shares the green of the other "good" badges.
    const BadgeStyle good = assignmentStatusBadge(domain::AssignmentStatus::Active);
    if (certified)
        return {SuggestionDelegate::tr("✓ Certified"), good.background, good.foreground};
    return {};
}

} // namespace

SuggestionDelegate::SuggestionDelegate(QObject *parent) : QStyledItemDelegate(parent) {}

QSize SuggestionDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    const CardMetrics m(option.fontMetrics);
    // Wide enough for a name, a few badges and an e-mail address; the view gives more.
    return {option.fontMetrics.averageCharWidth() * 48, m.height()};
}

void SuggestionDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                               const QModelIndex &index) const
{
    const auto *model = qobject_cast<const SuggestionModel *>(index.model());
    const SuggestionModel::Suggestion *s = model ? model->suggestionAt(index.row()) : nullptr;
    if (!s) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    const bool current = index.data(SuggestionModel::CurrentRole).toBool();
    const QFontMetrics fm(option.font);
    const CardMetrics m(fm);
    const QPalette::ColorGroup group = colorGroup(option);
    const QPalette &palette = option.palette;
    const bool selected = option.state & QStyle::State_Selected;
    const bool hovered = option.state & QStyle::State_MouseOver;

    painter->save();
    painter->setFont(option.font);
    painter->setRenderHint(QPainter::Antialiasing);

    const QRect card = option.rect.adjusted(m.margin, m.margin, -m.margin, -m.margin);
    const qreal radius = m.padding / 1.5;
    QColor border = palette.color(group, QPalette::Mid);
    if (selected || hovered || s->recommended)
        border = palette.color(group, QPalette::Highlight);
    painter->setPen(QPen(border, s->recommended ? 2 : 1));
    painter->setBrush(palette.color(group, selected ? QPalette::Highlight : QPalette::Base));
    painter->drawRoundedRect(QRectF(card).adjusted(0.5, 0.5, -0.5, -0.5), radius, radius);

    const QColor text = palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
    QColor muted = selected ? text : palette.color(group, QPalette::PlaceholderText);
    if (!selected && muted == text)
        muted.setAlpha(170);

    const QRect inner = card.adjusted(m.padding, m.padding, -m.padding, -m.padding);
    int y = inner.top();

    // Row 1: name, Recommended / Assigned now; the match score on the right.
    const BadgeStyle score = matchScoreBadge(s->score);
    const int scoreWidth = badgeSizeHint(fm, score).width();
    paintBadge(painter, QRect(inner.right() - scoreWidth + 1, y, scoreWidth, m.badge), score);
    int x = inner.left();
    const int nameRight = inner.right() - scoreWidth - m.padding;
    QFont bold = option.font;
    bold.setBold(true);
    const QFontMetrics boldFm(bold);
    BadgeStyle recommended;
    if (s->recommended) {
        // In the palette's accent colour, inverted on a selected card so it stays visible.
        recommended = {
            tr("Recommended"),
            palette.color(group, selected ? QPalette::HighlightedText : QPalette::Highlight),
            palette.color(group, selected ? QPalette::Highlight : QPalette::HighlightedText)};
    }
    BadgeStyle currentBadge;
    if (current)
        currentBadge = {tr("Assigned now"), palette.color(group, QPalette::Mid),
                        palette.color(group, QPalette::Text)};
    const int badgesWidth =
        (recommended.text.isEmpty() ? 0 : badgeSizeHint(fm, recommended).width() + m.gap) +
        (currentBadge.text.isEmpty() ? 0 : badgeSizeHint(fm, currentBadge).width() + m.gap);
    const QString name =
        boldFm.elidedText(s->name, Qt::ElideRight, std::max(0, nameRight - x - badgesWidth));
    painter->setFont(bold);
    painter->setPen(text);
    painter->drawText(QRect(x, y, nameRight - x, m.badge), Qt::AlignLeft | Qt::AlignVCenter, name);
    painter->setFont(option.font);
    x += boldFm.horizontalAdvance(name) + m.padding;
    for (const BadgeStyle &badge : {recommended, currentBadge}) {
        if (badge.text.isEmpty())
            continue;
        x += paintBadge(painter, QRect(x, y, std::max(0, nameRight - x), m.badge), badge) + m.gap;
    }
    y += m.badge + m.gap;

    // Row 2: level, tier, certification.
    x = inner.left();
    for (const BadgeStyle &badge : {levelBadge(s->level), tierBadge(s->tier)})
        x += paintBadge(painter, QRect(x, y, std::max(0, inner.right() - x), m.badge), badge) +
             m.gap;
    if (s->certified) {
        paintBadge(painter, QRect(x, y, std::max(0, inner.right() - x), m.badge),
                   certificationBadge(true));
    } else {
        painter->setPen(muted);
        painter->drawText(QRect(x + m.gap, y, std::max(0, inner.right() - x), m.badge),
                          Qt::AlignLeft | Qt::AlignVCenter,
                          fm.elidedText(tr("No certification for this equipment"), Qt::ElideRight,
                                        std::max(0, inner.right() - x - m.gap)));
    }
    y += m.badge + m.gap;

    // Rows 3 to 5: organization and location, contact, equipment types and workload.
    const auto textLine = [&](const QString &line, const QColor &colour) {
        painter->setPen(colour);
        painter->drawText(QRect(inner.left(), y, inner.width(), m.line),
                          Qt::AlignLeft | Qt::AlignVCenter,
                          fm.elidedText(line, Qt::ElideRight, inner.width()));
        y += m.line + m.gap;
    };
    const QString separator = u"  ·  "_s;
    textLine(QString(s->organizationName + separator + SuggestionModel::locationText(*s)), text);
    textLine(index.data(SuggestionModel::ContactRole).toString(), muted);
    const QStringList categories = index.data(SuggestionModel::CategoriesRole).toStringList();
    const QString equipment = categories.isEmpty()
                                  ? tr("No equipment types listed")
                                  : tr("Services: %1").arg(categories.join(u", "_s));
    textLine(
        QString(equipment + separator + SuggestionModel::openAssignmentsText(s->openAssignments)),
        muted);

    if (option.state & QStyle::State_HasFocus) {
        QStyleOptionFocusRect focus;
        if (option.widget)
            focus.initFrom(option.widget);
        focus.palette = palette;
        focus.state = option.state;
        focus.rect = card.adjusted(m.margin, m.margin, -m.margin, -m.margin);
        focus.backgroundColor =
            palette.color(group, selected ? QPalette::Highlight : QPalette::Base);
        const QStyle *style = option.widget ? option.widget->style() : QApplication::style();
        style->drawPrimitive(QStyle::PE_FrameFocusRect, &focus, painter, option.widget);
    }
    painter->restore();
}

} // namespace md::ui
