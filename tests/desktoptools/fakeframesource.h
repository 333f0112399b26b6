#pragma once

#include <QElapsedTimer>
#include <QImage>
#include <QList>
#include <QTimer>
#include <QVideoFrame>
#include <QVideoFrameFormat>
#include <QVideoSink>
#include <atomic>
#include <memory>

namespace md::test {

/// A stand-in for a webcam: a QVideoSink fed at a chosen frame rate from a list of
/// images. Each image is converted once, when it is appended, into a QVideoFrame of the
/// chosen pixel format (NV12 by default, as most webcams deliver), so sending costs
/// nothing and a test or benchmark measures the pipeline, not the source. Frames can
/// be sent from the thread the source lives on (a timer) or from a thread of its own,
/// as camera backends do.
///
/// QVideoSink does not announce a frame equal to the one it already holds; an image
/// shown for several frames in a row therefore alternates between two copies made when
/// it was appended, so that every frame sent is announced, as a camera's would be.
class FakeFrameSource final : public QVideoSink
{
    Q_OBJECT
public:
    explicit FakeFrameSource(QObject *parent = nullptr);
    ~FakeFrameSource() override; // stops

    /// The format of the frames made by later append() calls (NV12 by default).
    void setPixelFormat(QVideoFrameFormat::PixelFormat format);
    QVideoFrameFormat::PixelFormat pixelFormat() const { return m_format; }
    /// Frames per second; 0 sends as fast as the receivers let it (thread mode).
    void setFrameRate(double fps);
    double frameRate() const { return m_fps; }
    /// Emits from a thread of its own instead of this object's thread.
    void setUseThread(bool useThread);
    /// Starts again at the first frame after the last (default) or stops there.
    void setLooping(bool looping);

    /// Appends `image` (converted once) to be sent for `count` consecutive frames.
    /// False when the image cannot be converted to the pixel format. The list is
    /// changed only while the source is stopped.
    bool append(const QImage &image, int count = 1);
    /// Appends a ready-made frame (and a copy of it when count > 1).
    void appendFrame(const QVideoFrame &frame, int count = 1);
    void clear();
    /// Frames in one pass through the list.
    int sequenceLength() const;

    void start();
    void stop();
    bool isRunning() const;
    /// Frames sent since the source was made (or resetCount()).
    quint64 framesSent() const { return m_sent.load(); }
    void resetCount() { m_sent.store(0); }
    /// The position in the list of the next frame to send.
    int position() const { return m_position.load(); }

    /// `image` as a frame of `format`: planar and semi-planar 4:2:0 and 4:2:2 YUV,
    /// packed YUYV/UYVY/AYUV, P010/P016 (BT.601, limited range), Y8/Y16 (full-range
    /// grey), every 32-bit RGB layout, and Jpeg (the compressed bytes, as an MJPEG camera
    /// sends them).
    /// An invalid frame when the format is not one of these.
    static QVideoFrame toVideoFrame(const QImage &image, QVideoFrameFormat::PixelFormat format);
    /// A deep copy: another buffer with the same pixels.
    static QVideoFrame copyFrame(const QVideoFrame &frame);

Q_SIGNALS:
    /// Every frame of the list has been sent once and looping is off.
    void finished();

private:
    struct Entry
    {
        QVideoFrame frame;
        QVideoFrame copy; // sent every other time when the image is shown repeatedly
        int count = 1;
    };
    class Sender;

    // Sends the next frame; false once the list is done (not looping).
    bool sendNext();
    void onTimer();

    QList<Entry> m_entries;
    QVideoFrameFormat::PixelFormat m_format = QVideoFrameFormat::Format_NV12;
    double m_fps = 30;
    bool m_useThread = false;
    bool m_looping = true;
    std::atomic<quint64> m_sent{0};
    std::atomic<int> m_position{0};
    // Where sendNext() is in the list (the entry and how often it was sent).
    int m_entry = 0;
    int m_repeat = 0;
    QVideoFrame m_lastSent;
    std::unique_ptr<Sender> m_sender;
    QTimer m_timer;
    QElapsedTimer m_clock;   // since start(), for the timer's deadlines
    quint64 m_runFrames = 0; // frames sent since start()
};

} // namespace md::test
