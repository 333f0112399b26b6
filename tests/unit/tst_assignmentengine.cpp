#include "domain/assignmentengine.h"

#include <QTest>

#include <algorithm>
#include <cmath>

using namespace md::domain;
using namespace Qt::StringLiterals;

// The dispatcher sees the ranked list, the scores and the "recommended" badge; each row
// below is a situation a dispatcher would recognise.
class TestAssignmentEngine final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tiers_data();
    void tiers();
    void levelRule_data();
    void levelRule();
    void hardFilters_data();
    void hardFilters();
    void noEngineerMayService();
    void scoreBreakdown_data();
    void scoreBreakdown();
    void distanceNeedsBothLocations_data();
    void distanceNeedsBothLocations();
    void warrantySwitchesTierPreference_data();
    void warrantySwitchesTierPreference();
    void ties_data();
    void ties();
    void rankingAndRecommendation();
};

namespace {

const QString kSiemens = u"10000000-0000-4000-8000-000000000001"_s;
const QString kGe = u"10000000-0000-4000-8000-000000000002"_s;
const QString kHospital = u"20000000-0000-4000-8000-000000000001"_s;
const QString kOtherHospital = u"20000000-0000-4000-8000-000000000002"_s;
const QString kPartner = u"30000000-0000-4000-8000-000000000001"_s;
const QString kProvider = u"40000000-0000-4000-8000-000000000001"_s;
const QString kPartnerAndProvider = u"50000000-0000-4000-8000-000000000001"_s;
const QDate kToday(2026, 3, 1);
const GeoPoint kSite{50.0, 8.0};

// Organizations by the names the rows use.
QString org(const QString &key)
{
    static const QHash<QString, QString> ids{
        {u"oem"_s, kSiemens},
        {u"other_oem"_s, kGe},
        {u"partner"_s, kPartner},
        {u"provider"_s, kProvider},
        {u"partner_and_provider"_s, kPartnerAndProvider},
        {u"hospital"_s, kHospital},
        {u"other_hospital"_s, kOtherHospital},
        {u"none"_s, QString()},
    };
    Q_ASSERT(ids.contains(key));
    return ids.value(key);
}

// A Siemens MRI of kHospital under warranty, a normal ticket.
DispatchContext context(Priority priority = Priority::Normal,
                        QDate warrantyEnd = kToday.addYears(1))
{
    DispatchContext c;
    c.ticket.priority = priority;
    c.equipment.organizationId = kHospital;
    c.equipment.manufacturerId = kSiemens;
    c.equipment.category = u"mri"_s;
    c.equipment.warrantyEnd = warrantyEnd;
    c.authorizedPartnerIds = {kPartner, kPartnerAndProvider};
    c.serviceProviderIds = {kProvider, kPartnerAndProvider};
    c.today = kToday;
    return c;
}

// An active engineer who services Siemens MRIs, idle, no certificate, location unknown.
Engineer engineer(const QString &orgKey, EngineerLevel level = EngineerLevel::L1,
                  const QString &name = u"Eva"_s, const QString &id = u"e-1"_s)
{
    Engineer e;
    e.id = id;
    e.name = name;
    e.organizationId = org(orgKey);
    e.level = level;
    e.manufacturerIds = {kGe, kSiemens};
    e.categories = {u"ct"_s, u"mri"_s};
    return e;
}

Candidate candidate(const Engineer &e)
{
    return {e, u"Org of "_s + e.name, OrganizationType::Hospital};
}

EngineerLevel level(const QString &wire)
{
    const auto l = parseEngineerLevel(wire);
    Q_ASSERT(l);
    return *l;
}

Priority priority(const QString &wire)
{
    const auto p = parsePriority(wire);
    Q_ASSERT(p);
    return *p;
}

// A point `km` north of the site (one degree of latitude is 111.195 km on our sphere).
GeoPoint northOfSite(double km)
{
    return {kSite.latitude + km / 111.19508, kSite.longitude};
}

QStringList ids(const QList<Suggestion> &list)
{
    QStringList out;
    for (const Suggestion &s : list)
        out.append(s.candidate.engineer.id);
    return out;
}

} // namespace

