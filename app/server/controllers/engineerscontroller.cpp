#include "controllers.h"
#include "controllersupport.h"

#include "api/codecs.h"
#include "domain/assignmentengine.h"
#include "http/router.h"
#include "requestcontext.h"

#include <QUuid>

using namespace Qt::StringLiterals;
using namespace md::domain;

namespace md::server {

namespace {

const QString kWhat = u"Engineer"_s;

void checkReferences(storage::Repositories &repos, const Engineer &e, api::JsonReader &reader)
{
    if (!e.organizationId.isEmpty() && !repos.organizations().find(e.organizationId))
        reader.addError(u"organization_id"_s, u"must name an existing organization"_s);
    for (const QString &m : e.manufacturerIds) {
        const auto maker = repos.organizations().find(m);
        if (!maker || maker->type != OrganizationType::Manufacturer) {
            reader.addError(u"manufacturer_ids"_s, u"names an unknown manufacturer: "_s + m);
            break;
        }
    }
}

HttpResponse list(HttpRequest &request, RequestContext &context)
{
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
    const auto result = context.repositories().engineers().list(filter, {}, page);
    QJsonArray data;
    for (const Engineer &e : result.items)
        data.append(api::toJson(e));
    return HttpResponse::json(200, api::pageJson(data, page.limit, page.offset, result.total));
}

HttpResponse get(HttpRequest &request, RequestContext &context)
{
    const QString id = pathId(request, u"id"_s, kWhat);
    const auto e = context.repositories().engineers().find(id);
    if (!e)
        throw api::ApiError::notFound(kWhat);
    return HttpResponse::json(200, api::toJson(*e));
}

HttpResponse create(HttpRequest &request, RequestContext &context)
{
    api::JsonReader reader(api::JsonReader::parseObject(request.body));
    Engineer e;
    api::readEngineer(reader, e, true);
    reader.addErrors(e.validate());
    auto &repos = context.repositories();
    context.database().transaction([&] {
        checkReferences(repos, e, reader);
        reader.finish();
        e.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        e.createdAt = e.updatedAt = context.clock().now();
        repos.engineers().insert(e);
    });
    const QJsonObject body = api::toJson(e);
    context.publish(u"engineer.created"_s, body);
    context.publish(u"counts.changed"_s, QJsonObject{{u"organization_id"_s, e.organizationId}});
    return HttpResponse::json(201, body).withHeader("Location",
                                                    QString(u"/v1/engineers/"_s + e.id).toUtf8());
}

HttpResponse patch(HttpRequest &request, RequestContext &context)
{
    const QString id = pathId(request, u"id"_s, kWhat);
    api::JsonReader reader(api::JsonReader::parseObject(request.body));
    auto &repos = context.repositories();
    Engineer e;
    context.database().transaction([&] {
        const auto existing = repos.engineers().find(id);
        if (!existing)
            throw api::ApiError::notFound(kWhat);
        e = *existing;
        api::readEngineer(reader, e, false);
        reader.addErrors(e.validate());
        checkReferences(repos, e, reader);
        reader.finish();
        e.updatedAt = context.clock().now();
        repos.engineers().update(e);
    });
    const QJsonObject body = api::toJson(e);
    context.publish(u"engineer.updated"_s, body);
    return HttpResponse::json(200, body);
}

HttpResponse suggestions(HttpRequest &request, RequestContext &context)
{
    if (request.queryValue(u"ticket_id"_s).isEmpty())
        throwInvalidParameter(u"ticket_id"_s, u"is required"_s);
    const QString ticketId = queryId(request, u"ticket_id"_s);
    const auto found = context.repositories().engineers().dispatchCandidates(
        ticketId, context.clock().now().date());
    if (!found)
        throw api::ApiError::notFound(u"Ticket"_s);
    const auto &[dispatchContext, candidates] = *found;
    const QList<Suggestion> ranked = AssignmentEngine::rank(candidates, dispatchContext);
    const auto page = pageFrom(request);
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
