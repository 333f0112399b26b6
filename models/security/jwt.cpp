#include "jwt.h"

#include "digest.h"
#include "opensslptr.h"
#include "secretfile.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>

#include <openssl/core_names.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

namespace md::security {

using namespace Qt::StringLiterals;
using detail::BignumPtr;
using detail::BioPtr;
using detail::EvpMdCtxPtr;
using detail::EvpPkeyPtr;

namespace {

constexpr int kMinKeyBits = 2048;
constexpr qsizetype kMaxTokenBytes = 8192;
// Seconds since the epoch up to the year 9999: integral and exactly representable.
constexpr double kMaxTimestamp = 253402300799.0;

const QString kCurrentKeyFile = u"jwt-signing-key.pem"_s;
const QString kOlderKeyPattern = u"jwt-signing-key.*.pem"_s;

QByteArray bioContents(BIO *bio)
{
    char *data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    return QByteArray(data, qsizetype(length));
}

QByteArray bignumBytes(const BIGNUM *bn)
{
    QByteArray out(BN_num_bytes(bn), Qt::Uninitialized); // big-endian, no leading zero
    BN_bn2bin(bn, reinterpret_cast<unsigned char *>(out.data()));
    return out;
}

QByteArray rsaParam(EVP_PKEY *pkey, const char *name)
{
    BIGNUM *raw = nullptr;
    if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1)
        detail::throwOpenSslError("cannot read RSA public key");
    const BignumPtr bn(raw);
    return bignumBytes(bn.get());
}

QByteArray signWith(EVP_PKEY *pkey, QByteArrayView input)
{
    const EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey) != 1)
        detail::throwOpenSslError("RS256 signing failed");
    size_t length = size_t(EVP_PKEY_get_size(pkey));
    QByteArray signature(qsizetype(length), Qt::Uninitialized);
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(signature.data()), &length,
                       reinterpret_cast<const unsigned char *>(input.data()),
                       size_t(input.size())) != 1)
        detail::throwOpenSslError("RS256 signing failed");
    signature.truncate(qsizetype(length));
    return signature;
}

bool verifyWith(EVP_PKEY *pkey, QByteArrayView input, QByteArrayView signature)
{
    const EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    const bool ok =
        ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey) == 1 &&
        EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char *>(signature.data()),
                         size_t(signature.size()),
                         reinterpret_cast<const unsigned char *>(input.data()),
                         size_t(input.size())) == 1;
    if (!ok)
        ERR_clear_error(); // a bad signature queues errors; do not leave them to others
    return ok;
}

EvpPkeyPtr generateRsa(int bits)
{
    if (bits < kMinKeyBits)
        throw std::invalid_argument("RSA signing keys need at least 2048 bits");
    EvpPkeyPtr pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(bits)));
    if (!pkey)
        detail::throwOpenSslError("RSA key generation failed");
    return pkey;
}

QByteArray privateKeyPem(EVP_PKEY *pkey)
{
    const BioPtr bio(BIO_new(BIO_s_secmem()));
    if (!bio ||
        PEM_write_bio_PrivateKey(bio.get(), pkey, nullptr, nullptr, 0, nullptr, nullptr) != 1)
        detail::throwOpenSslError("cannot write the signing key");
    return bioContents(bio.get());
}

EvpPkeyPtr readPrivateKeyPem(const QByteArray &pem, const QString &path)
{
    const BioPtr bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    // A null passphrase callback with an empty passphrase: an encrypted key fails instead
    // of prompting on the terminal.
    EvpPkeyPtr pkey(
        bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, const_cast<char *>(""))
            : nullptr);
    if (!pkey)
        throw std::runtime_error("cannot read an unencrypted PEM private key from " +
                                 QDir::toNativeSeparators(path).toStdString() + ": " +
                                 detail::takeOpenSslError());
    return pkey;
}

void checkSigningKey(EVP_PKEY *pkey, const QString &path)
{
    const std::string where = QDir::toNativeSeparators(path).toStdString();
    if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_RSA)
        throw std::runtime_error("JWT signing key " + where + " is not an RSA key");
    if (EVP_PKEY_get_bits(pkey) < kMinKeyBits)
        throw std::runtime_error("JWT signing key " + where + " has " +
                                 std::to_string(EVP_PKEY_get_bits(pkey)) +
                                 " bits; at least 2048 are required");
}

} // namespace

