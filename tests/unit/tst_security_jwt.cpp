#include "security/digest.h"
#include "security/jwt.h"
#include "security/random.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <atomic>
#include <memory>
#include <stdexcept>
#include <sys/stat.h>
#include <thread>
#include <vector>

using namespace md::security;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(md::security::JwtCodec::Failure)

namespace {

struct PkeyFree
{
    void operator()(EVP_PKEY *p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

const QString kIssuer = u"https://dispatch.example.org"_s;
const QString kAudience = u"meddispatch"_s;
const QDateTime kNow = QDateTime(QDate(2025, 3, 1), QTime(12, 0), Qt::UTC);
const qint64 kNowSecs = kNow.toSecsSinceEpoch();
const QJsonValue kRemove(QJsonValue::Undefined); // with(): drop the member

Pkey readPrivateKey(const QByteArray &pem)
{
    BIO *bio = BIO_new_mem_buf(pem.constData(), int(pem.size()));
    Pkey key(PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr));
    BIO_free(bio);
    return key;
}

Pkey readPublicKey(const QByteArray &pem)
{
    BIO *bio = BIO_new_mem_buf(pem.constData(), int(pem.size()));
    Pkey key(PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr));
    BIO_free(bio);
    return key;
}

QByteArray pemOf(EVP_PKEY *key)
{
    BIO *bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    char *data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    QByteArray pem(data, n);
    BIO_free(bio);
    return pem;
}

QByteArray derOf(EVP_PKEY *key)
{
    unsigned char *der = nullptr;
    const int n = i2d_PUBKEY(key, &der);
    QByteArray out(reinterpret_cast<const char *>(der), n);
    OPENSSL_free(der);
    return out;
}

QByteArray rsaSign(EVP_PKEY *key, const QByteArray &input, const EVP_MD *md = EVP_sha256())
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    size_t length = size_t(EVP_PKEY_get_size(key));
    QByteArray sig(qsizetype(length), '\0');
    EVP_DigestSignInit(ctx, nullptr, md, nullptr, key);
    EVP_DigestSign(ctx, reinterpret_cast<unsigned char *>(sig.data()), &length,
                   reinterpret_cast<const unsigned char *>(input.constData()),
                   size_t(input.size()));
    EVP_MD_CTX_free(ctx);
    sig.truncate(qsizetype(length));
    return sig;
}

bool rsaVerify(EVP_PKEY *key, const QByteArray &input, const QByteArray &sig)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    const bool ok = EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
                    EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char *>(sig.constData()),
                                     size_t(sig.size()),
                                     reinterpret_cast<const unsigned char *>(input.constData()),
                                     size_t(input.size())) == 1;
    EVP_MD_CTX_free(ctx);
    ERR_clear_error();
    return ok;
}

Pkey rsaKey(int bits)
{
    return Pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(bits)));
}

/// An RSA public key from a JWK's big-endian n and e, built the way a JWKS client does.
Pkey publicKeyFromJwk(const QByteArray &n, const QByteArray &e)
{
    const auto bignum = [](const QByteArray &bytes) {
        return std::unique_ptr<BIGNUM, decltype(&BN_free)>(
            BN_bin2bn(reinterpret_cast<const unsigned char *>(bytes.constData()), int(bytes.size()),
                      nullptr),
            &BN_free);
    };
    const auto bn = bignum(n);
    const auto be = bignum(e);
    const std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> bld(OSSL_PARAM_BLD_new(),
                                                                              &OSSL_PARAM_BLD_free);
    if (!bn || !be || !bld ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, be.get()) != 1)
        return nullptr;
    const std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(
        OSSL_PARAM_BLD_to_param(bld.get()), &OSSL_PARAM_free);
    const std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
        EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr), &EVP_PKEY_CTX_free);
    EVP_PKEY *raw = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
        EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
        return nullptr;
    return Pkey(raw);
}

