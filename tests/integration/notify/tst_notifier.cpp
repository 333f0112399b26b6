// The Notifier against the loopback Twilio/SendGrid stand-in over real HTTP: request
// shapes and credentials, retry with backoff (5xx, 429 with Retry-After and
// X-RateLimit-Reset, refused connections), no retry where a duplicate text could follow
// (timeouts after sending, 4xx), deduplication, the log outbox and shutdown. After every
// test, no captured log line (spdlog or Qt) may hold a full recipient, a code or a
// credential.

#include "notify/notifier.h"
#include "testlib/providerstandin.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTest>

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <mutex>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using md::server::Notifier;
using md::server::NotifierConfig;
using md::server::OutboundMessage;
using md::testlib::ProviderStandIn;
using Behaviour = ProviderStandIn::Behaviour;
using Channel = OutboundMessage::Channel;

Q_DECLARE_METATYPE(OutboundMessage::Channel)

namespace {

const QString kPhone = u"+447700900018"_s;
const QString kMaskedPhone = u"+44*******018"_s;
const QString kEmail = u"alice@example.org"_s;
const QString kMaskedEmail = u"a***@example.org"_s;
const QString kCode = u"482913"_s;
const QString kBody = u"Your MedDispatch code is 482913. It expires in 10 minutes."_s;
const QString kAccountSid = u"AC0123456789abcdef0123456789abcdef"_s;
const QString kAuthToken = u"tw-auth-token-5f2c9e71"_s;
const QString kApiKey = u"SG.test-key.9d8e7f6a5b"_s;
const QString kSmsFrom = u"+15005550006"_s;
const QString kWhatsappFrom = u"+14155238886"_s;
const QByteArray kTwilioPrefix = "/2010-04-01/";
const QByteArray kMessagesPath =
    "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json";
const QByteArray kMailPath = "/v3/mail/send";

/// Every log line the code under test writes, spdlog's and Qt's.
class CapturingSink final : public spdlog::sinks::base_sink<std::mutex>
{
public:
    void add(const QString &line)
    {
        std::lock_guard lock(m_linesMutex);
        m_lines.append(line);
    }
    QStringList lines() const
    {
        std::lock_guard lock(m_linesMutex);
        return m_lines;
    }
    QStringList linesContaining(const QString &text) const { return lines().filter(text); }
    void clear()
    {
        std::lock_guard lock(m_linesMutex);
        m_lines.clear();
    }

protected:
    void sink_it_(const spdlog::details::log_msg &message) override
    {
        add(QString::fromUtf8(message.payload.data(), qsizetype(message.payload.size())));
    }
    void flush_() override {}

private:
    mutable std::mutex m_linesMutex;
    QStringList m_lines;
};

std::shared_ptr<CapturingSink> g_capture;
QtMessageHandler g_previousHandler = nullptr;

void captureQtMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    g_capture->add(message);
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

OutboundMessage otp(Channel channel, const QString &to, const QString &dedupeKey = {})
{
    OutboundMessage message;
    message.channel = channel;
    message.to = to;
    message.subject = u"Your MedDispatch sign-in code"_s;
    message.body = kBody;
    message.secret = kCode;
    message.dedupeKey = dedupeKey;
    return message;
}

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray twilioError(int code, int status)
{
    // Twilio's messages quote the recipient: the notifier must log the code only.
    return json({{u"code"_s, code},
                 {u"message"_s, QString(u"The 'To' number "_s + kPhone + u" is not valid."_s)},
                 {u"more_info"_s,
                  QString(u"https://www.twilio.com/docs/errors/"_s + QString::number(code))},
                 {u"status"_s, status}});
}

QByteArray sendgridError(const QString &message, const QJsonValue &field)
{
    const QJsonObject error{{u"message"_s, message}, {u"field"_s, field}};
    return json({{u"errors"_s, QJsonArray{error}}});
}

} // namespace

