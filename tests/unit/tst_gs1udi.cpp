#include "domain/gs1udi.h"

#include <QTest>

using namespace md::domain;
using namespace Qt::StringLiterals;

// GS1 UDI element strings as manufacturers' labels carry them (GS1 General
// Specifications; FDA's UDI examples) and as decoders and scanners hand them over.
class TestGs1Udi final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void gtinCheckDigit_data();
    void gtinCheckDigit();
    void everyWrongCheckDigitIsRefused();
    void parses_data();
    void parses();
    void refuses_data();
    void refuses();
    void dayZeroIsTheMonthsLastDay_data();
    void dayZeroIsTheMonthsLastDay();
    void inputLengthLimit();
    void humanReadable_data();
    void humanReadable();
};

namespace {

const QString GS = QString(QChar(0x1D));
// FDA's GS1 example (accessgudid.nlm.nih.gov, "UDI formats by issuing agency").
const QString FdaExample = u"(01)00844588003288(17)141120(10)7654321D(21)10987654d321"_s;
const QString FdaGtin = u"00844588003288"_s;

Gs1Udi udi(const QString &gtin, const QString &lot, QDate expiry, const QString &serial)
{
    Gs1Udi u;
    u.gtin = gtin;
    u.lot = lot;
    u.expiry = expiry;
    u.serial = serial;
    return u;
}

} // namespace

void TestGs1Udi::gtinCheckDigit_data()
{
    QTest::addColumn<QString>("gtin");
    QTest::addColumn<bool>("valid");
    QTest::newRow("FDA example") << FdaGtin << true;
    QTest::newRow("GS1 example 0401...") << u"04012345678901"_s << true;
    QTest::newRow("GTIN-13 padded (4006381333931)") << u"04006381333931"_s << true;
    QTest::newRow("all zeros") << u"00000000000000"_s << true;
    QTest::newRow("wrong check digit") << u"00844588003289"_s << false;
    QTest::newRow("13 digits") << u"0084458800328"_s << false;
    QTest::newRow("15 digits") << u"008445880032880"_s << false;
    QTest::newRow("letter") << u"0084458800328A"_s << false;
    QTest::newRow("Arabic-Indic digits") << u"٠٠٨٤٤٥٨٨٠٠٣٢٨٨"_s << false;
    QTest::newRow("empty") << QString() << false;
}

void TestGs1Udi::gtinCheckDigit()
{
    QFETCH(QString, gtin);
    QFETCH(bool, valid);
    QCOMPARE(isValidGtin14(gtin), valid);
}

void TestGs1Udi::everyWrongCheckDigitIsRefused()
{
    // Exactly one digit in ten is right, whatever the other 13 are.
    for (const QString &body : {u"0084458800328"_s, u"0401234567890"_s, u"1234567890123"_s}) {
        int valid = 0;
        for (char16_t d = u'0'; d <= u'9'; ++d) {
            const QString gtin = body + QChar(d);
            if (isValidGtin14(gtin)) {
                ++valid;
                QVERIFY(Gs1Udi::parse(u"(01)"_s + gtin).has_value());
            } else {
                QVERIFY2(!Gs1Udi::parse(u"(01)"_s + gtin).has_value(), qPrintable(gtin));
            }
        }
        QCOMPARE(valid, 1);
    }
}

