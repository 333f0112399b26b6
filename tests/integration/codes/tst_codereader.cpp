// The identification corpus: our labels made by an independent encoder (Debian's
// qrencode) and manufacturers' GS1 UDI symbols made by zint, distorted with ImageMagick
// the way phone and webcam photos distort them, each read through PhotoReader::readFile
// and classified with ScannedCode. The target is that ≥ 95 % of such images are
// identified, and that no image is ever identified as a wrong code.
//
// Also CodeReader's own contract: every pixel layout it reads in place, the symbologies
// it is restricted to, the corners it reports.

#include "codeimages.h"
#include "codes/codereader.h"
#include "codes/photoreader.h"
#include "domain/gs1udi.h"
#include "domain/qrpayload.h"
#include "domain/scannedcode.h"

#include <QElapsedTimer>
#include <QImage>
#include <QImageReader>
#include <QMap>
#include <QPainter>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace md;
using namespace md::domain;
using namespace Qt::StringLiterals;

namespace {

struct Expected
{
    ScannedCode::Kind kind = ScannedCode::Kind::Other;
    QString labelCode;
    Gs1Udi udi;

    QString describe() const
    {
        return kind == ScannedCode::Kind::Label ? labelCode : udi.toHumanReadable();
    }
};

struct Sample
{
    QString distortion;
    QString path;
    Expected expected;
};

// One ImageMagick process for many outputs: each is "( +clone <ops> -write <file>
// +delete )" on the input (starting a process costs more than most distortions).
struct Variant
{
    QString distortion;
    QString file;
    QStringList ops;
};

Gs1Udi makeUdi(const QString &gtin, const QString &lot, QDate expiry, const QString &serial)
{
    Gs1Udi udi;
    udi.gtin = gtin;
    udi.lot = lot;
    udi.expiry = expiry;
    udi.serial = serial;
    return udi;
}

QString zintData(const Gs1Udi &udi)
{
    return u"[01]"_s + udi.gtin + u"[17]"_s + udi.expiry.toString(u"yyMMdd"_s) + u"[10]"_s +
           udi.lot + u"[21]"_s + udi.serial;
}

// "x0,y0 x0',y0' ..." for -distort Perspective: the right (or bottom) edge pushed away
// from the camera, as a label on a device seen from `degrees` to the side.
QString perspective(QSize size, double degrees, bool vertical)
{
    const double w = size.width();
    const double h = size.height();
    const double rad = qDegreesToRadians(degrees);
    const double squeeze = std::cos(rad);               // foreshortening
    const double far = 1.0 - 0.5 * std::sin(rad) * 0.6; // the far edge looks shorter
    QList<QPointF> to;
    if (!vertical) {
        const double right = w * squeeze;
        const double inset = h * (1 - far) / 2;
        to = {{0, 0}, {right, inset}, {0, h}, {right, h - inset}};
    } else {
        const double bottom = h * squeeze;
        const double inset = w * (1 - far) / 2;
        to = {{0, 0}, {w, 0}, {inset, bottom}, {w - inset, bottom}};
    }
    const QList<QPointF> from = {{0, 0}, {w, 0}, {0, h}, {w, h}};
    QStringList pairs;
    for (int i = 0; i < 4; ++i) {
        pairs << u"%1,%2 %3,%4"_s.arg(from[i].x())
                     .arg(from[i].y())
                     .arg(to[i].x(), 0, 'f', 1)
                     .arg(to[i].y(), 0, 'f', 1);
    }
    return pairs.join(u"  "_s);
}

QSize imageSize(const QString &path)
{
    return QImageReader(path).size();
}

} // namespace

class TestCodeReader final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void identificationRate();
    void imagesWithoutACodeHaveNone_data();
    void imagesWithoutACodeHaveNone();
    void scenesWithoutACodeHaveNone();
    void fakeQrCodeIsNoCode();
    void readsEveryImageFormat_data();
    void readsEveryImageFormat();
    void readsPackedLumaInPlace();
    void onlyTheRequestedSymbologies();
    void gs1SymbolsSayTheyAreGs1();
    void cornersAreWhereTheCodeIs();
    void severalCodesInOneImage();
    void emptyInputReadsNothing();
    void linearCodeSeenTwiceDoesNotAbort();

private:
    bool generate(const QString &input, const QList<Variant> &variants, const Expected &expected,
                  QString *error);

    QTemporaryDir m_dir;
    std::unique_ptr<test::CodeImages> m_images;
    QList<Sample> m_samples;
    QStringList m_labelCodes;
    QString m_cleanLabel; // a qrencode label (module 8) of m_labelCodes.first()
    QString m_dataMatrix; // zint GS1 DataMatrix of m_udi
    Gs1Udi m_udi;
    QString m_background1600;
    QString m_background4032;
    int m_batch = 0;
};

