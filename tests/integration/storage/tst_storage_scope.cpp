// Tenancy scopes on SQLite and PostgreSQL: for a table of scopes (everything; a
// hospital; a service organization whose engineer is actively assigned; an engineer
// with a past assignment; an engineer of an unrelated organization; nothing) and
// objects (organizations, a manufacturer, equipment, engineers, tickets, users), what
// VisibilityRepository answers, what every list returns, and the dashboard figures all
// agree with the rules written on Scope.

#include "storage/authrepositories.h"
#include "storage/database.h"
#include "storage/repositories.h"
#include "testlib/storagefixtures.h"
#include "testlib/testdatabase.h"

#include <QTest>

using namespace md;
using namespace md::domain;
using namespace md::storage;
using namespace Qt::Literals::StringLiterals;
using md::testlib::TestDatabase;
using testlib::fixedTime;
using testlib::makeEngineer;
using testlib::makeEquipment;
using testlib::makeOrganization;
using testlib::makeTicket;
using testlib::makeUser;

namespace {

enum class Kind
{
    Organization,
    Equipment,
    Engineer,
    Ticket,
    User
};

// A hospital H whose scanner X has ticket T: engineer E2 (of provider P) was assigned
// first and replaced, engineer E1 (of provider S) is assigned now. Around it: another
// hospital with its own device and ticket, the manufacturer M, an unrelated partner O
// with engineer E3, H's own BME engineer, and users of H and S.
struct World
{
    Organization h = makeOrganization(u"H hospital"_s, OrganizationType::Hospital);
    Organization h2 = makeOrganization(u"H2 hospital"_s, OrganizationType::Hospital);
    Organization m = makeOrganization(u"M maker"_s, OrganizationType::Manufacturer);
    Organization s = makeOrganization(u"S provider"_s, OrganizationType::ServiceProvider);
    Organization p = makeOrganization(u"P provider"_s, OrganizationType::ServiceProvider);
    Organization o = makeOrganization(u"O partner"_s, OrganizationType::AuthorizedPartner);
    Equipment x, x2;
    Engineer e1, e2, e3, bme;
    Ticket t, t2;
    User userH, userS, admin;
    QHash<QString, std::pair<Kind, QString>> objects; // name -> kind, id
    QHash<QString, Scope> scopes;

