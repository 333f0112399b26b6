// The camera pipeline end to end without a camera: a fake source sends 720p NV12
// frames at 30 fps (a qrencode label pasted into an ImageMagick scene for part of the
// sequence) through the real ScanPipeline into a shown CameraPreview. The code is
// reported once per appearance with its payload, outlined over the label while it is
// in view and no longer about a second after it left; fed faster than it decodes, from
// a thread of its own as camera backends do, the decoder drops waiting frames instead
// of building a backlog, and results never go back in time.

#include "fakeframesource.h"
#include "scan/camerapreview.h"
#include "scan/camerasource.h"
#include "scan/framedecoder.h"
#include "scan/scanpipeline.h"

#include "codeimages.h"

#include <QMutex>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace Qt::StringLiterals;
using namespace md;
using md::test::FakeFrameSource;
using md::ui::CameraPreview;
using md::ui::FrameDecoder;
using md::ui::FrameScan;
using md::ui::ScanPipeline;

namespace {

const QString Payload = u"MD-4T7Q-M2XC-9KHB-ZP3R"_s;
const QSize FrameSize(1280, 720);
constexpr int CodeSide = 160; // 22 % of the frame's height, quiet zone included
const QPoint CodeAt(560, 280);
constexpr int ModuleSize = 8;

QRectF boundingRect(const QList<QPolygonF> &polygons)
{
    QRectF rect;
    for (const QPolygonF &polygon : polygons)
        rect = rect.united(polygon.boundingRect());
    return rect;
}

bool near(const QRectF &a, const QRectF &b, qreal tolerance)
{
    return std::abs(a.left() - b.left()) <= tolerance && std::abs(a.top() - b.top()) <= tolerance &&
           std::abs(a.right() - b.right()) <= tolerance &&
           std::abs(a.bottom() - b.bottom()) <= tolerance;
}

QString describe(const QRectF &r)
{
    return u"(%1,%2 %3x%4)"_s.arg(r.x(), 0, 'f', 1)
        .arg(r.y(), 0, 'f', 1)
        .arg(r.width(), 0, 'f', 1)
        .arg(r.height(), 0, 'f', 1);
}

} // namespace

class TestScanPipeline final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void previewMapsOutlines();
    void codeReportedOncePerAppearance();
    void reportedAgainAfterAbsence();
    void overloadDropsInsteadOfQueueing();
    void noCameraSaysSo();

private:
    QTemporaryDir m_dir;
    QImage m_scene;
    QImage m_emptyScene;
    QRectF m_symbolRect; // in frame pixels
};

void TestScanPipeline::initTestCase()
{
    if (const QString missing = test::CodeImages::missingTools(); !missing.isEmpty())
        QSKIP(qPrintable(u"not installed: "_s + missing));
    QVERIFY(m_dir.isValid());
    test::CodeImages images(m_dir.path());
    const auto scene = images.labelScene(Payload, ModuleSize, FrameSize, CodeSide, CodeAt, 9);
    QVERIFY2(!scene.scene.isNull() && !scene.empty.isNull(), qPrintable(images.lastError()));
    m_scene = scene.scene;
    m_emptyScene = scene.empty;
    m_symbolRect = scene.symbolRect;
}

// Outlines given in frame pixels land on the picture as painted: scaled with the aspect
// kept, letterboxed, mirrored for a front camera; they are gone once they fade.
void TestScanPipeline::previewMapsOutlines()
{
    CameraPreview preview;
    QCOMPARE(preview.accessibleName(), u"Camera preview"_s);
    preview.setMessage(u"No camera was found."_s);
    QCOMPARE(preview.message(), u"No camera was found."_s);
    QCOMPARE(preview.accessibleDescription(), u"No camera was found."_s);
    preview.resize(640, 480); // 16:9 frames: 640 x 360 with bands of 60 above and below
    preview.show();
    QVERIFY(QTest::qWaitForWindowExposed(&preview));
    preview.showFrame(FakeFrameSource::toVideoFrame(m_emptyScene, QVideoFrameFormat::Format_NV12));
    QTRY_COMPARE(preview.framesPainted(), quint64(1));

    const QPolygonF square(QRectF(200, 100, 400, 400));
    preview.showOutlines({square}, FrameSize);
    QList<QPolygonF> shown = preview.outlinesInWidget();
    QCOMPARE(shown.size(), 1);
    QVERIFY2(near(shown.first().boundingRect(), QRectF(100, 110, 200, 200), 0.5),
             qPrintable(describe(shown.first().boundingRect())));

    preview.setMirrored(true);
    shown = preview.outlinesInWidget();
    QVERIFY2(near(shown.first().boundingRect(), QRectF(640 - 300, 110, 200, 200), 0.5),
             qPrintable(describe(shown.first().boundingRect())));

    // No frame with the code since: the outline fades and is gone.
    QTRY_VERIFY_WITH_TIMEOUT(preview.outlinesInWidget().isEmpty(), 3000);
}

