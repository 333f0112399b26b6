#include "photoreader.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QImageReader>
#include <QtMath>

#include <array>
#include <cstring>
#include <mutex>

using namespace Qt::StringLiterals;

namespace md::codes {

namespace {

enum class ImageType
{
    Unknown,
    Jpeg,
    Png,
};

QString tr(const char *text)
{
    return QCoreApplication::translate("md::codes::PhotoReader", text);
}

PhotoResult failure(PhotoStatus status, const QString &detail)
{
    PhotoResult result;
    result.status = status;
    result.detail = detail;
    return result;
}

QString typeName(ImageType type)
{
    return type == ImageType::Jpeg ? u"JPEG"_s : u"PNG"_s;
}

ImageType sniff(const QByteArray &bytes)
{
    static constexpr std::array<uchar, 3> Jpeg{0xFF, 0xD8, 0xFF};
    static constexpr std::array<uchar, 8> Png{0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A};
    auto startsWith = [&bytes](const auto &magic) {
        return bytes.size() >= qsizetype(magic.size()) &&
               std::memcmp(bytes.constData(), magic.data(), magic.size()) == 0;
    };
    if (startsWith(Jpeg))
        return ImageType::Jpeg;
    if (startsWith(Png))
        return ImageType::Png;
    return ImageType::Unknown;
}

ImageType typeOfFormat(const QByteArray &format)
{
    const QByteArray f = format.trimmed().toLower();
    if (f == "jpeg" || f == "jpg" || f == "image/jpeg")
        return ImageType::Jpeg;
    if (f == "png" || f == "image/png")
        return ImageType::Png;
    return ImageType::Unknown;
}

// libjpeg fills a cut-off JPEG with grey and reports success (the warning goes only to
// the log), so completeness is checked here: the marker segments are walked from SOI
// (skipping APPn payloads such as an EXIF thumbnail with its own EOI) and through each
// scan's entropy-coded data to the main image's EOI. Bytes after EOI are allowed (some
// phones append a trailer).
bool jpegIsComplete(const QByteArray &bytes)
{
    const auto *data = reinterpret_cast<const uchar *>(bytes.constData());
    const qsizetype size = bytes.size();
    qsizetype pos = 2; // after SOI
    while (pos < size) {
        if (data[pos] != 0xFF)
            return false;
        while (pos < size && data[pos] == 0xFF)
            ++pos; // fill bytes
        if (pos >= size)
            return false;
        const uchar marker = data[pos++];
        if (marker == 0xD9)
            return true; // EOI
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7))
            continue; // TEM, RSTn: no length
        if (marker == 0xD8 || marker == 0x00)
            return false;
        if (pos + 2 > size)
            return false;
        const int length = (data[pos] << 8) | data[pos + 1];
        if (length < 2)
            return false;
        pos += length;
        if (marker != 0xDA)
            continue;
        // Entropy-coded data runs to the next marker that is not a stuffed 0xFF00 or RSTn.
        while (pos < size) {
            const void *ff = std::memchr(data + pos, 0xFF, size_t(size - pos));
            if (!ff)
                return false;
            pos = static_cast<const uchar *>(ff) - data;
            if (pos + 1 >= size)
                return false;
            const uchar next = data[pos + 1];
            if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
                pos += 2;
                continue;
            }
            break;
        }
    }
    return false;
}

struct PngInfo
{
    bool complete = false;
    int bitDepth = 8;
    qint64 pixels = 0; // as IHDR declares (libpng refuses over 1,000,000 per side itself)
};

// The chunk list from IHDR to IEND (libpng checks the CRCs while decoding).
PngInfo pngInfo(const QByteArray &bytes)
{
    const auto *data = reinterpret_cast<const uchar *>(bytes.constData());
    const qint64 size = bytes.size();
    auto be32 = [data](qint64 at) {
        return (quint32(data[at]) << 24) | (quint32(data[at + 1]) << 16) |
               (quint32(data[at + 2]) << 8) | quint32(data[at + 3]);
    };
    PngInfo info;
    qint64 pos = 8;
    bool first = true;
    while (pos + 12 <= size) {
        const quint32 length = be32(pos);
        if (length > 0x7FFFFFFFu)
            return info;
        const char *type = bytes.constData() + pos + 4;
        if (first) {
            if (std::memcmp(type, "IHDR", 4) != 0 || length != 13 || pos + 8 + 13 > size)
                return info;
            info.pixels = qint64(be32(pos + 8)) * be32(pos + 12);
            info.bitDepth = data[pos + 8 + 8];
            first = false;
        }
        pos += 12 + qint64(length);
        if (std::memcmp(type, "IEND", 4) == 0) {
            info.complete = pos <= size;
            return info;
        }
    }
    return info;
}

