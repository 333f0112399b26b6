#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace md::security {

QByteArray sha256(QByteArrayView data);
QByteArray hmacSha256(QByteArrayView key, QByteArrayView data);
QByteArray hmacSha1(QByteArrayView key, QByteArrayView data); // Twilio signatures
/// Compares without an early exit (CRYPTO_memcmp); different lengths are unequal.
bool constantTimeEquals(QByteArrayView a, QByteArrayView b);

QByteArray base64UrlEncode(QByteArrayView data); // unpadded
/// Strict: only the base64url alphabet, no padding, no whitespace; nullopt-like empty
/// result with *ok = false otherwise.
QByteArray base64UrlDecode(QByteArrayView text, bool *ok);

} // namespace md::security
