#include "connectionguard.h"

#include "logging.h"
#include "wire.h"

#include <QJsonObject>
#include <QSslSocket>
#include <QTcpSocket>

#include <string_view>

#include <spdlog/spdlog.h>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

using namespace Qt::StringLiterals;

namespace md::server {

namespace {

bool isLeadingWhitespace(char c)
{
    // what Qt's request-line reader skips between pipelined requests
    return c == '\r' || c == '\n' || c == ' ' || c == '\t' || c == '\v';
}

bool isTokenChar(char c)
{
    static constexpr std::string_view punctuation = "!#$%&'*+-.^_`|~";
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != '\0' && punctuation.find(c) != std::string_view::npos);
}

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (const char c : text) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

bool isDigits(QByteArrayView text)
{
    if (text.isEmpty() || text.size() > 18)
        return false;
    for (const char c : text) {
        if (c < '0' || c > '9')
            return false;
    }
    return true;
}

QList<QByteArray> commaTokens(const QByteArray &value)
{
    QList<QByteArray> tokens;
    for (const QByteArray &part : value.split(',')) {
        const QByteArray token = part.trimmed().toLower();
        if (!token.isEmpty())
            tokens.append(token);
    }
    return tokens;
}

} // namespace

ConnectionGuard::ConnectionGuard(QTcpSocket *socket, QObject *httpServer,
                                 std::shared_ptr<const Limits> limits)
    : QObject(socket), m_socket(socket), m_tls(qobject_cast<QSslSocket *>(socket) != nullptr),
      m_httpServer(httpServer), m_limits(std::move(limits))
{
    m_idleTimer.setSingleShot(true);
    m_lingerTimer.setSingleShot(true);
    connect(&m_idleTimer, &QTimer::timeout, this, &ConnectionGuard::onIdleTimeout);
    connect(&m_lingerTimer, &QTimer::timeout, this, [this] { m_socket->abort(); });
    restartIdleTimer();
}

ConnectionGuard::~ConnectionGuard() = default;

ConnectionGuard *ConnectionGuard::of(const QTcpSocket *socket)
{
    return socket ? socket->findChild<ConnectionGuard *>(QString(), Qt::FindDirectChildrenOnly)
                  : nullptr;
}

void ConnectionGuard::beforeServerRead()
{
    switch (m_mode) {
    case Mode::Draining:
        discardInput();
        return;
    case Mode::Passthrough:
        return;
    case Mode::Scanning:
    case Mode::RejectPending:
        break;
    }
    // Qt has not read since afterServerRead(), so everything past what we have already
    // scanned is new.
    const qint64 available = m_socket->bytesAvailable();
    const qint64 fresh = m_qtPosition + available - m_arrived;
    if (fresh > 0) {
        const qint64 offset = m_arrived;
        m_arrived += fresh;
        if (m_mode == Mode::Scanning && m_stage == Stage::Body && fresh < m_bodyRemaining) {
            // the middle of a known-length body: nothing to look at, no need to copy it
            m_bodyRemaining -= fresh;
            bodyProgress();
        } else if (m_mode == Mode::Scanning) {
            const QByteArray data = m_socket->peek(available);
            const qsizetype start = std::max<qsizetype>(0, data.size() - fresh);
            scan(QByteArrayView(data).sliced(start), offset);
        }
    }
    maybeExecuteReject();
}

void ConnectionGuard::afterServerRead()
{
    if (m_mode != Mode::Scanning && m_mode != Mode::RejectPending)
        return;
    m_qtPosition = m_arrived - m_socket->bytesAvailable();
    maybeExecuteReject();
}

