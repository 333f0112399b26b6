#include "codereader.h"

#include <QCoreApplication>
#include <QImage>

#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>

using namespace Qt::StringLiterals;

namespace md::codes {

namespace {

ZXing::BarcodeFormats zxingFormats(Symbologies symbologies)
{
    ZXing::BarcodeFormats formats;
    if (symbologies.testFlag(Symbology::QrCode))
        formats |= ZXing::BarcodeFormat::QRCode;
    if (symbologies.testFlag(Symbology::DataMatrix))
        formats |= ZXing::BarcodeFormat::DataMatrix;
    if (symbologies.testFlag(Symbology::Code128))
        formats |= ZXing::BarcodeFormat::Code128;
    return formats;
}

ZXing::ImageFormat zxingLayout(PixelLayout layout)
{
    switch (layout) {
    case PixelLayout::Luma:
        return ZXing::ImageFormat::Lum;
    case PixelLayout::BGRX:
        return ZXing::ImageFormat::BGRX;
    case PixelLayout::RGBX:
        return ZXing::ImageFormat::RGBX;
    case PixelLayout::XRGB:
        return ZXing::ImageFormat::XRGB;
    case PixelLayout::XBGR:
        return ZXing::ImageFormat::XBGR;
    case PixelLayout::RGB:
        return ZXing::ImageFormat::RGB;
    case PixelLayout::BGR:
        return ZXing::ImageFormat::BGR;
    }
    return ZXing::ImageFormat::Lum;
}

Symbology symbologyOf(ZXing::BarcodeFormat format)
{
    switch (format) {
    case ZXing::BarcodeFormat::DataMatrix:
        return Symbology::DataMatrix;
    case ZXing::BarcodeFormat::Code128:
        return Symbology::Code128;
    default:
        return Symbology::QrCode;
    }
}

FoundCode toFoundCode(const ZXing::Result &result)
{
    FoundCode code;
    code.text = QString::fromStdString(result.text());
    code.symbology = symbologyOf(result.format());
    code.symbologyId = QString::fromStdString(result.symbologyIdentifier());
    code.gs1 = result.contentType() == ZXing::ContentType::GS1;
    const auto &position = result.position();
    for (int i = 0; i < 4; ++i)
        code.corners << QPointF(position[i].x, position[i].y);
    return code;
}

// QImage formats whose bytes ZXing can read as they are (little-endian byte order).
std::optional<PixelLayout> layoutOf(QImage::Format format)
{
    switch (format) {
    case QImage::Format_Grayscale8:
    case QImage::Format_Alpha8:
        return PixelLayout::Luma;
    case QImage::Format_RGB32:
    case QImage::Format_ARGB32:
    case QImage::Format_ARGB32_Premultiplied:
        return Q_BYTE_ORDER == Q_LITTLE_ENDIAN ? PixelLayout::BGRX : PixelLayout::XRGB;
    case QImage::Format_RGBX8888:
    case QImage::Format_RGBA8888:
    case QImage::Format_RGBA8888_Premultiplied:
        return PixelLayout::RGBX;
    case QImage::Format_RGB888:
        return PixelLayout::RGB;
    case QImage::Format_BGR888:
        return PixelLayout::BGR;
    default:
        return std::nullopt;
    }
}

} // namespace

QString symbologyName(Symbology symbology)
{
    switch (symbology) {
    case Symbology::QrCode:
        return QCoreApplication::translate("md::codes", "QR code");
    case Symbology::DataMatrix:
        return QCoreApplication::translate("md::codes", "DataMatrix");
    case Symbology::Code128:
        return QCoreApplication::translate("md::codes", "Code 128");
    }
    return {};
}

ReadOptions ReadOptions::videoFrames()
{
    // One code per frame is all a scan needs, and it lets ZXing stop at the first.
    ReadOptions options;
    options.maxSymbols = 1;
    return options;
}

ReadOptions ReadOptions::photos()
{
    ReadOptions options;
    options.tryHarder = true;
    options.tryRotate = true;
    return options;
}

CodeReader::CodeReader(const ReadOptions &options) : m_options(options) {}

QList<FoundCode> CodeReader::read(const ImageBuffer &image) const
{
    if (!image.data || image.width <= 0 || image.height <= 0)
        return {};
    const ZXing::ImageView view(image.data, image.width, image.height, zxingLayout(image.layout),
                                image.bytesPerLine, image.pixelStride);
    ZXing::DecodeHints hints;
    hints.setTryHarder(m_options.tryHarder);
    hints.setTryRotate(m_options.tryRotate);
    hints.setTryDownscale(m_options.tryDownscale);
    const int maxSymbols = std::clamp(m_options.maxSymbols, 1, 255);

    QList<FoundCode> found;
    const auto readFormats = [&](Symbologies symbologies, int symbols) {
        if (!symbologies)
            return;
        hints.setFormats(zxingFormats(symbologies));
        hints.setMaxNumberOfSymbols(static_cast<uint8_t>(symbols));
        for (const ZXing::Result &result : ZXing::ReadBarcodes(view, hints)) {
            if (result.isValid())
                found << toFoundCode(result);
        }
    };
    // ZXing-cpp 1.4 aborts the process (a failed assert in Result::operator==, compiled
    // into Debian's build) when it compares two reads of one linear code, which it does
    // whenever more than one symbol is wanted and a Code 128 is seen twice — in two
    // layers of its downscaling pyramid, or printed twice. An uploaded photo must never
    // take the server down, so a linear code is only ever asked for alone, one symbol.
    if (maxSymbols == 1 || !m_options.symbologies.testFlag(Symbology::Code128)) {
        readFormats(m_options.symbologies, maxSymbols);
    } else {
        readFormats(m_options.symbologies & ~Symbologies(Symbology::Code128), maxSymbols);
        if (found.size() < maxSymbols)
            readFormats(Symbology::Code128, 1);
    }
    return found;
}

QList<FoundCode> CodeReader::read(const QImage &image) const
{
    if (image.isNull())
        return {};
    if (const auto layout = layoutOf(image.format())) {
        return read(ImageBuffer{image.constBits(), image.width(), image.height(),
                                static_cast<int>(image.bytesPerLine()), *layout, 0});
    }
    const QImage grey = image.convertToFormat(QImage::Format_Grayscale8);
    return read(ImageBuffer{grey.constBits(), grey.width(), grey.height(),
                            static_cast<int>(grey.bytesPerLine()), PixelLayout::Luma, 0});
}

} // namespace md::codes
