#include "codecs.h"

#include "apierror.h"
#include "domain/slapolicy.h"

using namespace Qt::StringLiterals;
using namespace md::domain;

namespace md::api {

QJsonValue textOrNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
}

namespace {

QString allowedValues(std::initializer_list<QString> values)
{
    return QStringList(values).join(u", "_s);
}

QJsonValue locationJson(const std::optional<GeoPoint> &p)
{
    if (!p)
        return QJsonValue::Null;
    return QJsonObject{{u"latitude"_s, p->latitude}, {u"longitude"_s, p->longitude}};
}

// "location": {"latitude", "longitude"} or null (clears).
void readLocation(JsonReader &reader, std::optional<GeoPoint> &target)
{
    if (!reader.has(u"location"_s)) {
        reader.ignore(u"location"_s);
        return;
    }
    const auto obj = reader.object(u"location"_s);
    if (!obj) {
        if (reader.errors().contains(u"location"_s))
            return;
        target.reset(); // null clears
        return;
    }
    JsonReader inner(*obj);
    const auto lat = inner.number(u"latitude"_s, true, -90, 90);
    const auto lon = inner.number(u"longitude"_s, true, -180, 180);
    for (auto it = obj->constBegin(); it != obj->constEnd(); ++it) {
        if (it.key() != u"latitude"_s && it.key() != u"longitude"_s)
            inner.addError(it.key(), u"is not a known field"_s);
    }
    for (auto it = inner.errors().cbegin(); it != inner.errors().cend(); ++it)
        reader.addError(u"location."_s + it.key(), it.value());
    if (lat && lon)
        target = GeoPoint{*lat, *lon};
}

QString uuidAllowedMessage()
{
    return u"must be an id (a UUID)"_s;
}

// An id field: a UUID string, or null/"" to clear when clearing is allowed.
std::optional<QString> readId(JsonReader &reader, const QString &key, bool required)
{
    const auto s = reader.text(key, required, 64);
    if (!s || s->isEmpty())
        return s;
    if (!validate::isUuid(*s)) {
        reader.addError(key, uuidAllowedMessage());
        return std::nullopt;
    }
    return s->toLower();
}

} // namespace

QJsonValue timeJson(const QDateTime &t)
{
    if (!t.isValid())
        return QJsonValue::Null;
    return t.toUTC().toString(Qt::ISODateWithMs);
}