// What QImageReader will allocate for the decoded image, replicating Qt's JPEG handler:
// with a scaled size it decodes at libjpeg's M/8 with M = ceil(8 / f), then scales.
QSize jpegDecodeSize(QSize size, QSize scaled)
{
    if (!scaled.isValid() || scaled.isEmpty())
        return size;
    const double f =
        qMin(double(size.width()) / scaled.width(), double(size.height()) / scaled.height());
    const int m = qBound(1, qCeil(8 / f), 8);
    return {int((qint64(size.width()) * m + 7) / 8), int((qint64(size.height()) * m + 7) / 8)};
}

struct DecodePlan
{
    QSize scaledSize; // invalid: as stored
    qint64 bytes = 0; // the decoder's allocation
};

// The scaled size to ask for and what decoding will allocate. A JPEG larger than
// maxEdge is decoded at libjpeg's largest M/8 that fits, asking for exactly that size:
// then the DCT does all the scaling and Qt has nothing left to resample (a smooth
// resample of a 12-megapixel photo to "4000 wide" costs more than decoding it).
// A PNG is always decoded whole first, then scaled.
DecodePlan planDecode(ImageType type, QSize size, int bytesPerPixel, int maxEdge)
{
    DecodePlan plan;
    auto bytesOf = [bytesPerPixel](QSize s) {
        return qint64(s.width()) * s.height() * bytesPerPixel;
    };
    plan.bytes = bytesOf(size);
    const int longer = std::max(size.width(), size.height());
    if (longer <= maxEdge)
        return plan;
    if (type != ImageType::Jpeg) {
        const QSize scaled = size.scaled(maxEdge, maxEdge, Qt::KeepAspectRatio);
        plan.scaledSize = QSize(std::max(1, scaled.width()), std::max(1, scaled.height()));
        return plan;
    }
    for (int m = 7; m >= 1; --m) {
        const QSize exact(int((qint64(size.width()) * m + 7) / 8),
                          int((qint64(size.height()) * m + 7) / 8));
        if (std::max(exact.width(), exact.height()) > maxEdge)
            continue;
        // Qt derives M from the ratio in floating point; keep the size only when that
        // gives this M back (else try the next smaller factor).
        if (jpegDecodeSize(size, exact) == exact) {
            plan.scaledSize = exact;
            plan.bytes = bytesOf(exact);
            return plan;
        }
    }
    // Longer than 8 × maxEdge (a panorama): decoded at 1/8, then resampled.
    const QSize scaled = size.scaled(maxEdge, maxEdge, Qt::KeepAspectRatio);
    plan.scaledSize = QSize(std::max(1, scaled.width()), std::max(1, scaled.height()));
    plan.bytes = bytesOf(jpegDecodeSize(size, plan.scaledSize));
    return plan;
}

// Phone photos (12 megapixels and more) are first decoded at 1/2, 1/4 or 1/8, where
// libjpeg skips most of the work (measured: a 4032 × 3024 colour JPEG decodes ~10×
// faster at 1/2 than at 7/8, and ZXing reads a quarter of the pixels). A label large
// enough to identify reads there; only when nothing is found is the photo decoded at
// the full plan. The coarse size is the smallest exact M/8 size at least CoarseEdge
// long; invalid when the photo is not at least twice that (no gain).
constexpr int CoarseEdge = 1600;

QSize coarseSize(QSize size, int maxEdge)
{
    const int longer = std::max(size.width(), size.height());
    if (longer < 2 * CoarseEdge)
        return {};
    for (int m = 1; m <= 4; m *= 2) {
        const QSize exact(int((qint64(size.width()) * m + 7) / 8),
                          int((qint64(size.height()) * m + 7) / 8));
        const int edge = std::max(exact.width(), exact.height());
        if (edge < CoarseEdge)
            continue;
        if (edge > maxEdge || jpegDecodeSize(size, exact) != exact)
            return {};
        return exact;
    }
    return {};
}

