#include "notifier.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QMetaEnum>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QSet>
#include <QThread>
#include <QTimeZone>
#include <QTimer>
#include <QUrl>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <limits>
#include <map>
#include <mutex>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

namespace md::server {

namespace {

using Channel = OutboundMessage::Channel;

constexpr QLatin1StringView kWhatsappPrefix("whatsapp:");
constexpr QLatin1StringView kMaskedSecret("******");

/// What a log line may show of user-controlled text: control and format characters
/// escaped, so that a message body cannot forge or hide log lines.
std::string loggable(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        if (c == u'\n') {
            out += u"\\n"_s;
        } else if (c == u'\r') {
            out += u"\\r"_s;
        } else if (c == u'\\') {
            out += u"\\\\"_s;
        } else if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format ||
                   c.category() == QChar::Separator_Line ||
                   c.category() == QChar::Separator_Paragraph) {
            out += u"\\u{"_s + QString::number(c.unicode(), 16) + u'}';
        } else {
            out += c;
        }
    }
    return out.toStdString();
}

/// Provider-supplied identifiers in a log line: a bounded run of harmless characters.
QString providerToken(const QString &text)
{
    QString out;
    for (const QChar c : text.left(64)) {
        if (c.isLetterOrNumber() || c == u'.' || c == u'_' || c == u'-' || c == u'[' || c == u']')
            out += c;
    }
    return out;
}

QString maskSecret(QString text, const QString &secret)
{
    if (!secret.isEmpty())
        text.replace(secret, kMaskedSecret);
    return text;
}

QString withoutWhatsappPrefix(const QString &address)
{
    return address.startsWith(kWhatsappPrefix) ? address.mid(kWhatsappPrefix.size()) : address;
}

QString whatsappAddress(const QString &address)
{
    return kWhatsappPrefix + withoutWhatsappPrefix(address);
}

bool configuredFor(const NotifierConfig &config, Channel channel)
{
    const bool twilio = !config.twilioAccountSid.isEmpty() && !config.twilioAuthToken.isEmpty();
    switch (channel) {
    case Channel::Sms:
        return twilio && !config.twilioSmsFrom.isEmpty();
    case Channel::WhatsApp:
        return twilio && !config.twilioWhatsappFrom.isEmpty();
    case Channel::Email:
        return !config.sendgridApiKey.isEmpty() && !config.emailFrom.isEmpty();
    }
    return false;
}

QUrl endpoint(QString base, const QString &path)
{
    while (base.endsWith(u'/'))
        base.chop(1);
    return QUrl(base + path);
}

/// application/x-www-form-urlencoded. QUrlQuery would leave '+' alone, which a form
/// decoder reads as a space: "+447700900018" would arrive as " 447700900018".
QByteArray formEncode(std::initializer_list<std::pair<QByteArrayView, QString>> fields)
{
    QByteArray out;
    for (const auto &[name, value] : fields) {
        if (!out.isEmpty())
            out += '&';
        out += name;
        out += '=';
        out += QUrl::toPercentEncoding(value);
    }
    return out;
}

/// "Name <address>" or a bare address, as SendGrid's {"email", "name"} object.
QJsonObject emailAddress(const QString &text)
{
    const qsizetype open = text.lastIndexOf(u'<');
    const qsizetype close = text.lastIndexOf(u'>');
    if (open < 0 || close < open)
        return {{u"email"_s, text.trimmed()}};
    QJsonObject address{{u"email"_s, text.mid(open + 1, close - open - 1).trimmed()}};
    QString name = text.left(open).trimmed();
    if (name.size() >= 2 && name.startsWith(u'"') && name.endsWith(u'"'))
        name = name.mid(1, name.size() - 2);
    if (!name.isEmpty())
        address.insert(u"name"_s, name);
    return address;
}

