#pragma once

#include "database.h"

#include <QSqlQuery>
#include <QStringList>
#include <QVariantList>

namespace md::storage {

/// Writes many rows into one table through multi-row INSERT statements, reusing one
/// prepared statement for every full batch. Rows are written on the calling thread's
/// connection, inside whatever transaction the caller holds.
class BulkInserter final
{
public:
    BulkInserter(Database &db, const QString &table, const QStringList &columns);
    ~BulkInserter();
    BulkInserter(const BulkInserter &) = delete;
    BulkInserter &operator=(const BulkInserter &) = delete;

    /// Appends one value of the current row; a row is complete after columns().size().
    BulkInserter &operator<<(const QVariant &value);
    /// Writes the buffered rows.
    void flush();
    /// Rows of this table reference rows buffered in `parent`: flush it first.
    void setParent(BulkInserter *parent) { m_parent = parent; }
    qint64 rowsWritten() const { return m_written; }
    int rowsPerStatement() const { return m_rowsPerStatement; }

private:
    QString statement(int rows) const;
    void execute(QSqlQuery &query, int rows);

    Database &m_db;
    QString m_table;
    QStringList m_columns;
    int m_rowsPerStatement = 0;
    QVariantList m_buffer;
    QSqlQuery *m_full = nullptr; // prepared for m_rowsPerStatement rows
    qint64 m_written = 0;
    BulkInserter *m_parent = nullptr;
};

} // namespace md::storage