QByteArray part(const QJsonObject &o)
{
    return base64UrlEncode(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QByteArray part(const QByteArray &raw)
{
    return base64UrlEncode(raw);
}

AccessClaims sampleClaims()
{
    AccessClaims c;
    c.subject = u"7d9f3c1e-8a4b-4c2d-9e6f-1a2b3c4d5e6f"_s;
    c.role = u"hospital_admin"_s;
    c.organizationId = u"0b7e5c1a-2f3d-4e5f-8a9b-0c1d2e3f4a5b"_s;
    c.sessionId = u"5c4b3a29-1807-4f6e-9d8c-7b6a59483726"_s;
    c.tokenId = u"e1d2c3b4-a596-4877-8695-a4b3c2d1e0f9"_s;
    c.issuedAt = kNow.addSecs(-30);
    c.notBefore = kNow.addSecs(-30);
    c.expiresAt = kNow.addSecs(870);
    return c;
}

QJsonObject samplePayload()
{
    const AccessClaims c = sampleClaims();
    return QJsonObject{
        {u"iss"_s, kIssuer},
        {u"aud"_s, kAudience},
        {u"sub"_s, c.subject},
        {u"role"_s, c.role},
        {u"org"_s, c.organizationId},
        {u"sid"_s, c.sessionId},
        {u"jti"_s, c.tokenId},
        {u"iat"_s, c.issuedAt.toSecsSinceEpoch()},
        {u"nbf"_s, c.notBefore.toSecsSinceEpoch()},
        {u"exp"_s, c.expiresAt.toSecsSinceEpoch()},
    };
}

QJsonObject with(QJsonObject o, const QString &name, const QJsonValue &value)
{
    if (value.isUndefined())
        o.remove(name);
    else
        o.insert(name, value);
    return o;
}

void setMode(const QString &path, unsigned mode)
{
    QCOMPARE(::chmod(QFile::encodeName(path).constData(), mode), 0);
}

unsigned modeOf(const QString &path)
{
    struct stat st
    {};
    ::stat(QFile::encodeName(path).constData(), &st);
    return st.st_mode & 07777;
}

void writeKeyFile(const QString &path, const QByteArray &pem, unsigned mode = 0600)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(pem);
    f.close();
    setMode(path, mode);
}

} // namespace

class TestSecurityJwt final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void roundTripKeepsEveryClaim();
    void optionalClaimsMayBeAbsent();
    void headerNamesAlgorithmTypeAndKey();
    void accepted_data();
    void accepted();
    void refused_data();
    void refused();
    void jwksRebuildsTheSamePublicKey();
    void signRefusesIncompleteClaims();
    void generateRefusesWeakKeys();
    void concurrentSignAndVerify();
    void loadOrCreateWritesAnOwnerOnlyKey();
    void loadOrCreateReusesTheKey();
    void loadOrCreateRefusesReadableKeyFiles();
    void loadOrCreateRefusesUnusableKeys_data();
    void loadOrCreateRefusesUnusableKeys();
    void olderKeysVerifyAndArePublished();
    void concurrentStartsAgreeOnOneKey();

private:
    /// header.payload.signature signed with our real private key.
    QByteArray signedByUs(const QJsonObject &header, const QJsonObject &payload) const;
    QJsonObject ourHeader() const;

    QTemporaryDir m_dir;
    std::shared_ptr<const JwtKeys> m_keys;
    std::unique_ptr<JwtCodec> m_codec;
    Pkey m_private;  // our signing key, read back from its file to forge test tokens
    Pkey m_stranger; // any other RSA key
};

void TestSecurityJwt::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_keys = JwtKeys::loadOrCreate(m_dir.path());
    m_codec = std::make_unique<JwtCodec>(m_keys, kIssuer, kAudience);
    QFile f(m_dir.filePath(u"jwt-signing-key.pem"_s));
    QVERIFY(f.open(QIODevice::ReadOnly));
    m_private = readPrivateKey(f.readAll());
    QVERIFY(m_private);
    m_stranger = rsaKey(2048);
    QVERIFY(m_stranger);
}

QJsonObject TestSecurityJwt::ourHeader() const
{
    return QJsonObject{
        {u"alg"_s, u"RS256"_s}, {u"typ"_s, u"JWT"_s}, {u"kid"_s, m_keys->currentKeyId()}};
}

QByteArray TestSecurityJwt::signedByUs(const QJsonObject &header, const QJsonObject &payload) const
{
    const QByteArray input = part(header) + '.' + part(payload);
    return QByteArray(input + '.' + base64UrlEncode(rsaSign(m_private.get(), input)));
}

