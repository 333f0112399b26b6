#include "repositories.h"

#include "sqlrepositories.h"

namespace md::storage {

struct Repositories::Private
{
    explicit Private(Database &db)
        : organizations(db), equipment(db), engineers(db), tickets(db), assignments(db),
          dashboard(db)
    {}
    SqlOrganizationRepository organizations;
    SqlEquipmentRepository equipment;
    SqlEngineerRepository engineers;
    SqlTicketRepository tickets;
    SqlAssignmentRepository assignments;
    SqlDashboardRepository dashboard;
};

Repositories::Repositories(Database &db) : d(std::make_unique<Private>(db)) {}
Repositories::~Repositories() = default;

OrganizationRepository &Repositories::organizations()
{
    return d->organizations;
}
EquipmentRepository &Repositories::equipment()
{
    return d->equipment;
}
EngineerRepository &Repositories::engineers()
{
    return d->engineers;
}
TicketRepository &Repositories::tickets()
{
    return d->tickets;
}
AssignmentRepository &Repositories::assignments()
{
    return d->assignments;
}
DashboardRepository &Repositories::dashboard()
{
    return d->dashboard;
}

} // namespace md::storage
