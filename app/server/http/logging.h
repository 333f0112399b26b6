#pragma once

#include <QByteArrayView>
#include <QHostAddress>
#include <QString>
#include <string>

namespace md::server::logging {

/// trace, debug, info, warn (warning), error, critical, off.
bool isValidLevel(const QString &level);

/// Sends spdlog's default logger and Qt's own messages (qWarning from QtSql, QtNetwork)
/// to standard error at that level. Call once from main; tests may skip it.
void setup(const QString &level);

/// The one access-log line per request. The path is logged without its query string
/// (it may carry secrets) and with control characters escaped. `client` is the client's
/// address (X-Forwarded-For of a trusted proxy, else the peer); `peer`, when given and
/// different, is logged as the proxy it came through.
void access(QByteArrayView method, QByteArrayView rawPath, int status, double milliseconds,
            const QString &requestId, const QHostAddress &client, QByteArrayView note = {},
            const QHostAddress &peer = {});

/// Printable, bounded form of untrusted bytes for a log line.
std::string printable(QByteArrayView bytes, qsizetype maxBytes = 256);

} // namespace md::server::logging