void TestSecurityJwt::roundTripKeepsEveryClaim()
{
    const AccessClaims in = sampleClaims();
    const QByteArray token = m_codec->sign(in);
    QCOMPARE(token.count('.'), 2);
    JwtCodec::Failure failure{};
    const auto out = m_codec->verify(token, kNow, &failure);
    QVERIFY(out.has_value());
    QCOMPARE(out->issuer, kIssuer);
    QCOMPARE(out->audience, kAudience);
    QCOMPARE(out->subject, in.subject);
    QCOMPARE(out->role, in.role);
    QCOMPARE(out->organizationId, in.organizationId);
    QCOMPARE(out->sessionId, in.sessionId);
    QCOMPARE(out->tokenId, in.tokenId);
    QCOMPARE(out->issuedAt, in.issuedAt);
    QCOMPARE(out->notBefore, in.notBefore);
    QCOMPARE(out->expiresAt, in.expiresAt);
    QCOMPARE(out->expiresAt.toSecsSinceEpoch(), kNowSecs + 870);

    // The payload on the wire carries the documented claim names as integers.
    const QList<QByteArray> parts = token.split('.');
    const QJsonObject payload =
        QJsonDocument::fromJson(QByteArray::fromBase64(parts.at(1), QByteArray::Base64UrlEncoding))
            .object();
    QCOMPARE(payload.value(u"iss"_s).toString(), kIssuer);
    QCOMPARE(payload.value(u"aud"_s).toString(), kAudience);
    QCOMPARE(payload.value(u"org"_s).toString(), in.organizationId);
    QCOMPARE(payload.value(u"exp"_s).toInteger(), kNowSecs + 870);
    const QByteArray json = QByteArray::fromBase64(parts.at(1), QByteArray::Base64UrlEncoding);
    QVERIFY2(json.contains(QByteArray("\"exp\":" + QByteArray::number(kNowSecs + 870) + ',')),
             json.constData()); // a plain integer, not 1.74e+09
}

void TestSecurityJwt::optionalClaimsMayBeAbsent()
{
    AccessClaims in = sampleClaims();
    in.organizationId.clear(); // platform roles
    in.sessionId.clear();
    const QByteArray token = m_codec->sign(in);
    const QJsonObject payload =
        QJsonDocument::fromJson(
            QByteArray::fromBase64(token.split('.').at(1), QByteArray::Base64UrlEncoding))
            .object();
    QVERIFY(!payload.contains(u"org"_s));
    QVERIFY(!payload.contains(u"sid"_s));
    const auto out = m_codec->verify(token, kNow);
    QVERIFY(out.has_value());
    QVERIFY(out->organizationId.isEmpty());
    QVERIFY(out->sessionId.isEmpty());
}

void TestSecurityJwt::headerNamesAlgorithmTypeAndKey()
{
    const QByteArray token = m_codec->sign(sampleClaims());
    const QJsonObject header =
        QJsonDocument::fromJson(
            QByteArray::fromBase64(token.split('.').at(0), QByteArray::Base64UrlEncoding))
            .object();
    QCOMPARE(header.value(u"alg"_s).toString(), u"RS256"_s);
    QCOMPARE(header.value(u"typ"_s).toString(), u"JWT"_s);
    QCOMPARE(header.value(u"kid"_s).toString(), m_keys->currentKeyId());
    QCOMPARE(m_keys->currentKeyId().size(), 22); // 16 bytes, base64url
}

void TestSecurityJwt::accepted_data()
{
    QTest::addColumn<QByteArray>("token");
    const QJsonObject payload = samplePayload();
    const QJsonObject header = ourHeader();
    QTest::newRow("signed by the codec") << m_codec->sign(sampleClaims());
    QTest::newRow("typ absent") << signedByUs(with(header, u"typ"_s, kRemove), payload);
    QTest::newRow("aud array containing ours")
        << signedByUs(header, with(payload, u"aud"_s, QJsonArray{u"other-api"_s, kAudience}));
    QTest::newRow("expired 59 s ago (leeway)")
        << signedByUs(header, with(payload, u"exp"_s, kNowSecs - 59));
    QTest::newRow("nbf 60 s ahead (leeway)")
        << signedByUs(header, with(payload, u"nbf"_s, kNowSecs + 60));
    QTest::newRow("iat 60 s ahead (leeway)")
        << signedByUs(header, with(payload, u"iat"_s, kNowSecs + 60));
    QTest::newRow("unknown extra claims") << signedByUs(header, with(payload, u"x"_s, 1));
}

void TestSecurityJwt::accepted()
{
    QFETCH(QByteArray, token);
    JwtCodec::Failure failure{};
    const auto claims = m_codec->verify(token, kNow, &failure);
    QVERIFY2(claims.has_value(), qPrintable(QString::number(int(failure))));
    QCOMPARE(claims->subject, sampleClaims().subject);
}

