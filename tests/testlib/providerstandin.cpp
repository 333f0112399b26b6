#include "providerstandin.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <map>
#include <mutex>
#include <optional>

using namespace Qt::StringLiterals;

namespace md::testlib {

using Behaviour = ProviderStandIn::Behaviour;
using Header = ProviderStandIn::Header;
using Request = ProviderStandIn::Request;

namespace {

constexpr qsizetype kMaxHeaderBytes = 64 * 1024;

/// What the test thread and the server thread both touch.
struct Shared
{
    mutable std::mutex mutex;
    QList<Request> requests;
    QList<std::pair<QByteArray, QList<Behaviour>>> scripts;

    std::optional<Behaviour> takeScripted(const QByteArray &path)
    {
        std::lock_guard lock(mutex);
        qsizetype best = -1;
        for (qsizetype i = 0; i < scripts.size(); ++i) {
            const auto &[prefix, queue] = scripts.at(i);
            if (!queue.isEmpty() && path.startsWith(prefix) &&
                (best < 0 || prefix.size() > scripts.at(best).first.size()))
                best = i;
        }
        if (best < 0)
            return std::nullopt;
        return scripts[best].second.takeFirst();
    }
};

QByteArray randomHex(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    for (char &c : raw)
        c = char(QRandomGenerator::global()->bounded(256));
    return raw.toHex();
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 404:
        return "Not Found";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

/// The providers' success answers; 404 for anything else.
Behaviour defaultBehaviour(const Request &request)
{
    if (request.method == "POST" && request.path.startsWith("/2010-04-01/Accounts/") &&
        request.path.endsWith("/Messages.json")) {
        const QJsonObject message{{u"sid"_s, QString::fromLatin1(QByteArray("SM" + randomHex(16)))},
                                  {u"status"_s, u"queued"_s}};
        return Behaviour::answer(201, {{"Content-Type", "application/json"}},
                                 QJsonDocument(message).toJson(QJsonDocument::Compact));
    }
    if (request.method == "POST" && request.path == "/v3/mail/send")
        return Behaviour::answer(202, {{"X-Message-Id", randomHex(11)}});
    return Behaviour::answer(404, {{"Content-Type", "application/json"}},
                             R"({"message":"no such resource in the stand-in"})");
}

QList<std::pair<QString, QString>> parseForm(const QByteArray &body)
{
    QList<std::pair<QString, QString>> fields;
    for (const QByteArray &part : body.split('&')) {
        if (part.isEmpty())
            continue;
        const qsizetype eq = part.indexOf('=');
        const auto decode = [](QByteArray text) {
            return QString::fromUtf8(QByteArray::fromPercentEncoding(text.replace('+', ' ')));
        };
        fields.append({decode(part.left(eq < 0 ? part.size() : eq)),
                       eq < 0 ? QString() : decode(part.mid(eq + 1))});
    }
    return fields;
}

/// One HTTP/1.1 request parsed from the front of a connection's buffer.
struct Parsed
{
    enum class State
    {
        Incomplete,
        Complete,
        Invalid
    };
    State state = State::Incomplete;
    qsizetype consumed = 0;
    bool keepAlive = true;
    bool expectsContinue = false;
    Request request;
};

std::optional<QByteArray> decodeChunked(const QByteArray &data, qsizetype from, qsizetype *end,
                                        bool *invalid)
{
    QByteArray body;
    qsizetype pos = from;
    for (;;) {
        const qsizetype lineEnd = data.indexOf("\r\n", pos);
        if (lineEnd < 0)
            return std::nullopt;
        QByteArray sizeText = data.mid(pos, lineEnd - pos);
        if (const qsizetype semicolon = sizeText.indexOf(';'); semicolon >= 0)
            sizeText.truncate(semicolon);
        bool ok = false;
        const qsizetype size = sizeText.trimmed().toLongLong(&ok, 16);
        if (!ok || size < 0) {
            *invalid = true;
            return std::nullopt;
        }
        pos = lineEnd + 2;
        if (size == 0) {
            // trailers, then an empty line
            for (;;) {
                const qsizetype trailerEnd = data.indexOf("\r\n", pos);
                if (trailerEnd < 0)
                    return std::nullopt;
                const bool last = trailerEnd == pos;
                pos = trailerEnd + 2;
                if (last) {
                    *end = pos;
                    return body;
                }
            }
        }
        if (data.size() < pos + size + 2)
            return std::nullopt;
        body += data.mid(pos, size);
        pos += size + 2;
    }
}

Parsed parseRequest(const QByteArray &data)
{
    Parsed parsed;
    const qsizetype headerEnd = data.indexOf("\r\n\r\n");
    if (headerEnd < 0) {
        if (data.size() > kMaxHeaderBytes)
            parsed.state = Parsed::State::Invalid;
        return parsed;
    }
    const QList<QByteArray> lines = data.left(headerEnd).split('\n');
    const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
    if (requestLine.size() != 3 || !requestLine.at(2).startsWith("HTTP/1.")) {
        parsed.state = Parsed::State::Invalid;
        return parsed;
    }
    Request &request = parsed.request;
    request.method = requestLine.at(0);
    request.path = requestLine.at(1);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0) {
            parsed.state = Parsed::State::Invalid;
            return parsed;
        }
        request.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }

