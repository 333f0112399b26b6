// Who may do what to whose objects: every dispatch endpoint of API.md (with users,
// audit-logs and auth/me) for every role, on objects of the caller's own tenant and of
// others, once per backend. The expected answer of each case comes from the oracle in
// this file — docs/security.md's rules written out over a model of the fixture — never
// from the server's code. Besides the status, every case checks that error answers are
// envelopes that name nothing of the object, that an invisible object answers exactly
// like an unknown one, that lists hold exactly the visible rows, and that every write
// that succeeded left its audit rows under its request id (and a refused one none).
// Prints how many cases ran per backend and fails listing every mismatch.

#include "apitestsupport.h"

#include <QJsonArray>
#include <QSet>
#include <QTest>
#include <QWebSocket>

#include <algorithm>
#include <functional>

using namespace Qt::StringLiterals;
using md::domain::Role;
using md::test::HttpClient;
using md::test::HttpReply;

namespace {

const QString kUnknownId = u"0b7e4a1c-5d2f-4c3e-9a8b-7f6e5d4c3b2a"_s;
const QString kUnknownCode = u"MD-0000-0000-0000-0000"_s;

// The permission table of docs/security.md, written out here on purpose: a change of
// role.h that the document does not make shows up as a mismatch (and /v1/auth/me's
// "permissions" are compared with it).
using P = md::domain::Permission;

struct PermissionRow
{
    P permission;
    QString name;
    QList<Role> roles;
};

const QList<PermissionRow> &permissionTable()
{
    using enum Role;
    const QList<Role> everyone{SuperAdmin, Admin, OrgAdmin, Engineer, Customer};
    const QList<Role> platform{SuperAdmin, Admin};
    const QList<Role> managers{SuperAdmin, Admin, OrgAdmin};
    static const QList<PermissionRow> table{
        {P::OrganizationsRead, u"organizations.read"_s, everyone},
        {P::OrganizationsCreate, u"organizations.create"_s, platform},
        {P::OrganizationsUpdate, u"organizations.update"_s, managers},
        {P::EquipmentRead, u"equipment.read"_s, everyone},
        {P::EquipmentWrite, u"equipment.write"_s, managers},
        {P::EngineersRead, u"engineers.read"_s, everyone},
        {P::EngineersWrite, u"engineers.write"_s, managers},
        {P::TicketsRead, u"tickets.read"_s, everyone},
        {P::TicketsCreate, u"tickets.create"_s, {SuperAdmin, Admin, OrgAdmin, Customer}},
        {P::TicketsUpdate, u"tickets.update"_s, {SuperAdmin, Admin, OrgAdmin, Engineer}},
        {P::TicketsAssign, u"tickets.assign"_s, managers},
        {P::DashboardRead, u"dashboard.read"_s, everyone},
        {P::UsersRead, u"users.read"_s, managers},
        {P::UsersWrite, u"users.write"_s, managers},
        {P::AuditRead, u"audit.read"_s, platform},
    };
    return table;
}

// Roles a user may give (creating or editing a user).
bool mayGrant(Role actor, Role granted)
{
    switch (actor) {
    case Role::SuperAdmin:
        return true;
    case Role::Admin:
        return granted != Role::SuperAdmin;
    case Role::OrgAdmin:
        return granted == Role::OrgAdmin || granted == Role::Engineer || granted == Role::Customer;
    default:
        return false;
    }
}

// The ticket life cycle (domain/ticketstatemachine.h's documented table).
bool transitionAllowed(const QString &from, const QString &to)
{
    static const QHash<QString, QStringList> next{
        {u"new"_s, {u"cancelled"_s}},
        {u"assigned"_s, {u"in_progress"_s, u"on_hold"_s, u"resolved"_s, u"cancelled"_s}},
        {u"in_progress"_s, {u"on_hold"_s, u"resolved"_s, u"cancelled"_s}},
        {u"on_hold"_s, {u"in_progress"_s, u"cancelled"_s}},
        {u"resolved"_s, {u"closed"_s, u"in_progress"_s}},
    };
    return next.value(from).contains(to);
}

struct Caller
{
    QString name;
    std::optional<Role> role; // nullopt: anonymous
    QString organizationId;
    QString engineerId;
    QString userId;
    std::unique_ptr<HttpClient> client;

    bool platform() const { return role == Role::SuperAdmin || role == Role::Admin; }
    bool may(P p) const
    {
        for (const PermissionRow &row : permissionTable()) {
            if (row.permission == p)
                return role && row.roles.contains(*role);
        }
        return false;
    }
    /// The organization the caller belongs to as a tenant (org_admin, customer).
    QString tenant() const
    {
        return role == Role::OrgAdmin || role == Role::Customer ? organizationId : QString();
    }
    /// The organization whose objects (and only whose) the caller may act on.
    bool owns(const QString &id) const
    {
        return platform() || (!id.isEmpty() && id == organizationId);
    }
};

struct TicketFacts
{
    QString hospital;
    QString equipment;
    QString status;
    QString active;        // the engineer actively assigned, if any
    QStringList engineers; // every engineer ever assigned
};

// What the fixture holds, as the oracle needs it.
struct World
{
    QHash<QString, QString> organizationType; // id -> wire type
    QHash<QString, QString> equipmentOwner;
    QHash<QString, QString> engineerOrganization;
    QHash<QString, TicketFacts> tickets;
    QHash<QString, QString> userOrganization;
    QHash<QString, Role> userRole;
};

struct Case;
using Rule = std::function<int(const Caller &, const Case &)>;

struct Case
{
    QString endpoint; // "PATCH /v1/tickets/{id}": names the case in the report
    QByteArray method;
    QString path;
    QJsonObject body;
    QString target; // the object the path or the body names
    Rule expected;
    /// What an error answer must not contain (ids, names, numbers of the target).
    QStringList secrets;
    /// For callers below the platform roles, every 404 and 422 of the same group must be
    /// the same bytes: another tenant's object answers exactly like an unknown one.
    QString twins;
    /// Makes fresh objects just before the case runs (destructive writes).
    std::function<void(Case &)> prepare;
    /// More checks of a 2xx answer; returns a problem, or nothing.
    std::function<QString(const Caller &, const HttpReply &)> verify;
    /// The audit rows (actions) a successful write leaves under its request id.
    QStringList audit;
    /// A body that is not JSON (a scanned code for identify); such a case changes nothing.
    QByteArray rawBody;
    QByteArray contentType;
    bool write() const { return method != "GET" && contentType.isEmpty(); }
};

struct Outcome
{
    QString caller;
    bool write = false;
    bool succeeded = false;
    QStringList audit;
    QString describe;
};

QSet<QString> idsOf(const HttpReply &reply)
{
    QSet<QString> ids;
    for (const QJsonValue &v : reply.json.value(u"data"_s).toArray())
        ids.insert(v.toObject().value(u"id"_s).toString());
    return ids;
}

QString describeSetDifference(const QSet<QString> &got, const QSet<QString> &want,
                              const std::function<QString(const QString &)> &nameOf)
{
    QStringList extra, missing;
    for (const QString &id : got)
        if (!want.contains(id))
            extra << nameOf(id);
    for (const QString &id : want)
        if (!got.contains(id))
            missing << nameOf(id);
    if (extra.isEmpty() && missing.isEmpty())
        return {};
    extra.sort();
    missing.sort();
    return u"rows not visible to the caller: [%1]; visible rows missing: [%2]"_s.arg(
        extra.join(u", "_s), missing.join(u", "_s));
}

} // namespace