void ConnectionGuard::scan(QByteArrayView data, qint64 offset)
{
    qsizetype i = 0;
    while (i < data.size() && m_mode == Mode::Scanning) {
        switch (m_stage) {
        case Stage::Head:
            i += scanHead(data.sliced(i), offset + i);
            break;
        case Stage::Body:
        case Stage::ChunkData: {
            const qint64 take = std::min<qint64>(m_bodyRemaining, data.size() - i);
            i += take;
            m_bodyRemaining -= take;
            bodyProgress();
            if (m_bodyRemaining == 0) {
                if (m_stage == Stage::Body) {
                    m_requestStart = offset + i;
                    requestComplete();
                } else {
                    m_stage = Stage::ChunkDataEnd;
                }
            }
            break;
        }
        case Stage::ChunkSize: {
            const char c = data[i++];
            if (c != '\n') {
                m_chunkLine += c;
                if (m_chunkLine.size() > 1024)
                    reject(400, u"malformed_request"_s, u"Malformed chunked body."_s,
                           m_requestStart);
                break;
            }
            QByteArray line = m_chunkLine;
            m_chunkLine.clear();
            if (line.endsWith('\r'))
                line.chop(1);
            const qsizetype extension = line.indexOf(';');
            if (extension >= 0)
                line.truncate(extension);
            line = line.trimmed();
            bool ok = !line.isEmpty() && line.size() <= 15;
            const qint64 size = ok ? line.toLongLong(&ok, 16) : -1;
            if (!ok || size < 0) {
                reject(400, u"malformed_request"_s, u"Malformed chunked body."_s, m_requestStart);
                break;
            }
            if (size == 0) {
                m_stage = Stage::LastChunkEnd;
                break;
            }
            m_bodySeen += size;
            if (m_bodySeen > m_bodyLimit) {
                reject(413, u"payload_too_large"_s,
                       u"The request body is larger than %1 bytes."_s.arg(m_bodyLimit),
                       m_requestStart);
                break;
            }
            m_bodyRemaining = size;
            m_stage = Stage::ChunkData;
            break;
        }
        case Stage::ChunkDataEnd:
        case Stage::LastChunkEnd: {
            const char c = data[i++];
            if (c == '\r')
                break;
            if (c != '\n') {
                // trailers are not supported by Qt 6.4's parser either
                reject(400, u"malformed_request"_s, u"Malformed chunked body."_s, m_requestStart);
                break;
            }
            bodyProgress();
            if (m_stage == Stage::ChunkDataEnd) {
                m_stage = Stage::ChunkSize;
            } else {
                m_requestStart = offset + i;
                requestComplete();
            }
            break;
        }
        }
    }
}

qsizetype ConnectionGuard::scanHead(QByteArrayView data, qint64 offset)
{
    for (qsizetype k = 0; k < data.size(); ++k) {
        const char c = data[k];
        if (m_head.isEmpty()) {
            if (isLeadingWhitespace(c))
                continue;
            m_requestStart = offset + k;
        }
        m_head += c;
        if (m_head.size() > m_limits->maxHeadBytes) {
            reject(431, u"headers_too_large"_s,
                   u"The request line and headers are larger than %1 bytes."_s.arg(
                       m_limits->maxHeadBytes),
                   m_requestStart);
            return k + 1;
        }
        if (c != '\n')
            continue;
        if (m_headerBlockStart < 0) {
            m_headerBlockStart = m_head.size();
            continue;
        }
        const qsizetype block = m_head.size() - m_headerBlockStart;
        const bool end = block == 1 || (block == 2 && m_head.endsWith("\r\n")) ||
                         (block > 2 && (m_head.endsWith("\n\n") || m_head.endsWith("\n\r\n")));
        if (end) {
            headComplete();
            return k + 1;
        }
    }
    return data.size();
}