void TestGs1Udi::parses_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<Gs1Udi>("expected");

    const Gs1Udi fda = udi(FdaGtin, u"7654321D"_s, QDate(2014, 11, 20), u"10987654d321"_s);
    const QString fdaRaw =
        u"0100844588003288171411201076543 21D"_s.remove(u' ') + GS + u"2110987654d321"_s;
    QTest::newRow("FDA example, human-readable") << FdaExample << fda;
    QTest::newRow("FDA example, raw") << fdaRaw << fda;
    QTest::newRow("raw, ]d2 GS1 DataMatrix") << u"]d2"_s + fdaRaw << fda;
    QTest::newRow("raw, ]C1 GS1-128") << u"]C1"_s + fdaRaw << fda;
    QTest::newRow("raw, ]Q3 GS1 QR") << u"]Q3"_s + fdaRaw << fda;
    QTest::newRow("raw, ]e0 GS1 DataBar") << u"]e0"_s + fdaRaw << fda;
    QTest::newRow("raw, leading FNC1 as GS") << GS + fdaRaw << fda;
    QTest::newRow("raw, identifier and leading GS") << u"]d2"_s + GS + fdaRaw << fda;
    QTest::newRow("raw, keyboard-wedge Enter") << fdaRaw + u"\r\n"_s << fda;
    QTest::newRow("human-readable, surrounding blanks") << u"  "_s + FdaExample + u"\n"_s << fda;
    QTest::newRow("raw, trailing GS") << fdaRaw + GS << fda;

    // zint --gs1 -d "[01]04012345678901[17]271231[10]LOT42[21]SN123456" read by
    // ZXing 1.4: the text as below, symbologyIdentifier "]d2" (DataMatrix) / "]C1".
    const Gs1Udi zint = udi(u"04012345678901"_s, u"LOT42"_s, QDate(2027, 12, 31), u"SN123456"_s);
    QTest::newRow("zint DataMatrix as ZXing reads it")
        << u"01040123456789011727123110LOT42"_s + GS + u"21SN123456"_s << zint;

    // A GS after a fixed-length field is allowed (encoders put one after 7003, 8006, ...).
    QTest::newRow("raw, GS after fixed-length fields")
        << u"0104012345678901"_s + GS + u"17271231"_s + GS + u"10LOT42"_s + GS + u"21SN123456"_s
        << zint;

    QTest::newRow("GTIN only, raw") << u"0100844588003288"_s << udi(FdaGtin, {}, {}, {});
    QTest::newRow("GTIN only, human-readable")
        << u"(01)00844588003288"_s << udi(FdaGtin, {}, {}, {});
    QTest::newRow("serial before GTIN")
        << u"(21)ABC-123/4(01)00844588003288"_s << udi(FdaGtin, {}, {}, u"ABC-123/4"_s);
    QTest::newRow("lot at the end, raw, no GS")
        << u"010084458800328810A.B-C_1"_s << udi(FdaGtin, u"A.B-C_1"_s, {}, {});
    QTest::newRow("20-character serial") << u"(01)00844588003288(21)ABCDEFGHIJ0123456789"_s
                                         << udi(FdaGtin, {}, {}, u"ABCDEFGHIJ0123456789"_s);
    QTest::newRow("parentheses inside a lot (not an AI)")
        << u"(01)00844588003288(10)A(B)C(21)X"_s << udi(FdaGtin, u"A(B)C"_s, {}, u"X"_s);
    QTest::newRow("GS1 charset punctuation") << u"(01)00844588003288(10)!\"%&'*+,-./:;<=>?_"_s
                                             << udi(FdaGtin, u"!\"%&'*+,-./:;<=>?_"_s, {}, {});

    // Other AIs between the ones we keep are skipped, in both forms.
    QTest::newRow("skipped AIs, raw")
        << u"0104012345678901"_s + u"11250101"_s + u"240REF-7"_s + GS + u"3103001250"_s + u"30"_s +
               u"12"_s + GS + u"7003"_s + u"2712312359"_s + u"8006"_s + u"040123456789010102"_s +
               u"422276"_s + u"17271231"_s + u"10LOT42"_s + GS + u"9123ab"_s + GS + u"21SN123456"_s
        << zint;
    QTest::newRow("skipped AIs, human-readable")
        << u"(01)04012345678901(11)250101(240)REF-7(3103)001250(30)12(7003)2712312359"
           u"(8006)040123456789010102(422)276(17)271231(10)LOT42(91)23ab(21)SN123456"_s
        << zint;
    QTest::newRow("00 SSCC and 02 before 01")
        << u"(00)106141411234567897(02)04012345678901(01)00844588003288"_s
        << udi(FdaGtin, {}, {}, {});
    QTest::newRow("253 GDTI, 8003 GRAI, 391n amount")
        << u"(01)00844588003288(253)4012345678901ABC(8003)04012345678901X1(3912)978100"_s
        << udi(FdaGtin, {}, {}, {});
}

