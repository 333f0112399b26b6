#include "domain/qrpayload.h"
#include "domain/scannedcode.h"

#include <QTest>

using namespace md::domain;
using namespace Qt::StringLiterals;

// One decision for every input (webcam, photo, clipboard, scanner, server): our label,
// a GS1 UDI, or something else that is only ever shown, safely.
class TestScannedCode final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void classify_data();
    void classify();
    void otherPayloadIsCappedAt4096();
    void displayTextIsSafe_data();
    void displayTextIsSafe();
    void displayTextElidesInTheMiddle();
    void displayTextNeverSplitsASurrogatePair();
    void displayTextOfHugeHostilePayload();
};

namespace {

const QString GS = QString(QChar(0x1D));
const QString Code = u"MD-7K3M-9QXT-2HVB-CW4P"_s;

bool hasUnsafeCharacter(const QString &text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
            ++i;
            continue;
        }
        if (c.isSurrogate())
            return true;
        switch (c.category()) {
        case QChar::Other_Control:
        case QChar::Other_Format:
        case QChar::Separator_Line:
        case QChar::Separator_Paragraph:
            return true;
        default:
            break;
        }
    }
    return false;
}

} // namespace

void TestScannedCode::classify_data()
{
    QTest::addColumn<QString>("payload");
    QTest::addColumn<ScannedCode::Kind>("kind");
    QTest::addColumn<QString>("labelCode");
    QTest::addColumn<QString>("gtin");
    QTest::addColumn<QString>("serial");

    using K = ScannedCode::Kind;
    QTest::newRow("bare label code") << Code << K::Label << Code << QString() << QString();
    QTest::newRow("label code, lower case, Enter")
        << u"md-7k3m-9qxt-2hvb-cw4p\r\n"_s << K::Label << Code << QString() << QString();
    QTest::newRow("label link") << u"https://md.example.org/e/"_s + Code << K::Label << Code
                                << QString() << QString();
    QTest::newRow("GS1 DataMatrix as ZXing reads it")
        << u"]d2010084458800328817141120107654321D"_s + GS + u"2110987654d321"_s << K::Udi
        << QString() << u"00844588003288"_s << u"10987654d321"_s;
    QTest::newRow("GS1 human-readable") << u"(01)00844588003288(21)SN42"_s << K::Udi << QString()
                                        << u"00844588003288"_s << u"SN42"_s;
    QTest::newRow("UDI with a bad check digit")
        << u"(01)00844588003289(21)SN42"_s << K::Other << QString() << QString() << QString();
    QTest::newRow("HIBCC UDI") << u"+H123PROD12341/$$3240101LOT123Y"_s << K::Other << QString()
                               << QString() << QString();
    QTest::newRow("another site's link") << u"https://evil.example/e/"_s + Code + u"?x=1"_s
                                         << K::Other << QString() << QString() << QString();
    QTest::newRow("javascript: URL")
        << u"javascript:alert(1)"_s << K::Other << QString() << QString() << QString();
    QTest::newRow("label code with trailing junk")
        << Code + u" DROP TABLE"_s << K::Other << QString() << QString() << QString();
    QTest::newRow("RTL override around a code")
        << u"\u202E"_s + Code << K::Other << QString() << QString() << QString();
    QTest::newRow("empty") << QString() << K::Other << QString() << QString() << QString();
}

void TestScannedCode::classify()
{
    QFETCH(QString, payload);
    QFETCH(ScannedCode::Kind, kind);
    QFETCH(QString, labelCode);
    QFETCH(QString, gtin);
    QFETCH(QString, serial);

    const ScannedCode code = ScannedCode::classify(payload);
    QCOMPARE(code.kind, kind);
    QCOMPARE(code.labelCode, labelCode);
    QCOMPARE(code.udi.gtin, gtin);
    QCOMPARE(code.udi.serial, serial);
    QCOMPARE(code.payload, payload);
}