void TestAssignmentEngine::tiers_data()
{
    QTest::addColumn<QString>("organization");
    QTest::addColumn<int>("tier");       // 0: none applies
    QTest::addColumn<bool>("noRecords"); // equipment without manufacturer and owner on record

    QTest::newRow("tier 1: the manufacturer's own engineer") << u"oem"_s << 1 << false;
    QTest::newRow("tier 2: an authorized partner") << u"partner"_s << 2 << false;
    QTest::newRow("tier 3: a multi-brand provider") << u"provider"_s << 3 << false;
    QTest::newRow("tier 4: the owning hospital's BME team") << u"hospital"_s << 4 << false;
    QTest::newRow("both partner and provider: the lower tier wins")
        << u"partner_and_provider"_s << 2 << false;
    QTest::newRow("another manufacturer's engineer") << u"other_oem"_s << 0 << false;
    QTest::newRow("another hospital's BME team") << u"other_hospital"_s << 0 << false;
    QTest::newRow("no organization") << u"none"_s << 0 << false;
    QTest::newRow("no organization, equipment without records") << u"none"_s << 0 << true;
}

void TestAssignmentEngine::tiers()
{
    QFETCH(QString, organization);
    QFETCH(int, tier);
    QFETCH(bool, noRecords);
    DispatchContext ctx = context();
    if (noRecords) {
        ctx.equipment.manufacturerId.clear();
        ctx.equipment.organizationId.clear();
    }
    const Engineer e = engineer(organization);

    const auto found = AssignmentEngine::tierFor(e, ctx);
    QCOMPARE(found ? static_cast<int>(*found) : 0, tier);
    QCOMPARE(AssignmentEngine::isEligible(e, ctx), tier != 0);

    const QList<Suggestion> ranked = AssignmentEngine::rank({candidate(e)}, ctx);
    QCOMPARE(ranked.size(), tier != 0 ? 1 : 0);
    if (tier != 0)
        QCOMPARE(static_cast<int>(ranked.first().tier), tier);
}

void TestAssignmentEngine::levelRule_data()
{
    QTest::addColumn<QString>("priority");
    QTest::addColumn<QString>("level");
    QTest::addColumn<bool>("eligible");
    // DESIGN.md: critical -> L3, high -> L2, normal and low -> L1; "at or above".
    const QList<std::tuple<const char *, const char *, bool>> rows{
        {"critical", "L1", false}, {"critical", "L2", false}, {"critical", "L3", true},
        {"high", "L1", false},     {"high", "L2", true},      {"high", "L3", true},
        {"normal", "L1", true},    {"normal", "L2", true},    {"normal", "L3", true},
        {"low", "L1", true},       {"low", "L2", true},       {"low", "L3", true},
    };
    for (const auto &[p, l, ok] : rows) {
        QTest::addRow("%s ticket, %s engineer", p, l)
            << QString::fromLatin1(p) << QString::fromLatin1(l) << ok;
    }
}

void TestAssignmentEngine::levelRule()
{
    QFETCH(QString, priority);
    QFETCH(QString, level);
    QFETCH(bool, eligible);
    const DispatchContext ctx = context(::priority(priority));
    // The rule holds in every tier.
    for (const QString &o : {u"oem"_s, u"partner"_s, u"provider"_s, u"hospital"_s}) {
        const Engineer e = engineer(o, ::level(level));
        QVERIFY2(AssignmentEngine::isEligible(e, ctx) == eligible, qPrintable(o));
        QCOMPARE(AssignmentEngine::rank({candidate(e)}, ctx).size(), eligible ? 1 : 0);
    }
}

