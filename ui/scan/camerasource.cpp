#include "camerasource.h"

#include <QCamera>
#include <QCameraFormat>
#include <QMediaCaptureSession>
#include <QMediaDevices>
#include <QVideoFrameFormat>
#include <QVideoSink>
#include <tuple>

using namespace Qt::StringLiterals;

namespace md::ui {

namespace {

constexpr int MaxWidth = 1280;
constexpr int MaxHeight = 720;
constexpr float MinFrameRate = 15;

// Formats the decoder reads in place rank first; MJPEG needs a JPEG decode per frame
// (in the backend and again in the decoder), so it ranks last.
int pixelFormatRank(QVideoFrameFormat::PixelFormat format)
{
    switch (format) {
    case QVideoFrameFormat::Format_NV12:
    case QVideoFrameFormat::Format_YUV420P:
    case QVideoFrameFormat::Format_YUYV:
        return 3;
    case QVideoFrameFormat::Format_NV21:
    case QVideoFrameFormat::Format_YV12:
    case QVideoFrameFormat::Format_UYVY:
    case QVideoFrameFormat::Format_Y8:
        return 2;
    case QVideoFrameFormat::Format_Jpeg:
        return 0;
    default:
        return 1;
    }
}

// The best format of at most 1280 x 720 at 15 fps or more: the most readable pixel
// format, then the most pixels (a label held further away still has enough modules),
// then the highest frame rate. A null format when none fits: the camera's default.
QCameraFormat chooseFormat(const QList<QCameraFormat> &formats)
{
    QCameraFormat best;
    std::tuple<int, int, float> bestKey{-1, 0, 0};
    for (const QCameraFormat &format : formats) {
        const QSize size = format.resolution();
        if (size.width() > MaxWidth || size.height() > MaxHeight ||
            format.maxFrameRate() < MinFrameRate) {
            continue;
        }
        const std::tuple<int, int, float> key{pixelFormatRank(format.pixelFormat()),
                                              size.width() * size.height(), format.maxFrameRate()};
        if (key > bestKey) {
            bestKey = key;
            best = format;
        }
    }
    return best;
}

// QCamera in Qt 6.4 reports every failure as CameraError with the backend's text
// (GStreamer, V4L2); the kinds a user can act on are told apart by that text.
QString describeCameraError(const QString &backendText)
{
    const auto mentions = [&backendText](std::initializer_list<QString> words) {
        for (const QString &word : words) {
            if (backendText.contains(word, Qt::CaseInsensitive))
                return true;
        }
        return false;
    };
    if (mentions({u"busy"_s, u"in use"_s, u"EBUSY"_s}))
        return CameraSource::tr("The camera is in use by another program. Close that "
                                "program, then start the camera again.");
    if (mentions(
            {u"permission"_s, u"denied"_s, u"not permitted"_s, u"EACCES"_s, u"not authorized"_s})) {
        return CameraSource::tr("Access to the camera was denied. Allow this program to use "
                                "the camera in the system settings, then start it again.");
    }
    if (mentions({u"no such device"_s, u"disconnected"_s, u"removed"_s, u"ENODEV"_s})) {
        return CameraSource::tr("The camera was disconnected. Connect it again or choose "
                                "another camera.");
    }
    if (backendText.trimmed().isEmpty())
        return CameraSource::tr("The camera could not be started.");
    return CameraSource::tr("The camera could not be started (%1).").arg(backendText.trimmed());
}

} // namespace

class CameraSource::Private
{
public:
    QMediaDevices devices;
    QList<QCameraDevice> cameras;
    QMediaCaptureSession session;
    std::unique_ptr<QCamera> camera;
    QVideoSink *sink = nullptr;
    QString errorString;
};

CameraSource::CameraSource(QObject *parent) : QObject(parent), d(std::make_unique<Private>())
{
    d->sink = new QVideoSink(this);
    d->sink->setObjectName(u"cameraSink"_s);
    d->session.setVideoSink(d->sink);
    d->cameras = QMediaDevices::videoInputs();
    connect(&d->devices, &QMediaDevices::videoInputsChanged, this, [this] {
        d->cameras = QMediaDevices::videoInputs();
        // The running camera unplugged: QCamera may say nothing, so say it here.
        if (d->camera && !d->cameras.contains(d->camera->cameraDevice())) {
            stop();
            d->errorString = describeCameraError(u"disconnected"_s);
            Q_EMIT errorOccurred(d->errorString);
        }
        Q_EMIT camerasChanged();
    });
}

CameraSource::~CameraSource()
{
    // Quietly: no activeChanged() to receivers that may be going away with us.
    if (d->camera) {
        d->camera->disconnect(this);
        d->session.setCamera(nullptr);
        d->camera->stop();
    }
}

QList<QCameraDevice> CameraSource::cameras() const
{
    return d->cameras;
}

bool CameraSource::hasCamera() const
{
    return !d->cameras.isEmpty();
}

bool CameraSource::isActive() const
{
    return d->camera && d->camera->isActive();
}

QCameraDevice CameraSource::currentCamera() const
{
    return d->camera ? d->camera->cameraDevice() : QCameraDevice();
}

QVideoSink *CameraSource::videoSink() const
{
    return d->sink;
}

QString CameraSource::errorString() const
{
    return d->errorString;
}

void CameraSource::start(const QCameraDevice &camera)
{
    const QCameraDevice device = camera.isNull() ? QMediaDevices::defaultVideoInput() : camera;
    if (device.isNull() || !d->cameras.contains(device)) {
        stop();
        d->errorString = d->cameras.isEmpty()
                             ? tr("No camera was found. Connect one, or open an image file or "
                                  "use a handheld scanner instead.")
                             : tr("That camera is no longer available. Choose another one.");
        Q_EMIT errorOccurred(d->errorString);
        return;
    }
    if (d->camera && d->camera->cameraDevice() == device && d->camera->isActive())
        return;
    stop();
    d->errorString.clear();
    d->camera = std::make_unique<QCamera>(device);
    const QCameraFormat format = chooseFormat(device.videoFormats());
    if (!format.isNull())
        d->camera->setCameraFormat(format);
    connect(d->camera.get(), &QCamera::activeChanged, this, &CameraSource::activeChanged);
    connect(d->camera.get(), &QCamera::errorOccurred, this,
            [this](QCamera::Error error, const QString &text) {
                if (error == QCamera::NoError)
                    return;
                d->errorString = describeCameraError(text);
                Q_EMIT errorOccurred(d->errorString);
            });
    d->session.setCamera(d->camera.get());
    d->camera->start();
}

void CameraSource::stop()
{
    if (!d->camera)
        return;
    const bool wasActive = d->camera->isActive();
    d->session.setCamera(nullptr);
    d->camera->disconnect(this);
    d->camera->stop();
    d->camera.reset();
    if (wasActive)
        Q_EMIT activeChanged(false);
}

} // namespace md::ui
