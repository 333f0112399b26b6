#pragma once

#include <QList>
#include <QString>

class QImage;
class QPainter;
class QRectF;

namespace md::codes {

/// The modules of a QR code, made by ZXing-cpp's encoder. A label paints them as
/// vector rectangles (crisp at any printer resolution); tests and previews turn them
/// into an image.
class QrMatrix final
{
public:
    /// Error correction: a label on a device gets scratched, so labels use Quartile
    /// (25 % of the symbol may be lost).
    enum class ErrorCorrection
    {
        Low,
        Medium,
        Quartile,
        High
    };

    QrMatrix() = default;
    /// Empty (isNull) when the text cannot be encoded (too long, empty).
    static QrMatrix encode(const QString &text,
                           ErrorCorrection correction = ErrorCorrection::Quartile);

    bool isNull() const { return m_size == 0; }
    /// Modules per side, without the quiet zone.
    int size() const { return m_size; }
    bool isDark(int x, int y) const { return m_modules.at(y * m_size + x); }

    /// Paints the dark modules into `target` (a square; the caller leaves the 4-module
    /// quiet zone around it), merged into one path per row run.
    void paint(QPainter &painter, const QRectF &target) const;
    /// Black on white, `moduleSize` pixels per module, `quietZone` modules of margin.
    QImage toImage(int moduleSize, int quietZone = 4) const;

private:
    int m_size = 0;
    QList<bool> m_modules;
};

} // namespace md::codes