void TestAssignmentEngine::hardFilters_data()
{
    QTest::addColumn<QString>("organization");
    QTest::addColumn<QString>("change");
    QTest::addColumn<bool>("eligible");
    for (const QString &o : {u"oem"_s, u"partner"_s, u"provider"_s, u"hospital"_s}) {
        const QByteArray t = o.toLatin1();
        QTest::addRow("%s: eligible as is", t.data()) << o << u"none"_s << true;
        QTest::addRow("%s: inactive", t.data()) << o << u"inactive"_s << false;
        QTest::addRow("%s: wrong manufacturer", t.data()) << o << u"wrong_manufacturer"_s << false;
        QTest::addRow("%s: wrong category", t.data()) << o << u"wrong_category"_s << false;
        QTest::addRow("%s: certified but does not service it", t.data())
            << o << u"certified_only"_s << false;
    }
}

void TestAssignmentEngine::hardFilters()
{
    QFETCH(QString, organization);
    QFETCH(QString, change);
    QFETCH(bool, eligible);
    const DispatchContext ctx = context();
    Engineer e = engineer(organization, EngineerLevel::L3);
    e.certifications = {{u"MAGNETOM"_s, kSiemens, u"mri"_s, kToday.addYears(1)}};
    if (change == u"inactive") {
        e.active = false;
    } else if (change == u"wrong_manufacturer") {
        e.manufacturerIds = {kGe};
    } else if (change == u"wrong_category") {
        e.categories = {u"ct"_s, u"xray"_s};
    } else if (change == u"certified_only") {
        e.manufacturerIds.clear();
        e.categories.clear();
    }
    QCOMPARE(AssignmentEngine::isEligible(e, ctx), eligible);
    QCOMPARE(AssignmentEngine::rank({candidate(e)}, ctx).isEmpty(), !eligible);
}

void TestAssignmentEngine::noEngineerMayService()
{
    // A critical ticket for a Siemens MRI, and nobody who may take it: the dispatcher must
    // see an empty list, not a "recommended" engineer who is not allowed to go.
    const DispatchContext ctx = context(Priority::Critical);
    Engineer inactive = engineer(u"oem"_s, EngineerLevel::L3, u"Inactive"_s, u"a"_s);
    inactive.active = false;
    Engineer tooJunior = engineer(u"oem"_s, EngineerLevel::L2, u"Junior"_s, u"b"_s);
    Engineer ctOnly = engineer(u"partner"_s, EngineerLevel::L3, u"CT only"_s, u"c"_s);
    ctOnly.categories = {u"ct"_s};
    Engineer stranger = engineer(u"other_hospital"_s, EngineerLevel::L3, u"Stranger"_s, u"d"_s);
    Engineer geOnly = engineer(u"provider"_s, EngineerLevel::L3, u"GE only"_s, u"e"_s);
    geOnly.manufacturerIds = {kGe};

    const QList<Candidate> all{candidate(inactive), candidate(tooJunior), candidate(ctOnly),
                               candidate(stranger), candidate(geOnly)};
    QVERIFY(AssignmentEngine::rank(all, ctx).isEmpty());
    QVERIFY(AssignmentEngine::rank({}, ctx).isEmpty());
}

