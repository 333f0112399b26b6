#pragma once

#include "clientaddress.h"
#include "httpresponse.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QQueue>
#include <QString>
#include <QTimer>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>

class QTcpSocket;

namespace md::server {

/// What the guard learnt from one request head before Qt's parser saw it. Qt 6.4's
/// QHttpServerRequest exposes neither the HTTP version nor the raw request target.
struct RequestHead
{
    QByteArray method;
    QByteArray target; // raw request-target as sent
    int minorVersion = 1;
    bool keepAlive = true; // after the Connection header and the version
    bool upgrade = false;  // Connection: upgrade + Upgrade: websocket
    QByteArray origin;     // the Origin header, for CORS headers on the guard's own answers
    QList<QByteArray> forwardedFor; // X-Forwarded-For headers, for the access log
    bool rejected = false;          // answered by the guard; Qt must never dispatch it
};

/// Per-connection protection and bookkeeping for QtHttpServer 6.4, which has no limits
/// of its own (FACTS.md). One guard is a child of each accepted socket. Its
/// beforeServerRead() runs on readyRead *before* Qt's parser and afterServerRead()
/// right after it, so it sees every byte first and knows how far Qt has read: it
/// rejects oversized heads (431) and bodies (413) before they are buffered, closes idle
/// and slow-header connections, and writes responses in request order (pipelining).
class ConnectionGuard final : public QObject
{
    Q_OBJECT
public:
    struct Limits
    {
        qint64 maxHeadBytes = 64 * 1024;
        int maxHeaderFields = 100;
        std::chrono::milliseconds idleTimeout{15000};
        /// How long a rejected connection is drained before it is reset, so that the
        /// client can read the error instead of losing it to a TCP RST.
        std::chrono::milliseconds linger{2000};
        /// Largest body for method + decoded path.
        std::function<qint64(const QByteArray &method, const QString &path)> maxBodyBytes;
        /// Adds the CORS headers to the guard's own answers (408, 413, 431, ...), so that
        /// a browser front end can read why its request failed.
        std::function<void(HttpResponse &response, const QByteArray &origin)> corsHeaders;
        /// Whose X-Forwarded-For names the client in the access log.
        TrustedProxies trustedProxies;
    };

    ConnectionGuard(QTcpSocket *socket, QObject *httpServer, std::shared_ptr<const Limits> limits);
    ~ConnectionGuard() override;

    static ConnectionGuard *of(const QTcpSocket *socket);

    /// The connection is HTTPS (a QSslSocket): responses carry Strict-Transport-Security.
    bool isTls() const { return m_tls; }

    /// Connected to readyRead before / after the HTTP server's own handler.
    void beforeServerRead();
    void afterServerRead();

    /// The head of the request Qt just completed (heads are queued in stream order).
    std::optional<RequestHead> takeHead();
    /// Reserves the next response position; the idle timer pauses until it is delivered.
    quint64 reserveResponse();
    /// Writes bytes at their position once every earlier response has been written.
    /// closeAfter closes the connection after this response (later ones are dropped).
    void deliver(quint64 position, QByteArray bytes, bool closeAfter);
    /// No more requests are accepted on this connection (Connection: close seen, a
    /// rejection, or the idle timeout).
    bool isClosing() const { return m_closing; }
    /// The request being dispatched is the connection's last (Connection: close):
    /// stop parsing and discard whatever the client sends after it.
    void noMoreRequests();
    /// Stops Qt's parser from reading this connection any further.
    void stopServerParsing();
    int outstandingResponses() const { return int(m_nextPosition - m_nextToWrite); }

private:
    enum class Stage
    {
        Head,
        Body,
        ChunkSize,
        ChunkData,
        ChunkDataEnd,
        LastChunkEnd
    };
    enum class Mode
    {
        Scanning,
        RejectPending,
        Draining,
        Passthrough
    };

    void scan(QByteArrayView fresh, qint64 offset);
    qsizetype scanHead(QByteArrayView data, qint64 offset);
    bool headComplete();
    void requestComplete();
    void bodyProgress();
    void reject(int status, const QString &code, const QString &message, qint64 startOffset);
    void maybeExecuteReject();
    void discardInput();
    void writeReady();
    void closeGracefully();
    void halfCloseWhenSent();
    void halfCloseAndLinger();
    void onIdleTimeout();
    void restartIdleTimer();

    QTcpSocket *m_socket;
    bool m_tls = false;
    QPointer<QObject> m_httpServer;
    std::shared_ptr<const Limits> m_limits;

    // Stream accounting: bytes this guard has scanned, and Qt's read position after its
    // last readyRead handler, both as absolute offsets in the connection's byte stream.
    qint64 m_arrived = 0;
    qint64 m_qtPosition = 0;

    Mode m_mode = Mode::Scanning;
    Stage m_stage = Stage::Head;
    QByteArray m_head;
    qsizetype m_headerBlockStart = -1; // index in m_head after the request line
    qint64 m_requestStart = 0;         // absolute offset of the current request
    RequestHead m_current;
    qint64 m_bodyLimit = 0;
    qint64 m_bodyRemaining = 0; // fixed length, or of the current chunk
    qint64 m_bodySeen = 0;      // decoded bytes so far (chunked)
    QByteArray m_chunkLine;
    QQueue<RequestHead> m_heads;

    struct PendingReject
    {
        qint64 startOffset = 0;
        HttpResponse response;
        RequestHead head;
    };
    std::optional<PendingReject> m_pendingReject;

    quint64 m_nextPosition = 0;
    quint64 m_nextToWrite = 0;
    struct Outgoing
    {
        QByteArray bytes;
        bool closeAfter = false;
    };
    std::map<quint64, Outgoing> m_ready;
    bool m_closing = false;
    bool m_writeClosed = false;

    QTimer m_idleTimer;
    QTimer m_lingerTimer;
    QElapsedTimer m_requestClock;
};

} // namespace md::server