    explicit World(Repositories &repos)
    {
        for (const Organization &org : {h, h2, m, s, p, o})
            repos.organizations().insert(org);
        x = makeEquipment(h.id, m.id, u"mri"_s, u"X scanner"_s);
        x2 = makeEquipment(h2.id, m.id, u"ct"_s, u"X2 scanner"_s);
        repos.equipment().insert(x);
        repos.equipment().insert(x2);
        e1 = makeEngineer(s.id, u"E1"_s, EngineerLevel::L3, {m.id}, {u"mri"_s});
        e2 = makeEngineer(p.id, u"E2"_s, EngineerLevel::L3, {m.id}, {u"mri"_s});
        e3 = makeEngineer(o.id, u"E3"_s, EngineerLevel::L3, {m.id}, {u"mri"_s});
        bme = makeEngineer(h.id, u"BME"_s, EngineerLevel::L1, {}, {});
        for (const Engineer &e : {e1, e2, e3, bme})
            repos.engineers().insert(e);
        t = makeTicket(x, Priority::High, u"T"_s);
        t2 = makeTicket(x2, Priority::Normal, u"T2"_s);
        repos.tickets().insert(t);
        repos.tickets().insert(t2);
        repos.assignments().insert(
            testlib::makeAssignment(t.id, e2.id, AssignmentTier::ServiceProvider, fixedTime(1)));
        repos.assignments().endActive(t.id, AssignmentStatus::Reassigned, fixedTime(2));
        repos.assignments().insert(
            testlib::makeAssignment(t.id, e1.id, AssignmentTier::ServiceProvider, fixedTime(2)));
        userH = makeUser(h.id, Role::Customer, u"User H"_s, u"h@example.org"_s);
        userS = makeUser(s.id, Role::OrgAdmin, u"User S"_s, u"s@example.org"_s);
        admin = makeUser({}, Role::Admin, u"Admin"_s, u"admin@example.org"_s);
        for (const User &u : {userH, userS, admin})
            repos.users().insert(u);

        objects = {
            {u"org H"_s, {Kind::Organization, h.id}},
            {u"org H2"_s, {Kind::Organization, h2.id}},
            {u"manufacturer M"_s, {Kind::Organization, m.id}},
            {u"org S"_s, {Kind::Organization, s.id}},
            {u"org P"_s, {Kind::Organization, p.id}},
            {u"org O"_s, {Kind::Organization, o.id}},
            {u"equipment X"_s, {Kind::Equipment, x.id}},
            {u"equipment X2"_s, {Kind::Equipment, x2.id}},
            {u"engineer E1"_s, {Kind::Engineer, e1.id}},
            {u"engineer E2"_s, {Kind::Engineer, e2.id}},
            {u"engineer E3"_s, {Kind::Engineer, e3.id}},
            {u"engineer BME"_s, {Kind::Engineer, bme.id}},
            {u"ticket T"_s, {Kind::Ticket, t.id}},
            {u"ticket T2"_s, {Kind::Ticket, t2.id}},
            {u"user H"_s, {Kind::User, userH.id}},
            {u"user S"_s, {Kind::User, userS.id}},
            {u"user admin"_s, {Kind::User, admin.id}},
        };

        Scope closed;
        closed.all = false;
        scopes.insert(u"all"_s, Scope{});
        Scope hospital = closed;
        hospital.organizationIds = {h.id};
        scopes.insert(u"hospital H"_s, hospital);
        Scope service = closed;
        service.organizationIds = {s.id};
        scopes.insert(u"service S"_s, service);
        Scope pastService = closed;
        pastService.organizationIds = {p.id};
        scopes.insert(u"service P (past)"_s, pastService);
        Scope pastEngineer = closed;
        pastEngineer.engineerId = e2.id;
        pastEngineer.readableOrganizationIds = {p.id};
        scopes.insert(u"engineer E2 (past)"_s, pastEngineer);
        Scope otherEngineer = closed;
        otherEngineer.engineerId = e3.id;
        otherEngineer.readableOrganizationIds = {o.id};
        scopes.insert(u"engineer E3 (other)"_s, otherEngineer);
        scopes.insert(u"empty"_s, closed);
    }
};

// Scope × object -> visible, as the Scope comment states it. Objects not named in a
// scope's list are invisible to it ("all" sees everything).
const QHash<QString, QStringList> &visibleObjects()
{
    static const QHash<QString, QStringList> table = {
        // Its organization and the manufacturers; its equipment, tickets, users, its BME
        // engineer, and E1 while E1 is assigned to its ticket (not E2: no longer).
        {u"hospital H"_s,
         {u"org H"_s, u"manufacturer M"_s, u"equipment X"_s, u"engineer E1"_s, u"engineer BME"_s,
          u"ticket T"_s, u"user H"_s}},
        // Its engineer E1 is on T: T, the device behind it; not the hospital itself.
        {u"service S"_s,
         {u"org S"_s, u"manufacturer M"_s, u"equipment X"_s, u"engineer E1"_s, u"ticket T"_s,
          u"user S"_s}},
        // Its engineer was replaced: the ticket is no longer the organization's business.
        {u"service P (past)"_s, {u"org P"_s, u"manufacturer M"_s, u"engineer E2"_s}},
        // The engineer keeps seeing what they worked on, and their employer.
        {u"engineer E2 (past)"_s,
         {u"org P"_s, u"manufacturer M"_s, u"equipment X"_s, u"engineer E2"_s, u"ticket T"_s}},
        {u"engineer E3 (other)"_s, {u"org O"_s, u"manufacturer M"_s, u"engineer E3"_s}},
        {u"empty"_s, {}},
    };
    return table;
}

bool expectedVisible(const World &w, const QString &scope, const QString &object)
{
    if (scope == u"all")
        return w.objects.contains(object);
    return visibleObjects().value(scope).contains(object);
}

bool visible(Repositories &repos, Kind kind, const QString &id, const Scope &scope)
{
    VisibilityRepository &v = repos.visibility();
    switch (kind) {
    case Kind::Organization:
        return v.organizationVisible(id, scope);
    case Kind::Equipment:
        return v.equipmentVisible(id, scope);
    case Kind::Engineer:
        return v.engineerVisible(id, scope);
    case Kind::Ticket:
        return v.ticketVisible(id, scope);
    case Kind::User:
        return v.userVisible(id, scope);
    }
    return false;
}

// The ids every list returns under the scope, and their totals.
struct Listed
{
    QMap<Kind, QStringList> ids;
    QMap<Kind, qint64> totals;
};

template <typename T> QStringList idsOf(const Page<T> &page)
{
    QStringList out;
    for (const T &item : page.items)
        out << item.id;
    return out;
}

Listed listAll(Repositories &repos, const Scope &scope)
{
    const PageRequest page{500, 0};
    Listed l;
    const auto orgs = repos.organizations().list({}, scope, page);
    const auto equipment = repos.equipment().list({}, scope, page);
    const auto engineers = repos.engineers().list({}, scope, page);
    const auto tickets = repos.tickets().list({}, scope, page);
    const auto users = repos.users().list({}, scope, page);
    l.ids = {{Kind::Organization, idsOf(orgs)},
             {Kind::Equipment, idsOf(equipment)},
             {Kind::Engineer, idsOf(engineers)},
             {Kind::Ticket, idsOf(tickets)},
             {Kind::User, idsOf(users)}};
    l.totals = {{Kind::Organization, orgs.total},
                {Kind::Equipment, equipment.total},
                {Kind::Engineer, engineers.total},
                {Kind::Ticket, tickets.total},
                {Kind::User, users.total}};
    return l;
}

} // namespace

