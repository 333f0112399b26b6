#pragma once

#include "domain/clock.h"
#include "principal.h"
#include "storage/database.h"
#include "storage/repositories.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <optional>

namespace md::server {

/// A change that clients watching /v1/events should hear about.
struct Event
{
    QString type; // "ticket.created", "ticket.updated", "assignment.created", "counts.changed"
    QJsonObject data;
    /// Who may hear it (filled by RequestContext::publish from the data): members of
    /// these organizations, these engineers, and the platform roles.
    QStringList organizationIds;
    QStringList engineerIds;
};

/// A /v1/events subscriber, from the token of its auth message.
struct EventAudience
{
    bool everything = false; // platform roles
    QString organizationId;  // org_admin, customer
    QString engineerId;      // engineer

    bool hears(const Event &event) const
    {
        return everything ||
               (!organizationId.isEmpty() && event.organizationIds.contains(organizationId)) ||
               (!engineerId.isEmpty() && event.engineerIds.contains(engineerId));
    }
};

/// What one request's handler may use. Built on the worker thread that runs the
/// handler; `repositories` work on that thread's connection.
class RequestContext final
{
public:
    RequestContext(storage::Database &database, const domain::Clock &clock, QString requestId)
        : m_database(database), m_repositories(database), m_clock(clock),
          m_requestId(std::move(requestId))
    {}

    storage::Database &database() { return m_database; }
    storage::Repositories &repositories() { return m_repositories; }
    const domain::Clock &clock() const { return m_clock; }
    const QString &requestId() const { return m_requestId; }
    /// The signed-in caller; nullopt on public routes (and before authentication).
    const std::optional<Principal> &principal() const { return m_principal; }
    void setPrincipal(Principal principal) { m_principal = std::move(principal); }
    /// The caller's user id for assigned_by and history lines; "anonymous" when nobody
    /// signed in, "system" for the server's own work.
    QString actor() const { return m_principal ? m_principal->userId : m_actor; }
    void setActor(QString actor) { m_actor = std::move(actor); }
    /// What the caller may see: everything for platform roles, nothing when nobody
    /// signed in.
    storage::Scope scope() const
    {
        if (m_principal)
            return m_principal->scope();
        storage::Scope none;
        none.all = false;
        return none;
    }

    /// The client's address: the peer, or the first untrusted hop of X-Forwarded-For
    /// when the peer is a trusted proxy (MEDDISPATCH_TRUSTED_PROXIES).
    const QString &clientIp() const { return m_clientIp; }
    void setClientIp(QString ip) { m_clientIp = std::move(ip); }
    const QString &userAgent() const { return m_userAgent; }
    void setUserAgent(QString agent) { m_userAgent = std::move(agent); }

    /// Appends an audit entry with who, where and the request id filled in, on this
    /// thread's connection. Call it inside the change's transaction, so both commit or
    /// neither does. organizationId: the organization the object belongs to.
    void audit(const QString &action, const QString &entityType, const QString &entityId,
               const QString &organizationId, const QJsonObject &before = {},
               const QJsonObject &after = {});

    /// Queued, and delivered to /v1/events subscribers only if the handler succeeds
    /// (after its transaction committed) — and only to those allowed to see the object:
    /// its organization (organization_id, or id for organizations), a ticket's
    /// hospital and its assigned engineer and their organization, an assignment's
    /// ticket and engineer. Platform roles hear everything.
    void publish(QString type, QJsonObject data);
    const QList<Event> &events() const { return m_events; }

private:
    storage::Database &m_database;
    storage::Repositories m_repositories;
    const domain::Clock &m_clock;
    QString m_requestId;
    QString m_actor = QStringLiteral("anonymous");
    std::optional<Principal> m_principal;
    QString m_clientIp;
    QString m_userAgent;
    QList<Event> m_events;
};

} // namespace md::server
