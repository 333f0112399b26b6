#include "controllers.h"
#include "controllersupport.h"

#include "api/codecs.h"
#include "domain/qrpayload.h"
#include "http/router.h"
#include "identify/equipmentidentifier.h"

#include <spdlog/spdlog.h>

#include <algorithm>

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

// The shape of a GTIN-14 is checked, not its check digit: a wrong one simply finds nothing.
bool isFourteenDigits(const QString &text)
{
    return text.size() == 14 &&
           std::all_of(text.cbegin(), text.cend(), [](QChar c) { return c >= u'0' && c <= u'9'; });
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
    filter.serialNumber = queryText(request, u"serial_number"_s, 100);
    filter.gtin = queryText(request, u"gtin"_s, 14);
    if (!filter.gtin.isEmpty() && !isFourteenDigits(filter.gtin))
        throwInvalidParameter(u"gtin"_s, u"must be a GTIN of 14 digits"_s);
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

// One answer for every label that names nothing the caller may see, whichever route
// read it (by-qr, identify).
[[noreturn]] void throwUnknownLabel()
{
    throw api::ApiError(404, u"not_found"_s, u"No equipment has this label code."_s);
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
        throwUnknownLabel();
    return HttpResponse::json(200, equipmentJson(context, *e));
}

// The media type of a Content-Type header, without parameters, lower case.
QByteArray mediaType(const QByteArray &contentType)
{
    const qsizetype semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.left(semicolon)).trimmed().toLower();
}

const QList<QByteArray> &identifyContentTypes()
{
    static const QList<QByteArray> types{QByteArrayLiteral("image/jpeg"),
                                         QByteArrayLiteral("image/png"),
                                         QByteArrayLiteral("text/plain")};
    return types;
}

[[noreturn]] void throwIdentifyFailure(const Identification &result, bool scanned)
{
    switch (result.outcome) {
    case IdentifyOutcome::InvalidImage:
        throw api::ApiError(422, u"invalid_image"_s,
                            u"The file is not a readable JPEG or PNG image."_s);
    case IdentifyOutcome::ImageTooLarge:
        throw api::ApiError(413, u"payload_too_large"_s,
                            u"The image has more pixels than the server reads; send a smaller "
                            u"photo."_s,
                            {{u"max_pixels"_s, codes::PhotoLimits{}.maxPixels}});
    case IdentifyOutcome::NoCode:
        throw api::ApiError(422, u"no_code_found"_s,
                            u"No QR label or GS1 UDI code was found in the photo."_s);
    case IdentifyOutcome::NotOurs:
        throw api::ApiError(422, u"no_code_found"_s,
                            scanned
                                ? u"The scanned code is not a MedDispatch label or a GS1 UDI."_s
                                : u"The photo's code is not a MedDispatch label or a GS1 UDI."_s);
    case IdentifyOutcome::Ambiguous:
        throw api::ApiError(
            409, u"ambiguous_code"_s,
            u"Several equipment records have this serial number; choose one."_s,
            {{u"equipment_ids"_s, QJsonArray::fromStringList(result.candidateIds)}});
    case IdentifyOutcome::NotFound:
    case IdentifyOutcome::Identified:
        break;
    }
    // Unknown codes and other tenants' equipment read alike.
    if (result.kind != ScannedCode::Kind::Udi)
        throwUnknownLabel();
    throw api::ApiError(404, u"not_found"_s, u"No equipment matches this UDI's serial number."_s);
}

// POST /v1/equipment/identify: a photo (JPEG/PNG) or one scanned payload (text/plain).
HttpResponse identify(HttpRequest &request, RequestContext &context)
{
    require(context, Permission::EquipmentRead);
    const QByteArray type = mediaType(request.header("content-type"));
    // Only an empty body gets here without one of the route's types.
    if (!identifyContentTypes().contains(type)) {
        QJsonArray types;
        for (const QByteArray &t : identifyContentTypes())
            types.append(QString::fromLatin1(t));
        throw api::ApiError(415, u"unsupported_media_type"_s,
                            u"Send a JPEG or PNG photo, or a scanned code as text/plain."_s,
                            {{u"accepted_content_types"_s, types}});
    }
    EquipmentIdentifier identifier(context.repositories(), context.scope());
    const bool scanned = type == "text/plain";
    const Identification result =
        scanned ? identifier.identifyPayload(request.body)
                : identifier.identifyPhoto(request.body, type == "image/png" ? "png" : "jpeg");
    // The outcome and where the code came from; never the payload.
    spdlog::info("identify id={}: {} ({}{})", context.requestId().toStdString(),
                 toString(result.outcome).toStdString(),
                 result.source.isEmpty() ? std::string(scanned ? "scanner" : "photo")
                                         : result.source.toStdString(),
                 result.kind == ScannedCode::Kind::Label ? ", label"
                 : result.kind == ScannedCode::Kind::Udi ? ", udi"
                                                         : "");
    if (result.outcome != IdentifyOutcome::Identified || !result.equipment)
        throwIdentifyFailure(result, scanned);
    return HttpResponse::json(200, equipmentJson(context, *result.equipment));
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
    RouteOptions photo;
    photo.maxBodyBytes = codes::PhotoLimits{}.maxBytes; // 10 MiB
    photo.contentTypes = identifyContentTypes();
    photo.slow = true; // decoding a 12-megapixel photo takes tens of milliseconds
    router.add("POST", u"/v1/equipment/identify"_s, identify, photo);
    router.add("GET", u"/v1/equipment/{id}"_s, get);
    router.add("PATCH", u"/v1/equipment/{id}"_s, patch);
}

} // namespace md::server