void TestAssignmentEngine::scoreBreakdown_data()
{
    QTest::addColumn<QString>("organization");
    QTest::addColumn<QString>("level");
    QTest::addColumn<QString>("priority");
    QTest::addColumn<bool>("covered");
    QTest::addColumn<QString>("certificate");
    QTest::addColumn<int>("open");
    QTest::addColumn<double>("km"); // < 0: engineer location unknown
    QTest::addColumn<int>("tierPts");
    QTest::addColumn<int>("levelPts");
    QTest::addColumn<int>("certPts");
    QTest::addColumn<int>("workloadPts");
    QTest::addColumn<int>("distancePts");
    QTest::addColumn<int>("total");

    auto row = [](const char *name, const char *o, const char *l, const char *p, bool covered,
                  const char *cert, int open, double km, int t, int lv, int c, int w, int d,
                  int total) {
        QTest::newRow(name) << QString::fromLatin1(o) << QString::fromLatin1(l)
                            << QString::fromLatin1(p) << covered << QString::fromLatin1(cert)
                            << open << km << t << lv << c << w << d << total;
    };
    // Tier preference: under warranty OEM 35 > partner 30 > provider 20 > BME 15;
    // afterwards BME 35 > provider 30 > partner 25 > OEM 20.
    row("perfect: OEM, warranty, exact level, certified, idle, on site", "oem", "L1", "normal",
        true, "valid", 0, 0, 35, 20, 20, 15, 10, 100);
    row("OEM out of warranty", "oem", "L1", "normal", false, "none", 0, -1, 20, 20, 0, 15, 5, 60);
    row("partner under warranty", "partner", "L1", "normal", true, "none", 0, -1, 30, 20, 0, 15, 5,
        70);
    row("partner out of warranty", "partner", "L1", "normal", false, "none", 0, -1, 25, 20, 0, 15,
        5, 65);
    row("provider under warranty", "provider", "L1", "normal", true, "none", 0, -1, 20, 20, 0, 15,
        5, 60);
    row("provider out of warranty", "provider", "L1", "normal", false, "none", 0, -1, 30, 20, 0, 15,
        5, 70);
    row("BME team under warranty", "hospital", "L1", "normal", true, "none", 0, -1, 15, 20, 0, 15,
        5, 55);
    row("BME team out of warranty", "hospital", "L1", "normal", false, "none", 0, -1, 35, 20, 0, 15,
        5, 75);
    // Level fit: exact 20, one above 15, two above 10.
    row("L2 on a normal ticket", "oem", "L2", "normal", true, "none", 0, -1, 35, 15, 0, 15, 5, 70);
    row("L3 on a low ticket", "oem", "L3", "low", true, "none", 0, -1, 35, 10, 0, 15, 5, 65);
    row("L3 on a high ticket", "oem", "L3", "high", true, "none", 0, -1, 35, 15, 0, 15, 5, 70);
    row("L2 on a high ticket", "oem", "L2", "high", true, "none", 0, -1, 35, 20, 0, 15, 5, 75);
    row("L3 on a critical ticket", "oem", "L3", "critical", true, "none", 0, -1, 35, 20, 0, 15, 5,
        75);
    // Certification valid today for Siemens MRI: 20, anything else 0.
    row("certificate expired yesterday", "oem", "L1", "normal", true, "expired", 0, -1, 35, 20, 0,
        15, 5, 75);
    row("certificate expiring today still counts", "oem", "L1", "normal", true, "expires_today", 0,
        -1, 35, 20, 20, 15, 5, 95);
    row("certificate without expiry", "oem", "L1", "normal", true, "no_expiry", 0, -1, 35, 20, 20,
        15, 5, 95);
    row("certificate for another manufacturer", "oem", "L1", "normal", true, "other_maker", 0, -1,
        35, 20, 0, 15, 5, 75);
    row("certificate for another category", "oem", "L1", "normal", true, "other_category", 0, -1,
        35, 20, 0, 15, 5, 75);
    row("certificate for all Siemens categories", "oem", "L1", "normal", true, "maker_wide", 0, -1,
        35, 20, 20, 15, 5, 95);
    // Workload: 15 - 3 per open assignment, never below 0.
    row("1 open assignment", "oem", "L1", "normal", true, "none", 1, -1, 35, 20, 0, 12, 5, 72);
    row("4 open assignments", "oem", "L1", "normal", true, "none", 4, -1, 35, 20, 0, 3, 5, 63);
    row("5 open assignments", "oem", "L1", "normal", true, "none", 5, -1, 35, 20, 0, 0, 5, 60);
    row("12 open assignments", "oem", "L1", "normal", true, "none", 12, -1, 35, 20, 0, 0, 5, 60);
    // Distance: 10 within 10 km, linear to 0 at 200 km, 5 when unknown.
    row("9.9 km away", "oem", "L1", "normal", true, "none", 0, 9.9, 35, 20, 0, 15, 10, 80);
    row("48.5 km away", "oem", "L1", "normal", true, "none", 0, 48.5, 35, 20, 0, 15, 8, 78);
    row("105 km away", "oem", "L1", "normal", true, "none", 0, 105, 35, 20, 0, 15, 5, 75);
    row("181 km away", "oem", "L1", "normal", true, "none", 0, 181, 35, 20, 0, 15, 1, 71);
    row("250 km away", "oem", "L1", "normal", true, "none", 0, 250, 35, 20, 0, 15, 0, 70);
    row("worst eligible: BME in warranty, L3 on low, swamped, far", "hospital", "L3", "low", true,
        "expired", 9, 900, 15, 10, 0, 0, 0, 25);
}