QDateTime parseTime(const QString &s)
{
    QDateTime t = QDateTime::fromString(s, Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(s, Qt::ISODate);
    return t.toUTC();
}

QJsonValue dateJson(const QDate &d)
{
    return d.isValid() ? QJsonValue(d.toString(Qt::ISODate)) : QJsonValue(QJsonValue::Null);
}

QJsonObject pageJson(const QJsonArray &data, int limit, int offset, qint64 total)
{
    return QJsonObject{
        {u"data"_s, data},
        {u"page"_s, QJsonObject{{u"limit"_s, limit}, {u"offset"_s, offset}, {u"total"_s, total}}}};
}

QJsonObject toJson(const Organization &org, bool withCounts)
{
    QJsonArray scopes;
    for (const ServiceScope &s : org.serviceScopes)
        scopes.append(
            QJsonObject{{u"manufacturer_id"_s, s.manufacturerId}, {u"category"_s, s.category}});
    QJsonObject o{{u"id"_s, org.id},
                  {u"name"_s, org.name},
                  {u"type"_s, toString(org.type)},
                  {u"address"_s, textOrNull(org.address)},
                  {u"city"_s, textOrNull(org.city)},
                  {u"country"_s, textOrNull(org.country)},
                  {u"location"_s, locationJson(org.location)},
                  {u"phone"_s, textOrNull(org.phone)},
                  {u"email"_s, textOrNull(org.email)},
                  {u"service_scopes"_s, scopes},
                  {u"active"_s, org.active},
                  {u"created_at"_s, timeJson(org.createdAt)},
                  {u"updated_at"_s, timeJson(org.updatedAt)}};
    if (withCounts) {
        o.insert(u"equipment_count"_s, org.equipmentCount);
        o.insert(u"engineers_count"_s, org.engineersCount);
        o.insert(u"active_tickets_count"_s, org.activeTicketsCount);
    }
    return o;
}

QJsonObject toJson(const Equipment &e, const QDate &today)
{
    return QJsonObject{{u"id"_s, e.id},
                       {u"organization_id"_s, e.organizationId},
                       {u"manufacturer_id"_s, e.manufacturerId},
                       {u"name"_s, e.name},
                       {u"model"_s, e.model},
                       {u"serial_number"_s, e.serialNumber},
                       {u"category"_s, e.category},
                       {u"department"_s, textOrNull(e.department)},
                       {u"room"_s, textOrNull(e.room)},
                       {u"install_date"_s, dateJson(e.installDate)},
                       {u"warranty_end"_s, dateJson(e.warrantyEnd)},
                       {u"service_contract_end"_s, dateJson(e.serviceContractEnd)},
                       {u"under_coverage"_s, e.isCovered(today)},
                       {u"criticality"_s, toString(e.criticality)},
                       {u"status"_s, toString(e.status)},
                       {u"qr_code"_s, e.qrCode},
                       {u"gtin"_s, textOrNull(e.gtin)},
                       {u"created_at"_s, timeJson(e.createdAt)},
                       {u"updated_at"_s, timeJson(e.updatedAt)}};
}

QJsonObject toJson(const Engineer &e)
{
    QJsonArray certs;
    for (const Certification &c : e.certifications)
        certs.append(QJsonObject{{u"name"_s, c.name},
                                 {u"manufacturer_id"_s, textOrNull(c.manufacturerId)},
                                 {u"category"_s, textOrNull(c.category)},
                                 {u"expires_on"_s, dateJson(c.expiresOn)}});
    return QJsonObject{{u"id"_s, e.id},
                       {u"user_id"_s, textOrNull(e.userId)},
                       {u"organization_id"_s, e.organizationId},
                       {u"name"_s, e.name},
                       {u"level"_s, toString(e.level)},
                       {u"manufacturer_ids"_s, QJsonArray::fromStringList(e.manufacturerIds)},
                       {u"categories"_s, QJsonArray::fromStringList(e.categories)},
                       {u"certifications"_s, certs},
                       {u"phone"_s, textOrNull(e.phone)},
                       {u"email"_s, textOrNull(e.email)},
                       {u"location"_s, locationJson(e.location)},
                       {u"active"_s, e.active},
                       {u"open_assignments"_s, e.openAssignments},
                       {u"created_at"_s, timeJson(e.createdAt)},
                       {u"updated_at"_s, timeJson(e.updatedAt)}};
}

static QString slaStateName(SlaPolicy::State s)
{
    switch (s) {
    case SlaPolicy::State::OnTrack:
        return u"on_track"_s;
    case SlaPolicy::State::AtRisk:
        return u"at_risk"_s;
    case SlaPolicy::State::Breached:
        return u"breached"_s;
    }
    return {};
}

QJsonObject toJson(const Ticket &t, const QDateTime &now)
{
    // Response is met once assigned; resolution once resolved. A met target is
    // judged at the moment it was met.
    const QDateTime responseAt = t.assignedAt.isValid() ? t.assignedAt : now;
    const QDateTime resolutionAt = t.resolvedAt.isValid() ? t.resolvedAt : now;
    QJsonObject sla;
    if (t.status != TicketStatus::Cancelled) {
        sla.insert(u"response"_s,
                   slaStateName(SlaPolicy::state(t.createdAt, t.responseDueAt, responseAt)));
        sla.insert(u"resolution"_s,
                   slaStateName(SlaPolicy::state(t.createdAt, t.resolutionDueAt, resolutionAt)));
    }
    return QJsonObject{{u"id"_s, t.id},
                       {u"number"_s, t.number},
                       {u"equipment_id"_s, t.equipmentId},
                       {u"organization_id"_s, t.organizationId},
                       {u"reporter_name"_s, textOrNull(t.reporterName)},
                       {u"reporter_contact"_s, textOrNull(t.reporterContact)},
                       {u"reporter_user_id"_s, textOrNull(t.reporterUserId)},
                       {u"channel"_s, toString(t.channel)},
                       {u"priority"_s, toString(t.priority)},
                       {u"status"_s, toString(t.status)},
                       {u"title"_s, t.title},
                       {u"description"_s, t.description},
                       {u"assigned_engineer_id"_s, textOrNull(t.assignedEngineerId)},
                       {u"created_at"_s, timeJson(t.createdAt)},
                       {u"updated_at"_s, timeJson(t.updatedAt)},
                       {u"assigned_at"_s, timeJson(t.assignedAt)},
                       {u"resolved_at"_s, timeJson(t.resolvedAt)},
                       {u"closed_at"_s, timeJson(t.closedAt)},
                       {u"response_due_at"_s, timeJson(t.responseDueAt)},
                       {u"resolution_due_at"_s, timeJson(t.resolutionDueAt)},
                       {u"sla"_s, sla}};
}

QJsonObject toJson(const Assignment &a)
{
    return QJsonObject{
        {u"id"_s, a.id},
        {u"ticket_id"_s, a.ticketId},
        {u"engineer_id"_s, a.engineerId},
        {u"assignment_tier"_s, int(a.tier)},
        {u"status"_s, toString(a.status)},
        {u"assigned_by"_s, textOrNull(a.assignedBy)},
        {u"reason"_s, textOrNull(a.reason)},
        {u"match_score"_s, a.matchScore >= 0 ? QJsonValue(a.matchScore) : QJsonValue()},
        {u"assigned_at"_s, timeJson(a.assignedAt)},
        {u"ended_at"_s, timeJson(a.endedAt)}};
}

QJsonObject toJson(const TicketHistoryEntry &e)
{
    return QJsonObject{
        {u"id"_s, e.id},
        {u"kind"_s, toString(e.kind)},
        {u"at"_s, timeJson(e.at)},
        {u"actor"_s, textOrNull(e.actor)},
        {u"from_status"_s, e.fromStatus ? QJsonValue(toString(*e.fromStatus)) : QJsonValue()},
        {u"to_status"_s, e.toStatus ? QJsonValue(toString(*e.toStatus)) : QJsonValue()},
        {u"note"_s, textOrNull(e.note)}};
}

QJsonObject toJson(const ScoreBreakdown &b)
{
    return QJsonObject{{u"tier"_s, b.tier},
                       {u"level"_s, b.level},
                       {u"certification"_s, b.certification},
                       {u"workload"_s, b.workload},
                       {u"distance"_s, b.distance},
                       {u"distance_km"_s, b.distanceKm
                                              ? QJsonValue(std::round(*b.distanceKm * 10) / 10)
                                              : QJsonValue(QJsonValue::Null)}};
}

QJsonObject toJson(const Suggestion &s)
{
    QJsonObject engineer = toJson(s.candidate.engineer);
    engineer.insert(u"organization"_s,
                    QJsonObject{{u"id"_s, s.candidate.engineer.organizationId},
                                {u"name"_s, s.candidate.organizationName},
                                {u"type"_s, toString(s.candidate.organizationType)}});
    return QJsonObject{{u"engineer"_s, engineer},
                       {u"match_score"_s, s.matchScore},
                       {u"assignment_tier"_s, int(s.tier)},
                       {u"recommended"_s, s.recommended},
                       {u"score_breakdown"_s, toJson(s.breakdown)}};
}

void readOrganization(JsonReader &r, Organization &org, bool creating)
{
    if (auto v = r.text(u"name"_s, creating, 200))
        org.name = v->trimmed();
    if (auto v = r.enumeration<OrganizationType>(
            u"type"_s, creating, &parseOrganizationType,
            allowedValues({u"hospital"_s, u"manufacturer"_s, u"authorized_partner"_s,
                           u"service_provider"_s})))
        org.type = *v;
    if (auto v = r.text(u"address"_s, false, 300))
        org.address = *v;
    if (auto v = r.text(u"city"_s, false, 120))
        org.city = *v;
    if (auto v = r.text(u"country"_s, false, 2))
        org.country = v->toUpper();
    if (auto v = r.text(u"phone"_s, false, 32))
        org.phone = *v;
    if (auto v = r.text(u"email"_s, false, 254))
        org.email = *v;
    if (auto v = r.boolean(u"active"_s))
        org.active = *v;
    readLocation(r, org.location);
    if (auto arr = r.array(u"service_scopes"_s, false, 500)) {
        QList<ServiceScope> scopes;
        bool ok = true;
        for (const QJsonValue &item : *arr) {
            const QJsonObject o = item.toObject();
            const QString m = o.value(u"manufacturer_id"_s).toString();
            const QString c = o.value(u"category"_s).toString();
            if (!item.isObject() || o.size() != 2 || !validate::isUuid(m) || !isKnownCategory(c)) {
                ok = false;
                break;
            }
            const ServiceScope scope{m.toLower(), c};
            if (!scopes.contains(scope))
                scopes.append(scope);
        }
        if (ok)
            org.serviceScopes = scopes;
        else
            r.addError(
                u"service_scopes"_s,
                u"each entry must be {\"manufacturer_id\": id, \"category\": a known category}"_s);
    }
}

void readEquipment(JsonReader &r, Equipment &e, bool creating)
{
    if (auto v = readId(r, u"organization_id"_s, creating))
        e.organizationId = *v;
    if (auto v = readId(r, u"manufacturer_id"_s, creating))
        e.manufacturerId = *v;
    if (auto v = r.text(u"name"_s, creating, 200))
        e.name = v->trimmed();
    if (auto v = r.text(u"model"_s, false, 200))
        e.model = v->trimmed();
    if (auto v = r.text(u"serial_number"_s, creating, 100))
        e.serialNumber = v->trimmed();
    if (auto v = r.text(u"category"_s, creating, 64))
        e.category = *v;
    if (auto v = r.text(u"department"_s, false, 120))
        e.department = *v;
    if (auto v = r.text(u"room"_s, false, 120))
        e.room = *v;
    if (auto v = r.date(u"install_date"_s))
        e.installDate = *v;
    if (auto v = r.date(u"warranty_end"_s))
        e.warrantyEnd = *v;
    if (auto v = r.date(u"service_contract_end"_s))
        e.serviceContractEnd = *v;
    if (auto v = r.enumeration<Criticality>(
            u"criticality"_s, false, &parseCriticality,
            allowedValues({u"low"_s, u"medium"_s, u"high"_s, u"life_support"_s})))
        e.criticality = *v;
    if (auto v = r.enumeration<EquipmentStatus>(
            u"status"_s, false, &parseEquipmentStatus,
            allowedValues(
                {u"operational"_s, u"degraded"_s, u"down"_s, u"maintenance"_s, u"retired"_s})))
        e.status = *v;
    if (auto v = r.text(u"gtin"_s, false, 14))
        e.gtin = *v;
}

void readEngineer(JsonReader &r, Engineer &e, bool creating)
{
    if (auto v = readId(r, u"organization_id"_s, creating))
        e.organizationId = *v;
    if (auto v = readId(r, u"user_id"_s, false))
        e.userId = *v;
    if (auto v = r.text(u"name"_s, creating, 200))
        e.name = v->trimmed();
    if (auto v = r.enumeration<EngineerLevel>(u"level"_s, creating, &parseEngineerLevel,
                                              allowedValues({u"L1"_s, u"L2"_s, u"L3"_s})))
        e.level = *v;
    if (auto v = r.textList(u"manufacturer_ids"_s, false, 200, 64)) {
        bool ok = true;
        QStringList ids;
        for (const QString &id : *v) {
            ok = ok && validate::isUuid(id);
            ids.append(id.toLower());
        }
        if (ok)
            e.manufacturerIds = ids;
        else
            r.addError(u"manufacturer_ids"_s, u"must be a list of manufacturer ids (UUIDs)"_s);
    }
    if (auto v = r.textList(u"categories"_s, false, 50, 64))
        e.categories = *v;
    if (auto arr = r.array(u"certifications"_s, false, 100)) {
        QList<Certification> certs;
        for (int i = 0; i < arr->size(); ++i) {
            if (!arr->at(i).isObject()) {
                r.addError(u"certifications"_s, u"each entry must be an object"_s);
                break;
            }
            JsonReader inner(arr->at(i).toObject());
            Certification c;
            if (auto v = inner.text(u"name"_s, true, 200))
                c.name = *v;
            if (auto v = readId(inner, u"manufacturer_id"_s, false))
                c.manufacturerId = *v;
            if (auto v = inner.text(u"category"_s, false, 64))
                c.category = *v;
            if (auto v = inner.date(u"expires_on"_s))
                c.expiresOn = *v;
            if (!c.category.isEmpty() && !isKnownCategory(c.category))
                inner.addError(u"category"_s, u"is not a known category"_s);
            try {
                inner.finish();
            } catch (const ApiError &) {
                for (auto it = inner.errors().cbegin(); it != inner.errors().cend(); ++it)
                    r.addError(u"certifications[%1].%2"_s.arg(i).arg(it.key()), it.value());
                continue;
            }
            certs.append(c);
        }
        e.certifications = certs;
    }
    if (auto v = r.text(u"phone"_s, false, 32))
        e.phone = *v;
    if (auto v = r.text(u"email"_s, false, 254))
        e.email = *v;
    if (auto v = r.boolean(u"active"_s))
        e.active = *v;
    readLocation(r, e.location);
}

void readTicket(JsonReader &r, Ticket &t, bool creating)
{
    if (creating) {
        if (auto v = readId(r, u"equipment_id"_s, true))
            t.equipmentId = *v;
        if (auto v = r.enumeration<TicketChannel>(
                u"channel"_s, false, &parseTicketChannel,
                allowedValues({u"desk"_s, u"qr_scan"_s, u"whatsapp"_s, u"api"_s})))
            t.channel = *v;
        if (auto v = r.text(u"reporter_name"_s, false, 200))
            t.reporterName = *v;
        if (auto v = r.text(u"reporter_contact"_s, false, 254))
            t.reporterContact = *v;
    }
    if (auto v = r.enumeration<Priority>(
            u"priority"_s, creating, &parsePriority,
            allowedValues({u"critical"_s, u"high"_s, u"normal"_s, u"low"_s})))
        t.priority = *v;
    if (auto v = r.text(u"title"_s, creating, 200))
        t.title = v->trimmed();
    if (auto v = r.text(u"description"_s, false, 10000))
        t.description = *v;
}

} // namespace md::api