class TestStorageScope final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data() { TestDatabase::addBackendRows(); }
    void visibilityFollowsTheScopeRules();
    void listsShowWhatIsVisible();
    void filtersNarrowScopedLists();
    void dashboardCountsWhatTheListsShow();
    void scopeFollowsAssignmentChanges();
};

void TestStorageScope::visibilityFollowsTheScopeRules()
{
    MD_TEST_DATABASE(db);
    Repositories repos(db->database());
    const World w(repos);
    QStringList wrong;
    int checked = 0;
    for (auto s = w.scopes.cbegin(); s != w.scopes.cend(); ++s) {
        for (auto o = w.objects.cbegin(); o != w.objects.cend(); ++o) {
            const bool expected = expectedVisible(w, s.key(), o.key());
            if (visible(repos, o->first, o->second, s.value()) != expected)
                wrong << u"%1 %2 %3"_s.arg(s.key(), expected ? u"should see"_s : u"must not see"_s,
                                           o.key());
            ++checked;
        }
        // Unknown and empty ids are invisible, whatever the scope.
        for (Kind kind :
             {Kind::Organization, Kind::Equipment, Kind::Engineer, Kind::Ticket, Kind::User}) {
            if (visible(repos, kind, testlib::newId(), s.value()) ||
                visible(repos, kind, QString(), s.value()))
                wrong << u"%1 sees an unknown id"_s.arg(s.key());
        }
    }
    QCOMPARE(checked, 7 * 17);
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join(u'\n')));
}

void TestStorageScope::listsShowWhatIsVisible()
{
    MD_TEST_DATABASE(db);
    Repositories repos(db->database());
    const World w(repos);
    QStringList wrong;
    for (auto s = w.scopes.cbegin(); s != w.scopes.cend(); ++s) {
        const Listed listed = listAll(repos, s.value());
        QMap<Kind, qint64> expectedTotals;
        for (auto o = w.objects.cbegin(); o != w.objects.cend(); ++o) {
            const bool expected = expectedVisible(w, s.key(), o.key());
            if (expected)
                ++expectedTotals[o->first];
            if (listed.ids.value(o->first).contains(o->second) != expected)
                wrong << u"%1: list %2 %3"_s.arg(s.key(), expected ? u"lacks"_s : u"shows"_s,
                                                 o.key());
        }
        // Nothing else is listed, and each total matches its page.
        for (auto k = listed.ids.cbegin(); k != listed.ids.cend(); ++k) {
            if (listed.totals.value(k.key()) != k->size() ||
                k->size() != expectedTotals.value(k.key()))
                wrong << u"%1: list of kind %2 has %3 items, total %4, expected %5"_s.arg(s.key())
                             .arg(int(k.key()))
                             .arg(k->size())
                             .arg(listed.totals.value(k.key()))
                             .arg(expectedTotals.value(k.key()));
        }
    }
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join(u'\n')));
}

void TestStorageScope::filtersNarrowScopedLists()
{
    // A scope's alternatives are one condition: a filter narrows all of them.
    MD_TEST_DATABASE(db);
    Repositories repos(db->database());
    const World w(repos);
    const Scope hospital = w.scopes.value(u"hospital H"_s);
    const Scope service = w.scopes.value(u"service S"_s);
    const Scope engineer = w.scopes.value(u"engineer E2 (past)"_s);

    TicketFilter closed;
    closed.statuses = {TicketStatus::Closed};
    QCOMPARE(repos.tickets().list(closed, hospital, {}).total, qint64(0));
    QCOMPARE(repos.tickets().list(closed, service, {}).total, qint64(0));
    QCOMPARE(repos.tickets().list(closed, engineer, {}).total, qint64(0));
    TicketFilter high;
    high.priority = Priority::High;
    QCOMPARE(idsOf(repos.tickets().list(high, service, {})), QStringList({w.t.id}));
    TicketFilter byEngineer;
    byEngineer.engineerId = w.e1.id;
    QCOMPARE(idsOf(repos.tickets().list(byEngineer, hospital, {})), QStringList({w.t.id}));
    byEngineer.engineerId = w.e2.id; // E2's past ticket is not assigned to E2 any more
    QCOMPARE(repos.tickets().list(byEngineer, engineer, {}).total, qint64(0));

    EquipmentFilter ct;
    ct.category = u"ct"_s;
    QCOMPARE(repos.equipment().list(ct, hospital, {}).total, qint64(0));
    QCOMPARE(repos.equipment().list(ct, service, {}).total, qint64(0));
    EquipmentFilter otherHospital;
    otherHospital.organizationId = w.h2.id;
    QCOMPARE(repos.equipment().list(otherHospital, hospital, {}).total, qint64(0));

    EngineerFilter level1;
    level1.level = EngineerLevel::L1;
    QCOMPARE(idsOf(repos.engineers().list(level1, hospital, {})), QStringList({w.bme.id}));
    QCOMPARE(repos.engineers().list(level1, service, {}).total, qint64(0));

    OrganizationFilter hospitals;
    hospitals.type = OrganizationType::Hospital;
    QCOMPARE(idsOf(repos.organizations().list(hospitals, hospital, {})), QStringList({w.h.id}));
    QCOMPARE(repos.organizations().list(hospitals, service, {}).total, qint64(0));
    OrganizationFilter named;
    named.q = u"maker"_s;
    QCOMPARE(idsOf(repos.organizations().list(named, engineer, {})), QStringList({w.m.id}));
}

