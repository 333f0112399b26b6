#include "security/digest.h"
#include "security/random.h"

#include <QSet>
#include <QTest>

#include <array>
#include <stdexcept>

using namespace md::security;
using namespace Qt::StringLiterals;

class TestSecurityRandom final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void randomBytesHaveTheAskedLength();
    void randomBytesDiffer();
    void negativeCountsThrow();
    void randomTokenIsUnpaddedBase64Url();
    void randomDigits_data();
    void randomDigits();
    void randomDigitsAreUniform();
    void everyPositionTakesEveryDigit();
};

void TestSecurityRandom::randomBytesHaveTheAskedLength()
{
    QCOMPARE(randomBytes(0).size(), 0);
    QCOMPARE(randomBytes(1).size(), 1);
    QCOMPARE(randomBytes(32).size(), 32);
    QCOMPARE(randomBytes(100000).size(), 100000);
}

void TestSecurityRandom::randomBytesDiffer()
{
    QSet<QByteArray> seen;
    for (int i = 0; i < 1000; ++i)
        seen.insert(randomBytes(16));
    QCOMPARE(seen.size(), 1000);
    // Every byte value shows up in 64 KiB unless bits are stuck (p of a miss < 1e-100).
    const QByteArray block = randomBytes(65536);
    std::array<bool, 256> present{};
    for (const char c : block)
        present[static_cast<unsigned char>(c)] = true;
    for (int v = 0; v < 256; ++v)
        QVERIFY2(present[v], qPrintable(QString::number(v)));
}

void TestSecurityRandom::negativeCountsThrow()
{
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, randomBytes(-1));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, md::security::randomDigits(-1));
}

void TestSecurityRandom::randomTokenIsUnpaddedBase64Url()
{
    QSet<QString> seen;
    for (int i = 0; i < 1000; ++i) {
        const QString token = randomToken();
        QCOMPARE(token.size(), 43); // 32 bytes, no '='
        bool ok = false;
        QCOMPARE(base64UrlDecode(token.toLatin1(), &ok).size(), 32);
        QVERIFY(ok);
        seen.insert(token);
    }
    QCOMPARE(seen.size(), 1000);
    QCOMPARE(randomToken(16).size(), 22);
}

void TestSecurityRandom::randomDigits_data()
{
    QTest::addColumn<int>("digits");
    QTest::newRow("none") << 0;
    QTest::newRow("one") << 1;
    QTest::newRow("otp") << 6;
    QTest::newRow("long") << 300;
}

void TestSecurityRandom::randomDigits()
{
    QFETCH(int, digits);
    for (int i = 0; i < 2000; ++i) {
        const QString code = md::security::randomDigits(digits);
        QCOMPARE(code.size(), digits); // leading zeros kept
        for (const QChar c : code)
            QVERIFY2(c >= u'0' && c <= u'9', qPrintable(code));
    }
}

void TestSecurityRandom::randomDigitsAreUniform()
{
    // One million digits, chi-square with 9 degrees of freedom. Uniform digits exceed 50
    // with p < 1e-7; a plain `byte % 10` (0-5 favoured by 4%) scores about 360.
    std::array<qint64, 10> counts{};
    constexpr int kCalls = 1000;
    constexpr int kPerCall = 1000;
    for (int i = 0; i < kCalls; ++i) {
        const QString code = md::security::randomDigits(kPerCall);
        for (const QChar c : code)
            ++counts[c.unicode() - u'0'];
    }
    const double expected = kCalls * kPerCall / 10.0;
    double chi2 = 0;
    for (const qint64 n : counts)
        chi2 += (n - expected) * (n - expected) / expected;
    QVERIFY2(chi2 < 50, qPrintable(u"chi-square %1"_s.arg(chi2)));
}

void TestSecurityRandom::everyPositionTakesEveryDigit()
{
    // A six-digit OTP: each position shows all ten digits in 2,000 codes (p of a miss per
    // position < 1e-90), so no position is fixed or skewed to a subset.
    std::array<QSet<QChar>, 6> perPosition;
    for (int i = 0; i < 2000; ++i) {
        const QString code = md::security::randomDigits(6);
        for (int p = 0; p < 6; ++p)
            perPosition[p].insert(code.at(p));
    }
    for (int p = 0; p < 6; ++p)
        QCOMPARE(perPosition[p].size(), 10);
}

QTEST_GUILESS_MAIN(TestSecurityRandom)
#include "tst_security_random.moc"
