#include "labelsheet.h"

#include "labelpainter.h"

#include <QPainter>

namespace md::ui {

namespace {

QRectF scaled(const QRectF &mm, qreal dotsPerMm)
{
    return QRectF(mm.left() * dotsPerMm, mm.top() * dotsPerMm, mm.width() * dotsPerMm,
                  mm.height() * dotsPerMm);
}

} // namespace

LabelSheet::LabelSheet(QList<EquipmentLabel> labels, LabelLayout layout, int startPosition)
    : m_labels(std::move(labels)), m_layout(std::move(layout)),
      m_start(m_layout.clampStart(startPosition))
{}

QRectF LabelSheet::labelRect(int index, qreal dotsPerMm) const
{
    return scaled(m_layout.labelRectMm(m_layout.slotOf(index, m_start).position), dotsPerMm);
}

std::pair<int, int> LabelSheet::labelsOnPage(int page) const
{
    const int perPage = m_layout.labelsPerPage();
    const int firstSlot = page * perPage;
    const int skipped = m_start - 1;
    const int first = std::clamp(firstSlot - skipped, 0, labelCount());
    const int last = std::clamp(firstSlot + perPage - skipped, 0, labelCount());
    return {first, last};
}

void LabelSheet::paintLabel(QPainter &painter, int index, qreal dotsPerMm) const
{
    if (index < 0 || index >= labelCount())
        return;
    paintEquipmentLabel(painter, labelRect(index, dotsPerMm), m_labels.at(index));
}

void LabelSheet::paintPreview(QPainter &painter, int page, qreal dotsPerMm) const
{
    const QSizeF paper = m_layout.pageMm() * dotsPerMm;
    painter.fillRect(QRectF(QPointF(0, 0), paper), Qt::white);
    const auto [first, last] = labelsOnPage(page);
    for (int index = first; index < last; ++index)
        paintLabel(painter, index, dotsPerMm);
    // After the labels, which paint their own white background.
    painter.save();
    painter.setBrush(Qt::NoBrush);
    painter.setPen(QPen(QColor(190, 190, 190), 0));
    for (int position = 0; position < m_layout.labelsPerPage(); ++position)
        painter.drawRect(scaled(m_layout.labelRectMm(position), dotsPerMm));
    painter.restore();
}

} // namespace md::ui