void TestStorageScope::dashboardCountsWhatTheListsShow()
{
    MD_TEST_DATABASE(db);
    Repositories repos(db->database());
    const World w(repos);
    const QDateTime now = fixedTime(60);
    for (auto s = w.scopes.cbegin(); s != w.scopes.cend(); ++s) {
        const DashboardStats stats = repos.dashboard().stats(s.value(), now);
        const Listed listed = listAll(repos, s.value());
        const QByteArray scope = s.key().toUtf8();
        QVERIFY2(stats.organizationsCount == listed.totals.value(Kind::Organization),
                 scope.constData());
        QVERIFY2(stats.equipmentCount == listed.totals.value(Kind::Equipment), scope.constData());
        QVERIFY2(stats.engineersCount == listed.totals.value(Kind::Engineer), scope.constData());
        QVERIFY2(stats.activeEngineers == listed.totals.value(Kind::Engineer), scope.constData());
        // Both tickets are open.
        QVERIFY2(stats.openTickets == listed.totals.value(Kind::Ticket), scope.constData());
        qint64 byStatus = 0;
        for (qint64 n : stats.byStatus)
            byStatus += n;
        QVERIFY2(byStatus == listed.totals.value(Kind::Ticket), scope.constData());
    }
    // The figures themselves, for two scopes.
    const DashboardStats service = repos.dashboard().stats(w.scopes.value(u"service S"_s), now);
    QCOMPARE(service.openTickets, qint64(1));
    QCOMPARE(service.openByPriority.value(u"high"_s), qint64(1));
    QCOMPARE(service.equipmentCount, qint64(1));
    QCOMPARE(service.organizationsCount, qint64(2));
    const DashboardStats all = repos.dashboard().stats({}, now);
    QCOMPARE(all.openTickets, qint64(2));
    QCOMPARE(all.organizationsCount, qint64(6));
    QCOMPARE(all.equipmentCount, qint64(2));
    QCOMPARE(all.engineersCount, qint64(4));
}

void TestStorageScope::scopeFollowsAssignmentChanges()
{
    // Service visibility lasts while the assignment does; the engineer's own does not end.
    MD_TEST_DATABASE(db);
    Repositories repos(db->database());
    const World w(repos);
    const Scope service = w.scopes.value(u"service S"_s);
    const Scope engineer = w.scopes.value(u"engineer E2 (past)"_s);
    Scope e1Scope;
    e1Scope.all = false;
    e1Scope.engineerId = w.e1.id;
    QVERIFY(repos.visibility().ticketVisible(w.t.id, service));
    QVERIFY(repos.visibility().ticketVisible(w.t.id, e1Scope));
    QVERIFY(repos.visibility().engineerVisible(w.e1.id, w.scopes.value(u"hospital H"_s)));

    repos.assignments().endActive(w.t.id, AssignmentStatus::Completed, fixedTime(30));
    QVERIFY(!repos.visibility().ticketVisible(w.t.id, service));
    QVERIFY(!repos.visibility().equipmentVisible(w.x.id, service));
    QCOMPARE(repos.tickets().list({}, service, {}).total, qint64(0));
    QVERIFY(!repos.visibility().engineerVisible(w.e1.id, w.scopes.value(u"hospital H"_s)));
    QVERIFY(repos.visibility().ticketVisible(w.t.id, e1Scope));
    QVERIFY(repos.visibility().ticketVisible(w.t.id, engineer));
    QCOMPARE(repos.tickets().list({}, e1Scope, {}).total, qint64(1));
    QCOMPARE(repos.equipment().list({}, e1Scope, {}).total, qint64(1));
}

QTEST_GUILESS_MAIN(TestStorageScope)
#include "tst_storage_scope.moc"
