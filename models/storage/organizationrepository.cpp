#include "sqlrepositories.h"
#include "storageerror.h"

#include <QHash>

namespace md::storage {

using namespace md::domain;

namespace rows {

const QString organizationColumns = QStringLiteral(
    "o.id, o.name, o.type, o.address, o.city, o.country, o.latitude, o.longitude, o.phone, "
    "o.email, o.active, o.created_at, o.updated_at, o.equipment_count, o.engineers_count, "
    "o.active_tickets_count");

Organization organization(const sql::Query &q, int i)
{
    Organization o;
    o.id = q.string(i + 0);
    o.name = q.string(i + 1);
    o.type = parseOrganizationType(q.string(i + 2)).value_or(OrganizationType::Hospital);
    o.address = q.string(i + 3);
    o.city = q.string(i + 4);
    o.country = q.string(i + 5);
    if (!q.value(i + 6).isNull() && !q.value(i + 7).isNull())
        o.location = GeoPoint{q.value(i + 6).toDouble(), q.value(i + 7).toDouble()};
    o.phone = q.string(i + 8);
    o.email = q.string(i + 9);
    o.active = q.value(i + 10).toBool();
    o.createdAt = sql::dateTime(q.value(i + 11));
    o.updatedAt = sql::dateTime(q.value(i + 12));
    o.equipmentCount = q.int64(i + 13);
    o.engineersCount = q.int64(i + 14);
    o.activeTicketsCount = q.int64(i + 15);
    return o;
}

void loadServiceScopes(Database &db, QList<Organization> &orgs)
{
    QHash<QString, Organization *> byId;
    QStringList ids;
    for (Organization &o : orgs) {
        o.serviceScopes.clear();
        if (o.type == OrganizationType::AuthorizedPartner ||
            o.type == OrganizationType::ServiceProvider) {
            byId.insert(o.id, &o);
            ids << o.id;
        }
    }
    if (ids.isEmpty())
        return;
    sql::Query q(db, u"SELECT organization_id, manufacturer_id, category "
                     u"FROM organization_service_scopes WHERE organization_id IN (" +
                         sql::placeholders(ids.size()) + u") ORDER BY organization_id, position");
    for (const QString &id : ids)
        q.bind(id);
    q.exec();
    while (q.next()) {
        if (Organization *o = byId.value(q.string(0)))
            o->serviceScopes.append({q.string(1), q.string(2)});
    }
}

} // namespace rows

namespace {

QVariantList organizationValues(const Organization &org)
{
    return {
        sql::text(org.name),
        sql::text(sql::fold(org.name)),
        toString(org.type),
        sql::text(org.address),
        sql::text(org.city),
        sql::text(org.country),
        sql::optionalDouble(org.location ? std::optional(org.location->latitude) : std::nullopt),
        sql::optionalDouble(org.location ? std::optional(org.location->longitude) : std::nullopt),
        sql::text(org.phone),
        sql::text(org.email),
        sql::boolean(org.active),
        sql::millis(org.updatedAt.isValid() ? org.updatedAt : QDateTime::currentDateTimeUtc())};
}

} // namespace

void addOrganizationScope(sql::Where &where, const Scope &scope, const QString &alias)
{
    if (scope.all)
        return;
    sql::AnyOf any;
    const QStringList ids = scope.organizationIds + scope.readableOrganizationIds;
    if (!ids.isEmpty())
        any.add(alias + u".id IN (" + sql::placeholders(ids.size()) + u')', sql::idValues(ids));
    // The manufacturers are the public catalogue equipment refers to: readable by anyone
    // who can read anything at all.
    if (!ids.isEmpty() || !scope.engineerId.isEmpty())
        any.add(alias + u".type = 'manufacturer'");
    where.addAnyOf(any);
}

void SqlOrganizationRepository::insert(const Organization &org)
{
    m_db.transaction([&] {
        sql::Query q(m_db, QStringLiteral(
                               "INSERT INTO organizations (name, name_folded, type, address, city, "
                               "country, latitude, longitude, phone, email, active, updated_at, "
                               "id, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
        q.bindAll(organizationValues(org));
        q.bind(org.id);
        q.bind(
            sql::millis(org.createdAt.isValid() ? org.createdAt : QDateTime::currentDateTimeUtc()));
        q.exec();
        writeScopes(org);
    });
}

void SqlOrganizationRepository::update(const Organization &org)
{
    m_db.transaction([&] {
        sql::Query q(
            m_db, QStringLiteral("UPDATE organizations SET name = ?, name_folded = ?, type = ?, "
                                 "address = ?, city = ?, country = ?, latitude = ?, longitude = ?, "
                                 "phone = ?, email = ?, active = ?, updated_at = ? WHERE id = ?"));
        q.bindAll(organizationValues(org));
        q.bind(org.id);
        q.exec();
        if (q.numRowsAffected() == 0)
            throw StorageError(StorageError::Kind::Internal,
                               u"update of unknown organization " + org.id);
        sql::Query del(
            m_db,
            QStringLiteral("DELETE FROM organization_service_scopes WHERE organization_id = ?"));
        del.bind(org.id).exec();
        writeScopes(org);
    });
}

void SqlOrganizationRepository::writeScopes(const Organization &org)
{
    if (org.serviceScopes.isEmpty())
        return;
    const QString kind = org.type == OrganizationType::AuthorizedPartner
                             ? QStringLiteral("authorized")
                             : QStringLiteral("services");
    QString sqlText = QStringLiteral("INSERT INTO organization_service_scopes "
                                     "(organization_id, position, kind, manufacturer_id, category) "
                                     "VALUES ");
    for (qsizetype i = 0; i < org.serviceScopes.size(); ++i)
        sqlText += i ? QStringLiteral(",(?,?,?,?,?)") : QStringLiteral("(?,?,?,?,?)");
    sql::Query q(m_db, sqlText);
    int position = 0;
    for (const ServiceScope &s : org.serviceScopes)
        q.bind(org.id)
            .bind(position++)
            .bind(kind)
            .bind(s.manufacturerId)
            .bind(sql::text(s.category));
    q.exec();
}

std::optional<Organization> SqlOrganizationRepository::find(const QString &id)
{
    sql::Query q(m_db,
                 u"SELECT " + rows::organizationColumns + u" FROM organizations o WHERE o.id = ?");
    q.bind(id).exec();
    if (!q.next())
        return std::nullopt;
    QList<Organization> result{rows::organization(q)};
    rows::loadServiceScopes(m_db, result);
    return result.first();
}

Page<Organization> SqlOrganizationRepository::list(const OrganizationFilter &filter,
                                                   const Scope &scope, PageRequest page)
{
    sql::Where where;
    if (filter.type)
        where.add(QStringLiteral("o.type = ?"), {toString(*filter.type)});
    if (!filter.q.isEmpty())
        where.add(QStringLiteral("o.name_folded LIKE ? ESCAPE '!'"),
                  {sql::likeContains(sql::fold(filter.q))});
    addOrganizationScope(where, scope, QStringLiteral("o"));

    Page<Organization> result;
    result.total = sql::count(m_db, u"FROM organizations o" + where.sql(), where.values);
    if (result.total == 0)
        return result;
    sql::Query q(m_db, u"SELECT " + rows::organizationColumns + u" FROM organizations o" +
                           where.sql() + u" ORDER BY o.name, o.id LIMIT ? OFFSET ?");
    q.bindAll(where.values).bind(page.limit).bind(page.offset).exec();
    while (q.next())
        result.items.append(rows::organization(q));
    rows::loadServiceScopes(m_db, result.items);
    return result;
}

} // namespace md::storage