/// The provider's error code from an error answer, never its message: Twilio's messages
/// quote the recipient ("The 'To' number +44... is not a valid phone number").
QString providerErrorCode(Channel channel, const QByteArray &answer)
{
    const QJsonObject object = QJsonDocument::fromJson(answer).object();
    if (channel != Channel::Email) {
        const QJsonValue code = object.value(u"code"_s);
        return code.isDouble() ? u"twilio error "_s + QString::number(code.toInteger()) : QString();
    }
    QStringList fields;
    const QJsonArray errors = object.value(u"errors"_s).toArray();
    for (const QJsonValue &error : errors) {
        const QString field = providerToken(error.toObject().value(u"field"_s).toString());
        if (!field.isEmpty() && !fields.contains(field))
            fields.append(field);
        if (fields.size() == 4)
            break;
    }
    return fields.isEmpty() ? QString() : u"sendgrid error in "_s + fields.join(u", "_s);
}

QDateTime parseHttpDate(const QString &text)
{
    // IMF-fixdate (what servers send), then RFC 850 and asctime, which clients must accept.
    static const QString formats[] = {u"ddd, dd MMM yyyy HH:mm:ss 'GMT'"_s,
                                      u"dddd, dd-MMM-yy HH:mm:ss 'GMT'"_s,
                                      u"ddd MMM d HH:mm:ss yyyy"_s};
    const QString simplified = text.simplified();
    const QLocale c = QLocale::c();
    for (const QString &format : formats) {
        const QDateTime parsed = c.toDateTime(simplified, format);
        if (parsed.isValid())
            return QDateTime(parsed.date(), parsed.time(), QTimeZone::utc());
    }
    return {};
}

QString networkErrorName(QNetworkReply::NetworkError error)
{
    const char *key = QMetaEnum::fromType<QNetworkReply::NetworkError>().valueToKey(error);
    return key ? QString::fromLatin1(key) : u"NetworkError "_s + QString::number(int(error));
}

/// State shared by the caller's side of Notifier and the worker thread.
struct SharedState
{
    std::mutex mutex;
    std::condition_variable idle;
    Notifier::Stats stats;
    int pending = 0; // queued, in flight or waiting to retry
    QSet<QString> recentKeys;
    std::deque<QString> keyOrder;
    std::atomic<bool> stopping = false;

    void finishOne()
    {
        {
            std::lock_guard lock(mutex);
            --pending;
        }
        idle.notify_all();
    }
};

/// Lives on the notifier's thread with the QNetworkAccessManager; every member function
/// runs there.
class DeliveryWorker final : public QObject
{
public:
    DeliveryWorker(Notifier *notifier, const NotifierConfig &config, SharedState &state)
        : m_notifier(notifier), m_config(config), m_state(state)
    {}

    void deliver(const OutboundMessage &message);
    void shutdown();

private:
    struct Job
    {
        OutboundMessage message;
        int attempt = 0;   // 1-based number of the attempt in flight or last made
        bool sent = false; // the current attempt's request reached the socket
        QNetworkReply *reply = nullptr;
        QTimer *retryTimer = nullptr;
    };

    QNetworkAccessManager *network();
    void startAttempt(quint64 id);
    void onFinished(quint64 id);
    void retryOrFail(quint64 id, const QString &reason, std::optional<milliseconds> asked);
    void succeed(quint64 id, const QString &providerId);
    void fail(quint64 id, const QString &reason);
    void writeToOutbox(const OutboundMessage &message);
    QNetworkRequest twilioRequest(const OutboundMessage &message, QByteArray *body) const;
    QNetworkRequest sendgridRequest(const OutboundMessage &message, QByteArray *body) const;
    milliseconds backoff(int failedAttempt) const;
    int maxAttempts() const { return std::max(1, m_config.maxAttempts); }

    Notifier *m_notifier;
    const NotifierConfig &m_config;
    SharedState &m_state;
    QNetworkAccessManager *m_network = nullptr;
    std::map<quint64, Job> m_jobs;
    quint64 m_nextId = 0;
};

QNetworkAccessManager *DeliveryWorker::network()
{
    if (!m_network)
        m_network = new QNetworkAccessManager(this);
    return m_network;
}

void DeliveryWorker::deliver(const OutboundMessage &message)
{
    if (m_state.stopping) {
        spdlog::warn("notify: {} to {} dropped: shutting down before it was sent",
                     toString(message.channel).toStdString(), loggable(maskRecipient(message.to)));
        {
            std::lock_guard lock(m_state.mutex);
            ++m_state.stats.dropped;
        }
        m_state.finishOne();
        return;
    }
    if (!configuredFor(m_config, message.channel)) {
        writeToOutbox(message);
        return;
    }
    const quint64 id = ++m_nextId;
    m_jobs.emplace(id, Job{message});
    startAttempt(id);
}

