// Repositories: round trips of every entity (odd Unicode and SQL metacharacters
// included), filters, ordering, paging totals, tenancy scopes, counters kept by
// triggers, ticket numbers, assignments and dashboard figures, on SQLite and PostgreSQL.

#include "storage/database.h"
#include "storage/repositories.h"
#include "storage/storageerror.h"
#include "testlib/storagefixtures.h"
#include "testlib/testdatabase.h"

#include <QSqlQuery>
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

// QTest's toString() lookup finds the domain's QString toString() by ADL: compare the
// wire names instead, which also reads better in failures.
#define QCOMPARE_ENUM(actual, expected) QCOMPARE(toString(actual), toString(expected))

namespace {

qint64 scalar(Database &db, const QString &sql)
{
    QSqlQuery q(db.connection());
    if (!q.exec(sql) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

QStringList names(const QList<Organization> &list)
{
    QStringList out;
    for (const auto &o : list)
        out << o.name;
    return out;
}

// A hospital, a manufacturer and a partner, inserted.
struct Basics
{
    Organization hospital = makeOrganization(u"City Hospital"_s, OrganizationType::Hospital);
    Organization maker =
        makeOrganization(u"Siemens Healthineers"_s, OrganizationType::Manufacturer);
    Organization partner =
        makeOrganization(u"MedTech Partner"_s, OrganizationType::AuthorizedPartner);
    explicit Basics(Repositories &repos)
    {
        partner.serviceScopes = {{maker.id, u"mri"_s}, {maker.id, u"ct"_s}};
        repos.organizations().insert(hospital);
        repos.organizations().insert(maker);
        repos.organizations().insert(partner);
    }
};

} // namespace

class TestStorageRepositories final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data() { TestDatabase::addBackendRows(); }

    void organizationRoundTrip();
    void oddTextIsStoredVerbatim();
    void organizationListFiltersOrderAndPaging();
    void searchTreatsLikeMetacharactersLiterally();
    void equipmentRoundTripAndLookups();
    void equipmentFilters();
    void engineerRoundTripAndUpdate();
    void engineerFilters();
    void ticketNumbersAndRoundTrip();
    void ticketFiltersAndOrder();
    void scopesRestrictLists();
    void countersFollowChanges();
    void assignmentsLifecycle();
    void dashboardOnKnownData();
};

void TestStorageRepositories::organizationRoundTrip()
{
    MD_TEST_DATABASE(db);
    Repositories repos(db->database());
    Basics b(repos);

    const auto found = repos.organizations().find(b.partner.id);
    QVERIFY(found);
    QCOMPARE(found->name, b.partner.name);
    QCOMPARE_ENUM(found->type, OrganizationType::AuthorizedPartner);
    QCOMPARE(found->address, b.partner.address);
    QCOMPARE(found->city, b.partner.city);
    QCOMPARE(found->country, b.partner.country);
    QVERIFY(found->location);
    QCOMPARE(found->location->latitude, 52.52);
    QCOMPARE(found->location->longitude, 13.405);
    QCOMPARE(found->phone, b.partner.phone);
    QCOMPARE(found->email, b.partner.email);
    QCOMPARE(found->active, true);
    QCOMPARE(found->createdAt, b.partner.createdAt);
    QCOMPARE(found->updatedAt, b.partner.updatedAt);
    QCOMPARE(found->serviceScopes, b.partner.serviceScopes);

    Organization changed = *found;
    changed.name = u"MedTech Partner Süd"_s;
    changed.location.reset();
    changed.active = false;
    changed.serviceScopes = {{b.maker.id, u"xray"_s}};
    changed.updatedAt = fixedTime(5);
    repos.organizations().update(changed);
    const auto again = repos.organizations().find(b.partner.id);
    QVERIFY(again);
    QCOMPARE(again->name, changed.name);
    QVERIFY(!again->location);
    QCOMPARE(again->active, false);
    QCOMPARE(again->serviceScopes, changed.serviceScopes);
    QCOMPARE(again->createdAt, b.partner.createdAt);
    QCOMPARE(again->updatedAt, fixedTime(5));

    QVERIFY(!repos.organizations().find(testlib::newId()));
    QVERIFY(!repos.organizations().find(u"not-a-uuid' OR '1'='1"_s));
}

void TestStorageRepositories::oddTextIsStoredVerbatim()
{
    MD_TEST_DATABASE(db);
    Repositories repos(db->database());
    Basics b(repos);
    int n = 0;
    for (const QString &text : testlib::oddStrings()) {
        Organization org = makeOrganization(text, OrganizationType::Hospital);
        org.address = text;
        org.city = text;
        repos.organizations().insert(org);
        const auto o = repos.organizations().find(org.id);
        QVERIFY(o);
        QCOMPARE(o->name, text);
        QCOMPARE(o->address, text);

        Equipment e = makeEquipment(org.id, b.maker.id, u"mri"_s, text);
        e.model = text;
        e.serialNumber = text;
        e.department = text;
        e.room = text;
        repos.equipment().insert(e);
        const auto eq = repos.equipment().find(e.id);
        QVERIFY(eq);
        QCOMPARE(eq->name, text);
        QCOMPARE(eq->model, text);
        QCOMPARE(eq->serialNumber, text);
        QCOMPARE(eq->department, text);
        QCOMPARE(repos.equipment().findBySerialNumber(text).size(), 1);

        Engineer g = makeEngineer(org.id, text, EngineerLevel::L2, {b.maker.id}, {u"mri"_s});
        g.certifications = {{text, b.maker.id, u"mri"_s, QDate(2030, 1, 1)}};
        repos.engineers().insert(g);
        const auto en = repos.engineers().find(g.id);
        QVERIFY(en);
        QCOMPARE(en->name, text);
        QCOMPARE(en->certifications.first().name, text);

        Ticket t = makeTicket(e, Priority::Normal, text);
        t.description = text;
        t.reporterName = text;
        t.reporterContact = text;
        repos.tickets().insert(t);
        const auto tk = repos.tickets().find(t.id);
        QVERIFY(tk);
        QCOMPARE(tk->title, text);
        QCOMPARE(tk->description, text);
        QCOMPARE(tk->reporterName, text);
        QCOMPARE(tk->reporterContact, text);

        Assignment a =
            testlib::makeAssignment(t.id, g.id, AssignmentTier::HospitalBme, fixedTime(1));
        a.reason = text;
        a.assignedBy = text;
        repos.assignments().insert(a);
        QCOMPARE(repos.assignments().active(t.id)->reason, text);
        QCOMPARE(repos.assignments().active(t.id)->assignedBy, text);

        // Searching for the exact text finds it (and the tables are still there).
        OrganizationFilter f;
        f.q = text;
        const auto page = repos.organizations().list(f, {}, {});
        QVERIFY2(names(page.items).contains(text), qPrintable(text));
        ++n;
    }
    QCOMPARE(scalar(db->database(), u"SELECT count(*) FROM organizations"_s), qint64(n + 3));
}

void TestStorageRepositories::organizationListFiltersOrderAndPaging()
{
    MD_TEST_DATABASE(db);
    Repositories repos(db->database());
    Basics b(repos);
    // Names chosen so byte order is the same everywhere; ties broken by id.
    for (const QString &name : {u"Alpha Klinik"_s, u"Beta Hospital"_s, u"Gamma Ärztehaus"_s,
                                u"Delta Hospital"_s, u"Alpha Klinik"_s}) {
        repos.organizations().insert(makeOrganization(name, OrganizationType::Hospital));
    }
    const auto all = repos.organizations().list({}, {}, {100, 0});
    QCOMPARE(all.total, qint64(8));
    QStringList sorted = names(all.items);
    QStringList expected = sorted;
    std::sort(expected.begin(), expected.end());
    QCOMPARE(sorted, expected);
    QVERIFY(all.items.at(0).name == all.items.at(1).name); // the two "Alpha Klinik"
    QVERIFY(all.items.at(0).id < all.items.at(1).id);

    OrganizationFilter hospitals;
    hospitals.type = OrganizationType::Hospital;
    const auto page = repos.organizations().list(hospitals, {}, {2, 1});
    QCOMPARE(page.total, qint64(6));
    QCOMPARE(page.items.size(), 2);
    QCOMPARE(page.items.at(0).name, u"Alpha Klinik"_s);
    QCOMPARE(page.items.at(1).name, u"Beta Hospital"_s);
    const auto beyond = repos.organizations().list(hospitals, {}, {50, 100});
    QCOMPARE(beyond.total, qint64(6));
    QVERIFY(beyond.items.isEmpty());

    OrganizationFilter q;
    q.q = u"äRZTE"_s; // case-insensitive beyond ASCII
    QCOMPARE(names(repos.organizations().list(q, {}, {}).items), QStringList{u"Gamma Ärztehaus"_s});
    q.q = u"hospital"_s;
    QCOMPARE(repos.organizations().list(q, {}, {}).total, qint64(3));

    OrganizationFilter partners;
    partners.type = OrganizationType::AuthorizedPartner;
    const auto p = repos.organizations().list(partners, {}, {});
    QCOMPARE(p.total, qint64(1));
    QCOMPARE(p.items.first().serviceScopes.size(), 2);
}

void TestStorageRepositories::searchTreatsLikeMetacharactersLiterally()
{
    MD_TEST_DATABASE(db);
    Repositories repos(db->database());
    for (const QString &name :
         {u"100% Care"_s, u"1000 Care"_s, u"A_B Clinic"_s, u"AXB Clinic"_s, u"Bang! Clinic"_s}) {
        repos.organizations().insert(makeOrganization(name, OrganizationType::Hospital));
    }
    const auto search = [&](const QString &text) {
        OrganizationFilter f;
        f.q = text;
        return names(repos.organizations().list(f, {}, {}).items);
    };
    QCOMPARE(search(u"0%"_s), QStringList{u"100% Care"_s});
    QCOMPARE(search(u"A_B"_s), QStringList{u"A_B Clinic"_s});
    QCOMPARE(search(u"g!"_s), QStringList{u"Bang! Clinic"_s});
    QCOMPARE(search(u"%"_s), QStringList{u"100% Care"_s});
    QCOMPARE(search(u"_"_s), QStringList{u"A_B Clinic"_s});
    QCOMPARE(search(u"'"_s), QStringList{});
}

void TestStorageRepositories::equipmentRoundTripAndLookups()
{
    MD_TEST_DATABASE(db);
    Repositories repos(db->database());
    Basics b(repos);
    Equipment e = makeEquipment(b.hospital.id, b.maker.id, u"mri"_s, u"MAGNETOM Vida"_s);
    e.gtin = u"04056869003785"_s;
    e.criticality = Criticality::LifeSupport;
    e.status = EquipmentStatus::Degraded;
    e.serviceContractEnd = QDate();
    repos.equipment().insert(e);

    const auto f = repos.equipment().find(e.id);
    QVERIFY(f);
    QCOMPARE(f->organizationId, e.organizationId);
    QCOMPARE(f->manufacturerId, e.manufacturerId);
    QCOMPARE(f->name, e.name);
    QCOMPARE(f->model, e.model);
    QCOMPARE(f->serialNumber, e.serialNumber);
    QCOMPARE(f->category, e.category);
    QCOMPARE(f->department, e.department);
    QCOMPARE(f->room, e.room);
    QCOMPARE(f->installDate, e.installDate);
    QCOMPARE(f->warrantyEnd, e.warrantyEnd);
    QVERIFY(!f->serviceContractEnd.isValid());
    QCOMPARE_ENUM(f->criticality, Criticality::LifeSupport);
    QCOMPARE_ENUM(f->status, EquipmentStatus::Degraded);
    QCOMPARE(f->qrCode, e.qrCode);
    QCOMPARE(f->gtin, e.gtin);
    QCOMPARE(f->createdAt, e.createdAt);

    QCOMPARE(repos.equipment().findByQrCode(e.qrCode)->id, e.id);
    QVERIFY(!repos.equipment().findByQrCode(u"MD-0000-0000-0000-0000"_s));
    QVERIFY(!repos.equipment().findByQrCode(QString()));
    QCOMPARE(repos.equipment().findBySerialNumber(e.serialNumber).size(), 1);

    // Two devices without a QR code are fine; two with the same code are not.
    Equipment noCode1 = makeEquipment(b.hospital.id, b.maker.id, u"ct"_s, u"No label 1"_s);
    Equipment noCode2 = makeEquipment(b.hospital.id, b.maker.id, u"ct"_s, u"No label 2"_s);
    noCode1.qrCode.clear();
    noCode2.qrCode.clear();
    repos.equipment().insert(noCode1);
    repos.equipment().insert(noCode2);
    QCOMPARE(repos.equipment().find(noCode1.id)->qrCode, QString());
    Equipment duplicate = makeEquipment(b.hospital.id, b.maker.id, u"ct"_s, u"Dup"_s);
    duplicate.qrCode = e.qrCode;
    try {
        repos.equipment().insert(duplicate);
        QFAIL("duplicate QR code accepted");
    } catch (const StorageError &err) {
        QCOMPARE(err.kind(), StorageError::Kind::Conflict);
    }

    Equipment changed = *f;
    changed.status = EquipmentStatus::Down;
    changed.room = u"B-12"_s;
    changed.serviceContractEnd = QDate(2031, 12, 31);
    repos.equipment().update(changed);
    const auto g = repos.equipment().find(e.id);
    QCOMPARE_ENUM(g->status, EquipmentStatus::Down);
    QCOMPARE(g->room, u"B-12"_s);
    QCOMPARE(g->serviceContractEnd, QDate(2031, 12, 31));
}

void TestStorageRepositories::equipmentFilters()
{
    MD_TEST_DATABASE(db);
    Repositories repos(db->database());
    Basics b(repos);
    const Organization other = makeOrganization(u"Other Hospital"_s, OrganizationType::Hospital);
    const Organization maker2 = makeOrganization(u"Philips"_s, OrganizationType::Manufacturer);
    repos.organizations().insert(other);
    repos.organizations().insert(maker2);
    Equipment a = makeEquipment(b.hospital.id, b.maker.id, u"mri"_s, u"MAGNETOM Vida"_s);
    Equipment c =
        makeEquipment(b.hospital.id, maker2.id, u"patient_monitor"_s, u"IntelliVue MX750"_s);
    Equipment d = makeEquipment(other.id, b.maker.id, u"ct"_s, u"SOMATOM Force"_s);
    Equipment e = makeEquipment(other.id, maker2.id, u"patient_monitor"_s, u"IntelliVue MX450"_s);
    d.status = EquipmentStatus::Down;
    e.serialNumber = u"PHX-42-ABC"_s;
    for (const Equipment &x : {a, c, d, e})
        repos.equipment().insert(x);

    const auto ids = [&](const EquipmentFilter &f) {
        QStringList out;
        for (const auto &x : repos.equipment().list(f, {}, {}).items)
            out << x.name;
        return out;
    };
    EquipmentFilter f;
    QCOMPARE(ids(f), (QStringList{u"IntelliVue MX450"_s, u"IntelliVue MX750"_s, u"MAGNETOM Vida"_s,
                                  u"SOMATOM Force"_s}));
    f.organizationId = b.hospital.id;
    QCOMPARE(ids(f), (QStringList{u"IntelliVue MX750"_s, u"MAGNETOM Vida"_s}));
    QCOMPARE(repos.equipment().list(f, {}, {1, 0}).total, qint64(2));
    f = {};
    f.category = u"patient_monitor"_s;
    QCOMPARE(ids(f), (QStringList{u"IntelliVue MX450"_s, u"IntelliVue MX750"_s}));
    f = {};
    f.manufacturerId = b.maker.id;
    QCOMPARE(ids(f), (QStringList{u"MAGNETOM Vida"_s, u"SOMATOM Force"_s}));
    f = {};
    f.status = EquipmentStatus::Down;
    QCOMPARE(ids(f), QStringList{u"SOMATOM Force"_s});
    f = {};
    f.q = u"phx-42"_s; // serial number, case-insensitive
    QCOMPARE(ids(f), QStringList{u"IntelliVue MX450"_s});
    f.q = u"intellivue mx7"_s;
    QCOMPARE(ids(f), QStringList{u"IntelliVue MX750"_s});
    f = {};
    f.organizationId = other.id;
    f.category = u"ct"_s;
    f.manufacturerId = b.maker.id;
    f.status = EquipmentStatus::Down;
    QCOMPARE(ids(f), QStringList{u"SOMATOM Force"_s});
    QCOMPARE(repos.equipment().list(f, {}, {}).total, qint64(1));
}

void TestStorageRepositories::engineerRoundTripAndUpdate()
{
    MD_TEST_DATABASE(db);
    Repositories repos(db->database());
    Basics b(repos);
    const Organization maker2 =
        makeOrganization(u"GE HealthCare"_s, OrganizationType::Manufacturer);
    repos.organizations().insert(maker2);

    Engineer e = makeEngineer(b.partner.id, u"Łukasz Nowak"_s, EngineerLevel::L3,
                              {maker2.id, b.maker.id}, {u"mri"_s, u"ct"_s, u"xray"_s});
    e.userId = testlib::newId();
    e.certifications = {{u"MAGNETOM Service L3"_s, b.maker.id, u"mri"_s, QDate(2027, 6, 30)},
                        {u"IEC 62353"_s, QString(), QString(), QDate()},
                        {u"CT Basics"_s, b.maker.id, QString(), QDate(2024, 1, 31)}};
    repos.engineers().insert(e);
    const auto f = repos.engineers().find(e.id);
    QVERIFY(f);
    QCOMPARE(f->userId, e.userId);
    QCOMPARE(f->organizationId, e.organizationId);
    QCOMPARE(f->name, e.name);
    QCOMPARE_ENUM(f->level, EngineerLevel::L3);
    QCOMPARE(f->manufacturerIds, e.manufacturerIds); // order kept
    QCOMPARE(f->categories, e.categories);
    QCOMPARE(f->certifications, e.certifications);
    QCOMPARE(f->phone, e.phone);
    QCOMPARE(f->email, e.email);
    QCOMPARE(f->location, e.location);
    QCOMPARE(f->active, true);
    QCOMPARE(f->openAssignments, 0);
    QCOMPARE(f->createdAt, e.createdAt);

    Engineer changed = *f;
    changed.level = EngineerLevel::L1;
    changed.active = false;
    changed.manufacturerIds = {b.maker.id};
    changed.categories = {u"ultrasound"_s};
    changed.certifications.clear();
    changed.location.reset();
    repos.engineers().update(changed);
    const auto g = repos.engineers().find(e.id);
    QCOMPARE_ENUM(g->level, EngineerLevel::L1);
    QCOMPARE(g->active, false);
    QCOMPARE(g->manufacturerIds, QStringList{b.maker.id});
    QCOMPARE(g->categories, QStringList{u"ultrasound"_s});
    QVERIFY(g->certifications.isEmpty());
    QVERIFY(!g->location);
    QCOMPARE(scalar(db->database(), u"SELECT count(*) FROM engineer_categories"_s), qint64(1));

    Engineer sameUser = makeEngineer(b.hospital.id, u"X"_s, EngineerLevel::L1, {}, {});
    sameUser.userId = e.userId;
    try {
        repos.engineers().insert(sameUser);
        QFAIL("two engineers for one user");
    } catch (const StorageError &err) {
        QCOMPARE(err.kind(), StorageError::Kind::Conflict);
    }
}

void TestStorageRepositories::engineerFilters()
{
    MD_TEST_DATABASE(db);
    Repositories repos(db->database());
    Basics b(repos);
    Engineer a =
        makeEngineer(b.hospital.id, u"Anna Müller"_s, EngineerLevel::L1, {b.maker.id}, {u"mri"_s});
    Engineer c =
        makeEngineer(b.hospital.id, u"Carl Smith"_s, EngineerLevel::L2, {b.maker.id}, {u"ct"_s});
    Engineer d = makeEngineer(b.partner.id, u"Dana Li"_s, EngineerLevel::L3, {b.maker.id},
                              {u"mri"_s, u"ct"_s});
    Engineer e = makeEngineer(b.partner.id, u"Emil Ødegaard"_s, EngineerLevel::L3, {}, {u"mri"_s});
    e.active = false;
    for (const Engineer &x : {a, c, d, e})
        repos.engineers().insert(x);
    const auto list = [&](const EngineerFilter &f) {
        QStringList out;
        const auto page = repos.engineers().list(f, {}, {});
        for (const auto &x : page.items)
            out << x.name;
        [&] { QCOMPARE(page.total, qint64(out.size())); }();
        return out;
    };
    EngineerFilter f;
    QCOMPARE(list(f), (QStringList{a.name, c.name, d.name, e.name}));
    f.organizationId = b.partner.id;
    QCOMPARE(list(f), (QStringList{d.name, e.name}));
    f = {};
    f.manufacturerId = b.maker.id;
    QCOMPARE(list(f), (QStringList{a.name, c.name, d.name}));
    f.category = u"ct"_s;
    QCOMPARE(list(f), (QStringList{c.name, d.name}));
    f = {};
    f.level = EngineerLevel::L3;
    QCOMPARE(list(f), (QStringList{d.name, e.name}));
    f.active = true;
    QCOMPARE(list(f), QStringList{d.name});
    f = {};
    f.active = false;
    QCOMPARE(list(f), QStringList{e.name});
    f = {};
    f.q = u"ØDEGAARD"_s;
    QCOMPARE(list(f), QStringList{e.name});
    // Children are filled in lists too.
    f = {};
    f.organizationId = b.partner.id;
    const auto page = repos.engineers().list(f, {}, {});
    QCOMPARE(page.items.first().categories, (QStringList{u"mri"_s, u"ct"_s}));
}

void TestStorageRepositories::ticketNumbersAndRoundTrip()
{
    MD_TEST_DATABASE(db);
    Repositories repos(db->database());
    Basics b(repos);
    const Equipment e = makeEquipment(b.hospital.id, b.maker.id, u"mri"_s, u"Vida"_s);
    repos.equipment().insert(e);

    Ticket t1 = makeTicket(e, Priority::Critical, u"Quench"_s);
    t1.channel = TicketChannel::WhatsApp;
    t1.reporterUserId = testlib::newId();
    repos.tickets().insert(t1);
    QCOMPARE(t1.number, u"TKT-2026-000001"_s);
    Ticket t2 = makeTicket(e, Priority::Low, u"Noise"_s);
    repos.tickets().insert(t2);
    QCOMPARE(t2.number, u"TKT-2026-000002"_s);
    Ticket old = makeTicket(e, Priority::Low, u"Last year"_s);
    old.createdAt = QDateTime(QDate(2025, 12, 31), QTime(23, 59), Qt::UTC);
    repos.tickets().insert(old);
    QCOMPARE(old.number, u"TKT-2025-000001"_s);

    const auto f = repos.tickets().find(t1.id);
    QVERIFY(f);
    QCOMPARE(f->number, t1.number);
    QCOMPARE(f->equipmentId, e.id);
    QCOMPARE(f->organizationId, b.hospital.id);
    QCOMPARE(f->reporterName, t1.reporterName);
    QCOMPARE(f->reporterContact, t1.reporterContact);
    QCOMPARE(f->reporterUserId, t1.reporterUserId);
    QCOMPARE_ENUM(f->channel, TicketChannel::WhatsApp);
    QCOMPARE_ENUM(f->priority, Priority::Critical);
    QCOMPARE_ENUM(f->status, TicketStatus::New);
    QCOMPARE(f->title, t1.title);
    QCOMPARE(f->description, t1.description);
    QCOMPARE(f->createdAt, t1.createdAt);
    QCOMPARE(f->updatedAt, t1.updatedAt);
    QVERIFY(!f->assignedAt.isValid());
    QVERIFY(!f->resolvedAt.isValid());
    QCOMPARE(f->responseDueAt, t1.responseDueAt);
    QCOMPARE(f->resolutionDueAt, t1.resolutionDueAt);
    QVERIFY(f->assignedEngineerId.isEmpty());

    Ticket changed = *f;
    changed.status = TicketStatus::Resolved;
    changed.resolvedAt = fixedTime(90);
    changed.closedAt = fixedTime(120);
    changed.priority = Priority::High;
    repos.tickets().update(changed);
    const auto g = repos.tickets().find(t1.id);
    QCOMPARE_ENUM(g->status, TicketStatus::Resolved);
    QCOMPARE(g->resolvedAt, fixedTime(90));
    QCOMPARE(g->closedAt, fixedTime(120));
    QCOMPARE_ENUM(g->priority, Priority::High);
    QCOMPARE(g->number, t1.number);

    // A ticket for equipment that does not exist is refused.
    Ticket dangling = makeTicket(e, Priority::Low, u"x"_s);
    dangling.equipmentId = testlib::newId();
    try {
        repos.tickets().insert(dangling);
        QFAIL("dangling equipment accepted");
    } catch (const StorageError &err) {
        QCOMPARE(err.kind(), StorageError::Kind::Reference);
    }
}

void TestStorageRepositories::ticketFiltersAndOrder()
{
    MD_TEST_DATABASE(db);
    Repositories repos(db->database());
    Basics b(repos);
    const Organization other = makeOrganization(u"Other"_s, OrganizationType::Hospital);
    repos.organizations().insert(other);
    const Equipment e1 = makeEquipment(b.hospital.id, b.maker.id, u"mri"_s, u"Vida"_s);
    const Equipment e2 = makeEquipment(other.id, b.maker.id, u"ct"_s, u"Force"_s);
    repos.equipment().insert(e1);
    repos.equipment().insert(e2);
    const Engineer eng =
        makeEngineer(b.partner.id, u"Dana"_s, EngineerLevel::L3, {b.maker.id}, {u"mri"_s});
    repos.engineers().insert(eng);

    QList<Ticket> tickets;
    for (int i = 0; i < 6; ++i) {
        Ticket t = makeTicket(i % 2 ? e2 : e1, i < 2 ? Priority::Critical : Priority::Normal,
                              u"Fault %1"_s.arg(i));
        t.createdAt = fixedTime(i * 10);
        if (i == 5)
            t.createdAt = fixedTime(40); // same time as #4: ordered by id then
        repos.tickets().insert(t);
        tickets << t;
    }
    repos.assignments().insert(testlib::makeAssignment(
        tickets[2].id, eng.id, AssignmentTier::AuthorizedPartner, fixedTime(25)));
    Ticket assigned = *repos.tickets().find(tickets[2].id);
    QCOMPARE(assigned.assignedEngineerId, eng.id);
    assigned.status = TicketStatus::Assigned;
    repos.tickets().update(assigned);

    const auto numbers = [&](const TicketFilter &f) {
        QStringList out;
        const auto page = repos.tickets().list(f, {}, {});
        for (const auto &t : page.items)
            out << t.title;
        [&] { QCOMPARE(page.total, qint64(out.size())); }();
        return out;
    };
    TicketFilter f;
    QStringList all = numbers(f);
    QCOMPARE(all.size(), 6);
    // Newest first; #4 and #5 share created_at and come by id descending.
    const QString first = tickets[4].id > tickets[5].id ? u"Fault 4"_s : u"Fault 5"_s;
    const QString second = first == u"Fault 4"_s ? u"Fault 5"_s : u"Fault 4"_s;
    QCOMPARE(all.mid(0, 2), (QStringList{first, second}));
    QCOMPARE(all.mid(2), (QStringList{u"Fault 3"_s, u"Fault 2"_s, u"Fault 1"_s, u"Fault 0"_s}));

    f.organizationId = other.id;
    QCOMPARE(numbers(f).size(), 3);
    f = {};
    f.equipmentId = e1.id;
    QCOMPARE(numbers(f), (QStringList{u"Fault 4"_s, u"Fault 2"_s, u"Fault 0"_s}));
    f = {};
    f.engineerId = eng.id;
    QCOMPARE(numbers(f), QStringList{u"Fault 2"_s});
    f = {};
    f.tier = AssignmentTier::AuthorizedPartner;
    QCOMPARE(numbers(f), QStringList{u"Fault 2"_s});
    f.tier = AssignmentTier::Oem;
    QCOMPARE(numbers(f), QStringList{});
    f = {};
    f.statuses = {TicketStatus::Assigned, TicketStatus::Resolved};
    QCOMPARE(numbers(f), QStringList{u"Fault 2"_s});
    f.statuses = {TicketStatus::New};
    QCOMPARE(numbers(f).size(), 5);
    f = {};
    f.priority = Priority::Critical;
    QCOMPARE(numbers(f), (QStringList{u"Fault 1"_s, u"Fault 0"_s}));
    f = {};
    f.q = tickets[3].number.toLower();
    QCOMPARE(numbers(f), QStringList{u"Fault 3"_s});
    f.q = u"FAULT 1"_s;
    QCOMPARE(numbers(f), QStringList{u"Fault 1"_s});

    const auto page = repos.tickets().list({}, {}, {2, 2});
    QCOMPARE(page.total, qint64(6));
    QCOMPARE(page.items.size(), 2);
    QCOMPARE(page.items.at(0).title, u"Fault 3"_s);
}

void TestStorageRepositories::scopesRestrictLists()
{
    MD_TEST_DATABASE(db);
    Repositories repos(db->database());
    Basics b(repos);
    const Organization other = makeOrganization(u"Other"_s, OrganizationType::Hospital);
    repos.organizations().insert(other);
    const Equipment mine = makeEquipment(b.hospital.id, b.maker.id, u"mri"_s, u"Mine"_s);
    const Equipment theirs = makeEquipment(other.id, b.maker.id, u"mri"_s, u"Theirs"_s);
    repos.equipment().insert(mine);
    repos.equipment().insert(theirs);
    const Engineer partnerEngineer =
        makeEngineer(b.partner.id, u"P"_s, EngineerLevel::L3, {b.maker.id}, {u"mri"_s});
    repos.engineers().insert(partnerEngineer);
    Ticket t1 = makeTicket(mine, Priority::Normal, u"Mine"_s);
    Ticket t2 = makeTicket(theirs, Priority::Normal, u"Theirs"_s);
    repos.tickets().insert(t1);
    repos.tickets().insert(t2);
    repos.assignments().insert(testlib::makeAssignment(
        t2.id, partnerEngineer.id, AssignmentTier::AuthorizedPartner, fixedTime(3)));

    Scope hospitalScope;
    hospitalScope.all = false;
    hospitalScope.organizationIds = {b.hospital.id};
    // Its own organization, and the manufacturers (the public catalogue); not the others.
    const auto orgs = repos.organizations().list({}, hospitalScope, {});
    QCOMPARE(orgs.total, qint64(2));
    QCOMPARE(names(orgs.items), QStringList({b.hospital.name, b.maker.name}));
    const auto eq = repos.equipment().list({}, hospitalScope, {});
    QCOMPARE(eq.total, qint64(1));
    QCOMPARE(eq.items.first().id, mine.id);
    const auto tk = repos.tickets().list({}, hospitalScope, {});
    QCOMPARE(tk.total, qint64(1));
    QCOMPARE(tk.items.first().id, t1.id);
    QCOMPARE(repos.engineers().list({}, hospitalScope, {}).total, qint64(0));

    // A partner sees the tickets its engineers are assigned to.
    Scope partnerScope;
    partnerScope.all = false;
    partnerScope.organizationIds = {b.partner.id};
    const auto ptk = repos.tickets().list({}, partnerScope, {});
    QCOMPARE(ptk.total, qint64(1));
    QCOMPARE(ptk.items.first().id, t2.id);
    QCOMPARE(repos.engineers().list({}, partnerScope, {}).total, qint64(1));

    // A closed scope without organizations sees nothing.
    Scope none;
    none.all = false;
    QCOMPARE(repos.organizations().list({}, none, {}).total, qint64(0));
    QCOMPARE(repos.tickets().list({}, none, {}).total, qint64(0));
    QCOMPARE(repos.equipment().list({}, none, {}).total, qint64(0));
}

void TestStorageRepositories::countersFollowChanges()
{
    MD_TEST_DATABASE(db);
    Database &database = db->database();
    Repositories repos(database);
    Basics b(repos);
    const Organization other = makeOrganization(u"Other"_s, OrganizationType::Hospital);
    repos.organizations().insert(other);

    const auto verifyAll = [&] {
        const QList<std::pair<QString, QString>> checks = {
            {u"equipment_count"_s,
             u"(SELECT count(*) FROM equipment q WHERE q.organization_id = o.id)"_s},
            {u"engineers_count"_s,
             u"(SELECT count(*) FROM engineers e WHERE e.organization_id = o.id)"_s},
            {u"active_tickets_count"_s,
             u"(SELECT count(*) FROM tickets t WHERE t.organization_id = o.id AND t.status IN "
             "('new', 'assigned', 'in_progress', 'on_hold'))"_s},
        };
        for (const auto &[column, truth] : checks) {
            const qint64 wrong = scalar(database, u"SELECT count(*) FROM organizations o WHERE o." +
                                                      column + u" <> " + truth);
            if (wrong != 0)
                return column;
        }
        const qint64 wrongEngineers = scalar(
            database, u"SELECT count(*) FROM engineers e WHERE e.open_assignments <> (SELECT "
                      "count(*) FROM assignments a WHERE a.engineer_id = e.id AND a.status = "
                      "'active')"_s);
        return wrongEngineers == 0 ? QString() : u"open_assignments"_s;
    };

    QList<Equipment> devices;
    for (int i = 0; i < 5; ++i) {
        devices << makeEquipment(i < 3 ? b.hospital.id : other.id, b.maker.id, u"mri"_s,
                                 u"D%1"_s.arg(i));
        repos.equipment().insert(devices.last());
    }
    const Engineer e1 =
        makeEngineer(b.hospital.id, u"E1"_s, EngineerLevel::L2, {b.maker.id}, {u"mri"_s});
    Engineer e2 = makeEngineer(b.partner.id, u"E2"_s, EngineerLevel::L2, {b.maker.id}, {u"mri"_s});
    repos.engineers().insert(e1);
    repos.engineers().insert(e2);
    QList<Ticket> tickets;
    for (int i = 0; i < 4; ++i) {
        tickets << makeTicket(devices[i], Priority::Normal, u"T%1"_s.arg(i));
        repos.tickets().insert(tickets.last());
    }
    QCOMPARE(verifyAll(), QString());
    auto hospital = repos.organizations().find(b.hospital.id);
    QCOMPARE(hospital->equipmentCount, 3);
    QCOMPARE(hospital->engineersCount, 1);
    QCOMPARE(hospital->activeTicketsCount, 3);
    QCOMPARE(repos.organizations().find(other.id)->activeTicketsCount, 1);

    // Moving equipment and engineers between organizations.
    Equipment moved = devices[0];
    moved.organizationId = other.id;
    repos.equipment().update(moved);
    e2.organizationId = b.hospital.id;
    repos.engineers().update(e2);
    QCOMPARE(verifyAll(), QString());
    QCOMPARE(repos.organizations().find(other.id)->equipmentCount, 3);
    QCOMPARE(repos.organizations().find(b.hospital.id)->engineersCount, 2);

    // Status changes in and out of the open set; assignments count per engineer.
    database.transaction([&] {
        repos.assignments().insert(testlib::makeAssignment(
            tickets[0].id, e1.id, AssignmentTier::HospitalBme, fixedTime(5)));
        repos.assignments().insert(testlib::makeAssignment(
            tickets[1].id, e1.id, AssignmentTier::HospitalBme, fixedTime(6)));
        Ticket t = tickets[0];
        t.status = TicketStatus::Assigned;
        repos.tickets().update(t);
    });
    QCOMPARE(repos.engineers().find(e1.id)->openAssignments, 2);
    QCOMPARE(verifyAll(), QString());
    database.transaction([&] {
        repos.assignments().endActive(tickets[0].id, AssignmentStatus::Completed, fixedTime(50));
        Ticket t = tickets[0];
        t.status = TicketStatus::Resolved;
        repos.tickets().update(t);
        Ticket c = tickets[2];
        c.status = TicketStatus::Cancelled;
        repos.tickets().update(c);
    });
    QCOMPARE(repos.engineers().find(e1.id)->openAssignments, 1);
    QCOMPARE(repos.organizations().find(b.hospital.id)->activeTicketsCount, 1);
    QCOMPARE(verifyAll(), QString());
    Ticket reopened = tickets[0];
    reopened.status = TicketStatus::InProgress;
    repos.tickets().update(reopened);
    QCOMPARE(verifyAll(), QString());

    // Deletes (no API deletes today, but an operator may clean up).
    QSqlQuery q(database.connection());
    QVERIFY(q.exec(u"DELETE FROM tickets WHERE id = '"_s + tickets[1].id + u"'"_s));
    QVERIFY(q.exec(u"DELETE FROM equipment WHERE id = '"_s + devices[4].id + u"'"_s));
    QVERIFY(q.exec(u"DELETE FROM engineers WHERE id = '"_s + e2.id + u"'"_s));
    QCOMPARE(verifyAll(), QString());
    QCOMPARE(repos.engineers().find(e1.id)->openAssignments, 0);
    QCOMPARE(repos.organizations().find(other.id)->equipmentCount, 2);
}

void TestStorageRepositories::assignmentsLifecycle()
{
    MD_TEST_DATABASE(db);
    Database &database = db->database();
    Repositories repos(database);
    Basics b(repos);
    const Equipment e = makeEquipment(b.hospital.id, b.maker.id, u"mri"_s, u"Vida"_s);
    repos.equipment().insert(e);
    const Engineer first =
        makeEngineer(b.hospital.id, u"First"_s, EngineerLevel::L3, {b.maker.id}, {u"mri"_s});
    const Engineer second =
        makeEngineer(b.partner.id, u"Second"_s, EngineerLevel::L3, {b.maker.id}, {u"mri"_s});
    repos.engineers().insert(first);
    repos.engineers().insert(second);
    Ticket t = makeTicket(e, Priority::Critical, u"Quench"_s);
    repos.tickets().insert(t);

    QVERIFY(!repos.assignments().active(t.id));
    QVERIFY(!repos.assignments().endActive(t.id, AssignmentStatus::Cancelled, fixedTime(1)));
    const Assignment a1 =
        testlib::makeAssignment(t.id, first.id, AssignmentTier::HospitalBme, fixedTime(10));
    repos.assignments().insert(a1);
    QCOMPARE(repos.assignments().active(t.id)->id, a1.id);
    QCOMPARE(repos.tickets().find(t.id)->assignedEngineerId, first.id);

    // Only one active assignment per ticket.
    try {
        repos.assignments().insert(testlib::makeAssignment(
            t.id, second.id, AssignmentTier::AuthorizedPartner, fixedTime(11)));
        QFAIL("two active assignments");
    } catch (const StorageError &err) {
        QCOMPARE(err.kind(), StorageError::Kind::Conflict);
    }

    // Reassign: end the first as reassigned, start the second (same timestamp).
    Assignment a2 =
        testlib::makeAssignment(t.id, second.id, AssignmentTier::AuthorizedPartner, fixedTime(30));
    a2.reason = u"Needs OEM-trained partner"_s;
    a2.matchScore = 91;
    database.transaction([&] {
        const auto ended =
            repos.assignments().endActive(t.id, AssignmentStatus::Reassigned, fixedTime(30));
        QVERIFY(ended);
        QCOMPARE(ended->id, a1.id);
        QCOMPARE_ENUM(ended->status, AssignmentStatus::Reassigned);
        QCOMPARE(ended->endedAt, fixedTime(30));
        repos.assignments().insert(a2);
    });
    QCOMPARE(repos.tickets().find(t.id)->assignedEngineerId, second.id);
    QCOMPARE(repos.engineers().find(first.id)->openAssignments, 0);
    QCOMPARE(repos.engineers().find(second.id)->openAssignments, 1);

    const auto ended =
        repos.assignments().endActive(t.id, AssignmentStatus::Completed, fixedTime(90));
    QCOMPARE(ended->id, a2.id);
    QVERIFY(repos.tickets().find(t.id)->assignedEngineerId.isEmpty());

    const QList<Assignment> history = repos.assignments().history(t.id);
    QCOMPARE(history.size(), 2);
    QCOMPARE(history.at(0).id, a2.id); // newest first
    QCOMPARE_ENUM(history.at(0).status, AssignmentStatus::Completed);
    QCOMPARE(history.at(0).reason, a2.reason);
    QCOMPARE(history.at(0).matchScore, 91);
    QCOMPARE(int(history.at(0).tier), int(AssignmentTier::AuthorizedPartner));
    QCOMPARE(history.at(0).assignedAt, fixedTime(30));
    QCOMPARE(history.at(0).endedAt, fixedTime(90));
    QCOMPARE(history.at(1).id, a1.id);
    QCOMPARE_ENUM(history.at(1).status, AssignmentStatus::Reassigned);
    QCOMPARE(history.at(1).assignedBy, u"system"_s);

    // Reassigned and re-given within the same millisecond still list newest first.
    Ticket t2 = makeTicket(e, Priority::Normal, u"Same time"_s);
    repos.tickets().insert(t2);
    const Assignment b1 =
        testlib::makeAssignment(t2.id, first.id, AssignmentTier::HospitalBme, fixedTime(5));
    const Assignment b2 =
        testlib::makeAssignment(t2.id, second.id, AssignmentTier::AuthorizedPartner, fixedTime(5));
    repos.assignments().insert(b1);
    repos.assignments().endActive(t2.id, AssignmentStatus::Reassigned, fixedTime(5));
    repos.assignments().insert(b2);
    QCOMPARE(repos.assignments().history(t2.id).first().id, b2.id);
    repos.assignments().endActive(t2.id, AssignmentStatus::Cancelled, fixedTime(6));

    const AssignmentSummary s = repos.assignments().summary(t.id);
    QCOMPARE(s.total, 2);
    QCOMPARE(s.active, 0);
    QCOMPARE(s.completed, 1);
    QCOMPARE(s.reassigned, 1);
    QCOMPARE(s.cancelled, 0);
    const AssignmentSummary s2 = repos.assignments().summary(t2.id);
    QCOMPARE(s2.total, 2);
    QCOMPARE(s2.cancelled, 1);
    QCOMPARE(s2.reassigned, 1);
    QCOMPARE(repos.assignments().summary(testlib::newId()).total, 0);
}

void TestStorageRepositories::dashboardOnKnownData()
{
    MD_TEST_DATABASE(db);
    Database &database = db->database();
    Repositories repos(database);
    Basics b(repos);
    const Organization other = makeOrganization(u"Other"_s, OrganizationType::Hospital);
    repos.organizations().insert(other);
    const Equipment e = makeEquipment(b.hospital.id, b.maker.id, u"mri"_s, u"Vida"_s);
    const Equipment f = makeEquipment(other.id, b.maker.id, u"ct"_s, u"Force"_s);
    repos.equipment().insert(e);
    repos.equipment().insert(f);
    Engineer inactive = makeEngineer(b.hospital.id, u"Off"_s, EngineerLevel::L1, {}, {});
    inactive.active = false;
    repos.engineers().insert(makeEngineer(b.hospital.id, u"On"_s, EngineerLevel::L1, {}, {}));
    repos.engineers().insert(inactive);

    const QDateTime now = fixedTime(24 * 60); // one day after fixedTime(0)
    const auto ticket = [&](const Equipment &eq, Priority p, TicketStatus s, qint64 createdMin,
                            qint64 windowMin, qint64 assignedAfter, qint64 resolvedAfter) {
        Ticket t = makeTicket(eq, p, u"t"_s);
        t.createdAt = fixedTime(createdMin);
        t.status = s;
        t.resolutionDueAt = fixedTime(createdMin + windowMin);
        if (assignedAfter >= 0)
            t.assignedAt = fixedTime(createdMin + assignedAfter);
        if (resolvedAfter >= 0)
            t.resolvedAt = fixedTime(createdMin + resolvedAfter);
        repos.tickets().insert(t);
    };
    // Open, breached (due 60 min after creation, a day ago).
    ticket(e, Priority::Critical, TicketStatus::Assigned, 0, 60, 10, -1);
    // Open, at risk: created 23 h ago, 24 h window, 1 h (< 25 %) left.
    ticket(e, Priority::High, TicketStatus::InProgress, 60, 24 * 60, 20, -1);
    // Open, on track: created now, 72 h window.
    ticket(f, Priority::Normal, TicketStatus::New, 24 * 60, 72 * 60, -1, -1);
    // Resolved and closed: not open, count for mean time to resolve.
    ticket(e, Priority::Normal, TicketStatus::Resolved, 0, 72 * 60, 30, 120);
    ticket(f, Priority::Low, TicketStatus::Closed, 0, 240 * 60, 60, 240);
    // Cancelled, created long ago: outside the 30-day window.
    ticket(f, Priority::Low, TicketStatus::Cancelled, -40 * 24 * 60, 240 * 60, 600, -1);

    const DashboardStats s = repos.dashboard().stats({}, now);
    QCOMPARE(s.openTickets, 3);
    QCOMPARE(s.openByPriority.value(u"critical"_s), 1);
    QCOMPARE(s.openByPriority.value(u"high"_s), 1);
    QCOMPARE(s.openByPriority.value(u"normal"_s), 1);
    QCOMPARE(s.openByPriority.value(u"low"_s), 0);
    QCOMPARE(s.byStatus.value(u"assigned"_s), 1);
    QCOMPARE(s.byStatus.value(u"in_progress"_s), 1);
    QCOMPARE(s.byStatus.value(u"new"_s), 1);
    QCOMPARE(s.byStatus.value(u"resolved"_s), 1);
    QCOMPARE(s.byStatus.value(u"closed"_s), 1);
    QCOMPARE(s.byStatus.value(u"cancelled"_s), 1);
    QCOMPARE(s.slaBreached, 1);
    QCOMPARE(s.slaAtRisk, 1);
    // Assigned within the last 30 days: 10, 20, 30, 60 minutes.
    QCOMPARE(s.meanTimeToAssignMinutes, 30.0);
    // Resolved within the last 30 days: 120 and 240 minutes.
    QCOMPARE(s.meanTimeToResolveMinutes, 180.0);
    QCOMPARE(s.equipmentCount, 2);
    QCOMPARE(s.engineersCount, 2);
    QCOMPARE(s.activeEngineers, 1);
    QCOMPARE(s.organizationsCount, 4);

    Scope scope;
    scope.all = false;
    scope.organizationIds = {other.id};
    const DashboardStats o = repos.dashboard().stats(scope, now);
    QCOMPARE(o.openTickets, 1);
    QCOMPARE(o.byStatus.value(u"closed"_s), 1);
    QCOMPARE(o.equipmentCount, 1);
    QCOMPARE(o.engineersCount, 0);
    QCOMPARE(o.activeEngineers, 0);
    QCOMPARE(o.organizationsCount, 2); // itself and the manufacturer, as the list shows
}

QTEST_GUILESS_MAIN(TestStorageRepositories)
#include "tst_storage_repositories.moc"
