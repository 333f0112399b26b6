#include "qrmatrix.h"

#include <QImage>
#include <QPainter>
#include <QPainterPath>

#define ZX_USE_UTF8 1
#include <ZXing/BitMatrix.h>
#include <ZXing/CharacterSet.h>
#include <ZXing/MultiFormatWriter.h>

namespace md::codes {

QrMatrix QrMatrix::encode(const QString &text, ErrorCorrection correction)
{
    if (text.isEmpty())
        return {};
    // ZXing's QR writer takes the level on its 0–8 scale: L=1, M=3, Q=5, H=7 (rounded
    // down to the nearest level by the writer).
    int level = 5;
    switch (correction) {
    case ErrorCorrection::Low:
        level = 1;
        break;
    case ErrorCorrection::Medium:
        level = 3;
        break;
    case ErrorCorrection::Quartile:
        level = 5;
        break;
    case ErrorCorrection::High:
        level = 7;
        break;
    }
    QrMatrix matrix;
    try {
        const ZXing::BitMatrix bits = ZXing::MultiFormatWriter(ZXing::BarcodeFormat::QRCode)
                                          .setEncoding(ZXing::CharacterSet::UTF8)
                                          .setEccLevel(level)
                                          .setMargin(0)
                                          .encode(text.toStdString(), 0, 0);
        if (bits.width() <= 0 || bits.width() != bits.height())
            return {};
        matrix.m_size = bits.width();
        matrix.m_modules.resize(qsizetype(matrix.m_size) * matrix.m_size);
        for (int y = 0; y < matrix.m_size; ++y) {
            for (int x = 0; x < matrix.m_size; ++x)
                matrix.m_modules[y * matrix.m_size + x] = bits.get(x, y);
        }
    } catch (const std::exception &) {
        return {}; // too long for any QR version
    }
    return matrix;
}

void QrMatrix::paint(QPainter &painter, const QRectF &target) const
{
    if (isNull())
        return;
    const qreal module = std::min(target.width(), target.height()) / m_size;
    QPainterPath path;
    for (int y = 0; y < m_size; ++y) {
        int x = 0;
        while (x < m_size) {
            if (!isDark(x, y)) {
                ++x;
                continue;
            }
            const int start = x;
            while (x < m_size && isDark(x, y))
                ++x;
            path.addRect(QRectF(target.left() + start * module, target.top() + y * module,
                                (x - start) * module, module));
        }
    }
    path.setFillRule(Qt::WindingFill);
    painter.save();
    painter.setPen(Qt::NoPen);
    painter.setBrush(Qt::black);
    painter.drawPath(path);
    painter.restore();
}

QImage QrMatrix::toImage(int moduleSize, int quietZone) const
{
    if (isNull() || moduleSize <= 0)
        return {};
    const int side = (m_size + 2 * quietZone) * moduleSize;
    QImage image(side, side, QImage::Format_Grayscale8);
    image.fill(255);
    for (int y = 0; y < m_size; ++y) {
        for (int x = 0; x < m_size; ++x) {
            if (!isDark(x, y))
                continue;
            for (int dy = 0; dy < moduleSize; ++dy) {
                uchar *line = image.scanLine((y + quietZone) * moduleSize + dy);
                std::fill_n(line + (x + quietZone) * moduleSize, moduleSize, uchar(0));
            }
        }
    }
    return image;
}

} // namespace md::codes
