#pragma once

#include <QStyledItemDelegate>

namespace md::ui {

/// Paints AssignmentHistoryModel rows as a vertical timeline: a dot per assignment in its
/// status colour, lines joining it to the entries above and below, the status, tier and
/// match score badges, the engineer and organization, the local assigned/ended times, who
/// assigned, and the reason. Measures come from the font metrics (high-DPI safe); colours
/// other than badges from the palette.
class TimelineDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit TimelineDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace md::ui
