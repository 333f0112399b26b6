#include "fakeframesource.h"

#include <QBuffer>
#include <QDeadlineTimer>
#include <QMutex>
#include <QThread>
#include <QWaitCondition>
#include <algorithm>
#include <chrono>
#include <cstring>

using namespace Qt::StringLiterals;

namespace md::test {

namespace {

using Format = QVideoFrameFormat;

uchar clampByte(int value)
{
    return uchar(std::clamp(value, 0, 255));
}

// BT.601, limited range: what QVideoFrameFormat assumes for YUV frames of this size
// when no colour space is set.
int lumaOf(QRgb p)
{
    return ((66 * qRed(p) + 129 * qGreen(p) + 25 * qBlue(p) + 128) >> 8) + 16;
}
int cbOf(int r, int g, int b)
{
    return ((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128;
}
int crOf(int r, int g, int b)
{
    return ((112 * r - 94 * g - 18 * b + 128) >> 8) + 128;
}

// The chroma of the block of pixels (cx * subX, cy * subY) .. +sub, averaged in RGB.
struct Chroma
{
    uchar cb = 128;
    uchar cr = 128;
};
Chroma chromaAt(const QImage &rgb, int cx, int cy, int subX, int subY)
{
    int r = 0, g = 0, b = 0, n = 0;
    for (int y = cy * subY; y < std::min(rgb.height(), (cy + 1) * subY); ++y) {
        const auto *line = reinterpret_cast<const QRgb *>(rgb.constScanLine(y));
        for (int x = cx * subX; x < std::min(rgb.width(), (cx + 1) * subX); ++x) {
            r += qRed(line[x]);
            g += qGreen(line[x]);
            b += qBlue(line[x]);
            ++n;
        }
    }
    if (n == 0)
        return {};
    r /= n;
    g /= n;
    b /= n;
    return {clampByte(cbOf(r, g, b)), clampByte(crOf(r, g, b))};
}

// A mapped plane with bounds: writes outside what the frame mapped are skipped, so an
// odd size or Qt's own plane arithmetic can never make the source write past a buffer.
struct Plane
{
    uchar *bits = nullptr;
    int bytesPerLine = 0;
    int bytes = 0;

    uchar *at(int x, int y, int size = 1) const
    {
        const qsizetype offset = qsizetype(y) * bytesPerLine + x;
        if (!bits || x < 0 || y < 0 || x + size > bytesPerLine || offset + size > bytes)
            return nullptr;
        return bits + offset;
    }
    void put(int x, int y, uchar value) const
    {
        if (uchar *p = at(x, y))
            *p = value;
    }
    void put16(int x, int y, uchar value) const // little-endian, full scale
    {
        if (uchar *p = at(x, y, 2)) {
            p[0] = value;
            p[1] = value;
        }
    }
};

Plane planeOf(QVideoFrame &frame, int plane)
{
    if (plane >= frame.planeCount())
        return {};
    return {frame.bits(plane), frame.bytesPerLine(plane), frame.mappedBytes(plane)};
}

// Byte order in memory of the 32-bit RGB formats; 'A' and 'X' are 0xff.
const char *rgbByteOrder(Format::PixelFormat format)
{
    switch (format) {
    case Format::Format_ARGB8888:
    case Format::Format_ARGB8888_Premultiplied:
        return "ARGB";
    case Format::Format_XRGB8888:
        return "XRGB";
    case Format::Format_BGRA8888:
    case Format::Format_BGRA8888_Premultiplied:
        return "BGRA";
    case Format::Format_BGRX8888:
        return "BGRX";
    case Format::Format_ABGR8888:
        return "ABGR";
    case Format::Format_XBGR8888:
        return "XBGR";
    case Format::Format_RGBA8888:
        return "RGBA";
    case Format::Format_RGBX8888:
        return "RGBX";
    default:
        return nullptr;
    }
}

// Grey-only frames (Y8, Y16) are full range, as Qt reads them.
int fullRangeLumaOf(QRgb p)
{
    return (299 * qRed(p) + 587 * qGreen(p) + 114 * qBlue(p) + 500) / 1000;
}

void writeLuma(const QImage &rgb, const Plane &plane, bool sixteenBit, bool fullRange = false)
{
    for (int y = 0; y < rgb.height(); ++y) {
        const auto *line = reinterpret_cast<const QRgb *>(rgb.constScanLine(y));
        for (int x = 0; x < rgb.width(); ++x) {
            const uchar luma = clampByte(fullRange ? fullRangeLumaOf(line[x]) : lumaOf(line[x]));
            if (sixteenBit)
                plane.put16(2 * x, y, luma);
            else
                plane.put(x, y, luma);
        }
    }
}

// Chroma planes: `interleaved` (NV12 order cb,cr; swapped for NV21) in one plane, or cb
// and cr in two planes.
void writeChroma(const QImage &rgb, int subX, int subY, const Plane &first, const Plane &second,
                 bool interleaved, bool crFirst, bool sixteenBit)
{
    const int width = (rgb.width() + subX - 1) / subX;
    const int height = (rgb.height() + subY - 1) / subY;
    const auto put = [&](const Plane &plane, int x, int y, uchar value) {
        if (sixteenBit)
            plane.put16(x * 2, y, value);
        else
            plane.put(x, y, value);
    };
    for (int cy = 0; cy < height; ++cy) {
        for (int cx = 0; cx < width; ++cx) {
            const Chroma c = chromaAt(rgb, cx, cy, subX, subY);
            const uchar a = crFirst ? c.cr : c.cb;
            const uchar b = crFirst ? c.cb : c.cr;
            if (interleaved) {
                put(first, 2 * cx, cy, a);
                put(first, 2 * cx + 1, cy, b);
            } else {
                put(first, cx, cy, a);
                put(second, cx, cy, b);
            }
        }
    }
}

// Packed 4:2:2: per pair of pixels four bytes in the order given (Y0 U Y1 V, ...).
void writePacked422(const QImage &rgb, const Plane &plane, bool uyvy)
{
    for (int y = 0; y < rgb.height(); ++y) {
        const auto *line = reinterpret_cast<const QRgb *>(rgb.constScanLine(y));
        for (int x = 0; x < rgb.width(); x += 2) {
            const uchar y0 = clampByte(lumaOf(line[x]));
            const uchar y1 = clampByte(lumaOf(line[std::min(x + 1, rgb.width() - 1)]));
            const Chroma c = chromaAt(rgb, x / 2, y, 2, 1);
            const uchar bytes[4] = {uyvy ? c.cb : y0, uyvy ? y0 : c.cb, uyvy ? c.cr : y1,
                                    uyvy ? y1 : c.cr};
            if (uchar *p = plane.at(2 * x, y, 4))
                std::memcpy(p, bytes, 4);
        }
    }
}

void writeAyuv(const QImage &rgb, const Plane &plane)
{
    for (int y = 0; y < rgb.height(); ++y) {
        const auto *line = reinterpret_cast<const QRgb *>(rgb.constScanLine(y));
        for (int x = 0; x < rgb.width(); ++x) {
            const QRgb p = line[x];
            const uchar bytes[4] = {0xff, clampByte(lumaOf(p)),
                                    clampByte(cbOf(qRed(p), qGreen(p), qBlue(p))),
                                    clampByte(crOf(qRed(p), qGreen(p), qBlue(p)))};
            if (uchar *out = plane.at(4 * x, y, 4))
                std::memcpy(out, bytes, 4);
        }
    }
}

void writeRgb32(const QImage &rgb, const Plane &plane, const char *order)
{
    for (int y = 0; y < rgb.height(); ++y) {
        const auto *line = reinterpret_cast<const QRgb *>(rgb.constScanLine(y));
        for (int x = 0; x < rgb.width(); ++x) {
            uchar *out = plane.at(4 * x, y, 4);
            if (!out)
                continue;
            for (int i = 0; i < 4; ++i) {
                switch (order[i]) {
                case 'R':
                    out[i] = uchar(qRed(line[x]));
                    break;
                case 'G':
                    out[i] = uchar(qGreen(line[x]));
                    break;
                case 'B':
                    out[i] = uchar(qBlue(line[x]));
                    break;
                default:
                    out[i] = 0xff;
                }
            }
        }
    }
}

bool writeJpeg(const QImage &rgb, const Plane &plane)
{
    QByteArray jpeg;
    QBuffer buffer(&jpeg);
    buffer.open(QIODevice::WriteOnly);
    if (!rgb.save(&buffer, "JPG", 90) || jpeg.size() > plane.bytes || !plane.bits)
        return false;
    std::memcpy(plane.bits, jpeg.constData(), size_t(jpeg.size()));
    std::memset(plane.bits + jpeg.size(), 0, size_t(plane.bytes - jpeg.size()));
    return true;
}

} // namespace

// Sends frames from a thread of its own at the source's rate, as a camera backend's
// streaming thread does.
class FakeFrameSource::Sender final : public QThread
{
public:
    explicit Sender(FakeFrameSource *source) : m_source(source)
    {
        setObjectName(u"FakeFrameSource"_s);
    }

    void requestStop()
    {
        const QMutexLocker lock(&m_mutex);
        m_stop = true;
        m_wake.wakeAll();
    }

protected:
    void run() override
    {
        using Clock = std::chrono::steady_clock;
        const double fps = m_source->m_fps;
        const auto period = std::chrono::duration_cast<Clock::duration>(
            std::chrono::duration<double>(fps > 0 ? 1.0 / fps : 0.0));
        auto start = Clock::now();
        quint64 frames = 0;
        for (;;) {
            {
                QMutexLocker lock(&m_mutex);
                const auto due = start + period * qint64(frames);
                while (!m_stop && Clock::now() < due)
                    m_wake.wait(&m_mutex, QDeadlineTimer(due, Qt::PreciseTimer));
                if (m_stop)
                    return;
            }
            if (!m_source->sendNext()) {
                Q_EMIT m_source->finished();
                return;
            }
            ++frames;
            // After a stall (a slow receiver, a busy machine) carry on at the rate
            // instead of sending the missed frames in a burst.
            const auto now = Clock::now();
            if (fps > 0 && now - (start + period * qint64(frames)) > period) {
                start = now - period;
                frames = 1;
            }
        }
    }

private:
    FakeFrameSource *m_source;
    QMutex m_mutex;
    QWaitCondition m_wake;
    bool m_stop = false;
};

FakeFrameSource::FakeFrameSource(QObject *parent) : QVideoSink(parent)
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &FakeFrameSource::onTimer);
}

FakeFrameSource::~FakeFrameSource()
{
    stop();
}

void FakeFrameSource::setPixelFormat(QVideoFrameFormat::PixelFormat format)
{
    m_format = format;
}

void FakeFrameSource::setFrameRate(double fps)
{
    m_fps = std::max(0.0, fps);
}

void FakeFrameSource::setUseThread(bool useThread)
{
    m_useThread = useThread;
}

void FakeFrameSource::setLooping(bool looping)
{
    m_looping = looping;
}

bool FakeFrameSource::append(const QImage &image, int count)
{
    const QVideoFrame frame = toVideoFrame(image, m_format);
    if (!frame.isValid())
        return false;
    appendFrame(frame, count);
    return true;
}

void FakeFrameSource::appendFrame(const QVideoFrame &frame, int count)
{
    Q_ASSERT(!isRunning());
    m_entries.append({frame, copyFrame(frame), std::max(1, count)});
}

void FakeFrameSource::clear()
{
    Q_ASSERT(!isRunning());
    m_entries.clear();
    m_entry = 0;
    m_repeat = 0;
    m_position = 0;
    m_lastSent = {};
}

int FakeFrameSource::sequenceLength() const
{
    int length = 0;
    for (const Entry &entry : m_entries)
        length += entry.count;
    return length;
}

void FakeFrameSource::start()
{
    if (isRunning())
        return;
    if (m_entry >= m_entries.size()) { // a finished pass starts again
        m_entry = 0;
        m_repeat = 0;
        m_position = 0;
    }
    if (m_useThread) {
        m_sender = std::make_unique<Sender>(this);
        m_sender->start();
        return;
    }
    m_runFrames = 0;
    m_clock.start();
    m_timer.start(0);
}

void FakeFrameSource::stop()
{
    m_timer.stop();
    if (m_sender) {
        m_sender->requestStop();
        m_sender->wait();
        m_sender.reset();
    }
}

bool FakeFrameSource::isRunning() const
{
    return m_timer.isActive() || (m_sender && m_sender->isRunning());
}

bool FakeFrameSource::sendNext()
{
    if (m_entries.isEmpty())
        return false;
    if (m_entry >= m_entries.size()) {
        if (!m_looping)
            return false;
        m_entry = 0;
        m_repeat = 0;
        m_position = 0;
    }
    const Entry &entry = m_entries.at(m_entry);
    // Never the frame the sink holds: it would not announce it.
    const QVideoFrame &frame =
        entry.frame == m_lastSent && entry.copy.isValid() ? entry.copy : entry.frame;
    m_lastSent = frame;
    if (++m_repeat >= entry.count) {
        ++m_entry;
        m_repeat = 0;
    }
    m_position = m_position + 1;
    setVideoFrame(frame);
    ++m_sent;
    return true;
}

void FakeFrameSource::onTimer()
{
    if (!sendNext()) {
        Q_EMIT finished();
        return;
    }
    ++m_runFrames;
    if (m_fps <= 0) {
        m_timer.start(0);
        return;
    }
    const double periodMs = 1000.0 / m_fps;
    double remaining = double(m_runFrames) * periodMs - double(m_clock.nsecsElapsed()) / 1e6;
    if (remaining < -periodMs) { // behind after a stall: carry on at the rate, no burst
        m_clock.restart();
        m_runFrames = 0;
        remaining = periodMs;
    }
    m_timer.start(std::max(0, int(remaining + 0.5)));
}

QVideoFrame FakeFrameSource::toVideoFrame(const QImage &image,
                                          QVideoFrameFormat::PixelFormat format)
{
    if (image.isNull())
        return {};
    const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
    QVideoFrame frame(QVideoFrameFormat(rgb.size(), format));
    if (!frame.isValid() || !frame.map(QVideoFrame::WriteOnly))
        return {};
    const Plane p0 = planeOf(frame, 0);
    const Plane p1 = planeOf(frame, 1);
    const Plane p2 = planeOf(frame, 2);
    bool ok = true;
    switch (format) {
    case Format::Format_NV12:
    case Format::Format_NV21:
        writeLuma(rgb, p0, false);
        writeChroma(rgb, 2, 2, p1, {}, true, format == Format::Format_NV21, false);
        break;
    case Format::Format_P010:
    case Format::Format_P016:
        writeLuma(rgb, p0, true);
        writeChroma(rgb, 2, 2, p1, {}, true, false, true);
        break;
    case Format::Format_YUV420P:
    case Format::Format_YV12:
        writeLuma(rgb, p0, false);
        writeChroma(rgb, 2, 2, p1, p2, false, format == Format::Format_YV12, false);
        break;
    case Format::Format_YUV422P:
        writeLuma(rgb, p0, false);
        writeChroma(rgb, 2, 1, p1, p2, false, false, false);
        break;
    case Format::Format_YUYV:
    case Format::Format_UYVY:
        writePacked422(rgb, p0, format == Format::Format_UYVY);
        break;
    case Format::Format_AYUV:
    case Format::Format_AYUV_Premultiplied:
        writeAyuv(rgb, p0);
        break;
    case Format::Format_Y8:
        writeLuma(rgb, p0, false, true);
        break;
    case Format::Format_Y16:
        writeLuma(rgb, p0, true, true);
        break;
    case Format::Format_Jpeg:
        ok = writeJpeg(rgb, p0);
        break;
    default:
        if (const char *order = rgbByteOrder(format))
            writeRgb32(rgb, p0, order);
        else
            ok = false;
    }
    frame.unmap();
    return ok ? frame : QVideoFrame();
}

QVideoFrame FakeFrameSource::copyFrame(const QVideoFrame &frame)
{
    QVideoFrame source(frame);
    QVideoFrame copy(frame.surfaceFormat());
    if (!source.isValid() || !copy.isValid() || !source.map(QVideoFrame::ReadOnly))
        return {};
    if (!copy.map(QVideoFrame::WriteOnly)) {
        source.unmap();
        return {};
    }
    for (int plane = 0; plane < std::min(source.planeCount(), copy.planeCount()); ++plane) {
        std::memcpy(copy.bits(plane), source.bits(plane),
                    size_t(std::min(source.mappedBytes(plane), copy.mappedBytes(plane))));
    }
    copy.unmap();
    source.unmap();
    return copy;
}

} // namespace md::test
