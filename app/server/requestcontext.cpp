#include "requestcontext.h"

#include "storage/authrepositories.h"

namespace md::server {

void RequestContext::publish(QString type, QJsonObject data)
{
    Event event{std::move(type), std::move(data), {}, {}};
    auto addOrganization = [&event](const QString &id) {
        if (!id.isEmpty() && !event.organizationIds.contains(id))
            event.organizationIds.append(id);
    };
    auto addEngineer = [&](const QString &id) {
        if (id.isEmpty() || event.engineerIds.contains(id))
            return;
        event.engineerIds.append(id);
        if (const auto engineer = m_repositories.engineers().find(id))
            addOrganization(engineer->organizationId); // the service organization
    };
    const QJsonObject &d = event.data;
    if (event.type.startsWith(QLatin1StringView("organization.")))
        addOrganization(d.value(QLatin1StringView("id")).toString());
    addOrganization(d.value(QLatin1StringView("organization_id")).toString());
    addEngineer(d.value(QLatin1StringView("assigned_engineer_id")).toString());
    addEngineer(d.value(QLatin1StringView("engineer_id")).toString());
    if (event.type.startsWith(QLatin1StringView("engineer.")))
        addEngineer(d.value(QLatin1StringView("id")).toString());
    const QString ticketId = d.value(QLatin1StringView("ticket_id")).toString();
    if (!ticketId.isEmpty()) {
        if (const auto ticket = m_repositories.tickets().find(ticketId)) {
            addOrganization(ticket->organizationId);
            addEngineer(ticket->assignedEngineerId);
        }
    }
    m_events.append(std::move(event));
}

void RequestContext::audit(const QString &action, const QString &entityType,
                           const QString &entityId, const QString &organizationId,
                           const QJsonObject &before, const QJsonObject &after)
{
    storage::AuditEntry entry;
    entry.at = m_clock.now();
    if (m_principal) {
        entry.actorId = m_principal->userId;
        entry.actorRole = domain::toString(m_principal->role);
    } else {
        entry.actorRole =
            m_actor == QLatin1StringView("system") ? m_actor : QStringLiteral("anonymous");
    }
    entry.organizationId = !organizationId.isEmpty()
                               ? organizationId
                               : (m_principal ? m_principal->organizationId : QString());
    entry.action = action;
    entry.entityType = entityType;
    entry.entityId = entityId;
    entry.before = before;
    entry.after = after;
    entry.ipAddress = m_clientIp;
    entry.requestId = m_requestId;
    m_repositories.audit().append(entry);
}

} // namespace md::server
