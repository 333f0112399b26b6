#pragma once

#include "database.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace md::storage {

/// One versioned schema change: resources/sql/<dialect>/NNNN_name.sql.
struct Migration
{
    int version = 0;
    QString name;
    QString script;
};

/// The embedded migrations of a backend, ordered by version.
QList<Migration> embeddedMigrations(Backend backend);

/// Splits a script into statements at top-level semicolons, keeping quoted text,
/// PostgreSQL dollar-quoted bodies and SQLite trigger bodies (BEGIN ... END) whole and
/// dropping comments.
QStringList splitSqlStatements(const QString &script);

} // namespace md::storage