bool TestCodeReader::generate(const QString &input, const QList<Variant> &variants,
                              const Expected &expected, QString *error)
{
    // Noise from a fixed seed: the same distortions every run (only the codes differ).
    QStringList args{u"-seed"_s, QString::number(m_batch + 1)};
    for (const Variant &v : variants) {
        args << u"("_s << u"+clone"_s << v.ops << u"-write"_s
             << QDir(m_images->directory()).filePath(v.file) << u"+delete"_s << u")"_s;
    }
    args << u"-delete"_s << u"0--1"_s << u"-size"_s << u"1x1"_s << u"xc:white"_s;
    if (m_images->magick(input, args, u"batch-%1.png"_s.arg(++m_batch)).isEmpty()) {
        *error = m_images->lastError();
        return false;
    }
    for (const Variant &v : variants)
        m_samples.append({v.distortion, QDir(m_images->directory()).filePath(v.file), expected});
    return true;
}

void TestCodeReader::initTestCase()
{
    if (const QString missing = test::CodeImages::missingTools(); !missing.isEmpty())
        QSKIP(qPrintable(u"not installed: "_s + missing));
    QVERIFY(m_dir.isValid());
    // One thread per ImageMagick process: the corpus is made by two at a time, and
    // OpenMP threads fighting over two cores made it twice as slow.
    qputenv("MAGICK_THREAD_LIMIT", "1");
    if (qEnvironmentVariableIsSet("MD_KEEP_CODE_IMAGES")) {
        m_dir.setAutoRemove(false);
        qInfo("corpus kept in %s", qPrintable(m_dir.path()));
    }
    m_images = std::make_unique<test::CodeImages>(m_dir.path());
    QElapsedTimer timer;
    timer.start();

    // The two camera-like backgrounds are slow to make (a plasma texture); the large one
    // is made on a second thread while the labels are distorted.
    QString background4032;
    QString error4032;
    std::unique_ptr<QThread> worker(QThread::create([&] {
        test::CodeImages images(m_dir.path());
        background4032 = images.scene({}, QSize(4032, 3024), 0, {}, 0, u"bg-4032.jpg"_s, 7);
        error4032 = images.lastError();
    }));
    worker->start();
    m_background1600 = m_images->scene({}, QSize(1600, 1200), 0, {}, 0, u"bg-1600.jpg"_s, 3);
    QVERIFY2(!m_background1600.isEmpty(), qPrintable(m_images->lastError()));

    // Four labels as they are printed: two bare codes, two links (denser symbols).
    const QStringList payloads = [&] {
        QStringList list;
        for (int i = 0; i < 4; ++i) {
            const QString code = QrPayload::generateCode();
            m_labelCodes << code;
            list << (i == 1   ? QrPayload::encode(code, u"https://md.example.org"_s)
                     : i == 3 ? QrPayload::encode(code, u"http://meddispatch.local:8080/cmms"_s)
                              : code);
        }
        return list;
    }();
    QString error;
    QList<QString> labels;
    qInfo("label payloads: %s", qPrintable(payloads.join(u", "_s)));
    for (int i = 0; i < payloads.size(); ++i) {
        QVERIFY(!payloads[i].isEmpty());
        const Expected expected{ScannedCode::Kind::Label, m_labelCodes[i], {}};
        // "Typical size": a label filling a fair part of a close-up, 6 px per module.
        const QString label = m_images->qrPng(payloads[i], 6, u"label-%1.png"_s.arg(i));
        QVERIFY2(!label.isEmpty(), qPrintable(m_images->lastError()));
        labels << label;
        m_samples.append({u"clean"_s, label, expected});
        const QSize size = imageSize(label);
        const QString p = u"label-%1-"_s.arg(i);
        const QList<Variant> variants = {
            {u"rotated"_s, p + u"rot7.png"_s, {u"-background"_s, u"white"_s, u"-rotate"_s, u"7"_s}},
            {u"rotated"_s,
             p + u"rot23.png"_s,
             {u"-background"_s, u"white"_s, u"-rotate"_s, u"23"_s}},
            {u"rotated"_s,
             p + u"rot45.png"_s,
             {u"-background"_s, u"white"_s, u"-rotate"_s, u"45"_s}},
            {u"rotated"_s, p + u"rot90.png"_s, {u"-rotate"_s, u"90"_s}},
            {u"rotated"_s, p + u"rot180.png"_s, {u"-rotate"_s, u"180"_s}},
            // Module ≈ 2 px: exactly 2 (box filter) and 2.4 (interpolated, uneven).
            {u"small"_s,
             p + u"small2.png"_s,
             {u"-filter"_s, u"box"_s, u"-resize"_s, u"33.3333%"_s}},
            {u"small"_s, p + u"small24.png"_s, {u"-resize"_s, u"40%"_s}},
            {u"blurred"_s, p + u"blur10.png"_s, {u"-gaussian-blur"_s, u"0x1.0"_s}},
            {u"blurred"_s, p + u"blur15.png"_s, {u"-gaussian-blur"_s, u"0x1.5"_s}},
            {u"blurred"_s, p + u"blur20.png"_s, {u"-gaussian-blur"_s, u"0x2.0"_s}},
            {u"blurred"_s, p + u"blur25.png"_s, {u"-gaussian-blur"_s, u"0x2.5"_s}},
            {u"noisy"_s,
             p + u"gauss.png"_s,
             {u"-colorspace"_s, u"gray"_s, u"-attenuate"_s, u"3"_s, u"+noise"_s, u"Gaussian"_s}},
            {u"noisy"_s,
             p + u"impulse.png"_s,
             {u"-colorspace"_s, u"gray"_s, u"-attenuate"_s, u"0.5"_s, u"+noise"_s, u"Impulse"_s}},
            {u"low-contrast"_s,
             p + u"contrast35.png"_s,
             {u"-colorspace"_s, u"gray"_s, u"+level"_s, u"30%,65%"_s}},
            {u"low-contrast"_s,
             p + u"contrast25.png"_s,
             {u"-colorspace"_s, u"gray"_s, u"+level"_s, u"40%,65%"_s}},
            {u"perspective"_s,
             p + u"tilt20.png"_s,
             {u"-virtual-pixel"_s, u"white"_s, u"-distort"_s, u"Perspective"_s,
              perspective(size, 20, false)}},
            {u"perspective"_s,
             p + u"tilt30.png"_s,
             {u"-virtual-pixel"_s, u"white"_s, u"-distort"_s, u"Perspective"_s,
              perspective(size, 30, true)}},
            {u"jpeg-q40"_s,
             p + u"q40.jpg"_s,
             {u"-background"_s, u"white"_s, u"-rotate"_s, u"12"_s, u"-quality"_s, u"40"_s}},
            {u"combined"_s,
             p + u"combined.png"_s,
             {u"-background"_s, u"white"_s, u"-rotate"_s, u"23"_s, u"-gaussian-blur"_s, u"0x1.5"_s,
              u"-colorspace"_s, u"gray"_s, u"-attenuate"_s, u"2"_s, u"+noise"_s, u"Gaussian"_s}},
        };
        // Beyond the corpus, to show where reading stops (reported, not counted in the
        // rate; a wrong code is still a failure): harder versions of the same, on two
        // of the labels.
        const QList<Variant> beyond = {
            {u"beyond:small"_s, p + u"small15.png"_s, {u"-resize"_s, u"25%"_s}},
            {u"beyond:blurred"_s, p + u"blur35.png"_s, {u"-gaussian-blur"_s, u"0x3.5"_s}},
            {u"beyond:noisy"_s,
             p + u"gauss6.png"_s,
             {u"-colorspace"_s, u"gray"_s, u"-attenuate"_s, u"6"_s, u"+noise"_s, u"Gaussian"_s}},
            {u"beyond:contrast"_s,
             p + u"contrast15.png"_s,
             {u"-colorspace"_s, u"gray"_s, u"+level"_s, u"43%,58%"_s}},
            {u"beyond:tilt"_s,
             p + u"tilt50.png"_s,
             {u"-virtual-pixel"_s, u"white"_s, u"-distort"_s, u"Perspective"_s,
              perspective(size, 50, false)}},
        };
        QVERIFY2(generate(label, i < 2 ? variants + beyond : variants, expected, &error),
                 qPrintable(error));
    }
    m_cleanLabel = m_images->qrPng(payloads[0], 8, u"clean-8.png"_s);
    QVERIFY(!m_cleanLabel.isEmpty());

    // Manufacturers' UDI labels: a GS1 DataMatrix and a GS1-128 (zint).
    const QList<std::pair<QString, Gs1Udi>> udis = {
        {u"datamatrix"_s,
         makeUdi(u"00844588003288"_s, u"7654321D"_s, QDate(2028, 11, 20), u"10987654d321"_s)},
        {u"gs1-128"_s,
         makeUdi(u"04012345678901"_s, u"LOT42"_s, QDate(2027, 12, 31), u"SN123456"_s)},
    };
    m_udi = udis.first().second;
    QList<std::pair<QString, Expected>> gs1Symbols;
    for (const auto &[symbology, udi] : udis) {
        const Expected expected{ScannedCode::Kind::Udi, {}, udi};
        const bool linear = symbology == u"gs1-128"_s;
        const QString image =
            m_images->gs1Png(symbology, zintData(udi), linear ? 2 : 3, symbology + u".png"_s);
        QVERIFY2(!image.isEmpty(), qPrintable(m_images->lastError()));
        if (!linear)
            m_dataMatrix = image;
        gs1Symbols.append({image, expected});
        m_samples.append({u"clean"_s, image, expected});
        const QString p = symbology + u"-"_s;
        // A linear code is read along its bars: it is photographed roughly level or
        // turned by a right angle, not at any angle.
        const QStringList turn =
            linear ? QStringList{u"-rotate"_s, u"180"_s}
                   : QStringList{u"-background"_s, u"white"_s, u"-rotate"_s, u"30"_s};
        const QList<Variant> variants = {
            {u"rotated"_s, p + u"rot.png"_s, turn},
            {u"rotated"_s, p + u"rot90.png"_s, {u"-rotate"_s, u"90"_s}},
            {u"blurred"_s, p + u"blur.png"_s, {u"-gaussian-blur"_s, u"0x1.0"_s}},
            {u"noisy"_s,
             p + u"gauss.png"_s,
             {u"-colorspace"_s, u"gray"_s, u"-attenuate"_s, u"3"_s, u"+noise"_s, u"Gaussian"_s}},
            {u"low-contrast"_s,
             p + u"contrast35.png"_s,
             {u"-colorspace"_s, u"gray"_s, u"+level"_s, u"30%,65%"_s}},
            {u"jpeg-q40"_s, p + u"q40.jpg"_s, {u"-quality"_s, u"40"_s}},
        };
        QVERIFY2(generate(image, variants, expected, &error), qPrintable(error));
    }

    // Scenes: the labels pasted into a 1600×1200 camera frame (code 6–15 % of the width,
    // turned a little), the "combined" case blurred and turned further, and two GS1
    // symbols. One process for all of them.
    QList<Variant> scenes;
    QList<Expected> sceneExpected;
    QRandomGenerator random(20240501);
    auto paste = [&](const QString &code, int side, double rotation, QSize frame,
                     const QStringList &after, const QStringList &before = {}) {
        // Anywhere the turned code fits (a linear code is wider than high: kept near the top).
        const int x = random.bounded(40, std::max(41, frame.width() - side * 3 / 2 - 40));
        const int y = random.bounded(40, std::max(41, frame.height() - side * 3 / 2 - 40));
        return QStringList{u"("_s, code} + before +
               QStringList{u"-resize"_s, u"%1x%1"_s.arg(side), u"-background"_s,
                           u"white"_s,   u"-rotate"_s,         QString::number(rotation)} +
               after + QStringList{u")"_s,          u"-geometry"_s, u"+%1+%2"_s.arg(x).arg(y),
                                   u"-composite"_s, u"-quality"_s,  u"85"_s};
    };
    const QSize small(1600, 1200);
    const QList<double> fractions = {0.06, 0.08, 0.10, 0.12, 0.15};
    for (int i = 0; i < labels.size(); ++i) {
        const Expected expected{ScannedCode::Kind::Label, m_labelCodes[i], {}};
        for (int k = 0; k < 2; ++k) {
            const int side = qRound(small.width() * fractions[(i + 2 * k) % fractions.size()]);
            scenes.append({u"scene-1600"_s, u"scene-1600-%1-%2.jpg"_s.arg(i).arg(k),
                           paste(labels[i], side, random.bounded(-15, 16), small, {})});
            sceneExpected << expected;
        }
        scenes.append({u"combined"_s, u"combined-1600-%1.jpg"_s.arg(i),
                       paste(labels[i], qRound(small.width() * 0.12), 23, small,
                             {u"-gaussian-blur"_s, u"0x1.5"_s})});
        sceneExpected << expected;
    }
    for (const auto &[image, expected] : std::as_const(gs1Symbols)) {
        // A GS1-128 of four fields is ~700 modules long: photographed filling half the
        // frame's width, on a label with its 10-module quiet zones (CodeImages leaves 4,
        // which on a dark background no reader accepts). A DataMatrix at a fifth.
        const bool linear = image.contains(u"gs1-128"_s);
        const QStringList quietZone = {u"-bordercolor"_s, u"white"_s, u"-border"_s, u"16"_s};
        scenes.append({u"scene-1600"_s, QFileInfo(image).baseName() + u"-scene.jpg"_s,
                       paste(image, qRound(small.width() * (linear ? 0.5 : 0.2)), 4, small, {},
                             linear ? quietZone : QStringList{})});
        sceneExpected << expected;
    }
    auto composeScenes = [&](const QString &background, const QList<Variant> &list,
                             const QList<Expected> &expected) {
        QStringList args;
        for (const Variant &v : list) {
            args << u"("_s << u"+clone"_s << v.ops << u"-write"_s
                 << QDir(m_images->directory()).filePath(v.file) << u"+delete"_s << u")"_s;
        }
        args << u"-delete"_s << u"0--1"_s << u"-size"_s << u"1x1"_s << u"xc:white"_s;
        if (m_images->magick(background, args, u"batch-%1.png"_s.arg(++m_batch)).isEmpty())
            return false;
        for (int i = 0; i < list.size(); ++i) {
            m_samples.append({list[i].distortion,
                              QDir(m_images->directory()).filePath(list[i].file), expected[i]});
        }
        return true;
    };
    QVERIFY2(composeScenes(m_background1600, scenes, sceneExpected),
             qPrintable(m_images->lastError()));

    // A phone photo, 4032×3024: one label each, 6–15 % of the width.
    worker->wait();
    m_background4032 = background4032;
    QVERIFY2(!m_background4032.isEmpty(), qPrintable(error4032));
    QList<Variant> phone;
    QList<Expected> phoneExpected;
    const QSize large(4032, 3024);
    for (int i = 0; i < labels.size(); ++i) {
        const int side = qRound(large.width() * QList<double>{0.06, 0.09, 0.12, 0.15}[i]);
        phone.append({u"scene-4032"_s, u"scene-4032-%1.jpg"_s.arg(i),
                      paste(labels[i], side, random.bounded(-20, 21), large, {})});
        phoneExpected << Expected{ScannedCode::Kind::Label, m_labelCodes[i], {}};
    }
    QVERIFY2(composeScenes(m_background4032, phone, phoneExpected),
             qPrintable(m_images->lastError()));

    qInfo("%lld images made in %.1f s", qlonglong(m_samples.size()), timer.elapsed() / 1000.0);
}