void TestAssignmentEngine::scoreBreakdown()
{
    QFETCH(QString, organization);
    QFETCH(QString, level);
    QFETCH(QString, priority);
    QFETCH(bool, covered);
    QFETCH(QString, certificate);
    QFETCH(int, open);
    QFETCH(double, km);
    QFETCH(int, tierPts);
    QFETCH(int, levelPts);
    QFETCH(int, certPts);
    QFETCH(int, workloadPts);
    QFETCH(int, distancePts);
    QFETCH(int, total);

    DispatchContext ctx =
        context(::priority(priority), covered ? kToday.addDays(30) : kToday.addDays(-1));
    ctx.siteLocation = kSite;
    Engineer e = engineer(organization, ::level(level));
    e.openAssignments = open;
    if (km >= 0)
        e.location = northOfSite(km);
    const QHash<QString, Certification> certificates{
        {u"valid"_s, {u"c"_s, kSiemens, u"mri"_s, kToday.addMonths(6)}},
        {u"expired"_s, {u"c"_s, kSiemens, u"mri"_s, kToday.addDays(-1)}},
        {u"expires_today"_s, {u"c"_s, kSiemens, u"mri"_s, kToday}},
        {u"no_expiry"_s, {u"c"_s, kSiemens, u"mri"_s, QDate()}},
        {u"other_maker"_s, {u"c"_s, kGe, u"mri"_s, kToday.addMonths(6)}},
        {u"other_category"_s, {u"c"_s, kSiemens, u"ct"_s, kToday.addMonths(6)}},
        {u"maker_wide"_s, {u"c"_s, kSiemens, QString(), kToday.addMonths(6)}},
    };
    if (certificate != u"none")
        e.certifications = {certificates.value(certificate)};

    const QList<Suggestion> ranked = AssignmentEngine::rank({candidate(e)}, ctx);
    QCOMPARE(ranked.size(), 1);
    const Suggestion &s = ranked.first();
    QCOMPARE(s.breakdown.tier, tierPts);
    QCOMPARE(s.breakdown.level, levelPts);
    QCOMPARE(s.breakdown.certification, certPts);
    QCOMPARE(s.breakdown.workload, workloadPts);
    QCOMPARE(s.breakdown.distance, distancePts);
    // The breakdown the dispatcher sees adds up to the score shown.
    QCOMPARE(s.breakdown.total(), total);
    QCOMPARE(s.matchScore, total);
    QVERIFY(s.matchScore >= 0 && s.matchScore <= 100);
    QCOMPARE(s.breakdown.distanceKm.has_value(), km >= 0);
    if (km >= 0)
        QVERIFY2(std::abs(*s.breakdown.distanceKm - km) < 0.01,
                 qPrintable(QString::number(*s.breakdown.distanceKm)));
}

void TestAssignmentEngine::distanceNeedsBothLocations_data()
{
    QTest::addColumn<bool>("engineerKnown");
    QTest::addColumn<bool>("siteKnown");
    QTest::addColumn<bool>("engineerValid");
    QTest::addColumn<int>("points");
    QTest::newRow("both known, 50 km") << true << true << true << 8;
    QTest::newRow("engineer location unknown") << false << true << true << 5;
    QTest::newRow("site location unknown") << true << false << true << 5;
    QTest::newRow("neither known") << false << false << true << 5;
    QTest::newRow("engineer location nonsense") << true << true << false << 5;
}

