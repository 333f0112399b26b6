// QrMatrix (our label encoder, ZXing-cpp's writer) checked by independent tools: zbar
// (zbarimg) must decode what we print, and qrencode must agree on how dense the symbol
// for a payload is. paint(), which prints the labels, must give the same modules as
// toImage().

#include "codes/qrmatrix.h"
#include "domain/qrpayload.h"

#include <QImage>
#include <QPainter>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace md;
using namespace md::codes;
using namespace Qt::StringLiterals;

namespace {

// zbarimg's reading of an image, or a null string when it found nothing.
QString zbarRead(const QString &path)
{
    QProcess zbar;
    zbar.start(u"zbarimg"_s, {u"--raw"_s, u"-q"_s, u"-Sdisable"_s, u"-Sqrcode.enable"_s, path});
    if (!zbar.waitForFinished(30000) || zbar.exitCode() != 0)
        return {};
    QString text = QString::fromUtf8(zbar.readAllStandardOutput());
    if (text.endsWith(u'\n'))
        text.chop(1);
    return text;
}

// The side, in modules, of qrencode's symbol for the same payload and level.
int qrencodeModules(const QString &payload, const QString &level, const QString &path)
{
    QProcess qrencode;
    qrencode.start(u"qrencode"_s, {u"-l"_s, level, u"-s"_s, u"1"_s, u"-m"_s, u"0"_s, u"-o"_s, path,
                                   u"--"_s, payload});
    if (!qrencode.waitForFinished(30000) || qrencode.exitCode() != 0)
        return -1;
    return QImage(path).width();
}

} // namespace

class TestQrMatrix final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void zbarReadsOurLabels_data();
    void zbarReadsOurLabels();
    void everyCorrectionLevel_data();
    void everyCorrectionLevel();
    void nullWhenNothingToEncode();
    void paintMatchesToImage();
    void paintAtAnyScaleAndOffset();

private:
    QTemporaryDir m_dir;
};

void TestQrMatrix::initTestCase()
{
    for (const QString &tool : {u"zbarimg"_s, u"qrencode"_s}) {
        if (QStandardPaths::findExecutable(tool).isEmpty())
            QSKIP(qPrintable(tool + u" is not installed (installer/install-deps.sh --test)"_s));
    }
    QVERIFY(m_dir.isValid());
}

void TestQrMatrix::zbarReadsOurLabels_data()
{
    QTest::addColumn<QString>("payload");
    QTest::addColumn<int>("moduleSize");
    for (int i = 0; i < 4; ++i) {
        const QString code = domain::QrPayload::generateCode();
        QTest::addRow("code %d", i) << code << 2 + i;
        QTest::addRow("https link %d", i)
            << domain::QrPayload::encode(code, u"https://md.example.org"_s) << 3;
        QTest::addRow("http link with port and path %d", i)
            << domain::QrPayload::encode(code, u"http://meddispatch.local:8080/cmms"_s) << 4;
    }
    QTest::newRow("numeric") << u"0123456789012345678901234567890"_s << 3;
    QTest::newRow("lower-case text") << u"ticket tkt-2026-000123 reported by ward 4b"_s << 3;
}

void TestQrMatrix::zbarReadsOurLabels()
{
    QFETCH(QString, payload);
    QFETCH(int, moduleSize);
    QVERIFY(!payload.isEmpty());
    const QrMatrix matrix = QrMatrix::encode(payload);
    QVERIFY(!matrix.isNull());
    const QString path = QDir(m_dir.path()).filePath(u"ours.png"_s);
    QVERIFY(matrix.toImage(moduleSize).save(path));
    QCOMPARE(zbarRead(path), payload);

    // As dense as qrencode's symbol at the same level (labels use Quartile): a bare code
    // is all alphanumeric and must come out the same size. A link mixes lower case with
    // the code: qrencode splits it into a byte and an alphanumeric segment, ZXing-cpp
    // 1.4's writer has one mode per symbol, which may cost one version (4 modules).
    const int reference =
        qrencodeModules(payload, u"Q"_s, QDir(m_dir.path()).filePath(u"ref.png"_s));
    if (domain::QrPayload::isValidCode(payload))
        QCOMPARE(matrix.size(), reference);
    else
        QVERIFY2(matrix.size() <= reference + 4,
                 qPrintable(u"%1 modules, qrencode %2"_s.arg(matrix.size()).arg(reference)));
}

void TestQrMatrix::everyCorrectionLevel_data()
{
    QTest::addColumn<QrMatrix::ErrorCorrection>("level");
    QTest::addColumn<QString>("qrencodeLevel");
    QTest::newRow("Low") << QrMatrix::ErrorCorrection::Low << u"L"_s;
    QTest::newRow("Medium") << QrMatrix::ErrorCorrection::Medium << u"M"_s;
    QTest::newRow("Quartile") << QrMatrix::ErrorCorrection::Quartile << u"Q"_s;
    QTest::newRow("High") << QrMatrix::ErrorCorrection::High << u"H"_s;
}

