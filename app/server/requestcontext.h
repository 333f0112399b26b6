#pragma once

#include "domain/clock.h"
#include "storage/database.h"
#include "storage/repositories.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace md::server {

/// A change that clients watching /v1/events should hear about.
struct Event
{
    QString type; // "ticket.created", "ticket.updated", "assignment.created", "counts.changed"
    QJsonObject data;
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
    /// Who acts: the signed-in user's id once authentication runs in front of the
    /// handlers; until then "local" (the server listens on loopback only).
    const QString &actor() const { return m_actor; }
    void setActor(QString actor) { m_actor = std::move(actor); }

    /// Queued, and delivered to /v1/events subscribers only if the handler succeeds
    /// (after its transaction committed).
    void publish(QString type, QJsonObject data)
    {
        m_events.append({std::move(type), std::move(data)});
    }
    const QList<Event> &events() const { return m_events; }

private:
    storage::Database &m_database;
    storage::Repositories m_repositories;
    const domain::Clock &m_clock;
    QString m_requestId;
    QString m_actor = QStringLiteral("local");
    QList<Event> m_events;
};

} // namespace md::server