void TestScanPipeline::codeReportedOncePerAppearance()
{
    FakeFrameSource source;
    source.setFrameRate(30);
    source.setLooping(false);
    // 2/3 s without the label, 1.5 s with it, 3 frames where the camera misses it (a
    // hand in front), 0.5 s with it again, then 2 s without.
    QVERIFY(source.append(m_emptyScene, 20));
    QVERIFY(source.append(m_scene, 45));
    QVERIFY(source.append(m_emptyScene, 3));
    QVERIFY(source.append(m_scene, 15));
    QVERIFY(source.append(m_emptyScene, 60));
    const int codeLeavesAt = 20 + 45 + 3 + 15;

    CameraPreview preview;
    preview.resize(640, 360);
    preview.show();
    QVERIFY(QTest::qWaitForWindowExposed(&preview));
    ScanPipeline pipeline;
    pipeline.setVideoSink(&source);
    pipeline.setPreview(&preview);
    QList<codes::FoundCode> reported;
    connect(&pipeline, &ScanPipeline::codeScanned, this,
            [&](const codes::FoundCode &code) { reported << code; });
    QSignalSpy finished(&source, &FakeFrameSource::finished);
    source.start();

    QTRY_COMPARE_WITH_TIMEOUT(reported.size(), 1, 10000);
    QCOMPARE(reported.first().text, Payload);
    // The outline sits over the label as the preview paints it (half size).
    const QRectF expected(m_symbolRect.x() / 2, m_symbolRect.y() / 2, m_symbolRect.width() / 2,
                          m_symbolRect.height() / 2);
    QTRY_VERIFY(!preview.outlinesInWidget().isEmpty());
    const QRectF outlined = boundingRect(preview.outlinesInWidget());
    QVERIFY2(near(outlined, expected, 4),
             qPrintable(describe(outlined) + u" expected "_s + describe(expected)));

    // About a second after the label left the picture, nothing is outlined.
    QTRY_VERIFY_WITH_TIMEOUT(source.position() >= codeLeavesAt + 36, 15000);
    QVERIFY(preview.outlinesInWidget().isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 15000);
    QCOMPARE(reported.size(), 1); // the missed frames did not make it a new appearance
    QCOMPARE(source.framesSent(), quint64(source.sequenceLength()));
    QVERIFY(preview.framesPainted() > 0);
    QVERIFY(pipeline.decoder()->stats().withCode > 0);
}

void TestScanPipeline::reportedAgainAfterAbsence()
{
    FakeFrameSource source;
    source.setFrameRate(30);
    source.setLooping(false);
    QVERIFY(source.append(m_scene, 15));
    QVERIFY(source.append(m_emptyScene, 30)); // a second away: longer than the interval
    QVERIFY(source.append(m_scene, 15));
    QVERIFY(source.append(m_emptyScene, 5));

    ScanPipeline pipeline;
    pipeline.setRepeatInterval(300);
    QCOMPARE(pipeline.repeatInterval(), 300);
    pipeline.setVideoSink(&source);
    QSignalSpy reported(&pipeline, &ScanPipeline::codeScanned);
    QSignalSpy finished(&source, &FakeFrameSource::finished);
    source.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 15000);
    QTRY_COMPARE(reported.count(), 2);
    for (const QList<QVariant> &args : std::as_const(reported))
        QCOMPARE(args.first().value<codes::FoundCode>().text, Payload);
}