bool ConnectionGuard::headComplete()
{
    const auto bad = [this](const QString &message) {
        reject(400, u"malformed_request"_s, message, m_requestStart);
        return false;
    };

    QByteArray requestLine = m_head.left(m_headerBlockStart - 1);
    if (requestLine.endsWith('\r'))
        requestLine.chop(1);
    QList<QByteArray> parts;
    for (const QByteArray &part : requestLine.split(' ')) {
        if (!part.isEmpty())
            parts.append(part);
    }
    if (parts.size() != 3 || !isToken(parts.at(0)))
        return bad(u"Malformed request line."_s);
    m_current = RequestHead{};
    m_current.method = parts.at(0);
    m_current.target = parts.at(1);
    const QByteArray &version = parts.at(2);
    if (version == "HTTP/1.1") {
        m_current.minorVersion = 1;
    } else if (version == "HTTP/1.0") {
        m_current.minorVersion = 0;
    } else if (version.startsWith("HTTP/")) {
        reject(505, u"http_version_not_supported"_s, u"Only HTTP/1.0 and HTTP/1.1 are served."_s,
               m_requestStart);
        return false;
    } else {
        return bad(u"Malformed request line."_s);
    }

    std::optional<qint64> contentLength;
    QList<QByteArray> transferCodings;
    QList<QByteArray> connectionTokens;
    QByteArray connectionValue;
    QByteArray upgradeValue;
    int fields = 0;
    const QList<QByteArray> lines = m_head.mid(m_headerBlockStart).split('\n');
    for (QByteArray line : lines) {
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty())
            break;
        if (line.startsWith(' ') || line.startsWith('\t'))
            return bad(u"Folded header lines are not accepted."_s);
        if (line.contains('\0'))
            return bad(u"Malformed header."_s);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(QByteArrayView(line).first(colon)))
            return bad(u"Malformed header."_s);
        if (++fields > m_limits->maxHeaderFields) {
            reject(431, u"headers_too_large"_s,
                   u"More than %1 header fields."_s.arg(m_limits->maxHeaderFields), m_requestStart);
            return false;
        }
        const QByteArray name = line.left(colon).toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name == "content-length") {
            // Differing lengths are the classic request-smuggling vector.
            if (!isDigits(value))
                return bad(u"Malformed Content-Length."_s);
            const qint64 length = value.toLongLong();
            if (contentLength && *contentLength != length)
                return bad(u"Conflicting Content-Length headers."_s);
            contentLength = length;
        } else if (name == "transfer-encoding") {
            transferCodings += commaTokens(value);
        } else if (name == "connection") {
            connectionTokens += commaTokens(value);
            connectionValue += value.toLower() + ',';
        } else if (name == "upgrade" && upgradeValue.isEmpty()) {
            upgradeValue = value;
        } else if (name == "origin" && m_current.origin.isEmpty()) {
            m_current.origin = value;
        } else if (name == "x-forwarded-for") {
            m_current.forwardedFor.append(value);
        }
    }

    const bool chunked = !transferCodings.isEmpty();
    if (chunked && contentLength)
        return bad(u"Content-Length and Transfer-Encoding must not be combined."_s);
    if (chunked && transferCodings != QList<QByteArray>{QByteArrayLiteral("chunked")}) {
        reject(501, u"unsupported_transfer_encoding"_s,
               u"Only the chunked transfer coding is supported."_s, m_requestStart);
        return false;
    }

    if (connectionTokens.contains("close"))
        m_current.keepAlive = false;
    else
        m_current.keepAlive =
            m_current.minorVersion == 1 || connectionTokens.contains("keep-alive");
    // the same test Qt applies before it hands the socket to its QWebSocketServer
    m_current.upgrade = connectionValue.contains("upgrade") &&
                        upgradeValue.compare("websocket", Qt::CaseInsensitive) == 0;

    const wire::Target target = wire::splitTarget(m_current.target);
    if (target.rawPath.isEmpty())
        return bad(u"Malformed request target."_s);
    const QByteArray limitMethod =
        m_current.method == "HEAD" ? QByteArrayLiteral("GET") : m_current.method;
    m_bodyLimit = m_limits->maxBodyBytes
                      ? m_limits->maxBodyBytes(limitMethod, QString::fromLatin1(target.rawPath))
                      : 1024 * 1024;

    m_bodySeen = 0;
    if (chunked) {
        m_stage = Stage::ChunkSize;
        m_chunkLine.clear();
        bodyProgress();
        return true;
    }
    if (contentLength && *contentLength > m_bodyLimit) {
        reject(413, u"payload_too_large"_s,
               u"The request body is larger than %1 bytes."_s.arg(m_bodyLimit), m_requestStart);
        return false;
    }
    if (contentLength && *contentLength > 0) {
        m_stage = Stage::Body;
        m_bodyRemaining = *contentLength;
        bodyProgress();
        return true;
    }
    m_requestStart = m_requestStart + m_head.size();
    requestComplete();
    return true;
}

