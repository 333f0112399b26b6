#include "security/passwordhasher.h"

#include <QRegularExpression>
#include <QTest>

#include <stdexcept>

using namespace md::security;
using namespace Qt::StringLiterals;

class TestSecurityPasswordHasher final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultHashIs2bCost12();
    void roundTrip_data();
    void roundTrip();
    void saltsDiffer();
    void knownVectors_data();
    void knownVectors();
    void knownVectorRefusesTheFullLongPassword();
    void boundaryAt72Bytes();
    void longPasswordsSharingAPrefixCannotCollide();
    void nulBytesAreRefused();
    void costOutOfRangeThrows();
    void malformedHashesAreFalse_data();
    void malformedHashesAreFalse();
    void needsRehash_data();
    void needsRehash();
    void dummyHashIsAValidCost12Hash();
};

namespace {
constexpr int kFastCost = 4;
const QRegularExpression kShape(u"^\\$2b\\$(\\d\\d)\\$[./A-Za-z0-9]{53}\\z"_s);
// 10 digits + 26 + 26 + 10 = exactly 72 bytes.
const QByteArray k72 =
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"_ba;
} // namespace

void TestSecurityPasswordHasher::defaultHashIs2bCost12()
{
    const QByteArray hash = PasswordHasher::hash("correct horse battery"_ba);
    const auto match = kShape.match(QString::fromLatin1(hash));
    QVERIFY2(match.hasMatch(), hash.constData());
    QCOMPARE(match.captured(1), u"12"_s);
    QVERIFY(PasswordHasher::verify("correct horse battery"_ba, hash));
    QVERIFY(!PasswordHasher::needsRehash(hash));
}

void TestSecurityPasswordHasher::roundTrip_data()
{
    QTest::addColumn<QByteArray>("password");
    QTest::addColumn<QByteArray>("wrong");
    QTest::newRow("ascii") << "Tr0ub4dor&3"_ba
                           << "Tr0ub4dor&4"_ba;
    QTest::newRow("case matters") << "CaseSensitive"_ba
                                  << "casesensitive"_ba;
    QTest::newRow("utf-8") << "pässwörd-ünïcode-€"_ba
                           << "passwort-unicode-e"_ba;
    QTest::newRow("empty") << QByteArray() << " "_ba;
    QTest::newRow("prefix is not enough") << "abcdefghij"_ba
                                          << "abcdefghi"_ba;
    QTest::newRow("trailing space matters") << "with space "_ba
                                            << "with space"_ba;
}

void TestSecurityPasswordHasher::roundTrip()
{
    QFETCH(QByteArray, password);
    QFETCH(QByteArray, wrong);
    const QByteArray hash = PasswordHasher::hash(password, kFastCost);
    QVERIFY(kShape.match(QString::fromLatin1(hash)).hasMatch());
    QVERIFY(hash.startsWith("$2b$04$"));
    QVERIFY(PasswordHasher::verify(password, hash));
    QVERIFY(!PasswordHasher::verify(wrong, hash));
}

void TestSecurityPasswordHasher::saltsDiffer()
{
    const QByteArray a = PasswordHasher::hash("same password"_ba, kFastCost);
    const QByteArray b = PasswordHasher::hash("same password"_ba, kFastCost);
    QVERIFY(a != b);
    QVERIFY(a.mid(7, 22) != b.mid(7, 22));
}

void TestSecurityPasswordHasher::knownVectors_data()
{
    QTest::addColumn<QByteArray>("password");
    QTest::addColumn<QByteArray>("hash");
    // OpenBSD / Openwall crypt_blowfish and jBCrypt vectors ($2a$), pyca/bcrypt ($2b$):
    // hashes imported from other systems must keep working.
    QTest::newRow("2a U*U") << "U*U"_ba
                            << "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"_ba;
    QTest::newRow("2a U*U*") << "U*U*"_ba
                             << "$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK"_ba;
    QTest::newRow("2a U*U*U") << "U*U*U"_ba
                              << "$2a$05$XXXXXXXXXXXXXXXXXXXXXOAcXxm9kjPGEMsLznoKqmqw7tc8WCx4a"_ba;
    QTest::newRow("2a empty") << QByteArray()
                              << "$2a$06$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s."_ba;
    QTest::newRow("2a exactly 72 bytes")
        << k72 << "$2a$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui"_ba;
    QTest::newRow("2b Kk4DQuMMfZL9o")
        << "Kk4DQuMMfZL9o"_ba
        << "$2b$04$cVWp4XaNU8a4v1uMRum2SO026BWLIoQMD/TXg5uZV.0P.uO8m3YEm"_ba;
    QTest::newRow("2b 9IeRXmnGxMYbs")
        << "9IeRXmnGxMYbs"_ba
        << "$2b$04$pQ7gRO7e6wx/936oXhNjrOUNOHL1D0h1N2IDbJZYs.1ppzSof6SPy"_ba;
    QTest::newRow("2b xVQVbwa1S0M8r")
        << "xVQVbwa1S0M8r"_ba
        << "$2b$04$SQe9knOzepOVKoYXo9xTteNYr6MBwVz4tpriJVe3PNgYufGIsgKcW"_ba;
}

