#pragma once

#include <QString>
#include <stdexcept>

class QSqlError;
class QSqlQuery;

namespace md::storage {

/// Thrown by storage. Kinds map to HTTP statuses in the server:
/// Unavailable -> 503, Conflict (unique violation) -> 409,
/// Reference (foreign key) -> 422, Busy (lock timeout after retries) -> 503.
class StorageError : public std::runtime_error
{
public:
    enum class Kind
    {
        Unavailable,
        Conflict,
        Reference,
        Busy,
        Internal
    };
    StorageError(Kind kind, const QString &message);
    Kind kind() const { return m_kind; }
    QString message() const;

    /// Classifies a QtSql error (SQLite and PostgreSQL codes).
    static StorageError fromSql(const QSqlError &error, const QString &context);

private:
    Kind m_kind;
};

/// exec() or throw StorageError::fromSql.
void execOrThrow(QSqlQuery &query, const QString &context);
void execOrThrow(QSqlQuery &query, const QString &sql, const QString &context);

} // namespace md::storage
