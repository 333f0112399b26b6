// The camera pipeline's decoding step and its worker thread: a label that qrencode made
// and ImageMagick pasted into a camera-like JPEG scene is read from a frame of every
// pixel format a webcam delivers, in place (no conversion) with its corners where it
// was pasted; MJPEG frames are converted and counted; frames without a code or without
// pixels give nothing and never crash. The worker always takes the newest frame, drops
// the waiting ones, delivers on the owner's thread and shuts down with frames pending.

#include "fakeframesource.h"
#include "scan/framedecoder.h"

#include "codeimages.h"

#include <QPointer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace Qt::StringLiterals;
using namespace md;
using md::test::FakeFrameSource;
using md::ui::FrameDecoder;
using md::ui::FrameScan;
using Format = QVideoFrameFormat;

Q_DECLARE_METATYPE(QVideoFrameFormat::PixelFormat)

namespace {

const QString Payload = u"MD-7K3M-9QXT-2HVB-CW4P"_s;
constexpr int ModuleSize = 8; // qrencode -s 8 -m 4: the quiet zone is 32 px of the PNG
const QSize SceneSize(640, 480);
constexpr int CodeSide = 160; // the label as pasted, quiet zone included
const QPoint CodeAt(250, 150);

QString formatName(Format::PixelFormat format)
{
    return QVideoFrameFormat::pixelFormatToString(format);
}

} // namespace

class TestFrameDecoder final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void fakeFramesMatchQtsReading_data();
    void fakeFramesMatchQtsReading();
    void readsFormatsInPlace_data();
    void readsFormatsInPlace();
    void jpegFramesAreConverted();
    void frameWithoutCode_data();
    void frameWithoutCode();
    void framesWithoutPixels_data();
    void framesWithoutPixels();
    void workerDeliversOnOwnersThread();
    void newestFrameWins();
    void disabledIgnoresFrames();
    void destroyedWithFramesPending();

private:
    QTemporaryDir m_dir;
    QImage m_scene;      // the label in a textured scene
    QImage m_emptyScene; // the same scene without it
    QRectF m_symbolRect; // where the symbol (quiet zone excluded) was pasted
};

void TestFrameDecoder::initTestCase()
{
    if (const QString missing = test::CodeImages::missingTools(); !missing.isEmpty())
        QSKIP(qPrintable(u"not installed: "_s + missing));
    QVERIFY(m_dir.isValid());
    test::CodeImages images(m_dir.path());
    const auto scene = images.labelScene(Payload, ModuleSize, SceneSize, CodeSide, CodeAt, 5);
    QVERIFY2(!scene.scene.isNull() && !scene.empty.isNull(), qPrintable(images.lastError()));
    m_scene = scene.scene;
    m_emptyScene = scene.empty;
    QCOMPARE(m_scene.size(), SceneSize);
    m_symbolRect = scene.symbolRect;
}

// The fake source's frames are what Qt itself reads from such a frame: its own
// conversion gives back the picture, colours in the right places. Otherwise a decoder
// reading the wrong bytes (chroma as luma, swapped channels) could pass the tests below.
void TestFrameDecoder::fakeFramesMatchQtsReading_data()
{
    QTest::addColumn<Format::PixelFormat>("format");
    QTest::addColumn<int>("tolerance");
    const int yuv = 6;
    for (const auto &[format, tolerance] :
         std::initializer_list<std::pair<Format::PixelFormat, int>>{
             {Format::Format_NV12, yuv},    {Format::Format_NV21, yuv},
             {Format::Format_YUV420P, yuv}, {Format::Format_YV12, yuv},
             {Format::Format_YUYV, yuv},    {Format::Format_UYVY, yuv},
             {Format::Format_AYUV, yuv},    {Format::Format_P010, yuv},
             {Format::Format_P016, yuv},    {Format::Format_BGRA8888, 0},
             {Format::Format_BGRX8888, 0},  {Format::Format_RGBA8888, 0},
             {Format::Format_RGBX8888, 0},  {Format::Format_ARGB8888, 0},
             {Format::Format_XRGB8888, 0},  {Format::Format_ABGR8888, 0},
             {Format::Format_XBGR8888, 0},  {Format::Format_Jpeg, 12},
             {Format::Format_Y8, yuv},      {Format::Format_Y16, yuv}}) {
        QTest::newRow(qPrintable(formatName(format))) << format << tolerance;
    }
}