void TestCodeReader::identificationRate()
{
    struct Tally
    {
        int images = 0;
        int identified = 0;
        int wrong = 0;
    };
    QMap<QString, Tally> byDistortion;
    Tally total;
    QStringList misses;
    QStringList wrongCodes;
    QElapsedTimer timer;
    timer.start();
    for (const Sample &sample : std::as_const(m_samples)) {
        const codes::PhotoResult result = codes::PhotoReader::readFile(sample.path);
        bool identified = false;
        bool wrong = false;
        for (const codes::FoundCode &found : result.codes) {
            const ScannedCode code = ScannedCode::classify(found.text);
            const bool right =
                code.kind == sample.expected.kind &&
                (code.kind == ScannedCode::Kind::Label ? code.labelCode == sample.expected.labelCode
                                                       : code.udi == sample.expected.udi);
            if (right) {
                identified = true;
            } else {
                wrong = true;
                wrongCodes << u"%1: read %2"_s.arg(QFileInfo(sample.path).fileName(),
                                                   code.displayText());
            }
        }
        const bool counted = !sample.distortion.startsWith(u"beyond:"_s);
        Tally &t = byDistortion[sample.distortion];
        ++t.images;
        total.images += counted;
        if (wrong) {
            ++t.wrong;
            total.wrong += counted;
        } else if (identified) {
            ++t.identified;
            total.identified += counted;
        } else if (counted) {
            misses << u"%1 (%2)"_s.arg(QFileInfo(sample.path).fileName(),
                                       result.status == codes::PhotoStatus::NoCode ? u"no code"_s
                                                                                   : result.detail);
        }
    }
    const double seconds = timer.elapsed() / 1000.0;

    qInfo("%-16s %7s %11s %6s %7s", "distortion", "images", "identified", "wrong", "rate");
    for (const bool beyond : {false, true}) {
        for (auto it = byDistortion.cbegin(); it != byDistortion.cend(); ++it) {
            if (it.key().startsWith(u"beyond:"_s) != beyond)
                continue;
            qInfo("%-16s %7d %11d %6d %6.1f%%", qPrintable(it.key()), it->images, it->identified,
                  it->wrong, 100.0 * it->identified / it->images);
        }
        if (beyond)
            break;
        const double rate = double(total.identified) / total.images;
        qInfo("%-16s %7d %11d %6d %6.1f%%   (all read in %.1f s)", "overall", total.images,
              total.identified, total.wrong, 100.0 * rate, seconds);
    }
    const double rate = double(total.identified) / total.images;
    for (const QString &miss : std::as_const(misses))
        qInfo("missed: %s", qPrintable(miss));

    QVERIFY2(total.images >= 100, "the corpus is smaller than intended");
    QVERIFY2(wrongCodes.isEmpty(), qPrintable(wrongCodes.join(u"; "_s)));
    QVERIFY2(rate >= 0.95, qPrintable(u"identification rate %1 %"_s.arg(100.0 * rate, 0, 'f', 1)));
}

