#pragma once

#include "serverconfig.h"

#include <QString>

namespace md::server {

/// `meddispatch-server create-admin --email E --name N [--phone P]`: creates an active,
/// verified super_admin on the configured database (migrating a fresh install first).
/// Refuses weak passwords and taken identifiers. Returns the exit code; *message is
/// what to print (no secrets).
int createAdmin(const ServerConfig &config, const QString &email, const QString &name,
                const QString &phone, const QString &password, QString *message);

/// `meddispatch-server verify-audit`: recomputes the audit log's hash chain. Exit 0 when
/// intact, 1 naming the first tampered entry, 2 when the database cannot be read.
int verifyAudit(const ServerConfig &config, QString *message);

} // namespace md::server