    const QByteArray connection = request.header("Connection").toLower();
    parsed.keepAlive = requestLine.at(2) == "HTTP/1.1" ? !connection.contains("close")
                                                       : connection.contains("keep-alive");
    parsed.expectsContinue = request.header("Expect").toLower() == "100-continue";

    const qsizetype bodyStart = headerEnd + 4;
    if (request.header("Transfer-Encoding").toLower().contains("chunked")) {
        bool invalid = false;
        qsizetype end = 0;
        const auto body = decodeChunked(data, bodyStart, &end, &invalid);
        if (invalid)
            parsed.state = Parsed::State::Invalid;
        if (!body)
            return parsed;
        request.body = *body;
        parsed.consumed = end;
    } else {
        const QByteArray lengthText = request.header("Content-Length");
        bool ok = true;
        const qsizetype length = lengthText.isEmpty() ? 0 : lengthText.toLongLong(&ok);
        if (!ok || length < 0) {
            parsed.state = Parsed::State::Invalid;
            return parsed;
        }
        if (data.size() < bodyStart + length)
            return parsed;
        request.body = data.mid(bodyStart, length);
        parsed.consumed = bodyStart + length;
    }

    const QByteArray contentType = request.header("Content-Type").toLower();
    if (contentType.startsWith("application/x-www-form-urlencoded"))
        request.form = parseForm(request.body);
    else if (contentType.startsWith("application/json"))
        request.json = QJsonDocument::fromJson(request.body).object();
    parsed.state = Parsed::State::Complete;
    return parsed;
}

QByteArray responseBytes(const Behaviour &behaviour, bool keepAlive)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(behaviour.status) + ' ' +
                     reasonPhrase(behaviour.status) + "\r\n";
    bool hasContentType = false;
    for (const auto &[name, value] : behaviour.headers) {
        const QByteArray lower = name.toLower();
        if (lower == "content-length" || lower == "connection" || lower == "transfer-encoding")
            continue; // framing is ours to get right
        hasContentType = hasContentType || lower == "content-type";
        out += name + ": " + value + "\r\n";
    }
    if (!hasContentType && !behaviour.body.isEmpty())
        out += "Content-Type: application/json\r\n";
    out += "Content-Length: " + QByteArray::number(behaviour.body.size()) + "\r\n";
    out += keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
    out += "\r\n";
    out += behaviour.body;
    return out;
}

/// Lives on the stand-in's thread: the listening socket and its connections.
class StandInServer final : public QObject
{
public:
    explicit StandInServer(Shared &shared) : m_shared(shared) {}

    quint16 listen()
    {
        m_server = new QTcpServer(this);
        connect(m_server, &QTcpServer::newConnection, this, [this] { acceptAll(); });
        if (!m_server->listen(QHostAddress::LocalHost, 0))
            return 0;
        return m_server->serverPort();
    }

