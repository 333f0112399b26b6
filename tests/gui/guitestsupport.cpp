#include "guitestsupport.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace md::test {

GuiFixture::GuiFixture(bool demo, const std::function<void(server::ServerConfig &)> &configure)
    : m_server(std::make_unique<TestServer>(u"sqlite"_s, demo, configure)),
      m_store(std::make_unique<client::MemoryCredentialStore>()),
      m_api(std::make_unique<client::ApiClient>())
{
    m_api->setBaseUrl(m_server->url());
    m_session = std::make_unique<client::Session>(m_api.get(), m_store.get());
    m_api->setSession(m_session.get());
    m_connection = std::make_unique<client::ConnectionMonitor>(m_api.get());
}

GuiFixture::~GuiFixture()
{
    m_events.reset();
    m_connection.reset();
    m_api->setSession(nullptr);
    m_session.reset();
    m_api.reset();
}

client::EventStream &GuiFixture::events()
{
    if (!m_events) {
        m_events = std::make_unique<client::EventStream>(m_session.get());
        m_events->start(m_server->url());
    }
    return *m_events;
}

ui::ViewContext GuiFixture::context()
{
    return ui::ViewContext{m_api.get(), m_session.get(), m_events.get(), m_connection.get()};
}

bool GuiFixture::login(const QString &identifier, const QString &password)
{
    bool done = false;
    client::ApiResult result;
    QObject context;
    m_api->postAnonymous(u"/v1/auth/login"_s,
                         QJsonObject{{u"identifier"_s, identifier},
                                     {u"password"_s, password},
                                     {u"device_name"_s, u"GUI test"_s}},
                         &context, [&](const client::ApiResult &r) {
                             result = r;
                             done = true;
                         });
    if (!QTest::qWaitFor([&] { return done; }, 15000) || !result.ok()) {
        qWarning("login failed: %s", qPrintable(result.error.userMessage()));
        return false;
    }
    QSignalSpy signedIn(m_session.get(), &client::Session::signedIn);
    m_session->acceptTokens(result.json);
    return m_session->isSignedIn() || signedIn.wait(5000);
}

bool GuiFixture::signIn(domain::Role role, const QString &organizationId)
{
    const QString password = u"Gui-Test-Passphrase-42"_s;
    const domain::User user = m_server->createUser(role, organizationId, {}, password);
    return login(user.email, password);
}

bool GuiFixture::signInDemo(const QString &email)
{
    return login(email, QString::fromLatin1(kDemoPassword));
}

QString GuiFixture::firstOrganizationId(const QString &type)
{
    QUrlQuery query;
    query.addQueryItem(u"type"_s, type);
    query.addQueryItem(u"limit"_s, u"1"_s);
    const HttpReply reply = m_server->client().get(u"/v1/organizations?"_s + query.toString());
    const QJsonArray data = reply.json.value(u"data"_s).toArray();
    return data.isEmpty() ? QString() : data.first().toObject().value(u"id"_s).toString();
}

QList<GuiFixture::NewTicket> GuiFixture::newTickets(int limit)
{
    QList<NewTicket> tickets;
    HttpClient &http = m_server->client();
    const HttpReply reply = http.get(u"/v1/tickets?status=new&limit="_s + QString::number(limit));
    for (const QJsonValue &t : reply.json.value(u"data"_s).toArray()) {
        NewTicket ticket{t.toObject(), {}};
        const QJsonArray suggestions =
            http.get(u"/v1/engineers/suggestions?ticket_id="_s + ticket.id())
                .json.value(u"data"_s)
                .toArray();
        for (const QJsonValue &s : suggestions)
            ticket.engineerIds.append(
                s.toObject().value(u"engineer"_s).toObject().value(u"id"_s).toString());
        tickets.append(ticket);
    }
    return tickets;
}

} // namespace md::test