void TestAssignmentEngine::distanceNeedsBothLocations()
{
    QFETCH(bool, engineerKnown);
    QFETCH(bool, siteKnown);
    QFETCH(bool, engineerValid);
    QFETCH(int, points);
    DispatchContext ctx = context();
    if (siteKnown)
        ctx.siteLocation = kSite;
    Engineer e = engineer(u"oem"_s);
    if (engineerKnown)
        e.location = engineerValid ? northOfSite(50) : GeoPoint{123.0, 456.0};
    const ScoreBreakdown b = AssignmentEngine::score(e, AssignmentTier::Oem, ctx);
    QCOMPARE(b.distance, points);
    QCOMPARE(b.distanceKm.has_value(), engineerKnown && siteKnown && engineerValid);
}

void TestAssignmentEngine::warrantySwitchesTierPreference_data()
{
    QTest::addColumn<QDate>("warrantyEnd");
    QTest::addColumn<QDate>("contractEnd");
    QTest::addColumn<QString>("recommended");
    QTest::newRow("under warranty: OEM first") << kToday.addYears(1) << QDate() << u"oem"_s;
    QTest::newRow("warranty ends today: OEM first") << kToday << QDate() << u"oem"_s;
    QTest::newRow("warranty ended yesterday: own team first")
        << kToday.addDays(-1) << QDate() << u"bme"_s;
    QTest::newRow("warranty over, service contract running: OEM first")
        << kToday.addYears(-2) << kToday.addMonths(3) << u"oem"_s;
    QTest::newRow("warranty and contract over: own team first")
        << kToday.addYears(-2) << kToday.addDays(-10) << u"bme"_s;
    QTest::newRow("no dates on record: own team first") << QDate() << QDate() << u"bme"_s;
}

void TestAssignmentEngine::warrantySwitchesTierPreference()
{
    QFETCH(QDate, warrantyEnd);
    QFETCH(QDate, contractEnd);
    QFETCH(QString, recommended);
    DispatchContext ctx = context(Priority::Normal, warrantyEnd);
    ctx.equipment.serviceContractEnd = contractEnd;
    // Alike in all but tier; names chosen so that the name tie-break would pick the other.
    const Engineer oem = engineer(u"oem"_s, EngineerLevel::L1, u"Zoe OEM"_s, u"oem"_s);
    const Engineer bme = engineer(u"hospital"_s, EngineerLevel::L1, u"Anton BME"_s, u"bme"_s);
    const Engineer provider =
        engineer(u"provider"_s, EngineerLevel::L1, u"Paul Provider"_s, u"provider"_s);

    const QList<Suggestion> ranked =
        AssignmentEngine::rank({candidate(provider), candidate(bme), candidate(oem)}, ctx);
    QCOMPARE(ranked.size(), 3);
    QCOMPARE(ranked.first().candidate.engineer.id, recommended);
    QVERIFY(ranked.first().recommended);
    QVERIFY(ranked.first().matchScore > ranked.at(1).matchScore);
}

void TestAssignmentEngine::ties_data()
{
    QTest::addColumn<QString>("org1");
    QTest::addColumn<QString>("level1");
    QTest::addColumn<QString>("name1");
    QTest::addColumn<QString>("org2");
    QTest::addColumn<QString>("level2");
    QTest::addColumn<QString>("name2");
    QTest::addColumn<QString>("first"); // "1" or "2"

    // Partner L1 (30 + 20) and OEM L2 (35 + 15) both score 50 under warranty.
    QTest::newRow("equal score: L2 before L1 despite the name")
        << u"partner"_s << u"L1"_s << u"Anna"_s << u"oem"_s << u"L2"_s << u"Zeno"_s << u"2"_s;
    QTest::newRow("equal score and level: by name")
        << u"oem"_s << u"L1"_s << u"Markus"_s << u"oem"_s << u"L1"_s << u"Lena"_s << u"2"_s;
    // Case-sensitive order would put "Bert" before "anna".
    QTest::newRow("by name, ignoring case")
        << u"oem"_s << u"L1"_s << u"Bert"_s << u"oem"_s << u"L1"_s << u"anna"_s << u"2"_s;
    QTest::newRow("same name: by id")
        << u"oem"_s << u"L1"_s << u"Kim"_s << u"oem"_s << u"L1"_s << u"Kim"_s << u"1"_s;
}