struct JwtKeys::Private
{
    struct Key
    {
        EvpPkeyPtr pkey;
        QString id;
        QByteArray n;
        QByteArray e;
        QByteArray publicPem;
        qsizetype signatureBytes = 0;
    };
    std::vector<Key> keys; // keys[0] is the current key, the only one that signs

    const Key *find(QStringView id) const
    {
        for (const Key &key : keys)
            if (key.id == id)
                return &key;
        return nullptr;
    }

    void add(EvpPkeyPtr pkey)
    {
        Key key;
        unsigned char *der = nullptr;
        const int derLength = i2d_PUBKEY(pkey.get(), &der);
        if (derLength <= 0)
            detail::throwOpenSslError("cannot encode the public key");
        const QByteArray spki(reinterpret_cast<const char *>(der), derLength);
        OPENSSL_free(der);
        key.id = QString::fromLatin1(base64UrlEncode(sha256(spki).first(16)));
        if (find(key.id))
            return; // the same key under two file names
        key.n = rsaParam(pkey.get(), OSSL_PKEY_PARAM_RSA_N);
        key.e = rsaParam(pkey.get(), OSSL_PKEY_PARAM_RSA_E);
        const BioPtr bio(BIO_new(BIO_s_mem()));
        if (!bio || PEM_write_bio_PUBKEY(bio.get(), pkey.get()) != 1)
            detail::throwOpenSslError("cannot encode the public key");
        key.publicPem = bioContents(bio.get());
        key.signatureBytes = EVP_PKEY_get_size(pkey.get());
        // Sign and verify once now, single-threaded: OpenSSL caches derived key data on
        // first use, and after this the key is only ever read by concurrent callers.
        const QByteArray probe = "md-security-key-check"_ba;
        if (!verifyWith(pkey.get(), probe, signWith(pkey.get(), probe)))
            throw std::runtime_error("a JWT signing key failed its self-test");
        key.pkey = std::move(pkey);
        keys.push_back(std::move(key));
    }
};

JwtKeys::JwtKeys(std::unique_ptr<Private> p) : d(std::move(p)) {}
JwtKeys::~JwtKeys() = default;

std::shared_ptr<const JwtKeys> JwtKeys::generate(int bits)
{
    auto p = std::make_unique<Private>();
    p->add(generateRsa(bits));
    return std::make_shared<const JwtKeys>(std::move(p));
}

std::shared_ptr<const JwtKeys> JwtKeys::loadOrCreate(const QString &dataDir)
{
    const QDir dir(dataDir);
    const QString currentPath = dir.filePath(kCurrentKeyFile);
    QByteArray pem = loadOrCreateSecretFile(currentPath, [] {
        const EvpPkeyPtr fresh = generateRsa(kMinKeyBits);
        return privateKeyPem(fresh.get());
    });
    auto p = std::make_unique<Private>();
    try {
        EvpPkeyPtr current = readPrivateKeyPem(pem, currentPath);
        checkSigningKey(current.get(), currentPath);
        p->add(std::move(current));
        OPENSSL_cleanse(pem.data(), size_t(pem.size()));

        const QStringList older =
            dir.entryList({kOlderKeyPattern}, QDir::Files | QDir::Hidden, QDir::Name);
        for (const QString &name : older) {
            const QString path = dir.filePath(name);
            pem = readSecretFile(path);
            EvpPkeyPtr key = readPrivateKeyPem(pem, path);
            checkSigningKey(key.get(), path);
            p->add(std::move(key));
            OPENSSL_cleanse(pem.data(), size_t(pem.size()));
        }
    } catch (...) {
        if (!pem.isEmpty())
            OPENSSL_cleanse(pem.data(), size_t(pem.size()));
        throw;
    }
    return std::make_shared<const JwtKeys>(std::move(p));
}

QString JwtKeys::currentKeyId() const
{
    return d->keys.front().id;
}

QList<QString> JwtKeys::keyIds() const
{
    QList<QString> ids;
    for (const auto &key : d->keys)
        ids.append(key.id);
    return ids;
}

QJsonObject JwtKeys::jwks() const
{
    QJsonArray keys;
    for (const auto &key : d->keys) {
        keys.append(QJsonObject{
            {u"kty"_s, u"RSA"_s},
            {u"use"_s, u"sig"_s},
            {u"alg"_s, u"RS256"_s},
            {u"kid"_s, key.id},
            {u"n"_s, QString::fromLatin1(base64UrlEncode(key.n))},
            {u"e"_s, QString::fromLatin1(base64UrlEncode(key.e))},
        });
    }
    return QJsonObject{{u"keys"_s, keys}};
}

