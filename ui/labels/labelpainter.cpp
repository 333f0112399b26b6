#include "labelpainter.h"

#include "codes/qrmatrix.h"
#include "equipmentlabel.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QPainter>
#include <QTextLayout>

using namespace Qt::StringLiterals;

namespace md::ui {

namespace {

constexpr int kQuietZoneModules = 4;
// White around the content: the sheet may sit a millimetre off on the printer.
constexpr qreal kPaddingRatio = 0.05;
// The QR column never takes more than this share of the width: the text needs room.
constexpr qreal kMaxSymbolShare = 0.55;
// The name's em height as a share of the content height; the other lines are smaller.
constexpr qreal kNameFontRatio = 1.0 / 10;
constexpr qreal kDetailFontScale = 0.85;
// How much larger than the default the text may grow when it is short.
constexpr qreal kMaxTextGrowth = 1.35;
// A name slightly too long for one line is set smaller (down to the other lines' size)
// rather than broken in two.
constexpr qreal kNameMinShrink = kDetailFontScale;
// Lines are a little further apart than the font's own height, for reading.
constexpr qreal kLineSpacing = 1.05;
// Fonts are measured large and scaled: unhinted outlines scale linearly.
constexpr qreal kMeasurePixels = 1000;

QFont labelFont(bool monospace, bool bold, qreal pixels)
{
    QFont font;
    if (monospace) {
        font.setFamilies({u"DejaVu Sans Mono"_s, u"Liberation Mono"_s, u"Noto Sans Mono"_s,
                          u"Courier New"_s, u"monospace"_s});
        font.setStyleHint(QFont::TypeWriter);
    } else {
        font.setFamilies(
            {u"DejaVu Sans"_s, u"Liberation Sans"_s, u"Noto Sans"_s, u"Arial"_s, u"sans-serif"_s});
        font.setStyleHint(QFont::SansSerif);
    }
    font.setHintingPreference(QFont::PreferNoHinting);
    font.setKerning(true);
    font.setBold(bold);
    // Rounded down: a font a fraction larger than measured would not fit its line.
    font.setPixelSize(std::max(1, int(pixels)));
    return font;
}

// The code line's width and height per pixel of font size (every code has the same
// length: "MD-" and four groups of four).
struct CodeFontRatios
{
    qreal width = 13.2;
    qreal height = 1.2;
};

CodeFontRatios codeFontRatios()
{
    // Thread-safe initialization (magic static); fonts may be measured on any thread.
    static const CodeFontRatios ratios = [] {
        const QFontMetricsF metrics(labelFont(true, true, kMeasurePixels));
        CodeFontRatios r;
        r.width = metrics.horizontalAdvance(u"MD-0000-0000-0000-0000"_s) / kMeasurePixels;
        r.height = (metrics.ascent() + metrics.descent()) / kMeasurePixels;
        if (r.width <= 0 || r.height <= 0)
            return CodeFontRatios{};
        return r;
    }();
    return ratios;
}

// Up to two lines: the first broken at a word boundary (anywhere for one long word),
// the rest elided.
QStringList wrapTwoLines(const QString &text, const QFont &font, qreal width)
{
    const QFontMetricsF metrics(font);
    if (metrics.horizontalAdvance(text) <= width)
        return {text};
    QTextLayout layout(text, font);
    QTextOption option;
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    layout.setTextOption(option);
    layout.beginLayout();
    QTextLine first = layout.createLine();
    if (!first.isValid()) {
        layout.endLayout();
        return {metrics.elidedText(text, Qt::ElideRight, width)};
    }
    first.setLineWidth(width);
    layout.endLayout();
    const int cut = first.textLength();
    if (cut <= 0 || cut >= text.size())
        return {metrics.elidedText(text, Qt::ElideRight, width)};
    const QString head = text.left(cut).trimmed();
    const QString tail = text.mid(cut).trimmed();
    return {metrics.elidedText(head, Qt::ElideRight, width),
            metrics.elidedText(tail, Qt::ElideRight, width)};
}

struct TextLine
{
    QString text;
    QFont font;
    qreal height = 0;
};

} // namespace

LabelGeometry LabelGeometry::compute(const QRectF &label, int modules)
{
    LabelGeometry g;
    if (label.isEmpty() || modules <= 0)
        return g;
    const qreal pad = kPaddingRatio * std::min(label.width(), label.height());
    const QRectF content = label.adjusted(pad, pad, -pad, -pad);
    const CodeFontRatios ratios = codeFontRatios();

    // The quiet-zone square S and the code line under it share the content height: the
    // line is as wide as S, so S + f × height = H with S = f × width.
    qreal font = content.height() / (ratios.width + ratios.height);
    qreal side = font * ratios.width;
    if (side > kMaxSymbolShare * content.width()) {
        side = kMaxSymbolShare * content.width();
        font = side / ratios.width;
    }
    const qreal codeLine = font * ratios.height;
    const qreal top = content.top() + (content.height() - side - codeLine) / 2;
    g.module = side / (modules + 2 * kQuietZoneModules);
    g.quietZone = QRectF(content.left(), top, side, side);
    const qreal margin = kQuietZoneModules * g.module;
    g.symbol = g.quietZone.adjusted(margin, margin, -margin, -margin);
    g.codeText = QRectF(content.left(), g.quietZone.bottom(), side, codeLine);
    g.codeFontPixels = font;
    // One module of air between the quiet zone and the text.
    const qreal textLeft = g.quietZone.right() + g.module;
    g.textColumn = QRectF(textLeft, content.top(), std::max<qreal>(0, content.right() - textLeft),
                          content.height());
    g.nameFontPixels = content.height() * kNameFontRatio;
    return g;
}

void paintEquipmentLabel(QPainter &painter, const QRectF &rect, const EquipmentLabel &label,
                         const codes::QrMatrix &matrix)
{
    painter.save();
    // Black on white whatever the palette or the printer's idea of a background.
    painter.fillRect(rect, Qt::white);
    if (matrix.isNull() || !label.isValid()) {
        painter.restore();
        return;
    }
    const LabelGeometry g = LabelGeometry::compute(rect, matrix.size());
    if (g.module <= 0) {
        painter.restore();
        return;
    }
    painter.setRenderHint(QPainter::Antialiasing, false);
    matrix.paint(painter, g.symbol);

    painter.setRenderHint(QPainter::TextAntialiasing, true);
    painter.setPen(Qt::black);
    painter.setBrush(Qt::NoBrush);

    // The code in text for typing by hand: centred under the symbol, never wider than it.
    {
        QFont font = labelFont(true, true, g.codeFontPixels);
        while (font.pixelSize() > 1 &&
               QFontMetricsF(font).horizontalAdvance(label.code) > g.codeText.width())
            font.setPixelSize(font.pixelSize() - std::max(1, font.pixelSize() / 40));
        const QFontMetricsF metrics(font);
        const QString text = metrics.elidedText(label.code, Qt::ElideRight, g.codeText.width());
        const qreal width = metrics.horizontalAdvance(text);
        painter.setFont(font);
        painter.drawText(QPointF(g.codeText.left() + (g.codeText.width() - width) / 2,
                                 g.codeText.top() + metrics.ascent()),
                         text);
    }

    if (g.textColumn.width() <= 0) {
        painter.restore();
        return;
    }
    // Name (bold) and owner up to two lines each, model and serial number one: empty ones
    // leave no gap.
    const QString serial = label.serialNumber.isEmpty()
                               ? QString()
                               : QCoreApplication::translate("md::ui::EquipmentLabel", "S/N %1")
                                     .arg(label.serialNumber);
    qreal namePixels = g.nameFontPixels;
    {
        // Short text on a wide label reads better larger: grow every line together as
        // far as the longest one still fits.
        const QFontMetricsF name(labelFont(false, true, kMeasurePixels));
        const QFontMetricsF detail(labelFont(false, false, kMeasurePixels * kDetailFontScale));
        qreal widest = name.horizontalAdvance(label.name);
        for (const QString &text : {label.model, serial, label.owner})
            widest = std::max(widest, detail.horizontalAdvance(text));
        if (widest > 0) {
            const qreal fit = kMeasurePixels * g.textColumn.width() / widest;
            namePixels = std::clamp(fit, namePixels, namePixels * kMaxTextGrowth);
        }
    }
    QList<TextLine> lines;
    for (int attempt = 0; attempt < 4; ++attempt) {
        lines.clear();
        QFont nameFont = labelFont(false, true, namePixels);
        const QFont detailFont = labelFont(false, false, namePixels * kDetailFontScale);
        const qreal nameHeight = QFontMetricsF(nameFont).height() * kLineSpacing;
        const qreal detailHeight = QFontMetricsF(detailFont).height() * kLineSpacing;
        const qreal width = g.textColumn.width();
        const QFontMetricsF detailMetrics(detailFont);
        if (!label.name.isEmpty()) {
            const qreal advance = QFontMetricsF(nameFont).horizontalAdvance(label.name);
            if (advance > width && advance * kNameMinShrink <= width)
                nameFont = labelFont(false, true, namePixels * width / advance);
            for (const QString &line : wrapTwoLines(label.name, nameFont, width))
                lines.append({line, nameFont, nameHeight});
        }
        const auto detail = [&](const QString &text) {
            if (!text.isEmpty())
                lines.append({detailMetrics.elidedText(text, Qt::ElideRight, width), detailFont,
                              detailHeight});
        };
        detail(label.model);
        detail(serial);
        // The owner is who to call: a long hospital name takes a second line.
        if (!label.owner.isEmpty())
            for (const QString &line : wrapTwoLines(label.owner, detailFont, width))
                lines.append({line, detailFont, detailHeight});
        qreal total = 0;
        for (const TextLine &line : std::as_const(lines))
            total += line.height;
        if (total <= g.textColumn.height())
            break;
        namePixels *= g.textColumn.height() / total; // too tall: shrink every line
    }
    qreal blockHeight = 0;
    for (const TextLine &line : std::as_const(lines))
        blockHeight += line.height;
    qreal y = g.textColumn.top() + std::max<qreal>(0, (g.textColumn.height() - blockHeight) / 2);
    // The clip only guards against a font whose metrics lie; elision does the fitting.
    painter.setClipRect(g.textColumn, Qt::IntersectClip);
    for (const TextLine &line : std::as_const(lines)) {
        const QFontMetricsF metrics(line.font);
        painter.setFont(line.font);
        const qreal baseline = y + (line.height - metrics.height()) / 2 + metrics.ascent();
        painter.drawText(QPointF(g.textColumn.left(), baseline), line.text);
        y += line.height;
    }
    painter.restore();
}

void paintEquipmentLabel(QPainter &painter, const QRectF &rect, const EquipmentLabel &label)
{
    paintEquipmentLabel(painter, rect, label, codes::QrMatrix::encode(label.payload));
}

} // namespace md::ui
