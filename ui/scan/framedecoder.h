#pragma once

#include "codes/codereader.h"

#include <QList>
#include <QMetaType>
#include <QObject>
#include <QSize>
#include <memory>

class QVideoFrame;

namespace md::ui {

/// One camera frame after decoding.
struct FrameScan
{
    quint64 frameNumber = 0;       // the order in which frames were submitted (from 1)
    QSize frameSize;               // pixels, as the frame came
    QList<codes::FoundCode> codes; // corners in frame pixels; empty: no code in this frame
    double decodeMs = 0;           // mapping the frame + reading it
};

/// Decodes camera frames on its own worker thread, always the newest one: submit()
/// replaces a frame that is still waiting (counted as dropped) instead of queueing it,
/// so a slow decode never builds a backlog and what is shown stays current. The luma
/// plane (NV12, NV21, YUV420P, YV12, YUV422P, IMC1-4, Y8, packed YUYV/UYVY/AYUV, the high
/// bytes of P010/P016/Y16) or the 32-bit RGB buffer of a mapped QVideoFrame goes to ZXing
/// as it is; only other formats (MJPEG frames, YUV420P10) are converted, and those
/// conversions are counted.
class FrameDecoder final : public QObject
{
    Q_OBJECT
public:
    explicit FrameDecoder(const codes::ReadOptions &options = codes::ReadOptions::videoFrames(),
                          QObject *parent = nullptr);
    ~FrameDecoder() override; // stops and joins the worker

    /// Thread-safe and returns at once.
    void submit(const QVideoFrame &frame);
    /// Disabled: submitted frames are ignored (the view is hidden, a result is shown).
    void setEnabled(bool enabled);
    bool isEnabled() const;

    struct Stats
    {
        quint64 submitted = 0;
        quint64 decoded = 0;
        quint64 dropped = 0;   // replaced by a newer frame before the worker took them
        quint64 converted = 0; // frames whose pixels had to be converted first
        quint64 withCode = 0;  // decoded frames with at least one code
        double lastDecodeMs = 0;
        double meanDecodeMs = 0;
        double maxDecodeMs = 0;
    };
    Stats stats() const;
    void resetStats();

    /// The decoding step alone, on the calling thread (tests, benchmarks): map, read the
    /// pixels in place where the format allows, unmap. *converted tells whether the
    /// pixels had to be converted.
    static QList<codes::FoundCode> decodeFrame(const QVideoFrame &frame,
                                               const codes::CodeReader &reader,
                                               bool *converted = nullptr);

Q_SIGNALS:
    /// Every decoded frame, delivered on this object's thread.
    void frameScanned(const md::ui::FrameScan &scan);

private:
    class Worker;
    std::unique_ptr<Worker> m_worker;
};

} // namespace md::ui

Q_DECLARE_METATYPE(md::ui::FrameScan)
