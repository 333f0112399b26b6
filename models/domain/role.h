#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace md::domain {

/// Who a user is to the system (DESIGN.md). The wire names are API.md's.
enum class Role
{
    SuperAdmin, // platform operator: everything, including other super_admins
    Admin,      // dispatch centre: every organization
    OrgAdmin,   // one organization's administrator
    Engineer,   // a service engineer: their own assignments
    Customer    // hospital staff: report and follow their organization's tickets
};

QString toString(Role role);
std::optional<Role> parseRole(const QString &s);

/// What a role may do at all. Whether it may do it to one object is decided by the
/// tenancy scope on top (docs/security.md); this table is the one place that says which
/// role holds which permission.
enum class Permission
{
    OrganizationsRead,
    OrganizationsCreate,
    OrganizationsUpdate, // org_admin: their own organization only
    EquipmentRead,
    EquipmentWrite,
    EngineersRead,
    EngineersWrite,
    TicketsRead,
    TicketsCreate,
    TicketsUpdate, // status and priority changes the state machine allows
    TicketsAssign, // suggestions, assign and reassign
    DashboardRead,
    UsersRead,
    UsersWrite,
    AuditRead,
};

QString toString(Permission permission); // "tickets.assign"
bool hasPermission(Role role, Permission permission);
/// The wire names of every permission the role holds, in table order.
QStringList permissionNames(Role role);
QList<Permission> allPermissions();

/// Roles a user of `actor`'s role may give to others (creating or editing a user):
/// super_admin any; admin any but super_admin; org_admin org_admin, engineer,
/// customer; others none.
bool mayGrantRole(Role actor, Role granted);

/// Roles that see every organization (no tenancy restriction).
inline bool isPlatformRole(Role role)
{
    return role == Role::SuperAdmin || role == Role::Admin;
}

} // namespace md::domain
