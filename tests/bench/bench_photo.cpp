// bench_photo: PhotoReader::read on photos as the server gets them (POST
// /v1/equipment/identify, the WhatsApp intake) — a 4032×3024 phone JPEG with a label, the
// same photo without any code, a 1600×1200 one — beside the parts it is made of, measured
// in the same run on the same bytes: Qt's JPEG decoding alone (at the size PhotoReader
// decodes to) and ZXing-cpp's ReadBarcodes alone with ReadOptions::photos()' hints on the
// decoded pixels. Images are made at start by md_codeimages (qrencode + ImageMagick).
//
//   bench_photo [--runs N] [--out FILE]
//
// FILE gets one tab-separated line per figure: name, value, unit.

#include "benchsupport.h"
#include "codeimages.h"
#include "codes/codereader.h"
#include "codes/photoreader.h"
#include "domain/qrpayload.h"
#include "domain/scannedcode.h"

#include <QBuffer>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QImageReader>
#include <QTemporaryDir>

#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace md;

namespace {

struct Case
{
    QString name;
    QString title; // the report's section
    QString path;
    bool hasCode = false;
};

// ReadOptions::photos() as ZXing hints (the same translation CodeReader makes).
ZXing::DecodeHints photoHints()
{
    const codes::ReadOptions options = codes::ReadOptions::photos();
    ZXing::DecodeHints hints;
    hints.setFormats(ZXing::BarcodeFormat::QRCode | ZXing::BarcodeFormat::DataMatrix |
                     ZXing::BarcodeFormat::Code128);
    hints.setTryHarder(options.tryHarder);
    hints.setTryRotate(options.tryRotate);
    hints.setTryDownscale(options.tryDownscale);
    hints.setMaxNumberOfSymbols(uint8_t(options.maxSymbols));
    return hints;
}

QImage decodeLikePhotoReader(const QByteArray &bytes, QSize decodedSize)
{
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer, "jpeg");
    reader.setDecideFormatFromContent(false);
    reader.setAutoTransform(false);
    if (reader.size() != decodedSize)
        reader.setScaledSize(decodedSize);
    return reader.read();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"PhotoReader beside JPEG decoding and ZXing alone"_s);
    parser.addHelpOption();
    const QCommandLineOption runsOption(u"runs"_s, u"Measured runs per figure (median)."_s, u"N"_s,
                                        u"15"_s);
    const QCommandLineOption outOption(u"out"_s, u"Write the report rows (TSV) here."_s, u"FILE"_s);
    parser.addOptions({runsOption, outOption});
    parser.process(app);
    const int runs = std::max(1, parser.value(runsOption).toInt());

    if (const QString missing = test::CodeImages::missingTools(); !missing.isEmpty()) {
        std::fprintf(stderr, "bench_photo: not installed: %s\n", qPrintable(missing));
        return 2;
    }
    QTemporaryDir dir;
    test::CodeImages images(dir.path());
    const QString code = domain::QrPayload::generateCode();
    const QString label = images.qrPng(code, 8, u"label.png"_s);
    // One textured background per size (the slow part); the label pasted onto it the
    // way a phone sees a device: about a tenth of the frame, turned a little. Phones
    // send colour JPEGs (three components to decode), so the grey scenes are stored as
    // colour, quality 90.
    const QStringList asPhoneJpeg = {u"-type"_s, u"TrueColor"_s, u"-quality"_s, u"90"_s};
    const QString background =
        images.scene({}, QSize(4032, 3024), 0, {}, 0, u"phone-background.jpg"_s, 11);
    const QString phoneEmpty = background.isEmpty()
                                   ? QString()
                                   : images.magick(background, asPhoneJpeg, u"phone-nocode.jpg"_s);
    const QString phone =
        background.isEmpty()
            ? QString()
            : images.magick(background,
                            QStringList{u"("_s, label, u"-resize"_s, u"420x420"_s, u"-background"_s,
                                        u"white"_s, u"-rotate"_s, u"8"_s, u")"_s, u"-geometry"_s,
                                        u"+1750+1250"_s, u"-composite"_s} +
                                asPhoneJpeg,
                            u"phone-label.jpg"_s);
    const QString grey1600 = images.scene(label, QSize(1600, 1200), 190, QPoint(700, 480), -6,
                                          u"photo-1600-grey.jpg"_s, 5);
    const QString frame =
        grey1600.isEmpty() ? QString() : images.magick(grey1600, asPhoneJpeg, u"photo-1600.jpg"_s);
    if (label.isEmpty() || phoneEmpty.isEmpty() || phone.isEmpty() || frame.isEmpty()) {
        std::fprintf(stderr, "bench_photo: making images failed: %s\n",
                     qPrintable(images.lastError()));
        return 2;
    }
    const QList<Case> cases = {
        {u"phone_4032x3024_label"_s, u"4032×3024 phone photo with a label"_s, phone, true},
        {u"phone_4032x3024_nocode"_s, u"4032×3024 phone photo without a code"_s, phoneEmpty, false},
        {u"photo_1600x1200_label"_s, u"1600×1200 photo with a label"_s, frame, true},
    };

    bench::Report report(u"bench_photo"_s);
    report.meta(u"Qt"_s, QString::fromLatin1(qVersion()));
    report.info(u"photo: setup"_s, u"machine"_s, bench::machineDescription());
    report.info(u"photo: setup"_s, u"load average at start (1/5/15 min)"_s, bench::loadAverage());
    report.info(u"photo: setup"_s, u"measured runs per figure (median)"_s, QString::number(runs));
    std::printf("bench_photo: %s, %d runs per figure (median)\n",
                qPrintable(bench::machineDescription()), runs);
    const ZXing::DecodeHints hints = photoHints();
    for (const Case &c : cases) {
        QFile file(c.path);
        if (!file.open(QIODevice::ReadOnly)) {
            report.fail(c.path + u": cannot open"_s);
            continue;
        }
        const QByteArray bytes = file.readAll();

        // PhotoReader, from bytes to classified codes (one warm-up run first).
        codes::PhotoResult result = codes::PhotoReader::read(bytes, "jpeg");
        QList<qint64> photoNanos;
        for (int i = 0; i < runs; ++i) {
            QElapsedTimer timer;
            timer.start();
            result = codes::PhotoReader::read(bytes, "jpeg");
            photoNanos << timer.nsecsElapsed();
        }
        const bool found =
            result.status == codes::PhotoStatus::Found &&
            domain::ScannedCode::classify(result.codes.first().text).labelCode == code;
        if (found != c.hasCode || (!c.hasCode && result.status != codes::PhotoStatus::NoCode))
            report.fail(u"%1: unexpected result (status %2)"_s.arg(c.name).arg(int(result.status)));

        // The parts: decoding at the same size, and ZXing on the decoded pixels.
        QImage decoded = decodeLikePhotoReader(bytes, result.imageSize);
        QList<qint64> decodeNanos;
        for (int i = 0; i < runs; ++i) {
            QElapsedTimer timer;
            timer.start();
            decoded = decodeLikePhotoReader(bytes, result.imageSize);
            decodeNanos << timer.nsecsElapsed();
        }
        if (decoded.format() != QImage::Format_RGB32 &&
            decoded.format() != QImage::Format_Grayscale8)
            decoded = decoded.convertToFormat(QImage::Format_RGB32);
        const ZXing::ImageView view(decoded.constBits(), decoded.width(), decoded.height(),
                                    decoded.format() == QImage::Format_Grayscale8
                                        ? ZXing::ImageFormat::Lum
                                        : ZXing::ImageFormat::BGRX,
                                    int(decoded.bytesPerLine()));
        qsizetype zxingFound = ZXing::ReadBarcodes(view, hints).size();
        QList<qint64> zxingNanos;
        for (int i = 0; i < runs; ++i) {
            QElapsedTimer timer;
            timer.start();
            zxingFound = ZXing::ReadBarcodes(view, hints).size();
            zxingNanos << timer.nsecsElapsed();
        }

        const double photoMs = bench::LatencyStats::of(photoNanos).p50;
        const double decodeMs = bench::LatencyStats::of(decodeNanos).p50;
        const double zxingMs = bench::LatencyStats::of(zxingNanos).p50;
        const double ratio = photoMs / (decodeMs + zxingMs);
        const QString size =
            u"%1x%2"_s.arg(result.imageSize.width()).arg(result.imageSize.height());
        const QString section = u"photo: "_s + c.title;
        report.info(section, u"PhotoReader::read, bytes to codes (median · max)"_s,
                    u"%1 · %2"_s.arg(bench::ms(photoMs),
                                     bench::ms(bench::LatencyStats::of(photoNanos).max)));
        report.info(section, u"JPEG decoding alone, same size (median)"_s, bench::ms(decodeMs));
        report.info(section, u"ZXing::ReadBarcodes alone, photo hints (median)"_s,
                    bench::ms(zxingMs));
        report.info(section, u"PhotoReader / (decoding + ZXing)"_s,
                    u"%1×"_s.arg(bench::number(ratio, 2)));
        report.info(section, u"decoded at"_s, size);
        report.info(section, u"codes found (PhotoReader / ZXing alone)"_s,
                    u"%1 / %2"_s.arg(result.codes.size()).arg(zxingFound));
    }
    report.info(u"photo: setup"_s, u"load average at end (1/5/15 min)"_s, bench::loadAverage());
    return report.finish(parser.value(outOption));
}
