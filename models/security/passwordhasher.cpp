#include "passwordhasher.h"

#include "digest.h"
#include "random.h"

#include <openssl/crypto.h>

#include <crypt.h>

#include <memory>
#include <optional>
#include <stdexcept>

namespace md::security {

namespace {

constexpr qsizetype kHashLength = 60; // "$2b$" + 2 cost digits + "$" + 22 salt + 31 hash
constexpr int kMinCost = 4;
constexpr int kMaxCost = 31;

struct ParsedHash
{
    char minor; // 'a' or 'b'
    int cost;
};

bool isBcryptBase64(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '/';
}

/// The shape of a "$2a$" or "$2b$" hash, checked before libxcrypt sees it.
std::optional<ParsedHash> parse(QByteArrayView h)
{
    if (h.size() != kHashLength || h[0] != '$' || h[1] != '2' || (h[2] != 'a' && h[2] != 'b') ||
        h[3] != '$' || h[6] != '$')
        return std::nullopt;
    if (h[4] < '0' || h[4] > '9' || h[5] < '0' || h[5] > '9')
        return std::nullopt;
    const int cost = (h[4] - '0') * 10 + (h[5] - '0');
    if (cost < kMinCost || cost > kMaxCost)
        return std::nullopt;
    for (qsizetype i = 7; i < kHashLength; ++i)
        if (!isBcryptBase64(h[i]))
            return std::nullopt;
    return ParsedHash{h[2], cost};
}

/// crypt_data is about 32 KiB: on the heap, and wiped afterwards because it holds the
/// expanded key schedule of the password.
struct CryptScratch
{
    CryptScratch() : data(std::make_unique<crypt_data>()) {}
    ~CryptScratch() { OPENSSL_cleanse(data.get(), sizeof(crypt_data)); }
    CryptScratch(const CryptScratch &) = delete;
    CryptScratch &operator=(const CryptScratch &) = delete;
    std::unique_ptr<crypt_data> data;
};

/// crypt() reads a C string; the copy is NUL-terminated and wiped on destruction.
struct Phrase
{
    explicit Phrase(QByteArrayView password) : bytes(password.toByteArray()) {}
    ~Phrase()
    {
        if (!bytes.isEmpty())
            OPENSSL_cleanse(bytes.data(), size_t(bytes.size()));
    }
    Phrase(const Phrase &) = delete;
    Phrase &operator=(const Phrase &) = delete;
    QByteArray bytes;
};

/// crypt_rn with a setting: a full stored hash (to verify) or a fresh salt (to hash).
QByteArray runCrypt(QByteArrayView password, const char *setting)
{
    const Phrase phrase(password);
    CryptScratch scratch;
    const char *result =
        crypt_rn(phrase.bytes.constData(), setting, scratch.data.get(), int(sizeof(crypt_data)));
    if (result == nullptr || result[0] == '*')
        return {};
    return QByteArray(result);
}

bool acceptablePassword(QByteArrayView password)
{
    // A NUL would end the C string crypt() reads: "abc\0xyz" would hash as "abc".
    return password.size() <= PasswordHasher::kMaxPasswordBytes && !password.contains('\0');
}

} // namespace

QByteArray PasswordHasher::hash(QByteArrayView password, int cost)
{
    if (password.size() > kMaxPasswordBytes)
        throw PasswordTooLong();
    if (password.contains('\0'))
        throw std::invalid_argument("password contains a NUL byte");
    if (cost < kMinCost || cost > kMaxCost)
        throw std::invalid_argument("bcrypt cost out of range 4..31");

    const QByteArray entropy = randomBytes(16);
    char setting[CRYPT_GENSALT_OUTPUT_SIZE];
    if (crypt_gensalt_rn("$2b$", static_cast<unsigned long>(cost), entropy.constData(),
                         int(entropy.size()), setting, int(sizeof setting)) == nullptr)
        throw std::runtime_error("crypt_gensalt_rn failed for bcrypt");

    QByteArray result = runCrypt(password, setting);
    if (!parse(result))
        throw std::runtime_error("crypt_rn failed for bcrypt");
    return result;
}

bool PasswordHasher::verify(QByteArrayView password, QByteArrayView storedHash)
{
    if (!acceptablePassword(password) || !parse(storedHash))
        return false;
    const QByteArray setting = storedHash.toByteArray(); // NUL-terminated
    const QByteArray computed = runCrypt(password, setting.constData());
    return constantTimeEquals(computed, storedHash);
}

bool PasswordHasher::needsRehash(QByteArrayView storedHash, int cost)
{
    const auto parsed = parse(storedHash);
    return !parsed || parsed->minor != 'b' || parsed->cost < cost;
}

const QByteArray &PasswordHasher::dummyHash()
{
    static const QByteArray dummy = hash(randomBytes(24).toBase64(), kDefaultCost);
    return dummy;
}

} // namespace md::security