void TestFrameDecoder::fakeFramesMatchQtsReading()
{
    QFETCH(Format::PixelFormat, format);
    QFETCH(int, tolerance);
    // Blocks of 8 x 8 in saturated and mixed colours: 4:2:0 chroma is exact per block.
    QImage picture(64, 48, QImage::Format_RGB32);
    const QList<QRgb> colours{qRgb(220, 30, 30),   qRgb(30, 200, 40),  qRgb(40, 50, 230),
                              qRgb(240, 240, 40),  qRgb(20, 200, 210), qRgb(200, 40, 190),
                              qRgb(250, 250, 250), qRgb(15, 15, 15),   qRgb(128, 90, 60)};
    for (int y = 0; y < picture.height(); ++y) {
        for (int x = 0; x < picture.width(); ++x)
            picture.setPixel(x, y, colours[(x / 8 + 3 * (y / 8)) % colours.size()]);
    }
    const QVideoFrame frame = FakeFrameSource::toVideoFrame(picture, format);
    QVERIFY(frame.isValid());
    QCOMPARE(frame.pixelFormat(), format);
    // Grey formats come back grey: compare the picture's BT.601 luma.
    const bool grey = format == Format::Format_Y8 || format == Format::Format_Y16;
    if (grey) {
        for (int y = 0; y < picture.height(); ++y) {
            for (int x = 0; x < picture.width(); ++x) {
                const QRgb p = picture.pixel(x, y);
                const int g = (299 * qRed(p) + 587 * qGreen(p) + 114 * qBlue(p) + 500) / 1000;
                picture.setPixel(x, y, qRgb(g, g, g));
            }
        }
    }
    const QImage back = frame.toImage().convertToFormat(QImage::Format_RGB32);
    QCOMPARE(back.size(), picture.size());
    int worst = 0;
    QPoint where;
    // The centre of each block: free of the JPEG's block edges.
    for (int y = 3; y < picture.height(); y += 8) {
        for (int x = 3; x < picture.width(); x += 8) {
            const QRgb a = picture.pixel(x, y);
            const QRgb b = back.pixel(x, y);
            const int diff = std::max({std::abs(qRed(a) - qRed(b)), std::abs(qGreen(a) - qGreen(b)),
                                       std::abs(qBlue(a) - qBlue(b))});
            if (diff > worst) {
                worst = diff;
                where = {x, y};
            }
        }
    }
    QVERIFY2(worst <= tolerance, qPrintable(u"%1 off by %2 at %3,%4"_s.arg(formatName(format))
                                                .arg(worst)
                                                .arg(where.x())
                                                .arg(where.y())));
}

void TestFrameDecoder::readsFormatsInPlace_data()
{
    QTest::addColumn<Format::PixelFormat>("format");
    for (const Format::PixelFormat format :
         {Format::Format_NV12, Format::Format_NV21, Format::Format_YUV420P, Format::Format_YV12,
          Format::Format_YUYV, Format::Format_UYVY, Format::Format_Y8, Format::Format_AYUV,
          Format::Format_P010, Format::Format_P016, Format::Format_Y16, Format::Format_BGRA8888,
          Format::Format_BGRX8888, Format::Format_RGBA8888, Format::Format_RGBX8888,
          Format::Format_ARGB8888, Format::Format_XRGB8888, Format::Format_ABGR8888,
          Format::Format_XBGR8888}) {
        QTest::newRow(qPrintable(formatName(format))) << format;
    }
}

void TestFrameDecoder::readsFormatsInPlace()
{
    QFETCH(Format::PixelFormat, format);
    const QVideoFrame frame = FakeFrameSource::toVideoFrame(m_scene, format);
    QVERIFY(frame.isValid());
    const codes::CodeReader reader;
    bool converted = true;
    const QList<codes::FoundCode> found = FrameDecoder::decodeFrame(frame, reader, &converted);
    QVERIFY(!converted);
    QCOMPARE(found.size(), 1);
    QCOMPARE(found.first().text, Payload);
    QCOMPARE(found.first().symbology, codes::Symbology::QrCode);
    const QPolygonF &corners = found.first().corners;
    QCOMPARE(corners.size(), 4);
    const QList<QPointF> expected{m_symbolRect.topLeft(), m_symbolRect.topRight(),
                                  m_symbolRect.bottomRight(), m_symbolRect.bottomLeft()};
    for (int i = 0; i < 4; ++i) {
        const QPointF off = corners[i] - expected[i];
        QVERIFY2(std::abs(off.x()) <= 4 && std::abs(off.y()) <= 4,
                 qPrintable(u"corner %1 at %2,%3, pasted at %4,%5"_s.arg(i)
                                .arg(corners[i].x())
                                .arg(corners[i].y())
                                .arg(expected[i].x())
                                .arg(expected[i].y())));
    }
    // The frame is untouched and can still be shown.
    QVERIFY(frame.isValid());
    QVERIFY(!frame.isMapped());
}