void TestCodeReader::imagesWithoutACodeHaveNone_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QStringList>("args");
    // From a white 640×480 canvas.
    QTest::newRow("blank page") << u"blank.png"_s << QStringList{};
    QTest::newRow("noise") << u"noise.png"_s
                           << QStringList{u"+noise"_s, u"Random"_s, u"-colorspace"_s, u"gray"_s};
    QTest::newRow("squares") << u"squares.png"_s
                             << QStringList{u"-fill"_s, u"black"_s,
                                            u"-draw"_s, u"rectangle 100,100 300,300"_s,
                                            u"-draw"_s, u"rectangle 300,300 500,450"_s};
    QTest::newRow("barcode-like stripes")
        << u"stripes.png"_s
        << QStringList{u"-fill"_s, u"black"_s, u"-draw"_s,
                       u"rectangle 50,200 53,400 rectangle 58,200 59,400 rectangle 64,200 69,400 "
                       u"rectangle 72,200 73,400 rectangle 80,200 86,400 rectangle 90,200 91,400 "
                       u"rectangle 95,200 97,400 rectangle 104,200 105,400"_s};
}

void TestCodeReader::imagesWithoutACodeHaveNone()
{
    QFETCH(QString, name);
    QFETCH(QStringList, args);
    const QString path =
        m_images->magick(u"xc:white"_s, QStringList{u"-resize"_s, u"640x480!"_s} + args, name);
    QVERIFY2(!path.isEmpty(), qPrintable(m_images->lastError()));
    QCOMPARE(QImageReader(path).size(), QSize(640, 480));
    const codes::PhotoResult result = codes::PhotoReader::readFile(path);
    QCOMPARE(result.status, codes::PhotoStatus::NoCode);
    QVERIFY(result.codes.isEmpty());
}

