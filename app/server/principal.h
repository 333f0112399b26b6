#pragma once

#include "domain/role.h"
#include "storage/repositories.h"

#include <QString>

namespace md::server {

/// The signed-in caller of one request, from a verified access token.
struct Principal
{
    QString userId;
    domain::Role role = domain::Role::Customer;
    QString organizationId; // empty for super_admin and admin
    QString engineerId;     // the engineer role's engineer record (may be empty)
    QString sessionId;

    bool may(domain::Permission permission) const
    {
        return domain::hasPermission(role, permission);
    }

    /// What this caller may see (storage::Scope's rules, docs/security.md):
    /// platform roles everything; org_admin and customer their organization; an
    /// engineer their own assignments (and their employer as an organization).
    storage::Scope scope() const
    {
        storage::Scope s;
        if (domain::isPlatformRole(role))
            return s; // all
        s.all = false;
        if (role == domain::Role::Engineer) {
            s.engineerId = engineerId;
            if (!organizationId.isEmpty())
                s.readableOrganizationIds = {organizationId};
        } else if (!organizationId.isEmpty()) {
            s.organizationIds = {organizationId};
        }
        return s;
    }
};

} // namespace md::server
