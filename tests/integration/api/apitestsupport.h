#pragma once

// Test support for the API suites: a real meddispatch server (ServerApp) on a free
// loopback port over a fresh database of either backend, and a small synchronous HTTP
// client built on QNetworkAccessManager (tests may block; the server never does).

#include "domain/user.h"
#include "serverapp.h"
#include "serverconfig.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QTemporaryDir>
#include <QUrl>
#include <functional>
#include <memory>

namespace md::test {

struct HttpReply
{
    int status = 0; // 0: no HTTP answer (connection error or timeout)
    QByteArray body;
    QJsonObject json; // the body when it is a JSON object
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray header(const QByteArray &name) const;
    /// error.code of an error envelope, or empty.
    QString errorCode() const;
    /// error.details.fields of a 422: field name -> problem.
    QJsonObject errorFields() const;
    /// True when the body is exactly an API.md error envelope.
    bool isErrorEnvelope() const;
};

class HttpClient final
{
public:
    explicit HttpClient(QUrl base) : m_base(std::move(base)) {}
    HttpReply get(const QString &path);
    HttpReply post(const QString &path, const QJsonObject &body);
    HttpReply patch(const QString &path, const QJsonObject &body);
    HttpReply del(const QString &path);
    /// Anything: raw body bytes and an explicit content type (empty: no header).
    HttpReply send(const QByteArray &method, const QString &path, const QByteArray &body,
                   const QByteArray &contentType = "application/json",
                   const QList<QPair<QByteArray, QByteArray>> &headers = {});
    /// Sent as "Authorization: Bearer <token>" with every request; empty: none.
    void setBearer(QByteArray token) { m_bearer = std::move(token); }
    const QByteArray &bearer() const { return m_bearer; }

private:
    QUrl m_base;
    QByteArray m_bearer;
    QNetworkAccessManager m_nam;
};

/// A running server over a fresh, migrated, empty database of the given backend
/// ("sqlite" or "postgres"). Stops and drops the database when destroyed. client() is
/// signed in as an `admin` (created at start); signIn() makes users of other roles.
class TestServer final
{
public:
    explicit TestServer(const QString &backend, bool demo = false,
                        const std::function<void(server::ServerConfig &)> &configure = {});
    ~TestServer();
    bool isRunning() const { return m_running; }
    QString error() const { return m_error; }
    QUrl url() const;
    HttpClient &client() { return *m_client; }
    /// A new client with no credentials.
    std::unique_ptr<HttpClient> anonymousClient() const;

    /// Creates an active, verified user (e-mail <role>-<n>@test.example unless given)
    /// directly in the database; with a password when one is given.
    domain::User createUser(domain::Role role, const QString &organizationId = {},
                            const QString &email = {}, const QString &password = {});
    /// An access token for that user (as a sign-in would issue).
    QByteArray tokenFor(const domain::User &user);
    /// A client signed in as a new user of that role and organization.
    std::unique_ptr<HttpClient> signIn(domain::Role role, const QString &organizationId = {},
                                       domain::User *created = nullptr);
    const domain::User &admin() const { return m_admin; }
    /// The database the server runs on (SQLite path or postgresql:// URL).
    QString databaseLocation() const;
    QString dataDir() const { return m_dataDir.path(); }
    server::ServerApp &app() { return *m_app; }

private:
    struct DatabaseHandle;
    std::unique_ptr<DatabaseHandle> m_database;
    QTemporaryDir m_dataDir;
    std::unique_ptr<server::ServerApp> m_app;
    std::unique_ptr<HttpClient> m_client;
    domain::User m_admin;
    int m_users = 0;
    bool m_running = false;
    QString m_error;
};

} // namespace md::test