void TestQrMatrix::everyCorrectionLevel()
{
    QFETCH(QrMatrix::ErrorCorrection, level);
    QFETCH(QString, qrencodeLevel);
    // A label code: version 1 at Low, 2 at Medium and Quartile, 3 at High.
    const QString payload = domain::QrPayload::generateCode();
    const QrMatrix matrix = QrMatrix::encode(payload, level);
    QVERIFY(!matrix.isNull());
    const QString path = QDir(m_dir.path()).filePath(u"level.png"_s);
    QVERIFY(matrix.toImage(3).save(path));
    QCOMPARE(zbarRead(path), payload);
    QCOMPARE(matrix.size(),
             qrencodeModules(payload, qrencodeLevel, QDir(m_dir.path()).filePath(u"r.png"_s)));
}

void TestQrMatrix::nullWhenNothingToEncode()
{
    QVERIFY(QrMatrix().isNull());
    QVERIFY(QrMatrix::encode(QString()).isNull());
    QVERIFY(QrMatrix().toImage(4).isNull());
    QVERIFY(QrMatrix::encode(u"x"_s).toImage(0).isNull());
    // Version 40 holds 2,953 bytes at Low and 1,273 at High.
    QString bytes;
    for (int i = 0; bytes.size() < 3000; ++i)
        bytes += u"~%1"_s.arg(i % 10);
    bytes.truncate(3000);
    QVERIFY(QrMatrix::encode(bytes, QrMatrix::ErrorCorrection::Low).isNull());
    QVERIFY(QrMatrix::encode(bytes.left(1300), QrMatrix::ErrorCorrection::High).isNull());
    const QrMatrix low = QrMatrix::encode(bytes.left(1300), QrMatrix::ErrorCorrection::Low);
    QVERIFY(!low.isNull());
    QCOMPARE(low.size(),
             qrencodeModules(bytes.left(1300), u"L"_s, QDir(m_dir.path()).filePath(u"low.png"_s)));
    // Near full at High: version 40 (177 modules). (Not quite 1,273: ZXing-cpp puts an
    // ECI segment for UTF-8 before any byte-mode text.)
    QCOMPARE(QrMatrix::encode(bytes.left(1260), QrMatrix::ErrorCorrection::High).size(), 177);
}

void TestQrMatrix::paintMatchesToImage()
{
    const QrMatrix matrix = QrMatrix::encode(domain::QrPayload::generateCode());
    QVERIFY(!matrix.isNull());
    const int module = 5;
    const int quiet = 4;
    const QImage reference = matrix.toImage(module, quiet);
    QCOMPARE(reference.size(),
             QSize((matrix.size() + 2 * quiet) * module, (matrix.size() + 2 * quiet) * module));

    QImage painted(reference.size(), QImage::Format_Grayscale8);
    painted.fill(255);
    QPainter painter(&painted);
    matrix.paint(painter, QRectF(quiet * module, quiet * module, matrix.size() * module,
                                 matrix.size() * module));
    painter.end();
    QCOMPARE(painted, reference);
}

void TestQrMatrix::paintAtAnyScaleAndOffset()
{
    // As on a label sheet: fractional module size, offset target, antialiased. Every
    // module's centre has its colour, and the result still decodes.
    const QString payload =
        domain::QrPayload::encode(domain::QrPayload::generateCode(), u"https://md.example.org"_s);
    const QrMatrix matrix = QrMatrix::encode(payload);
    const QRectF target(37.5, 21.25, matrix.size() * 3.7, matrix.size() * 3.7);
    QImage image(int(target.right() + 40), int(target.bottom() + 40), QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    matrix.paint(painter, target);
    painter.end();
    const double m = target.width() / matrix.size();
    for (int y = 0; y < matrix.size(); ++y) {
        for (int x = 0; x < matrix.size(); ++x) {
            const QPoint centre(int(target.left() + (x + 0.5) * m),
                                int(target.top() + (y + 0.5) * m));
            const bool dark = qGray(image.pixel(centre)) < 128;
            QVERIFY2(dark == matrix.isDark(x, y), qPrintable(u"module %1,%2"_s.arg(x).arg(y)));
        }
    }
    const QString path = QDir(m_dir.path()).filePath(u"painted.png"_s);
    QVERIFY(image.save(path));
    QCOMPARE(zbarRead(path), payload);
}

QTEST_GUILESS_MAIN(TestQrMatrix)
#include "tst_qrmatrix.moc"