void TestGs1Udi::parses()
{
    QFETCH(QString, text);
    QFETCH(Gs1Udi, expected);
    const auto parsed = Gs1Udi::parse(text);
    QVERIFY(parsed.has_value());
    QCOMPARE(parsed->gtin, expected.gtin);
    QCOMPARE(parsed->lot, expected.lot);
    QCOMPARE(parsed->expiry, expected.expiry);
    QCOMPARE(parsed->serial, expected.serial);
}

void TestGs1Udi::refuses_data()
{
    QTest::addColumn<QString>("text");

    QTest::newRow("empty") << QString();
    QTest::newRow("blank") << u"  \r\n"_s;
    QTest::newRow("GS only") << GS;
    // HIBCC is another issuing agency's format, not GS1.
    QTest::newRow("HIBCC") << u"+H123PROD12341/$$3240101LOT123Y"_s;
    QTest::newRow("ICCBBA ISBT 128") << u"=/A9999XYZ100T0944=,000025=A99971312345600"_s;
    QTest::newRow("our label code") << u"MD-7K3M-9QXT-2HVB-CW4P"_s;
    QTest::newRow("a URL") << u"https://id.example/01/00844588003288"_s;
    QTest::newRow("no (01)") << u"(10)LOT42(21)SN123456"_s;
    QTest::newRow("(02) is not a device identifier") << u"(02)00844588003288(10)LOT42"_s;
    QTest::newRow("wrong check digit") << u"(01)00844588003289(21)SN"_s;
    QTest::newRow("GTIN 13 digits, bracketed") << u"(01)0084458800328(21)SN"_s;
    QTest::newRow("GTIN 13 digits, raw, end") << u"010084458800328"_s;
    QTest::newRow("GTIN with a letter") << u"(01)0084458800328A"_s;
    QTest::newRow("unknown AI (14)") << u"(01)00844588003288(14)271231"_s;
    QTest::newRow("unknown AI, raw") << u"0100844588003288"_s + u"14271231"_s;
    QTest::newRow("unknown AI (7999)") << u"(01)00844588003288(7999)X"_s;
    QTest::newRow("AI not in brackets") << u"(01)00844588003288 21SN"_s;
    QTest::newRow("unclosed bracket") << u"(01)00844588003288(21SN"_s;
    QTest::newRow("junk after the last field") << u"(01)00844588003288(17)271231 junk"_s;
    QTest::newRow("expiry 5 digits") << u"(01)00844588003288(17)27123"_s;
    QTest::newRow("expiry 7 digits") << u"(01)00844588003288(17)2712311"_s;
    QTest::newRow("expiry raw, cut off") << u"010084458800328817271"_s;
    QTest::newRow("expiry month 13") << u"(01)00844588003288(17)271301"_s;
    QTest::newRow("expiry 31 February") << u"(01)00844588003288(17)270231"_s;
    QTest::newRow("expiry letters") << u"(01)00844588003288(17)27AB31"_s;
    QTest::newRow("production date month 00") << u"(01)00844588003288(11)270001"_s;
    QTest::newRow("lot of 21 characters") << u"(01)00844588003288(10)ABCDEFGHIJ01234567890"_s;
    QTest::newRow("lot of 21 characters, raw")
        << u"010084458800328810ABCDEFGHIJ01234567890"_s + GS + u"21SN"_s;
    QTest::newRow("empty lot, bracketed") << u"(01)00844588003288(10)(21)SN"_s;
    QTest::newRow("empty lot, raw") << u"010084458800328810"_s + GS + u"21SN"_s;
    QTest::newRow("two GS") << u"010084458800328810LOT"_s + GS + GS + u"21SN"_s;
    QTest::newRow("space in lot") << u"(01)00844588003288(10)LOT 42"_s;
    QTest::newRow("# in serial") << u"(01)00844588003288(21)SN#42"_s;
    QTest::newRow("non-ASCII in serial") << u"(01)00844588003288(21)SNÖ42"_s;
    QTest::newRow("control char in serial") << u"(01)00844588003288(21)SN\u000742"_s;
    QTest::newRow("GS in the bracketed form") << u"(01)00844588003288(10)LOT"_s + GS;
    QTest::newRow("numeric AI with letters") << u"(01)00844588003288(30)12A"_s;
    QTest::newRow("30 count of 9 digits") << u"(01)00844588003288(30)123456789"_s;
    QTest::newRow("repeated lot") << u"(01)00844588003288(10)A(10)B"_s;
    QTest::newRow("repeated GTIN, same value") << u"(01)00844588003288(01)00844588003288"_s;
    QTest::newRow("repeated serial, raw") << u"010084458800328821A"_s + GS + u"21B"_s;
    QTest::newRow("]d1 is not GS1") << u"]d1"_s + u"0100844588003288"_s;
    QTest::newRow("]Q1 is not GS1") << u"]Q1"_s + u"0100844588003288"_s;
    QTest::newRow("bare ]") << u"]"_s;
    QTest::newRow("253 with a letter in its numeric part")
        << u"(01)00844588003288(253)40123456789A1"_s;
}

