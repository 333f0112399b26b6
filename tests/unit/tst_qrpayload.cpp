#include "domain/qrpayload.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace md::domain;
using namespace Qt::StringLiterals;

class TestQrPayload final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void generatedCodesAreUniqueAndWellFormed();
    void everyDigitIsRandom();
    void validCode_data();
    void validCode();
    void parseAccepts_data();
    void parseAccepts();
    void parseRefuses_data();
    void parseRefuses();
    void encode_data();
    void encode();
    void ticketNumber_data();
    void ticketNumber();
};

namespace {
const QString kCode = u"MD-7K3M-9QXT-2HVB-CW4P"_s;
// "MD-" then four groups of four Crockford digits (no I, L, O, U).
const QRegularExpression kShape(u"^MD(-[0-9A-HJKMNP-TV-Z]{4}){4}\\z"_s);
} // namespace

void TestQrPayload::generatedCodesAreUniqueAndWellFormed()
{
    QSet<QString> seen;
    for (int i = 0; i < 10000; ++i) {
        const QString code = QrPayload::generateCode();
        QVERIFY2(kShape.match(code).hasMatch(), qPrintable(code));
        QVERIFY(QrPayload::isValidCode(code));
        QCOMPARE(QrPayload::parse(code), code);
        seen.insert(code);
    }
    QCOMPARE(seen.size(), 10000);
}

void TestQrPayload::everyDigitIsRandom()
{
    // With 10,000 codes each of the 16 positions shows all 32 digits unless bits are
    // missing or stuck (a position never showing some digit happens with p < 1e-130).
    QList<QSet<QChar>> perPosition(16);
    for (int i = 0; i < 10000; ++i) {
        const QString digits = QrPayload::generateCode().mid(3).remove(u'-');
        for (int p = 0; p < 16; ++p)
            perPosition[p].insert(digits.at(p));
    }
    for (int p = 0; p < 16; ++p)
        QVERIFY2(perPosition.at(p).size() == 32, qPrintable(QString::number(p)));
}

void TestQrPayload::validCode_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<bool>("valid");
    QTest::newRow("canonical") << kCode << true;
    QTest::newRow("lower case is not canonical") << kCode.toLower() << false;
    QTest::newRow("without dashes is not canonical") << QString(kCode).remove(u'-') << false;
    QTest::newRow("letter O") << u"MD-7K3M-9QXT-2HVB-CW4O"_s << false;
    QTest::newRow("letter U") << u"MD-7K3M-9QXT-2HVB-CW4U"_s << false;
    QTest::newRow("15 digits") << u"MD-7K3M-9QXT-2HVB-CW4"_s << false;
    QTest::newRow("wrong prefix") << u"XX-7K3M-9QXT-2HVB-CW4P"_s << false;
    QTest::newRow("a uuid") << u"6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"_s << false;
}

void TestQrPayload::validCode()
{
    QFETCH(QString, code);
    QFETCH(bool, valid);
    QCOMPARE(QrPayload::isValidCode(code), valid);
}

void TestQrPayload::parseAccepts_data()
{
    QTest::addColumn<QString>("payload");
    QTest::addColumn<QString>("code");
    QTest::newRow("bare code") << kCode << kCode;
    QTest::newRow("lower case") << u"md-7k3m-9qxt-2hvb-cw4p"_s << kCode;
    QTest::newRow("mixed case") << u"Md-7k3M-9qXt-2HvB-cW4p"_s << kCode;
    QTest::newRow("surrounding white space and newline") << u"  \t"_s + kCode + u"\r\n"_s << kCode;
    QTest::newRow("typed without dashes") << u"MD7K3M9QXT2HVBCW4P"_s << kCode;
    // Crockford's reading of hand-typed codes: O is 0, I and L are 1.
    QTest::newRow("O, I and L typed for 0 and 1")
        << u"MD-O0o0-1iLl-2HVB-CW4P"_s << u"MD-0000-1111-2HVB-CW4P"_s;
    QTest::newRow("https link") << u"https://dispatch.example.org/e/"_s + kCode << kCode;
    QTest::newRow("http link with port") << u"http://10.0.0.5:8080/e/"_s + kCode << kCode;
    QTest::newRow("link under a base path")
        << u"https://example.org/klinikum/md/e/"_s + kCode << kCode;
    QTest::newRow("upper-case link") << u"HTTPS://EXAMPLE.ORG/E/MD-7K3M-9QXT-2HVB-CW4P"_s << kCode;
    QTest::newRow("IPv6 host") << u"http://[::1]:8080/e/"_s + kCode << kCode;
    QTest::newRow("at the 512-character limit")
        << QString(u" "_s.repeated(512 - kCode.size()) + kCode) << kCode;
}

