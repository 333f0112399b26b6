#pragma once

#include "codes/codereader.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <memory>

class QVideoSink;

namespace md::ui {

class CameraPreview;
class FrameDecoder;
struct FrameScan;

/// Camera frames → FrameDecoder (worker thread, newest frame) → the preview's outlines,
/// and codeScanned() once per appearance of a code: the same payload is reported again
/// only after it has been out of sight for repeatInterval() ms, so holding a label in
/// front of the camera opens it once. The source is any QVideoSink: the webcam's
/// (CameraSource) or a test's frame source.
class ScanPipeline final : public QObject
{
    Q_OBJECT
public:
    explicit ScanPipeline(QObject *parent = nullptr);
    ~ScanPipeline() override;

    void setVideoSink(QVideoSink *sink);
    void setPreview(CameraPreview *preview);
    FrameDecoder *decoder() const;

    void setRepeatInterval(int ms);
    int repeatInterval() const;

Q_SIGNALS:
    void codeScanned(const md::codes::FoundCode &code);

private:
    class Relay;
    void onFrameScanned(const FrameScan &scan);
    void deliverPreviewFrame();

    FrameDecoder *m_decoder = nullptr;
    QPointer<QVideoSink> m_sink;
    QPointer<CameraPreview> m_preview;
    std::shared_ptr<Relay> m_relay; // shared with the sink's (any thread's) connection
    QMetaObject::Connection m_sinkConnection;
    QHash<QString, qint64> m_lastSeen; // payload -> ms on m_clock when last in a frame
    QElapsedTimer m_clock;
    int m_repeatInterval = 2000;
};

} // namespace md::ui
