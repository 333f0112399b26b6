#include "sqlrepositories.h"

namespace md::storage {

namespace {

// One primary-key lookup with the scope's conditions in their one-row form (the rules
// the lists apply).
bool exists(Database &db, const QString &from, const QString &alias, const QString &id,
            const sql::Where &scope)
{
    if (id.isEmpty())
        return false;
    sql::Where where;
    where.add(alias + u".id = ?", {id});
    where.conditions << scope.conditions;
    where.values << scope.values;
    sql::Query q(db, u"SELECT 1 FROM " + from + u' ' + alias + where.sql());
    q.bindAll(where.values).exec();
    return q.next();
}

} // namespace

bool SqlVisibilityRepository::organizationVisible(const QString &id, const Scope &scope)
{
    sql::Where where;
    addOrganizationScope(where, scope, QStringLiteral("o"));
    return exists(m_db, QStringLiteral("organizations"), QStringLiteral("o"), id, where);
}

bool SqlVisibilityRepository::equipmentVisible(const QString &id, const Scope &scope)
{
    sql::Where where;
    addEquipmentScope(where, scope, QStringLiteral("q"), sql::Evaluation::OneRow);
    return exists(m_db, QStringLiteral("equipment"), QStringLiteral("q"), id, where);
}

bool SqlVisibilityRepository::engineerVisible(const QString &id, const Scope &scope)
{
    sql::Where where;
    addEngineerScope(where, scope, QStringLiteral("e"), sql::Evaluation::OneRow);
    return exists(m_db, QStringLiteral("engineers"), QStringLiteral("e"), id, where);
}

bool SqlVisibilityRepository::ticketVisible(const QString &id, const Scope &scope)
{
    sql::Where where;
    addTicketScope(where, scope, QStringLiteral("t"), sql::Evaluation::OneRow);
    return exists(m_db, QStringLiteral("tickets"), QStringLiteral("t"), id, where);
}

bool SqlVisibilityRepository::userVisible(const QString &id, const Scope &scope)
{
    sql::Where where;
    addUserScope(where, scope, QStringLiteral("u"));
    return exists(m_db, QStringLiteral("users"), QStringLiteral("u"), id, where);
}

} // namespace md::storage