void TestQrPayload::parseAccepts()
{
    QFETCH(QString, payload);
    QFETCH(QString, code);
    QCOMPARE(QrPayload::parse(payload), std::optional<QString>(code));
}

void TestQrPayload::parseRefuses_data()
{
    QTest::addColumn<QString>("payload");
    auto withChar = [](char16_t c) -> QString {
        return u"MD-7K3M-9QXT"_s + QChar(c) + u"-2HVB-CW4P"_s;
    };
    QTest::newRow("empty") << QString();
    QTest::newRow("white space only") << u" \n\t "_s;
    QTest::newRow("one character short") << u"MD-7K3M-9QXT-2HVB-CW4"_s;
    QTest::newRow("one character too many") << u"MD-7K3M-9QXT-2HVB-CW4PP"_s;
    QTest::newRow("letter U") << u"MD-7K3M-9QXT-2HVB-CW4U"_s;
    QTest::newRow("wrong prefix") << u"ME-7K3M-9QXT-2HVB-CW4P"_s;
    QTest::newRow("dashes in the wrong places") << u"MD-7K3-M9QXT-2HVB-CW4P"_s;
    QTest::newRow("some dashes only") << u"MD-7K3M9QXT2HVBCW4P"_s;
    QTest::newRow("space inside") << u"MD-7K3M 9QXT-2HVB-CW4P"_s;
    QTest::newRow("a database id") << u"6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"_s;
    QTest::newRow("an integer id") << u"12345"_s;
    QTest::newRow("over 512 characters") << QString(u" "_s.repeated(513 - kCode.size()) + kCode);
    QTest::newRow("very long text") << QString(kCode + u"A"_s.repeated(100000));
    QTest::newRow("NUL inside") << withChar(0);
    QTest::newRow("escape inside") << withChar(0x1b);
    QTest::newRow("DEL inside") << withChar(0x7f);
    QTest::newRow("zero-width space inside") << withChar(0x200b);
    QTest::newRow("right-to-left override inside") << withChar(0x202e);
    QTest::newRow("trailing NUL") << QString(kCode + QChar(0));
    QTest::newRow("full-width digits") << u"MD-７K3M-9QXT-2HVB-CW4P"_s;
    QTest::newRow("Cyrillic look-alike M") << u"МD-7K3M-9QXT-2HVB-CW4P"_s;
    QTest::newRow("emoji") << QString(kCode + u"🙂"_s);
    QTest::newRow("javascript: URL") << u"javascript:alert(1)//"_s + kCode;
    QTest::newRow("javascript: link shape") << u"javascript://x/e/"_s + kCode;
    QTest::newRow("data: URL") << u"data:text/html,<script>x</script>"_s;
    QTest::newRow("ftp link") << u"ftp://example.org/e/"_s + kCode;
    QTest::newRow("file link") << u"file:///e/"_s + kCode;
    QTest::newRow("other path") << u"https://example.org/x/"_s + kCode;
    QTest::newRow("code not last") << u"https://example.org/e/"_s + kCode + u"/delete"_s;
    QTest::newRow("trailing slash") << u"https://example.org/e/"_s + kCode + u"/"_s;
    QTest::newRow("no code") << u"https://example.org/e/"_s;
    QTest::newRow("code only in the query") << u"https://example.org/e/?code="_s + kCode;
    QTest::newRow("query after code") << u"https://example.org/e/"_s + kCode + u"?next=/admin"_s;
    QTest::newRow("fragment after code") << u"https://example.org/e/"_s + kCode + u"#x"_s;
    QTest::newRow("user info disguising the host") << u"https://example.org@evil.test/e/"_s + kCode;
    QTest::newRow("percent escapes") << u"https://example.org/e/MD%2D7K3M-9QXT-2HVB-CW4P"_s;
    QTest::newRow("dot-dot segment") << u"https://example.org/a/../e/"_s + kCode;
    QTest::newRow("empty segment") << u"https://example.org//e/"_s + kCode;
    QTest::newRow("no host") << u"https:///e/"_s + kCode;
    QTest::newRow("bad port") << u"https://example.org:80a/e/"_s + kCode;
    QTest::newRow("backslash path") << u"https://example.org\\e\\"_s + kCode;
    QTest::newRow("look-alike host") << u"https://exаmple.org/e/"_s + kCode; // Cyrillic a
    QTest::newRow("right-to-left override in link path")
        << u"https://example.org/a\u202Eb/e/"_s + kCode;
    QTest::newRow("space in link path") << u"https://example.org/my site/e/"_s + kCode;
    QTest::newRow("tab in link") << u"https://example.org/\te/"_s + kCode;
    QTest::newRow("SQL") << u"MD-7K3M-9QXT-2HVB-CW4P' OR '1'='1"_s;
}

