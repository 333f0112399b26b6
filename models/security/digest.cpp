#include "digest.h"

#include "opensslptr.h"

#include <openssl/crypto.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <array>

namespace md::security {

namespace {

// OpenSSL treats a null key pointer as "no key given", not as the empty key; an empty
// QByteArrayView may carry a null pointer, so empty inputs point here instead.
const unsigned char kEmpty[1] = {0};

const unsigned char *bytesOf(QByteArrayView v)
{
    return v.isEmpty() ? kEmpty : reinterpret_cast<const unsigned char *>(v.data());
}

QByteArray hmac(const EVP_MD *md, QByteArrayView key, QByteArrayView data)
{
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!HMAC(md, bytesOf(key), int(key.size()), bytesOf(data), size_t(data.size()), out, &length))
        detail::throwOpenSslError("HMAC failed");
    return QByteArray(reinterpret_cast<const char *>(out), qsizetype(length));
}

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr std::array<signed char, 256> makeDecodeTable()
{
    std::array<signed char, 256> table{};
    for (auto &v : table)
        v = -1;
    for (int i = 0; i < 64; ++i)
        table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<signed char>(i);
    return table;
}
constexpr auto kDecode = makeDecodeTable();

} // namespace

QByteArray sha256(QByteArrayView data)
{
    unsigned char out[SHA256_DIGEST_LENGTH];
    unsigned int length = 0;
    if (!EVP_Digest(bytesOf(data), size_t(data.size()), out, &length, EVP_sha256(), nullptr))
        detail::throwOpenSslError("SHA-256 failed");
    return QByteArray(reinterpret_cast<const char *>(out), qsizetype(length));
}

QByteArray hmacSha256(QByteArrayView key, QByteArrayView data)
{
    return hmac(EVP_sha256(), key, data);
}

QByteArray hmacSha1(QByteArrayView key, QByteArrayView data)
{
    return hmac(EVP_sha1(), key, data);
}

bool constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    if (a.isEmpty())
        return true;
    return CRYPTO_memcmp(a.data(), b.data(), size_t(a.size())) == 0;
}

QByteArray base64UrlEncode(QByteArrayView data)
{
    QByteArray out;
    out.reserve((data.size() * 4 + 2) / 3);
    const auto *p = reinterpret_cast<const unsigned char *>(data.data());
    const qsizetype n = data.size();
    qsizetype i = 0;
    for (; i + 3 <= n; i += 3) {
        const unsigned v = (unsigned(p[i]) << 16) | (unsigned(p[i + 1]) << 8) | p[i + 2];
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += kAlphabet[v & 63];
    }
    if (n - i == 1) {
        const unsigned v = unsigned(p[i]) << 16;
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
    } else if (n - i == 2) {
        const unsigned v = (unsigned(p[i]) << 16) | (unsigned(p[i + 1]) << 8);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
    }
    return out;
}

QByteArray base64UrlDecode(QByteArrayView text, bool *ok)
{
    const auto fail = [ok] {
        if (ok)
            *ok = false;
        return QByteArray();
    };
    // A lone trailing character carries only 6 bits: no byte can end there.
    if (text.size() % 4 == 1)
        return fail();
    QByteArray out;
    out.reserve(text.size() * 3 / 4);
    unsigned accumulator = 0;
    int bits = 0;
    for (const char c : text) {
        const int v = kDecode[static_cast<unsigned char>(c)];
        if (v < 0)
            return fail();
        accumulator = (accumulator << 6) | unsigned(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += char((accumulator >> bits) & 0xff);
        }
    }
    // Canonical form only: the unused low bits of the last character must be zero, so
    // each byte string has exactly one accepted spelling (no malleable signatures).
    if ((accumulator & ((1u << bits) - 1)) != 0)
        return fail();
    if (ok)
        *ok = true;
    return out;
}

} // namespace md::security
