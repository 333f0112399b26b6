#include "scanpipeline.h"

#include "camerapreview.h"
#include "framedecoder.h"

#include <QMutex>
#include <QVideoFrame>
#include <QVideoSink>

namespace md::ui {

// What the sink's thread touches. Camera backends emit frames from their own threads,
// possibly while the pipeline is being destroyed on the UI thread: the connection keeps
// the relay alive, and the pipeline detaches it under the mutex before it goes.
class ScanPipeline::Relay
{
public:
    void frameArrived(const QVideoFrame &frame)
    {
        const QMutexLocker lock(&mutex);
        if (decoder)
            decoder->submit(frame);
        if (!owner || !previewWanted)
            return;
        // The preview paints the newest frame only: at most one delivery is on its way
        // to the UI thread, and a frame arriving meanwhile replaces the one it carries.
        previewFrame = frame;
        if (previewPosted)
            return;
        previewPosted = true;
        ScanPipeline *pipeline = owner;
        QMetaObject::invokeMethod(
            pipeline, [pipeline] { pipeline->deliverPreviewFrame(); }, Qt::QueuedConnection);
    }

    QVideoFrame takePreviewFrame()
    {
        const QMutexLocker lock(&mutex);
        previewPosted = false;
        return std::exchange(previewFrame, QVideoFrame());
    }

    QMutex mutex;
    FrameDecoder *decoder = nullptr;
    ScanPipeline *owner = nullptr;
    bool previewWanted = false;
    bool previewPosted = false;
    QVideoFrame previewFrame;
};

ScanPipeline::ScanPipeline(QObject *parent)
    : QObject(parent), m_decoder(new FrameDecoder(codes::ReadOptions::videoFrames(), this)),
      m_relay(std::make_shared<Relay>())
{
    m_relay->decoder = m_decoder;
    m_relay->owner = this;
    connect(m_decoder, &FrameDecoder::frameScanned, this, &ScanPipeline::onFrameScanned);
    m_clock.start();
}

ScanPipeline::~ScanPipeline()
{
    disconnect(m_sinkConnection);
    const QMutexLocker lock(&m_relay->mutex);
    m_relay->decoder = nullptr;
    m_relay->owner = nullptr;
    m_relay->previewFrame = QVideoFrame();
}

void ScanPipeline::setVideoSink(QVideoSink *sink)
{
    if (m_sink == sink)
        return;
    disconnect(m_sinkConnection);
    m_sink = sink;
    if (!sink)
        return;
    // Direct: the frame goes into the decoder's mailbox on the thread that produced it,
    // without a trip through the UI thread's event queue.
    m_sinkConnection = connect(
        sink, &QVideoSink::videoFrameChanged, this,
        [relay = m_relay](const QVideoFrame &frame) { relay->frameArrived(frame); },
        Qt::DirectConnection);
}

void ScanPipeline::setPreview(CameraPreview *preview)
{
    m_preview = preview;
    const QMutexLocker lock(&m_relay->mutex);
    m_relay->previewWanted = preview != nullptr;
}

FrameDecoder *ScanPipeline::decoder() const
{
    return m_decoder;
}

void ScanPipeline::setRepeatInterval(int ms)
{
    m_repeatInterval = std::max(0, ms);
}

int ScanPipeline::repeatInterval() const
{
    return m_repeatInterval;
}

void ScanPipeline::deliverPreviewFrame()
{
    const QVideoFrame frame = m_relay->takePreviewFrame();
    if (m_preview && frame.isValid())
        m_preview->showFrame(frame);
}

void ScanPipeline::onFrameScanned(const FrameScan &scan)
{
    const qint64 now = m_clock.elapsed();
    // Codes out of sight for longer than the interval are forgotten, so the next
    // appearance is reported and the table stays small whatever passes the camera.
    for (auto it = m_lastSeen.begin(); it != m_lastSeen.end();) {
        if (now - it.value() > m_repeatInterval)
            it = m_lastSeen.erase(it);
        else
            ++it;
    }
    if (scan.codes.isEmpty())
        return;

    QList<QPolygonF> outlines;
    outlines.reserve(scan.codes.size());
    QList<codes::FoundCode> appeared;
    for (const codes::FoundCode &code : scan.codes) {
        outlines << code.corners;
        if (code.text.isEmpty())
            continue;
        if (!m_lastSeen.contains(code.text))
            appeared << code;
        m_lastSeen.insert(code.text, now);
    }
    if (m_preview)
        m_preview->showOutlines(outlines, scan.frameSize);
    for (const codes::FoundCode &code : std::as_const(appeared))
        Q_EMIT codeScanned(code);
}

} // namespace md::ui
