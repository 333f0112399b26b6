#pragma once

#include <QStyledItemDelegate>

namespace md::ui {

/// Paints one SuggestionModel row as a card: the engineer's name with "Recommended" on
/// the top match (and "Assigned now" on the current engineer), the colour-coded match
/// score, level and tier badges, the certification indicator, organization and location,
/// phone and e-mail, equipment types and open assignments. Every measure comes from the
/// font metrics (high-DPI safe) and every colour that is not a badge from the palette.
class SuggestionDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit SuggestionDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace md::ui
