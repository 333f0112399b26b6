#pragma once

#include <QFlags>
#include <QList>
#include <QMetaType>
#include <QPolygonF>
#include <QString>

class QImage;

namespace md::codes {

/// The symbologies MedDispatch reads: our own labels are QR codes; manufacturers' GS1
/// UDI labels are DataMatrix or GS1-128 (a Code 128 with FNC1). Nothing else is ever
/// searched for: every extra format costs time on frames that have no code (FACTS.md).
enum class Symbology
{
    QrCode = 0x1,
    DataMatrix = 0x2,
    Code128 = 0x4,
};
Q_DECLARE_FLAGS(Symbologies, Symbology)
Q_DECLARE_OPERATORS_FOR_FLAGS(Symbologies)

/// "QR code", "DataMatrix", "Code 128" (for messages and logs).
QString symbologyName(Symbology symbology);

/// One code found in an image.
struct FoundCode
{
    QString text; // the content as UTF-8 text; GS1 FNC1 separators as U+001D
    Symbology symbology = Symbology::QrCode;
    QString symbologyId; // ISO/IEC 15424 identifier, e.g. "]Q1", "]d2" (GS1 DataMatrix)
    bool gs1 = false;    // the symbol says it carries GS1 element strings
    QPolygonF corners;   // four corners in image pixels (top-left, top-right, ...)
};

/// How hard to look. videoFrames() is for a live camera: every frame must be cheap,
/// and a code missed in one frame is found in the next. photos() is for a single
/// still image (a file, the clipboard, a WhatsApp photo): slower but thorough.
struct ReadOptions
{
    Symbologies symbologies = {Symbology::QrCode, Symbology::DataMatrix, Symbology::Code128};
    bool tryHarder = false;
    bool tryRotate = false;
    bool tryDownscale = true;
    int maxSymbols = 4;

    static ReadOptions videoFrames();
    static ReadOptions photos();
};

/// The layout of one pixel in a caller's buffer. Luma is 8-bit grey (a camera frame's
/// Y plane); the others are 8-bit channels with one padding/alpha byte, named in
/// memory order (BGRX = QImage::Format_RGB32 on little-endian machines).
enum class PixelLayout
{
    Luma,
    BGRX,
    RGBX,
    XRGB,
    XBGR,
    RGB,
    BGR,
};

/// A view of pixels the caller owns (not copied). pixelStride 0 means the layout's
/// natural size; a packed YUYV frame's luma is {data, w, h, stride, Luma, 2}.
struct ImageBuffer
{
    const uchar *data = nullptr;
    int width = 0;
    int height = 0;
    int bytesPerLine = 0;
    PixelLayout layout = PixelLayout::Luma;
    int pixelStride = 0;
};

/// ZXing-cpp restricted to our symbologies, behind a Qt-typed API. The buffer is handed
/// to ZXing as it is: no grey-scale QImage is made per frame (FACTS.md: that conversion
/// alone costs more than decoding). Immutable after construction, so one reader may be
/// used from several threads at once.
class CodeReader final
{
public:
    explicit CodeReader(const ReadOptions &options = ReadOptions::videoFrames());

    const ReadOptions &options() const { return m_options; }

    /// Every code found (at most options().maxSymbols), best first; empty when none.
    QList<FoundCode> read(const ImageBuffer &image) const;
    /// Grayscale8, RGB32, ARGB32(_Premultiplied), RGBX8888, RGBA8888, RGB888 and BGR888
    /// are read in place; other formats are converted once.
    QList<FoundCode> read(const QImage &image) const;

private:
    ReadOptions m_options;
};

} // namespace md::codes

Q_DECLARE_METATYPE(md::codes::FoundCode)
