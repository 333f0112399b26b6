// GET /v1/audit-logs: the append-only audit trail, for administrators.

#include "authroutes.h"

#include "api/codecs.h"
#include "authorization.h"
#include "controllers/controllersupport.h"
#include "http/router.h"
#include "requestcontext.h"
#include "storage/authrepositories.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace md::server {

namespace {

QJsonValue objectOrNull(const QJsonObject &o)
{
    return o.isEmpty() ? QJsonValue() : QJsonValue(o);
}

QDateTime queryTime(const HttpRequest &request, const QString &key)
{
    const QString raw = queryText(request, key, 40);
    if (raw.isEmpty())
        return {};
    const QDateTime t = api::parseTime(raw);
    if (!t.isValid())
        throwInvalidParameter(key, u"must be an RFC 3339 time such as 2026-11-23T09:30:00Z"_s);
    return t;
}

} // namespace

void registerAuditRoutes(Router &router)
{
    router.add("GET", u"/v1/audit-logs"_s, [](HttpRequest &request, RequestContext &context) {
        require(context, domain::Permission::AuditRead);
        const auto page = pageFrom(request);
        storage::AuditFilter filter;
        filter.actorId = queryId(request, u"actor_id"_s);
        filter.organizationId = queryId(request, u"organization_id"_s);
        filter.action = queryText(request, u"action"_s, 64);
        filter.entityType = queryText(request, u"entity_type"_s, 32);
        filter.entityId = queryText(request, u"entity_id"_s, 64);
        filter.from = queryTime(request, u"from"_s);
        filter.to = queryTime(request, u"to"_s);
        const auto result = context.repositories().audit().list(filter, page);
        QJsonArray data;
        for (const storage::AuditEntry &e : result.items)
            data.append(QJsonObject{{u"sequence"_s, e.sequence},
                                    {u"id"_s, e.id},
                                    {u"at"_s, api::timeJson(e.at)},
                                    {u"actor_id"_s, api::textOrNull(e.actorId)},
                                    {u"actor_role"_s, e.actorRole},
                                    {u"organization_id"_s, api::textOrNull(e.organizationId)},
                                    {u"action"_s, e.action},
                                    {u"entity_type"_s, e.entityType},
                                    {u"entity_id"_s, api::textOrNull(e.entityId)},
                                    {u"before"_s, objectOrNull(e.before)},
                                    {u"after"_s, objectOrNull(e.after)},
                                    {u"ip_address"_s, api::textOrNull(e.ipAddress)},
                                    {u"request_id"_s, api::textOrNull(e.requestId)},
                                    {u"previous_hash"_s, e.previousHash},
                                    {u"hash"_s, e.hash}});
        return HttpResponse::json(200, api::pageJson(data, page.limit, page.offset, result.total));
    });
}

} // namespace md::server