void TestSecurityJwt::refused_data()
{
    using F = JwtCodec::Failure;
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<F>("expected");

    const QJsonObject header = ourHeader();
    const QJsonObject payload = samplePayload();
    const QByteArray good = m_codec->sign(sampleClaims());
    const QList<QByteArray> parts = good.split('.');
    const QByteArray input = parts.at(0) + '.' + parts.at(1);
    const QString kid = m_keys->currentKeyId();

    // Algorithm confusion (RFC 8725 section 2.1 and 3.1).
    const QJsonObject none{{u"alg"_s, u"none"_s}, {u"typ"_s, u"JWT"_s}};
    QTest::newRow("alg none, unsigned")
        << QByteArray(part(none) + '.' + part(payload) + '.') << F::Malformed;
    QTest::newRow("alg none with our kid and a signature")
        << signedByUs(with(header, u"alg"_s, u"none"_s), payload) << F::Algorithm;
    QTest::newRow("alg rs256 lower case")
        << signedByUs(with(header, u"alg"_s, u"rs256"_s), payload) << F::Algorithm;
    QTest::newRow("alg missing") << signedByUs(with(header, u"alg"_s, kRemove), payload)
                                 << F::Algorithm;
    QTest::newRow("alg not a string")
        << signedByUs(with(header, u"alg"_s, QJsonArray{u"RS256"_s}), payload) << F::Algorithm;
    {
        const QByteArray hsInput = part(with(header, u"alg"_s, u"HS256"_s)) + '.' + part(payload);
        const QByteArray mac = hmacSha256(m_keys->publicKeyPem(kid), hsInput);
        QTest::newRow("HS256 keyed with our public key PEM")
            << QByteArray(hsInput + '.' + base64UrlEncode(mac)) << F::Algorithm;
    }
    {
        const QByteArray rsInput = part(with(header, u"alg"_s, u"RS512"_s)) + '.' + part(payload);
        QTest::newRow("RS512 signed with our key")
            << QByteArray(rsInput + '.' +
                          base64UrlEncode(rsaSign(m_private.get(), rsInput, EVP_sha512())))
            << F::Algorithm;
    }
    QTest::newRow("typ at+jwt") << signedByUs(with(header, u"typ"_s, u"at+jwt"_s), payload)
                                << F::Algorithm;
    QTest::newRow("typ not a string")
        << signedByUs(with(header, u"typ"_s, 1), payload) << F::Algorithm;
    QTest::newRow("crit header") << signedByUs(with(header, u"crit"_s, QJsonArray{u"exp"_s}),
                                               payload)
                                 << F::Algorithm;

    // Keys.
    QTest::newRow("kid missing") << signedByUs(with(header, u"kid"_s, kRemove), payload)
                                 << F::UnknownKey;
    QTest::newRow("kid unknown") << signedByUs(with(header, u"kid"_s, u"AAAAAAAAAAAAAAAAAAAAAA"_s),
                                               payload)
                                 << F::UnknownKey;
    QTest::newRow("kid not a string")
        << signedByUs(with(header, u"kid"_s, 7), payload) << F::UnknownKey;
    {
        const auto strangerKeys = JwtKeys::generate();
        QTest::newRow("another server's token")
            << JwtCodec(strangerKeys, kIssuer, kAudience).sign(sampleClaims()) << F::UnknownKey;
    }

    // Signatures.
    {
        const QByteArray forgedInput = part(header) + '.' + part(payload);
        QTest::newRow("another RSA key claiming our kid")
            << QByteArray(forgedInput + '.' +
                          base64UrlEncode(rsaSign(m_stranger.get(), forgedInput)))
            << F::Signature;
    }
    QTest::newRow("payload altered (role)")
        << QByteArray(parts.at(0) + '.' + part(with(payload, u"role"_s, u"super_admin"_s)) + '.' +
                      parts.at(2))
        << F::Signature;
    QTest::newRow("payload altered (exp)")
        << QByteArray(parts.at(0) + '.' + part(with(payload, u"exp"_s, kNowSecs + 86400 * 365)) +
                      '.' + parts.at(2))
        << F::Signature;
    QTest::newRow("header altered, same key")
        << QByteArray(part(with(header, u"x"_s, 1)) + '.' + parts.at(1) + '.' + parts.at(2))
        << F::Signature;
    {
        bool ok = false;
        QByteArray sig = base64UrlDecode(parts.at(2), &ok);
        QByteArray flipped = sig;
        flipped[100] = char(flipped.at(100) ^ 0x01);
        QTest::newRow("one signature bit flipped")
            << QByteArray(input + '.' + base64UrlEncode(flipped)) << F::Signature;
        QTest::newRow("signature one byte short")
            << QByteArray(input + '.' + base64UrlEncode(sig.chopped(1))) << F::Signature;
        QTest::newRow("signature with a leading zero byte")
            << QByteArray(input + '.' + base64UrlEncode(QByteArray(QByteArray(1, '\0') + sig)))
            << F::Signature;
        QTest::newRow("signature of zeros")
            << QByteArray(input + '.' + base64UrlEncode(QByteArray(sig.size(), '\0')))
            << F::Signature;
    }

    // Claims, all correctly signed by us.
    QTest::newRow("wrong iss") << signedByUs(header,
                                             with(payload, u"iss"_s, u"https://evil.example"_s))
                               << F::Claims;
    QTest::newRow("wrong iss via another codec")
        << JwtCodec(m_keys, u"https://staging.example.org"_s, kAudience).sign(sampleClaims())
        << F::Claims;
    QTest::newRow("iss missing") << signedByUs(header, with(payload, u"iss"_s, kRemove))
                                 << F::Claims;
    QTest::newRow("wrong aud") << signedByUs(header, with(payload, u"aud"_s, u"other-api"_s))
                               << F::Claims;
    QTest::newRow("aud array without ours")
        << signedByUs(header, with(payload, u"aud"_s, QJsonArray{u"a"_s, u"b"_s})) << F::Claims;
    QTest::newRow("aud missing") << signedByUs(header, with(payload, u"aud"_s, kRemove))
                                 << F::Claims;
    QTest::newRow("aud as object")
        << signedByUs(header, with(payload, u"aud"_s, QJsonObject{{kAudience, true}})) << F::Claims;
    QTest::newRow("sub missing") << signedByUs(header, with(payload, u"sub"_s, kRemove))
                                 << F::Claims;
    QTest::newRow("sub empty") << signedByUs(header, with(payload, u"sub"_s, u""_s)) << F::Claims;
    QTest::newRow("sub a number") << signedByUs(header, with(payload, u"sub"_s, 42)) << F::Claims;
    QTest::newRow("jti missing") << signedByUs(header, with(payload, u"jti"_s, kRemove))
                                 << F::Claims;
    QTest::newRow("role missing") << signedByUs(header, with(payload, u"role"_s, kRemove))
                                  << F::Claims;
    QTest::newRow("org a number") << signedByUs(header, with(payload, u"org"_s, 5)) << F::Claims;
    QTest::newRow("sid null") << signedByUs(header, with(payload, u"sid"_s, QJsonValue::Null))
                              << F::Claims;
    QTest::newRow("exp missing") << signedByUs(header, with(payload, u"exp"_s, kRemove))
                                 << F::Claims;
    QTest::newRow("exp a string") << signedByUs(header, with(payload, u"exp"_s,
                                                             QString::number(kNowSecs + 600)))
                                  << F::Claims;
    QTest::newRow("exp fractional")
        << signedByUs(header, with(payload, u"exp"_s, double(kNowSecs + 600) + 0.5)) << F::Claims;
    QTest::newRow("exp beyond year 9999")
        << signedByUs(header, with(payload, u"exp"_s, 1e15)) << F::Claims;
    QTest::newRow("iat missing") << signedByUs(header, with(payload, u"iat"_s, kRemove))
                                 << F::Claims;
    QTest::newRow("nbf missing") << signedByUs(header, with(payload, u"nbf"_s, kRemove))
                                 << F::Claims;
    QTest::newRow("nbf negative") << signedByUs(header, with(payload, u"nbf"_s, -1)) << F::Claims;

    // Time (60 s leeway).
    QTest::newRow("expired 60 s ago")
        << signedByUs(header, with(payload, u"exp"_s, kNowSecs - 60)) << F::Expired;
    QTest::newRow("expired an hour ago")
        << signedByUs(header, with(payload, u"exp"_s, kNowSecs - 3600)) << F::Expired;
    QTest::newRow("nbf 61 s ahead")
        << signedByUs(header, with(payload, u"nbf"_s, kNowSecs + 61)) << F::NotYetValid;
    QTest::newRow("iat 61 s ahead")
        << signedByUs(header, with(payload, u"iat"_s, kNowSecs + 61)) << F::NotYetValid;

    // Shape.
    QTest::newRow("empty") << QByteArray() << F::Malformed;
    QTest::newRow("opaque refresh token") << randomToken(32).toLatin1() << F::Malformed;
    QTest::newRow("refresh-like two parts")
        << QByteArray(randomToken(16).toLatin1() + '.' + randomToken(32).toLatin1())
        << F::Malformed;
    QTest::newRow("two parts") << input << F::Malformed;
    QTest::newRow("trailing dot") << QByteArray(good + '.') << F::Malformed;
    QTest::newRow("four parts") << QByteArray(good + ".e30") << F::Malformed;
    QTest::newRow("five parts (JWE shape)")
        << QByteArray(parts.at(0) + ".." + parts.at(1) + '.' + parts.at(2) + ".e30")
        << F::Malformed;
    QTest::newRow("empty payload") << QByteArray(parts.at(0) + ".." + parts.at(2)) << F::Malformed;
    QTest::newRow("empty header") << QByteArray('.' + parts.at(1) + '.' + parts.at(2))
                                  << F::Malformed;
    QTest::newRow("leading space") << QByteArray(' ' + good) << F::Malformed;
    QTest::newRow("trailing newline") << QByteArray(good + '\n') << F::Malformed;
    QTest::newRow("trailing CRLF") << QByteArray(good + "\r\n") << F::Malformed;
    QTest::newRow("space after a dot")
        << QByteArray(parts.at(0) + ". " + parts.at(1) + '.' + parts.at(2)) << F::Malformed;
    QTest::newRow("double space inside") << QByteArray(good).insert(20, "  ") << F::Malformed;
    QTest::newRow("tab inside") << QByteArray(good).insert(40, '\t') << F::Malformed;
    QTest::newRow("Bearer prefix kept") << QByteArray("Bearer " + good) << F::Malformed;
    QTest::newRow("padded signature") << QByteArray(good + "==") << F::Malformed;
    QTest::newRow("standard base64 signature")
        << QByteArray(input + '.' +
                      QByteArray::fromBase64(parts.at(2), QByteArray::Base64UrlEncoding).toBase64())
        << F::Malformed;
    QTest::newRow("header not JSON")
        << QByteArray(part("{alg:RS256}"_ba) + '.' + parts.at(1) + '.' + parts.at(2))
        << F::Malformed;
    QTest::newRow("header a JSON array")
        << QByteArray(part(QJsonDocument(QJsonArray{u"RS256"_s}).toJson(QJsonDocument::Compact)) +
                      '.' + parts.at(1) + '.' + parts.at(2))
        << F::Malformed;
    QTest::newRow("header with trailing garbage")
        << QByteArray(part(QByteArray(QJsonDocument(header).toJson(QJsonDocument::Compact) + "x")) +
                      '.' + parts.at(1) + '.' + parts.at(2))
        << F::Malformed;
    {
        const QByteArray arrayPayload =
            part(header) + '.' +
            part(QJsonDocument(QJsonArray{samplePayload()}).toJson(QJsonDocument::Compact));
        QTest::newRow("payload a JSON array, signed by us")
            << QByteArray(arrayPayload + '.' +
                          base64UrlEncode(rsaSign(m_private.get(), arrayPayload)))
            << F::Malformed;
    }
    QTest::newRow("oversized") << QByteArray(parts.at(0) + '.' + QByteArray(9000, 'A') + '.' +
                                             parts.at(2))
                               << F::Malformed;
}