class TstNotifier final : public QObject
{
    Q_OBJECT

private:
    NotifierConfig config() const
    {
        NotifierConfig c;
        c.twilioAccountSid = kAccountSid;
        c.twilioAuthToken = kAuthToken;
        c.twilioApiBase = m_provider->baseUrl().toString();
        c.twilioSmsFrom = kSmsFrom;
        c.twilioWhatsappFrom = kWhatsappFrom;
        c.sendgridApiKey = kApiKey;
        c.sendgridApiBase = m_provider->baseUrl().toString() + u'/';
        c.emailFrom = u"MedDispatch <noreply@meddispatch.test>"_s;
        c.requestTimeout = 2s;
        c.maxAttempts = 3;
        c.initialBackoff = 20ms;
        c.maxBackoff = 3s;
        return c;
    }

    /// The notifier's signals, delivered to this (the main) thread.
    void watch(Notifier &notifier)
    {
        connect(&notifier, &Notifier::delivered, this,
                [this](const QString &key, const QString &id) {
                    m_delivered.append({key, id});
                });
        connect(&notifier, &Notifier::failed, this,
                [this](const QString &key, const QString &reason) {
                    m_failed.append({key, reason});
                });
    }

    std::unique_ptr<ProviderStandIn> m_provider;
    QList<std::pair<QString, QString>> m_delivered; // key, provider id
    QList<std::pair<QString, QString>> m_failed;    // key, reason
    bool m_codeMayBeLogged = false;

private Q_SLOTS:
    void initTestCase()
    {
        m_provider = std::make_unique<ProviderStandIn>();
        QVERIFY(m_provider->isListening());

        g_capture = std::make_shared<CapturingSink>();
        auto console = std::make_shared<spdlog::sinks::stderr_sink_mt>();
        console->set_level(spdlog::level::info);
        auto logger = std::make_shared<spdlog::logger>("tst_notifier",
                                                       spdlog::sinks_init_list{g_capture, console});
        logger->set_level(spdlog::level::trace);
        spdlog::set_default_logger(logger);
        g_previousHandler = qInstallMessageHandler(captureQtMessage);
    }

    void cleanupTestCase()
    {
        qInstallMessageHandler(g_previousHandler);
        m_provider.reset();
    }

    void init()
    {
        QCoreApplication::processEvents(); // signals a failed test left queued
        m_provider->clear();
        g_capture->clear();
        m_delivered.clear();
        m_failed.clear();
        m_codeMayBeLogged = false;
    }

    void cleanup()
    {
        QStringList forbidden{
            kPhone,
            kPhone.mid(1),
            kEmail,
            kAuthToken,
            kApiKey,
            QString::fromLatin1(
                QByteArray(kAccountSid.toUtf8() + ':' + kAuthToken.toUtf8()).toBase64())};
        if (!m_codeMayBeLogged)
            forbidden.append(kCode);
        const QStringList lines = g_capture->lines();
        for (const QString &line : lines) {
            for (const QString &secret : std::as_const(forbidden)) {
                QVERIFY2(!line.contains(secret),
                         qPrintable(u"a log line gives away \""_s + secret + u"\": "_s + line));
            }
        }
    }

