#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <exception>

namespace md::security {

/// bcrypt through libxcrypt (crypt_gensalt_rn / crypt_rn): new hashes are "$2b$" with
/// cost 12; existing "$2a$" and "$2b$" hashes (imported from other systems) verify.
/// bcrypt reads only 72 bytes, so longer passwords are refused instead of silently
/// truncated: hash() throws PasswordTooLong and verify() answers false. Slow by design
/// (about 270 ms at cost 12): never call it on the server's event loop.
class PasswordHasher final
{
public:
    static constexpr int kDefaultCost = 12;
    static constexpr int kMaxPasswordBytes = 72;

    struct PasswordTooLong : std::exception
    {
        const char *what() const noexcept override { return "password longer than 72 bytes"; }
    };

    /// UTF-8 password -> "$2b$12$<53 chars>". Throws PasswordTooLong, std::invalid_argument
    /// for a NUL byte (crypt() would stop there) or a cost outside 4..31, or
    /// std::runtime_error when libxcrypt fails.
    static QByteArray hash(QByteArrayView password, int cost = kDefaultCost);
    /// Constant-time comparison of the recomputed hash; false for malformed hashes,
    /// unsupported schemes (only "$2a$" and "$2b$" verify) and passwords over 72 bytes or
    /// containing a NUL byte.
    static bool verify(QByteArrayView password, QByteArrayView storedHash);
    /// True when the stored hash uses another scheme or a lower cost than `cost`.
    static bool needsRehash(QByteArrayView storedHash, int cost = kDefaultCost);
    /// A valid hash of a random password, for spending the same time on unknown
    /// identifiers as on known ones.
    static const QByteArray &dummyHash();
};

} // namespace md::security