void TestSecurityJwt::refused()
{
    QFETCH(QByteArray, token);
    QFETCH(JwtCodec::Failure, expected);
    JwtCodec::Failure failure = JwtCodec::Failure::Malformed;
    if (expected == JwtCodec::Failure::Malformed)
        failure = JwtCodec::Failure::Claims; // so a refusal must set it
    QVERIFY(!m_codec->verify(token, kNow, &failure).has_value());
    QCOMPARE(int(failure), int(expected));
    QVERIFY(!m_codec->verify(token, kNow).has_value()); // no failure pointer
    QCOMPARE(ERR_peek_error(), 0ul);                    // OpenSSL's error queue is left clean
}

void TestSecurityJwt::jwksRebuildsTheSamePublicKey()
{
    const QJsonObject jwks = m_keys->jwks();
    const QJsonArray keys = jwks.value(u"keys"_s).toArray();
    QCOMPARE(keys.size(), 1);
    const QJsonObject jwk = keys.at(0).toObject();
    QCOMPARE(jwk.value(u"kty"_s).toString(), u"RSA"_s);
    QCOMPARE(jwk.value(u"use"_s).toString(), u"sig"_s);
    QCOMPARE(jwk.value(u"alg"_s).toString(), u"RS256"_s);
    QCOMPARE(jwk.value(u"kid"_s).toString(), m_keys->currentKeyId());
    QVERIFY(!jwk.contains(u"d"_s)); // nothing private
    QVERIFY(!jwk.contains(u"p"_s));

    bool okN = false;
    bool okE = false;
    const QByteArray n = base64UrlDecode(jwk.value(u"n"_s).toString().toLatin1(), &okN);
    const QByteArray e = base64UrlDecode(jwk.value(u"e"_s).toString().toLatin1(), &okE);
    QVERIFY(okN && okE);
    QCOMPARE(n.size(), 256);                           // 2048 bits, no leading zero byte
    QVERIFY(quint8(n.at(0)) >= 0x80);                  // big-endian: the top bit is the first bit
    QCOMPARE(jwk.value(u"e"_s).toString(), u"AQAB"_s); // 65537

    // A verifier that knows only n and e (as a client reading the JWKS does).
    const Pkey rebuilt = publicKeyFromJwk(n, e);
    QVERIFY(rebuilt);

    const QByteArray token = m_codec->sign(sampleClaims());
    const qsizetype lastDot = token.lastIndexOf('.');
    bool ok = false;
    const QByteArray sig = base64UrlDecode(token.mid(lastDot + 1), &ok);
    QVERIFY(ok);
    QVERIFY(rsaVerify(rebuilt.get(), token.left(lastDot), sig));
    QVERIFY(!rsaVerify(rebuilt.get(), token.left(lastDot) + "x", sig));

    // The same key as the published PEM, and the kid is derived from it as documented.
    const Pkey fromPem = readPublicKey(m_keys->publicKeyPem(m_keys->currentKeyId()));
    QVERIFY(fromPem);
    QCOMPARE(derOf(rebuilt.get()), derOf(fromPem.get()));
    QCOMPARE(QString::fromLatin1(base64UrlEncode(sha256(derOf(rebuilt.get())).first(16))),
             m_keys->currentKeyId());
    QVERIFY(m_keys->publicKeyPem(u"unknown"_s).isEmpty());
    QVERIFY(!m_keys->publicKeyPem(m_keys->currentKeyId()).contains("PRIVATE"));
}