void TestCodeReader::scenesWithoutACodeHaveNone()
{
    // The camera-like backgrounds of the corpus, without any label, as JPEG.
    for (const QString &scene : {m_background1600, m_background4032}) {
        const codes::PhotoResult result = codes::PhotoReader::readFile(scene);
        QCOMPARE(result.status, codes::PhotoStatus::NoCode);
        QVERIFY(!result.imageSize.isEmpty());
    }
}

void TestCodeReader::fakeQrCodeIsNoCode()
{
    // Something that looks like a QR code to a person and to a finder-pattern detector —
    // three finder patterns, timing patterns, random modules — but is no code. It must
    // give NoCode, never a made-up payload.
    QRandomGenerator random(77);
    for (int round = 0; round < 5; ++round) {
        const int modules = 29;
        const int scale = 8;
        QImage image((modules + 8) * scale, (modules + 8) * scale, QImage::Format_RGB32);
        image.fill(Qt::white);
        QPainter painter(&image);
        auto dark = [&](int x, int y) {
            painter.fillRect((x + 4) * scale, (y + 4) * scale, scale, scale, Qt::black);
        };
        auto finder = [&](int ox, int oy) {
            for (int y = 0; y < 7; ++y) {
                for (int x = 0; x < 7; ++x) {
                    const bool ring = x == 0 || y == 0 || x == 6 || y == 6;
                    const bool core = x >= 2 && x <= 4 && y >= 2 && y <= 4;
                    if (ring || core)
                        dark(ox + x, oy + y);
                }
            }
        };
        for (int y = 0; y < modules; ++y) {
            for (int x = 0; x < modules; ++x) {
                const bool inFinder =
                    (x < 8 && y < 8) || (x >= modules - 8 && y < 8) || (x < 8 && y >= modules - 8);
                if (inFinder)
                    continue;
                if (y == 6 || x == 6) {
                    if ((x + y) % 2 == 0)
                        dark(x, y); // timing patterns
                    continue;
                }
                if (random.bounded(2) == 1)
                    dark(x, y);
            }
        }
        finder(0, 0);
        finder(modules - 7, 0);
        finder(0, modules - 7);
        painter.end();
        const QString path = QDir(m_dir.path()).filePath(u"fake-%1.png"_s.arg(round));
        QVERIFY(image.save(path));
        const codes::PhotoResult result = codes::PhotoReader::readFile(path);
        QCOMPARE(result.status, codes::PhotoStatus::NoCode);
        QVERIFY(result.codes.isEmpty());
    }
}

