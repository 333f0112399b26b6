#include "sqlrepositories.h"
#include "storageerror.h"

namespace md::storage {

using namespace md::domain;

namespace {

const QString UserColumns = QStringLiteral(
    "u.id, u.name, u.email, u.phone, u.role, u.organization_id, u.active, u.verified, "
    "u.password_hash, u.created_at, u.updated_at, u.last_login_at");

User user(const sql::Query &q)
{
    User u;
    u.id = q.string(0);
    u.name = q.string(1);
    u.email = q.string(2);
    u.phone = q.string(3);
    // An unknown role (a newer schema's) gets the least privileged one.
    u.role = parseRole(q.string(4)).value_or(Role::Customer);
    u.organizationId = q.string(5);
    u.active = q.value(6).toBool();
    u.verified = q.value(7).toBool();
    u.passwordHash = q.string(8).toUtf8();
    u.createdAt = sql::dateTime(q.value(9));
    u.updatedAt = sql::dateTime(q.value(10));
    u.lastLoginAt = sql::dateTime(q.value(11));
    return u;
}

QString searchText(const User &u)
{
    return sql::fold(u.name + u'\n' + u.email + u'\n' + u.phone);
}

QVariantList userValues(const User &u)
{
    return {sql::text(u.name),
            sql::optionalText(u.email),
            sql::optionalText(u.phone),
            searchText(u),
            toString(u.role),
            sql::optionalText(u.organizationId),
            sql::boolean(u.active),
            sql::boolean(u.verified),
            sql::optionalText(QString::fromUtf8(u.passwordHash)),
            sql::millis(u.updatedAt.isValid() ? u.updatedAt : QDateTime::currentDateTimeUtc()),
            sql::millis(u.lastLoginAt)};
}

} // namespace

void addUserScope(sql::Where &where, const Scope &scope, const QString &alias)
{
    if (scope.all)
        return;
    sql::AnyOf any;
    if (!scope.organizationIds.isEmpty())
        any.add(alias + u".organization_id IN (" + sql::placeholders(scope.organizationIds.size()) +
                    u')',
                sql::idValues(scope.organizationIds));
    where.addAnyOf(any);
}

void SqlUserRepository::insert(const User &u)
{
    sql::Query q(m_db, QStringLiteral("INSERT INTO users (name, email, phone, search_text, role, "
                                      "organization_id, active, verified, password_hash, "
                                      "updated_at, last_login_at, id, created_at) "
                                      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"));
    q.bindAll(userValues(u));
    q.bind(u.id);
    q.bind(sql::millis(u.createdAt.isValid() ? u.createdAt : QDateTime::currentDateTimeUtc()));
    q.exec();
}

void SqlUserRepository::update(const User &u)
{
    sql::Query q(m_db, QStringLiteral("UPDATE users SET name = ?, email = ?, phone = ?, "
                                      "search_text = ?, role = ?, organization_id = ?, "
                                      "active = ?, verified = ?, password_hash = ?, "
                                      "updated_at = ?, last_login_at = ? WHERE id = ?"));
    q.bindAll(userValues(u));
    q.bind(u.id);
    q.exec();
    if (q.numRowsAffected() == 0)
        throw StorageError(StorageError::Kind::Internal, u"update of unknown user " + u.id);
}

std::optional<User> SqlUserRepository::find(const QString &id)
{
    sql::Query q(m_db, u"SELECT " + UserColumns + u" FROM users u WHERE u.id = ?");
    q.bind(id).exec();
    if (!q.next())
        return std::nullopt;
    return user(q);
}

std::optional<User> SqlUserRepository::findByIdentifier(const QString &normalized)
{
    if (normalized.isEmpty())
        return std::nullopt;
    const QString column =
        isEmailIdentifier(normalized) ? QStringLiteral("u.email") : QStringLiteral("u.phone");
    sql::Query q(m_db, u"SELECT " + UserColumns + u" FROM users u WHERE " + column + u" = ?");
    q.bind(normalized).exec();
    if (!q.next())
        return std::nullopt;
    return user(q);
}

Page<User> SqlUserRepository::list(const UserFilter &filter, const Scope &scope, PageRequest page)
{
    sql::Where where;
    if (!filter.organizationId.isEmpty())
        where.add(QStringLiteral("u.organization_id = ?"), {filter.organizationId});
    if (filter.role)
        where.add(QStringLiteral("u.role = ?"), {toString(*filter.role)});
    if (filter.active)
        where.add(QStringLiteral("u.active = ?"), {sql::boolean(*filter.active)});
    if (!filter.q.isEmpty())
        where.add(QStringLiteral("u.search_text LIKE ? ESCAPE '!'"),
                  {sql::likeContains(sql::fold(filter.q))});
    addUserScope(where, scope, QStringLiteral("u"));

    Page<User> result;
    result.total = sql::count(m_db, u"FROM users u" + where.sql(), where.values);
    if (result.total == 0)
        return result;
    sql::Query q(m_db, u"SELECT " + UserColumns + u" FROM users u" + where.sql() +
                           u" ORDER BY u.name, u.id LIMIT ? OFFSET ?");
    q.bindAll(where.values).bind(page.limit).bind(page.offset).exec();
    while (q.next())
        result.items.append(user(q));
    return result;
}

qint64 SqlUserRepository::countByRole(Role role)
{
    return sql::count(m_db, QStringLiteral("FROM users u WHERE u.role = ?"), {toString(role)});
}

std::optional<QString> SqlUserRepository::engineerIdOf(const QString &userId)
{
    if (userId.isEmpty())
        return std::nullopt;
    sql::Query q(m_db, QStringLiteral("SELECT e.id FROM engineers e WHERE e.user_id = ?"));
    q.bind(userId).exec();
    if (!q.next())
        return std::nullopt;
    return q.string(0);
}

} // namespace md::storage
