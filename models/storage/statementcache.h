#pragma once

// Internal to md_storage: reuse of prepared statements per thread connection.

#include "database.h"

#include <QSqlQuery>

namespace md::storage {

struct StatementCacheAccess
{
    /// A prepared statement for `sql` on this thread's connection, reserved for the
    /// caller until release(); nullptr when it should use a fresh, uncached one.
    static QSqlQuery *acquire(Database &db, const QString &sql);
    static void release(Database &db, const QString &sql);
    /// The connection failed: close it (it reopens on next use) and drop its statements.
    static void connectionLost(Database &db);
};

} // namespace md::storage
