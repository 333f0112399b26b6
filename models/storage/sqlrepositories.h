#pragma once

// The QtSql implementations of the repository interfaces. Internal to md_storage.

#include "database.h"
#include "repositories.h"
#include "sqlsupport.h"

namespace md::storage {

// Column lists and row readers, shared where one repository reads another's rows.
namespace rows {
extern const QString organizationColumns; // 16 columns, prefix o.
domain::Organization organization(const sql::Query &q, int offset = 0);
/// Fills serviceScopes of each organization in one query.
void loadServiceScopes(Database &db, QList<domain::Organization> &orgs);

extern const QString equipmentColumns; // 18 columns, prefix q.
domain::Equipment equipment(const sql::Query &q, int offset = 0);

extern const QString engineerColumns; // 13 columns, prefix e.
domain::Engineer engineer(const sql::Query &q, int offset = 0);
/// Fills manufacturerIds, categories and certifications of each engineer in one query.
void loadEngineerDetails(Database &db, QList<domain::Engineer *> engineers);

extern const QString ticketColumns; // 20 columns, prefix t.
domain::Ticket ticket(const sql::Query &q, int offset = 0);

extern const QString assignmentColumns; // 10 columns, prefix a.
domain::Assignment assignment(const sql::Query &q, int offset = 0);
} // namespace rows

class SqlOrganizationRepository final : public OrganizationRepository
{
public:
    explicit SqlOrganizationRepository(Database &db) : m_db(db) {}
    void insert(const domain::Organization &org) override;
    void update(const domain::Organization &org) override;
    std::optional<domain::Organization> find(const QString &id) override;
    Page<domain::Organization> list(const OrganizationFilter &filter, const Scope &scope,
                                    PageRequest page) override;

private:
    void writeScopes(const domain::Organization &org);
    Database &m_db;
};

class SqlEquipmentRepository final : public EquipmentRepository
{
public:
    explicit SqlEquipmentRepository(Database &db) : m_db(db) {}
    void insert(const domain::Equipment &equipment) override;
    void update(const domain::Equipment &equipment) override;
    std::optional<domain::Equipment> find(const QString &id) override;
    std::optional<domain::Equipment> findByQrCode(const QString &code) override;
    QList<domain::Equipment> findBySerialNumber(const QString &serial) override;
    Page<domain::Equipment> list(const EquipmentFilter &filter, const Scope &scope,
                                 PageRequest page) override;

private:
    Database &m_db;
};

class SqlEngineerRepository final : public EngineerRepository
{
public:
    explicit SqlEngineerRepository(Database &db) : m_db(db) {}
    void insert(const domain::Engineer &engineer) override;
    void update(const domain::Engineer &engineer) override;
    std::optional<domain::Engineer> find(const QString &id) override;
    Page<domain::Engineer> list(const EngineerFilter &filter, const Scope &scope,
                                PageRequest page) override;
    std::optional<std::pair<domain::DispatchContext, QList<domain::Candidate>>>
    dispatchCandidates(const QString &ticketId, const QDate &today) override;

private:
    void writeDetails(const domain::Engineer &engineer);
    Database &m_db;
};

class SqlTicketRepository final : public TicketRepository
{
public:
    explicit SqlTicketRepository(Database &db) : m_db(db) {}
    void insert(domain::Ticket &ticket) override;
    void update(const domain::Ticket &ticket) override;
    std::optional<domain::Ticket> find(const QString &id) override;
    Page<domain::Ticket> list(const TicketFilter &filter, const Scope &scope,
                              PageRequest page) override;
    void appendHistory(const domain::TicketHistoryEntry &entry) override;
    QList<domain::TicketHistoryEntry> history(const QString &ticketId) override;

private:
    Database &m_db;
};

class SqlAssignmentRepository final : public AssignmentRepository
{
public:
    explicit SqlAssignmentRepository(Database &db) : m_db(db) {}
    void insert(const domain::Assignment &assignment) override;
    std::optional<domain::Assignment> active(const QString &ticketId) override;
    std::optional<domain::Assignment> endActive(const QString &ticketId,
                                                domain::AssignmentStatus status,
                                                const QDateTime &at) override;
    QList<domain::Assignment> history(const QString &ticketId) override;
    AssignmentSummary summary(const QString &ticketId) override;

private:
    Database &m_db;
};

class SqlDashboardRepository final : public DashboardRepository
{
public:
    explicit SqlDashboardRepository(Database &db) : m_db(db) {}
    DashboardStats stats(const Scope &scope, const QDateTime &now) override;

private:
    Database &m_db;
};

/// "Ticket visible to the scope": the hospital's, or assigned to one of its engineers.
void addTicketScope(sql::Where &where, const Scope &scope, const QString &alias);

} // namespace md::storage