void TestGs1Udi::refuses()
{
    QFETCH(QString, text);
    const auto parsed = Gs1Udi::parse(text);
    QVERIFY2(!parsed.has_value(), qPrintable(parsed ? parsed->toHumanReadable() : QString()));
}

void TestGs1Udi::dayZeroIsTheMonthsLastDay_data()
{
    QTest::addColumn<QString>("yymmdd");
    QTest::addColumn<QDate>("expiry");
    QTest::newRow("February, common year") << u"270200"_s << QDate(2027, 2, 28);
    QTest::newRow("February, leap year") << u"280200"_s << QDate(2028, 2, 29);
    QTest::newRow("April") << u"270400"_s << QDate(2027, 4, 30);
    QTest::newRow("December") << u"271200"_s << QDate(2027, 12, 31);
    QTest::newRow("an ordinary day") << u"270415"_s << QDate(2027, 4, 15);
    QTest::newRow("29 February in a leap year") << u"280229"_s << QDate(2028, 2, 29);
}

void TestGs1Udi::dayZeroIsTheMonthsLastDay()
{
    QFETCH(QString, yymmdd);
    QFETCH(QDate, expiry);
    const auto parsed = Gs1Udi::parse(u"(01)00844588003288(17)"_s + yymmdd);
    QVERIFY(parsed.has_value());
    QCOMPARE(parsed->expiry, expiry);
    const auto raw = Gs1Udi::parse(u"010084458800328817"_s + yymmdd);
    QVERIFY(raw.has_value());
    QCOMPARE(raw->expiry, expiry);
}

void TestGs1Udi::inputLengthLimit()
{
    // Blanks around a code are forgiven, but not beyond 512 characters in all: a scanner
    // payload is short, and nothing longer is worth looking at.
    const QString padded = FdaExample + QString(512 - FdaExample.size(), u' ');
    QCOMPARE(padded.size(), 512);
    QVERIFY(Gs1Udi::parse(padded).has_value());
    QVERIFY(!Gs1Udi::parse(padded + u' ').has_value());
}

void TestGs1Udi::humanReadable_data()
{
    QTest::addColumn<Gs1Udi>("udi");
    QTest::addColumn<QString>("text");
    QTest::newRow("FDA example") << udi(FdaGtin, u"7654321D"_s, QDate(2014, 11, 20),
                                        u"10987654d321"_s)
                                 << FdaExample;
    QTest::newRow("GTIN only") << udi(FdaGtin, {}, {}, {}) << u"(01)00844588003288"_s;
    QTest::newRow("GTIN and serial")
        << udi(FdaGtin, {}, {}, u"SN-1"_s) << u"(01)00844588003288(21)SN-1"_s;
    QTest::newRow("GTIN and expiry")
        << udi(FdaGtin, {}, QDate(2027, 2, 28), {}) << u"(01)00844588003288(17)270228"_s;
}

void TestGs1Udi::humanReadable()
{
    QFETCH(Gs1Udi, udi);
    QFETCH(QString, text);
    QCOMPARE(udi.toHumanReadable(), text);
    const auto back = Gs1Udi::parse(text);
    QVERIFY(back.has_value());
    QVERIFY(*back == udi);
}

QTEST_APPLESS_MAIN(TestGs1Udi)
#include "tst_gs1udi.moc"
