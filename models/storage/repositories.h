#pragma once

// The repository interfaces the server's services use. Each works on the calling
// thread's connection of a Database; callers wrap writes in Database::transaction.
// Lists are ordered deterministically (documented per method) and paged.
// Every method throws StorageError on database failure.

#include "paging.h"

#include "domain/assignment.h"
#include "domain/assignmentengine.h"
#include "domain/engineer.h"
#include "domain/equipment.h"
#include "domain/organization.h"
#include "domain/ticket.h"
#include "domain/tickethistory.h"

#include <QDateTime>
#include <QStringList>
#include <optional>

namespace md::storage {

/// Restricts what a caller sees (tenancy). Filled by the server's authorization layer
/// (docs/security.md); repositories apply it in SQL, and VisibilityRepository answers
/// the same question for one object.
///
/// all == true: everything. Otherwise (nothing listed, i.e. no organizationIds, engineerId
/// or readableOrganizationIds: nothing visible, not even the manufacturers):
/// - organizations: ids in organizationIds or readableOrganizationIds, and every
///   manufacturer (the public catalogue equipment refers to);
/// - tickets: the hospital is in organizationIds, or the engineer actively assigned
///   belongs to one of organizationIds (service organizations), or engineerId has (had)
///   an assignment on it;
/// - equipment: owned by one of organizationIds, or behind a ticket visible by the
///   service/engineer rules above;
/// - engineers: of one of organizationIds, the engineer engineerId, or actively
///   assigned to a ticket of a hospital in organizationIds;
/// - users: of one of organizationIds.
struct Scope
{
    QStringList organizationIds; // tenant organizations (org_admin, customer)
    bool all = true;
    QString engineerId;                  // the engineer role's own engineer record
    QStringList readableOrganizationIds; // readable as organizations only (engineer's employer)
};

struct OrganizationFilter
{
    std::optional<domain::OrganizationType> type;
    QString q; // case-insensitive substring of the name
};

class OrganizationRepository
{
public:
    virtual ~OrganizationRepository() = default;
    virtual void insert(const domain::Organization &org) = 0;
    virtual void update(const domain::Organization &org) = 0;
    /// With counts always filled (they are kept as counters, so this is cheap).
    virtual std::optional<domain::Organization> find(const QString &id) = 0;
    /// Ordered by name, then id.
    virtual Page<domain::Organization> list(const OrganizationFilter &filter, const Scope &scope,
                                            PageRequest page) = 0;
};

struct EquipmentFilter
{
    QString organizationId;
    QString category;
    QString manufacturerId;
    std::optional<domain::EquipmentStatus> status;
    QString q;            // substring of name, model, serial number
    QString serialNumber; // exact (a UDI's (21) serial, a scanner's input)
    QString gtin;         // exact 14-digit GTIN
};

class EquipmentRepository
{
public:
    virtual ~EquipmentRepository() = default;
    virtual void insert(const domain::Equipment &equipment) = 0;
    virtual void update(const domain::Equipment &equipment) = 0;
    virtual std::optional<domain::Equipment> find(const QString &id) = 0;
    virtual std::optional<domain::Equipment> findByQrCode(const QString &code) = 0;
    virtual QList<domain::Equipment> findBySerialNumber(const QString &serial) = 0;
    /// Ordered by name, then id.
    virtual Page<domain::Equipment> list(const EquipmentFilter &filter, const Scope &scope,
                                         PageRequest page) = 0;
};

struct EngineerFilter
{
    QString organizationId;
    QString manufacturerId;
    QString category;
    std::optional<domain::EngineerLevel> level;
    std::optional<bool> active;
    QString q; // substring of name
};

class EngineerRepository
{
public:
    virtual ~EngineerRepository() = default;
    virtual void insert(const domain::Engineer &engineer) = 0;
    virtual void update(const domain::Engineer &engineer) = 0;
    virtual std::optional<domain::Engineer> find(const QString &id) = 0;
    /// Ordered by name, then id.
    virtual Page<domain::Engineer> list(const EngineerFilter &filter, const Scope &scope,
                                        PageRequest page) = 0;
    /// Everything the assignment engine needs for one ticket: the context, and the
    /// engineers who are active, service the equipment's manufacturer and category,
    /// have a high enough level and belong to an organization of some tier. Uses
    /// indexes only; the work does not grow with engineers who cannot qualify.
    virtual std::optional<std::pair<domain::DispatchContext, QList<domain::Candidate>>>
    dispatchCandidates(const QString &ticketId, const QDate &today) = 0;
};

struct TicketFilter
{
    QString organizationId;
    QString equipmentId;
    QString engineerId; // tickets whose active assignment is this engineer's
    QList<domain::TicketStatus> statuses;
    std::optional<domain::Priority> priority;
    std::optional<domain::AssignmentTier> tier; // tier of the active assignment
    QString q;                                  // substring of number, title, description
};

class TicketRepository
{
public:
    virtual ~TicketRepository() = default;
    /// Assigns ticket.number from a per-year sequence (same transaction) and writes
    /// it back into `ticket`.
    virtual void insert(domain::Ticket &ticket) = 0;
    virtual void update(const domain::Ticket &ticket) = 0;
    virtual std::optional<domain::Ticket> find(const QString &id) = 0;
    /// Newest first (created_at desc, then id).
    virtual Page<domain::Ticket> list(const TicketFilter &filter, const Scope &scope,
                                      PageRequest page) = 0;
    /// Appends one line of the ticket's history (call inside the change's transaction).
    virtual void appendHistory(const domain::TicketHistoryEntry &entry) = 0;
    /// Oldest first.
    virtual QList<domain::TicketHistoryEntry> history(const QString &ticketId) = 0;
};

struct AssignmentSummary
{
    int total = 0;
    int active = 0;
    int completed = 0;
    int reassigned = 0;
    int cancelled = 0;
};

class AssignmentRepository
{
public:
    virtual ~AssignmentRepository() = default;
    virtual void insert(const domain::Assignment &assignment) = 0;
    virtual std::optional<domain::Assignment> active(const QString &ticketId) = 0;
    /// Ends the ticket's active assignment (if any) with that status and time.
    virtual std::optional<domain::Assignment>
    endActive(const QString &ticketId, domain::AssignmentStatus status, const QDateTime &at) = 0;
    /// Newest first.
    virtual QList<domain::Assignment> history(const QString &ticketId) = 0;
    virtual AssignmentSummary summary(const QString &ticketId) = 0;
};

/// The figures of GET /v1/dashboard.
struct DashboardStats
{
    QMap<QString, qint64> openByPriority; // priority wire name -> count
    QMap<QString, qint64> byStatus;       // status wire name -> count
    qint64 openTickets = 0;
    qint64 slaBreached = 0;              // open tickets past their resolution due time
    qint64 slaAtRisk = 0;                // open, not breached, < 25 % of the window left
    double meanTimeToAssignMinutes = 0;  // over tickets created in the last 30 days
    double meanTimeToResolveMinutes = 0; // over tickets resolved in the last 30 days
    qint64 equipmentCount = 0;
    qint64 engineersCount = 0;
    qint64 activeEngineers = 0;
    qint64 organizationsCount = 0;
};

class DashboardRepository
{
public:
    virtual ~DashboardRepository() = default;
    /// Ticket figures over the tickets visible under `scope`; under a restricted scope
    /// the organization, equipment and engineer counts equal the totals of the lists
    /// under the same scope (manufacturers included).
    virtual DashboardStats stats(const Scope &scope, const QDateTime &now) = 0;
};

class Database;
class UserRepository;
class SessionRepository;
class OtpRepository;
class LoginThrottleRepository;
class RateLimitRepository;
class AuditRepository;
class VisibilityRepository;

/// The SQL implementations, one set per backend dialect, on the calling thread's
/// connection of `db`.
struct Repositories
{
    explicit Repositories(Database &db);
    ~Repositories();
    OrganizationRepository &organizations();
    EquipmentRepository &equipment();
    EngineerRepository &engineers();
    TicketRepository &tickets();
    AssignmentRepository &assignments();
    DashboardRepository &dashboard();
    UserRepository &users();
    SessionRepository &sessions();
    OtpRepository &otps();
    LoginThrottleRepository &loginThrottle();
    RateLimitRepository &rateLimits();
    AuditRepository &audit();
    VisibilityRepository &visibility();

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace md::storage
