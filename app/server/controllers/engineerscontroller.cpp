#include "controllers.h"
#include "controllersupport.h"

#include "api/codecs.h"
#include "domain/assignmentengine.h"
#include "http/router.h"

using namespace Qt::StringLiterals;
using namespace md::domain;

namespace md::server {

namespace {

void authorizeChange(const Principal &me, const Engineer &e)
{
    if (!isCallersOrganization(me, e.organizationId))
        throwNotYours(u"You may change only your own organization's engineers."_s);
}

// The organization must be one the caller manages (another tenant's reads as unknown);
// the linked user account, if any, one of the engineer's organization.
void checkReferences(RequestContext &context, const Engineer *before, const Engineer &e,
                     api::JsonReader &reader)
{
    auto &repos = context.repositories();
    const Principal &me = caller(context);
    if (!e.organizationId.isEmpty() && (!isCallersOrganization(me, e.organizationId) ||
                                        !repos.organizations().find(e.organizationId)))
        reader.addError(u"organization_id"_s, u"names no organization you manage"_s);
    for (const QString &m : e.manufacturerIds) {
        const auto maker = repos.organizations().find(m);
        if (!maker || maker->type != OrganizationType::Manufacturer) {
            reader.addError(u"manufacturer_ids"_s, u"names an unknown manufacturer: "_s + m);
            break;
        }
    }
    const bool linkChanged =
        !before || before->userId != e.userId || before->organizationId != e.organizationId;
    if (!e.userId.isEmpty() && linkChanged) {
        const auto user = repos.users().find(e.userId);
        if (!user || !isCallersOrganization(me, user->organizationId) ||
            user->organizationId != e.organizationId)
            reader.addError(u"user_id"_s, u"names no user of the engineer's organization"_s);
    }
}

const ResourceKind<Engineer> &engineers()
{
    static const ResourceKind<Engineer> kind{
        .what = u"Engineer"_s,
        .entityType = u"engineer"_s,
        .collectionPath = u"/v1/engineers/"_s,
        .visible = &storage::VisibilityRepository::engineerVisible,
        .find = [](storage::Repositories &repos,
                   const QString &id) { return repos.engineers().find(id); },
        .store =
            [](storage::Repositories &repos, const Engineer &e, bool creating) {
                creating ? repos.engineers().insert(e) : repos.engineers().update(e);
            },
        .read = &api::readEngineer,
        .toJson = [](RequestContext &, const Engineer &e) { return api::toJson(e); },
        .organizationOf = [](const Engineer &e) { return e.organizationId; },
        .authorizeChange = &authorizeChange,
        .checkReferences = &checkReferences,
        .changesCounts = true,
    };
    return kind;
}

HttpResponse list(HttpRequest &request, RequestContext &context)
{
    require(context, Permission::EngineersRead);
    const auto page = pageFrom(request);
    storage::EngineerFilter filter;
    filter.organizationId = queryId(request, u"organization_id"_s);
    filter.manufacturerId = queryId(request, u"manufacturer_id"_s);
    filter.category = queryText(request, u"category"_s, 64);
    if (!filter.category.isEmpty() && !isKnownCategory(filter.category))
        throwInvalidParameter(u"category"_s, u"is not a known category"_s);
    const QString level = queryText(request, u"level"_s, 8);
    if (!level.isEmpty()) {
        filter.level = parseEngineerLevel(level);
        if (!filter.level)
            throwInvalidParameter(u"level"_s, u"must be L1, L2 or L3"_s);
    }
    if (request.hasQueryItem(u"active"_s))
        filter.active = queryFlag(request, u"active"_s);
    filter.q = queryText(request, u"q"_s);
    const auto result = context.repositories().engineers().list(filter, context.scope(), page);
    QJsonArray data;
    for (const Engineer &e : result.items)
        data.append(api::toJson(e));
    return HttpResponse::json(200, api::pageJson(data, page.limit, page.offset, result.total));
}

HttpResponse get(HttpRequest &request, RequestContext &context)
{
    require(context, Permission::EngineersRead);
    return HttpResponse::json(200, api::toJson(visibleObject(request, context, engineers())));
}

HttpResponse create(HttpRequest &request, RequestContext &context)
{
    require(context, Permission::EngineersWrite);
    return createResource(request, context, engineers());
}

HttpResponse patch(HttpRequest &request, RequestContext &context)
{
    require(context, Permission::EngineersWrite);
    return patchResource(request, context, engineers());
}

HttpResponse suggestions(HttpRequest &request, RequestContext &context)
{
    const Principal &me = require(context, Permission::TicketsAssign);
    if (request.queryValue(u"ticket_id"_s).isEmpty())
        throwInvalidParameter(u"ticket_id"_s, u"is required"_s);
    const QString ticketId = queryId(request, u"ticket_id"_s);
    const auto page = pageFrom(request);
    auto &repos = context.repositories();
    requireVisible(repos.visibility().ticketVisible(ticketId, context.scope()), u"Ticket"_s);
    const auto found = repos.engineers().dispatchCandidates(ticketId, context.clock().now().date());
    requireVisible(found.has_value(), u"Ticket"_s);
    const auto &[dispatchContext, candidates] = *found;
    requireDispatcherOf(me, dispatchContext.ticket);
    const QList<Suggestion> ranked = AssignmentEngine::rank(candidates, dispatchContext);
    QJsonArray data;
    for (qsizetype i = page.offset; i < ranked.size() && data.size() < page.limit; ++i)
        data.append(api::toJson(ranked.at(i)));
    QJsonObject body = api::pageJson(data, page.limit, page.offset, ranked.size());
    body.insert(u"ticket_id"_s, ticketId);
    body.insert(u"required_level"_s, toString(requiredLevel(dispatchContext.ticket.priority)));
    return HttpResponse::json(200, body);
}

} // namespace

void registerEngineerRoutes(Router &router)
{
    router.add("GET", u"/v1/engineers"_s, list);
    router.add("POST", u"/v1/engineers"_s, create);
    router.add("GET", u"/v1/engineers/suggestions"_s, suggestions);
    router.add("GET", u"/v1/engineers/{id}"_s, get);
    router.add("PATCH", u"/v1/engineers/{id}"_s, patch);
}

} // namespace md::server
