#include "sqlsupport.h"

#include "statementcache.h"
#include "storageerror.h"

#include <QSqlError>
#include <QTimeZone>
#include <exception>
#include <vector>

namespace md::storage::sql {

QVariant millis(const QDateTime &t)
{
    if (!t.isValid())
        return QVariant(QMetaType::fromType<qlonglong>());
    return QVariant(qlonglong(t.toMSecsSinceEpoch()));
}

QDateTime dateTime(const QVariant &v)
{
    if (v.isNull())
        return {};
    return QDateTime::fromMSecsSinceEpoch(v.toLongLong(), Qt::UTC);
}

QVariant isoDate(const QDate &d)
{
    if (!d.isValid())
        return QVariant(QMetaType::fromType<QString>());
    return QVariant(d.toString(Qt::ISODate));
}

QDate date(const QVariant &v)
{
    if (v.isNull())
        return {};
    return QDate::fromString(v.toString(), Qt::ISODate);
}

QVariant text(const QString &s)
{
    if (s.isNull())
        return QVariant(QStringLiteral(""));
    return QVariant(s);
}

QVariant optionalText(const QString &s)
{
    if (s.isEmpty())
        return QVariant(QMetaType::fromType<QString>());
    return QVariant(s);
}

QVariant optionalDouble(std::optional<double> v)
{
    if (!v)
        return QVariant(QMetaType::fromType<double>());
    return QVariant(*v);
}

QVariant boolean(bool b)
{
    return QVariant(b);
}

QString fold(const QString &s)
{
    return s.toCaseFolded();
}

QString likeContains(const QString &s)
{
    QString escaped;
    escaped.reserve(s.size() + 8);
    escaped += u'%';
    for (const QChar c : s) {
        if (c == u'%' || c == u'_' || c == u'!')
            escaped += u'!';
        escaped += c;
    }
    escaped += u'%';
    return escaped;
}

QString placeholders(qsizetype n)
{
    QString s;
    s.reserve(n * 2);
    for (qsizetype i = 0; i < n; ++i) {
        if (i)
            s += u',';
        s += u'?';
    }
    return s;
}

QString inList(Backend backend, const QString &column, const QStringList &ids, QVariantList &values)
{
    if (backend == Backend::Sqlite) {
        for (const QString &id : ids)
            values << QVariant(id);
        return column + u" IN (" + placeholders(ids.size()) + u')';
    }
    // A text[] literal: every element double-quoted, quotes and backslashes escaped.
    QString array = QStringLiteral("{");
    for (qsizetype i = 0; i < ids.size(); ++i) {
        if (i)
            array += u',';
        array += u'"';
        for (const QChar c : ids.at(i)) {
            if (c == u'"' || c == u'\\')
                array += u'\\';
            array += c;
        }
        array += u'"';
    }
    array += u'}';
    values << QVariant(array);
    return column + u" = ANY(CAST(? AS text[]))";
}

QVariantList idValues(const QStringList &ids)
{
    QVariantList out;
    out.reserve(ids.size());
    for (const QString &id : ids)
        out << QVariant(id);
    return out;
}

void AnyOf::add(const QString &condition, const QVariantList &vals)
{
    conditions << condition;
    values << vals;
}

void Where::add(const QString &condition, const QVariantList &vals)
{
    conditions << condition;
    values << vals;
}

void Where::addIn(const QString &column, const QStringList &ids)
{
    if (ids.isEmpty())
        return;
    conditions << (column + u" IN (" + placeholders(ids.size()) + u')');
    for (const QString &id : ids)
        values << QVariant(id);
}

void Where::addAnyOf(const AnyOf &any)
{
    if (any.conditions.isEmpty()) {
        conditions << QStringLiteral("1 = 0");
        return;
    }
    if (any.conditions.size() == 1)
        conditions << any.conditions.first();
    else
        conditions << u'(' + any.conditions.join(QStringLiteral(" OR ")) + u')';
    values << any.values;
}

void IdAlternatives::add(const QString &rowCondition, const QString &idSelect,
                         const QVariantList &vals)
{
    rowConditions.add(rowCondition, vals);
    idSelects << idSelect;
}

void Where::addIdAlternatives(const QString &idColumn, const IdAlternatives &alternatives,
                              Evaluation evaluation)
{
    if (evaluation == Evaluation::OneRow || alternatives.idSelects.isEmpty()) {
        addAnyOf(alternatives.rowConditions);
        return;
    }
    conditions << (idColumn + u" IN (" +
                   alternatives.idSelects.join(QStringLiteral(" UNION ALL ")) + u')');
    values << alternatives.rowConditions.values;
}

QString Where::sql() const
{
    if (conditions.isEmpty())
        return {};
    return u" WHERE " + conditions.join(QStringLiteral(" AND "));
}

namespace {
thread_local std::vector<std::unique_ptr<QSqlQuery>> failedQueries;
}

void releaseFailedQueries()
{
    failedQueries.clear();
}

Query::Query(Database &db, const QString &sql) : m_db(db), m_sql(sql)
{
    m_query = StatementCacheAccess::acquire(db, sql);
    if (m_query)
        return;
    m_owned = std::make_unique<QSqlQuery>(db.connection());
    m_query = m_owned.get();
    m_query->setForwardOnly(true);
    if (!m_query->prepare(sql))
        fail(QStringLiteral("prepare"));
}

Query::~Query()
{
    if (!m_owned) {
        if (m_query)
            StatementCacheAccess::release(m_db, m_sql);
        return;
    }
    // Unwinding out of a PostgreSQL transaction: it is probably aborted, so keep the
    // statement until the transaction ends.
    if (std::uncaught_exceptions() > 0 && m_db.backend() == Backend::Postgres &&
        m_db.inTransaction())
        failedQueries.push_back(std::move(m_owned));
}

void Query::fail(const QString &context)
{
    const StorageError error = StorageError::fromSql(m_query->lastError(), context);
    if (error.kind() == StorageError::Kind::Unavailable && !m_db.inTransaction())
        StatementCacheAccess::connectionLost(m_db); // the transaction does it otherwise
    if (m_owned && m_db.backend() == Backend::Postgres && m_db.inTransaction()) {
        failedQueries.push_back(std::move(m_owned));
        m_query = nullptr;
    }
    throw error;
}

Query &Query::bind(const QVariant &v)
{
    // Explicit positions: a reused statement still holds the previous values.
    m_query->bindValue(m_bindIndex++, v);
    return *this;
}

Query &Query::bindAll(const QVariantList &values)
{
    for (const QVariant &v : values)
        bind(v);
    return *this;
}

Query &Query::exec()
{
    if (!m_query->exec())
        fail(m_sql.left(80).simplified());
    return *this;
}

QString Query::string(int i) const
{
    const QVariant v = m_query->value(i);
    if (v.isNull())
        return {};
    return v.toString();
}

qint64 count(Database &db, const QString &fromWhere, const QVariantList &values)
{
    Query q(db, u"SELECT count(*) " + fromWhere);
    q.bindAll(values).exec();
    return q.next() ? q.int64(0) : 0;
}

} // namespace md::storage::sql
