#pragma once

#include "serverconfig.h"

#include <QObject>
#include <memory>

namespace md::storage {
class Database;
}

namespace md::server {

class HttpServer;

/// The composition root of meddispatch-server: opens and migrates the database, seeds
/// demo data when asked, registers every controller's routes and starts listening.
/// Tests create one on port 0.
class ServerApp final : public QObject
{
    Q_OBJECT
public:
    explicit ServerApp(ServerConfig config, QObject *parent = nullptr);
    ~ServerApp() override;

    /// false with *error set when the database or the socket cannot be opened.
    bool start(QString *error);
    quint16 port() const;
    storage::Database &database();
    HttpServer &httpServer();

private:
    void registerMetricsRoute();
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace md::server