    void stop()
    {
        for (auto &[socket, connection] : m_connections) {
            QObject::disconnect(socket, nullptr, this, nullptr);
            socket->abort();
            delete socket;
        }
        m_connections.clear();
        delete m_server;
        m_server = nullptr;
    }

private:
    struct Connection
    {
        int number = 0;
        QByteArray buffer;
        bool busy = false; // answering (delayed) or hanging: later requests wait
        bool continueSent = false;
    };

    void acceptAll()
    {
        while (QTcpSocket *socket = m_server->nextPendingConnection()) {
            m_connections.emplace(socket, Connection{++m_accepted});
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
            connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
                m_connections.erase(socket);
                socket->deleteLater();
            });
        }
    }

    void onReadyRead(QTcpSocket *socket)
    {
        const auto it = m_connections.find(socket);
        if (it == m_connections.end())
            return;
        it->second.buffer += socket->readAll();
        serve(socket);
    }

    void serve(QTcpSocket *socket)
    {
        for (;;) {
            const auto it = m_connections.find(socket);
            if (it == m_connections.end() || it->second.busy)
                return;
            Connection &connection = it->second;
            Parsed parsed = parseRequest(connection.buffer);
            if (parsed.state == Parsed::State::Invalid) {
                connection.busy = true;
                socket->write(responseBytes(Behaviour::answer(400), false));
                socket->disconnectFromHost();
                return;
            }
            if (parsed.state == Parsed::State::Incomplete) {
                if (parsed.expectsContinue && !connection.continueSent) {
                    socket->write("HTTP/1.1 100 Continue\r\n\r\n");
                    connection.continueSent = true;
                }
                return;
            }
            connection.buffer.remove(0, parsed.consumed);
            connection.continueSent = false;

            Request &request = parsed.request;
            request.received = std::chrono::steady_clock::now();
            request.receivedAt = QDateTime::currentDateTimeUtc();
            request.connection = connection.number;
            const std::optional<Behaviour> scripted = m_shared.takeScripted(request.path);
            const Behaviour behaviour = scripted ? *scripted : defaultBehaviour(request);
            {
                std::lock_guard lock(m_shared.mutex);
                m_shared.requests.append(request);
            }

            if (behaviour.kind == Behaviour::Kind::Hang) {
                connection.busy = true;
                return;
            }
            const bool keepAlive = parsed.keepAlive;
            if (behaviour.delay.count() > 0) {
                connection.busy = true;
                QTimer::singleShot(behaviour.delay, socket, [this, socket, behaviour, keepAlive] {
                    const auto found = m_connections.find(socket);
                    if (found == m_connections.end())
                        return;
                    found->second.busy = false;
                    if (answer(socket, behaviour, keepAlive))
                        serve(socket);
                });
                return;
            }
            if (!answer(socket, behaviour, keepAlive))
                return;
        }
    }

    /// False when the connection is closing.
    bool answer(QTcpSocket *socket, const Behaviour &behaviour, bool keepAlive)
    {
        socket->write(responseBytes(behaviour, keepAlive));
        if (keepAlive)
            return true;
        m_connections.at(socket).busy = true;
        socket->disconnectFromHost();
        return false;
    }

    Shared &m_shared;
    QTcpServer *m_server = nullptr;
    std::map<QTcpSocket *, Connection> m_connections;
    int m_accepted = 0;
};

QString withoutWhatsappPrefix(const QString &address)
{
    return address.startsWith(u"whatsapp:"_s) ? address.mid(9) : address;
}

} // namespace

QByteArray Request::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QString Request::formValue(const QString &name) const
{
    for (const auto &[key, value] : form) {
        if (key == name)
            return value;
    }
    return {};
}

QString Request::recipient() const
{
    if (!form.isEmpty())
        return formValue(u"To"_s);
    return json.value(u"personalizations"_s)
        .toArray()
        .at(0)
        .toObject()
        .value(u"to"_s)
        .toArray()
        .at(0)
        .toObject()
        .value(u"email"_s)
        .toString();
}