    void smsRequestShape()
    {
        Notifier notifier(config());
        watch(notifier);
        QVERIFY(notifier.configured(Channel::Sms));
        notifier.send(otp(Channel::Sms, kPhone, u"otp-1"_s));
        QVERIFY(notifier.waitForIdle(5s));

        const auto requests = m_provider->requests();
        QCOMPARE(requests.size(), 1);
        const auto &request = requests.first();
        QCOMPARE(request.method, "POST");
        QCOMPARE(request.path, kMessagesPath);
        QCOMPARE(
            request.header("Authorization"),
            QByteArray("Basic " +
                       QByteArray(kAccountSid.toUtf8() + ':' + kAuthToken.toUtf8()).toBase64()));
        QVERIFY(request.header("Content-Type").startsWith("application/x-www-form-urlencoded"));
        // '+' must be percent-encoded, or Twilio reads " 447700900018"
        QVERIFY2(request.body.contains("To=%2B447700900018"), request.body.constData());
        QCOMPARE(request.formValue(u"To"_s), kPhone);
        QCOMPARE(request.formValue(u"From"_s), kSmsFrom);
        QCOMPARE(request.formValue(u"Body"_s), kBody);
        QCOMPARE(m_provider->lastCodeFor(kPhone), kCode);

        QTRY_COMPARE(m_delivered.size(), 1);
        QCOMPARE(m_delivered.first().first, u"otp-1"_s);
        QVERIFY(m_delivered.first().second.startsWith(u"SM"_s));
        QCOMPARE(m_delivered.first().second.size(), 34);
        const auto stats = notifier.stats();
        QCOMPARE(stats.delivered, 1u);
        QCOMPARE(stats.retried, 0u);
        QCOMPARE(stats.failed, 0u);
        QCOMPARE(g_capture->linesContaining(kMaskedPhone).size(), 1); // "accepted by twilio"
    }

    void whatsappPrefixes()
    {
        Notifier notifier(config());
        notifier.send(otp(Channel::WhatsApp, kPhone));
        notifier.send(otp(Channel::WhatsApp, u"whatsapp:"_s + kPhone)); // not prefixed twice
        QVERIFY(notifier.waitForIdle(5s));

        const auto requests = m_provider->requests();
        QCOMPARE(requests.size(), 2);
        for (const auto &request : requests) {
            QCOMPARE(request.path, kMessagesPath);
            QCOMPARE(request.formValue(u"To"_s), u"whatsapp:"_s + kPhone);
            QCOMPARE(request.formValue(u"From"_s), u"whatsapp:"_s + kWhatsappFrom);
            QCOMPARE(request.formValue(u"Body"_s), kBody);
        }
        QCOMPARE(m_provider->lastCodeFor(kPhone), kCode);
        QCOMPARE(m_provider->lastCodeFor(u"whatsapp:"_s + kPhone), kCode);
        QCOMPARE(notifier.stats().delivered, 2u);
    }

    void sendgridJsonAndBearer()
    {
        m_provider->script(kMailPath, {Behaviour::answer(202, {{"X-Message-Id", "4x7ZyqXcTQ2"}})});
        Notifier notifier(config());
        watch(notifier);
        notifier.send(otp(Channel::Email, kEmail, u"otp-mail"_s));
        QVERIFY(notifier.waitForIdle(5s));

        const auto requests = m_provider->requests();
        QCOMPARE(requests.size(), 1);
        const auto &request = requests.first();
        QCOMPARE(request.method, "POST");
        QCOMPARE(request.path, kMailPath); // no "//" from the base's trailing slash
        QCOMPARE(request.header("Authorization"), QByteArray("Bearer " + kApiKey.toUtf8()));
        QVERIFY(request.header("Content-Type").startsWith("application/json"));
        const QJsonObject json = request.json;
        const QJsonArray to =
            json.value(u"personalizations"_s).toArray().at(0).toObject().value(u"to"_s).toArray();
        QCOMPARE(to.size(), 1);
        QCOMPARE(to.at(0).toObject().value(u"email"_s).toString(), kEmail);
        QCOMPARE(json.value(u"from"_s).toObject().value(u"email"_s).toString(),
                 u"noreply@meddispatch.test"_s);
        QCOMPARE(json.value(u"from"_s).toObject().value(u"name"_s).toString(), u"MedDispatch"_s);
        QCOMPARE(json.value(u"subject"_s).toString(), u"Your MedDispatch sign-in code"_s);
        const QJsonObject content = json.value(u"content"_s).toArray().at(0).toObject();
        QCOMPARE(content.value(u"type"_s).toString(), u"text/plain"_s);
        QCOMPARE(content.value(u"value"_s).toString(), kBody);
        QCOMPARE(m_provider->lastCodeFor(kEmail), kCode);

        QTRY_COMPARE(m_delivered.size(), 1);
        QCOMPARE(m_delivered.first(), std::make_pair(u"otp-mail"_s, u"4x7ZyqXcTQ2"_s));
    }