void DeliveryWorker::writeToOutbox(const OutboundMessage &message)
{
    const auto shown = [&](const QString &text) {
        return loggable(m_config.developmentMode ? text : maskSecret(text, message.secret));
    };
    if (message.channel == Channel::Email) {
        spdlog::info("notify outbox: email to {} subject \"{}\": {}",
                     loggable(maskRecipient(message.to)), shown(message.subject),
                     shown(message.body));
    } else {
        spdlog::info("notify outbox: {} to {}: {}", toString(message.channel).toStdString(),
                     loggable(maskRecipient(message.to)), shown(message.body));
    }
    {
        std::lock_guard lock(m_state.mutex);
        ++m_state.stats.outboxed;
    }
    m_state.finishOne();
}

QNetworkRequest DeliveryWorker::twilioRequest(const OutboundMessage &message,
                                              QByteArray *body) const
{
    const bool whatsapp = message.channel == Channel::WhatsApp;
    const QString to = whatsapp ? whatsappAddress(message.to) : message.to;
    const QString from =
        whatsapp ? whatsappAddress(m_config.twilioWhatsappFrom) : m_config.twilioSmsFrom;
    *body = formEncode({{"To", to}, {"From", from}, {"Body", message.body}});

    const QString sid = QString::fromLatin1(QUrl::toPercentEncoding(m_config.twilioAccountSid));
    QNetworkRequest request(
        endpoint(m_config.twilioApiBase, u"/2010-04-01/Accounts/"_s + sid + u"/Messages.json"_s));
    request.setHeader(QNetworkRequest::ContentTypeHeader,
                      QByteArrayLiteral("application/x-www-form-urlencoded"));
    const QByteArray credentials =
        QByteArray(m_config.twilioAccountSid.toUtf8() + ':' + m_config.twilioAuthToken.toUtf8());
    request.setRawHeader("Authorization", QByteArray("Basic " + credentials.toBase64()));
    return request;
}

QNetworkRequest DeliveryWorker::sendgridRequest(const OutboundMessage &message,
                                                QByteArray *body) const
{
    const QJsonObject recipient{{u"email"_s, message.to}};
    const QJsonObject personalization{{u"to"_s, QJsonArray{recipient}}};
    const QJsonObject content{{u"type"_s, u"text/plain"_s}, {u"value"_s, message.body}};
    const QJsonObject mail{
        {u"personalizations"_s, QJsonArray{personalization}},
        {u"from"_s, emailAddress(m_config.emailFrom)},
        {u"subject"_s, message.subject.isEmpty() ? u"MedDispatch"_s : message.subject},
        {u"content"_s, QJsonArray{content}},
    };
    *body = QJsonDocument(mail).toJson(QJsonDocument::Compact);

    QNetworkRequest request(endpoint(m_config.sendgridApiBase, u"/v3/mail/send"_s));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("Authorization", QByteArray("Bearer " + m_config.sendgridApiKey.toUtf8()));
    return request;
}

void DeliveryWorker::startAttempt(quint64 id)
{
    Job &job = m_jobs.at(id);
    ++job.attempt;
    job.sent = false;
    if (job.attempt > 1) {
        std::lock_guard lock(m_state.mutex);
        ++m_state.stats.retried;
    }

    QByteArray body;
    QNetworkRequest request = job.message.channel == Channel::Email
                                  ? sendgridRequest(job.message, &body)
                                  : twilioRequest(job.message, &body);
    request.setRawHeader("Accept", "application/json");
    request.setHeader(QNetworkRequest::UserAgentHeader,
                      QByteArrayLiteral("MedDispatch/" MEDDISPATCH_VERSION));
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(int(
        std::clamp<qint64>(m_config.requestTimeout.count(), 1, std::numeric_limits<int>::max())));

    QNetworkReply *reply = network()->post(request, body);
    job.reply = reply;
    // Whether the request reached the socket decides what a later timeout means.
    connect(reply, &QNetworkReply::requestSent, this, [this, id] {
        if (const auto it = m_jobs.find(id); it != m_jobs.end())
            it->second.sent = true;
    });
    connect(reply, &QNetworkReply::uploadProgress, this, [this, id](qint64 bytesSent, qint64) {
        if (const auto it = m_jobs.find(id); it != m_jobs.end() && bytesSent > 0)
            it->second.sent = true;
    });
    connect(reply, &QNetworkReply::finished, this, [this, id] { onFinished(id); });
}

