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
    if (scope.all) {
        // Totals come from the organizations' counters: no scan of equipment or engineers.
        sql::Query q(m_db, QStringLiteral("SELECT count(*), COALESCE(SUM(o.equipment_count), 0), "
                                          "COALESCE(SUM(o.engineers_count), 0) "
                                          "FROM organizations o"));
        q.exec();
        if (q.next()) {
            stats.organizationsCount = q.int64(0);
            stats.equipmentCount = q.value(1).toLongLong();
            stats.engineersCount = q.value(2).toLongLong();
        }
        stats.activeEngineers =
            sql::count(m_db, QStringLiteral("FROM engineers e WHERE e.active = TRUE"), {});
        return stats;
    }
    // Under a scope the figures are the totals the lists show under the same scope.
    sql::Where orgs;
    addOrganizationScope(orgs, scope, QStringLiteral("o"));
    stats.organizationsCount = sql::count(m_db, u"FROM organizations o" + orgs.sql(), orgs.values);
    sql::Where equipment;
    addEquipmentScope(equipment, scope, QStringLiteral("q"));
    stats.equipmentCount =
        sql::count(m_db, u"FROM equipment q" + equipment.sql(), equipment.values);
    sql::Where engineers;
    addEngineerScope(engineers, scope, QStringLiteral("e"));
    sql::Query q(m_db, u"SELECT count(*), COALESCE(SUM(CASE WHEN e.active = TRUE THEN 1 ELSE 0 "
                       u"END), 0) FROM engineers e" +
                           engineers.sql());
    q.bindAll(engineers.values).exec();
    if (q.next()) {
        stats.engineersCount = q.int64(0);
        stats.activeEngineers = q.value(1).toLongLong();
    }
    return stats;
}

} // namespace md::storage
