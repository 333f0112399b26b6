#pragma once

#include "serverconfig.h"

#include <QObject>
#include <memory>

namespace md::storage {
class Database;
}

namespace md::server {

class HttpServer;
class AuthService;
class Notifier;
struct NotifierConfig;

/// The composition root of meddispatch-server: opens and migrates the database, seeds
/// demo data when asked, registers every controller's routes and starts listening.
/// Tests create one on port 0.
class ServerApp final : public QObject
{
    Q_OBJECT
public:
    explicit ServerApp(ServerConfig config, QObject *parent = nullptr);
    ~ServerApp() override;

    /// Opens (and migrates, and with --demo seeds) the database without serving: what
    /// the create-admin and verify-audit commands need. start() calls it if needed.
    bool openStorage(QString *error);
    /// false with *error set when the database, the keys or the socket cannot be opened.
    bool start(QString *error);
    quint16 port() const;
    storage::Database &database();
    HttpServer &httpServer();
    AuthService &auth();  // after start()
    Notifier &notifier(); // after start()
    static NotifierConfig notifierConfig(const ServerConfig &config);

private:
    void registerMetricsRoute();
    bool startAuthentication(QString *error);
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace md::server