void ConnectionGuard::requestComplete()
{
    m_heads.enqueue(m_current);
    const bool upgrade = m_current.upgrade;
    m_current = RequestHead{};
    m_head.clear();
    m_headerBlockStart = -1;
    m_stage = Stage::Head;
    m_bodyRemaining = 0;
    m_bodySeen = 0;
    m_chunkLine.clear();
    if (upgrade) {
        // What follows are WebSocket frames for QWebSocketServer, which also takes the
        // socket over; the EventHub has its own timeouts.
        m_mode = Mode::Passthrough;
        m_idleTimer.stop();
    }
}

void ConnectionGuard::bodyProgress()
{
    // A body that keeps arriving is not idle; a head trickling in is (slowloris).
    if (outstandingResponses() == 0)
        restartIdleTimer();
}

void ConnectionGuard::reject(int status, const QString &code, const QString &message,
                             qint64 startOffset)
{
    QJsonObject details;
    if (status == 413)
        details.insert(u"max_bytes"_s, double(m_bodyLimit));
    PendingReject pending;
    pending.startOffset = startOffset;
    pending.response = wire::errorResponse(status, code, message, details);
    pending.head = m_current;
    pending.head.rejected = true;
    m_pendingReject = std::move(pending);
    m_mode = Mode::RejectPending;
    maybeExecuteReject();
}

void ConnectionGuard::maybeExecuteReject()
{
    // Earlier pipelined requests still unread by Qt must be dispatched first; the
    // rejection takes effect once Qt's read position reaches the bad request.
    if (!m_pendingReject || m_qtPosition < m_pendingReject->startOffset)
        return;
    PendingReject pending = std::move(*m_pendingReject);
    m_pendingReject.reset();
    m_mode = Mode::Draining;
    m_closing = true;
    stopServerParsing();
    discardInput();

    const QString requestId = wire::generateRequestId();
    const wire::Target target = wire::splitTarget(pending.head.target);
    const QHostAddress peer = normalizedAddress(m_socket->peerAddress());
    logging::access(pending.head.method.isEmpty() ? QByteArrayView("-") : pending.head.method,
                    target.rawPath.isEmpty() ? QByteArrayView("-") : target.rawPath,
                    pending.response.status, 0.0, requestId,
                    clientAddress(peer, pending.head.forwardedFor, m_limits->trustedProxies),
                    "rejected before the body was read", peer);
    if (m_limits->corsHeaders)
        m_limits->corsHeaders(pending.response, pending.head.origin);
    deliver(reserveResponse(),
            wire::serialize(pending.response, requestId,
                            {.connection = wire::Connection::Close, .tls = m_tls}),
            true);
}

void ConnectionGuard::discardInput()
{
    if (m_socket->isTransactionStarted())
        m_socket->commitTransaction();
    const qint64 available = m_socket->bytesAvailable();
    if (available > 0)
        m_socket->skip(available);
}

std::optional<RequestHead> ConnectionGuard::takeHead()
{
    if (m_heads.isEmpty())
        return std::nullopt;
    return m_heads.dequeue();
}

quint64 ConnectionGuard::reserveResponse()
{
    m_idleTimer.stop();
    return m_nextPosition++;
}

