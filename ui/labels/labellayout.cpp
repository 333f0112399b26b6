#include "labellayout.h"

using namespace Qt::StringLiterals;

namespace md::ui {

namespace {

// A tenth of a millimetre of slack: the makers' figures are rounded inches.
constexpr qreal kToleranceMm = 0.1;

LabelLayout sheet(const QString &id, const QString &name, QPageSize::PageSizeId page, qreal left,
                  qreal top, int columns, int rows, QSizeF label, QSizeF gap)
{
    LabelLayout layout;
    layout.id = id;
    layout.name = name;
    layout.pageSize = QPageSize(page);
    layout.leftMm = left;
    layout.topMm = top;
    layout.columns = columns;
    layout.rows = rows;
    layout.labelMm = label;
    layout.gapMm = gap;
    return layout;
}

} // namespace

QSizeF LabelLayout::pageMm() const
{
    const QSizeF size = pageSize.size(QPageSize::Millimeter);
    return orientation == QPageLayout::Landscape ? size.transposed() : size;
}

QPageLayout LabelLayout::pageLayout() const
{
    // No margins: the labels' positions are measured from the paper's edge.
    return QPageLayout(pageSize, orientation, QMarginsF(), QPageLayout::Millimeter);
}

QRectF LabelLayout::labelRectMm(int position) const
{
    const int column = position % columns;
    const int row = position / columns;
    return QRectF(leftMm + column * (labelMm.width() + gapMm.width()),
                  topMm + row * (labelMm.height() + gapMm.height()), labelMm.width(),
                  labelMm.height());
}

bool LabelLayout::isValid() const
{
    if (columns < 1 || rows < 1 || labelMm.width() <= 0 || labelMm.height() <= 0 ||
        gapMm.width() < 0 || gapMm.height() < 0 || leftMm < 0 || topMm < 0 || !pageSize.isValid())
        return false;
    const QRectF last = labelRectMm(labelsPerPage() - 1);
    const QSizeF page = pageMm();
    return last.right() <= page.width() + kToleranceMm &&
           last.bottom() <= page.height() + kToleranceMm;
}

int LabelLayout::clampStart(int startPosition) const
{
    return std::clamp(startPosition, 1, std::max(1, labelsPerPage()));
}

int LabelLayout::pageCount(int count, int startPosition) const
{
    if (count <= 0)
        return 0;
    const int slots = clampStart(startPosition) - 1 + count;
    return (slots + labelsPerPage() - 1) / labelsPerPage();
}

LabelLayout::Slot LabelLayout::slotOf(int index, int startPosition) const
{
    const int slot = clampStart(startPosition) - 1 + index;
    return {slot / labelsPerPage(), slot % labelsPerPage()};
}

QList<LabelLayout> LabelLayout::presets()
{
    QList<LabelLayout> list;
    // A4 210 × 297 mm, 3 × 70 mm wide and 8 × 37 mm high: no gaps, 0.5 mm at the top.
    list.append(sheet(u"avery-3474"_s, tr("A4, 3 × 8 labels of 70 × 37 mm (Avery 3474)"),
                      QPageSize::A4, 0, 0.5, 3, 8, {70, 37}, {0, 0}));
    // Avery's template: 4.65 mm left, 15.15 mm top, 101.6 mm horizontal pitch.
    list.append(sheet(u"avery-l7163"_s, tr("A4, 2 × 7 labels of 99.1 × 38.1 mm (Avery L7163)"),
                      QPageSize::A4, 4.65, 15.15, 2, 7, {99.1, 38.1}, {2.5, 0}));
    // 7.2 mm left, 15.15 mm top, 66 mm horizontal pitch.
    list.append(sheet(u"avery-l7160"_s, tr("A4, 3 × 7 labels of 63.5 × 38.1 mm (Avery L7160)"),
                      QPageSize::A4, 7.2, 15.15, 3, 7, {63.5, 38.1}, {2.5, 0}));
    // US Letter: 2⅝ × 1 inch labels, 3/16 inch left, ½ inch top, ⅛ inch between columns.
    list.append(sheet(u"avery-5160"_s,
                      tr("US Letter, 3 × 10 labels of 66.7 × 25.4 mm (Avery 5160)"),
                      QPageSize::Letter, 4.7625, 12.7, 3, 10, {66.675, 25.4}, {3.175, 0}));
    // A continuous-roll label printer (Brother DK-11209 and alike): every label is a page.
    LabelLayout roll;
    roll.id = u"roll-62x29"_s;
    roll.name = tr("Label printer, one 62 × 29 mm label per page");
    roll.pageSize =
        QPageSize(QSizeF(62, 29), QPageSize::Millimeter, u"62 x 29 mm"_s, QPageSize::ExactMatch);
    roll.labelMm = {62, 29};
    list.append(roll);
    return list;
}

std::optional<LabelLayout> LabelLayout::preset(const QString &id)
{
    for (const LabelLayout &layout : presets())
        if (layout.id == id)
            return layout;
    return std::nullopt;
}

} // namespace md::ui