// 1080p frames from the source's own thread at 120 fps, or at three times the rate
// this machine decodes them if that is more: more than the decoder can read. It drops
// the waiting frames, every frame is either decoded or dropped, results come in frame
// order on the UI thread, and the time from a frame's arrival to its result stays near
// one decode instead of growing with a queue.
void TestScanPipeline::overloadDropsInsteadOfQueueing()
{
    const QImage scene1080 = m_scene.scaled(1920, 1080);
    const QImage empty1080 = m_emptyScene.scaled(1920, 1080);
    const QList<QVideoFrame> probes{
        FakeFrameSource::toVideoFrame(scene1080, QVideoFrameFormat::Format_NV12),
        FakeFrameSource::toVideoFrame(empty1080, QVideoFrameFormat::Format_NV12)};
    const codes::CodeReader reader;
    QElapsedTimer decodeTimer;
    decodeTimer.start();
    for (int i = 0; i < 4; ++i)
        FrameDecoder::decodeFrame(probes[i % 2], reader);
    const double decodeMs = std::max(0.5, double(decodeTimer.elapsed()) / 4);
    const double fps = std::clamp(3000 / decodeMs, 120.0, 1000.0);

    FakeFrameSource source;
    source.setUseThread(true);
    source.setFrameRate(fps);
    QVERIFY(source.append(empty1080, int(fps / 2)));
    QVERIFY(source.append(scene1080, int(fps * 2)));

    QElapsedTimer clock;
    clock.start();
    QMutex mutex;
    QList<qint64> arrivedAt; // by frame number - 1
    QThread *sentFrom = nullptr;
    // Connected before the pipeline's connection: runs first for every frame.
    connect(
        &source, &QVideoSink::videoFrameChanged, this,
        [&](const QVideoFrame &) {
            const QMutexLocker lock(&mutex);
            arrivedAt << clock.nsecsElapsed();
            sentFrom = QThread::currentThread();
        },
        Qt::DirectConnection);

    CameraPreview preview;
    preview.resize(640, 360);
    preview.show();
    QVERIFY(QTest::qWaitForWindowExposed(&preview));
    ScanPipeline pipeline;
    pipeline.setVideoSink(&source);
    pipeline.setPreview(&preview);
    FrameDecoder *decoder = pipeline.decoder();

    QList<FrameScan> scans;
    QList<double> latencyMs;
    bool allOnUiThread = true;
    connect(decoder, &FrameDecoder::frameScanned, this, [&](const FrameScan &scan) {
        allOnUiThread = allOnUiThread && QThread::currentThread() == thread();
        const QMutexLocker lock(&mutex);
        if (scan.frameNumber >= 1 && scan.frameNumber <= quint64(arrivedAt.size()))
            latencyMs << double(clock.nsecsElapsed() - arrivedAt[scan.frameNumber - 1]) / 1e6;
        scans << scan;
    });
    QSignalSpy reported(&pipeline, &ScanPipeline::codeScanned);

    source.start();
    QTest::qWait(3000);
    source.stop();
    const quint64 sent = source.framesSent();
    QVERIFY(sent > 0);
    {
        const QMutexLocker lock(&mutex);
        QVERIFY(sentFrom != nullptr && sentFrom != thread());
    }
    // Once the last waiting frame is through, every frame is accounted for.
    QTRY_VERIFY_WITH_TIMEOUT(
        decoder->stats().decoded + decoder->stats().dropped == decoder->stats().submitted, 15000);
    QCoreApplication::processEvents(); // the last result
    const FrameDecoder::Stats stats = decoder->stats();
    QCOMPARE(stats.submitted, sent);
    QVERIFY2(stats.dropped > 0, "fed faster than it decodes, yet nothing was dropped");
    QTRY_COMPARE(quint64(scans.size()), stats.decoded);
    QCOMPARE(scans.last().frameNumber, sent); // the newest frame was decoded
    QVERIFY(allOnUiThread);
    for (qsizetype i = 1; i < scans.size(); ++i) {
        QVERIFY2(scans[i].frameNumber > scans[i - 1].frameNumber,
                 qPrintable(u"frame %1 after frame %2"_s.arg(scans[i].frameNumber)
                                .arg(scans[i - 1].frameNumber)));
    }
    QVERIFY(stats.withCode > 0);
    QCOMPARE(reported.count(), 1);

    // No backlog: a queue would make the last results seconds old by now. Generous
    // bounds: a shared machine may stall any thread for a while.
    QVERIFY(!latencyMs.isEmpty());
    const double worst = *std::max_element(latencyMs.cbegin(), latencyMs.cend());
    const double bound = 4 * stats.maxDecodeMs + 750;
    qInfo("at %.0f fps: %llu frames sent, %llu decoded, %llu dropped, %llu painted; decode mean "
          "%.1f ms, "
          "max %.1f ms; arrival to result up to %.1f ms",
          fps, sent, stats.decoded, stats.dropped, preview.framesPainted(), stats.meanDecodeMs,
          stats.maxDecodeMs, worst);
    QVERIFY2(worst <= bound, qPrintable(u"latency up to %1 ms (bound %2 ms, %3 frames, %4 "
                                        u"decoded, mean decode %5 ms)"_s.arg(worst)
                                            .arg(bound)
                                            .arg(sent)
                                            .arg(stats.decoded)
                                            .arg(stats.meanDecodeMs)));
    QVERIFY(preview.framesPainted() > 0);
    QVERIFY(preview.framesPainted() <= sent);
}

// This machine has no camera: the source says so in a sentence and stays inactive, so
// the view can offer the file and scanner inputs instead.
void TestScanPipeline::noCameraSaysSo()
{
    ui::CameraSource camera;
    if (camera.hasCamera())
        QSKIP("a camera is connected");
    QVERIFY(camera.cameras().isEmpty());
    QVERIFY(camera.videoSink() != nullptr);
    QSignalSpy errors(&camera, &ui::CameraSource::errorOccurred);
    camera.start();
    QCOMPARE(errors.count(), 1);
    const QString message = errors.first().first().toString();
    QVERIFY(message.contains(u"No camera"_s));
    QCOMPARE(camera.errorString(), message);
    QVERIFY(!camera.isActive());
    QVERIFY(camera.currentCamera().isNull());
    camera.stop(); // harmless when nothing runs
}

QTEST_MAIN(TestScanPipeline)
#include "tst_scanpipeline.moc"