    void rateLimitedWaitsForRetryAfter()
    {
        m_provider->script(kTwilioPrefix, {Behaviour::answer(429, {{"Retry-After", "2"}},
                                                             twilioError(20429, 429))});
        Notifier notifier(config());
        notifier.send(otp(Channel::Sms, kPhone));
        QVERIFY(notifier.waitForIdle(10s));

        const auto requests = m_provider->requests();
        QCOMPARE(requests.size(), 2);
        const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(
            requests.at(1).received - requests.at(0).received);
        QVERIFY2(waited >= 2s, qPrintable(QString::number(waited.count()) + u" ms"_s));
        const auto stats = notifier.stats();
        QCOMPARE(stats.delivered, 1u);
        QCOMPARE(stats.retried, 1u);
        QCOMPARE(g_capture->linesContaining(u"twilio error 20429"_s).size(), 1);
    }

    void rateLimitedWaitsForRateLimitReset()
    {
        // SendGrid says when the window resets, as Unix seconds.
        const qint64 reset = QDateTime::currentSecsSinceEpoch() + 2;
        m_provider->script(
            kMailPath,
            {Behaviour::answer(429, {{"X-RateLimit-Reset", QByteArray::number(reset)}},
                               sendgridError(u"too many requests"_s, QJsonValue::Null))});
        Notifier notifier(config());
        notifier.send(otp(Channel::Email, kEmail));
        QVERIFY(notifier.waitForIdle(10s));

        const auto requests = m_provider->requests();
        QCOMPARE(requests.size(), 2);
        QVERIFY2(requests.at(1).receivedAt >= QDateTime::fromSecsSinceEpoch(reset, Qt::UTC),
                 qPrintable(requests.at(1).receivedAt.toString(Qt::ISODateWithMs)));
        QCOMPARE(notifier.stats().delivered, 1u);
        QCOMPARE(notifier.stats().retried, 1u);
    }

    void rateLimitBeyondBackoffCapFails()
    {
        // An hour's wait is a code that expired in the queue: give up at once.
        m_provider->script(kTwilioPrefix, {Behaviour::answer(429, {{"Retry-After", "3600"}},
                                                             twilioError(20429, 429))});
        Notifier notifier(config());
        watch(notifier);
        QElapsedTimer timer;
        timer.start();
        notifier.send(otp(Channel::Sms, kPhone, u"otp-limited"_s));
        QVERIFY(notifier.waitForIdle(5s));
        QVERIFY(timer.elapsed() < 2000);
        QCOMPARE(m_provider->requests().size(), 1);
        QCOMPARE(notifier.stats().failed, 1u);
        QTRY_COMPARE(m_failed.size(), 1);
        QVERIFY2(m_failed.first().second.contains(u"429"_s), qPrintable(m_failed.first().second));
    }

    void serverErrorThenSuccessDeliversOnce()
    {
        m_provider->script(kTwilioPrefix, {Behaviour::answer(500, {}, twilioError(20500, 500))});
        Notifier notifier(config());
        watch(notifier);
        notifier.send(otp(Channel::Sms, kPhone, u"otp-2"_s));
        QVERIFY(notifier.waitForIdle(5s));

        const auto requests = m_provider->requests();
        QCOMPARE(requests.size(), 2);
        QCOMPARE(requests.at(1).body, requests.at(0).body);
        // the stand-in framed the 500 so that the connection could be kept alive
        QCOMPARE(requests.at(1).connection, requests.at(0).connection);
        const auto stats = notifier.stats();
        QCOMPARE(stats.delivered, 1u);
        QCOMPARE(stats.retried, 1u);
        QCOMPARE(stats.failed, 0u);
        QTRY_COMPARE(m_delivered.size(), 1);
        QCOMPARE(m_delivered.first().first, u"otp-2"_s);
        QCOMPARE(m_failed.size(), 0);
    }

