#include "framedecoder.h"

#include <QElapsedTimer>
#include <QImage>
#include <QMutex>
#include <QScopeGuard>
#include <QThread>
#include <QVideoFrame>
#include <QWaitCondition>
#include <optional>

using namespace Qt::StringLiterals;

namespace md::ui {

namespace {

using Format = QVideoFrameFormat;

// Where the pixels ZXing reads lie in a mapped frame: the luma plane of a YUV frame,
// or the whole 32-bit RGB buffer.
struct InPlace
{
    int plane = 0;
    int offset = 0; // bytes from the start of a row to the first sample
    codes::PixelLayout layout = codes::PixelLayout::Luma;
    int pixelStride = 1; // bytes from one sample to the next
};

std::optional<InPlace> inPlaceLayout(Format::PixelFormat format)
{
    using codes::PixelLayout;
    switch (format) {
    case Format::Format_NV12:
    case Format::Format_NV21:
    case Format::Format_YUV420P:
    case Format::Format_YV12:
    case Format::Format_YUV422P:
    case Format::Format_IMC1:
    case Format::Format_IMC2:
    case Format::Format_IMC3:
    case Format::Format_IMC4:
    case Format::Format_Y8:
        return InPlace{0, 0, PixelLayout::Luma, 1};
    case Format::Format_YUYV: // Y0 U Y1 V
        return InPlace{0, 0, PixelLayout::Luma, 2};
    case Format::Format_UYVY: // U Y0 V Y1
        return InPlace{0, 1, PixelLayout::Luma, 2};
    // 16-bit little-endian luma, the significant bits at the top (P010 too): the high
    // byte of each sample is an 8-bit luma plane with a pixel stride of two.
    case Format::Format_P010:
    case Format::Format_P016:
    case Format::Format_Y16:
        return InPlace{0, Q_BYTE_ORDER == Q_LITTLE_ENDIAN ? 1 : 0, PixelLayout::Luma, 2};
    case Format::Format_AYUV: // A Y U V
    case Format::Format_AYUV_Premultiplied:
        return InPlace{0, 1, PixelLayout::Luma, 4};
    // Qt names these in memory order.
    case Format::Format_BGRA8888:
    case Format::Format_BGRA8888_Premultiplied:
    case Format::Format_BGRX8888:
        return InPlace{0, 0, PixelLayout::BGRX, 4};
    case Format::Format_RGBA8888:
    case Format::Format_RGBX8888:
        return InPlace{0, 0, PixelLayout::RGBX, 4};
    case Format::Format_ARGB8888:
    case Format::Format_ARGB8888_Premultiplied:
    case Format::Format_XRGB8888:
        return InPlace{0, 0, PixelLayout::XRGB, 4};
    case Format::Format_ABGR8888:
    case Format::Format_XBGR8888:
        return InPlace{0, 0, PixelLayout::XBGR, 4};
    default:
        // Jpeg (MJPEG cameras), YUV420P10 (10 bits at the bottom of 16), GPU-only handles.
        return std::nullopt;
    }
}

} // namespace

QList<codes::FoundCode> FrameDecoder::decodeFrame(const QVideoFrame &frame,
                                                  const codes::CodeReader &reader, bool *converted)
{
    if (converted)
        *converted = false;
    if (!frame.isValid() || frame.width() <= 0 || frame.height() <= 0)
        return {};
    QVideoFrame mapped(frame); // map() is not const; the copy shares the buffer
    const auto layout = inPlaceLayout(frame.pixelFormat());
    if (!layout) {
        if (converted)
            *converted = true;
        return reader.read(mapped.toImage());
    }
    if (!mapped.map(QVideoFrame::ReadOnly))
        return {};
    const auto unmap = qScopeGuard([&mapped] { mapped.unmap(); });
    if (layout->plane >= mapped.planeCount())
        return {};
    const uchar *bits = mapped.bits(layout->plane);
    const int width = mapped.width();
    const int height = mapped.height();
    const int bytesPerLine = mapped.bytesPerLine(layout->plane);
    // A buffer smaller than its format says (a broken driver) is refused rather than
    // read past its end.
    const qsizetype rowBytes = qsizetype(layout->offset) +
                               qsizetype(width - 1) * layout->pixelStride +
                               (layout->layout == codes::PixelLayout::Luma ? 1 : 4);
    const qsizetype needed = qsizetype(bytesPerLine) * (height - 1) + rowBytes;
    if (!bits || bytesPerLine < rowBytes || mapped.mappedBytes(layout->plane) < needed)
        return {};
    return reader.read(codes::ImageBuffer{bits + layout->offset, width, height, bytesPerLine,
                                          layout->layout, layout->pixelStride});
}

// The worker thread and its one-slot mailbox. The mutex guards the mailbox and the
// statistics; decoding runs without it, so submit() never waits for a decode.
class FrameDecoder::Worker final : public QThread
{
public:
    Worker(FrameDecoder *owner, const codes::ReadOptions &options)
        : m_owner(owner), m_reader(options)
    {
        setObjectName(u"FrameDecoder"_s);
    }

