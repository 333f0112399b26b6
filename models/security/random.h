#pragma once

#include <QByteArray>
#include <QString>

namespace md::security {

/// Cryptographically secure random bytes from OpenSSL (RAND_bytes). Throws
/// std::runtime_error if the generator fails (it never silently falls back).
QByteArray randomBytes(int count);
/// `count` random bytes as unpadded base64url text (refresh tokens, ids of secrets).
QString randomToken(int count = 32);
/// `digits` decimal digits, each uniform (rejection sampling, no modulo bias).
QString randomDigits(int digits);

} // namespace md::security