void TestAssignmentEngine::ties()
{
    QFETCH(QString, org1);
    QFETCH(QString, level1);
    QFETCH(QString, name1);
    QFETCH(QString, org2);
    QFETCH(QString, level2);
    QFETCH(QString, name2);
    QFETCH(QString, first);
    const DispatchContext ctx = context();
    const Engineer e1 = engineer(org1, level(level1), name1, u"1"_s);
    const Engineer e2 = engineer(org2, level(level2), name2, u"2"_s);

    const QList<Suggestion> forward = AssignmentEngine::rank({candidate(e1), candidate(e2)}, ctx);
    const QList<Suggestion> backward = AssignmentEngine::rank({candidate(e2), candidate(e1)}, ctx);
    QCOMPARE(forward.size(), 2);
    QCOMPARE(forward.at(0).matchScore, forward.at(1).matchScore); // it is a tie
    QCOMPARE(forward.first().candidate.engineer.id, first);
    QCOMPARE(ids(backward), ids(forward)); // input order never decides
    QVERIFY(forward.at(0).recommended);
    QVERIFY(!forward.at(1).recommended);
}

void TestAssignmentEngine::rankingAndRecommendation()
{
    DispatchContext ctx = context(Priority::High);
    ctx.siteLocation = kSite;
    QList<Candidate> all;
    auto add = [&](const QString &o, EngineerLevel l, const QString &id, int open, bool active) {
        Engineer e = engineer(o, l, u"Engineer "_s + id, id);
        e.openAssignments = open;
        e.active = active;
        e.location = northOfSite(20.0 * open);
        all.append(candidate(e));
    };
    add(u"hospital"_s, EngineerLevel::L2, u"bme"_s, 0, true);
    add(u"oem"_s, EngineerLevel::L3, u"oem-busy"_s, 4, true);
    add(u"oem"_s, EngineerLevel::L2, u"oem"_s, 1, true);
    add(u"partner"_s, EngineerLevel::L2, u"partner"_s, 0, true);
    add(u"oem"_s, EngineerLevel::L1, u"oem-junior"_s, 0, true);     // below L2: filtered
    add(u"provider"_s, EngineerLevel::L3, u"off-duty"_s, 0, false); // inactive: filtered
    add(u"other_oem"_s, EngineerLevel::L3, u"ge"_s, 0, true);       // no tier: filtered

    const QList<Suggestion> ranked = AssignmentEngine::rank(all, ctx);
    // oem 35+20+0+12+9 (20 km) = 76; partner 30+20+0+15+10 = 75; bme 15+20+0+15+10 = 60;
    // oem-busy 35+15 (over-qualified)+0+3+6 (80 km) = 59.
    QCOMPARE(ids(ranked), (QStringList{u"oem"_s, u"partner"_s, u"bme"_s, u"oem-busy"_s}));
    QCOMPARE(ranked.at(0).matchScore, 76);
    QCOMPARE(ranked.at(1).matchScore, 75);
    QCOMPARE(ranked.at(2).matchScore, 60);
    QCOMPARE(ranked.at(3).matchScore, 59);
    for (qsizetype i = 0; i < ranked.size(); ++i) {
        const Suggestion &s = ranked.at(i);
        QCOMPARE(s.recommended, i == 0); // exactly one badge, on the first
        QCOMPARE(s.matchScore, s.breakdown.total());
        QCOMPARE(s.candidate.organizationName, u"Org of "_s + s.candidate.engineer.name);
        QCOMPARE(s.tier, *AssignmentEngine::tierFor(s.candidate.engineer, ctx));
    }
    // Same input in another order: same answer.
    QList<Candidate> reversed = all;
    std::reverse(reversed.begin(), reversed.end());
    QCOMPARE(ids(AssignmentEngine::rank(reversed, ctx)), ids(ranked));
}

QTEST_GUILESS_MAIN(TestAssignmentEngine)
#include "tst_assignmentengine.moc"