QByteArray JwtKeys::publicKeyPem(const QString &keyId) const
{
    const auto *key = d->find(keyId);
    return key ? key->publicPem : QByteArray();
}

// ---------------------------------------------------------------------------------------

namespace {

QByteArray encodeJson(const QJsonObject &object)
{
    return base64UrlEncode(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

/// A strict base64url part holding a JSON object.
std::optional<QJsonObject> decodeJsonPart(QByteArrayView part)
{
    bool ok = false;
    const QByteArray json = base64UrlDecode(part, &ok);
    if (!ok || json.isEmpty())
        return std::nullopt;
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return document.object();
}

std::optional<QString> requiredString(const QJsonObject &o, QStringView name)
{
    const QJsonValue v = o.value(name);
    if (!v.isString() || v.toString().isEmpty())
        return std::nullopt;
    return v.toString();
}

/// Optional string claim: absent is empty, present must be a string.
std::optional<QString> optionalString(const QJsonObject &o, QStringView name)
{
    const QJsonValue v = o.value(name);
    if (v.isUndefined())
        return QString();
    if (!v.isString())
        return std::nullopt;
    return v.toString();
}

std::optional<qint64> requiredTime(const QJsonObject &o, QStringView name)
{
    const QJsonValue v = o.value(name);
    if (!v.isDouble())
        return std::nullopt;
    const double seconds = v.toDouble();
    if (!(seconds >= 0 && seconds <= kMaxTimestamp) || std::trunc(seconds) != seconds)
        return std::nullopt;
    return qint64(seconds);
}

bool audienceMatches(const QJsonValue &aud, const QString &ours)
{
    if (aud.isString())
        return aud.toString() == ours;
    if (!aud.isArray())
        return false;
    const QJsonArray list = aud.toArray();
    for (const QJsonValue &entry : list)
        if (entry.isString() && entry.toString() == ours)
            return true;
    return false;
}

qint64 secondsOf(const QDateTime &t, const char *claim)
{
    if (!t.isValid())
        throw std::invalid_argument(std::string("JWT claim ") + claim + " is not set");
    return t.toSecsSinceEpoch();
}

} // namespace

JwtCodec::JwtCodec(std::shared_ptr<const JwtKeys> keys, QString issuer, QString audience)
    : m_keys(std::move(keys)), m_issuer(std::move(issuer)), m_audience(std::move(audience))
{
    if (!m_keys)
        throw std::invalid_argument("JwtCodec needs keys");
}

QByteArray JwtCodec::sign(const AccessClaims &claims) const
{
    if (claims.subject.isEmpty() || claims.tokenId.isEmpty() || claims.role.isEmpty())
        throw std::invalid_argument("JWT claims sub, jti and role are required");
    const auto &key = m_keys->impl().keys.front();

    const QJsonObject header{
        {u"alg"_s, u"RS256"_s},
        {u"typ"_s, u"JWT"_s},
        {u"kid"_s, key.id},
    };
    QJsonObject payload{
        {u"iss"_s, claims.issuer.isEmpty() ? m_issuer : claims.issuer},
        {u"aud"_s, claims.audience.isEmpty() ? m_audience : claims.audience},
        {u"sub"_s, claims.subject},
        {u"role"_s, claims.role},
        {u"jti"_s, claims.tokenId},
        {u"iat"_s, secondsOf(claims.issuedAt, "iat")},
        {u"nbf"_s, secondsOf(claims.notBefore, "nbf")},
        {u"exp"_s, secondsOf(claims.expiresAt, "exp")},
    };
    if (!claims.organizationId.isEmpty())
        payload.insert(u"org"_s, claims.organizationId);
    if (!claims.sessionId.isEmpty())
        payload.insert(u"sid"_s, claims.sessionId);

    const QByteArray signingInput = QByteArray(encodeJson(header) + '.' + encodeJson(payload));
    return QByteArray(signingInput + '.' + base64UrlEncode(signWith(key.pkey.get(), signingInput)));
}

std::optional<AccessClaims> JwtCodec::verify(QByteArrayView token, const QDateTime &now,
                                             Failure *failure) const
{
    const auto refuse = [failure](Failure why) -> std::optional<AccessClaims> {
        if (failure)
            *failure = why;
        return std::nullopt;
    };

    // Shape: exactly three non-empty parts of the base64url alphabet. Anything else
    // (opaque refresh tokens, JWE's five parts, "alg":"none" with an empty signature,
    // stray whitespace) stops here.
    if (token.isEmpty() || token.size() > kMaxTokenBytes)
        return refuse(Failure::Malformed);
    const qsizetype firstDot = token.indexOf('.');
    const qsizetype secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
    if (firstDot <= 0 || secondDot <= firstDot + 1 || secondDot + 1 >= token.size() ||
        token.indexOf('.', secondDot + 1) >= 0)
        return refuse(Failure::Malformed);
    const QByteArrayView headerPart = token.first(firstDot);
    const QByteArrayView payloadPart = token.sliced(firstDot + 1, secondDot - firstDot - 1);
    const QByteArrayView signaturePart = token.sliced(secondDot + 1);

    const auto header = decodeJsonPart(headerPart);
    if (!header)
        return refuse(Failure::Malformed);
    bool ok = false;
    base64UrlDecode(payloadPart, &ok);
    if (!ok)
        return refuse(Failure::Malformed);
    const QByteArray signature = base64UrlDecode(signaturePart, &ok);
    if (!ok)
        return refuse(Failure::Malformed);

    // The algorithm is pinned: the header only names which of our keys to use.
    const QJsonValue alg = header->value(u"alg"_s);
    if (!alg.isString() || alg.toString() != u"RS256"_s)
        return refuse(Failure::Algorithm);
    const QJsonValue typ = header->value(u"typ"_s);
    if (!typ.isUndefined() && (!typ.isString() || typ.toString() != u"JWT"_s))
        return refuse(Failure::Algorithm);
    if (header->contains(u"crit"_s)) // extensions we would have to understand
        return refuse(Failure::Algorithm);

    const QJsonValue kid = header->value(u"kid"_s);
    const auto *key = kid.isString() ? m_keys->impl().find(kid.toString()) : nullptr;
    if (!key)
        return refuse(Failure::UnknownKey);

    if (signature.size() != key->signatureBytes ||
        !verifyWith(key->pkey.get(), token.first(secondDot), signature))
        return refuse(Failure::Signature);

    // Signed by us from here on; still checked as strictly as if it were not.
    const auto payload = decodeJsonPart(payloadPart);
    if (!payload)
        return refuse(Failure::Malformed);

    AccessClaims claims;
    const auto iss = requiredString(*payload, u"iss");
    const auto sub = requiredString(*payload, u"sub");
    const auto jti = requiredString(*payload, u"jti");
    const auto role = requiredString(*payload, u"role");
    const auto org = optionalString(*payload, u"org");
    const auto sid = optionalString(*payload, u"sid");
    const auto exp = requiredTime(*payload, u"exp");
    const auto iat = requiredTime(*payload, u"iat");
    const auto nbf = requiredTime(*payload, u"nbf");
    const QJsonValue aud = payload->value(u"aud"_s);
    if (!iss || !sub || !jti || !role || !org || !sid || !exp || !iat || !nbf)
        return refuse(Failure::Claims);
    if (*iss != m_issuer || !audienceMatches(aud, m_audience))
        return refuse(Failure::Claims);
    if (!now.isValid())
        return refuse(Failure::Expired); // no clock, no trust

    const qint64 nowSeconds = now.toSecsSinceEpoch();
    if (*exp + kLeewaySeconds <= nowSeconds)
        return refuse(Failure::Expired);
    if (*nbf - kLeewaySeconds > nowSeconds || *iat - kLeewaySeconds > nowSeconds)
        return refuse(Failure::NotYetValid);

    claims.issuer = *iss;
    claims.audience = m_audience;
    claims.subject = *sub;
    claims.role = *role;
    claims.organizationId = *org;
    claims.sessionId = *sid;
    claims.tokenId = *jti;
    claims.issuedAt = QDateTime::fromSecsSinceEpoch(*iat, Qt::UTC);
    claims.notBefore = QDateTime::fromSecsSinceEpoch(*nbf, Qt::UTC);
    claims.expiresAt = QDateTime::fromSecsSinceEpoch(*exp, Qt::UTC);
    return claims;
}

} // namespace md::security