void TestSecurityPasswordHasher::knownVectors()
{
    QFETCH(QByteArray, password);
    QFETCH(QByteArray, hash);
    QVERIFY(PasswordHasher::verify(password, hash));
    QVERIFY(!PasswordHasher::verify(QByteArray(password + 'x'), hash));
    QByteArray flipped = hash;
    flipped[flipped.size() - 2] = flipped.at(flipped.size() - 2) == 'a' ? 'b' : 'a';
    QVERIFY(!PasswordHasher::verify(password, flipped));
}

void TestSecurityPasswordHasher::knownVectorRefusesTheFullLongPassword()
{
    // The published vector's password continues past 72 bytes; bcrypt would ignore the
    // tail and accept it. We refuse it instead of truncating silently.
    const QByteArray hash = "$2a$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui"_ba;
    QVERIFY(PasswordHasher::verify(k72, hash));
    QVERIFY(!PasswordHasher::verify(QByteArray(k72 + "chars after 72 are ignored"), hash));
}

void TestSecurityPasswordHasher::boundaryAt72Bytes()
{
    const QByteArray exactly72(72, 'p');
    const QByteArray hash = PasswordHasher::hash(exactly72, kFastCost);
    QVERIFY(PasswordHasher::verify(exactly72, hash));
    QVERIFY(!PasswordHasher::verify(QByteArray(71, 'p'), hash));
    QVERIFY_THROWS_EXCEPTION(PasswordHasher::PasswordTooLong,
                             PasswordHasher::hash(QByteArray(73, 'p'), kFastCost));
    QVERIFY(!PasswordHasher::verify(QByteArray(73, 'p'), hash));

    // Bytes, not characters: 24 euro signs are 72 bytes, 25 are 75.
    const QByteArray euros24 = QString(24, QChar(0x20ac)).toUtf8();
    QCOMPARE(euros24.size(), 72);
    QVERIFY(PasswordHasher::verify(euros24, PasswordHasher::hash(euros24, kFastCost)));
    QVERIFY_THROWS_EXCEPTION(PasswordHasher::PasswordTooLong,
                             PasswordHasher::hash(QString(25, QChar(0x20ac)).toUtf8(), kFastCost));
}

void TestSecurityPasswordHasher::longPasswordsSharingAPrefixCannotCollide()
{
    const QByteArray prefix(72, 'k');
    const QByteArray first = prefix + "-first-secret";
    const QByteArray second = prefix + "-another-secret";
    QVERIFY_THROWS_EXCEPTION(PasswordHasher::PasswordTooLong,
                             PasswordHasher::hash(first, kFastCost));
    QVERIFY_THROWS_EXCEPTION(PasswordHasher::PasswordTooLong,
                             PasswordHasher::hash(second, kFastCost));
    // Even against a hash of the shared prefix (what truncation would have stored),
    // neither long password verifies.
    const QByteArray prefixHash = PasswordHasher::hash(prefix, kFastCost);
    QVERIFY(!PasswordHasher::verify(first, prefixHash));
    QVERIFY(!PasswordHasher::verify(second, prefixHash));
    QVERIFY(PasswordHasher::verify(prefix, prefixHash));
}

void TestSecurityPasswordHasher::nulBytesAreRefused()
{
    // crypt() stops at a NUL: "secret\0anything" would otherwise verify as "secret".
    const QByteArray hash = PasswordHasher::hash("secret-pass"_ba, kFastCost);
    QVERIFY(!PasswordHasher::verify(QByteArray("secret-pass\0tail", 16), hash));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             PasswordHasher::hash(QByteArray("secret-pass\0tail", 16), kFastCost));
}

void TestSecurityPasswordHasher::costOutOfRangeThrows()
{
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, PasswordHasher::hash("password"_ba, 3));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, PasswordHasher::hash("password"_ba, 32));
}

