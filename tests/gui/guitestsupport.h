#pragma once

// GUI test support: a real meddispatch server (TestServer over SQLite, with the demo
// data set by default) and the desktop's own client objects — ApiClient, Session over
// an in-memory credential store, EventStream — signed in against it over real HTTP.

#include "../integration/api/apitestsupport.h"
#include "apiclient.h"
#include "common/viewcontext.h"
#include "connectionmonitor.h"
#include "credentialstore.h"
#include "eventstream.h"
#include "session.h"

#include <memory>

namespace md::test {

/// The demo accounts' password (app/server/auth/demoaccounts.cpp).
inline constexpr auto kDemoPassword = "MedDispatch-Demo-2026";

class GuiFixture final
{
public:
    explicit GuiFixture(bool demo = true,
                        const std::function<void(server::ServerConfig &)> &configure = {});
    ~GuiFixture();
    bool isRunning() const { return m_server->isRunning(); }
    QString error() const { return m_server->error(); }

    TestServer &server() { return *m_server; }
    client::ApiClient &api() { return *m_api; }
    client::Session &session() { return *m_session; }
    client::MemoryCredentialStore &store() { return *m_store; }
    client::ConnectionMonitor &connection() { return *m_connection; }
    /// Started on first use (authenticates with the session's token).
    client::EventStream &events();
    /// api, session, connection; events only once events() was called.
    ui::ViewContext context();

    /// Signs the session in with a password login, as a new user of that role and
    /// organization (created directly in the database). Waits up to 15 s.
    bool signIn(domain::Role role, const QString &organizationId = {});
    /// Signs in as a demo account (demo fixture only), e.g. "admin@meddispatch.example".
    bool signInDemo(const QString &email);
    /// The first organization of a type in the demo data ("hospital", ...), by name order.
    QString firstOrganizationId(const QString &type);

    /// A demo ticket in status "new" with the ids of the engineers suggested for it, best
    /// first (as the server ranks them for the fixture's administrator).
    struct NewTicket
    {
        QJsonObject ticket;
        QStringList engineerIds;
        QString id() const { return ticket.value(QLatin1String("id")).toString(); }
    };
    /// The newest `limit` demo tickets in status "new", each with its suggestions.
    QList<NewTicket> newTickets(int limit = 20);

private:
    bool login(const QString &identifier, const QString &password);

    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<client::MemoryCredentialStore> m_store;
    std::unique_ptr<client::ApiClient> m_api;
    std::unique_ptr<client::Session> m_session;
    std::unique_ptr<client::ConnectionMonitor> m_connection;
    std::unique_ptr<client::EventStream> m_events;
};

} // namespace md::test