void TestFrameDecoder::jpegFramesAreConverted()
{
    const QVideoFrame frame = FakeFrameSource::toVideoFrame(m_scene, Format::Format_Jpeg);
    QVERIFY(frame.isValid());
    const codes::CodeReader reader;
    bool converted = false;
    const QList<codes::FoundCode> found = FrameDecoder::decodeFrame(frame, reader, &converted);
    QVERIFY(converted);
    QCOMPARE(found.size(), 1);
    QCOMPARE(found.first().text, Payload);

    // Counted by the worker too.
    FrameDecoder decoder;
    QSignalSpy scanned(&decoder, &FrameDecoder::frameScanned);
    decoder.submit(frame);
    QTRY_COMPARE(scanned.count(), 1);
    QCOMPARE(decoder.stats().converted, quint64(1));
    QCOMPARE(scanned.first().first().value<FrameScan>().codes.size(), 1);
}

void TestFrameDecoder::frameWithoutCode_data()
{
    QTest::addColumn<Format::PixelFormat>("format");
    QTest::newRow("NV12") << Format::Format_NV12;
    QTest::newRow("BGRA8888") << Format::Format_BGRA8888;
    QTest::newRow("Jpeg") << Format::Format_Jpeg;
}

void TestFrameDecoder::frameWithoutCode()
{
    QFETCH(Format::PixelFormat, format);
    const QVideoFrame frame = FakeFrameSource::toVideoFrame(m_emptyScene, format);
    QVERIFY(frame.isValid());
    const codes::CodeReader reader;
    QVERIFY(FrameDecoder::decodeFrame(frame, reader).isEmpty());
}

void TestFrameDecoder::framesWithoutPixels_data()
{
    QTest::addColumn<QVideoFrame>("frame");
    QTest::newRow("default") << QVideoFrame();
    QTest::newRow("zero size") << QVideoFrame(QVideoFrameFormat(QSize(0, 0), Format::Format_NV12));
    QTest::newRow("no pixel format")
        << QVideoFrame(QVideoFrameFormat(QSize(640, 480), Format::Format_Invalid));
    QTest::newRow("GPU only") << QVideoFrame(
        QVideoFrameFormat(QSize(640, 480), Format::Format_SamplerExternalOES));
    // An MJPEG frame whose bytes are no JPEG (a broken camera, a truncated transfer).
    QVideoFrame garbage(QVideoFrameFormat(QSize(320, 240), Format::Format_Jpeg));
    if (garbage.map(QVideoFrame::WriteOnly)) {
        std::memset(garbage.bits(0), 0x5a, size_t(garbage.mappedBytes(0)));
        garbage.unmap();
    }
    QTest::newRow("not a JPEG") << garbage;
    // Mapped for writing by its producer: it cannot be read now.
    QVideoFrame busy(QVideoFrameFormat(QSize(64, 48), Format::Format_NV12));
    busy.map(QVideoFrame::WriteOnly);
    QTest::newRow("mapped for writing") << busy;
}

void TestFrameDecoder::framesWithoutPixels()
{
    QFETCH(QVideoFrame, frame);
    const codes::CodeReader reader;
    QVERIFY(FrameDecoder::decodeFrame(frame, reader).isEmpty());

    FrameDecoder decoder;
    QSignalSpy scanned(&decoder, &FrameDecoder::frameScanned);
    decoder.submit(frame);
    QTRY_COMPARE(scanned.count(), 1);
    QVERIFY(scanned.first().first().value<FrameScan>().codes.isEmpty());
}