void TestCodeReader::readsEveryImageFormat_data()
{
    QTest::addColumn<QImage::Format>("format");
    QTest::newRow("Grayscale8") << QImage::Format_Grayscale8;
    QTest::newRow("RGB32") << QImage::Format_RGB32;
    QTest::newRow("ARGB32") << QImage::Format_ARGB32;
    QTest::newRow("ARGB32_Premultiplied") << QImage::Format_ARGB32_Premultiplied;
    QTest::newRow("RGBX8888") << QImage::Format_RGBX8888;
    QTest::newRow("RGBA8888") << QImage::Format_RGBA8888;
    QTest::newRow("RGB888") << QImage::Format_RGB888;
    QTest::newRow("BGR888") << QImage::Format_BGR888;
    QTest::newRow("Indexed8 (converted)") << QImage::Format_Indexed8;
    QTest::newRow("Mono (converted)") << QImage::Format_Mono;
    QTest::newRow("RGB16 (converted)") << QImage::Format_RGB16;
}

void TestCodeReader::readsEveryImageFormat()
{
    QFETCH(QImage::Format, format);
    // Blue on orange: darker than its background only when red and blue are taken from
    // the right bytes (luma 58 on 139); with the two swapped both are ~95 and ZXing
    // finds nothing. Black on white would read the same in any byte order.
    QImage label = QImage(m_cleanLabel).convertToFormat(QImage::Format_RGB32);
    for (int y = 0; y < label.height(); ++y) {
        auto *line = reinterpret_cast<QRgb *>(label.scanLine(y));
        for (int x = 0; x < label.width(); ++x)
            line[x] = qGray(line[x]) < 128 ? qRgb(0, 60, 200) : qRgb(230, 120, 0);
    }
    const QImage image = label.convertToFormat(format, Qt::ThresholdDither | Qt::AvoidDither);
    const QList<codes::FoundCode> found = codes::CodeReader().read(image);
    QCOMPARE(found.size(), 1);
    QCOMPARE(ScannedCode::classify(found.first().text).labelCode, m_labelCodes.first());
    QCOMPARE(found.first().symbology, codes::Symbology::QrCode);
}