class TestApiAuthz final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<md::test::TestServer> m_server;
    World m_world;
    std::vector<Caller> m_callers;
    QHash<QString, QString> m_names; // id -> fixture name, for the report
    QHash<QString, QStringList> m_secrets;
    QHash<QString, QString> m_qr; // equipment id -> label code
    QString m_setupError;
    int m_fresh = 0;

    // The fixture's objects.
    QString A, B, M, S;
    QString qA, qA0, qB;
    QString eA, eB, eM, eS1, eS2;
    QString tA1, tA2, tA3, tB1, tB2, tB3;

    HttpClient &admin() { return m_server->client(); }

    QString nameOf(const QString &id) const { return m_names.value(id, id); }

    QString create(const QString &path, const QJsonObject &body, const QString &name,
                   const QStringList &secrets = {})
    {
        const HttpReply r = admin().post(path, body);
        const QString id = r.json.value(u"id"_s).toString();
        if (r.status != 201 || id.isEmpty()) {
            if (m_setupError.isEmpty())
                m_setupError = u"POST %1 (%2) -> %3 %4"_s.arg(path, name)
                                   .arg(r.status)
                                   .arg(QString::fromUtf8(r.body.left(300)));
            return {};
        }
        m_names.insert(id, name);
        m_secrets.insert(id, QStringList{id, name} + secrets);
        return id;
    }

    QString organization(const QString &name, const QString &type, const QJsonObject &extra = {})
    {
        QJsonObject body = extra;
        body.insert(u"name"_s, name);
        body.insert(u"type"_s, type);
        const QString id = create(u"/v1/organizations"_s, body, name);
        m_world.organizationType.insert(id, type);
        return id;
    }

    QString equipment(const QString &name, const QString &owner)
    {
        const QString serial = u"SN-"_s + name;
        const HttpReply r = admin().post(u"/v1/equipment"_s, {{u"organization_id"_s, owner},
                                                              {u"manufacturer_id"_s, M},
                                                              {u"name"_s, name},
                                                              {u"serial_number"_s, serial},
                                                              {u"category"_s, u"mri"_s}});
        const QString id = r.json.value(u"id"_s).toString();
        if (r.status != 201 && m_setupError.isEmpty())
            m_setupError = u"equipment %1 -> %2"_s.arg(name).arg(r.status);
        const QString code = r.json.value(u"qr_code"_s).toString();
        m_names.insert(id, name);
        m_secrets.insert(id, {id, name, serial, code});
        m_qr.insert(id, code);
        m_world.equipmentOwner.insert(id, owner);
        return id;
    }

    QString engineer(const QString &name, const QString &organizationId, const QString &userId = {})
    {
        QJsonObject body{{u"name"_s, name},
                         {u"organization_id"_s, organizationId},
                         {u"level"_s, u"L3"_s},
                         {u"manufacturer_ids"_s, QJsonArray{M}},
                         {u"categories"_s, QJsonArray{u"mri"_s}}};
        if (!userId.isEmpty())
            body.insert(u"user_id"_s, userId);
        const QString id = create(u"/v1/engineers"_s, body, name);
        m_world.engineerOrganization.insert(id, organizationId);
        return id;
    }

    // A ticket on that equipment, assigned to each engineer in turn (reassigning with a
    // reason after the first).
    QString ticket(const QString &name, const QString &equipmentId,
                   const QStringList &assignees = {})
    {
        const HttpReply r =
            admin().post(u"/v1/tickets"_s, {{u"equipment_id"_s, equipmentId},
                                            {u"priority"_s, u"normal"_s},
                                            {u"title"_s, QString(name + u" title"_s)}});
        const QString id = r.json.value(u"id"_s).toString();
        if (r.status != 201 && m_setupError.isEmpty())
            m_setupError = u"ticket %1 -> %2 %3"_s.arg(name).arg(r.status).arg(
                QString::fromUtf8(r.body.left(300)));
        m_names.insert(id, name);
        m_secrets.insert(id, {id, name + u" title"_s, r.json.value(u"number"_s).toString()});
        TicketFacts facts{m_world.equipmentOwner.value(equipmentId), equipmentId, u"new"_s, {}, {}};
        for (const QString &engineerId : assignees) {
            QJsonObject body{{u"engineer_id"_s, engineerId}};
            if (!facts.active.isEmpty())
                body.insert(u"reason"_s, u"Handing over"_s);
            const HttpReply a = admin().post(u"/v1/tickets/%1/assign"_s.arg(id), body);
            if (a.status != 201 && m_setupError.isEmpty())
                m_setupError = u"assign %1 to %2 -> %3 %4"_s.arg(name, nameOf(engineerId))
                                   .arg(a.status)
                                   .arg(QString::fromUtf8(a.body.left(300)));
            facts.active = engineerId;
            facts.engineers.append(engineerId);
            facts.status = u"assigned"_s;
        }
        m_world.tickets.insert(id, facts);
        return id;
    }

    void signIn(const QString &name, std::optional<Role> role, const md::domain::User &user)
    {
        Caller c;
        c.name = name;
        c.role = role;
        c.client = m_server->anonymousClient();
        if (role) {
            c.organizationId = user.organizationId;
            c.userId = user.id;
            c.client->setBearer(m_server->tokenFor(user));
        }
        m_callers.push_back(std::move(c));
    }

    md::domain::User user(Role role, const QString &organizationId, const QString &name)
    {
        const md::domain::User u = m_server->createUser(role, organizationId);
        m_world.userOrganization.insert(u.id, organizationId);
        m_world.userRole.insert(u.id, role);
        m_names.insert(u.id, name);
        m_secrets.insert(u.id, {u.id, u.email});
        return u;
    }

    bool buildFixture()
    {
        m_world = {};
        m_callers.clear();
        m_names.clear();
        m_secrets.clear();
        m_setupError.clear();
        const md::domain::User &serverAdmin = m_server->admin();
        m_world.userOrganization.insert(serverAdmin.id, {});
        m_world.userRole.insert(serverAdmin.id, serverAdmin.role);
        m_names.insert(serverAdmin.id, u"server admin"_s);
        m_names.insert(kUnknownId, u"unknown id"_s);

        A = organization(u"Hospital A"_s, u"hospital"_s);
        B = organization(u"Hospital B"_s, u"hospital"_s);
        M = organization(u"Maker M"_s, u"manufacturer"_s);
        S = organization(
            u"Service S"_s, u"service_provider"_s,
            {{u"service_scopes"_s,
              QJsonArray{QJsonObject{{u"manufacturer_id"_s, M}, {u"category"_s, u"mri"_s}}}}});
        qA = equipment(u"Scanner-A"_s, A);
        qA0 = equipment(u"Scanner-A0"_s, A);
        qB = equipment(u"Scanner-B"_s, B);

        const auto superAdmin = user(Role::SuperAdmin, {}, u"super_admin user"_s);
        const auto adminUser = user(Role::Admin, {}, u"admin user"_s);
        const auto orgAdminA = user(Role::OrgAdmin, A, u"org_admin(A) user"_s);
        const auto orgAdminS = user(Role::OrgAdmin, S, u"org_admin(S) user"_s);
        const auto engineerS = user(Role::Engineer, S, u"engineer(S) user"_s);
        const auto engineerB = user(Role::Engineer, B, u"engineer(B) user"_s);
        const auto customerA = user(Role::Customer, A, u"customer(A) user"_s);
        const auto customerB = user(Role::Customer, B, u"customer(B) user"_s);

        eA = engineer(u"Engineer-A-BME"_s, A);
        eB = engineer(u"Engineer-B-BME"_s, B, engineerB.id);
        eM = engineer(u"Engineer-M-OEM"_s, M);
        eS1 = engineer(u"Engineer-S1"_s, S, engineerS.id);
        eS2 = engineer(u"Engineer-S2"_s, S);

        tA1 = ticket(u"Ticket-A1"_s, qA, {eS1});
        tA2 = ticket(u"Ticket-A2"_s, qA);
        tA3 = ticket(u"Ticket-A3"_s, qA, {eS1, eA});
        tB1 = ticket(u"Ticket-B1"_s, qB);
        tB2 = ticket(u"Ticket-B2"_s, qB, {eM});
        tB3 = ticket(u"Ticket-B3"_s, qB, {eS2});
        if (!m_setupError.isEmpty())
            return false;

        signIn(u"super_admin"_s, Role::SuperAdmin, superAdmin);
        signIn(u"admin"_s, Role::Admin, adminUser);
        signIn(u"org_admin(A)"_s, Role::OrgAdmin, orgAdminA);
        signIn(u"org_admin(S)"_s, Role::OrgAdmin, orgAdminS);
        signIn(u"engineer(S1)"_s, Role::Engineer, engineerS);
        signIn(u"engineer(B)"_s, Role::Engineer, engineerB);
        signIn(u"customer(A)"_s, Role::Customer, customerA);
        signIn(u"customer(B)"_s, Role::Customer, customerB);
        signIn(u"anonymous"_s, std::nullopt, {});
        m_callers[4].engineerId = eS1;
        m_callers[5].engineerId = eB;
        return true;
    }

    // --- The oracle: docs/security.md's tenancy rules over the model ---------------------

    static int gate(const Caller &c, P p)
    {
        if (!c.role)
            return 401;
        return c.may(p) ? 0 : 403;
    }

    QStringList readableOrganizations(const Caller &c) const
    {
        QStringList ids;
        if (!c.tenant().isEmpty())
            ids << c.tenant();
        if (c.role == Role::Engineer && !c.organizationId.isEmpty())
            ids << c.organizationId;
        return ids;
    }

    // Whether the ticket is visible through the service or engineer rules: its active
    // engineer works for the caller's organization, or the caller is (was) its engineer.
    bool servesTicket(const Caller &c, const TicketFacts &t) const
    {
        if (!c.tenant().isEmpty() && !t.active.isEmpty() &&
            m_world.engineerOrganization.value(t.active) == c.tenant())
            return true;
        return c.role == Role::Engineer && !c.engineerId.isEmpty() &&
               t.engineers.contains(c.engineerId);
    }

    bool seesOrganization(const Caller &c, const QString &id) const
    {
        if (c.platform())
            return m_world.organizationType.contains(id);
        const QStringList mine = readableOrganizations(c);
        if (mine.contains(id))
            return true;
        return (!mine.isEmpty() || !c.engineerId.isEmpty()) &&
               m_world.organizationType.value(id) == u"manufacturer"_s;
    }

    bool seesTicket(const Caller &c, const QString &id) const
    {
        if (!m_world.tickets.contains(id))
            return false;
        const TicketFacts &t = m_world.tickets[id];
        return c.platform() || (!c.tenant().isEmpty() && t.hospital == c.tenant()) ||
               servesTicket(c, t);
    }

    bool seesEquipment(const Caller &c, const QString &id) const
    {
        if (!m_world.equipmentOwner.contains(id))
            return false;
        if (c.platform() || (!c.tenant().isEmpty() && m_world.equipmentOwner[id] == c.tenant()))
            return true;
        for (const TicketFacts &t : m_world.tickets) {
            if (t.equipment == id && servesTicket(c, t))
                return true;
        }
        return false;
    }

    bool seesEngineer(const Caller &c, const QString &id) const
    {
        if (!m_world.engineerOrganization.contains(id))
            return false;
        if (c.platform() || id == c.engineerId ||
            (!c.tenant().isEmpty() && m_world.engineerOrganization[id] == c.tenant()))
            return true;
        for (const TicketFacts &t : m_world.tickets) {
            if (t.active == id && !c.tenant().isEmpty() && t.hospital == c.tenant())
                return true;
        }
        return false;
    }

    bool seesUser(const Caller &c, const QString &id) const
    {
        if (!m_world.userOrganization.contains(id))
            return false;
        return c.platform() ||
               (!c.tenant().isEmpty() && m_world.userOrganization[id] == c.tenant());
    }

    // A single object: the permission, then visibility (invisible answers as unknown).
    Rule readOne(P p, bool (TestApiAuthz::*sees)(const Caller &, const QString &) const) const
    {
        return [this, p, sees](const Caller &c, const Case &k) {
            if (const int s = gate(c, p))
                return s;
            return (this->*sees)(c, k.target) ? 200 : 404;
        };
    }

    // A change of one object: the permission, visibility, then whether the object is the
    // caller's organization's (403: visible but not theirs).
    Rule changeOne(P p, bool (TestApiAuthz::*sees)(const Caller &, const QString &) const,
                   std::function<QString(const QString &)> organizationOf, int success) const
    {
        return [=, this](const Caller &c, const Case &k) {
            if (const int s = gate(c, p))
                return s;
            if (!(this->*sees)(c, k.target))
                return 404;
            return c.owns(organizationOf(k.target)) ? success : 403;
        };
    }

    int ticketPatch(const Caller &c, const Case &k) const
    {
        if (const int s = gate(c, P::TicketsUpdate))
            return s;
        if (!seesTicket(c, k.target))
            return 404;
        const TicketFacts &t = m_world.tickets[k.target];
        const bool everything =
            c.platform() || (c.role == Role::OrgAdmin && t.hospital == c.organizationId);
        const bool progress = !t.active.isEmpty() &&
                              ((c.role == Role::Engineer && t.active == c.engineerId) ||
                               (c.role == Role::OrgAdmin &&
                                m_world.engineerOrganization.value(t.active) == c.organizationId));
        const QString to = k.body.value(u"status"_s).toString();
        if (!everything) {
            if (!progress)
                return 403;
            const bool onlyStatus = k.body.keys() == QStringList{u"status"_s};
            if (!onlyStatus ||
                !QStringList{u"in_progress"_s, u"on_hold"_s, u"resolved"_s}.contains(to))
                return 403;
        }
        if (!to.isEmpty() && to != t.status && !transitionAllowed(t.status, to))
            return 409;
        return 200;
    }

    // --- The cases -------------------------------------------------------------------------

    Rule always(P p, int success) const
    {
        return [p, success](const Caller &c, const Case &) {
            const int s = gate(c, p);
            return s ? s : success;
        };
    }

    std::function<QString(const Caller &, const HttpReply &)>
    listOf(std::function<bool(const Caller &, const QString &)> visible,
           std::function<QStringList()> universe, std::function<bool(const QString &)> filter = {})
    {
        return [=, this](const Caller &c, const HttpReply &r) {
            QSet<QString> want;
            for (const QString &id : universe()) {
                if (visible(c, id) && (!filter || filter(id)))
                    want.insert(id);
            }
            return describeSetDifference(idsOf(r), want,
                                         [this](const QString &id) { return nameOf(id); });
        };
    }

    QStringList secretsOf(const QStringList &ids) const
    {
        QStringList all;
        for (const QString &id : ids)
            all += m_secrets.value(id);
        return all;
    }

    QList<Case> readCases()
    {
        QList<Case> cases;
        const auto organizations = [this] { return m_world.organizationType.keys(); };
        const auto equipmentIds = [this] { return m_world.equipmentOwner.keys(); };
        const auto engineers = [this] { return m_world.engineerOrganization.keys(); };
        const auto tickets = [this] { return m_world.tickets.keys(); };
        const auto users = [this] { return m_world.userOrganization.keys(); };
        const auto sees = [this](bool (TestApiAuthz::*f)(const Caller &, const QString &) const) {
            return [this, f](const Caller &c, const QString &id) { return (this->*f)(c, id); };
        };
        const auto list = [&](const QString &path, P p,
                              std::function<QString(const Caller &, const HttpReply &)> verify) {
            Case k;
            k.endpoint = u"GET "_s + path.section(u'?', 0, 0);
            k.method = "GET";
            k.path = path + (path.contains(u'?') ? u"&limit=500"_s : u"?limit=500"_s);
            k.expected = always(p, 200);
            k.verify = verify;
            cases << k;
        };
        // The whole list, and the list narrowed to each organization: always exactly
        // the visible rows (a filter narrows within what the caller sees).
        const auto listsByOrganization =
            [&](const QString &path, P p,
                bool (TestApiAuthz::*visible)(const Caller &, const QString &) const,
                const std::function<QStringList()> &universe,
                const std::function<QString(const QString &)> &organizationOf,
                const QStringList &filters) {
                list(path, p, listOf(sees(visible), universe));
                for (const QString &org : filters)
                    list(path + u"?organization_id="_s + org, p,
                         listOf(sees(visible), universe, [organizationOf, org](const QString &id) {
                             return organizationOf(id) == org;
                         }));
            };
        const auto one = [&](const QString &pathTemplate, const QString &id, Rule rule,
                             const QString &twins) {
            Case k;
            k.endpoint = u"GET "_s + pathTemplate;
            k.method = "GET";
            k.path = QString(pathTemplate).replace(u"{id}"_s, id);
            k.target = id;
            k.expected = rule;
            k.secrets = m_secrets.value(id);
            k.twins = twins;
            cases << k;
        };

        // Organizations.
        list(u"/v1/organizations?include_counts=true"_s, P::OrganizationsRead,
             listOf(sees(&TestApiAuthz::seesOrganization), organizations));
        list(
            u"/v1/organizations?type=hospital"_s, P::OrganizationsRead,
            listOf(sees(&TestApiAuthz::seesOrganization), organizations, [this](const QString &id) {
                return m_world.organizationType.value(id) == u"hospital"_s;
            }));
        for (const QString &id : {A, B, M, S, kUnknownId}) {
            one(u"/v1/organizations/{id}"_s, id,
                readOne(P::OrganizationsRead, &TestApiAuthz::seesOrganization), u"org get"_s);
            // The counts are figures about a tenant: only for the caller's own organization.
            cases.last().verify = [id](const Caller &c, const HttpReply &r) -> QString {
                const bool shown = r.json.contains(u"active_tickets_count"_s);
                const bool allowed = c.platform() || (c.tenant() == id);
                if (shown != allowed)
                    return shown ? u"shows another organization's counts"_s
                                 : u"hides the caller's own counts"_s;
                return {};
            };
        }

        // Equipment.
        listsByOrganization(
            u"/v1/equipment"_s, P::EquipmentRead, &TestApiAuthz::seesEquipment, equipmentIds,
            [this](const QString &id) { return m_world.equipmentOwner.value(id); }, {A, B});
        for (const QString &id : {qA, qA0, qB, kUnknownId})
            one(u"/v1/equipment/{id}"_s, id,
                readOne(P::EquipmentRead, &TestApiAuthz::seesEquipment), u"equipment get"_s);
        for (const QString &id : {qA, qA0, qB, QString()}) {
            Case k;
            k.endpoint = u"GET /v1/equipment/by-qr/{code}"_s;
            k.method = "GET";
            k.path = u"/v1/equipment/by-qr/"_s + (id.isEmpty() ? kUnknownCode : m_qr.value(id));
            k.target = id;
            k.expected = readOne(P::EquipmentRead, &TestApiAuthz::seesEquipment);
            k.secrets = m_secrets.value(id);
            k.twins = u"by-qr"_s;
            k.verify = [id](const Caller &, const HttpReply &r) -> QString {
                return r.json.value(u"id"_s).toString() == id ? QString()
                                                              : u"names other equipment"_s;
            };
            cases << k;
        }
        // Identifying a scanned label answers exactly like by-qr: another tenant's label
        // reads as a never-issued one.
        for (const QString &id : {qA, qA0, qB, QString()}) {
            Case k;
            k.endpoint = u"POST /v1/equipment/identify"_s;
            k.method = "POST";
            k.path = u"/v1/equipment/identify"_s;
            k.contentType = "text/plain";
            k.rawBody = (id.isEmpty() ? kUnknownCode : m_qr.value(id)).toUtf8();
            k.target = id;
            k.expected = readOne(P::EquipmentRead, &TestApiAuthz::seesEquipment);
            k.secrets = m_secrets.value(id);
            k.twins = u"identify"_s;
            k.verify = [id](const Caller &, const HttpReply &r) -> QString {
                return r.json.value(u"id"_s).toString() == id ? QString()
                                                              : u"names other equipment"_s;
            };
            cases << k;
        }

        // Engineers.
        listsByOrganization(
            u"/v1/engineers"_s, P::EngineersRead, &TestApiAuthz::seesEngineer, engineers,
            [this](const QString &id) { return m_world.engineerOrganization.value(id); }, {A, S});
        for (const QString &id : {eA, eB, eM, eS1, eS2, kUnknownId})
            one(u"/v1/engineers/{id}"_s, id, readOne(P::EngineersRead, &TestApiAuthz::seesEngineer),
                u"engineer get"_s);

        // Tickets and their histories.
        listsByOrganization(
            u"/v1/tickets"_s, P::TicketsRead, &TestApiAuthz::seesTicket, tickets,
            [this](const QString &id) { return m_world.tickets.value(id).hospital; }, {A, B});
        for (const QString &id : {tA1, tA2, tA3, tB1, tB2, tB3, kUnknownId}) {
            for (const QString &path : {u"/v1/tickets/{id}"_s, u"/v1/tickets/{id}/history"_s,
                                        u"/v1/tickets/{id}/assignments/history"_s})
                one(path, id, readOne(P::TicketsRead, &TestApiAuthz::seesTicket), path);
            // Suggestions are the dispatchers': the platform and the ticket's hospital.
            one(u"/v1/engineers/suggestions?ticket_id={id}"_s, id,
                changeOne(
                    P::TicketsAssign, &TestApiAuthz::seesTicket,
                    [this](const QString &t) { return m_world.tickets.value(t).hospital; }, 200),
                u"suggestions"_s);
        }

        // Dashboard: the figures of what the caller can see.
        {
            Case k;
            k.endpoint = u"GET /v1/dashboard"_s;
            k.method = "GET";
            k.path = u"/v1/dashboard"_s;
            k.expected = always(P::DashboardRead, 200);
            k.verify = [=, this](const Caller &c, const HttpReply &r) -> QString {
                const auto count = [&](auto universe, auto visible) {
                    qint64 n = 0;
                    for (const QString &id : universe())
                        n += visible(c, id) ? 1 : 0;
                    return n;
                };
                QStringList problems;
                const QList<std::tuple<QString, qint64>> figures{
                    {u"open_tickets"_s, count(tickets, sees(&TestApiAuthz::seesTicket))},
                    {u"equipment_count"_s, count(equipmentIds, sees(&TestApiAuthz::seesEquipment))},
                    {u"engineers_count"_s, count(engineers, sees(&TestApiAuthz::seesEngineer))},
                    {u"organizations_count"_s,
                     count(organizations, sees(&TestApiAuthz::seesOrganization))}};
                for (const auto &[key, want] : figures) {
                    const qint64 got = r.json.value(key).toInteger(-1);
                    if (got != want)
                        problems << u"%1 %2 (visible: %3)"_s.arg(key).arg(got).arg(want);
                }
                return problems.join(u"; "_s);
            };
            cases << k;
        }

        // Users, the audit trail and the caller themself.
        list(u"/v1/users"_s, P::UsersRead, listOf(sees(&TestApiAuthz::seesUser), users));
        const QStringList userIds = users() << kUnknownId;
        for (const QString &id : userIds)
            one(u"/v1/users/{id}"_s, id, readOne(P::UsersRead, &TestApiAuthz::seesUser),
                u"user get"_s);
        list(u"/v1/audit-logs"_s, P::AuditRead, {});
        {
            Case k;
            k.endpoint = u"GET /v1/auth/me"_s;
            k.method = "GET";
            k.path = u"/v1/auth/me"_s;
            k.expected = [](const Caller &c, const Case &) { return c.role ? 200 : 401; };
            k.verify = [](const Caller &c, const HttpReply &r) -> QString {
                QSet<QString> want, got;
                for (const PermissionRow &row : permissionTable()) {
                    if (row.roles.contains(*c.role))
                        want.insert(row.name);
                }
                for (const QJsonValue &v : r.json.value(u"permissions"_s).toArray())
                    got.insert(v.toString());
                if (r.json.value(u"id"_s).toString() != c.userId)
                    return u"is somebody else"_s;
                if (got != want)
                    return u"permissions differ from docs/security.md's table: %1"_s.arg(
                        QStringList(got.values()).join(u','));
                return {};
            };
            cases << k;
        }
        return cases;
    }

    // Fresh objects for a destructive write, made by the test's admin.
    QString freshTicket(const QString &equipmentId, const QStringList &assignees)
    {
        return ticket(u"Fresh-%1"_s.arg(++m_fresh), equipmentId, assignees);
    }

    QList<Case> writeCases()
    {
        QList<Case> cases;
        const auto write = [&](const QString &endpoint, const QString &path,
                               const QJsonObject &body, const QString &target, Rule rule,
                               const QStringList &audit, const QString &twins = {}) {
            Case k;
            k.endpoint = endpoint;
            k.method = endpoint.section(u' ', 0, 0).toLatin1();
            k.path = path;
            k.body = body;
            k.target = target;
            k.expected = rule;
            k.secrets = m_secrets.value(target);
            k.audit = audit;
            k.twins = twins;
            cases << k;
        };
        // A value no earlier case wrote, so that every success is a real change.
        const auto unique = [this] { return QString::number(++m_fresh); };
        const auto orgOfEquipment = [this](const QString &id) {
            return m_world.equipmentOwner.value(id);
        };
        const auto orgOfEngineer = [this](const QString &id) {
            return m_world.engineerOrganization.value(id);
        };

        // Organizations.
        write(u"POST /v1/organizations"_s, u"/v1/organizations"_s,
              {{u"name"_s, u"New org"_s}, {u"type"_s, u"hospital"_s}}, {},
              always(P::OrganizationsCreate, 201), {u"organization.create"_s});
        cases.last().prepare = [unique](Case &k) {
            k.body.insert(u"name"_s, QString(u"New org "_s + unique()));
        };
        for (const QString &id : {A, B, M, S, kUnknownId}) {
            write(u"PATCH /v1/organizations/{id}"_s, u"/v1/organizations/"_s + id, {}, id,
                  changeOne(
                      P::OrganizationsUpdate, &TestApiAuthz::seesOrganization,
                      [](const QString &org) { return org; }, 200),
                  {u"organization.update"_s}, u"org patch"_s);
            cases.last().prepare = [unique](Case &k) {
                k.body = {{u"city"_s, QString(u"City "_s + unique())}};
            };
        }

        // Equipment: created only in a hospital the caller manages; another tenant's
        // hospital reads like an unknown one.
        for (const QString &owner : {A, B, S, kUnknownId}) {
            write(
                u"POST /v1/equipment"_s, u"/v1/equipment"_s, {}, owner,
                [this](const Caller &c, const Case &k) {
                    if (const int s = gate(c, P::EquipmentWrite))
                        return s;
                    return m_world.organizationType.value(k.target) == u"hospital"_s &&
                                   c.owns(k.target)
                               ? 201
                               : 422;
                },
                {u"equipment.create"_s}, u"equipment owner"_s);
            cases.last().prepare = [this, owner, unique](Case &k) {
                k.body = {{u"organization_id"_s, owner},
                          {u"manufacturer_id"_s, M},
                          {u"name"_s, u"New scanner"_s},
                          {u"serial_number"_s, QString(u"NEW-"_s + unique())},
                          {u"category"_s, u"mri"_s}};
            };
        }
        for (const QString &id : {qA, qA0, qB, kUnknownId}) {
            write(u"PATCH /v1/equipment/{id}"_s, u"/v1/equipment/"_s + id, {}, id,
                  changeOne(P::EquipmentWrite, &TestApiAuthz::seesEquipment, orgOfEquipment, 200),
                  {u"equipment.update"_s}, u"equipment patch"_s);
            cases.last().prepare = [unique](Case &k) {
                k.body = {{u"room"_s, QString(u"Room "_s + unique())}};
            };
        }
        // Moving fresh equipment of A to another hospital, or to one that does not exist.
        for (const QString &to : {B, kUnknownId}) {
            write(
                u"PATCH /v1/equipment/{id} organization_id"_s, {}, {}, {},
                [this](const Caller &c, const Case &k) {
                    if (const int s = gate(c, P::EquipmentWrite))
                        return s;
                    if (!seesEquipment(c, k.target))
                        return 404;
                    if (!c.owns(m_world.equipmentOwner.value(k.target)))
                        return 403;
                    const QString owner = k.body.value(u"organization_id"_s).toString();
                    return m_world.organizationType.value(owner) == u"hospital"_s && c.owns(owner)
                               ? 200
                               : 422;
                },
                {u"equipment.update"_s}, u"equipment move"_s);
            cases.last().prepare = [this, to](Case &k) {
                k.target = equipment(u"Movable-"_s + QString::number(++m_fresh), A);
                k.path = u"/v1/equipment/"_s + k.target;
                k.body = {{u"organization_id"_s, to}};
                k.secrets = m_secrets.value(k.target) + m_secrets.value(to);
            };
        }

        // Engineers.
        for (const QString &org : {A, B, M, S, kUnknownId}) {
            write(
                u"POST /v1/engineers"_s, u"/v1/engineers"_s, {}, org,
                [this](const Caller &c, const Case &k) {
                    if (const int s = gate(c, P::EngineersWrite))
                        return s;
                    return m_world.organizationType.contains(k.target) && c.owns(k.target) ? 201
                                                                                           : 422;
                },
                {u"engineer.create"_s}, u"engineer organization"_s);
            cases.last().prepare = [org, unique](Case &k) {
                k.body = {{u"name"_s, QString(u"New engineer "_s + unique())},
                          {u"organization_id"_s, org},
                          {u"level"_s, u"L1"_s}};
            };
        }
        for (const QString &id : {eA, eB, eM, eS1, eS2, kUnknownId}) {
            write(u"PATCH /v1/engineers/{id}"_s, u"/v1/engineers/"_s + id, {}, id,
                  changeOne(P::EngineersWrite, &TestApiAuthz::seesEngineer, orgOfEngineer, 200),
                  {u"engineer.update"_s}, u"engineer patch"_s);
            cases.last().prepare = [unique](Case &k) {
                k.body = {{u"email"_s, QString(u"engineer-"_s + unique() + u"@authz.example"_s)}};
            };
        }

        // Linking a sign-in to an engineer of A: only a user of the engineer's own
        // organization, one the caller manages; anybody else's reads as unknown.
        for (const QString &linked : {QString(), m_callers[7].userId, kUnknownId}) {
            write(
                u"POST /v1/engineers"_s, u"/v1/engineers"_s, {}, {},
                [this](const Caller &c, const Case &k) {
                    if (const int s = gate(c, P::EngineersWrite))
                        return s;
                    const QString user = k.body.value(u"user_id"_s).toString();
                    const QString userOrganization = m_world.userOrganization.value(user);
                    return c.owns(A) && m_world.userOrganization.contains(user) &&
                                   userOrganization == A && c.owns(userOrganization)
                               ? 201
                               : 422;
                },
                {u"engineer.create"_s}, u"engineer user"_s);
            cases.last().prepare = [this, linked, unique](Case &k) {
                // A fresh engineer account of A when none is named (a user links once).
                const QString user =
                    linked.isEmpty()
                        ? this->user(Role::Engineer, A, u"Fresh engineer user "_s + unique()).id
                        : linked;
                k.target = user;
                k.secrets = m_secrets.value(user);
                k.body = {{u"name"_s, QString(u"Linked engineer "_s + unique())},
                          {u"organization_id"_s, A},
                          {u"level"_s, u"L1"_s},
                          {u"user_id"_s, user}};
            };
        }

        // Tickets: reported on the caller's own organization's visible equipment only.
        for (const QString &id : {qA, qA0, qB, kUnknownId}) {
            write(
                u"POST /v1/tickets"_s, u"/v1/tickets"_s,
                {{u"equipment_id"_s, id}, {u"priority"_s, u"low"_s}, {u"title"_s, u"Broken"_s}}, id,
                [this](const Caller &c, const Case &k) {
                    if (const int s = gate(c, P::TicketsCreate))
                        return s;
                    return seesEquipment(c, k.target) &&
                                   c.owns(m_world.equipmentOwner.value(k.target))
                               ? 201
                               : 422;
                },
                {u"ticket.create"_s}, u"ticket equipment"_s);
        }

        // PATCH of fresh tickets in every relation to the callers.
        struct TicketPatch
        {
            QString equipment;
            QStringList assignees;
            QJsonObject body;
        };
        const QList<TicketPatch> patches{
            {qA, {eS1}, {{u"status"_s, u"in_progress"_s}}},
            {qA, {eS1}, {{u"status"_s, u"resolved"_s}}},
            {qA, {eS1}, {{u"status"_s, u"cancelled"_s}}},
            {qA, {eS1}, {{u"priority"_s, u"critical"_s}}},
            {qA, {eS1}, {{u"status"_s, u"on_hold"_s}, {u"description"_s, u"waiting"_s}}},
            {qA, {eS1}, {{u"status"_s, u"closed"_s}}},
            {qA, {eS1, eA}, {{u"status"_s, u"in_progress"_s}}},
            {qA, {}, {{u"description"_s, u"more detail"_s}}},
            {qA, {}, {{u"status"_s, u"cancelled"_s}}},
            {qB, {}, {{u"description"_s, u"more detail"_s}}},
            {qB, {eS2}, {{u"status"_s, u"on_hold"_s}}},
            {qB, {eM}, {{u"title"_s, u"Renamed"_s}}},
        };
        for (const TicketPatch &p : patches) {
            QStringList audit;
            const QString to = p.body.value(u"status"_s).toString();
            if (!to.isEmpty()) {
                audit << u"ticket.status_change"_s;
                if (!p.assignees.isEmpty() &&
                    QStringList{u"resolved"_s, u"cancelled"_s, u"closed"_s}.contains(to))
                    audit << u"assignment.end"_s;
            } else {
                audit << u"ticket.update"_s;
            }
            write(
                u"PATCH /v1/tickets/{id}"_s, {}, p.body, {},
                [this](const Caller &c, const Case &k) { return ticketPatch(c, k); }, audit,
                u"ticket patch"_s);
            cases.last().prepare = [this, p](Case &k) {
                k.target = freshTicket(p.equipment, p.assignees);
                k.path = u"/v1/tickets/"_s + k.target;
                k.secrets = m_secrets.value(k.target);
            };
        }
        write(
            u"PATCH /v1/tickets/{id}"_s, u"/v1/tickets/"_s + kUnknownId,
            {{u"description"_s, u"x"_s}}, kUnknownId,
            [this](const Caller &c, const Case &k) { return ticketPatch(c, k); }, {},
            u"ticket patch"_s);

        // Assignments: the dispatchers of the ticket's hospital, and the platform.
        struct Assign
        {
            QString equipment;     // empty: an unknown ticket
            QStringList assignees; // before the case
            QString engineer;
            bool eligible; // the engine ranks this engineer for the ticket
        };
        const QList<Assign> assigns{
            {qA, {}, eA, true},          // first assignment, A's own BME
            {qA, {eS1}, eA, true},       // reassigning S's engineer away
            {qB, {}, eB, true},          // another hospital's ticket
            {qA, {}, eB, false},         // B's BME for A's equipment: unknown to A's callers
            {qA, {}, kUnknownId, false}, // no such engineer
            {{}, {}, eA, true},          // no such ticket
        };
        for (const Assign &a : assigns) {
            const QStringList audit{a.assignees.isEmpty() ? u"assignment.create"_s
                                                          : u"assignment.reassign"_s,
                                    u"ticket.assign"_s};
            QJsonObject body{{u"engineer_id"_s, a.engineer}};
            if (!a.assignees.isEmpty())
                body.insert(u"reason"_s, u"Closer to the site"_s);
            write(
                u"POST /v1/tickets/{id}/assign"_s, {}, body, {},
                [this, a](const Caller &c, const Case &k) {
                    if (const int s = gate(c, P::TicketsAssign))
                        return s;
                    if (!seesTicket(c, k.target))
                        return 404;
                    if (!c.owns(m_world.tickets.value(k.target).hospital))
                        return 403;
                    return a.eligible ? 201 : 422;
                },
                audit, u"assign"_s);
            cases.last().prepare = [this, a](Case &k) {
                k.target =
                    a.equipment.isEmpty() ? kUnknownId : freshTicket(a.equipment, a.assignees);
                k.path = u"/v1/tickets/%1/assign"_s.arg(k.target);
                k.secrets = m_secrets.value(k.target) + m_secrets.value(a.engineer);
            };
        }

        // Users (their controller is another's; the rules are the same document's).
        struct NewUser
        {
            Role role;
            QString organization;
        };
        for (const NewUser &u : {NewUser{Role::Customer, A}, NewUser{Role::Customer, B},
                                 NewUser{Role::Customer, kUnknownId}, NewUser{Role::Admin, {}}}) {
            write(
                u"POST /v1/users"_s, u"/v1/users"_s, {}, u.organization,
                [this, u](const Caller &c, const Case &) {
                    if (const int s = gate(c, P::UsersWrite))
                        return s;
                    const QString org = u.organization.isEmpty() && !c.platform() ? c.organizationId
                                                                                  : u.organization;
                    if (!mayGrant(*c.role, u.role))
                        return 422;
                    if (!org.isEmpty() && (!c.owns(org) || !m_world.organizationType.contains(org)))
                        return 422;
                    return 201;
                },
                {u"user.create"_s}, u.role == Role::Customer ? u"user organization"_s : QString());
            cases.last().prepare = [u, unique](Case &k) {
                k.body = {{u"name"_s, u"New user"_s},
                          {u"email"_s, QString(u"new-"_s + unique() + u"@authz.example"_s)},
                          {u"role"_s, md::domain::toString(u.role)}};
                if (!u.organization.isEmpty())
                    k.body.insert(u"organization_id"_s, u.organization);
            };
        }
        for (const Caller &target : m_callers) {
            if (!target.role)
                continue;
            write(
                u"PATCH /v1/users/{id}"_s, u"/v1/users/"_s + target.userId, {}, target.userId,
                [this](const Caller &c, const Case &k) {
                    if (const int s = gate(c, P::UsersWrite))
                        return s;
                    if (!seesUser(c, k.target))
                        return 404;
                    return mayGrant(*c.role, m_world.userRole.value(k.target)) ? 200 : 403;
                },
                {u"user.update"_s}, u"user patch"_s);
            cases.last().prepare = [unique](Case &k) {
                k.body = {{u"name"_s, QString(u"Renamed "_s + unique())}};
            };
        }
        return cases;
    }

    // --- Running ---------------------------------------------------------------------------

    QStringList m_mismatches;
    QHash<QString, Outcome> m_outcomes; // request id -> what a case expects of the audit
    QHash<QString, QByteArray> m_twinBodies;
    int m_cases = 0;

    void mismatch(const Caller &c, const Case &k, const QString &problem)
    {
        const QString target = k.target.isEmpty() ? QString() : u" ["_s + nameOf(k.target) + u']';
        m_mismatches << u"%1 %2 %3%4: %5"_s.arg(c.name, QString::fromLatin1(k.method), k.path,
                                                target, problem);
    }

    void run(const Caller &c, Case k)
    {
        if (k.prepare)
            k.prepare(k);
        const int want = k.expected(c, k);
        const QString requestId = u"authz-%1"_s.arg(++m_cases);
        const QByteArray body = !k.contentType.isEmpty() ? k.rawBody
                                : k.write() ? QJsonDocument(k.body).toJson(QJsonDocument::Compact)
                                            : QByteArray();
        const QByteArray contentType = !k.contentType.isEmpty() ? k.contentType
                                       : k.write()              ? QByteArray("application/json")
                                                                : QByteArray();
        const HttpReply r = c.client->send(k.method, k.path, body, contentType,
                                           {{"X-Request-Id", requestId.toLatin1()}});
        if (r.status != want) {
            mismatch(c, k,
                     u"expected %1, got %2 %3"_s.arg(want).arg(r.status).arg(
                         QString::fromUtf8(r.body.left(240))));
            return;
        }
        if (k.write())
            m_outcomes.insert(requestId,
                              {c.name, true, r.status < 300, k.audit,
                               u"%1 %2 %3 [%4]"_s.arg(c.name, QString::fromLatin1(k.method), k.path,
                                                      nameOf(k.target))});
        else
            m_outcomes.insert(requestId, {c.name, false, false, {}, {}});
        if (r.status < 300) {
            if (k.verify) {
                const QString problem = k.verify(c, r);
                if (!problem.isEmpty())
                    mismatch(c, k, problem);
            }
            return;
        }
        if (!r.isErrorEnvelope())
            mismatch(c, k, u"not an error envelope: "_s + QString::fromUtf8(r.body.left(240)));
        for (const QString &secret : k.secrets) {
            if (!secret.isEmpty() && r.body.contains(secret.toUtf8()))
                mismatch(c, k, u"the error reveals \"%1\""_s.arg(secret));
        }
        if (!k.twins.isEmpty() && !c.platform() && (r.status == 404 || r.status == 422)) {
            const QString key = c.name + u'|' + k.twins + u'|' + QString::number(r.status);
            const auto seen = m_twinBodies.constFind(key);
            if (seen == m_twinBodies.cend())
                m_twinBodies.insert(key, r.body);
            else if (*seen != r.body)
                mismatch(
                    c, k,
                    u"answers unlike an unknown object: %1 vs %2"_s.arg(
                        QString::fromUtf8(r.body.left(200)), QString::fromUtf8(seen->left(200))));
        }
    }

    // Every write that succeeded left exactly its audit rows, with the request id and
    // the object before and after; refused ones and reads left none.
    void checkAudit()
    {
        Caller &superAdmin = m_callers.front();
        QHash<QString, QList<QJsonObject>> byRequest;
        for (int offset = 0;; offset += 500) {
            const HttpReply r =
                superAdmin.client->get(u"/v1/audit-logs?limit=500&offset=%1"_s.arg(offset));
            if (r.status != 200) {
                m_mismatches << u"GET /v1/audit-logs -> %1"_s.arg(r.status);
                return;
            }
            const QJsonArray rows = r.json.value(u"data"_s).toArray();
            for (const QJsonValue &v : rows) {
                const QJsonObject row = v.toObject();
                if (!row.value(u"action"_s).toString().startsWith(u"auth."_s))
                    byRequest[row.value(u"request_id"_s).toString()].append(row);
            }
            if (rows.size() < 500)
                break;
        }
        for (auto it = m_outcomes.cbegin(); it != m_outcomes.cend(); ++it) {
            const QList<QJsonObject> rows = byRequest.value(it.key());
            QStringList actions;
            for (const QJsonObject &row : rows) {
                actions << row.value(u"action"_s).toString();
                const bool isCreate = row.value(u"action"_s).toString().endsWith(u".create"_s);
                if (!row.value(u"after"_s).isObject() ||
                    (!isCreate && !row.value(u"before"_s).isObject()))
                    m_mismatches << u"%1: audit row %2 lacks before/after"_s.arg(
                        it->describe, row.value(u"action"_s).toString());
            }
            QStringList want = it->succeeded ? it->audit : QStringList();
            actions.sort();
            want.sort();
            if (actions != want)
                m_mismatches << u"%1 (%2): audit rows [%3], expected [%4]"_s.arg(
                    it->describe.isEmpty() ? it->caller + u" read"_s : it->describe, it.key(),
                    actions.join(u", "_s), want.join(u", "_s));
        }
    }

    // A /v1/events subscriber signed in as the caller; what it hears goes to `heard`.
    std::unique_ptr<QWebSocket> subscribe(const Caller &c, QList<QJsonObject> *heard)
    {
        auto socket = std::make_unique<QWebSocket>();
        connect(socket.get(), &QWebSocket::textMessageReceived, this, [heard](const QString &m) {
            heard->append(QJsonDocument::fromJson(m.toUtf8()).object());
        });
        QWebSocket *s = socket.get();
        connect(s, &QWebSocket::connected, this, [s, token = c.client->bearer()] {
            s->sendTextMessage(QString::fromUtf8(
                QJsonDocument(
                    QJsonObject{{u"type"_s, u"auth"_s}, {u"token"_s, QString::fromLatin1(token)}})
                    .toJson(QJsonDocument::Compact)));
        });
        QUrl url = m_server->url();
        url.setScheme(u"ws"_s);
        url.setPath(u"/v1/events"_s);
        socket->open(url);
        return socket;
    }

