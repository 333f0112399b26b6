#pragma once

// Small helpers shared by the SQL repositories: value conversion between the domain
// types and the column formats of the schema (UTC epoch milliseconds, ISO dates,
// folded search text), and a prepared-query wrapper that throws StorageError.

#include "database.h"
#include "repositories.h"

#include <QDate>
#include <QDateTime>
#include <QSqlQuery>
#include <QString>
#include <QVariant>
#include <QVariantList>
#include <memory>
#include <optional>

namespace md::storage::sql {

QVariant millis(const QDateTime &t);
QDateTime dateTime(const QVariant &v);
QVariant isoDate(const QDate &d);
QDate date(const QVariant &v);
/// Never NULL: an empty (or null) string is stored as ''.
QVariant text(const QString &s);
/// NULL for an empty string (optional references and unique optional codes).
QVariant optionalText(const QString &s);
QVariant optionalDouble(std::optional<double> v);
QVariant boolean(bool b);

/// Case-folded text kept in *_folded / search_text columns so substring search is
/// case-insensitive beyond ASCII on both backends.
QString fold(const QString &s);
/// "%<s>%" with LIKE metacharacters escaped by '!' (use `LIKE ? ESCAPE '!'`).
QString likeContains(const QString &s);
/// "?,?,?" for n values.
QString placeholders(qsizetype n);

/// "column IN (?, ...)" on SQLite; "column = ANY(CAST(? AS text[]))" with one array
/// value on PostgreSQL, so the statement text (and its prepared plan) does not change
/// with the number of ids and planning stays cheap. Appends the values to `values`.
QString inList(Backend backend, const QString &column, const QStringList &ids,
               QVariantList &values);

/// The ids as values for "IN (" + placeholders(ids.size()) + ")".
QVariantList idValues(const QStringList &ids);

/// Alternatives joined by OR, with their values in placeholder order.
struct AnyOf
{
    QStringList conditions;
    QVariantList values;
    void add(const QString &condition, const QVariantList &vals = {});
};

/// How a restriction is evaluated.
enum class Evaluation
{
    List,   // over a list: one set of admitted ids, built from indexes, joined to the table
    OneRow, // for one row looked up by id: correlated conditions, a few index probes
};

/// Alternatives admitting rows of one table, each given in two equivalent forms using
/// the same placeholders: a condition on a row of the table, and a SELECT of the ids it
/// admits. A list uses the UNION ALL of the selects as one "id IN (...)" set: an OR of
/// subquery conditions would make PostgreSQL test every row of the table (hashed
/// subplans cannot drive an index). One row uses the conditions: SQLite would build the
/// whole set to test one id.
struct IdAlternatives
{
    AnyOf rowConditions;
    QStringList idSelects;
    void add(const QString &rowCondition, const QString &idSelect, const QVariantList &vals = {});
};

/// A WHERE clause under construction: conditions joined by AND, with their values in
/// placeholder order.
struct Where
{
    QStringList conditions;
    QVariantList values;
    void add(const QString &condition, const QVariantList &vals = {});
    /// "col IN (?, ...)" for a non-empty list; nothing for an empty one.
    void addIn(const QString &column, const QStringList &ids);
    /// "(a OR b ...)". No alternatives match nothing: a closed scope that lists nothing
    /// sees nothing.
    void addAnyOf(const AnyOf &any);
    /// The alternatives in the form `evaluation` wants, on the table's id column; no
    /// alternatives match nothing.
    void addIdAlternatives(const QString &idColumn, const IdAlternatives &alternatives,
                           Evaluation evaluation);
    QString sql() const; // "" or " WHERE ..."
};

/// Statements that failed inside a PostgreSQL transaction are kept until the rollback:
/// destroying them earlier makes QPSQL try to DEALLOCATE in the aborted transaction,
/// which fails (a warning, and a statement leaked on the server).
void releaseFailedQueries();

/// A forward-only prepared statement on this thread's connection that throws
/// StorageError on failure.
class Query final
{
public:
    Query(Database &db, const QString &sql);
    ~Query();
    Query(const Query &) = delete;
    Query &operator=(const Query &) = delete;
    Query &bind(const QVariant &v);
    Query &bindAll(const QVariantList &values);
    Query &exec();
    bool next() { return m_query->next(); }
    QVariant value(int i) const { return m_query->value(i); }
    QString string(int i) const;
    qint64 int64(int i) const { return m_query->value(i).toLongLong(); }
    int numRowsAffected() const { return m_query->numRowsAffected(); }

private:
    [[noreturn]] void fail(const QString &context);

    Database &m_db;
    QString m_sql;
    QSqlQuery *m_query = nullptr;       // cached or m_owned
    std::unique_ptr<QSqlQuery> m_owned; // when the cache could not lend one
    int m_bindIndex = 0;
};

/// SELECT count(*) with the given FROM/WHERE.
qint64 count(Database &db, const QString &fromWhere, const QVariantList &values);

} // namespace md::storage::sql
