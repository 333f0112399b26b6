#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QUrl>
#include <chrono>
#include <memory>
#include <utility>

namespace md::testlib {

/// A loopback stand-in for the Twilio and SendGrid REST APIs: a real HTTP/1.1 server on
/// 127.0.0.1:<free port> on its own thread, so a test may block its main thread while
/// the code under test talks to it. Every request is recorded; answers are scripted per
/// path prefix, else the providers' success answers (Twilio 201 with a message sid,
/// SendGrid 202 with X-Message-Id).
///
///   ProviderStandIn provider;
///   config.twilioApiBase = provider.baseUrl().toString();
///   provider.script(u"/2010-04-01/"_s, {Behaviour::answer(500), Behaviour::hang()});
///   ... provider.waitForRequests(2, 5s) ... provider.lastCodeFor(u"+447700900018"_s)
class ProviderStandIn final
{
public:
    using Header = std::pair<QByteArray, QByteArray>;

    struct Request
    {
        QByteArray method;
        QByteArray path; // as sent, with any query
        QList<Header> headers;
        QByteArray body;                                // raw, after any chunked decoding
        QList<std::pair<QString, QString>> form;        // application/x-www-form-urlencoded
        QJsonObject json;                               // application/json
        std::chrono::steady_clock::time_point received; // for intervals
        QDateTime receivedAt;                           // UTC, for Unix-time deadlines
        int connection = 0; // 1, 2, ... in the order connections were accepted

        QByteArray header(QByteArrayView name) const; // first match, case-insensitive
        QString formValue(const QString &name) const;
        /// The message's recipient and text, whichever API it went to: Twilio's To/Body,
        /// SendGrid's first personalization address and text/plain content.
        QString recipient() const;
        QString text() const;
    };

    struct Behaviour
    {
        enum class Kind
        {
            Answer,
            Hang // read the request, never answer, keep the socket open
        };
        Kind kind = Kind::Answer;
        int status = 200;
        QList<Header> headers;
        QByteArray body;
        std::chrono::milliseconds delay{0};

        static Behaviour answer(int status, QList<Header> headers = {}, QByteArray body = {});
        static Behaviour delayed(std::chrono::milliseconds delay, int status,
                                 QList<Header> headers = {}, QByteArray body = {});
        static Behaviour hang();
    };

    ProviderStandIn(); // listens at once; QVERIFY(provider.isListening())
    ~ProviderStandIn();
    ProviderStandIn(const ProviderStandIn &) = delete;
    ProviderStandIn &operator=(const ProviderStandIn &) = delete;

    bool isListening() const;
    QUrl baseUrl() const; // http://127.0.0.1:<port>

    /// Queues behaviours for requests whose path starts with prefix, used one per request
    /// in order; the longest matching prefix with behaviours left wins. When none is left,
    /// the default answers apply.
    void script(const QByteArray &pathPrefix, const QList<Behaviour> &behaviours);

    QList<Request> requests() const;
    /// Waits (processing the calling thread's events) until at least n requests arrived.
    bool waitForRequests(qsizetype n, std::chrono::milliseconds timeout) const;
    /// The last 6-digit code in a message sent to that phone number ("+44...", also
    /// "whatsapp:+44...") or e-mail address; empty when there is none.
    QString lastCodeFor(const QString &recipient) const;
    /// Forgets the recorded requests and the scripted behaviours.
    void clear();

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace md::testlib
