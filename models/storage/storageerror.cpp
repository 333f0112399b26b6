#include "storageerror.h"

#include <QSqlError>
#include <QSqlQuery>

namespace md::storage {

namespace {

// SQLite primary result codes (QSQLITE reports them as the native error code).
constexpr int SqliteBusy = 5;
constexpr int SqliteLocked = 6;
constexpr int SqliteCantOpen = 14;
constexpr int SqliteConstraint = 19;

StorageError::Kind classifySqlite(int code, const QString &text)
{
    const int primary = code & 0xff;
    if (primary == SqliteBusy || primary == SqliteLocked || text.contains(u"database is locked") ||
        text.contains(u"database table is locked"))
        return StorageError::Kind::Busy;
    if (text.contains(u"UNIQUE constraint failed") ||
        text.contains(u"PRIMARY KEY constraint failed"))
        return StorageError::Kind::Conflict;
    if (text.contains(u"FOREIGN KEY constraint failed"))
        return StorageError::Kind::Reference;
    if (primary == SqliteCantOpen)
        return StorageError::Kind::Unavailable;
    if (primary == SqliteConstraint)
        return StorageError::Kind::Internal;
    return StorageError::Kind::Internal;
}

StorageError::Kind classifyPostgres(const QString &state, const QString &text)
{
    if (state == u"23505")
        return StorageError::Kind::Conflict;
    if (state == u"23503")
        return StorageError::Kind::Reference;
    // serialization_failure, deadlock_detected, lock_not_available: worth a retry.
    if (state == u"40001" || state == u"40P01" || state == u"55P03")
        return StorageError::Kind::Busy;
    // connection_exception (08...), admin/crash shutdown (57P0x), too many connections.
    if (state.startsWith(u"08") || state.startsWith(u"57P") || state == u"53300")
        return StorageError::Kind::Unavailable;
    if (state.isEmpty() && (text.contains(u"connection", Qt::CaseInsensitive) ||
                            text.contains(u"server closed", Qt::CaseInsensitive)))
        return StorageError::Kind::Unavailable;
    return StorageError::Kind::Internal;
}

} // namespace

StorageError::StorageError(Kind kind, const QString &message)
    : std::runtime_error(message.toStdString()), m_kind(kind)
{}

QString StorageError::message() const
{
    return QString::fromStdString(what());
}

StorageError StorageError::fromSql(const QSqlError &error, const QString &context)
{
    const QString code = error.nativeErrorCode();
    const QString text = error.text();
    Kind kind = Kind::Internal;
    bool numeric = false;
    const int sqliteCode = code.toInt(&numeric);
    // SQLSTATEs are five characters; SQLite result codes are small integers. (QSQLITE
    // reports statement failures as ConnectionError, so the type says little there.)
    if (numeric && code.size() < 5)
        kind = classifySqlite(sqliteCode, text);
    else if (code.isEmpty() && error.type() == QSqlError::ConnectionError)
        kind = Kind::Unavailable;
    else
        kind = classifyPostgres(code, text);
    return StorageError(kind, context + u": " + text.trimmed() +
                                  (code.isEmpty() ? QString() : u" [" + code + u']'));
}

void execOrThrow(QSqlQuery &query, const QString &context)
{
    if (!query.exec())
        throw StorageError::fromSql(query.lastError(), context);
}

void execOrThrow(QSqlQuery &query, const QString &sql, const QString &context)
{
    if (!query.exec(sql))
        throw StorageError::fromSql(query.lastError(), context);
}

} // namespace md::storage