    void serverErrorEveryTimeGivesUpAfterMaxAttempts()
    {
        m_provider->script(kMailPath, QList<Behaviour>(6, Behaviour::answer(503)));
        NotifierConfig c = config();
        c.maxAttempts = 4;
        Notifier notifier(c);
        watch(notifier);
        notifier.send(otp(Channel::Email, kEmail, u"otp-3"_s));
        QVERIFY(notifier.waitForIdle(5s));
        QTest::qWait(200); // nothing more arrives

        QCOMPARE(m_provider->requests().size(), 4);
        const auto stats = notifier.stats();
        QCOMPARE(stats.failed, 1u);
        QCOMPARE(stats.retried, 3u);
        QCOMPARE(stats.delivered, 0u);
        QTRY_COMPARE(m_failed.size(), 1);
        QCOMPARE(m_failed.first().first, u"otp-3"_s);
        QVERIFY2(m_failed.first().second.contains(u"503"_s), qPrintable(m_failed.first().second));
    }

    void clientErrorFailsWithoutRetry_data()
    {
        QTest::addColumn<Channel>("channel");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("answer");
        QTest::addColumn<QString>("providerCode");

        QTest::newRow("twilio 400 invalid number")
            << Channel::Sms << 400 << twilioError(21211, 400) << u"21211"_s;
        QTest::newRow("twilio 401 bad credentials")
            << Channel::WhatsApp << 401 << twilioError(20003, 401) << u"20003"_s;
        QTest::newRow("sendgrid 400 invalid address")
            << Channel::Email << 400
            << sendgridError(QString(u"Does not contain a valid address: "_s + kEmail),
                             u"personalizations.0.to.0.email"_s)
            << u"personalizations.0.to.0.email"_s;
    }

    void clientErrorFailsWithoutRetry()
    {
        QFETCH(Channel, channel);
        QFETCH(int, status);
        QFETCH(QByteArray, answer);
        QFETCH(QString, providerCode);

        m_provider->script(
            channel == Channel::Email ? kMailPath : kTwilioPrefix,
            {Behaviour::answer(status, {{"Content-Type", "application/json"}}, answer)});
        Notifier notifier(config());
        watch(notifier);
        notifier.send(otp(channel, channel == Channel::Email ? kEmail : kPhone, u"otp-4"_s));
        QVERIFY(notifier.waitForIdle(5s));
        QTest::qWait(100);

        QCOMPARE(m_provider->requests().size(), 1);
        const auto stats = notifier.stats();
        QCOMPARE(stats.failed, 1u);
        QCOMPARE(stats.retried, 0u);
        QTRY_COMPARE(m_failed.size(), 1);
        const QString reason = m_failed.first().second;
        QVERIFY2(reason.contains(QString::number(status)), qPrintable(reason));
        QVERIFY2(reason.contains(providerCode), qPrintable(reason));
        // the status and the provider's code reach the log (the provider's message, which
        // quotes the recipient, does not: see cleanup())
        const QStringList failures = g_capture->linesContaining(u"failed"_s);
        QCOMPARE(failures.size(), 1);
        QVERIFY(failures.first().contains(QString::number(status)));
        QVERIFY(failures.first().contains(providerCode));
    }