void TestFrameDecoder::workerDeliversOnOwnersThread()
{
    FrameDecoder decoder;
    QThread *deliveredOn = nullptr;
    QList<FrameScan> scans;
    // Direct: the thread that emits is the one that runs this.
    connect(
        &decoder, &FrameDecoder::frameScanned, this,
        [&](const FrameScan &scan) {
            deliveredOn = QThread::currentThread();
            scans << scan;
        },
        Qt::DirectConnection);
    decoder.submit(FakeFrameSource::toVideoFrame(m_scene, Format::Format_NV12));
    QTRY_COMPARE(scans.size(), 1);
    QCOMPARE(deliveredOn, QThread::currentThread());
    QCOMPARE(scans.first().frameNumber, quint64(1));
    QCOMPARE(scans.first().frameSize, SceneSize);
    QCOMPARE(scans.first().codes.size(), 1);
    QCOMPARE(scans.first().codes.first().text, Payload);
    QVERIFY(scans.first().decodeMs > 0);

    decoder.submit(FakeFrameSource::toVideoFrame(m_emptyScene, Format::Format_YUYV));
    QTRY_COMPARE(scans.size(), 2);
    QCOMPARE(scans.last().frameNumber, quint64(2));
    QVERIFY(scans.last().codes.isEmpty());

    const FrameDecoder::Stats stats = decoder.stats();
    QCOMPARE(stats.submitted, quint64(2));
    QCOMPARE(stats.decoded, quint64(2));
    QCOMPARE(stats.dropped, quint64(0));
    QCOMPARE(stats.withCode, quint64(1));
    QCOMPARE(stats.converted, quint64(0));
    QVERIFY(stats.maxDecodeMs >= stats.meanDecodeMs);
    QVERIFY(stats.meanDecodeMs > 0);
}

// Frames come faster than they are decoded: the waiting one is replaced, never queued,
// the newest frame is always decoded and results come in the order frames came.
void TestFrameDecoder::newestFrameWins()
{
    const QImage big = m_scene.scaled(1920, 1440);
    const QVideoFrame withCode = FakeFrameSource::toVideoFrame(big, Format::Format_NV12);
    const QVideoFrame without = FakeFrameSource::toVideoFrame(m_emptyScene, Format::Format_NV12);
    FrameDecoder decoder;
    QList<FrameScan> scans;
    connect(&decoder, &FrameDecoder::frameScanned, this,
            [&](const FrameScan &scan) { scans << scan; });
    constexpr int Frames = 300;
    for (int i = 1; i < Frames; ++i)
        decoder.submit(withCode);
    decoder.submit(without); // the newest: its result must come
    QTRY_VERIFY(!scans.isEmpty() && scans.last().frameNumber == Frames);
    QVERIFY(scans.last().codes.isEmpty());
    QCOMPARE(scans.last().frameSize, SceneSize);

    const FrameDecoder::Stats stats = decoder.stats();
    QCOMPARE(stats.submitted, quint64(Frames));
    QCOMPARE(stats.decoded + stats.dropped, stats.submitted);
    QCOMPARE(stats.decoded, quint64(scans.size()));
    QVERIFY2(stats.dropped > Frames / 2, qPrintable(QString::number(stats.dropped)));
    for (int i = 1; i < scans.size(); ++i)
        QVERIFY(scans[i].frameNumber > scans[i - 1].frameNumber);
}

void TestFrameDecoder::disabledIgnoresFrames()
{
    FrameDecoder decoder;
    QSignalSpy scanned(&decoder, &FrameDecoder::frameScanned);
    decoder.setEnabled(false);
    QVERIFY(!decoder.isEnabled());
    decoder.submit(FakeFrameSource::toVideoFrame(m_scene, Format::Format_NV12));
    QTest::qWait(200);
    QCOMPARE(scanned.count(), 0);
    QCOMPARE(decoder.stats().submitted, quint64(0));

    decoder.setEnabled(true);
    decoder.submit(FakeFrameSource::toVideoFrame(m_scene, Format::Format_NV12));
    QTRY_COMPARE(scanned.count(), 1);
    QCOMPARE(scanned.first().first().value<FrameScan>().codes.size(), 1);
}

void TestFrameDecoder::destroyedWithFramesPending()
{
    const QVideoFrame frame =
        FakeFrameSource::toVideoFrame(m_scene.scaled(1920, 1440), Format::Format_NV12);
    for (int round = 0; round < 20; ++round) {
        auto *decoder = new FrameDecoder(codes::ReadOptions::videoFrames(), this);
        QPointer<FrameDecoder> alive(decoder);
        QSignalSpy scanned(decoder, &FrameDecoder::frameScanned);
        for (int i = 0; i < 5; ++i)
            decoder->submit(frame);
        if (round % 2)
            QTest::qWait(5); // sometimes mid-decode, sometimes before the worker woke
        delete decoder;
        QVERIFY(alive.isNull());
        // Nothing is delivered to the destroyed decoder afterwards.
        QCoreApplication::processEvents();
        QCOMPARE(scanned.count(), 0);
    }
}

QTEST_MAIN(TestFrameDecoder)
#include "tst_framedecoder.moc"
