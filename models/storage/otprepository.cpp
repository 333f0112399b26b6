#include "sqlrepositories.h"
#include "storageerror.h"

namespace md::storage {

namespace {

const QString OtpColumns =
    QStringLiteral("c.id, c.identifier_key, c.purpose, c.channel, c.code_mac, c.user_id, "
                   "c.created_at, c.expires_at, c.consumed_at");

OtpRecord otp(const sql::Query &q)
{
    OtpRecord r;
    r.id = q.string(0);
    r.identifierKey = q.string(1);
    r.purpose = q.string(2);
    r.channel = q.string(3);
    r.codeMac = q.value(4).toByteArray();
    r.userId = q.string(5);
    r.createdAt = sql::dateTime(q.value(6));
    r.expiresAt = sql::dateTime(q.value(7));
    r.consumedAt = sql::dateTime(q.value(8));
    return r;
}

} // namespace

// Writes run in Database::transaction (nested: part of the caller's), so a lone call
// still gets the writer queue and the retry of busy databases.

void SqlOtpRepository::insert(const OtpRecord &r)
{
    m_db.transaction([&] {
        sql::Query q(m_db, QStringLiteral("INSERT INTO otp_codes (id, identifier_key, purpose, "
                                          "channel, code_mac, user_id, created_at, expires_at, "
                                          "consumed_at) VALUES (?,?,?,?,?,?,?,?,?)"));
        q.bind(r.id).bind(r.identifierKey).bind(r.purpose).bind(r.channel);
        q.bind(QVariant(r.codeMac)).bind(sql::optionalText(r.userId));
        q.bind(sql::millis(r.createdAt.isValid() ? r.createdAt : QDateTime::currentDateTimeUtc()));
        q.bind(sql::millis(r.expiresAt)).bind(sql::millis(r.consumedAt));
        q.exec();
    });
}

int SqlOtpRepository::countSince(const QString &identifierKey, const QDateTime &since)
{
    return int(sql::count(m_db,
                          QStringLiteral("FROM otp_codes c WHERE c.identifier_key = ? AND "
                                         "c.created_at >= ?"),
                          {identifierKey, sql::millis(since)}));
}

std::optional<QDateTime> SqlOtpRepository::lastCreatedAt(const QString &identifierKey)
{
    sql::Query q(m_db, QStringLiteral("SELECT max(c.created_at) FROM otp_codes c "
                                      "WHERE c.identifier_key = ?"));
    q.bind(identifierKey).exec();
    if (!q.next() || q.value(0).isNull())
        return std::nullopt;
    return sql::dateTime(q.value(0));
}

std::optional<OtpRecord> SqlOtpRepository::latestUsable(const QString &identifierKey,
                                                        const QString &purpose,
                                                        const QDateTime &now)
{
    sql::Query q(m_db, u"SELECT " + OtpColumns +
                           u" FROM otp_codes c WHERE c.identifier_key = ? AND c.purpose = ? "
                           u"AND c.consumed_at IS NULL AND c.expires_at > ? "
                           u"ORDER BY c.created_at DESC, c.id DESC LIMIT 1");
    q.bind(identifierKey).bind(purpose).bind(sql::millis(now)).exec();
    if (!q.next())
        return std::nullopt;
    return otp(q);
}

bool SqlOtpRepository::consume(const QString &id, const QDateTime &at)
{
    // Conditional: of two concurrent uses of one code only one changes the row.
    bool consumed = false;
    m_db.transaction([&] {
        sql::Query q(m_db, QStringLiteral("UPDATE otp_codes SET consumed_at = ? "
                                          "WHERE id = ? AND consumed_at IS NULL"));
        q.bind(sql::millis(at)).bind(id).exec();
        consumed = q.numRowsAffected() == 1;
    });
    return consumed;
}

void SqlOtpRepository::consumeAll(const QString &identifierKey, const QString &purpose,
                                  const QDateTime &at)
{
    m_db.transaction([&] {
        sql::Query q(m_db, QStringLiteral("UPDATE otp_codes SET consumed_at = ? WHERE "
                                          "identifier_key = ? AND purpose = ? AND "
                                          "consumed_at IS NULL"));
        q.bind(sql::millis(at)).bind(identifierKey).bind(purpose).exec();
    });
}

int SqlOtpRepository::purgeCreatedBefore(const QDateTime &before)
{
    int removed = 0;
    m_db.transaction([&] {
        sql::Query q(m_db, QStringLiteral("DELETE FROM otp_codes WHERE created_at < ?"));
        q.bind(sql::millis(before)).exec();
        removed = q.numRowsAffected();
    });
    return removed;
}

} // namespace md::storage