void TestQrPayload::parseRefuses()
{
    QFETCH(QString, payload);
    const auto parsed = QrPayload::parse(payload);
    QVERIFY2(!parsed, qPrintable(parsed.value_or(QString())));
}

void TestQrPayload::encode_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("payload"); // empty: refused
    QTest::newRow("no public URL: the bare code") << kCode << QString() << kCode;
    QTest::newRow("public URL") << kCode << u"https://md.example.org"_s
                                << u"https://md.example.org/e/"_s + kCode;
    QTest::newRow("public URL with trailing slash and path")
        << kCode << u"https://example.org/md/"_s << u"https://example.org/md/e/"_s + kCode;
    QTest::newRow("invalid code") << u"MD-1234"_s << QString() << QString();
    QTest::newRow("lower-case code") << kCode.toLower() << QString() << QString();
    QTest::newRow("base that is not http(s)") << kCode << u"javascript:alert(1)"_s << QString();
    QTest::newRow("base with a query") << kCode << u"https://example.org/?a=b"_s << QString();
}

void TestQrPayload::encode()
{
    QFETCH(QString, code);
    QFETCH(QString, base);
    QFETCH(QString, payload);
    const QString encoded = QrPayload::encode(code, base);
    QCOMPARE(encoded, payload);
    // Whatever we print, our own scanner reads back.
    if (!payload.isEmpty())
        QCOMPARE(QrPayload::parse(encoded), std::optional<QString>(code));
}

void TestQrPayload::ticketNumber_data()
{
    QTest::addColumn<int>("year");
    QTest::addColumn<qint64>("sequence");
    QTest::addColumn<QString>("number");
    QTest::newRow("brief example") << 2026 << qint64(123) << u"TKT-2026-000123"_s;
    QTest::newRow("first") << 2026 << qint64(1) << u"TKT-2026-000001"_s;
    QTest::newRow("six digits") << 2027 << qint64(999999) << u"TKT-2027-999999"_s;
    QTest::newRow("grows past six digits") << 2027 << qint64(1000000) << u"TKT-2027-1000000"_s;
}

void TestQrPayload::ticketNumber()
{
    QFETCH(int, year);
    QFETCH(qint64, sequence);
    QFETCH(QString, number);
    QCOMPARE(formatTicketNumber(year, sequence), number);
}

QTEST_GUILESS_MAIN(TestQrPayload)
#include "tst_qrpayload.moc"