private Q_SLOTS:
    void initTestCase_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("sqlite") << u"sqlite"_s;
        QTest::newRow("postgres") << u"postgres"_s;
    }

    void init()
    {
        QFETCH_GLOBAL(QString, backend);
        m_server = std::make_unique<md::test::TestServer>(backend);
        QVERIFY2(m_server->isRunning(), qPrintable(m_server->error()));
        QVERIFY2(buildFixture(), qPrintable(m_setupError));
        m_mismatches.clear();
        m_outcomes.clear();
        m_twinBodies.clear();
        m_cases = 0;
    }

    void cleanup()
    {
        m_callers.clear();
        m_server.reset();
    }

    void roleEndpointTenantMatrix()
    {
        QFETCH_GLOBAL(QString, backend);
        // Reads first, over the fixture as built; then the writes, whose destructive
        // ones work on fresh objects each, so no case depends on another's outcome.
        const QList<Case> reads = readCases();
        for (const Caller &c : m_callers) {
            for (const Case &k : reads)
                run(c, k);
        }
        const int readCount = m_cases;
        const QList<Case> writes = writeCases();
        for (const Caller &c : m_callers) {
            for (const Case &k : writes)
                run(c, k);
        }
        QVERIFY2(m_setupError.isEmpty(), qPrintable(m_setupError));
        checkAudit();
        qInfo("%s: %d cases (%d reads, %d writes) for %d callers, %d mismatches",
              qPrintable(backend), m_cases, readCount, m_cases - readCount, int(m_callers.size()),
              int(m_mismatches.size()));
        for (const QString &m : std::as_const(m_mismatches))
            qWarning("%s", qPrintable(m));
        QVERIFY2(m_mismatches.isEmpty(), qPrintable(u"%1 mismatches:\n"_s.arg(m_mismatches.size()) +
                                                    m_mismatches.join(u'\n')));
    }

    // Live events carry whole tickets, so they are reads too: a subscriber may hear only
    // of what they could fetch.
    void eventsReachOnlyThoseWhoMaySee()
    {
        QList<QJsonObject> dispatcherHeard, outsiderHeard;
        const auto dispatcher = subscribe(m_callers[1], &dispatcherHeard); // admin
        const auto outsider = subscribe(m_callers[7], &outsiderHeard);     // customer of B
        const auto ready = [](const QList<QJsonObject> &heard) {
            return std::any_of(heard.cbegin(), heard.cend(), [](const QJsonObject &o) {
                return o.value(u"type"_s).toString() == u"ready"_s;
            });
        };
        QTRY_VERIFY(ready(dispatcherHeard) && ready(outsiderHeard));

        const HttpReply t = admin().post(
            u"/v1/tickets"_s,
            {{u"equipment_id"_s, qA}, {u"priority"_s, u"high"_s}, {u"title"_s, u"Only for A"_s}});
        QCOMPARE(t.status, 201);
        const QString id = t.json.value(u"id"_s).toString();
        const auto heardOf = [&id](const QList<QJsonObject> &heard) {
            return std::any_of(heard.cbegin(), heard.cend(), [&id](const QJsonObject &o) {
                return o.value(u"data"_s).toObject().value(u"id"_s).toString() == id;
            });
        };
        QTRY_VERIFY(heardOf(dispatcherHeard));
        QTest::qWait(300); // the outsider's copy, if any, went out in the same turn
        QVERIFY2(!heardOf(outsiderHeard), "a customer of hospital B heard of A's new ticket");
    }
};

QTEST_GUILESS_MAIN(TestApiAuthz)
#include "tst_api_authz.moc"