void TestSecurityPasswordHasher::malformedHashesAreFalse_data()
{
    QTest::addColumn<QByteArray>("hash");
    const QByteArray good = "$2b$04$cVWp4XaNU8a4v1uMRum2SO026BWLIoQMD/TXg5uZV.0P.uO8m3YEm"_ba;
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("prefix only") << "$2b$"_ba;
    QTest::newRow("setting without hash") << "$2b$04$cVWp4XaNU8a4v1uMRum2SO"_ba;
    QTest::newRow("one char short") << good.chopped(1);
    QTest::newRow("one char long") << QByteArray(good + 'A');
    QTest::newRow("trailing newline") << QByteArray(good + '\n');
    QTest::newRow("leading space") << QByteArray(' ' + good);
    QTest::newRow("invalid character") << QByteArray(good).replace('.', '!');
    QTest::newRow("embedded NUL") << QByteArray(good).replace(30, 1, QByteArray(1, '\0'));
    QTest::newRow("cost 03") << QByteArray(good).replace(4, 2, "03");
    QTest::newRow("cost 32") << QByteArray(good).replace(4, 2, "32");
    QTest::newRow("cost 99") << QByteArray(good).replace(4, 2, "99");
    QTest::newRow("cost letters") << QByteArray(good).replace(4, 2, "ab");
    QTest::newRow("2x crypt_blowfish bug mode") << QByteArray(good).replace(2, 1, "x");
    QTest::newRow("2y") << QByteArray(good).replace(2, 1, "y");
    QTest::newRow("2 without minor")
        << "$2$04$cVWp4XaNU8a4v1uMRum2SO026BWLIoQMD/TXg5uZV.0P.uO8m3YE"_ba;
    QTest::newRow("md5crypt") << "$1$saltsalt$2vnaRpHa6Jxjz5n83ok8Z0"_ba;
    QTest::newRow("sha512crypt")
        << "$6$saltsalt$qFmFH.bQmmtXzyBY0s9v7Oicd2z4XSIecDzlB5KiA2/jctKu9YterLp8wwnSq.qc.eoxqOmSuNp2xS0ktL3nh/"_ba;
    QTest::newRow("plain text") << "correct horse battery staple"_ba;
    QTest::newRow("crypt failure token") << "*0"_ba;
    QTest::newRow("argon2") << "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g"_ba;
}

void TestSecurityPasswordHasher::malformedHashesAreFalse()
{
    QFETCH(QByteArray, hash);
    QVERIFY(!PasswordHasher::verify("Kk4DQuMMfZL9o"_ba, hash));
    QVERIFY(!PasswordHasher::verify(QByteArray(), hash));
    QVERIFY(PasswordHasher::needsRehash(hash));
}

void TestSecurityPasswordHasher::needsRehash_data()
{
    QTest::addColumn<QByteArray>("hash");
    QTest::addColumn<int>("cost");
    QTest::addColumn<bool>("rehash");
    const QByteArray tail = "$cVWp4XaNU8a4v1uMRum2SO026BWLIoQMD/TXg5uZV.0P.uO8m3YEm"_ba;
    QTest::newRow("2b 12 at 12") << QByteArray("$2b$12" + tail) << 12 << false;
    QTest::newRow("2b 13 at 12") << QByteArray("$2b$13" + tail) << 12 << false;
    QTest::newRow("2b 10 at 12") << QByteArray("$2b$10" + tail) << 12 << true;
    QTest::newRow("2b 12 at 13") << QByteArray("$2b$12" + tail) << 13 << true;
    QTest::newRow("2a 12 at 12") << QByteArray("$2a$12" + tail) << 12 << true;
    QTest::newRow("2a 05 at 4") << QByteArray("$2a$05" + tail) << 4 << true;
    QTest::newRow("2b 04 at 4") << QByteArray("$2b$04" + tail) << 4 << false;
}

void TestSecurityPasswordHasher::needsRehash()
{
    QFETCH(QByteArray, hash);
    QFETCH(int, cost);
    QFETCH(bool, rehash);
    QCOMPARE(PasswordHasher::needsRehash(hash, cost), rehash);
}

void TestSecurityPasswordHasher::dummyHashIsAValidCost12Hash()
{
    const QByteArray &dummy = PasswordHasher::dummyHash();
    const auto match = kShape.match(QString::fromLatin1(dummy));
    QVERIFY(match.hasMatch());
    QCOMPARE(match.captured(1), u"12"_s);
    QCOMPARE(&PasswordHasher::dummyHash(), &dummy); // computed once
    QVERIFY(!PasswordHasher::verify(QByteArray(), dummy));
    QVERIFY(!PasswordHasher::verify("password"_ba, dummy));
}

QTEST_GUILESS_MAIN(TestSecurityPasswordHasher)
#include "tst_security_passwordhasher.moc"