QString Request::text() const
{
    if (!form.isEmpty())
        return formValue(u"Body"_s);
    const QJsonArray content = json.value(u"content"_s).toArray();
    for (const QJsonValue &part : content) {
        if (part.toObject().value(u"type"_s).toString() == u"text/plain")
            return part.toObject().value(u"value"_s).toString();
    }
    return {};
}

Behaviour Behaviour::answer(int status, QList<Header> headers, QByteArray body)
{
    Behaviour behaviour;
    behaviour.status = status;
    behaviour.headers = std::move(headers);
    behaviour.body = std::move(body);
    return behaviour;
}

Behaviour Behaviour::delayed(std::chrono::milliseconds delay, int status, QList<Header> headers,
                             QByteArray body)
{
    Behaviour behaviour = answer(status, std::move(headers), std::move(body));
    behaviour.delay = delay;
    return behaviour;
}

Behaviour Behaviour::hang()
{
    Behaviour behaviour;
    behaviour.kind = Kind::Hang;
    return behaviour;
}

struct ProviderStandIn::Private
{
    Shared shared;
    QThread thread;
    StandInServer *server = nullptr; // deleted on its thread when the thread finishes
    quint16 port = 0;
};

ProviderStandIn::ProviderStandIn() : d(std::make_unique<Private>())
{
    d->server = new StandInServer(d->shared);
    d->server->moveToThread(&d->thread);
    QObject::connect(&d->thread, &QThread::finished, d->server, &QObject::deleteLater);
    d->thread.setObjectName(u"provider-stand-in"_s);
    d->thread.start();
    QMetaObject::invokeMethod(
        d->server, [this] { d->port = d->server->listen(); }, Qt::BlockingQueuedConnection);
}

ProviderStandIn::~ProviderStandIn()
{
    QMetaObject::invokeMethod(
        d->server, [server = d->server] { server->stop(); }, Qt::BlockingQueuedConnection);
    d->thread.quit();
    d->thread.wait();
}

bool ProviderStandIn::isListening() const
{
    return d->port != 0;
}

QUrl ProviderStandIn::baseUrl() const
{
    return QUrl(u"http://127.0.0.1:"_s + QString::number(d->port));
}

void ProviderStandIn::script(const QByteArray &pathPrefix, const QList<Behaviour> &behaviours)
{
    std::lock_guard lock(d->shared.mutex);
    for (auto &[prefix, queue] : d->shared.scripts) {
        if (prefix == pathPrefix) {
            queue += behaviours;
            return;
        }
    }
    d->shared.scripts.append({pathPrefix, behaviours});
}

QList<Request> ProviderStandIn::requests() const
{
    std::lock_guard lock(d->shared.mutex);
    return d->shared.requests;
}

bool ProviderStandIn::waitForRequests(qsizetype n, std::chrono::milliseconds timeout) const
{
    return QTest::qWaitFor(
        [this, n] {
            std::lock_guard lock(d->shared.mutex);
            return d->shared.requests.size() >= n;
        },
        int(timeout.count()));
}

QString ProviderStandIn::lastCodeFor(const QString &recipient) const
{
    static const QRegularExpression code(u"(?<![0-9])[0-9]{6}(?![0-9])"_s);
    const QString wanted = withoutWhatsappPrefix(recipient);
    const QList<Request> all = requests();
    for (auto it = all.crbegin(); it != all.crend(); ++it) {
        if (withoutWhatsappPrefix(it->recipient()).compare(wanted, Qt::CaseInsensitive) != 0)
            continue;
        QString last;
        for (auto match = code.globalMatch(it->text()); match.hasNext();)
            last = match.next().captured();
        if (!last.isEmpty())
            return last;
    }
    return {};
}

void ProviderStandIn::clear()
{
    std::lock_guard lock(d->shared.mutex);
    d->shared.requests.clear();
    d->shared.scripts.clear();
}

} // namespace md::testlib
