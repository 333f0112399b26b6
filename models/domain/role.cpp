#include "role.h"

#include <array>
#include <utility>

using namespace Qt::StringLiterals;

namespace md::domain {

namespace {

constexpr std::array kRoles = {
    std::pair{Role::SuperAdmin, "super_admin"}, std::pair{Role::Admin, "admin"},
    std::pair{Role::OrgAdmin, "org_admin"},     std::pair{Role::Engineer, "engineer"},
    std::pair{Role::Customer, "customer"},
};

struct PermissionRow
{
    Permission permission;
    const char *name;
    // super_admin, admin, org_admin, engineer, customer
    std::array<bool, 5> granted;
};

// The permission table of docs/security.md. Keep the two in step.
constexpr std::array kPermissions = {
    PermissionRow{Permission::OrganizationsRead, "organizations.read", {1, 1, 1, 1, 1}},
    PermissionRow{Permission::OrganizationsCreate, "organizations.create", {1, 1, 0, 0, 0}},
    PermissionRow{Permission::OrganizationsUpdate, "organizations.update", {1, 1, 1, 0, 0}},
    PermissionRow{Permission::EquipmentRead, "equipment.read", {1, 1, 1, 1, 1}},
    PermissionRow{Permission::EquipmentWrite, "equipment.write", {1, 1, 1, 0, 0}},
    PermissionRow{Permission::EngineersRead, "engineers.read", {1, 1, 1, 1, 1}},
    PermissionRow{Permission::EngineersWrite, "engineers.write", {1, 1, 1, 0, 0}},
    PermissionRow{Permission::TicketsRead, "tickets.read", {1, 1, 1, 1, 1}},
    PermissionRow{Permission::TicketsCreate, "tickets.create", {1, 1, 1, 0, 1}},
    PermissionRow{Permission::TicketsUpdate, "tickets.update", {1, 1, 1, 1, 0}},
    PermissionRow{Permission::TicketsAssign, "tickets.assign", {1, 1, 1, 0, 0}},
    PermissionRow{Permission::DashboardRead, "dashboard.read", {1, 1, 1, 1, 1}},
    PermissionRow{Permission::UsersRead, "users.read", {1, 1, 1, 0, 0}},
    PermissionRow{Permission::UsersWrite, "users.write", {1, 1, 1, 0, 0}},
    PermissionRow{Permission::AuditRead, "audit.read", {1, 1, 0, 0, 0}},
};

int roleIndex(Role role)
{
    return static_cast<int>(role);
}

} // namespace

QString toString(Role role)
{
    for (const auto &[r, name] : kRoles)
        if (r == role)
            return QString::fromLatin1(name);
    return {};
}

std::optional<Role> parseRole(const QString &s)
{
    for (const auto &[r, name] : kRoles)
        if (s == QLatin1StringView(name))
            return r;
    return std::nullopt;
}

QString toString(Permission permission)
{
    for (const PermissionRow &row : kPermissions)
        if (row.permission == permission)
            return QString::fromLatin1(row.name);
    return {};
}

bool hasPermission(Role role, Permission permission)
{
    for (const PermissionRow &row : kPermissions)
        if (row.permission == permission)
            return row.granted[roleIndex(role)];
    return false;
}

QStringList permissionNames(Role role)
{
    QStringList names;
    for (const PermissionRow &row : kPermissions)
        if (row.granted[roleIndex(role)])
            names.append(QString::fromLatin1(row.name));
    return names;
}

QList<Permission> allPermissions()
{
    QList<Permission> all;
    for (const PermissionRow &row : kPermissions)
        all.append(row.permission);
    return all;
}

bool mayGrantRole(Role actor, Role granted)
{
    switch (actor) {
    case Role::SuperAdmin:
        return true;
    case Role::Admin:
        return granted != Role::SuperAdmin;
    case Role::OrgAdmin:
        return granted == Role::OrgAdmin || granted == Role::Engineer || granted == Role::Customer;
    case Role::Engineer:
    case Role::Customer:
        return false;
    }
    return false;
}

} // namespace md::domain
