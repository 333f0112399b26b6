#pragma once

#include <QString>

namespace md::security {

/// The strength rules of new passwords (OWASP ASVS 4.0.3 V2.1): at least 10
/// characters, at most 72 UTF-8 bytes (bcrypt's limit; no silent truncation), not one
/// of the shipped common passwords (resources/security/common-passwords.txt, at least
/// 10,000 entries, compared case-insensitively), and not containing the user's name
/// (any part of 3+ letters) or the local part of their e-mail address.
/// Returns an empty string when acceptable, else a sentence for the user.
QString passwordProblem(const QString &password, const QString &userName = {},
                        const QString &email = {});

/// How many common passwords the shipped list holds (for tests and docs).
int commonPasswordCount();

} // namespace md::security