void TestCodeReader::readsPackedLumaInPlace()
{
    // A YUYV camera frame: luma in every other byte, chroma between.
    const QImage grey = QImage(m_cleanLabel).convertToFormat(QImage::Format_Grayscale8);
    QByteArray yuyv(grey.width() * 2 * grey.height(), char(128));
    for (int y = 0; y < grey.height(); ++y) {
        for (int x = 0; x < grey.width(); ++x)
            yuyv[(y * grey.width() + x) * 2] = char(grey.constScanLine(y)[x]);
    }
    const codes::ImageBuffer buffer{reinterpret_cast<const uchar *>(yuyv.constData()),
                                    grey.width(),
                                    grey.height(),
                                    grey.width() * 2,
                                    codes::PixelLayout::Luma,
                                    2};
    const QList<codes::FoundCode> found = codes::CodeReader().read(buffer);
    QCOMPARE(found.size(), 1);
    QCOMPARE(ScannedCode::classify(found.first().text).labelCode, m_labelCodes.first());
}

void TestCodeReader::onlyTheRequestedSymbologies()
{
    const QImage matrix(m_dataMatrix);
    const QImage qr(m_cleanLabel);
    codes::ReadOptions qrOnly;
    qrOnly.symbologies = codes::Symbology::QrCode;
    QVERIFY(codes::CodeReader(qrOnly).read(matrix).isEmpty());
    QCOMPARE(codes::CodeReader(qrOnly).read(qr).size(), 1);
    codes::ReadOptions matrixOnly;
    matrixOnly.symbologies = codes::Symbology::DataMatrix;
    QVERIFY(codes::CodeReader(matrixOnly).read(qr).isEmpty());
    QCOMPARE(codes::CodeReader(matrixOnly).read(matrix).size(), 1);
}

void TestCodeReader::gs1SymbolsSayTheyAreGs1()
{
    const QList<codes::FoundCode> found = codes::CodeReader().read(QImage(m_dataMatrix));
    QCOMPARE(found.size(), 1);
    const codes::FoundCode &code = found.first();
    QCOMPARE(code.symbology, codes::Symbology::DataMatrix);
    QVERIFY(code.gs1);
    QCOMPARE(code.symbologyId, u"]d2"_s);
    QVERIFY(code.text.contains(QChar(0x1D))); // FNC1 after the variable-length lot
    const auto udi = Gs1Udi::parse(code.symbologyId + code.text);
    QVERIFY(udi.has_value());
    QVERIFY(*udi == m_udi);

    const QList<codes::FoundCode> qr = codes::CodeReader().read(QImage(m_cleanLabel));
    QCOMPARE(qr.size(), 1);
    QVERIFY(!qr.first().gs1);
    QCOMPARE(qr.first().symbologyId, u"]Q1"_s);
}