void DeliveryWorker::onFinished(quint64 id)
{
    const auto it = m_jobs.find(id);
    if (it == m_jobs.end() || !it->second.reply)
        return;
    Job &job = it->second;
    QNetworkReply *reply = std::exchange(job.reply, nullptr);
    reply->deleteLater();
    const Channel channel = job.message.channel;

    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status >= 200 && status < 300) {
        QString providerId;
        if (channel == Channel::Email) {
            providerId = QString::fromLatin1(reply->rawHeader("X-Message-Id"));
        } else {
            providerId =
                QJsonDocument::fromJson(reply->readAll()).object().value(u"sid"_s).toString();
        }
        succeed(id, providerToken(providerId));
        return;
    }
    if (status != 0) {
        const QString code = providerErrorCode(channel, reply->readAll());
        const QString reason = u"http "_s + QString::number(status) +
                               (code.isEmpty() ? QString() : u" ("_s + code + u')');
        if (status == 429 || status >= 500) {
            retryOrFail(id, reason,
                        retryAfterDelay(reply->rawHeader("Retry-After"),
                                        reply->rawHeader("X-RateLimit-Reset"),
                                        QDateTime::currentDateTimeUtc()));
        } else {
            fail(id, reason); // the provider refused this message; sending it again won't help
        }
        return;
    }

    const QNetworkReply::NetworkError error = reply->error();
    if (job.sent) {
        // The provider may have accepted the message and only the answer was lost. A
        // duplicate text is worse than a missing one: the user can ask for a new code.
        const QString what =
            error == QNetworkReply::TimeoutError || error == QNetworkReply::OperationCanceledError
                ? u"timed out"_s
                : networkErrorName(error);
        fail(id, what + u" after the request was sent (not retried: the provider may have "
                        u"accepted it)"_s);
        return;
    }
    switch (error) {
    case QNetworkReply::SslHandshakeFailedError:
    case QNetworkReply::ProtocolUnknownError:
    case QNetworkReply::ProtocolInvalidOperationError:
    case QNetworkReply::ProtocolFailure:
        fail(id, networkErrorName(error)); // configuration, not weather
        return;
    default:
        retryOrFail(id, networkErrorName(error) + u" before the request was sent"_s, {});
        return;
    }
}

milliseconds DeliveryWorker::backoff(int failedAttempt) const
{
    const qint64 initial = std::max<qint64>(0, m_config.initialBackoff.count());
    const qint64 cap = std::max<qint64>(initial, m_config.maxBackoff.count());
    qint64 base = initial;
    for (int i = 1; i < failedAttempt && base < cap; ++i)
        base *= 2;
    base = std::min(base, cap);
    // "Equal jitter": at least half the exponential step, so that retries still spread out
    // and never come back at once.
    const qint64 half = base / 2;
    return milliseconds(half + qint64(QRandomGenerator::global()->bounded(double(base - half))));
}

void DeliveryWorker::retryOrFail(quint64 id, const QString &reason,
                                 std::optional<milliseconds> asked)
{
    Job &job = m_jobs.at(id);
    if (job.attempt >= maxAttempts()) {
        fail(id, reason + u", gave up after "_s + QString::number(job.attempt) + u" attempts"_s);
        return;
    }
    milliseconds delay = backoff(job.attempt);
    if (asked) {
        // A wait beyond the cap is a one-time code expiring in the queue: give up instead.
        if (*asked > m_config.maxBackoff) {
            fail(id, reason + u", provider asked to wait "_s + QString::number(asked->count()) +
                         u" ms, longer than the backoff cap"_s);
            return;
        }
        const qint64 spread = std::min<qint64>(asked->count() / 10, 1000);
        const auto jittered =
            *asked + milliseconds(qint64(QRandomGenerator::global()->bounded(double(spread))));
        delay = std::max(delay, jittered);
    }
    spdlog::warn("notify: {} to {}: {}; retry {}/{} in {} ms",
                 toString(job.message.channel).toStdString(),
                 loggable(maskRecipient(job.message.to)), reason.toStdString(), job.attempt + 1,
                 maxAttempts(), delay.count());

    auto *timer = new QTimer(this);
    timer->setSingleShot(true);
    timer->setTimerType(Qt::PreciseTimer); // coarse timers may fire 5% early: Retry-After
    connect(timer, &QTimer::timeout, this, [this, id, timer] {
        timer->deleteLater();
        if (const auto it = m_jobs.find(id); it != m_jobs.end()) {
            it->second.retryTimer = nullptr;
            startAttempt(id);
        }
    });
    job.retryTimer = timer;
    timer->start(delay);
}

