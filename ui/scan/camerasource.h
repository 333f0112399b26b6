#pragma once

#include <QCameraDevice>
#include <QList>
#include <QObject>
#include <memory>

class QVideoSink;

namespace md::ui {

/// The webcam: which cameras there are (following hot-plugging), one of them running
/// into a QVideoSink, and its failures as sentences a user can act on ("The camera is
/// in use by another program", "Access to the camera was denied"). It picks a format
/// of at most 1280 × 720 at 15 fps or more, preferring YUV formats the decoder reads
/// without conversion.
class CameraSource final : public QObject
{
    Q_OBJECT
public:
    explicit CameraSource(QObject *parent = nullptr);
    ~CameraSource() override;

    QList<QCameraDevice> cameras() const;
    bool hasCamera() const;
    bool isActive() const;
    QCameraDevice currentCamera() const;
    /// Frames of the running camera arrive here.
    QVideoSink *videoSink() const;
    QString errorString() const;

public Q_SLOTS:
    /// The default camera when `camera` is null.
    void start(const QCameraDevice &camera = {});
    void stop();

Q_SIGNALS:
    void camerasChanged();
    void activeChanged(bool active);
    void errorOccurred(const QString &message);

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace md::ui