void TestSecurityJwt::signRefusesIncompleteClaims()
{
    AccessClaims c = sampleClaims();
    c.expiresAt = QDateTime();
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, m_codec->sign(c));
    c = sampleClaims();
    c.subject.clear();
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, m_codec->sign(c));
}

void TestSecurityJwt::generateRefusesWeakKeys()
{
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, JwtKeys::generate(1024));
}

void TestSecurityJwt::concurrentSignAndVerify()
{
    // One codec shared by a server's worker threads.
    std::atomic<int> bad{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 100; ++i) {
                AccessClaims c = sampleClaims();
                c.tokenId = QString::number(t * 1000 + i);
                const QByteArray token = m_codec->sign(c);
                const auto out = m_codec->verify(token, kNow);
                if (!out || out->tokenId != c.tokenId)
                    ++bad;
                QByteArray tampered = token;
                tampered[tampered.size() - 5] = tampered.at(tampered.size() - 5) == 'A' ? 'B' : 'A';
                if (m_codec->verify(tampered, kNow))
                    ++bad;
            }
        });
    }
    for (auto &thread : threads)
        thread.join();
    QCOMPARE(bad.load(), 0);
}

void TestSecurityJwt::loadOrCreateWritesAnOwnerOnlyKey()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"jwt-signing-key.pem"_s);
    QVERIFY(!QFile::exists(path));
    const auto keys = JwtKeys::loadOrCreate(dir.path());
    QVERIFY(QFile::exists(path));
    QCOMPARE(modeOf(path), 0600u);
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const Pkey key = readPrivateKey(f.readAll());
    QVERIFY(key);
    QCOMPARE(EVP_PKEY_get_bits(key.get()), 2048);
    QCOMPARE(keys->keyIds(), QList<QString>{keys->currentKeyId()});
}

