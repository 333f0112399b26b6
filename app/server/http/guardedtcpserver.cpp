#include "guardedtcpserver.h"

#include <QSslSocket>
#include <QTcpSocket>

#include <spdlog/spdlog.h>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

namespace md::server {

GuardedTcpServer::GuardedTcpServer(QObject *httpServer,
                                   std::shared_ptr<const ConnectionGuard::Limits> limits,
                                   std::optional<QSslConfiguration> tls, QObject *parent)
    : QTcpServer(parent), m_httpServer(httpServer), m_limits(std::move(limits)),
      m_tls(std::move(tls))
{}

void GuardedTcpServer::attachAfterHttpServer()
{
    connect(this, &QTcpServer::pendingConnectionAvailable, this,
            &GuardedTcpServer::connectAfterSlots, Qt::UniqueConnection);
}

void GuardedTcpServer::incomingConnection(qintptr socketDescriptor)
{
    QTcpSocket *socket = nullptr;
    if (m_tls) {
        auto *ssl = new QSslSocket(this);
        ssl->setSslConfiguration(*m_tls);
        socket = ssl;
    } else {
        socket = new QTcpSocket(this);
    }
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        spdlog::warn("cannot adopt an accepted connection: {}",
                     socket->errorString().toStdString());
        delete socket;
#ifdef Q_OS_UNIX
        ::close(int(socketDescriptor));
#endif
        return;
    }
    auto *guard = new ConnectionGuard(socket, m_httpServer, m_limits);
    connect(socket, &QTcpSocket::readyRead, guard, &ConnectionGuard::beforeServerRead);
    if (m_tls)
        startHandshake(socket);
    else
        hand(socket, guard);
}

void GuardedTcpServer::startHandshake(QTcpSocket *socket)
{
    auto *ssl = static_cast<QSslSocket *>(socket);
    // Until it is handed over, the socket is ours to delete.
    const auto dropped = std::make_shared<QMetaObject::Connection>(
        connect(ssl, &QAbstractSocket::disconnected, ssl, &QObject::deleteLater));
    const auto failed = std::make_shared<QMetaObject::Connection>(
        connect(ssl, &QAbstractSocket::errorOccurred, ssl, [ssl](QAbstractSocket::SocketError) {
            spdlog::debug("TLS handshake with {} failed: {}",
                          ssl->peerAddress().toString().toStdString(),
                          ssl->errorString().toStdString());
            ssl->abort();
            ssl->deleteLater();
        }));
    connect(ssl, &QSslSocket::encrypted, this, [this, ssl, dropped, failed] {
        QObject::disconnect(*dropped);
        QObject::disconnect(*failed);
        hand(ssl, ConnectionGuard::of(ssl));
    });
    ssl->startServerEncryption();
}

void GuardedTcpServer::hand(QTcpSocket *socket, ConnectionGuard *guard)
{
    m_unwired.append(guard);
    addPendingConnection(socket);
}

void GuardedTcpServer::connectAfterSlots()
{
    // QAbstractHttpServer has taken every pending socket by now (it drains the queue in
    // its own pendingConnectionAvailable slot, connected before ours).
    const auto guards = std::exchange(m_unwired, {});
    for (const QPointer<ConnectionGuard> &guard : guards) {
        if (!guard)
            continue;
        auto *socket = static_cast<QTcpSocket *>(guard->parent());
        connect(socket, &QTcpSocket::readyRead, guard.data(), &ConnectionGuard::afterServerRead);
    }
}

} // namespace md::server
