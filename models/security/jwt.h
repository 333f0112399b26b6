#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <memory>
#include <optional>

namespace md::security {

/// The claims of a MedDispatch access token (API.md).
struct AccessClaims
{
    QString issuer;         // iss: the server's public URL
    QString audience;       // aud: "meddispatch"
    QString subject;        // sub: user id
    QString role;           // role wire name
    QString organizationId; // org: empty for platform roles
    QString sessionId;      // sid: the refresh-token family
    QString tokenId;        // jti
    QDateTime issuedAt;     // iat
    QDateTime notBefore;    // nbf
    QDateTime expiresAt;    // exp
};

/// The RS256 signing keys of this server. The current key is a 2048-bit RSA key
/// generated on first start into `<dataDir>/jwt-signing-key.pem` (0600, see
/// secretfile.h); `kid` is the base64url SHA-256 of the public key's DER (first 16
/// bytes). Older keys placed beside it as `jwt-signing-key.<anything>.pem` still verify
/// and are published, so keys can be rotated without signing everyone out.
class JwtKeys final
{
public:
    /// Throws std::runtime_error when the key cannot be read, created, or is weak
    /// (< 2048 bits) or not RSA.
    static std::shared_ptr<const JwtKeys> loadOrCreate(const QString &dataDir);
    /// A fresh in-memory key (tests, benchmarks).
    static std::shared_ptr<const JwtKeys> generate(int bits = 2048);
    ~JwtKeys();

    QString currentKeyId() const;
    QList<QString> keyIds() const;
    /// {"keys": [{"kty":"RSA","use":"sig","alg":"RS256","kid","n","e"}, ...]}
    QJsonObject jwks() const;
    /// The PEM of one public key (tests that forge tokens with it).
    QByteArray publicKeyPem(const QString &keyId) const;

    struct Private;
    explicit JwtKeys(std::unique_ptr<Private> d);
    const Private &impl() const { return *d; }

private:
    std::unique_ptr<Private> d;
};

/// Signs and verifies access tokens (RFC 8725). Thread-safe; verification takes ~20 µs.
class JwtCodec final
{
public:
    JwtCodec(std::shared_ptr<const JwtKeys> keys, QString issuer, QString audience);

    /// header {"alg":"RS256","typ":"JWT","kid":current}; payload from claims, with iss
    /// and aud taken from this codec when the claims leave them empty. sub, jti, role and
    /// the three times are required (std::invalid_argument otherwise); times are whole
    /// seconds; org and sid are left out when empty.
    QByteArray sign(const AccessClaims &claims) const;

    enum class Failure
    {
        Malformed,   // not three base64url parts of JSON objects
        Algorithm,   // alg other than RS256 (none, HS256, ...), typ not JWT, or "crit"
        UnknownKey,  // kid missing or not one of ours
        Signature,   // does not verify with that key
        Claims,      // iss/aud wrong, required claim missing or of the wrong type
        Expired,     // exp + leeway <= now
        NotYetValid, // nbf or iat - leeway > now
    };
    /// At most 60 s leeway on exp/nbf/iat. Access tokens only: anything else
    /// (refresh tokens are opaque, not JWTs; anything over 8 KiB) fails as Malformed.
    std::optional<AccessClaims> verify(QByteArrayView token, const QDateTime &now,
                                       Failure *failure = nullptr) const;

    const QString &issuer() const { return m_issuer; }
    const QString &audience() const { return m_audience; }
    const JwtKeys &keys() const { return *m_keys; }
    static constexpr int kLeewaySeconds = 60;

private:
    std::shared_ptr<const JwtKeys> m_keys;
    QString m_issuer;
    QString m_audience;
};

} // namespace md::security