void DeliveryWorker::succeed(quint64 id, const QString &providerId)
{
    const auto node = m_jobs.extract(id);
    const Job &job = node.mapped();
    spdlog::info("notify: {} to {} accepted by {} as {} (attempt {})",
                 toString(job.message.channel).toStdString(),
                 loggable(maskRecipient(job.message.to)),
                 job.message.channel == Channel::Email ? "sendgrid" : "twilio",
                 providerId.toStdString(), job.attempt);
    {
        std::lock_guard lock(m_state.mutex);
        ++m_state.stats.delivered;
    }
    Q_EMIT m_notifier->delivered(job.message.dedupeKey, providerId);
    m_state.finishOne();
}

void DeliveryWorker::fail(quint64 id, const QString &reason)
{
    const auto node = m_jobs.extract(id);
    const Job &job = node.mapped();
    spdlog::warn("notify: {} to {} failed: {}", toString(job.message.channel).toStdString(),
                 loggable(maskRecipient(job.message.to)), reason.toStdString());
    {
        std::lock_guard lock(m_state.mutex);
        ++m_state.stats.failed;
    }
    Q_EMIT m_notifier->failed(job.message.dedupeKey, reason);
    m_state.finishOne();
}

void DeliveryWorker::shutdown()
{
    for (auto &[id, job] : m_jobs) {
        const bool inFlight = job.reply != nullptr;
        if (job.reply) {
            QObject::disconnect(job.reply, nullptr, this, nullptr);
            job.reply->abort();
            delete job.reply;
        }
        delete job.retryTimer;
        spdlog::warn("notify: {} to {} dropped at shutdown ({}, attempt {} of {})",
                     toString(job.message.channel).toStdString(),
                     loggable(maskRecipient(job.message.to)),
                     inFlight ? "in flight: the provider may have received it" : "waiting to retry",
                     job.attempt, maxAttempts());
        {
            std::lock_guard lock(m_state.mutex);
            ++m_state.stats.dropped;
        }
        m_state.finishOne();
    }
    m_jobs.clear();
    delete m_network;
    m_network = nullptr;
}

} // namespace

struct Notifier::Private
{
    explicit Private(NotifierConfig c) : config(std::move(c)) {}

    const NotifierConfig config;
    SharedState state;
    QThread thread;
    DeliveryWorker *worker = nullptr; // deleted on its thread when the thread finishes
};

Notifier::Notifier(NotifierConfig config, QObject *parent)
    : QObject(parent), d(std::make_unique<Private>(std::move(config)))
{
    const auto route = [this](Channel channel) -> const char * {
        if (!configured(channel))
            return "log outbox";
        return channel == Channel::Email ? "sendgrid" : "twilio";
    };
    spdlog::info("notify: sms via {}, whatsapp via {}, email via {}", route(Channel::Sms),
                 route(Channel::WhatsApp), route(Channel::Email));
    if (d->config.developmentMode)
        spdlog::warn("notify: development mode, the log outbox shows one-time codes");

    d->worker = new DeliveryWorker(this, d->config, d->state);
    d->worker->moveToThread(&d->thread);
    connect(&d->thread, &QThread::finished, d->worker, &QObject::deleteLater);
    d->thread.setObjectName(u"notifier"_s);
    d->thread.start();
}

Notifier::~Notifier()
{
    d->state.stopping = true;
    if (d->thread.isRunning()) {
        // Queued deliveries ahead of this call are dropped (stopping), then the rest.
        QMetaObject::invokeMethod(
            d->worker, [worker = d->worker] { worker->shutdown(); }, Qt::BlockingQueuedConnection);
        d->thread.quit();
        d->thread.wait();
    }
}

