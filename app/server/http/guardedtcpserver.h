#pragma once

#include "connectionguard.h"

#include <QList>
#include <QPointer>
#include <QTcpServer>
#include <memory>

namespace md::server {

/// A QTcpServer that creates each socket itself so that a ConnectionGuard is attached
/// to readyRead before QAbstractHttpServer connects its parser, and another slot right
/// after it (slots run in connection order).
class GuardedTcpServer final : public QTcpServer
{
    Q_OBJECT
public:
    GuardedTcpServer(QObject *httpServer, std::shared_ptr<const ConnectionGuard::Limits> limits,
                     QObject *parent = nullptr);

    /// Call once, after QAbstractHttpServer::bind(this): from then on our
    /// pendingConnectionAvailable slot runs after the HTTP server's one, when Qt's own
    /// readyRead handler is already connected.
    void attachAfterHttpServer();

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    void connectAfterSlots();

    QPointer<QObject> m_httpServer;
    std::shared_ptr<const ConnectionGuard::Limits> m_limits;
    QList<QPointer<ConnectionGuard>> m_unwired;
};

} // namespace md::server
