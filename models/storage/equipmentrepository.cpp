#include "sqlrepositories.h"
#include "storageerror.h"

namespace md::storage {

using namespace md::domain;

namespace rows {

const QString equipmentColumns = QStringLiteral(
    "q.id, q.organization_id, q.manufacturer_id, q.name, q.model, q.serial_number, q.category, "
    "q.department, q.room, q.install_date, q.warranty_end, q.service_contract_end, "
    "q.criticality, q.status, q.qr_code, q.gtin, q.created_at, q.updated_at");

Equipment equipment(const sql::Query &q, int i)
{
    Equipment e;
    e.id = q.string(i + 0);
    e.organizationId = q.string(i + 1);
    e.manufacturerId = q.string(i + 2);
    e.name = q.string(i + 3);
    e.model = q.string(i + 4);
    e.serialNumber = q.string(i + 5);
    e.category = q.string(i + 6);
    e.department = q.string(i + 7);
    e.room = q.string(i + 8);
    e.installDate = sql::date(q.value(i + 9));
    e.warrantyEnd = sql::date(q.value(i + 10));
    e.serviceContractEnd = sql::date(q.value(i + 11));
    e.criticality = parseCriticality(q.string(i + 12)).value_or(Criticality::Medium);
    e.status = parseEquipmentStatus(q.string(i + 13)).value_or(EquipmentStatus::Operational);
    e.qrCode = q.string(i + 14);
    e.gtin = q.string(i + 15);
    e.createdAt = sql::dateTime(q.value(i + 16));
    e.updatedAt = sql::dateTime(q.value(i + 17));
    return e;
}

} // namespace rows

namespace {

QString searchText(const Equipment &e)
{
    // One folded haystack for "q": name, model and serial number.
    return sql::fold(e.name + u'\n' + e.model + u'\n' + e.serialNumber);
}

QVariantList equipmentValues(const Equipment &e)
{
    return {e.organizationId,
            e.manufacturerId,
            sql::text(e.name),
            sql::text(e.model),
            sql::text(e.serialNumber),
            sql::text(e.category),
            sql::text(e.department),
            sql::text(e.room),
            sql::isoDate(e.installDate),
            sql::isoDate(e.warrantyEnd),
            sql::isoDate(e.serviceContractEnd),
            toString(e.criticality),
            toString(e.status),
            sql::optionalText(e.qrCode),
            sql::optionalText(e.gtin),
            searchText(e),
            sql::millis(e.updatedAt.isValid() ? e.updatedAt : QDateTime::currentDateTimeUtc())};
}

} // namespace

void addEquipmentScope(sql::Where &where, const Scope &scope, const QString &alias,
                       sql::Evaluation evaluation)
{
    if (scope.all)
        return;
    sql::IdAlternatives any;
    if (!scope.organizationIds.isEmpty()) {
        const QString in = u" IN (" + sql::placeholders(scope.organizationIds.size()) + u')';
        const QVariantList ids = sql::idValues(scope.organizationIds);
        any.add(alias + u".organization_id" + in,
                u"SELECT sq.id FROM equipment sq WHERE sq.organization_id" + in, ids);
        // Behind a ticket one of the organizations' engineers is actively assigned to.
        any.add(u"EXISTS (SELECT 1 FROM tickets st JOIN engineers se ON se.id = "
                u"st.assigned_engineer_id WHERE st.equipment_id = " +
                    alias + u".id AND se.organization_id" + in + u')',
                u"SELECT st.equipment_id FROM engineers se JOIN tickets st ON "
                u"st.assigned_engineer_id = se.id WHERE se.organization_id" +
                    in,
                ids);
    }
    if (!scope.engineerId.isEmpty())
        any.add(u"EXISTS (SELECT 1 FROM tickets st JOIN assignments sa ON sa.ticket_id = st.id "
                u"WHERE st.equipment_id = " +
                    alias + u".id AND sa.engineer_id = ?)",
                QStringLiteral("SELECT st.equipment_id FROM assignments sa JOIN tickets st ON "
                               "st.id = sa.ticket_id WHERE sa.engineer_id = ?"),
                {scope.engineerId});
    where.addIdAlternatives(alias + u".id", any, evaluation);
}

void SqlEquipmentRepository::insert(const Equipment &e)
{
    sql::Query q(m_db, QStringLiteral(
                           "INSERT INTO equipment (organization_id, manufacturer_id, name, model, "
                           "serial_number, category, department, room, install_date, warranty_end, "
                           "service_contract_end, criticality, status, qr_code, gtin, search_text, "
                           "updated_at, id, created_at) "
                           "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
    q.bindAll(equipmentValues(e));
    q.bind(e.id);
    q.bind(sql::millis(e.createdAt.isValid() ? e.createdAt : QDateTime::currentDateTimeUtc()));
    q.exec();
}

void SqlEquipmentRepository::update(const Equipment &e)
{
    sql::Query q(
        m_db,
        QStringLiteral("UPDATE equipment SET organization_id = ?, manufacturer_id = ?, name = ?, "
                       "model = ?, serial_number = ?, category = ?, department = ?, room = ?, "
                       "install_date = ?, warranty_end = ?, service_contract_end = ?, "
                       "criticality = ?, status = ?, qr_code = ?, gtin = ?, search_text = ?, "
                       "updated_at = ? WHERE id = ?"));
    q.bindAll(equipmentValues(e));
    q.bind(e.id);
    q.exec();
    if (q.numRowsAffected() == 0)
        throw StorageError(StorageError::Kind::Internal, u"update of unknown equipment " + e.id);
}

std::optional<Equipment> SqlEquipmentRepository::find(const QString &id)
{
    sql::Query q(m_db, u"SELECT " + rows::equipmentColumns + u" FROM equipment q WHERE q.id = ?");
    q.bind(id).exec();
    if (!q.next())
        return std::nullopt;
    return rows::equipment(q);
}

std::optional<Equipment> SqlEquipmentRepository::findByQrCode(const QString &code)
{
    if (code.isEmpty())
        return std::nullopt;
    sql::Query q(m_db,
                 u"SELECT " + rows::equipmentColumns + u" FROM equipment q WHERE q.qr_code = ?");
    q.bind(code).exec();
    if (!q.next())
        return std::nullopt;
    return rows::equipment(q);
}

QList<Equipment> SqlEquipmentRepository::findBySerialNumber(const QString &serial)
{
    QList<Equipment> result;
    if (serial.isEmpty())
        return result;
    sql::Query q(m_db, u"SELECT " + rows::equipmentColumns +
                           u" FROM equipment q WHERE q.serial_number = ? ORDER BY q.name, q.id");
    q.bind(serial).exec();
    while (q.next())
        result.append(rows::equipment(q));
    return result;
}

Page<Equipment> SqlEquipmentRepository::list(const EquipmentFilter &filter, const Scope &scope,
                                             PageRequest page)
{
    sql::Where where;
    if (!filter.organizationId.isEmpty())
        where.add(QStringLiteral("q.organization_id = ?"), {filter.organizationId});
    if (!filter.category.isEmpty())
        where.add(QStringLiteral("q.category = ?"), {filter.category});
    if (!filter.manufacturerId.isEmpty())
        where.add(QStringLiteral("q.manufacturer_id = ?"), {filter.manufacturerId});
    if (filter.status)
        where.add(QStringLiteral("q.status = ?"), {toString(*filter.status)});
    if (!filter.serialNumber.isEmpty())
        where.add(QStringLiteral("q.serial_number = ?"), {filter.serialNumber});
    if (!filter.gtin.isEmpty())
        where.add(QStringLiteral("q.gtin = ?"), {filter.gtin});
    if (!filter.q.isEmpty())
        where.add(QStringLiteral("q.search_text LIKE ? ESCAPE '!'"),
                  {sql::likeContains(sql::fold(filter.q))});
    // An exact serial number narrows the table to a few rows through its index: test
    // those against the scope instead of building every admitted id first.
    addEquipmentScope(where, scope, QStringLiteral("q"),
                      filter.serialNumber.isEmpty() ? sql::Evaluation::List
                                                    : sql::Evaluation::OneRow);

    Page<Equipment> result;
    const bool onlyOrganization =
        where.conditions.size() == 1 && !filter.organizationId.isEmpty() && scope.all;
    if (onlyOrganization) {
        // The hospital's counter is exact and avoids counting its rows.
        sql::Query c(m_db,
                     QStringLiteral("SELECT equipment_count FROM organizations WHERE id = ?"));
        c.bind(filter.organizationId).exec();
        result.total = c.next() ? c.int64(0) : 0;
    } else {
        result.total = sql::count(m_db, u"FROM equipment q" + where.sql(), where.values);
    }
    if (result.total == 0)
        return result;
    sql::Query q(m_db, u"SELECT " + rows::equipmentColumns + u" FROM equipment q" + where.sql() +
                           u" ORDER BY q.name, q.id LIMIT ? OFFSET ?");
    q.bindAll(where.values).bind(page.limit).bind(page.offset).exec();
    while (q.next())
        result.items.append(rows::equipment(q));
    return result;
}

} // namespace md::storage