    ~Worker() override
    {
        {
            const QMutexLocker lock(&m_mutex);
            m_quit = true;
            m_pending.reset(); // a waiting frame is dropped, not decoded
            m_wake.wakeAll();
        }
        wait();
    }

    void submit(const QVideoFrame &frame)
    {
        const QMutexLocker lock(&m_mutex);
        if (!m_enabled || m_quit)
            return;
        ++m_stats.submitted;
        if (m_pending)
            ++m_stats.dropped;
        m_pending = frame;
        m_pendingNumber = ++m_frameCounter;
        m_wake.wakeOne();
    }

    void setEnabled(bool enabled)
    {
        const QMutexLocker lock(&m_mutex);
        m_enabled = enabled;
        if (!enabled && m_pending) {
            m_pending.reset();
            ++m_stats.dropped;
        }
    }

    bool isEnabled() const
    {
        const QMutexLocker lock(&m_mutex);
        return m_enabled;
    }

    Stats stats() const
    {
        const QMutexLocker lock(&m_mutex);
        Stats stats = m_stats;
        stats.meanDecodeMs = m_stats.decoded ? m_totalDecodeMs / double(m_stats.decoded) : 0;
        return stats;
    }

    void resetStats()
    {
        const QMutexLocker lock(&m_mutex);
        m_stats = {};
        m_totalDecodeMs = 0;
        // The waiting frame and the one being decoded stay submitted, so that
        // decoded + dropped == submitted holds again once they are through.
        m_stats.submitted = (m_pending ? 1 : 0) + (m_decoding ? 1 : 0);
    }

protected:
    void run() override
    {
        QMutexLocker lock(&m_mutex);
        for (;;) {
            while (!m_quit && !m_pending)
                m_wake.wait(&m_mutex);
            if (m_quit)
                return;
            QVideoFrame frame = std::move(*m_pending);
            m_pending.reset();
            FrameScan scan;
            scan.frameNumber = m_pendingNumber;
            scan.frameSize = frame.size();
            m_decoding = true;
            lock.unlock();

            QElapsedTimer timer;
            timer.start();
            bool converted = false;
            scan.codes = decodeFrame(frame, m_reader, &converted);
            scan.decodeMs = double(timer.nsecsElapsed()) / 1e6;
            // Hand the buffer back before anything else: a camera has only a few.
            frame = QVideoFrame();

            lock.relock();
            m_decoding = false;
            ++m_stats.decoded;
            if (converted)
                ++m_stats.converted;
            if (!scan.codes.isEmpty())
                ++m_stats.withCode;
            m_stats.lastDecodeMs = scan.decodeMs;
            m_stats.maxDecodeMs = std::max(m_stats.maxDecodeMs, scan.decodeMs);
            m_totalDecodeMs += scan.decodeMs;
            if (m_quit)
                return;
            // Posted to the owner: delivered on its thread, and discarded with it if it
            // is destroyed first.
            FrameDecoder *owner = m_owner;
            QMetaObject::invokeMethod(
                owner, [owner, scan] { Q_EMIT owner->frameScanned(scan); }, Qt::QueuedConnection);
        }
    }

private:
    FrameDecoder *const m_owner;
    const codes::CodeReader m_reader;
    mutable QMutex m_mutex;
    QWaitCondition m_wake;
    std::optional<QVideoFrame> m_pending;
    quint64 m_pendingNumber = 0;
    quint64 m_frameCounter = 0; // never reset: frame numbers only grow
    bool m_enabled = true;
    bool m_quit = false;
    bool m_decoding = false;
    Stats m_stats;
    double m_totalDecodeMs = 0;
};

FrameDecoder::FrameDecoder(const codes::ReadOptions &options, QObject *parent)
    : QObject(parent), m_worker(std::make_unique<Worker>(this, options))
{
    qRegisterMetaType<md::ui::FrameScan>();
    qRegisterMetaType<md::codes::FoundCode>();
    m_worker->start();
}

FrameDecoder::~FrameDecoder() = default; // ~Worker stops and joins the thread

void FrameDecoder::submit(const QVideoFrame &frame)
{
    m_worker->submit(frame);
}

void FrameDecoder::setEnabled(bool enabled)
{
    m_worker->setEnabled(enabled);
}

bool FrameDecoder::isEnabled() const
{
    return m_worker->isEnabled();
}

FrameDecoder::Stats FrameDecoder::stats() const
{
    return m_worker->stats();
}

void FrameDecoder::resetStats()
{
    m_worker->resetStats();
}

} // namespace md::ui