void TestScannedCode::otherPayloadIsCappedAt4096()
{
    const QString huge = QString(100'000, u'A');
    const ScannedCode code = ScannedCode::classify(huge);
    QCOMPARE(code.kind, ScannedCode::Kind::Other);
    QCOMPARE(code.payload.size(), 4096);
    // A label code hidden after megabytes of text is still not a label.
    QCOMPARE(ScannedCode::classify(QString(5000, u' ') + Code).kind, ScannedCode::Kind::Other);
}

void TestScannedCode::displayTextIsSafe_data()
{
    QTest::addColumn<QString>("payload");
    QTest::addColumn<QString>("shown");
    const QString r = QString(QChar(0xFFFD));
    QTest::newRow("plain text") << u"hello"_s << u"hello"_s;
    QTest::newRow("GS separators")
        << u"0100844588003288"_s + GS + u"21SN"_s << u"0100844588003288<GS>21SN"_s;
    QTest::newRow("NUL, BEL, ESC")
        << u"a\u0000b\u0007c\u001B[31m"_s << u"a"_s + r + u"b"_s + r + u"c"_s + r + u"[31m"_s;
    QTest::newRow("newlines and tab") << u"a\r\nb\tc"_s << u"a"_s + r + r + u"b"_s + r + u"c"_s;
    QTest::newRow("DEL and C1") << u"a\u007Fb\u0085c\u009Bd"_s
                                << u"a"_s + r + u"b"_s + r + u"c"_s + r + u"d"_s;
    QTest::newRow("RTL override") << u"evil\u202Egpj.exe"_s << u"evil"_s + r + u"gpj.exe"_s;
    QTest::newRow("bidi isolates") << u"\u2066a\u2069"_s << r + u"a"_s + r;
    QTest::newRow("zero-width space and joiner")
        << u"a\u200Bb\u200Dc"_s << u"a"_s + r + u"b"_s + r + u"c"_s;
    QTest::newRow("line separator") << u"a\u2028b"_s << u"a"_s + r + u"b"_s;
    QTest::newRow("lone surrogates")
        << u"a"_s + QChar(0xD800) + u"b"_s + QChar(0xDC00) << u"a"_s + r + u"b"_s + r;
    QTest::newRow("emoji and accents kept") << u"Größe 🙂 ok"_s << u"Größe 🙂 ok"_s;
    QTest::newRow("unassigned code point") << u"a\U000E0080b"_s << u"a"_s + r + u"b"_s;
}

void TestScannedCode::displayTextIsSafe()
{
    QFETCH(QString, payload);
    QFETCH(QString, shown);
    const ScannedCode code = ScannedCode::classify(payload);
    QCOMPARE(code.displayText(), shown);
    QVERIFY(!hasUnsafeCharacter(code.displayText()));
}

void TestScannedCode::displayTextElidesInTheMiddle()
{
    const QString url = u"https://evil.example/"_s + QString(300, u'x') + u"/e/"_s + Code;
    const ScannedCode code = ScannedCode::classify(url);
    const QString shown = code.displayText(40);
    QCOMPARE(shown.size(), 40);
    QVERIFY2(shown.startsWith(u"https://evil.example"_s), qPrintable(shown));
    QVERIFY2(shown.endsWith(u"2HVB-CW4P"_s), qPrintable(shown));
    QCOMPARE(shown.count(QChar(0x2026)), 1);
    QCOMPARE(code.displayText().size(), 80); // the default

    // Short enough: unchanged, no ellipsis.
    QCOMPARE(ScannedCode::classify(Code).displayText(22), Code);
    QCOMPARE(ScannedCode::classify(Code).displayText(21).size(), 21);
    QCOMPARE(ScannedCode::classify(Code).displayText(1), QString(QChar(0x2026)));
    QCOMPARE(ScannedCode::classify(Code).displayText(0), QString());
    QCOMPARE(ScannedCode::classify(Code).displayText(-5), QString());
}

void TestScannedCode::displayTextNeverSplitsASurrogatePair()
{
    // 🙂 is two UTF-16 units: no cut position may leave half of one behind.
    const QString emoji =
        QString(60, u'a') + QString(30, QChar(0)) + u"🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂"_s;
    for (int max = 2; max <= 100; ++max) {
        for (const QString &payload : {emoji, u"🙂"_s.repeated(80), u"x🙂"_s.repeated(80)}) {
            const QString shown = ScannedCode::classify(payload).displayText(max);
            QVERIFY2(shown.size() <= max, qPrintable(QString::number(max)));
            QVERIFY2(!hasUnsafeCharacter(shown), qPrintable(QString::number(max)));
        }
    }
}

void TestScannedCode::displayTextOfHugeHostilePayload()
{
    QString hostile;
    for (int i = 0; i < 2000; ++i)
        hostile += u"\u202E\u0000\n"_s + QChar(0x1D);
    const ScannedCode code = ScannedCode::classify(hostile);
    QCOMPARE(code.kind, ScannedCode::Kind::Other);
    const QString shown = code.displayText(60);
    QVERIFY(shown.size() <= 60);
    QVERIFY(!hasUnsafeCharacter(shown));
}

QTEST_APPLESS_MAIN(TestScannedCode)
#include "tst_scannedcode.moc"
