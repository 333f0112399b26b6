#pragma once

// Test support for the API suites: a real meddispatch server (ServerApp) on a free
// loopback port over a fresh database of either backend, and a small synchronous HTTP
// client built on QNetworkAccessManager (tests may block; the server never does).

#include "serverapp.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QTemporaryDir>
#include <QUrl>
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
    /// Anything: raw body bytes and an explicit content type (empty: no header).
    HttpReply send(const QByteArray &method, const QString &path, const QByteArray &body,
                   const QByteArray &contentType = "application/json");

private:
    QUrl m_base;
    QNetworkAccessManager m_nam;
};

/// A running server over a fresh, migrated, empty database of the given backend
/// ("sqlite" or "postgres"). Stops and drops the database when destroyed.
class TestServer final
{
public:
    explicit TestServer(const QString &backend, bool demo = false);
    ~TestServer();
    bool isRunning() const { return m_running; }
    QString error() const { return m_error; }
    QUrl url() const;
    HttpClient &client() { return *m_client; }
    server::ServerApp &app() { return *m_app; }

private:
    struct DatabaseHandle;
    std::unique_ptr<DatabaseHandle> m_database;
    QTemporaryDir m_dataDir;
    std::unique_ptr<server::ServerApp> m_app;
    std::unique_ptr<HttpClient> m_client;
    bool m_running = false;
    QString m_error;
};

} // namespace md::test