QImage decodeImage(const QByteArray &bytes, ImageType type, QSize scaledSize, QString *error)
{
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer, type == ImageType::Jpeg ? "jpeg" : "png");
    reader.setDecideFormatFromContent(false);
    // EXIF orientation is ignored: codes are found in any orientation, and turning a
    // 12-megapixel photo costs more than reading it.
    reader.setAutoTransform(false);
    if (scaledSize.isValid())
        reader.setScaledSize(scaledSize);
    QImage image;
    if (!reader.read(&image) || image.isNull()) {
        *error = reader.errorString();
        return {};
    }
    return image;
}

// QImageReader's allocation limit is process-wide: it is set to what the largest
// maxDecodedEdge² RGB32 image asked for so far needs (Qt's default is 128 MiB; ours is
// 62 MiB), so that a header that lies about the size cannot make a decoder allocate
// more. It is only raised afterwards, never lowered under a concurrent reader.
void ensureAllocationLimit(int megabytes)
{
    static std::mutex mutex;
    static int current = 0;
    const std::lock_guard lock(mutex);
    if (megabytes > current) {
        current = megabytes;
        QImageReader::setAllocationLimit(megabytes);
    }
}

// ---- decoding passes ------------------------------------------------------------------

QList<FoundCode> scaledBack(QList<FoundCode> codes, double factor)
{
    for (FoundCode &code : codes) {
        for (QPointF &p : code.corners)
            p *= factor;
    }
    return codes;
}

// Maps the 1st–99th percentile of grey levels linearly onto 0–255, in place. A monotonic
// map: nothing already readable becomes unreadable.
void stretchContrast(QImage &grey)
{
    std::array<qint64, 256> histogram{};
    for (int y = 0; y < grey.height(); ++y) {
        const uchar *line = grey.constScanLine(y);
        for (int x = 0; x < grey.width(); ++x)
            ++histogram[line[x]];
    }
    const qint64 clip = qint64(grey.width()) * grey.height() / 100;
    int low = 0;
    for (qint64 sum = histogram[0]; low < 255 && sum <= clip; sum += histogram[++low]) {
    }
    int high = 255;
    for (qint64 sum = histogram[255]; high > 0 && sum <= clip; sum += histogram[--high]) {
    }
    if (high - low < 4 || (low == 0 && high == 255))
        return; // flat (nothing to find) or already full range
    std::array<uchar, 256> map{};
    for (int v = 0; v < 256; ++v)
        map[v] = uchar(std::clamp((v - low) * 255 / (high - low), 0, 255));
    for (int y = 0; y < grey.height(); ++y) {
        uchar *line = grey.scanLine(y);
        for (int x = 0; x < grey.width(); ++x)
            line[x] = map[line[x]];
    }
}

// The median of nine by a fixed exchange network (19 compare-exchanges; Paeth, Graphics
// Gems 1990): branch-free, several times faster than a partial sort per pixel.
uchar median9(std::array<uchar, 9> p)
{
    auto sort2 = [&p](int a, int b) {
        const uchar lo = std::min(p[a], p[b]);
        p[b] = std::max(p[a], p[b]);
        p[a] = lo;
    };
    sort2(1, 2), sort2(4, 5), sort2(7, 8), sort2(0, 1), sort2(3, 4), sort2(6, 7);
    sort2(1, 2), sort2(4, 5), sort2(7, 8), sort2(0, 3), sort2(5, 8), sort2(4, 7);
    sort2(3, 6), sort2(1, 4), sort2(2, 5), sort2(4, 7), sort2(4, 2), sort2(6, 4);
    sort2(4, 2);
    return p[4];
}