    void delayedAnswerWithinTimeoutIsDelivered()
    {
        m_provider->script(
            kTwilioPrefix,
            {Behaviour::delayed(300ms, 201, {},
                                json({{u"sid"_s, u"SMdelayed"_s}, {u"status"_s, u"queued"_s}}))});
        Notifier notifier(config());
        watch(notifier);
        notifier.send(otp(Channel::Sms, kPhone, u"otp-slow"_s));
        QVERIFY(notifier.waitForIdle(5s));
        QCOMPARE(m_provider->requests().size(), 1);
        QCOMPARE(notifier.stats().delivered, 1u);
        QTRY_COMPARE(m_delivered.size(), 1);
        QCOMPARE(m_delivered.first().second, u"SMdelayed"_s);
    }

    void timeoutAfterSendingIsNotRetried()
    {
        // The provider may have accepted the message: a second text would be a duplicate.
        m_provider->script(kTwilioPrefix, {Behaviour::hang()});
        NotifierConfig c = config();
        c.requestTimeout = 300ms;
        Notifier notifier(c);
        watch(notifier);
        notifier.send(otp(Channel::Sms, kPhone, u"otp-5"_s));
        QVERIFY(notifier.waitForIdle(5s));
        QTest::qWait(300); // no retry shows up late

        QCOMPARE(m_provider->requests().size(), 1);
        const auto stats = notifier.stats();
        QCOMPARE(stats.failed, 1u);
        QCOMPARE(stats.retried, 0u);
        QCOMPARE(stats.delivered, 0u);
        QTRY_COMPARE(m_failed.size(), 1);
        QVERIFY2(m_failed.first().second.contains(u"timed out"_s),
                 qPrintable(m_failed.first().second));
    }

    void refusedConnectionIsRetried()
    {
        // Nothing was sent, so trying again cannot make a duplicate.
        quint16 closedPort = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            closedPort = probe.serverPort();
        }
        NotifierConfig c = config();
        c.twilioApiBase = u"http://127.0.0.1:"_s + QString::number(closedPort);
        Notifier notifier(c);
        watch(notifier);
        notifier.send(otp(Channel::Sms, kPhone, u"otp-6"_s));
        QVERIFY(notifier.waitForIdle(5s));

