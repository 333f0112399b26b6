#pragma once

#include <QByteArray>
#include <QString>
#include <functional>

namespace md::security {

/// Reads the secret at `path`, or creates it with `create()` and writes it with 0600
/// permissions (created exclusively, so two processes starting together agree on one
/// value: the loser reads the winner's file). Refuses, with std::runtime_error, a file
/// that others can read or write. Used for the JWT signing key and the OTP HMAC key.
/// A missing parent directory is created (0700).
QByteArray loadOrCreateSecretFile(const QString &path, const std::function<QByteArray()> &create);

/// Reads an existing secret file with the same checks (a regular file, not readable or
/// writable by group or others, at most 1 MiB); throws std::runtime_error otherwise.
QByteArray readSecretFile(const QString &path);

} // namespace md::security
