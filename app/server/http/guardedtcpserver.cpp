#include "guardedtcpserver.h"

#include <QTcpSocket>

#include <spdlog/spdlog.h>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

namespace md::server {

GuardedTcpServer::GuardedTcpServer(QObject *httpServer,
                                   std::shared_ptr<const ConnectionGuard::Limits> limits,
                                   QObject *parent)
    : QTcpServer(parent), m_httpServer(httpServer), m_limits(std::move(limits))
{}

void GuardedTcpServer::attachAfterHttpServer()
{
    connect(this, &QTcpServer::pendingConnectionAvailable, this,
            &GuardedTcpServer::connectAfterSlots, Qt::UniqueConnection);
}

void GuardedTcpServer::incomingConnection(qintptr socketDescriptor)
{
    auto *socket = new QTcpSocket(this);
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
