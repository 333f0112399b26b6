#pragma once

#include <QByteArrayView>
#include <QDateTime>
#include <QObject>
#include <QString>
#include <chrono>
#include <memory>
#include <optional>

namespace md::server {

/// A message to a person: an OTP or a notice.
struct OutboundMessage
{
    enum class Channel
    {
        Sms,
        WhatsApp,
        Email
    };
    Channel channel = Channel::Sms;
    QString to;      // E.164 phone (SMS, WhatsApp) or e-mail address
    QString subject; // e-mail only
    QString body;    // plain text
    /// Sending the same key twice sends once (the OTP record id, for example). A key is
    /// remembered whatever the outcome: after a failure the caller sends a new message
    /// (a new code) under a new key. Empty: no deduplication.
    QString dedupeKey;
    /// A secret inside body (the OTP code): masked wherever the message is logged,
    /// unless the server runs in development mode.
    QString secret;
};

struct NotifierConfig
{
    QString twilioAccountSid;
    QString twilioAuthToken;
    QString twilioApiBase = QStringLiteral("https://api.twilio.com");
    QString twilioSmsFrom;
    QString twilioWhatsappFrom;
    QString sendgridApiKey;
    QString sendgridApiBase = QStringLiteral("https://api.sendgrid.com");
    QString emailFrom;
    bool developmentMode = false; // the log outbox shows secrets
    std::chrono::milliseconds requestTimeout{10000};
    int maxAttempts = 4; // first try + retries
    std::chrono::milliseconds initialBackoff{500};
    std::chrono::milliseconds maxBackoff{30000};
    /// How many recent dedupe keys are remembered (oldest forgotten first).
    int dedupeCapacity = 4096;
};

/// Delivers messages through Twilio (SMS, WhatsApp) and SendGrid (e-mail) REST APIs
/// with QNetworkAccessManager on its own thread; a channel without credentials goes
/// to the log outbox instead (one spdlog line, recipient and secret masked).
///
/// send() is thread-safe and returns at once (handlers on worker threads call it).
/// Retries with exponential backoff (doubling from initialBackoff up to maxBackoff, each
/// wait between half and all of that step) on connection failures before the request was
/// sent, 429 and 5xx, at most maxAttempts in all. Such an answer waits at least what
/// Retry-After / X-RateLimit-Reset asks; asked for more than maxBackoff, it fails at once
/// (a code that late is useless). Other 4xx fail at once. A timeout or a dropped
/// connection after the request was sent is not retried, since the provider may have
/// accepted it: a duplicate text is worse than a missing one (the user can ask for a
/// new code). Never logs the full recipient, the secret or a credential; provider errors
/// are logged as status and provider error code, never a body.
class Notifier final : public QObject
{
    Q_OBJECT
public:
    explicit Notifier(NotifierConfig config, QObject *parent = nullptr);
    ~Notifier() override; // stops the thread; undelivered messages are logged as dropped

    void send(OutboundMessage message);
    /// True when the channel has credentials (else it goes to the log outbox).
    bool configured(OutboundMessage::Channel channel) const;
    /// Waits until nothing is queued, in flight or waiting to retry (tests, shutdown).
    bool waitForIdle(std::chrono::milliseconds timeout);

    struct Stats
    {
        quint64 delivered = 0;  // accepted by the provider
        quint64 failed = 0;     // gave up
        quint64 retried = 0;    // attempts after the first
        quint64 outboxed = 0;   // written to the log outbox
        quint64 duplicates = 0; // dropped by dedupeKey
        quint64 dropped = 0;    // still queued, in flight or waiting to retry at shutdown
    };
    Stats stats() const;

Q_SIGNALS:
    /// Emitted on the notifier's thread.
    void delivered(const QString &dedupeKey, const QString &providerId);
    void failed(const QString &dedupeKey, const QString &reason);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

QString toString(OutboundMessage::Channel channel); // "sms", "whatsapp", "email"

/// The form of a recipient that may appear in a log line: "+44*******018",
/// "whatsapp:+44*******018", "a***@example.org".
QString maskRecipient(const QString &recipient);

/// How long a 429 (or 503) asks the client to wait: Retry-After as delay-seconds or an
/// HTTP-date, else SendGrid's X-RateLimit-Reset (Unix seconds). A time in the past gives
/// zero; nullopt when neither header says anything usable.
std::optional<std::chrono::milliseconds>
retryAfterDelay(QByteArrayView retryAfter, QByteArrayView rateLimitReset, const QDateTime &now);

} // namespace md::server