namespace md::api {

QJsonObject toJson(const User &u)
{
    return QJsonObject{{u"id"_s, u.id},
                       {u"name"_s, u.name},
                       {u"email"_s, textOrNull(u.email)},
                       {u"phone"_s, textOrNull(u.phone)},
                       {u"role"_s, toString(u.role)},
                       {u"organization_id"_s, textOrNull(u.organizationId)},
                       {u"active"_s, u.active},
                       {u"verified"_s, u.verified},
                       {u"created_at"_s, timeJson(u.createdAt)},
                       {u"updated_at"_s, timeJson(u.updatedAt)},
                       {u"last_login_at"_s, timeJson(u.lastLoginAt)}};
}

void readUser(JsonReader &r, User &u, bool creating)
{
    if (auto v = r.text(u"name"_s, creating, 200))
        u.name = v->trimmed();
    if (auto v = r.text(u"email"_s, false, 254))
        u.email = v->trimmed().toLower();
    if (auto v = r.text(u"phone"_s, false, 32)) {
        const QString normalized = normalizeIdentifier(*v);
        u.phone = v->isEmpty() || normalized.isEmpty() || isEmailIdentifier(normalized)
                      ? *v
                      : normalized; // invalid text stays as sent, so validate() names it
    }
    if (auto v = r.enumeration<Role>(u"role"_s, creating, &parseRole,
                                     allowedValues({u"super_admin"_s, u"admin"_s, u"org_admin"_s,
                                                    u"engineer"_s, u"customer"_s})))
        u.role = *v;
    if (r.has(u"organization_id"_s)) {
        if (auto v = readId(r, u"organization_id"_s, false))
            u.organizationId = *v;
    }
    if (auto v = r.boolean(u"active"_s))
        u.active = *v;
}

} // namespace md::api
