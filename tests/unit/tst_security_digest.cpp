#include "security/digest.h"

#include <QMap>
#include <QTest>

using namespace md::security;
using namespace Qt::StringLiterals;

class TestSecurityDigest final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sha256Vectors_data();
    void sha256Vectors();
    void hmacSha256Rfc4231_data();
    void hmacSha256Rfc4231();
    void hmacSha1Rfc2202();
    void twilioSignatureExample();
    void constantTimeEquals_data();
    void constantTimeEquals();
    void base64UrlEncode_data();
    void base64UrlEncode();
    void base64UrlRoundTripsEveryLength();
    void base64UrlDecodeRefuses_data();
    void base64UrlDecodeRefuses();
};

void TestSecurityDigest::sha256Vectors_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QByteArray>("hex");
    QTest::newRow("empty") << QByteArray()
                           << "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"_ba;
    QTest::newRow("abc") << "abc"_ba
                         << "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"_ba;
    QTest::newRow("two blocks")
        << "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"_ba
        << "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"_ba;
}

void TestSecurityDigest::sha256Vectors()
{
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, hex);
    QCOMPARE(sha256(data).toHex(), hex);
}

void TestSecurityDigest::hmacSha256Rfc4231_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QByteArray>("hex"); // test case 5 is truncated to 128 bits

    const QByteArray aa131(131, '\xaa');
    QTest::newRow("1") << QByteArray(20, '\x0b') << "Hi There"_ba
                       << "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"_ba;
    QTest::newRow("2 key shorter than output")
        << "Jefe"_ba
        << "what do ya want for nothing?"_ba
        << "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"_ba;
    QTest::newRow("3") << QByteArray(20, '\xaa') << QByteArray(50, '\xdd')
                       << "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"_ba;
    QTest::newRow("4") << QByteArray::fromHex("0102030405060708090a0b0c0d0e0f10111213141516171819")
                       << QByteArray(50, '\xcd')
                       << "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"_ba;
    QTest::newRow("5 truncation") << QByteArray(20, '\x0c') << "Test With Truncation"_ba
                                  << "a3b6167473100ee06e0c796c2955552b"_ba;
    QTest::newRow("6 key larger than block")
        << aa131 << "Test Using Larger Than Block-Size Key - Hash Key First"_ba
        << "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"_ba;
    QTest::newRow("7 key and data larger than block")
        << aa131
        << "This is a test using a larger than block-size key and a larger than block-size "
           "data. The key needs to be hashed before being used by the HMAC algorithm."_ba
        << "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"_ba;
    // Not in RFC 4231: an empty key must be the empty key, not "no key".
    QTest::newRow("empty key and data")
        << QByteArray() << QByteArray()
        << "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"_ba;
}

void TestSecurityDigest::hmacSha256Rfc4231()
{
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, hex);
    const QByteArray mac = hmacSha256(key, data);
    QCOMPARE(mac.size(), 32);
    QCOMPARE(mac.toHex().left(hex.size()), hex);
}

void TestSecurityDigest::hmacSha1Rfc2202()
{
    QCOMPARE(hmacSha1("Jefe"_ba, "what do ya want for nothing?"_ba).toHex(),
             "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"_ba);
    QCOMPARE(hmacSha1(QByteArray(20, '\x0b'), "Hi There"_ba).toHex(),
             "b617318655057264e28bc0b6fb378c8ef146be00"_ba);
}

