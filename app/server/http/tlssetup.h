#pragma once

#include <QSslConfiguration>
#include <QString>
#include <QStringList>
#include <optional>

namespace md::server {

/// The HTTPS configuration of the server from PEM files: the certificate (leaf first,
/// then intermediates) and its unencrypted RSA or EC private key. TLS 1.2 or later,
/// HTTP/1.1 announced through ALPN, no client certificates.
///
/// nullopt with *error naming the file and the problem when a file cannot be read,
/// holds no usable certificate or key, or the key does not belong to the certificate.
/// *warnings (may be null) gets what deserves a log line but not a refusal to start:
/// an expired or not yet valid certificate, a key file readable by other users.
std::optional<QSslConfiguration> loadTlsConfiguration(const QString &certificateFile,
                                                      const QString &keyFile, QString *error,
                                                      QStringList *warnings = nullptr);

} // namespace md::server
