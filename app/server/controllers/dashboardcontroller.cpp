#include "controllers.h"

#include "api/codecs.h"
#include "authorization.h"
#include "http/router.h"
#include "requestcontext.h"

using namespace Qt::StringLiterals;

namespace md::server {

namespace {

QJsonObject countsJson(const QMap<QString, qint64> &counts)
{
    QJsonObject o;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

HttpResponse dashboard(HttpRequest &, RequestContext &context)
{
    require(context, domain::Permission::DashboardRead);
    const QDateTime now = context.clock().now();
    const storage::DashboardStats s =
        context.repositories().dashboard().stats(context.scope(), now);
    QJsonObject openByPriority = countsJson(s.openByPriority);
    for (const QString &p : {u"critical"_s, u"high"_s, u"normal"_s, u"low"_s}) {
        if (!openByPriority.contains(p))
            openByPriority.insert(p, 0);
    }
    return HttpResponse::json(200, QJsonObject{{u"generated_at"_s, api::timeJson(now)},
                                               {u"open_tickets"_s, s.openTickets},
                                               {u"open_by_priority"_s, openByPriority},
                                               {u"by_status"_s, countsJson(s.byStatus)},
                                               {u"sla_breached"_s, s.slaBreached},
                                               {u"sla_at_risk"_s, s.slaAtRisk},
                                               {u"mean_time_to_assign_minutes"_s,
                                                std::round(s.meanTimeToAssignMinutes * 10) / 10},
                                               {u"mean_time_to_resolve_minutes"_s,
                                                std::round(s.meanTimeToResolveMinutes * 10) / 10},
                                               {u"equipment_count"_s, s.equipmentCount},
                                               {u"engineers_count"_s, s.engineersCount},
                                               {u"active_engineers"_s, s.activeEngineers},
                                               {u"organizations_count"_s, s.organizationsCount}});
}

} // namespace

void registerDashboardRoutes(Router &router)
{
    router.add("GET", u"/v1/dashboard"_s, dashboard);
}

} // namespace md::server
