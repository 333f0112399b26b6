#include "controllers.h"
#include "controllersupport.h"

#include "api/codecs.h"
#include "http/router.h"
#include "requestcontext.h"

#include <QUuid>

using namespace Qt::StringLiterals;
using namespace md::domain;

namespace md::server {

namespace {

const QString kWhat = u"Organization"_s;

// Service scopes name manufacturers, and only partners and providers have them.
void checkScopes(storage::Repositories &repos, const Organization &org, api::JsonReader &reader)
{
    if (org.serviceScopes.isEmpty())
        return;
    if (org.type != OrganizationType::AuthorizedPartner &&
        org.type != OrganizationType::ServiceProvider) {
        reader.addError(u"service_scopes"_s,
                        u"only authorized partners and service providers have service scopes"_s);
        return;
    }
    for (const ServiceScope &scope : org.serviceScopes) {
        const auto m = repos.organizations().find(scope.manufacturerId);
        if (!m || m->type != OrganizationType::Manufacturer) {
            reader.addError(u"service_scopes"_s,
                            u"names an unknown manufacturer: "_s + scope.manufacturerId);
            return;
        }
    }
}

HttpResponse list(HttpRequest &request, RequestContext &context)
{
    const auto page = pageFrom(request);
    storage::OrganizationFilter filter;
    const QString type = queryText(request, u"type"_s, 64);
    if (!type.isEmpty()) {
        filter.type = parseOrganizationType(type);
        if (!filter.type)
            throwInvalidParameter(
                u"type"_s,
                u"must be hospital, manufacturer, authorized_partner or service_provider"_s);
    }
    filter.q = queryText(request, u"q"_s);
    const bool withCounts = queryFlag(request, u"include_counts"_s);
    const auto result = context.repositories().organizations().list(filter, {}, page);
    QJsonArray data;
    for (const Organization &org : result.items)
        data.append(api::toJson(org, withCounts));
    return HttpResponse::json(200, api::pageJson(data, page.limit, page.offset, result.total));
}

HttpResponse get(HttpRequest &request, RequestContext &context)
{
    const QString id = pathId(request, u"id"_s, kWhat);
    const auto org = context.repositories().organizations().find(id);
    if (!org)
        throw api::ApiError::notFound(kWhat);
    return HttpResponse::json(200, api::toJson(*org, true));
}

HttpResponse create(HttpRequest &request, RequestContext &context)
{
    api::JsonReader reader(api::JsonReader::parseObject(request.body));
    Organization org;
    api::readOrganization(reader, org, true);
    reader.addErrors(org.validate());
    auto &repos = context.repositories();
    context.database().transaction([&] {
        checkScopes(repos, org, reader);
        reader.finish();
        org.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        org.createdAt = org.updatedAt = context.clock().now();
        repos.organizations().insert(org);
    });
    const auto stored = repos.organizations().find(org.id);
    const QJsonObject body = api::toJson(stored.value_or(org), true);
    context.publish(u"organization.created"_s, body);
    return HttpResponse::json(201, body).withHeader(
        "Location", QString(u"/v1/organizations/"_s + org.id).toUtf8());
}

HttpResponse patch(HttpRequest &request, RequestContext &context)
{
    const QString id = pathId(request, u"id"_s, kWhat);
    api::JsonReader reader(api::JsonReader::parseObject(request.body));
    auto &repos = context.repositories();
    Organization org;
    context.database().transaction([&] {
        auto existing = repos.organizations().find(id);
        if (!existing)
            throw api::ApiError::notFound(kWhat);
        org = *existing;
        const OrganizationType typeBefore = org.type;
        api::readOrganization(reader, org, false);
        if (org.type != typeBefore)
            reader.addError(u"type"_s, u"cannot change once the organization exists"_s);
        reader.addErrors(org.validate());
        checkScopes(repos, org, reader);
        reader.finish();
        org.updatedAt = context.clock().now();
        repos.organizations().update(org);
    });
    const auto stored = repos.organizations().find(id);
    const QJsonObject body = api::toJson(stored.value_or(org), true);
    context.publish(u"organization.updated"_s, body);
    return HttpResponse::json(200, body);
}

} // namespace

void registerOrganizationRoutes(Router &router)
{
    router.add("GET", u"/v1/organizations"_s, list);
    router.add("POST", u"/v1/organizations"_s, create);
    router.add("GET", u"/v1/organizations/{id}"_s, get);
    router.add("PATCH", u"/v1/organizations/{id}"_s, patch);
}

} // namespace md::server