void Notifier::send(OutboundMessage message)
{
    {
        std::lock_guard lock(d->state.mutex);
        if (d->state.stopping) {
            ++d->state.stats.dropped;
            spdlog::warn("notify: {} to {} dropped: shutting down",
                         toString(message.channel).toStdString(),
                         loggable(maskRecipient(message.to)));
            return;
        }
        if (!message.dedupeKey.isEmpty()) {
            if (d->state.recentKeys.contains(message.dedupeKey)) {
                ++d->state.stats.duplicates;
                spdlog::info("notify: {} to {} not sent again (duplicate key {})",
                             toString(message.channel).toStdString(),
                             loggable(maskRecipient(message.to)),
                             loggable(maskSecret(message.dedupeKey, message.secret)));
                return;
            }
            d->state.recentKeys.insert(message.dedupeKey);
            d->state.keyOrder.push_back(message.dedupeKey);
            while (d->state.keyOrder.size() > size_t(std::max(1, d->config.dedupeCapacity))) {
                d->state.recentKeys.remove(d->state.keyOrder.front());
                d->state.keyOrder.pop_front();
            }
        }
        ++d->state.pending;
    }
    QMetaObject::invokeMethod(
        d->worker, [worker = d->worker, message] { worker->deliver(message); },
        Qt::QueuedConnection);
}

bool Notifier::configured(OutboundMessage::Channel channel) const
{
    return configuredFor(d->config, channel);
}

bool Notifier::waitForIdle(std::chrono::milliseconds timeout)
{
    std::unique_lock lock(d->state.mutex);
    return d->state.idle.wait_for(lock, timeout, [this] { return d->state.pending == 0; });
}

Notifier::Stats Notifier::stats() const
{
    std::lock_guard lock(d->state.mutex);
    return d->state.stats;
}

QString toString(OutboundMessage::Channel channel)
{
    switch (channel) {
    case Channel::Sms:
        return u"sms"_s;
    case Channel::WhatsApp:
        return u"whatsapp"_s;
    case Channel::Email:
        return u"email"_s;
    }
    return u"unknown"_s;
}

QString maskRecipient(const QString &recipient)
{
    if (recipient.startsWith(kWhatsappPrefix))
        return kWhatsappPrefix + maskRecipient(recipient.mid(kWhatsappPrefix.size()));
    const qsizetype at = recipient.lastIndexOf(u'@');
    if (at >= 0)
        return recipient.left(std::min<qsizetype>(at, 1)) + u"***"_s + recipient.mid(at);
    // Phone numbers: country code and the last digits, enough to tell two apart.
    const qsizetype n = recipient.size();
    const qsizetype keep = n >= 10 ? 3 : (n >= 6 ? 2 : 0);
    return recipient.left(keep) + QString(n - 2 * keep, u'*') + recipient.right(keep);
}

std::optional<milliseconds> retryAfterDelay(QByteArrayView retryAfter,
                                            QByteArrayView rateLimitReset, const QDateTime &now)
{
    constexpr qint64 maxSeconds = 1'000'000'000; // far beyond any cap; no overflow
    const QByteArray after = retryAfter.toByteArray().trimmed();
    if (!after.isEmpty()) {
        bool isNumber = false;
        const qint64 seconds = after.toLongLong(&isNumber);
        if (isNumber)
            return milliseconds(std::clamp<qint64>(seconds, 0, maxSeconds) * 1000);
        const QDateTime when = parseHttpDate(QString::fromLatin1(after));
        if (when.isValid())
            return milliseconds(std::max<qint64>(0, now.msecsTo(when)));
    }
    const QByteArray reset = rateLimitReset.toByteArray().trimmed();
    if (!reset.isEmpty()) {
        bool isNumber = false;
        const qint64 epoch = reset.toLongLong(&isNumber);
        if (isNumber && epoch >= 0 && epoch < 100 * maxSeconds) {
            const QDateTime when = QDateTime::fromSecsSinceEpoch(epoch, QTimeZone::utc());
            return milliseconds(std::max<qint64>(0, now.msecsTo(when)));
        }
    }
    return std::nullopt;
}

} // namespace md::server