// A 2×2 box average, a 3×3 median and a contrast stretch, on grey: the average halves
// sensor noise and brings a blurred or large code to module sizes the detector likes;
// the median removes the specks (impulse noise, JPEG ringing) that break finder
// patterns; the stretch (1st to 99th percentile onto 0–255) lifts a faded label over
// ZXing's minimum local contrast. On a quarter of the pixels, so the pass costs far
// less than the first one.
QImage denoisedHalf(const QImage &image)
{
    const QImage grey = image.format() == QImage::Format_Grayscale8
                            ? image
                            : image.convertToFormat(QImage::Format_Grayscale8);
    const int w = grey.width() / 2;
    const int h = grey.height() / 2;
    if (w < 21 || h < 21) // smaller than the smallest QR code
        return {};
    QImage half(w, h, QImage::Format_Grayscale8);
    for (int y = 0; y < h; ++y) {
        const uchar *a = grey.constScanLine(2 * y);
        const uchar *b = grey.constScanLine(2 * y + 1);
        uchar *line = half.scanLine(y);
        for (int x = 0; x < w; ++x)
            line[x] = uchar((a[2 * x] + a[2 * x + 1] + b[2 * x] + b[2 * x + 1] + 2) / 4);
    }
    QImage out = half.copy();
    for (int y = 1; y < h - 1; ++y) {
        const uchar *above = half.constScanLine(y - 1);
        const uchar *row = half.constScanLine(y);
        const uchar *below = half.constScanLine(y + 1);
        uchar *line = out.scanLine(y);
        for (int x = 1; x < w - 1; ++x) {
            line[x] = median9({above[x - 1], above[x], above[x + 1], row[x - 1], row[x], row[x + 1],
                               below[x - 1], below[x], below[x + 1]});
        }
    }
    stretchContrast(out);
    return out;
}

// Which passes earn their time was measured on tst_codereader's corpus (112 images:
// labels rotated, small, blurred, noisy, low-contrast, tilted, JPEG q40, in 1600×1200
// and 4032×3024 scenes; GS1 DataMatrix and GS1-128): ReadOptions::photos() alone
// identified 95, followed by the denoised half-size image all 112. Tried instead as the
// second pass: a plain half-size image (110 box, 109 smooth), a full-size 3×3 median
// (108), a contrast stretch or an unsharp mask (99 each); none found an image that the
// denoised half missed. The stretch, folded into that pass, adds labels at 15–20 %
// contrast (the corpus's "beyond" images) at no measurable cost; a separate pass for it
// would add a third of the time on photos without a code.
PhotoResult decodePasses(const QImage &image)
{
    PhotoResult result;
    result.imageSize = image.size();
    result.status = PhotoStatus::NoCode;
    if (image.isNull())
        return result;

    const CodeReader reader(ReadOptions::photos());
    QList<FoundCode> codes = reader.read(image);
    if (codes.isEmpty()) {
        const QImage denoised = denoisedHalf(image);
        if (!denoised.isNull())
            codes = scaledBack(reader.read(denoised), double(image.width()) / denoised.width());
    }
    if (!codes.isEmpty()) {
        result.status = PhotoStatus::Found;
        result.codes = std::move(codes);
    }
    return result;
}

} // namespace