void TestSecurityJwt::loadOrCreateReusesTheKey()
{
    QTemporaryDir dir;
    const auto first = JwtKeys::loadOrCreate(dir.path());
    const auto second = JwtKeys::loadOrCreate(dir.path());
    QCOMPARE(second->currentKeyId(), first->currentKeyId());
    // A token from before a restart still verifies after it.
    const QByteArray token = JwtCodec(first, kIssuer, kAudience).sign(sampleClaims());
    QVERIFY(JwtCodec(second, kIssuer, kAudience).verify(token, kNow).has_value());
}

void TestSecurityJwt::loadOrCreateRefusesReadableKeyFiles()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"jwt-signing-key.pem"_s);
    JwtKeys::loadOrCreate(dir.path());
    setMode(path, 0644);
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, JwtKeys::loadOrCreate(dir.path()));
    setMode(path, 0600);
    QVERIFY(JwtKeys::loadOrCreate(dir.path()));

    // An older key lying around readable by everyone is refused too.
    const QString older = dir.filePath(u"jwt-signing-key.2024.pem"_s);
    writeKeyFile(older, pemOf(m_stranger.get()), 0644);
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, JwtKeys::loadOrCreate(dir.path()));
}

void TestSecurityJwt::loadOrCreateRefusesUnusableKeys_data()
{
    QTest::addColumn<QByteArray>("pem");
    const Pkey weak = rsaKey(1024);
    const Pkey ec(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    BIO *bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PUBKEY(bio, m_stranger.get());
    char *data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    const QByteArray publicOnly(data, length);
    BIO_free(bio);
    QTest::newRow("RSA 1024") << pemOf(weak.get());
    QTest::newRow("EC P-256") << pemOf(ec.get());
    QTest::newRow("public key only") << QByteArray(publicOnly);
    QTest::newRow("garbage") << "-----BEGIN PRIVATE KEY-----\nnot a key\n"_ba;
}

void TestSecurityJwt::loadOrCreateRefusesUnusableKeys()
{
    QFETCH(QByteArray, pem);
    QTemporaryDir dir;
    writeKeyFile(dir.filePath(u"jwt-signing-key.pem"_s), pem);
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, JwtKeys::loadOrCreate(dir.path()));

    // The same as an older key beside a good current one.
    QTemporaryDir other;
    JwtKeys::loadOrCreate(other.path());
    writeKeyFile(other.filePath(u"jwt-signing-key.old.pem"_s), pem);
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, JwtKeys::loadOrCreate(other.path()));
}

