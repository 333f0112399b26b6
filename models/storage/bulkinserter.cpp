#include "bulkinserter.h"

#include "sqlsupport.h"
#include "storageerror.h"

#include <QSqlError>

namespace md::storage {

BulkInserter::BulkInserter(Database &db, const QString &table, const QStringList &columns)
    : m_db(db), m_table(table), m_columns(columns)
{
    // Large statements amortize the per-statement cost, but QSQLITE looks up every
    // parameter's name by a linear scan when binding (quadratic in the parameter count),
    // so SQLite statements stay near 1,000 parameters. PostgreSQL's limit is 65535.
    const int maxParameters = db.backend() == Backend::Sqlite ? 1000 : 16000;
    m_rowsPerStatement = std::max(1, std::min(500, maxParameters / int(columns.size())));
    m_buffer.reserve(m_rowsPerStatement * columns.size());
}

BulkInserter::~BulkInserter()
{
    delete m_full;
}

BulkInserter &BulkInserter::operator<<(const QVariant &value)
{
    m_buffer.append(value);
    if (m_buffer.size() == m_rowsPerStatement * m_columns.size()) {
        if (!m_full) {
            m_full = new QSqlQuery(m_db.connection());
            if (!m_full->prepare(statement(m_rowsPerStatement)))
                throw StorageError::fromSql(m_full->lastError(), u"prepare bulk " + m_table);
        }
        execute(*m_full, m_rowsPerStatement);
    }
    return *this;
}

void BulkInserter::flush()
{
    if (m_buffer.isEmpty())
        return;
    const int rows = int(m_buffer.size() / m_columns.size());
    QSqlQuery query(m_db.connection());
    if (!query.prepare(statement(rows)))
        throw StorageError::fromSql(query.lastError(), u"prepare bulk " + m_table);
    execute(query, rows);
}

QString BulkInserter::statement(int rows) const
{
    const QString row = u'(' + sql::placeholders(m_columns.size()) + u')';
    QString s = u"INSERT INTO " + m_table + u" (" + m_columns.join(u',') + u") VALUES ";
    s.reserve(s.size() + rows * (row.size() + 1));
    for (int i = 0; i < rows; ++i) {
        if (i)
            s += u',';
        s += row;
    }
    return s;
}

void BulkInserter::execute(QSqlQuery &query, int rows)
{
    if (m_parent)
        m_parent->flush();
    const qsizetype n = qsizetype(rows) * m_columns.size();
    for (qsizetype i = 0; i < n; ++i)
        query.bindValue(int(i), m_buffer.at(i));
    if (!query.exec())
        throw StorageError::fromSql(query.lastError(), u"bulk insert into " + m_table);
    query.finish();
    m_written += rows;
    m_buffer.clear();
}

} // namespace md::storage