PhotoResult PhotoReader::read(const QByteArray &bytes, const QByteArray &format,
                              const PhotoLimits &limits)
{
    if (bytes.size() > limits.maxBytes) {
        return failure(PhotoStatus::TooLarge, tr("The image has %1 bytes; at most %2 are accepted.")
                                                  .arg(bytes.size())
                                                  .arg(limits.maxBytes));
    }
    if (bytes.isEmpty())
        return failure(PhotoStatus::Unreadable, tr("The file is empty."));
    const ImageType actual = sniff(bytes);
    if (actual == ImageType::Unknown)
        return failure(PhotoStatus::Unreadable, tr("The data is not a JPEG or PNG image."));
    if (!format.isEmpty()) {
        const ImageType expected = typeOfFormat(format);
        if (expected == ImageType::Unknown)
            return failure(PhotoStatus::Unreadable, tr("Only JPEG and PNG images are read."));
        if (expected != actual) {
            return failure(
                PhotoStatus::Unreadable,
                tr("The data is a %1 image, not %2.").arg(typeName(actual), typeName(expected)));
        }
    }
    int bytesPerPixel = 4; // RGB32/ARGB32, or 1 for a grey JPEG: the larger is assumed
    if (actual == ImageType::Jpeg) {
        if (!jpegIsComplete(bytes))
            return failure(PhotoStatus::Unreadable, tr("The JPEG image is truncated or corrupt."));
    } else {
        const PngInfo info = pngInfo(bytes);
        if (!info.complete)
            return failure(PhotoStatus::Unreadable, tr("The PNG image is truncated or corrupt."));
        if (info.pixels > limits.maxPixels) {
            return failure(PhotoStatus::TooLarge,
                           tr("The image has %1 pixels; at most %2 are accepted.")
                               .arg(info.pixels)
                               .arg(limits.maxPixels));
        }
        if (info.bitDepth == 16)
            bytesPerPixel = 8; // Qt decodes 16-bit PNGs to RGBA64
    }

    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    QImageReader header(&buffer, actual == ImageType::Jpeg ? "jpeg" : "png");
    header.setDecideFormatFromContent(false);
    const QSize size = header.size();
    if (!size.isValid() || size.isEmpty())
        return failure(PhotoStatus::Unreadable, tr("The image header is not valid."));
    if (qint64(size.width()) * size.height() > limits.maxPixels) {
        return failure(PhotoStatus::TooLarge,
                       tr("The image is %1 × %2 pixels; at most %3 pixels are accepted.")
                           .arg(size.width())
                           .arg(size.height())
                           .arg(limits.maxPixels));
    }
    const int maxEdge = std::max(1, limits.maxDecodedEdge);
    const qint64 capBytes = qint64(maxEdge) * maxEdge * 4;
    const DecodePlan plan = planDecode(actual, size, bytesPerPixel, maxEdge);
    if (plan.bytes > capBytes) {
        return failure(PhotoStatus::TooLarge,
                       tr("The %1 image is %2 × %3 pixels, too large to decode.")
                           .arg(typeName(actual))
                           .arg(size.width())
                           .arg(size.height()));
    }
    ensureAllocationLimit(int((capBytes + (1 << 20) - 1) >> 20));

    QString error;
    if (actual == ImageType::Jpeg) {
        if (const QSize coarse = coarseSize(size, maxEdge); coarse.isValid()) {
            const QImage small = decodeImage(bytes, actual, coarse, &error);
            QList<FoundCode> codes = CodeReader(ReadOptions::photos()).read(small);
            if (!codes.isEmpty()) {
                PhotoResult result;
                result.status = PhotoStatus::Found;
                result.codes = std::move(codes);
                result.imageSize = small.size();
                return result;
            }
        }
    }
    const QImage image = decodeImage(bytes, actual, plan.scaledSize, &error);
    if (image.isNull())
        return failure(PhotoStatus::Unreadable,
                       tr("The image could not be decoded: %1").arg(error));
    return decodePasses(image);
}

PhotoResult PhotoReader::readFile(const QString &path, const PhotoLimits &limits)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return failure(PhotoStatus::Unreadable, tr("The file could not be opened."));
    if (file.size() > limits.maxBytes) {
        return failure(PhotoStatus::TooLarge, tr("The image has %1 bytes; at most %2 are accepted.")
                                                  .arg(file.size())
                                                  .arg(limits.maxBytes));
    }
    // One byte over the limit is enough to tell (a file may grow while it is read);
    // the buffer is sized by the file, not by the limit.
    const QByteArray bytes = file.read(std::min(file.size(), limits.maxBytes) + 1);
    // A .jpg/.jpeg/.png name is a claim like a Content-Type, held to the content;
    // any other name is sniffed.
    const QString suffix = QFileInfo(path).suffix().toLower();
    QByteArray format;
    if (suffix == u"jpg"_s || suffix == u"jpeg"_s)
        format = "jpeg";
    else if (suffix == u"png"_s)
        format = "png";
    return read(bytes, format, limits);
}

PhotoResult PhotoReader::read(const QImage &image)
{
    // A pasted screenshot of a large screen stays within the same bound as a file.
    const int maxEdge = PhotoLimits{}.maxDecodedEdge;
    if (std::max(image.width(), image.height()) > maxEdge) {
        return decodePasses(
            image.scaled(maxEdge, maxEdge, Qt::KeepAspectRatio, Qt::SmoothTransformation));
    }
    return decodePasses(image);
}

} // namespace md::codes