        const auto stats = notifier.stats();
        QCOMPARE(stats.failed, 1u);
        QCOMPARE(stats.retried, 2u); // maxAttempts 3
        QTRY_COMPARE(m_failed.size(), 1);
        QVERIFY2(m_failed.first().second.contains(u"ConnectionRefused"_s),
                 qPrintable(m_failed.first().second));
    }

    void sameDedupeKeySendsOnce()
    {
        Notifier notifier(config());
        notifier.send(otp(Channel::Sms, kPhone, u"otp-7"_s));
        notifier.send(otp(Channel::Sms, kPhone, u"otp-7"_s));
        notifier.send(otp(Channel::Sms, kPhone, u"otp-8"_s));
        notifier.send(otp(Channel::Sms, kPhone)); // no key: never deduplicated
        notifier.send(otp(Channel::Sms, kPhone));
        QVERIFY(notifier.waitForIdle(5s));

        QCOMPARE(m_provider->requests().size(), 4);
        const auto stats = notifier.stats();
        QCOMPARE(stats.duplicates, 1u);
        QCOMPARE(stats.delivered, 4u);
    }

    void dedupeMemoryIsBounded()
    {
        NotifierConfig c = config();
        c.dedupeCapacity = 2;
        Notifier notifier(c);
        for (const QString &key : {u"k1"_s, u"k2"_s, u"k3"_s, u"k1"_s, u"k1"_s})
            notifier.send(otp(Channel::Sms, kPhone, key));
        QVERIFY(notifier.waitForIdle(5s));
        // k1 was forgotten when k3 came, sent again, then remembered again
        QCOMPARE(m_provider->requests().size(), 4);
        QCOMPARE(notifier.stats().duplicates, 1u);
    }

    void unconfiguredChannelsWriteToOutbox()
    {
        Notifier notifier(NotifierConfig{});
        QVERIFY(!notifier.configured(Channel::Sms));
        QVERIFY(!notifier.configured(Channel::WhatsApp));
        QVERIFY(!notifier.configured(Channel::Email));
        notifier.send(otp(Channel::Sms, kPhone));
        notifier.send(otp(Channel::WhatsApp, kPhone));
        notifier.send(otp(Channel::Email, kEmail));
        QVERIFY(notifier.waitForIdle(5s));

        QCOMPARE(notifier.stats().outboxed, 3u);
        QCOMPARE(m_provider->requests().size(), 0);
        const QStringList outbox = g_capture->linesContaining(u"notify outbox"_s);
        QCOMPARE(outbox.size(), 3);
        const QString masked = QString(kBody).replace(kCode, u"******"_s);
        QVERIFY(outbox.at(0).contains(u"sms"_s));
        QVERIFY(outbox.at(1).contains(u"whatsapp"_s));
        QVERIFY(outbox.at(2).contains(u"email"_s));
        for (qsizetype i = 0; i < 2; ++i) {
            QVERIFY2(outbox.at(i).contains(kMaskedPhone), qPrintable(outbox.at(i)));
            QVERIFY2(outbox.at(i).contains(masked), qPrintable(outbox.at(i)));
        }
        QVERIFY2(outbox.at(2).contains(kMaskedEmail), qPrintable(outbox.at(2)));
        QVERIFY2(outbox.at(2).contains(masked), qPrintable(outbox.at(2)));
    }

    void channelWithoutSenderGoesToOutbox()
    {
        NotifierConfig c = config();
        c.twilioWhatsappFrom.clear(); // SMS configured, WhatsApp not
        c.sendgridApiKey.clear();
        Notifier notifier(c);
        QVERIFY(notifier.configured(Channel::Sms));
        QVERIFY(!notifier.configured(Channel::WhatsApp));
        QVERIFY(!notifier.configured(Channel::Email));
        notifier.send(otp(Channel::Sms, kPhone));
        notifier.send(otp(Channel::WhatsApp, kPhone));
        QVERIFY(notifier.waitForIdle(5s));
        QCOMPARE(m_provider->requests().size(), 1);
        QCOMPARE(notifier.stats().delivered, 1u);
        QCOMPARE(notifier.stats().outboxed, 1u);
    }

    void developmentModeOutboxShowsCode()
    {
        m_codeMayBeLogged = true;
        NotifierConfig c;
        c.developmentMode = true;
        Notifier notifier(c);
        notifier.send(otp(Channel::Sms, kPhone));
        QVERIFY(notifier.waitForIdle(5s));
        const QStringList outbox = g_capture->linesContaining(u"notify outbox"_s);
        QCOMPARE(outbox.size(), 1);
        QVERIFY2(outbox.first().contains(kBody), qPrintable(outbox.first()));
        QVERIFY2(outbox.first().contains(kMaskedPhone), qPrintable(outbox.first()));
    }

    void outboxEscapesLineBreaks()
    {
        Notifier notifier(NotifierConfig{});
        OutboundMessage message = otp(Channel::Sms, kPhone);
        message.body = u"line one\nFORGED notify: delivered"_s;
        notifier.send(message);
        QVERIFY(notifier.waitForIdle(5s));
        const QStringList outbox = g_capture->linesContaining(u"notify outbox"_s);
        QCOMPARE(outbox.size(), 1);
        QVERIFY(!outbox.first().contains(u'\n'));
        QVERIFY(outbox.first().contains(u"line one\\nFORGED"_s));
    }

    void destructionDropsPendingWork()
    {
        m_provider->script(kTwilioPrefix, {Behaviour::hang()});
        m_provider->script(kMailPath, {Behaviour::answer(500)});
        NotifierConfig c = config();
        c.initialBackoff = 10s;
        c.maxBackoff = 20s;
        c.requestTimeout = 30s;
        auto notifier = std::make_unique<Notifier>(c);
        notifier->send(otp(Channel::Sms, kPhone));   // in flight, never answered
        notifier->send(otp(Channel::Email, kEmail)); // waiting ~10 s to retry
        QVERIFY(m_provider->waitForRequests(2, 5s));
        QTRY_COMPARE(g_capture->linesContaining(u"retry 2/3"_s).size(), 1);

        QElapsedTimer timer;
        timer.start();
        notifier.reset();
        QVERIFY(timer.elapsed() < 2000);
        const QStringList dropped = g_capture->linesContaining(u"dropped at shutdown"_s);
        QCOMPARE(dropped.size(), 2);
        QCOMPARE(dropped.filter(u"in flight"_s).size(), 1);
        QCOMPARE(dropped.filter(u"waiting to retry"_s).size(), 1);
        QTest::qWait(100);
        QCOMPARE(m_provider->requests().size(), 2);
    }

    void maskRecipient_data()
    {
        QTest::addColumn<QString>("recipient");
        QTest::addColumn<QString>("masked");
        QTest::newRow("e164") << kPhone << kMaskedPhone;
        QTest::newRow("whatsapp") << u"whatsapp:"_s + kPhone << u"whatsapp:"_s + kMaskedPhone;
        QTest::newRow("email") << kEmail << kMaskedEmail;
        QTest::newRow("short number") << u"+1234567"_s << u"+1****67"_s;
        QTest::newRow("very short") << u"12345"_s << u"*****"_s;
        QTest::newRow("no local part") << u"@example.org"_s << u"***@example.org"_s;
    }

    void maskRecipient()
    {
        QFETCH(QString, recipient);
        QFETCH(QString, masked);
        QCOMPARE(md::server::maskRecipient(recipient), masked);
    }

    void retryAfterDelay_data()
    {
        QTest::addColumn<QByteArray>("retryAfter");
        QTest::addColumn<QByteArray>("rateLimitReset");
        QTest::addColumn<qint64>("expected"); // ms; -1: no advice

        // now: Sun, 06 Nov 1994 08:49:37 GMT = 784111777
        QTest::newRow("seconds") << QByteArray("2") << QByteArray() << qint64(2000);
        QTest::newRow("zero") << QByteArray("0") << QByteArray() << qint64(0);
        QTest::newRow("negative") << QByteArray("-5") << QByteArray() << qint64(0);
        QTest::newRow("imf-fixdate")
            << QByteArray("Sun, 06 Nov 1994 08:49:47 GMT") << QByteArray() << qint64(10000);
        QTest::newRow("rfc 850") << QByteArray("Sunday, 06-Nov-94 08:49:47 GMT") << QByteArray()
                                 << qint64(10000);
        QTest::newRow("asctime") << QByteArray("Sun Nov  6 08:49:47 1994") << QByteArray()
                                 << qint64(10000);
        QTest::newRow("date in the past")
            << QByteArray("Sun, 06 Nov 1994 08:00:00 GMT") << QByteArray() << qint64(0);
        QTest::newRow("rate limit reset")
            << QByteArray() << QByteArray("784111787") << qint64(10000);
        QTest::newRow("retry-after first")
            << QByteArray("5") << QByteArray("784111787") << qint64(5000);
        QTest::newRow("garbage") << QByteArray("soon") << QByteArray("later") << qint64(-1);
        QTest::newRow("nothing") << QByteArray() << QByteArray() << qint64(-1);
    }

    void retryAfterDelay()
    {
        QFETCH(QByteArray, retryAfter);
        QFETCH(QByteArray, rateLimitReset);
        QFETCH(qint64, expected);
        const QDateTime now = QDateTime::fromSecsSinceEpoch(784111777, Qt::UTC);
        const auto delay = md::server::retryAfterDelay(retryAfter, rateLimitReset, now);
        QCOMPARE(delay.has_value(), expected >= 0);
        if (delay)
            QCOMPARE(delay->count(), expected);
    }
};

QTEST_GUILESS_MAIN(TstNotifier)
#include "tst_notifier.moc"