void TestCodeReader::cornersAreWhereTheCodeIs()
{
    // The label pasted unrotated at (500, 300), 200 px: corners within a few pixels of
    // the symbol (the label has a 4-module quiet zone inside those 200 px).
    QImage frame(1280, 720, QImage::Format_RGB32);
    frame.fill(QColor(120, 120, 120));
    const QImage source(m_cleanLabel);
    const double quiet = 4.0 * 200 / (source.width() / 8); // qrencode: 8 px per module
    QPainter(&frame).drawImage(500, 300, source.scaled(200, 200));
    const QList<codes::FoundCode> found = codes::CodeReader().read(frame);
    QCOMPARE(found.size(), 1);
    const QRectF symbol = QRectF(500, 300, 200, 200).adjusted(quiet, quiet, -quiet, -quiet);
    const QPolygonF &corners = found.first().corners;
    QCOMPARE(corners.size(), 4);
    const QList<QPointF> expected = {symbol.topLeft(), symbol.topRight(), symbol.bottomRight(),
                                     symbol.bottomLeft()};
    for (int i = 0; i < 4; ++i) {
        const QPointF d = corners[i] - expected[i];
        QVERIFY2(
            std::hypot(d.x(), d.y()) < 10,
            qPrintable(u"corner %1 at %2,%3"_s.arg(i).arg(corners[i].x()).arg(corners[i].y())));
    }
}

void TestCodeReader::severalCodesInOneImage()
{
    // A device with our label beside its manufacturer's UDI.
    const QImage qr(m_cleanLabel);
    const QImage matrix(m_dataMatrix);
    QImage frame(qr.width() + matrix.width() + 100, std::max(qr.height(), matrix.height()) + 40,
                 QImage::Format_RGB32);
    frame.fill(Qt::white);
    QPainter painter(&frame);
    painter.drawImage(20, 20, qr);
    painter.drawImage(qr.width() + 80, 20, matrix);
    painter.end();
    const QList<codes::FoundCode> both =
        codes::CodeReader(codes::ReadOptions::photos()).read(frame);
    QCOMPARE(both.size(), 2);
    QVERIFY(both[0].symbology != both[1].symbology);
    for (const codes::FoundCode &code : both) {
        const ScannedCode::Kind kind = ScannedCode::classify(code.text).kind;
        QCOMPARE(kind, code.symbology == codes::Symbology::QrCode ? ScannedCode::Kind::Label
                                                                  : ScannedCode::Kind::Udi);
    }

    codes::ReadOptions one = codes::ReadOptions::photos();
    one.maxSymbols = 1;
    QCOMPARE(codes::CodeReader(one).read(frame).size(), 1);
}

void TestCodeReader::emptyInputReadsNothing()
{
    QVERIFY(codes::CodeReader().read(QImage()).isEmpty());
    QVERIFY(codes::CodeReader().read(codes::ImageBuffer{}).isEmpty());
    const uchar pixel = 0;
    QVERIFY(codes::CodeReader().read(codes::ImageBuffer{&pixel, 0, 10, 0}).isEmpty());
    QVERIFY(codes::CodeReader().read(codes::ImageBuffer{&pixel, 1, 1, 1}).isEmpty());
    QCOMPARE(codes::PhotoReader::read(QImage()).status, codes::PhotoStatus::NoCode);
}

// ZXing-cpp 1.4 aborts on an assert when it compares two reads of one Code 128 while
// collecting several symbols (pyramid layers of a large print, or the same barcode
// printed twice). Both shapes, as a hostile upload would send them, must read normally.
void TestCodeReader::linearCodeSeenTwiceDoesNotAbort()
{
    const QString udi = u"[01]04012345678901[21]SN-TWICE-1"_s;
    const QString single = m_images->gs1Png(u"gs1-128"_s, udi, 2, u"twice-single.png"_s);
    QVERIFY2(!single.isEmpty(), qPrintable(m_images->lastError()));
    const QString large = m_images->magick(single, {u"-resize"_s, u"300%"_s}, u"twice-large.png"_s);
    const QString stacked = m_images->magick(
        single, {single, u"-append"_s, u"-resize"_s, u"300%"_s}, u"twice-stacked.png"_s);
    QVERIFY2(!large.isEmpty() && !stacked.isEmpty(), qPrintable(m_images->lastError()));
    for (const QString &path : {large, stacked}) {
        const codes::PhotoResult result = codes::PhotoReader::readFile(path);
        QCOMPARE(result.status, codes::PhotoStatus::Found);
        const ScannedCode code = ScannedCode::classify(result.codes.first().text);
        QCOMPARE(code.kind, ScannedCode::Kind::Udi);
        QCOMPARE(code.udi.serial, u"SN-TWICE-1"_s);
        QVERIFY(!codes::CodeReader(codes::ReadOptions::photos()).read(QImage(path)).isEmpty());
    }
}

QTEST_GUILESS_MAIN(TestCodeReader)
#include "tst_codereader.moc"
