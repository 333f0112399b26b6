#pragma once

#include <QHostAddress>
#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <optional>

namespace md::server {

/// Configuration of meddispatch-server. Precedence: command-line flags override
/// MEDDISPATCH_* environment variables, which override an optional INI config file
/// (--config / MEDDISPATCH_CONFIG) whose keys are the variable names without the
/// MEDDISPATCH_ prefix, lower-cased (listen = 127.0.0.1:8080).
struct ServerConfig
{
    QHostAddress listenAddress = QHostAddress::LocalHost;
    quint16 listenPort = 8080;
    QString database;  // SQLite path or postgresql:// URL; empty -> <dataDir>/meddispatch.sqlite
    QString dataDir;   // empty -> QStandardPaths::AppDataLocation
    QString publicUrl; // empty -> http://<listen>
    QString twilioAccountSid;
    QString twilioAuthToken;
    QString twilioApiBase = QStringLiteral("https://api.twilio.com");
    QString twilioSmsFrom;
    QString twilioWhatsappFrom;
    QString sendgridApiKey;
    QString sendgridApiBase = QStringLiteral("https://api.sendgrid.com");
    QString emailFrom;
    QList<std::pair<QHostAddress, int>> trustedProxies; // subnets
    bool demo = false;            // --demo: seed the demo data set before serving
    int workerThreads = 0;        // 0 -> max(2, ideal thread count)
    int maxPendingRequests = 256; // beyond this, 503 at once instead of queueing
    int idleTimeoutSeconds = 15;  // keep-alive and slow-header connections closed after
    QString logLevel = QStringLiteral("info");

    // Authentication and protection (issue 3). Flags in brackets.
    int rateLimitPerMinute = 100; // MEDDISPATCH_RATE_LIMIT [--rate-limit]: requests per client
                                  // IP per minute, shared by all instances; 0 off
    QStringList corsOrigins;    // MEDDISPATCH_CORS_ORIGINS [--cors-origins]: comma-separated exact
                                // origins, normalized to https://host[:port]; no "*" or "null"
    QString tlsCertificateFile; // MEDDISPATCH_TLS_CERT [--tls-cert]: PEM; with the key, HTTPS only
    QString tlsKeyFile;         // MEDDISPATCH_TLS_KEY [--tls-key]: PEM private key (0600)
    bool developmentMode = false; // MEDDISPATCH_DEV_MODE [--dev]: outbox logs OTP codes unmasked
    int passwordHashThreads = 0;  // MEDDISPATCH_HASH_THREADS [--hash-threads]: bcrypt pool;
                                  // 0 -> ideal thread count
    int maxPendingPasswordChecks = 32; // MEDDISPATCH_MAX_PENDING_LOGINS [--max-pending-logins]:
                                       // beyond: 503 at once

    /// Parses flags (--listen, --database, --data-dir, --config, --demo, --dev,
    /// --log-level, --workers, ...; see helpText()), the environment and the config file.
    /// nullopt with *error on bad input (TLS certificate and key must come together).
    static std::optional<ServerConfig> load(const QStringList &arguments,
                                            const QProcessEnvironment &environment, QString *error);
    /// The --help text: flags, environment variables, config file.
    static QString helpText();
    /// "host:port" of the listen address (IPv6 in brackets).
    QString listenText() const;

    /// A TLS certificate and key are configured: the server speaks HTTPS only.
    bool servesTls() const;
    /// The resolved data directory / database / public URL (defaults applied; the
    /// default public URL is https:// when serving TLS).
    QString effectiveDataDir() const;
    QString effectiveDatabase() const;
    QString effectivePublicUrl() const;
};

} // namespace md::server
