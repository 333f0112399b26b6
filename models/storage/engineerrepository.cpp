#include "sqlrepositories.h"
#include "storageerror.h"

#include <QHash>
#include <QSet>

namespace md::storage {

using namespace md::domain;

namespace rows {

const QString engineerColumns = QStringLiteral(
    "e.id, e.user_id, e.organization_id, e.name, e.level, e.phone, e.email, e.latitude, "
    "e.longitude, e.active, e.open_assignments, e.created_at, e.updated_at");

Engineer engineer(const sql::Query &q, int i)
{
    Engineer e;
    e.id = q.string(i + 0);
    e.userId = q.string(i + 1);
    e.organizationId = q.string(i + 2);
    e.name = q.string(i + 3);
    const int level = q.value(i + 4).toInt();
    e.level = level >= 1 && level <= 3 ? EngineerLevel(level) : EngineerLevel::L1;
    e.phone = q.string(i + 5);
    e.email = q.string(i + 6);
    if (!q.value(i + 7).isNull() && !q.value(i + 8).isNull())
        e.location = GeoPoint{q.value(i + 7).toDouble(), q.value(i + 8).toDouble()};
    e.active = q.value(i + 9).toBool();
    e.openAssignments = q.value(i + 10).toInt();
    e.createdAt = sql::dateTime(q.value(i + 11));
    e.updatedAt = sql::dateTime(q.value(i + 12));
    return e;
}

void loadEngineerDetails(Database &db, QList<Engineer *> engineers)
{
    // Chunks keep SQLite's statement within its parameter limit.
    const qsizetype chunk = db.backend() == Backend::Sqlite ? 300 : 5000;
    QHash<QString, Engineer *> byId;
    for (Engineer *e : engineers) {
        e->manufacturerIds.clear();
        e->categories.clear();
        e->certifications.clear();
        byId.insert(e->id, e);
    }
    for (qsizetype start = 0; start < engineers.size(); start += chunk) {
        const qsizetype n = std::min(chunk, engineers.size() - start);
        QStringList ids;
        for (qsizetype i = start; i < start + n; ++i)
            ids << engineers.at(i)->id;
        QVariantList values;
        const QString m = sql::inList(db.backend(), QStringLiteral("engineer_id"), ids, values);
        const QString c = sql::inList(db.backend(), QStringLiteral("engineer_id"), ids, values);
        const QString x = sql::inList(db.backend(), QStringLiteral("engineer_id"), ids, values);
        sql::Query q(db, u"SELECT engineer_id, 0, position, manufacturer_id, NULL, NULL, NULL "
                         u"FROM engineer_manufacturers WHERE " +
                             m +
                             u" UNION ALL SELECT engineer_id, 1, position, category, NULL, NULL, "
                             u"NULL FROM engineer_categories WHERE " +
                             c +
                             u" UNION ALL SELECT engineer_id, 2, position, name, manufacturer_id, "
                             u"category, expires_on FROM engineer_certifications WHERE " +
                             x + u" ORDER BY 1, 2, 3");
        q.bindAll(values).exec();
        while (q.next()) {
            Engineer *e = byId.value(q.string(0));
            if (!e)
                continue;
            switch (q.value(1).toInt()) {
            case 0:
                e->manufacturerIds << q.string(3);
                break;
            case 1:
                e->categories << q.string(3);
                break;
            default:
                e->certifications.append(
                    {q.string(3), q.string(4), q.string(5), sql::date(q.value(6))});
                break;
            }
        }
    }
}

} // namespace rows

namespace {

QVariantList engineerValues(const Engineer &e)
{
    return {sql::optionalText(e.userId),
            e.organizationId,
            sql::text(e.name),
            sql::text(sql::fold(e.name)),
            int(e.level),
            sql::text(e.phone),
            sql::text(e.email),
            sql::optionalDouble(e.location ? std::optional(e.location->latitude) : std::nullopt),
            sql::optionalDouble(e.location ? std::optional(e.location->longitude) : std::nullopt),
            sql::boolean(e.active),
            sql::millis(e.updatedAt.isValid() ? e.updatedAt : QDateTime::currentDateTimeUtc())};
}

QStringList unique(const QStringList &list)
{
    QStringList out;
    QSet<QString> seen;
    for (const QString &s : list) {
        if (!seen.contains(s)) {
            seen.insert(s);
            out << s;
        }
    }
    return out;
}

QString valuesRows(qsizetype rowsCount, int columns)
{
    const QString row = u'(' + sql::placeholders(columns) + u')';
    QStringList all;
    all.reserve(rowsCount);
    for (qsizetype i = 0; i < rowsCount; ++i)
        all << row;
    return all.join(u',');
}

} // namespace

void addEngineerScope(sql::Where &where, const Scope &scope, const QString &alias,
                      sql::Evaluation evaluation)
{
    if (scope.all)
        return;
    sql::IdAlternatives any;
    if (!scope.organizationIds.isEmpty()) {
        const QString in = u" IN (" + sql::placeholders(scope.organizationIds.size()) + u')';
        const QVariantList ids = sql::idValues(scope.organizationIds);
        any.add(alias + u".organization_id" + in,
                u"SELECT se.id FROM engineers se WHERE se.organization_id" + in, ids);
        // Actively assigned to a ticket of one of the organizations (their hospital).
        any.add(u"EXISTS (SELECT 1 FROM tickets st WHERE st.assigned_engineer_id = " + alias +
                    u".id AND st.organization_id" + in + u')',
                u"SELECT st.assigned_engineer_id FROM tickets st WHERE st.organization_id" + in +
                    u" AND st.assigned_engineer_id IS NOT NULL",
                ids);
    }
    if (!scope.engineerId.isEmpty())
        any.add(alias + u".id = ?", QStringLiteral("SELECT CAST(? AS TEXT)"), {scope.engineerId});
    where.addIdAlternatives(alias + u".id", any, evaluation);
}

void SqlEngineerRepository::writeDetails(const Engineer &e)
{
    const QStringList manufacturers = unique(e.manufacturerIds);
    if (!manufacturers.isEmpty()) {
        sql::Query q(m_db, u"INSERT INTO engineer_manufacturers (engineer_id, manufacturer_id, "
                           u"position) VALUES " +
                               valuesRows(manufacturers.size(), 3));
        int position = 0;
        for (const QString &m : manufacturers)
            q.bind(e.id).bind(m).bind(position++);
        q.exec();
    }
    const QStringList categories = unique(e.categories);
    if (!categories.isEmpty()) {
        sql::Query q(m_db, u"INSERT INTO engineer_categories (engineer_id, category, position) "
                           u"VALUES " +
                               valuesRows(categories.size(), 3));
        int position = 0;
        for (const QString &c : categories)
            q.bind(e.id).bind(sql::text(c)).bind(position++);
        q.exec();
    }
    if (!e.certifications.isEmpty()) {
        sql::Query q(m_db, u"INSERT INTO engineer_certifications (engineer_id, position, name, "
                           u"manufacturer_id, category, expires_on) VALUES " +
                               valuesRows(e.certifications.size(), 6));
        int position = 0;
        for (const Certification &c : e.certifications) {
            q.bind(e.id).bind(position++).bind(sql::text(c.name));
            q.bind(sql::optionalText(c.manufacturerId)).bind(sql::optionalText(c.category));
            q.bind(sql::isoDate(c.expiresOn));
        }
        q.exec();
    }
}

void SqlEngineerRepository::insert(const Engineer &e)
{
    m_db.transaction([&] {
        sql::Query q(
            m_db,
            QStringLiteral("INSERT INTO engineers (user_id, organization_id, name, name_folded, "
                           "level, phone, email, latitude, longitude, active, updated_at, id, "
                           "created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"));
        q.bindAll(engineerValues(e));
        q.bind(e.id);
        q.bind(sql::millis(e.createdAt.isValid() ? e.createdAt : QDateTime::currentDateTimeUtc()));
        q.exec();
        writeDetails(e);
    });
}

void SqlEngineerRepository::update(const Engineer &e)
{
    m_db.transaction([&] {
        sql::Query q(
            m_db, QStringLiteral("UPDATE engineers SET user_id = ?, organization_id = ?, name = ?, "
                                 "name_folded = ?, level = ?, phone = ?, email = ?, latitude = ?, "
                                 "longitude = ?, active = ?, updated_at = ? WHERE id = ?"));
        q.bindAll(engineerValues(e));
        q.bind(e.id);
        q.exec();
        if (q.numRowsAffected() == 0)
            throw StorageError(StorageError::Kind::Internal, u"update of unknown engineer " + e.id);
        const char16_t *tables[] = {u"engineer_manufacturers", u"engineer_categories",
                                    u"engineer_certifications"};
        for (const char16_t *table : tables) {
            sql::Query del(m_db,
                           u"DELETE FROM " + QString::fromUtf16(table) + u" WHERE engineer_id = ?");
            del.bind(e.id).exec();
        }
        writeDetails(e);
    });
}

std::optional<Engineer> SqlEngineerRepository::find(const QString &id)
{
    sql::Query q(m_db, u"SELECT " + rows::engineerColumns + u" FROM engineers e WHERE e.id = ?");
    q.bind(id).exec();
    if (!q.next())
        return std::nullopt;
    Engineer e = rows::engineer(q);
    rows::loadEngineerDetails(m_db, {&e});
    return e;
}

Page<Engineer> SqlEngineerRepository::list(const EngineerFilter &filter, const Scope &scope,
                                           PageRequest page)
{
    sql::Where where;
    if (!filter.organizationId.isEmpty())
        where.add(QStringLiteral("e.organization_id = ?"), {filter.organizationId});
    if (!filter.manufacturerId.isEmpty())
        where.add(QStringLiteral("EXISTS (SELECT 1 FROM engineer_manufacturers em WHERE "
                                 "em.engineer_id = e.id AND em.manufacturer_id = ?)"),
                  {filter.manufacturerId});
    if (!filter.category.isEmpty())
        where.add(QStringLiteral("EXISTS (SELECT 1 FROM engineer_categories ec WHERE "
                                 "ec.engineer_id = e.id AND ec.category = ?)"),
                  {filter.category});
    if (filter.level)
        where.add(QStringLiteral("e.level = ?"), {int(*filter.level)});
    if (filter.active)
        where.add(QStringLiteral("e.active = ?"), {sql::boolean(*filter.active)});
    if (!filter.q.isEmpty())
        where.add(QStringLiteral("e.name_folded LIKE ? ESCAPE '!'"),
                  {sql::likeContains(sql::fold(filter.q))});
    addEngineerScope(where, scope, QStringLiteral("e"));

    Page<Engineer> result;
    result.total = sql::count(m_db, u"FROM engineers e" + where.sql(), where.values);
    if (result.total == 0)
        return result;
    sql::Query q(m_db, u"SELECT " + rows::engineerColumns + u" FROM engineers e" + where.sql() +
                           u" ORDER BY e.name, e.id LIMIT ? OFFSET ?");
    q.bindAll(where.values).bind(page.limit).bind(page.offset).exec();
    while (q.next())
        result.items.append(rows::engineer(q));
    QList<Engineer *> pointers;
    for (Engineer &e : result.items)
        pointers << &e;
    rows::loadEngineerDetails(m_db, pointers);
    return result;
}

std::optional<std::pair<DispatchContext, QList<Candidate>>>
SqlEngineerRepository::dispatchCandidates(const QString &ticketId, const QDate &today)
{
    DispatchContext context;
    context.today = today;
    {
        sql::Query q(m_db, u"SELECT " + rows::ticketColumns + u", " + rows::equipmentColumns +
                               u" FROM tickets t JOIN equipment q ON q.id = t.equipment_id "
                               u"WHERE t.id = ?");
        q.bind(ticketId).exec();
        if (!q.next())
            return std::nullopt;
        context.ticket = rows::ticket(q);
        context.equipment = rows::equipment(q, 20);
    }
    const Equipment &equipment = context.equipment;

    // The site's location and the organizations of tiers 2 and 3 for this
    // (manufacturer, category), in one round trip.
    {
        sql::Query q(m_db, QStringLiteral(
                               "SELECT 0, id, latitude, longitude FROM organizations WHERE id = ? "
                               "UNION ALL "
                               "SELECT CASE WHEN o.type = 'authorized_partner' THEN 1 ELSE 2 END, "
                               "o.id, NULL, NULL FROM organization_service_scopes s "
                               "JOIN organizations o ON o.id = s.organization_id "
                               "WHERE s.manufacturer_id = ? AND s.category = ? AND o.active = TRUE "
                               "AND ((s.kind = 'authorized' AND o.type = 'authorized_partner') "
                               "OR (s.kind = 'services' AND o.type = 'service_provider'))"));
        q.bind(equipment.organizationId).bind(equipment.manufacturerId).bind(equipment.category);
        q.exec();
        while (q.next()) {
            switch (q.value(0).toInt()) {
            case 0:
                if (!q.value(2).isNull() && !q.value(3).isNull())
                    context.siteLocation = GeoPoint{q.value(2).toDouble(), q.value(3).toDouble()};
                break;
            case 1:
                context.authorizedPartnerIds.insert(q.string(1));
                break;
            default:
                context.serviceProviderIds.insert(q.string(1));
                break;
            }
        }
    }

    // Only engineers of a tier organization are read (engineers_dispatch index), then
    // checked for manufacturer and category through the child tables' primary keys.
    QStringList tierOrganizations{equipment.manufacturerId, equipment.organizationId};
    for (const QString &id : std::as_const(context.authorizedPartnerIds))
        tierOrganizations << id;
    for (const QString &id : std::as_const(context.serviceProviderIds))
        tierOrganizations << id;
    tierOrganizations.removeDuplicates();

    QList<Candidate> candidates;
    QVariantList values;
    const QString tierCondition =
        sql::inList(m_db.backend(), QStringLiteral("e.organization_id"), tierOrganizations, values);
    sql::Query q(m_db, u"SELECT " + rows::engineerColumns +
                           u", o.name, o.type FROM engineers e "
                           u"JOIN organizations o ON o.id = e.organization_id WHERE " +
                           tierCondition +
                           u" AND e.active = TRUE AND o.active = TRUE AND e.level >= ? "
                           u"AND EXISTS (SELECT 1 FROM engineer_manufacturers em "
                           u"WHERE em.engineer_id = e.id AND em.manufacturer_id = ?) "
                           u"AND EXISTS (SELECT 1 FROM engineer_categories ec "
                           u"WHERE ec.engineer_id = e.id AND ec.category = ?) "
                           u"ORDER BY e.name, e.id");
    q.bindAll(values);
    q.bind(int(requiredLevel(context.ticket.priority)));
    q.bind(equipment.manufacturerId).bind(equipment.category);
    q.exec();
    while (q.next()) {
        Candidate c;
        c.engineer = rows::engineer(q);
        c.organizationName = q.string(13);
        c.organizationType =
            parseOrganizationType(q.string(14)).value_or(OrganizationType::Hospital);
        candidates.append(std::move(c));
    }
    QList<Engineer *> pointers;
    for (Candidate &c : candidates)
        pointers << &c.engineer;
    rows::loadEngineerDetails(m_db, pointers);
    return std::make_pair(std::move(context), std::move(candidates));
}

} // namespace md::storage
