#include "apitestsupport.h"

#include "auth/authservice.h"
#include "security/passwordhasher.h"
#include "storage/authrepositories.h"
#include "storage/database.h"

#include <QUuid>

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

HttpReply HttpClient::del(const QString &path)
{
    return send("DELETE", path, {}, {});
}

HttpReply HttpClient::send(const QByteArray &method, const QString &path, const QByteArray &body,
                           const QByteArray &contentType,
                           const QList<QPair<QByteArray, QByteArray>> &headers)
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
    if (!m_bearer.isEmpty())
        request.setRawHeader("Authorization", QByteArray("Bearer " + m_bearer));
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
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

TestServer::TestServer(const QString &backend, bool demo,
                       const std::function<void(server::ServerConfig &)> &configure)
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
    config.rateLimitPerMinute = 0; // suites make thousands of requests from one address
    if (configure)
        configure(config);
    m_app = std::make_unique<server::ServerApp>(config);
    m_running = m_app->start(&m_error);
    if (!m_running)
        return;
    m_client = std::make_unique<HttpClient>(url());
    m_admin = createUser(domain::Role::Admin);
    m_client->setBearer(tokenFor(m_admin));
}

std::unique_ptr<HttpClient> TestServer::anonymousClient() const
{
    return std::make_unique<HttpClient>(url());
}

domain::User TestServer::createUser(domain::Role role, const QString &organizationId,
                                    const QString &email, const QString &password)
{
    domain::User user;
    user.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    user.name = u"Test %1 %2"_s.arg(domain::toString(role)).arg(++m_users);
    user.email =
        !email.isEmpty()
            ? email
            : u"%1-%2@test.example"_s.arg(domain::toString(role).replace(u'_', u'-')).arg(m_users);
    user.role = role;
    user.organizationId = organizationId;
    user.active = true;
    user.verified = true;
    if (!password.isEmpty())
        user.passwordHash = security::PasswordHasher::hash(password.toUtf8(), 4);
    user.createdAt = user.updatedAt = QDateTime::currentDateTimeUtc();
    storage::Repositories repos(m_app->database());
    m_app->database().transaction([&] { repos.users().insert(user); });
    return user;
}

QByteArray TestServer::tokenFor(const domain::User &user)
{
    storage::Repositories repos(m_app->database());
    const QString engineerId = repos.users().engineerIdOf(user.id).value_or(QString());
    return m_app->auth().issueAccessToken(user, engineerId,
                                          QUuid::createUuid().toString(QUuid::WithoutBraces));
}

std::unique_ptr<HttpClient> TestServer::signIn(domain::Role role, const QString &organizationId,
                                               domain::User *created)
{
    const domain::User user = createUser(role, organizationId);
    if (created)
        *created = user;
    auto client = std::make_unique<HttpClient>(url());
    client->setBearer(tokenFor(user));
    return client;
}

TestServer::~TestServer()
{
    m_client.reset();
    m_app.reset();
    m_database.reset();
}

QString TestServer::databaseLocation() const
{
    return m_database->database->location();
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