void TestSecurityJwt::olderKeysVerifyAndArePublished()
{
    // Rotation: the old key moves aside, a new current key is created on start.
    QTemporaryDir dir;
    const auto before = JwtKeys::loadOrCreate(dir.path());
    const QByteArray oldToken = JwtCodec(before, kIssuer, kAudience).sign(sampleClaims());
    QVERIFY(QFile::rename(dir.filePath(u"jwt-signing-key.pem"_s),
                          dir.filePath(u"jwt-signing-key.2025-02.pem"_s)));
    // A copy of the same key under a second name is published once.
    QVERIFY(QFile::copy(dir.filePath(u"jwt-signing-key.2025-02.pem"_s),
                        dir.filePath(u"jwt-signing-key.backup.pem"_s)));
    setMode(dir.filePath(u"jwt-signing-key.backup.pem"_s), 0600);
    // Files that do not match the pattern are ignored.
    writeKeyFile(dir.filePath(u"jwt-signing-key.pem.bak"_s), "junk"_ba, 0644);

    const auto after = JwtKeys::loadOrCreate(dir.path());
    QVERIFY(after->currentKeyId() != before->currentKeyId());
    QCOMPARE(after->keyIds(), (QList<QString>{after->currentKeyId(), before->currentKeyId()}));

    const JwtCodec codec(after, kIssuer, kAudience);
    QVERIFY(codec.verify(oldToken, kNow).has_value());
    const QByteArray newToken = codec.sign(sampleClaims());
    QCOMPARE(QJsonDocument::fromJson(
                 QByteArray::fromBase64(newToken.split('.').at(0), QByteArray::Base64UrlEncoding))
                 .object()
                 .value(u"kid"_s)
                 .toString(),
             after->currentKeyId()); // new tokens use the new key
    QVERIFY(codec.verify(newToken, kNow).has_value());
    // The old server does not know the new key.
    QVERIFY(!JwtCodec(before, kIssuer, kAudience).verify(newToken, kNow).has_value());

    const QJsonArray published = after->jwks().value(u"keys"_s).toArray();
    QCOMPARE(published.size(), 2);
    QCOMPARE(published.at(0).toObject().value(u"kid"_s).toString(), after->currentKeyId());
    QCOMPARE(published.at(1).toObject().value(u"kid"_s).toString(), before->currentKeyId());
    QCOMPARE(published.at(1).toObject().value(u"n"_s),
             before->jwks().value(u"keys"_s).toArray().at(0).toObject().value(u"n"_s));
}

void TestSecurityJwt::concurrentStartsAgreeOnOneKey()
{
    QTemporaryDir dir;
    std::vector<std::shared_ptr<const JwtKeys>> results(3);
    std::vector<std::thread> threads;
    for (int t = 0; t < 3; ++t)
        threads.emplace_back([&, t] { results[t] = JwtKeys::loadOrCreate(dir.path()); });
    for (auto &thread : threads)
        thread.join();
    QCOMPARE(results[1]->currentKeyId(), results[0]->currentKeyId());
    QCOMPARE(results[2]->currentKeyId(), results[0]->currentKeyId());
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden),
             QStringList{u"jwt-signing-key.pem"_s});
}

QTEST_GUILESS_MAIN(TestSecurityJwt)
#include "tst_security_jwt.moc"
