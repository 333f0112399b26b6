#include "camerapreview.h"

#include <QPaintEvent>
#include <QPainter>
#include <QPainterPath>

using namespace Qt::StringLiterals;

namespace md::ui {

namespace {

// An outline stays fully drawn this long after the last frame that had the code, then
// fades out until OutlineLifetimeMs: long enough to bridge frames where the code was
// missed, short enough that it never sits on a label that has moved away.
constexpr qint64 OutlineSolidMs = 400;
constexpr qint64 OutlineLifetimeMs = 700;
constexpr int FadeStepMs = 40;

} // namespace

CameraPreview::CameraPreview(QWidget *parent) : QWidget(parent)
{
    setObjectName(u"cameraPreview"_s);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setFocusPolicy(Qt::NoFocus);
    setAccessibleName(tr("Camera preview"));
    setAccessibleDescription(tr("The camera's live picture. A code that is found is outlined "
                                "in green."));
    m_fadeTimer.setInterval(FadeStepMs);
    connect(&m_fadeTimer, &QTimer::timeout, this, [this] {
        if (!m_outlineAge.isValid() || m_outlineAge.elapsed() > OutlineLifetimeMs) {
            m_fadeTimer.stop();
            m_outlines.clear();
        }
        update();
    });
}

void CameraPreview::showFrame(const QVideoFrame &frame)
{
    m_frame = frame;
    ++m_frameSerial; // converted when painted: at most once per frame shown
    update();
}

void CameraPreview::clear()
{
    m_frame = QVideoFrame();
    m_image = QImage();
    m_outlines.clear();
    m_outlineAge.invalidate();
    m_fadeTimer.stop();
    update();
}

void CameraPreview::showOutlines(const QList<QPolygonF> &outlines, QSize frameSize)
{
    m_outlines = outlines;
    m_outlineFrameSize = frameSize;
    if (outlines.isEmpty()) {
        m_outlineAge.invalidate();
        m_fadeTimer.stop();
    } else {
        m_outlineAge.start();
        // Frames repaint the preview while they come; the timer fades the outline
        // when they stop.
        m_fadeTimer.start();
    }
    update();
}

void CameraPreview::setMessage(const QString &message)
{
    if (m_message == message)
        return;
    m_message = message;
    setAccessibleDescription(message.isEmpty()
                                 ? tr("The camera's live picture. A code that is found is "
                                      "outlined in green.")
                                 : message);
    update();
}

QString CameraPreview::message() const
{
    return m_message;
}

void CameraPreview::setMirrored(bool mirrored)
{
    if (m_mirrored == mirrored)
        return;
    m_mirrored = mirrored;
    update();
}

QSize CameraPreview::sizeHint() const
{
    return {640, 480};
}

QSize CameraPreview::minimumSizeHint() const
{
    return {240, 180};
}

QRectF CameraPreview::frameRect() const
{
    QSizeF size = m_frame.isValid() ? QSizeF(m_frame.size()) : QSizeF(m_outlineFrameSize);
    if (size.isEmpty())
        return {};
    size.scale(QSizeF(this->size()), Qt::KeepAspectRatio);
    QRectF rect(QPointF(), size);
    rect.moveCenter(QRectF(this->rect()).center());
    return rect;
}

QTransform CameraPreview::frameToWidget(QSize frameSize) const
{
    const QRectF target = frameRect();
    if (frameSize.isEmpty() || target.isEmpty())
        return {};
    QTransform transform;
    if (m_mirrored) {
        transform.translate(target.right(), target.top());
        transform.scale(-target.width() / frameSize.width(), target.height() / frameSize.height());
    } else {
        transform.translate(target.left(), target.top());
        transform.scale(target.width() / frameSize.width(), target.height() / frameSize.height());
    }
    return transform;
}

qreal CameraPreview::outlineOpacity() const
{
    if (m_outlines.isEmpty() || !m_outlineAge.isValid())
        return 0;
    const qint64 age = m_outlineAge.elapsed();
    if (age >= OutlineLifetimeMs)
        return 0;
    if (age <= OutlineSolidMs)
        return 1;
    return 1.0 - qreal(age - OutlineSolidMs) / qreal(OutlineLifetimeMs - OutlineSolidMs);
}

QList<QPolygonF> CameraPreview::outlinesInWidget() const
{
    if (outlineOpacity() <= 0)
        return {};
    const QTransform transform = frameToWidget(m_outlineFrameSize);
    QList<QPolygonF> mapped;
    mapped.reserve(m_outlines.size());
    for (const QPolygonF &outline : m_outlines)
        mapped << transform.map(outline);
    return mapped;
}

void CameraPreview::paintEvent(QPaintEvent *event)
{
    QPainter painter(this);
    const QRectF target = frameRect();
    if (!m_frame.isValid() || target.isEmpty()) {
        painter.fillRect(event->rect(), palette().color(QPalette::Window));
        painter.setPen(palette().color(QPalette::WindowText));
        const QString text = m_message.isEmpty() ? tr("Starting the camera…") : m_message;
        painter.drawText(rect().adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap,
                         text);
        return;
    }

    // The letterbox around the picture.
    painter.fillRect(event->rect(), palette().color(QPalette::Shadow));
    if (m_imageSerial != m_frameSerial) {
        // For painting only (the decoder reads the frame as it is), once per frame.
        m_image = m_frame.toImage();
        m_imageSerial = m_frameSerial;
    }
    if (m_image.isNull()) {
        painter.setPen(palette().color(QPalette::BrightText));
        painter.drawText(rect().adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap,
                         tr("The camera's picture cannot be shown."));
    } else {
        painter.save();
        painter.setRenderHint(QPainter::SmoothPixmapTransform);
        painter.setTransform(frameToWidget(m_image.size()), true);
        painter.drawImage(QPointF(), m_image);
        painter.restore();
        if (m_paintedSerial != m_frameSerial) {
            m_paintedSerial = m_frameSerial;
            ++m_framesPainted;
        }
    }

    const qreal opacity = outlineOpacity();
    if (opacity > 0) {
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setOpacity(opacity);
        const qreal width = std::max<qreal>(4, std::min(target.width(), target.height()) / 90);
        for (const QPolygonF &outline : outlinesInWidget()) {
            // A dark rim under the green keeps the outline visible on a light label.
            painter.setPen(
                QPen(QColor(0, 0, 0, 160), width + 3, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
            painter.drawPolygon(outline);
            painter.setPen(
                QPen(QColor(0x2e, 0xd1, 0x5a), width, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
            painter.drawPolygon(outline);
        }
    }
}

} // namespace md::ui