void TestSecurityDigest::twilioSignatureExample()
{
    // Twilio's documented example (FACTS.md): the URL, then every POST parameter's name
    // and value sorted by name, HMAC-SHA1 keyed by the auth token, base64.
    const QMap<QByteArray, QByteArray> params{
        {"CallSid"_ba, "CA1234567890ABCDE"_ba},
        {"Caller"_ba, "+12349013030"_ba},
        {"Digits"_ba, "1234"_ba},
        {"From"_ba, "+12349013030"_ba},
        {"To"_ba, "+18005551212"_ba},
    };
    QByteArray data = "https://mycompany.com/myapp.php?foo=1&bar=2"_ba;
    for (auto it = params.cbegin(); it != params.cend(); ++it)
        data += it.key() + it.value();
    const QByteArray signature = hmacSha1("12345"_ba, data).toBase64();
    QCOMPARE(signature, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="_ba);
    QVERIFY(md::security::constantTimeEquals(signature, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="_ba));
    QVERIFY(!md::security::constantTimeEquals(hmacSha1("12346"_ba, data).toBase64(), signature));
}

void TestSecurityDigest::constantTimeEquals_data()
{
    QTest::addColumn<QByteArray>("a");
    QTest::addColumn<QByteArray>("b");
    QTest::addColumn<bool>("equal");
    QTest::newRow("same") << "s3cr3t-value"_ba
                          << "s3cr3t-value"_ba << true;
    QTest::newRow("both empty") << QByteArray() << ""_ba << true;
    QTest::newRow("last byte differs") << "s3cr3t-value"_ba
                                       << "s3cr3t-valuf"_ba << false;
    QTest::newRow("first byte differs") << "s3cr3t-value"_ba
                                        << "t3cr3t-value"_ba << false;
    QTest::newRow("prefix") << "s3cr3t"_ba
                            << "s3cr3t-value"_ba << false;
    QTest::newRow("empty vs non-empty") << QByteArray() << "x"_ba << false;
    QTest::newRow("embedded NUL") << QByteArray("a\0b", 3) << QByteArray("a\0c", 3) << false;
}

void TestSecurityDigest::constantTimeEquals()
{
    QFETCH(QByteArray, a);
    QFETCH(QByteArray, b);
    QFETCH(bool, equal);
    QCOMPARE(md::security::constantTimeEquals(a, b), equal);
    QCOMPARE(md::security::constantTimeEquals(b, a), equal);
}

void TestSecurityDigest::base64UrlEncode_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QByteArray>("text");
    // RFC 4648 section 10, without padding, plus the two characters that differ from
    // standard base64.
    QTest::newRow("empty") << QByteArray() << QByteArray();
    QTest::newRow("f") << "f"_ba
                       << "Zg"_ba;
    QTest::newRow("fo") << "fo"_ba
                        << "Zm8"_ba;
    QTest::newRow("foo") << "foo"_ba
                         << "Zm9v"_ba;
    QTest::newRow("foob") << "foob"_ba
                          << "Zm9vYg"_ba;
    QTest::newRow("fooba") << "fooba"_ba
                           << "Zm9vYmE"_ba;
    QTest::newRow("foobar") << "foobar"_ba
                            << "Zm9vYmFy"_ba;
    QTest::newRow("minus and underscore") << QByteArray::fromHex("fbff") << "-_8"_ba;
    QTest::newRow("all bits") << QByteArray::fromHex("fbefbe") << "----"_ba;
}

void TestSecurityDigest::base64UrlEncode()
{
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, text);
    QCOMPARE(md::security::base64UrlEncode(data), text);
    bool ok = false;
    QCOMPARE(base64UrlDecode(text, &ok), data);
    QVERIFY(ok);
}

void TestSecurityDigest::base64UrlRoundTripsEveryLength()
{
    QByteArray data;
    for (int length = 0; length < 70; ++length) {
        const QByteArray text = md::security::base64UrlEncode(data);
        QCOMPARE(text,
                 data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
        bool ok = false;
        QCOMPARE(base64UrlDecode(text, &ok), data);
        QVERIFY(ok);
        data += char(length * 37 + 11);
    }
}

void TestSecurityDigest::base64UrlDecodeRefuses_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("padding") << "Zg=="_ba;
    QTest::newRow("single padding") << "Zm8="_ba;
    QTest::newRow("plus") << "+/8"_ba;
    QTest::newRow("slash") << "ab/c"_ba;
    QTest::newRow("leading space") << " Zm9v"_ba;
    QTest::newRow("inner space") << "Zm 9v"_ba;
    QTest::newRow("trailing newline") << "Zm9v\n"_ba;
    QTest::newRow("CRLF") << "Zm9v\r\nYmFy"_ba;
    QTest::newRow("tab") << "Zm9v\tYmFy"_ba;
    QTest::newRow("dot") << "Zm9v.YmFy"_ba;
    QTest::newRow("NUL") << QByteArray("Zm9v\0", 5);
    QTest::newRow("non-ASCII") << "Zm9v\xc3\xa9"_ba;
    QTest::newRow("one character") << "Z"_ba;
    QTest::newRow("five characters") << "Zm9vY"_ba;
    // "Zh" decodes to "f" too, with stray bits set: only "Zg" is accepted.
    QTest::newRow("non-canonical last character") << "Zh"_ba;
    QTest::newRow("non-canonical two bytes") << "Zm9"_ba;
}

void TestSecurityDigest::base64UrlDecodeRefuses()
{
    QFETCH(QByteArray, text);
    bool ok = true;
    QVERIFY(base64UrlDecode(text, &ok).isEmpty());
    QVERIFY(!ok);
    QVERIFY(base64UrlDecode(text, nullptr).isEmpty()); // no crash without ok
}

QTEST_GUILESS_MAIN(TestSecurityDigest)
#include "tst_security_digest.moc"
