#include "controllers.h"
#include "controllersupport.h"

#include "api/codecs.h"
#include "http/router.h"

using namespace Qt::StringLiterals;
using namespace md::domain;

namespace md::server {

namespace {

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

// The counts are figures about a tenant's equipment, staff and tickets: shown for the
// caller's own organization (every one for the platform roles), never for the others
// they may read, such as the manufacturers.
QJsonObject organizationJson(RequestContext &context, const Organization &org, bool withCounts)
{
    const storage::Scope scope = context.scope();
    return api::toJson(org, withCounts && (scope.all || scope.organizationIds.contains(org.id)));
}

void authorizeChange(const Principal &me, const Organization &org)
{
    if (!isCallersOrganization(me, org.id))
        throwNotYours(u"You may change only your own organization."_s);
}

void checkReferences(RequestContext &context, const Organization *before, const Organization &org,
                     api::JsonReader &reader)
{
    if (before && org.type != before->type)
        reader.addError(u"type"_s, u"cannot change once the organization exists"_s);
    checkScopes(context.repositories(), org, reader);
}

const ResourceKind<Organization> &organizations()
{
    static const ResourceKind<Organization> kind{
        .what = u"Organization"_s,
        .entityType = u"organization"_s,
        .collectionPath = u"/v1/organizations/"_s,
        .visible = &storage::VisibilityRepository::organizationVisible,
        .find = [](storage::Repositories &repos,
                   const QString &id) { return repos.organizations().find(id); },
        .store =
            [](storage::Repositories &repos, const Organization &org, bool creating) {
                creating ? repos.organizations().insert(org) : repos.organizations().update(org);
            },
        .read = &api::readOrganization,
        .toJson = [](RequestContext &context,
                     const Organization &org) { return organizationJson(context, org, true); },
        .organizationOf = [](const Organization &org) { return org.id; },
        .authorizeChange = &authorizeChange,
        .checkReferences = &checkReferences,
    };
    return kind;
}

HttpResponse list(HttpRequest &request, RequestContext &context)
{
    require(context, Permission::OrganizationsRead);
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
    const auto result = context.repositories().organizations().list(filter, context.scope(), page);
    QJsonArray data;
    for (const Organization &org : result.items)
        data.append(organizationJson(context, org, withCounts));
    return HttpResponse::json(200, api::pageJson(data, page.limit, page.offset, result.total));
}

HttpResponse get(HttpRequest &request, RequestContext &context)
{
    require(context, Permission::OrganizationsRead);
    const Organization org = visibleObject(request, context, organizations());
    return HttpResponse::json(200, organizationJson(context, org, true));
}

HttpResponse create(HttpRequest &request, RequestContext &context)
{
    require(context, Permission::OrganizationsCreate);
    return createResource(request, context, organizations());
}

HttpResponse patch(HttpRequest &request, RequestContext &context)
{
    require(context, Permission::OrganizationsUpdate);
    return patchResource(request, context, organizations());
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