void ConnectionGuard::deliver(quint64 position, QByteArray bytes, bool closeAfter)
{
    if (position < m_nextToWrite || m_writeClosed)
        return;
    m_ready[position] = Outgoing{std::move(bytes), closeAfter};
    writeReady();
}

void ConnectionGuard::writeReady()
{
    while (!m_writeClosed) {
        const auto it = m_ready.find(m_nextToWrite);
        if (it == m_ready.end())
            break;
        Outgoing out = std::move(it->second);
        m_ready.erase(it);
        ++m_nextToWrite;
        if (m_socket->state() == QAbstractSocket::ConnectedState)
            m_socket->write(out.bytes);
        if (out.closeAfter) {
            m_ready.clear();
            closeGracefully();
            return;
        }
    }
    if (outstandingResponses() == 0 && !m_closing && m_mode == Mode::Scanning)
        restartIdleTimer();
}

void ConnectionGuard::noMoreRequests()
{
    m_closing = true;
    if (m_mode == Mode::Scanning || m_mode == Mode::RejectPending) {
        m_pendingReject.reset();
        m_mode = Mode::Draining;
        stopServerParsing();
    }
}

void ConnectionGuard::stopServerParsing()
{
    if (m_httpServer)
        QObject::disconnect(m_socket, &QTcpSocket::readyRead, m_httpServer, nullptr);
}

void ConnectionGuard::closeGracefully()
{
    m_closing = true;
    m_writeClosed = true;
    m_idleTimer.stop();
    if (m_mode != Mode::Draining) {
        m_mode = Mode::Draining;
        stopServerParsing();
        discardInput();
    }
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    if (auto *ssl = qobject_cast<QSslSocket *>(m_socket)) {
        // QSslSocket emits bytesWritten once it has encrypted the bytes, before the
        // ciphertext even reaches the TCP socket: shutting down then would lose it.
        connect(ssl, &QSslSocket::encryptedBytesWritten, this, &ConnectionGuard::halfCloseWhenSent);
    } else {
        connect(m_socket, &QTcpSocket::bytesWritten, this, &ConnectionGuard::halfCloseWhenSent);
    }
    halfCloseWhenSent();
}

void ConnectionGuard::halfCloseWhenSent()
{
    qint64 unsent = m_socket->bytesToWrite();
    if (auto *ssl = qobject_cast<QSslSocket *>(m_socket))
        unsent += ssl->encryptedBytesToWrite();
    if (unsent == 0)
        halfCloseAndLinger();
}

void ConnectionGuard::halfCloseAndLinger()
{
    if (m_lingerTimer.isActive())
        return;
#ifdef Q_OS_UNIX
    // Send FIN but keep reading (and discarding): closing outright with unread request
    // bytes makes the kernel answer with RST, and the client may lose our error response.
    ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
    m_lingerTimer.start(m_limits->linger);
#else
    m_socket->disconnectFromHost();
#endif
}

void ConnectionGuard::restartIdleTimer()
{
    if (m_limits->idleTimeout.count() > 0)
        m_idleTimer.start(m_limits->idleTimeout);
}

void ConnectionGuard::onIdleTimeout()
{
    if (m_mode == Mode::Passthrough || m_mode == Mode::Draining)
        return;
    if (outstandingResponses() > 0)
        return; // writeReady() restarts the timer once the last response is out
    if (!m_heads.isEmpty()) {
        restartIdleTimer(); // Qt has a complete request queued to dispatch
        return;
    }
    if (m_mode == Mode::RejectPending) {
        m_pendingReject->startOffset = 0;
        maybeExecuteReject();
        return;
    }
    if (m_stage == Stage::Head && m_head.isEmpty()) {
        // an idle keep-alive connection: close quietly
        m_closing = true;
        m_writeClosed = true;
        stopServerParsing();
        m_socket->disconnectFromHost();
        return;
    }
    // slow headers or a stalled body
    reject(408, u"request_timeout"_s, u"The request was not received in time."_s, 0);
}

} // namespace md::server
