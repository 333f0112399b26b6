// EngineerRepository::dispatchCandidates on a hand-made data set: exactly the engineers
// who are active, service the manufacturer and category, have the level the priority
// needs and belong to an organization of some tier; and the context around them.

#include "domain/assignmentengine.h"
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
using testlib::makeEngineer;
using testlib::makeEquipment;
using testlib::makeOrganization;

namespace {

struct World
{
    Organization siemens =
        makeOrganization(u"Siemens Healthineers"_s, OrganizationType::Manufacturer);
    Organization ge = makeOrganization(u"GE HealthCare"_s, OrganizationType::Manufacturer);
    Organization hospital = makeOrganization(u"Charité"_s, OrganizationType::Hospital);
    Organization otherHospital = makeOrganization(u"Vivantes"_s, OrganizationType::Hospital);
    Organization partner = makeOrganization(u"MRI Partner"_s, OrganizationType::AuthorizedPartner);
    Organization ctPartner =
        makeOrganization(u"CT-only Partner"_s, OrganizationType::AuthorizedPartner);
    Organization closedPartner =
        makeOrganization(u"Closed Partner"_s, OrganizationType::AuthorizedPartner);
    Organization provider = makeOrganization(u"Multi-brand"_s, OrganizationType::ServiceProvider);
    Organization geProvider =
        makeOrganization(u"GE-only provider"_s, OrganizationType::ServiceProvider);
    Equipment mri;
    Equipment dialysis;
    QMap<QString, Engineer> engineers; // by name

    explicit World(Repositories &repos)
    {
        hospital.location = GeoPoint{52.5265, 13.3769};
        partner.serviceScopes = {{siemens.id, u"mri"_s}, {ge.id, u"ct"_s}};
        ctPartner.serviceScopes = {{siemens.id, u"ct"_s}};
        closedPartner.serviceScopes = {{siemens.id, u"mri"_s}};
        closedPartner.active = false;
        provider.serviceScopes = {{siemens.id, u"mri"_s}};
        geProvider.serviceScopes = {{ge.id, u"mri"_s}};
        for (const Organization &o : {siemens, ge, hospital, otherHospital, partner, ctPartner,
                                      closedPartner, provider, geProvider})
            repos.organizations().insert(o);
        mri = makeEquipment(hospital.id, siemens.id, u"mri"_s, u"MAGNETOM Vida"_s);
        dialysis = makeEquipment(hospital.id, ge.id, u"dialysis"_s, u"Nobody fixes this"_s);
        repos.equipment().insert(mri);
        repos.equipment().insert(dialysis);

        const QStringList mriSkills{u"ct"_s, u"mri"_s};
        const auto add = [&](const QString &name, const Organization &org, EngineerLevel level,
                             const QStringList &makers, const QStringList &cats,
                             bool active = true) {
            Engineer e = makeEngineer(org.id, name, level, makers, cats);
            e.active = active;
            e.certifications = {{u"MAGNETOM L3"_s, siemens.id, u"mri"_s, QDate(2030, 1, 1)},
                                {u"Expired"_s, siemens.id, u"mri"_s, QDate(2020, 1, 1)}};
            repos.engineers().insert(e);
            engineers.insert(name, e);
        };
        // Eligible for a high-priority (L2) Siemens MRI ticket:
        add(u"oem L3"_s, siemens, EngineerLevel::L3, {siemens.id}, mriSkills);
        add(u"oem L2"_s, siemens, EngineerLevel::L2, {ge.id, siemens.id}, {u"mri"_s});
        add(u"partner L2"_s, partner, EngineerLevel::L2, {siemens.id}, {u"mri"_s});
        add(u"provider L3"_s, provider, EngineerLevel::L3, {siemens.id, ge.id}, mriSkills);
        add(u"bme L2"_s, hospital, EngineerLevel::L2, {siemens.id}, {u"mri"_s, u"xray"_s});
        // Not eligible:
        add(u"oem L1"_s, siemens, EngineerLevel::L1, {siemens.id}, mriSkills);
        add(u"oem inactive"_s, siemens, EngineerLevel::L3, {siemens.id}, mriSkills, false);
        add(u"oem wrong category"_s, siemens, EngineerLevel::L3, {siemens.id}, {u"ct"_s});
        add(u"oem other maker"_s, ge, EngineerLevel::L3, {siemens.id}, mriSkills);
        add(u"partner wrong maker skill"_s, partner, EngineerLevel::L3, {ge.id}, mriSkills);
        add(u"partner not authorized for mri"_s, ctPartner, EngineerLevel::L3, {siemens.id},
            mriSkills);
        add(u"partner inactive organization"_s, closedPartner, EngineerLevel::L3, {siemens.id},
            mriSkills);
        add(u"provider without scope"_s, geProvider, EngineerLevel::L3, {siemens.id}, mriSkills);
        add(u"bme other hospital"_s, otherHospital, EngineerLevel::L3, {siemens.id}, mriSkills);
        add(u"bme no maker"_s, hospital, EngineerLevel::L3, {}, {u"mri"_s});
    }
};

QStringList candidateNames(const QList<Candidate> &candidates)
{
    QStringList out;
    for (const Candidate &c : candidates)
        out << c.engineer.name;
    out.sort();
    return out;
}

} // namespace

class TestStorageDispatch final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data() { TestDatabase::addBackendRows(); }
    void candidatesAreExactlyTheEligibleSet();
    void levelFollowsPriority();
    void noEngineerForTheEquipment();
    void unknownTicket();
};

