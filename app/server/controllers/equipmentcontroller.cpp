#include "controllers.h"
#include "controllersupport.h"

#include "api/codecs.h"
#include "domain/qrpayload.h"
#include "http/router.h"
#include "requestcontext.h"

#include <QUuid>

using namespace Qt::StringLiterals;
using namespace md::domain;

namespace md::server {

namespace {

const QString kWhat = u"Equipment"_s;

// The owner must be a hospital and the manufacturer a manufacturer.
void checkReferences(storage::Repositories &repos, const Equipment &e, api::JsonReader &reader)
{
    if (!e.organizationId.isEmpty()) {
        const auto owner = repos.organizations().find(e.organizationId);
        if (!owner || owner->type != OrganizationType::Hospital)
            reader.addError(u"organization_id"_s, u"must name an existing hospital"_s);
    }
    if (!e.manufacturerId.isEmpty()) {
        const auto maker = repos.organizations().find(e.manufacturerId);
        if (!maker || maker->type != OrganizationType::Manufacturer)
            reader.addError(u"manufacturer_id"_s, u"must name an existing manufacturer"_s);
    }
}

HttpResponse list(HttpRequest &request, RequestContext &context)
{
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
    const auto result = context.repositories().equipment().list(filter, {}, page);
    const QDate today = context.clock().now().date();
    QJsonArray data;
    for (const Equipment &e : result.items)
        data.append(api::toJson(e, today));
    return HttpResponse::json(200, api::pageJson(data, page.limit, page.offset, result.total));
}

HttpResponse get(HttpRequest &request, RequestContext &context)
{
    const QString id = pathId(request, u"id"_s, kWhat);
    const auto e = context.repositories().equipment().find(id);
    if (!e)
        throw api::ApiError::notFound(kWhat);
    return HttpResponse::json(200, api::toJson(*e, context.clock().now().date()));
}

HttpResponse byQr(HttpRequest &request, RequestContext &context)
{
    // Malformed and unknown codes are answered alike: a label never reveals anything.
    const auto code = QrPayload::parse(request.param(u"code"_s));
    const auto e = code ? context.repositories().equipment().findByQrCode(*code) : std::nullopt;
    if (!e)
        throw api::ApiError(404, u"not_found"_s, u"No equipment has this label code."_s);
    return HttpResponse::json(200, api::toJson(*e, context.clock().now().date()));
}

HttpResponse create(HttpRequest &request, RequestContext &context)
{
    api::JsonReader reader(api::JsonReader::parseObject(request.body));
    Equipment e;
    api::readEquipment(reader, e, true);
    reader.addErrors(e.validate());
    auto &repos = context.repositories();
    context.database().transaction([&] {
        checkReferences(repos, e, reader);
        reader.finish();
        e.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        e.qrCode = QrPayload::generateCode();
        e.createdAt = e.updatedAt = context.clock().now();
        repos.equipment().insert(e);
    });
    const QJsonObject body = api::toJson(e, context.clock().now().date());
    context.publish(u"equipment.created"_s, body);
    context.publish(u"counts.changed"_s, QJsonObject{{u"organization_id"_s, e.organizationId}});
    return HttpResponse::json(201, body).withHeader("Location",
                                                    QString(u"/v1/equipment/"_s + e.id).toUtf8());
}

HttpResponse patch(HttpRequest &request, RequestContext &context)
{
    const QString id = pathId(request, u"id"_s, kWhat);
    api::JsonReader reader(api::JsonReader::parseObject(request.body));
    auto &repos = context.repositories();
    Equipment e;
    QString ownerBefore;
    context.database().transaction([&] {
        const auto existing = repos.equipment().find(id);
        if (!existing)
            throw api::ApiError::notFound(kWhat);
        e = *existing;
        ownerBefore = e.organizationId;
        api::readEquipment(reader, e, false);
        reader.addErrors(e.validate());
        checkReferences(repos, e, reader);
        reader.finish();
        e.updatedAt = context.clock().now();
        repos.equipment().update(e);
    });
    const QJsonObject body = api::toJson(e, context.clock().now().date());
    context.publish(u"equipment.updated"_s, body);
    if (ownerBefore != e.organizationId)
        context.publish(u"counts.changed"_s, QJsonObject{{u"organization_id"_s, e.organizationId}});
    return HttpResponse::json(200, body);
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
