#pragma once

// The QtSql implementations of the repository interfaces. Internal to md_storage.

#include "authrepositories.h"
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

class SqlUserRepository final : public UserRepository
{
public:
    explicit SqlUserRepository(Database &db) : m_db(db) {}
    void insert(const domain::User &user) override;
    void update(const domain::User &user) override;
    std::optional<domain::User> find(const QString &id) override;
    std::optional<domain::User> findByIdentifier(const QString &normalized) override;
    Page<domain::User> list(const UserFilter &filter, const Scope &scope,
                            PageRequest page) override;
    qint64 countByRole(domain::Role role) override;
    std::optional<QString> engineerIdOf(const QString &userId) override;

private:
    Database &m_db;
};

class SqlLoginThrottleRepository final : public LoginThrottleRepository
{
public:
    explicit SqlLoginThrottleRepository(Database &db) : m_db(db) {}
    LockState state(const QString &key) override;
    LockState recordFailure(const QString &key, const QDateTime &now,
                            const LockoutPolicy &policy) override;
    void reset(const QString &key) override;

private:
    Database &m_db;
};

class SqlOtpRepository final : public OtpRepository
{
public:
    explicit SqlOtpRepository(Database &db) : m_db(db) {}
    void insert(const OtpRecord &record) override;
    int countSince(const QString &identifierKey, const QDateTime &since) override;
    std::optional<QDateTime> lastCreatedAt(const QString &identifierKey) override;
    std::optional<OtpRecord> latestUsable(const QString &identifierKey, const QString &purpose,
                                          const QDateTime &now) override;
    bool consume(const QString &id, const QDateTime &at) override;
    void consumeAll(const QString &identifierKey, const QString &purpose,
                    const QDateTime &at) override;
    int purgeCreatedBefore(const QDateTime &before) override;

private:
    Database &m_db;
};

class SqlSessionRepository final : public SessionRepository
{
public:
    explicit SqlSessionRepository(Database &db) : m_db(db) {}
    void insert(const Session &session, const QString &refreshTokenHash) override;
    std::optional<Session> find(const QString &id) override;
    QList<Session> listLive(const QString &userId, const QDateTime &now) override;
    RotateResult rotate(const QString &oldHash, const QString &newHash, const QDateTime &now,
                        const QString &ipAddress, const QString &userAgent) override;
    std::optional<Session> findByRefreshHash(const QString &hash) override;
    bool revoke(const QString &sessionId, const QDateTime &at, const QString &reason) override;
    int revokeAllOf(const QString &userId, const QDateTime &at, const QString &reason) override;

private:
    Database &m_db;
};

class SqlRateLimitRepository final : public RateLimitRepository
{
public:
    explicit SqlRateLimitRepository(Database &db) : m_db(db) {}
    qint64 add(const QString &key, qint64 windowStartMs, qint64 hits) override;
    int purgeBefore(qint64 windowStartMs) override;

private:
    Database &m_db;
};

class SqlAuditRepository final : public AuditRepository
{
public:
    explicit SqlAuditRepository(Database &db) : m_db(db) {}
    void append(AuditEntry &entry) override;
    Page<AuditEntry> list(const AuditFilter &filter, PageRequest page) override;
    AuditVerification verify() override;

private:
    Database &m_db;
};

class SqlVisibilityRepository final : public VisibilityRepository
{
public:
    explicit SqlVisibilityRepository(Database &db) : m_db(db) {}
    bool organizationVisible(const QString &id, const Scope &scope) override;
    bool equipmentVisible(const QString &id, const Scope &scope) override;
    bool engineerVisible(const QString &id, const Scope &scope) override;
    bool ticketVisible(const QString &id, const Scope &scope) override;
    bool userVisible(const QString &id, const Scope &scope) override;

private:
    Database &m_db;
};

// The rules of Scope (repositories.h) in SQL, one per kind of object, shared by the
// lists, the dashboard and VisibilityRepository so that they always agree. Each adds
// nothing for scope.all, and a condition matching nothing for a scope listing nothing.
// `alias` names the object's table in the caller's query; `evaluation` says whether it
// lists rows or checks one (sql::IdAlternatives).
void addOrganizationScope(sql::Where &where, const Scope &scope, const QString &alias);
void addEquipmentScope(sql::Where &where, const Scope &scope, const QString &alias,
                       sql::Evaluation evaluation = sql::Evaluation::List);
void addEngineerScope(sql::Where &where, const Scope &scope, const QString &alias,
                      sql::Evaluation evaluation = sql::Evaluation::List);
void addTicketScope(sql::Where &where, const Scope &scope, const QString &alias,
                    sql::Evaluation evaluation = sql::Evaluation::List);
void addUserScope(sql::Where &where, const Scope &scope, const QString &alias);

} // namespace md::storage
