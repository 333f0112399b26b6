#include "sqlrepositories.h"

namespace md::storage {

using namespace md::domain;

namespace {
const QString OpenStatuses = QStringLiteral("('new', 'assigned', 'in_progress', 'on_hold')");
}

DashboardStats SqlDashboardRepository::stats(const Scope &scope, const QDateTime &now)
{
    DashboardStats stats;
    const qint64 nowMs = now.toMSecsSinceEpoch();
    const qint64 monthAgoMs = nowMs - 30LL * 24 * 3600 * 1000;

    sql::Where ticketScope;
    addTicketScope(ticketScope, scope, QStringLiteral("t"));
    {
        sql::Query q(m_db, u"SELECT t.status, t.priority, count(*) FROM tickets t" +
                               ticketScope.sql() + u" GROUP BY t.status, t.priority");
        q.bindAll(ticketScope.values).exec();
        while (q.next()) {
            const QString status = q.string(0);
            const qint64 n = q.int64(2);
            stats.byStatus[status] += n;
            const auto parsed = parseTicketStatus(status);
            if (parsed && isOpen(*parsed)) {
                stats.openByPriority[q.string(1)] += n;
                stats.openTickets += n;
            }
        }
    }
    {
        sql::Where where = ticketScope;
        where.add(u"t.status IN " + OpenStatuses);
        where.add(QStringLiteral("t.resolution_due_at IS NOT NULL"));
        // At risk: less than a quarter of the window (created -> due) is left.
        sql::Query q(m_db,
                     u"SELECT "
                     u"COALESCE(SUM(CASE WHEN t.resolution_due_at < ? THEN 1 ELSE 0 END), 0), "
                     u"COALESCE(SUM(CASE WHEN t.resolution_due_at >= ? AND "
                     u"(t.resolution_due_at - ?) * 4 < (t.resolution_due_at - t.created_at) "
                     u"THEN 1 ELSE 0 END), 0) FROM tickets t" +
                         where.sql());
        q.bind(nowMs).bind(nowMs).bind(nowMs).bindAll(where.values).exec();
        if (q.next()) {
            stats.slaBreached = q.int64(0);
            stats.slaAtRisk = q.int64(1);
        }
    }
    {
        sql::Where assigned = ticketScope;
        assigned.add(QStringLiteral("t.created_at >= ? AND t.assigned_at IS NOT NULL"),
                     {monthAgoMs});
        sql::Query q(m_db,
                     u"SELECT AVG(t.assigned_at - t.created_at) FROM tickets t" + assigned.sql());
        q.bindAll(assigned.values).exec();
        if (q.next())
            stats.meanTimeToAssignMinutes = q.value(0).toDouble() / 60000.0;
    }
    {
        sql::Where resolved = ticketScope;
        resolved.add(QStringLiteral("t.resolved_at IS NOT NULL AND t.resolved_at >= ?"),
                     {monthAgoMs});
        sql::Query q(m_db,
                     u"SELECT AVG(t.resolved_at - t.created_at) FROM tickets t" + resolved.sql());
        q.bindAll(resolved.values).exec();
        if (q.next())
            stats.meanTimeToResolveMinutes = q.value(0).toDouble() / 60000.0;
    }
    {
        // Totals come from the organizations' counters: no scan of equipment or engineers.
        sql::Where orgs;
        orgs.addScope(scope, QStringLiteral("o.id"));
        sql::Query q(m_db, u"SELECT count(*), COALESCE(SUM(o.equipment_count), 0), "
                           u"COALESCE(SUM(o.engineers_count), 0) FROM organizations o" +
                               orgs.sql());
        q.bindAll(orgs.values).exec();
        if (q.next()) {
            stats.organizationsCount = q.int64(0);
            stats.equipmentCount = q.value(1).toLongLong();
            stats.engineersCount = q.value(2).toLongLong();
        }
    }
    {
        sql::Where engineers;
        engineers.add(QStringLiteral("e.active = TRUE"));
        engineers.addScope(scope, QStringLiteral("e.organization_id"));
        stats.activeEngineers =
            sql::count(m_db, u"FROM engineers e" + engineers.sql(), engineers.values);
    }
    return stats;
}

} // namespace md::storage
