#pragma once

#include "connectionguard.h"

#include <QList>
#include <QPointer>
#include <QSslConfiguration>
#include <QTcpServer>
#include <memory>
#include <optional>

namespace md::server {

/// A QTcpServer that creates each socket itself so that a ConnectionGuard is attached
/// to readyRead before QAbstractHttpServer connects its parser, and another slot right
/// after it (slots run in connection order).
///
/// With a TLS configuration it serves HTTPS only: every socket is a QSslSocket in server
/// mode, guarded from the first byte (the guard's idle timeout also ends stalled
/// handshakes), and handed to the HTTP server only once the handshake has succeeded, so
/// Qt's parser never sees a connection that is not encrypted. A failed handshake (plain
/// HTTP on this port, a protocol below the configured minimum) just closes the socket.
/// This replaces QSslServer / QAbstractHttpServer::sslSetup, which create their sockets
/// themselves and so could not be guarded.
class GuardedTcpServer final : public QTcpServer
{
    Q_OBJECT
public:
    GuardedTcpServer(QObject *httpServer, std::shared_ptr<const ConnectionGuard::Limits> limits,
                     std::optional<QSslConfiguration> tls, QObject *parent = nullptr);

    /// Call once, after QAbstractHttpServer::bind(this): from then on our
    /// pendingConnectionAvailable slot runs after the HTTP server's one, when Qt's own
    /// readyRead handler is already connected.
    void attachAfterHttpServer();
    bool isTls() const { return m_tls.has_value(); }

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    void startHandshake(QTcpSocket *socket);
    void hand(QTcpSocket *socket, ConnectionGuard *guard);
    void connectAfterSlots();

    QPointer<QObject> m_httpServer;
    std::shared_ptr<const ConnectionGuard::Limits> m_limits;
    std::optional<QSslConfiguration> m_tls;
    QList<QPointer<ConnectionGuard>> m_unwired;
};

} // namespace md::server
