#pragma once

#include <QRectF>
#include <QString>

class QPainter;

namespace md::codes {
class QrMatrix;
}

namespace md::ui {

struct EquipmentLabel;

/// Where the parts of a label go inside its rectangle (device units): the QR symbol with
/// its 4-module quiet zone, as tall as the label allows once the code's text line fits
/// under it; the code in text under the quiet zone; the name, model, serial number and
/// owner in the column beside it. Nothing is placed inside the quiet zone.
struct LabelGeometry
{
    QRectF quietZone;  // the symbol plus 4 white modules on every side
    QRectF symbol;     // the modules themselves
    QRectF codeText;   // the code in text, under the quiet zone
    QRectF textColumn; // name, model, S/N, owner
    qreal module = 0;
    qreal codeFontPixels = 0;
    qreal nameFontPixels = 0;

    /// `modules`: the symbol's modules per side (QrMatrix::size()).
    static LabelGeometry compute(const QRectF &label, int modules);
};

/// Paints one label into `rect` (device units of the painter's device): black on white
/// whatever the palette, the QR symbol as vector rectangles (crisp on any printer, no
/// image in a PDF), the text as text (searchable, selectable), every line elided to its
/// column. `matrix` is the label's payload encoded (QrMatrix::encode); when it is null
/// the label is left blank rather than printed without a usable code. Safe on any
/// thread: it touches only the painter and fonts.
void paintEquipmentLabel(QPainter &painter, const QRectF &rect, const EquipmentLabel &label,
                         const codes::QrMatrix &matrix);
/// The same, encoding the payload first.
void paintEquipmentLabel(QPainter &painter, const QRectF &rect, const EquipmentLabel &label);

} // namespace md::ui
