#include "controllers.h"
#include "controllersupport.h"

#include "api/codecs.h"
#include "domain/qrpayload.h"
#include "http/router.h"

using namespace Qt::StringLiterals;
using namespace md::domain;

namespace md::server {

namespace {

QJsonObject equipmentJson(RequestContext &context, const Equipment &e)
{
    return api::toJson(e, context.clock().now().date());
}

void authorizeChange(const Principal &me, const Equipment &e)
{
    if (!isCallersOrganization(me, e.organizationId))
        throwNotYours(u"You may change only your own organization's equipment."_s);
}

// The owner must be a hospital the caller manages (another tenant's reads as unknown),
// the manufacturer a manufacturer.
void checkReferences(RequestContext &context, const Equipment *, const Equipment &e,
                     api::JsonReader &reader)
{
    auto &repos = context.repositories();
    if (!e.organizationId.isEmpty()) {
        const bool mine = isCallersOrganization(caller(context), e.organizationId);
        const auto owner = mine ? repos.organizations().find(e.organizationId) : std::nullopt;
        if (!owner || owner->type != OrganizationType::Hospital)
            reader.addError(u"organization_id"_s, u"names no hospital you manage"_s);
    }
    if (!e.manufacturerId.isEmpty()) {
        const auto maker = repos.organizations().find(e.manufacturerId);
        if (!maker || maker->type != OrganizationType::Manufacturer)
            reader.addError(u"manufacturer_id"_s, u"must name an existing manufacturer"_s);
    }
}

const ResourceKind<Equipment> &equipment()
{
    static const ResourceKind<Equipment> kind{
        .what = u"Equipment"_s,
        .entityType = u"equipment"_s,
        .collectionPath = u"/v1/equipment/"_s,
        .visible = &storage::VisibilityRepository::equipmentVisible,
        .find = [](storage::Repositories &repos,
                   const QString &id) { return repos.equipment().find(id); },
        .store =
            [](storage::Repositories &repos, const Equipment &e, bool creating) {
                creating ? repos.equipment().insert(e) : repos.equipment().update(e);
            },
        .read = &api::readEquipment,
        .toJson = &equipmentJson,
        .organizationOf = [](const Equipment &e) { return e.organizationId; },
        .authorizeChange = &authorizeChange,
        .checkReferences = &checkReferences,
        .changesCounts = true,
    };
    return kind;
}

HttpResponse list(HttpRequest &request, RequestContext &context)
{
    require(context, Permission::EquipmentRead);
    const auto page = pageFrom(request);
    storage::EquipmentFilter filter;
    filter.organizationId = queryId(request, u"organization_id"_s);
    filter.manufacturerId = queryId(request, u"manufacturer_id"_s);
    filter.category = queryText(request, u"category"_s, 64);
    if (!filter.category.isEmpty() && !isKnownCategory(filter.category))
        throwInvalidParameter(u"category"_s, u"is not a known category"_s);
    const QString status = queryText(request, u"status"_s, 64);
    if (!status.isEmpty()) {
        filter.status = parseEquipmentStatus(status);
        if (!filter.status)
            throwInvalidParameter(u"status"_s,
                                  u"must be operational, degraded, down, maintenance or retired"_s);
    }
    filter.q = queryText(request, u"q"_s);
    const auto result = context.repositories().equipment().list(filter, context.scope(), page);
    QJsonArray data;
    for (const Equipment &e : result.items)
        data.append(equipmentJson(context, e));
    return HttpResponse::json(200, api::pageJson(data, page.limit, page.offset, result.total));
}

HttpResponse get(HttpRequest &request, RequestContext &context)
{
    require(context, Permission::EquipmentRead);
    return HttpResponse::json(200,
                              equipmentJson(context, visibleObject(request, context, equipment())));
}

HttpResponse byQr(HttpRequest &request, RequestContext &context)
{
    require(context, Permission::EquipmentRead);
    // Malformed, unknown and other tenants' codes are answered alike: a label never
    // reveals anything.
    const auto code = QrPayload::parse(request.param(u"code"_s));
    auto &repos = context.repositories();
    const auto e = code ? repos.equipment().findByQrCode(*code) : std::nullopt;
    if (!e || !repos.visibility().equipmentVisible(e->id, context.scope()))
        throw api::ApiError(404, u"not_found"_s, u"No equipment has this label code."_s);
    return HttpResponse::json(200, equipmentJson(context, *e));
}

HttpResponse create(HttpRequest &request, RequestContext &context)
{
    require(context, Permission::EquipmentWrite);
    Equipment draft;
    draft.qrCode = QrPayload::generateCode();
    return createResource(request, context, equipment(), draft);
}

HttpResponse patch(HttpRequest &request, RequestContext &context)
{
    require(context, Permission::EquipmentWrite);
    return patchResource(request, context, equipment());
}

} // namespace

void registerEquipmentRoutes(Router &router)
{
    router.add("GET", u"/v1/equipment"_s, list);
    router.add("POST", u"/v1/equipment"_s, create);
    router.add("GET", u"/v1/equipment/by-qr/{code}"_s, byQr);
    router.add("GET", u"/v1/equipment/{id}"_s, get);
    router.add("PATCH", u"/v1/equipment/{id}"_s, patch);
}

} // namespace md::server
