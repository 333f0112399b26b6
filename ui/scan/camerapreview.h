#pragma once

#include <QElapsedTimer>
#include <QImage>
#include <QList>
#include <QPolygonF>
#include <QSize>
#include <QTimer>
#include <QTransform>
#include <QVideoFrame>
#include <QWidget>

namespace md::ui {

/// The live picture of the camera with the codes found in it outlined. Paints the
/// newest frame only (scaled to fit, aspect kept) and, while no frames come, a message
/// ("No camera found", "Starting the camera…"). Outlines are given in frame pixels and
/// fade after a short while, so a stale outline never sits on a moved label.
class CameraPreview final : public QWidget
{
    Q_OBJECT
public:
    explicit CameraPreview(QWidget *parent = nullptr);

    /// Outlines in frame pixels, for a frame of frameSize.
    void showOutlines(const QList<QPolygonF> &outlines, QSize frameSize);
    void setMessage(const QString &message);
    QString message() const;
    void setMirrored(bool mirrored);

    /// For tests: the outlines currently drawn, in widget coordinates.
    QList<QPolygonF> outlinesInWidget() const;
    /// Distinct frames painted so far (a frame repainted counts once).
    quint64 framesPainted() const { return m_framesPainted; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

public Q_SLOTS:
    void showFrame(const QVideoFrame &frame);
    void clear();

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QRectF frameRect() const;
    // Frame pixels (of a frame of frameSize) to widget coordinates, mirrored or not.
    QTransform frameToWidget(QSize frameSize) const;
    qreal outlineOpacity() const;

    QVideoFrame m_frame;
    QImage m_image; // m_frame converted for painting, once per frame
    quint64 m_frameSerial = 0;
    quint64 m_imageSerial = 0;
    quint64 m_paintedSerial = 0;
    QTimer m_fadeTimer;
    QList<QPolygonF> m_outlines;
    QSize m_outlineFrameSize;
    QElapsedTimer m_outlineAge;
    QString m_message;
    bool m_mirrored = false;
    quint64 m_framesPainted = 0;
};

} // namespace md::ui
