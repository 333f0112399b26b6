#include "repositories.h"

#include "sqlrepositories.h"

namespace md::storage {

struct Repositories::Private
{
    explicit Private(Database &db)
        : organizations(db), equipment(db), engineers(db), tickets(db), assignments(db),
          dashboard(db), users(db), sessions(db), otps(db), loginThrottle(db), rateLimits(db),
          audit(db), visibility(db)
    {}
    SqlOrganizationRepository organizations;
    SqlEquipmentRepository equipment;
    SqlEngineerRepository engineers;
    SqlTicketRepository tickets;
    SqlAssignmentRepository assignments;
    SqlDashboardRepository dashboard;
    SqlUserRepository users;
    SqlSessionRepository sessions;
    SqlOtpRepository otps;
    SqlLoginThrottleRepository loginThrottle;
    SqlRateLimitRepository rateLimits;
    SqlAuditRepository audit;
    SqlVisibilityRepository visibility;
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
UserRepository &Repositories::users()
{
    return d->users;
}
SessionRepository &Repositories::sessions()
{
    return d->sessions;
}
OtpRepository &Repositories::otps()
{
    return d->otps;
}
LoginThrottleRepository &Repositories::loginThrottle()
{
    return d->loginThrottle;
}
RateLimitRepository &Repositories::rateLimits()
{
    return d->rateLimits;
}
AuditRepository &Repositories::audit()
{
    return d->audit;
}
VisibilityRepository &Repositories::visibility()
{
    return d->visibility;
}

} // namespace md::storage
