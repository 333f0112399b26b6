#pragma once

#include "equipmentlabel.h"
#include "labellayout.h"

#include <QList>
#include <QRectF>

class QPainter;

namespace md::ui {

/// Labels placed on sheets of one layout, the first at a start position (1-based, as
/// counted on a partly used sheet). Device coordinates are millimetres × dotsPerMm from
/// the paper's top-left corner (a QPdfWriter or a full-page QPrinter without margins).
/// A value type: copied to the worker thread that renders it.
class LabelSheet final
{
public:
    LabelSheet() = default;
    LabelSheet(QList<EquipmentLabel> labels, LabelLayout layout, int startPosition = 1);

    const QList<EquipmentLabel> &labels() const { return m_labels; }
    const LabelLayout &layout() const { return m_layout; }
    int startPosition() const { return m_start; }
    int labelCount() const { return int(m_labels.size()); }
    int pageCount() const { return m_layout.pageCount(labelCount(), m_start); }

    /// The page (0-based) the label with this index goes on.
    int pageOf(int index) const { return m_layout.slotOf(index, m_start).page; }
    /// The label's rectangle on its page, in device units.
    QRectF labelRect(int index, qreal dotsPerMm) const;
    /// The labels on a page: indices [first, last).
    std::pair<int, int> labelsOnPage(int page) const;

    /// Paints the label with this index (QR encoded here).
    void paintLabel(QPainter &painter, int index, qreal dotsPerMm) const;
    /// A whole page for the preview: white paper, every label position outlined in grey
    /// (the outlines are never printed), the labels of that page.
    void paintPreview(QPainter &painter, int page, qreal dotsPerMm) const;

private:
    QList<EquipmentLabel> m_labels;
    LabelLayout m_layout;
    int m_start = 1;
};

} // namespace md::ui
