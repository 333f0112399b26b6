#include "apitestsupport.h"

#include "testlib/testdatabase.h"

#include <QEventLoop>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace md::test {

QByteArray HttpReply::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QString HttpReply::errorCode() const
{
    return json.value(u"error"_s).toObject().value(u"code"_s).toString();
}

QJsonObject HttpReply::errorFields() const
{
    return json.value(u"error"_s)
        .toObject()
        .value(u"details"_s)
        .toObject()
        .value(u"fields"_s)
        .toObject();
}

bool HttpReply::isErrorEnvelope() const
{
    if (json.size() != 1 || !json.value(u"error"_s).isObject())
        return false;
    const QJsonObject e = json.value(u"error"_s).toObject();
    const QString code = e.value(u"code"_s).toString();
    static const QRegularExpression snake(u"^[a-z][a-z0-9_]*$"_s);
    return snake.match(code).hasMatch() && !e.value(u"message"_s).toString().isEmpty() &&
           (!e.contains(u"details"_s) || e.value(u"details"_s).isObject());
}

HttpReply HttpClient::get(const QString &path)
{
    return send("GET", path, {}, {});
}

HttpReply HttpClient::post(const QString &path, const QJsonObject &body)
{
    return send("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

HttpReply HttpClient::patch(const QString &path, const QJsonObject &body)
{
    return send("PATCH", path, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

HttpReply HttpClient::send(const QByteArray &method, const QString &path, const QByteArray &body,
                           const QByteArray &contentType)
{
    // The path is taken as written (already percent-encoded where the test wants it).
    QUrl url = m_base;
    const qsizetype q = path.indexOf(u'?');
    url.setPath(path.left(q), QUrl::TolerantMode);
    if (q >= 0)
        url.setQuery(path.mid(q + 1), QUrl::TolerantMode);
    QNetworkRequest request(url);
    request.setTransferTimeout(30000);
    if (!contentType.isEmpty())
        request.setRawHeader("Content-Type", contentType);
    QNetworkReply *reply = m_nam.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    HttpReply result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    result.headers = reply->rawHeaderPairs();
    const QJsonDocument doc = QJsonDocument::fromJson(result.body);
    if (doc.isObject())
        result.json = doc.object();
    reply->deleteLater();
    return result;
}

struct TestServer::DatabaseHandle
{
    std::unique_ptr<testlib::TestDatabase> database;
};

TestServer::TestServer(const QString &backend, bool demo)
    : m_database(std::make_unique<DatabaseHandle>())
{
    const storage::Backend b =
        backend == u"postgres"_s ? storage::Backend::Postgres : storage::Backend::Sqlite;
    m_database->database = testlib::TestDatabase::create(b, &m_error);
    if (!m_database->database)
        return;
    server::ServerConfig config;
    config.listenAddress = QHostAddress::LocalHost;
    config.listenPort = 0;
    config.dataDir = m_dataDir.path();
    config.database = m_database->database->location();
    config.demo = demo;
    config.workerThreads = 4;
    m_app = std::make_unique<server::ServerApp>(config);
    m_running = m_app->start(&m_error);
    if (m_running)
        m_client = std::make_unique<HttpClient>(url());
}

TestServer::~TestServer()
{
    m_client.reset();
    m_app.reset();
    m_database.reset();
}

QUrl TestServer::url() const
{
    QUrl u;
    u.setScheme(u"http"_s);
    u.setHost(u"127.0.0.1"_s);
    u.setPort(m_app ? m_app->port() : 0);
    return u;
}

} // namespace md::test