void TestStorageDispatch::candidatesAreExactlyTheEligibleSet()
{
    MD_TEST_DATABASE(db);
    Repositories repos(db->database());
    World w(repos);
    Ticket t = testlib::makeTicket(w.mri, Priority::High, u"Quench"_s);
    repos.tickets().insert(t);
    // Workload is reported from the counters.
    Ticket busy = testlib::makeTicket(w.mri, Priority::Low, u"Other job"_s);
    repos.tickets().insert(busy);
    repos.assignments().insert(
        testlib::makeAssignment(busy.id, w.engineers.value(u"partner L2"_s).id,
                                AssignmentTier::AuthorizedPartner, testlib::fixedTime(2)));

    const QDate today(2026, 3, 1);
    const auto result = repos.engineers().dispatchCandidates(t.id, today);
    QVERIFY(result);
    const auto &[context, candidates] = *result;

    QCOMPARE(candidateNames(candidates), (QStringList{u"bme L2"_s, u"oem L2"_s, u"oem L3"_s,
                                                      u"partner L2"_s, u"provider L3"_s}));

    QCOMPARE(context.ticket.id, t.id);
    QCOMPARE(context.ticket.number, t.number);
    QCOMPARE(context.equipment.id, w.mri.id);
    QCOMPARE(context.today, today);
    QVERIFY(context.siteLocation);
    QCOMPARE(*context.siteLocation, *w.hospital.location);
    QCOMPARE(context.authorizedPartnerIds, QSet<QString>{w.partner.id});
    QCOMPARE(context.serviceProviderIds, QSet<QString>{w.provider.id});

    for (const Candidate &c : candidates) {
        const Engineer &expected = w.engineers.value(c.engineer.name);
        QCOMPARE(c.engineer.id, expected.id);
        QCOMPARE(c.engineer.manufacturerIds, expected.manufacturerIds);
        QCOMPARE(c.engineer.categories, expected.categories);
        QCOMPARE(c.engineer.certifications, expected.certifications);
        QCOMPARE(c.engineer.location, expected.location);
        QCOMPARE(c.engineer.openAssignments, c.engineer.name == u"partner L2" ? 1 : 0);
        // The engine agrees that each candidate is eligible, under the expected tier.
        QVERIFY2(AssignmentEngine::isEligible(c.engineer, context), qPrintable(c.engineer.name));
        const auto tier = AssignmentEngine::tierFor(c.engineer, context);
        QVERIFY(tier);
        const QString name = c.engineer.name;
        const AssignmentTier expectedTier =
            name.startsWith(u"oem")        ? AssignmentTier::Oem
            : name.startsWith(u"partner")  ? AssignmentTier::AuthorizedPartner
            : name.startsWith(u"provider") ? AssignmentTier::ServiceProvider
                                           : AssignmentTier::HospitalBme;
        QCOMPARE(int(*tier), int(expectedTier));
        if (name.startsWith(u"oem")) {
            QCOMPARE(c.organizationName, w.siemens.name);
            QCOMPARE(toString(c.organizationType), toString(OrganizationType::Manufacturer));
        }
        if (name.startsWith(u"provider"))
            QCOMPARE(toString(c.organizationType), toString(OrganizationType::ServiceProvider));
    }
    // And nobody the engine would accept was left out.
    QList<Candidate> everyone;
    for (const Engineer &e : std::as_const(w.engineers))
        everyone.append({e, QString(), OrganizationType::Hospital});
    QStringList engineAccepts;
    for (const Candidate &c : everyone) {
        if (AssignmentEngine::isEligible(c.engineer, context))
            engineAccepts << c.engineer.name;
    }
    engineAccepts.sort();
    QCOMPARE(engineAccepts, candidateNames(candidates));
    QCOMPARE(AssignmentEngine::rank(candidates, context).size(), candidates.size());
}

void TestStorageDispatch::levelFollowsPriority()
{
    MD_TEST_DATABASE(db);
    Repositories repos(db->database());
    World w(repos);
    Ticket critical = testlib::makeTicket(w.mri, Priority::Critical, u"Critical"_s);
    Ticket low = testlib::makeTicket(w.mri, Priority::Low, u"Low"_s);
    repos.tickets().insert(critical);
    repos.tickets().insert(low);
    const QDate today(2026, 3, 1);
    QCOMPARE(candidateNames(repos.engineers().dispatchCandidates(critical.id, today)->second),
             (QStringList{u"oem L3"_s, u"provider L3"_s}));
    QCOMPARE(candidateNames(repos.engineers().dispatchCandidates(low.id, today)->second),
             (QStringList{u"bme L2"_s, u"oem L1"_s, u"oem L2"_s, u"oem L3"_s, u"partner L2"_s,
                          u"provider L3"_s}));
}

void TestStorageDispatch::noEngineerForTheEquipment()
{
    MD_TEST_DATABASE(db);
    Repositories repos(db->database());
    World w(repos);
    Ticket t = testlib::makeTicket(w.dialysis, Priority::Normal, u"Leak"_s);
    repos.tickets().insert(t);
    const auto result = repos.engineers().dispatchCandidates(t.id, QDate(2026, 3, 1));
    QVERIFY(result);
    QVERIFY(result->second.isEmpty());
    QVERIFY(result->first.authorizedPartnerIds.isEmpty());
    QCOMPARE(result->first.equipment.id, w.dialysis.id);
}

void TestStorageDispatch::unknownTicket()
{
    MD_TEST_DATABASE(db);
    Repositories repos(db->database());
    QVERIFY(!repos.engineers().dispatchCandidates(testlib::newId(), QDate(2026, 3, 1)));
}

QTEST_GUILESS_MAIN(TestStorageDispatch)
#include "tst_storage_dispatch.moc"
