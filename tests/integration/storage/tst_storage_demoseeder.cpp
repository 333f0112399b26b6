// The demo data set: idempotent, realistic in size and shape, and consistent with the
// ticket state machine and the counters; and the benchmark generator at a small size.

#include "domain/qrpayload.h"
#include "storage/database.h"
#include "storage/datagenerator.h"
#include "storage/demoseeder.h"
#include "storage/repositories.h"
#include "testlib/testdatabase.h"

#include <QElapsedTimer>
#include <QSqlQuery>
#include <QTest>

using namespace md;
using namespace md::storage;
using namespace Qt::Literals::StringLiterals;
using md::testlib::TestDatabase;

namespace {

qint64 scalar(Database &db, const QString &sql)
{
    QSqlQuery q(db.connection());
    if (!q.exec(sql) || !q.next()) {
        qWarning("%s", qPrintable(sql));
        return -1;
    }
    return q.value(0).toLongLong();
}

QMap<QString, qint64> tableCounts(Database &db)
{
    QMap<QString, qint64> counts;
    for (const QString &table :
         {u"organizations"_s, u"organization_service_scopes"_s, u"engineers"_s,
          u"engineer_manufacturers"_s, u"engineer_categories"_s, u"engineer_certifications"_s,
          u"equipment"_s, u"tickets"_s, u"assignments"_s, u"ticket_sequences"_s}) {
        counts.insert(table, scalar(db, u"SELECT count(*) FROM "_s + table));
    }
    return counts;
}

// Every invariant the API relies on; returns the first one broken.
QString checkConsistency(Database &db)
{
    const QList<std::pair<QString, QString>> zeroQueries = {
        {u"assigned/in progress/on hold tickets have exactly one active assignment"_s,
         u"SELECT count(*) FROM tickets t WHERE t.status IN ('assigned', 'in_progress', "
         "'on_hold') AND (SELECT count(*) FROM assignments a WHERE a.ticket_id = t.id AND "
         "a.status = 'active') <> 1"_s},
        {u"other tickets have no active assignment"_s,
         u"SELECT count(*) FROM tickets t WHERE t.status NOT IN ('assigned', 'in_progress', "
         "'on_hold') AND EXISTS (SELECT 1 FROM assignments a WHERE a.ticket_id = t.id AND "
         "a.status = 'active')"_s},
        {u"resolved and closed tickets end with a completed assignment"_s,
         u"SELECT count(*) FROM tickets t WHERE t.status IN ('resolved', 'closed') AND NOT "
         "EXISTS (SELECT 1 FROM assignments a WHERE a.ticket_id = t.id AND a.status = "
         "'completed')"_s},
        {u"new tickets have no assignment at all"_s,
         u"SELECT count(*) FROM tickets t WHERE t.status = 'new' AND EXISTS (SELECT 1 FROM "
         "assignments a WHERE a.ticket_id = t.id)"_s},
        {u"the ticket's engineer is the active assignment's"_s,
         u"SELECT count(*) FROM tickets t LEFT JOIN assignments a ON a.ticket_id = t.id AND "
         "a.status = 'active' WHERE (t.assigned_engineer_id IS NULL) <> (a.id IS NULL) OR "
         "t.assigned_engineer_id <> a.engineer_id OR t.assigned_tier <> a.tier"_s},
        {u"reassignments after the first carry a reason"_s,
         u"SELECT count(*) FROM assignments a WHERE a.reason = '' AND EXISTS (SELECT 1 FROM "
         "assignments b WHERE b.ticket_id = a.ticket_id AND b.status = 'reassigned' AND "
         "b.ended_at = a.assigned_at AND b.id <> a.id)"_s},
        {u"ended assignments have an end time after their start"_s,
         u"SELECT count(*) FROM assignments WHERE (status = 'active') <> (ended_at IS NULL) OR "
         "ended_at < assigned_at"_s},
        {u"times are ordered"_s,
         u"SELECT count(*) FROM tickets WHERE assigned_at < created_at OR resolved_at < "
         "assigned_at OR closed_at < resolved_at OR updated_at < created_at"_s},
        {u"the assigned engineer can do the job (manufacturer, category, level)"_s,
         u"SELECT count(*) FROM assignments a JOIN tickets t ON t.id = a.ticket_id JOIN "
         "equipment q ON q.id = t.equipment_id JOIN engineers e ON e.id = a.engineer_id WHERE "
         "NOT EXISTS (SELECT 1 FROM engineer_manufacturers m WHERE m.engineer_id = e.id AND "
         "m.manufacturer_id = q.manufacturer_id) OR NOT EXISTS (SELECT 1 FROM "
         "engineer_categories c WHERE c.engineer_id = e.id AND c.category = q.category) OR "
         "e.level < CASE t.priority WHEN 'critical' THEN 3 WHEN 'high' THEN 2 ELSE 1 END"_s},
        {u"equipment counters"_s,
         u"SELECT count(*) FROM organizations o WHERE o.equipment_count <> (SELECT count(*) "
         "FROM equipment q WHERE q.organization_id = o.id)"_s},
        {u"engineer counters"_s,
         u"SELECT count(*) FROM organizations o WHERE o.engineers_count <> (SELECT count(*) "
         "FROM engineers e WHERE e.organization_id = o.id)"_s},
        {u"active ticket counters"_s,
         u"SELECT count(*) FROM organizations o WHERE o.active_tickets_count <> (SELECT "
         "count(*) FROM tickets t WHERE t.organization_id = o.id AND t.status IN ('new', "
         "'assigned', 'in_progress', 'on_hold'))"_s},
        {u"open assignment counters"_s,
         u"SELECT count(*) FROM engineers e WHERE e.open_assignments <> (SELECT count(*) FROM "
         "assignments a WHERE a.engineer_id = e.id AND a.status = 'active')"_s},
        {u"ticket numbers are unique"_s,
         u"SELECT count(*) - count(DISTINCT number) FROM tickets"_s},
        {u"sequences continue after the highest number"_s,
         u"SELECT count(*) FROM ticket_sequences s WHERE s.last_value < (SELECT count(*) FROM "
         "tickets t WHERE t.number LIKE 'TKT-' || CAST(s.year AS TEXT) || '-%')"_s},
    };
    for (const auto &[what, sql] : zeroQueries) {
        const qint64 n = scalar(db, sql);
        if (n != 0)
            return what + u": "_s + QString::number(n);
    }
    return {};
}

} // namespace

class TestStorageDemoSeeder final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data() { TestDatabase::addBackendRows(); }
    void seedsOnceAndConsistently();
    void generatorScalesOrganizations();
};

void TestStorageDemoSeeder::seedsOnceAndConsistently()
{
    MD_TEST_DATABASE(db);
    Database &database = db->database();
    const QDateTime now(QDate(2026, 3, 1), QTime(12, 0), Qt::UTC);
    DemoSeeder seeder(database, now);
    QVERIFY(!seeder.isSeeded());

    QElapsedTimer timer;
    timer.start();
    SeedSummary summary;
    QVERIFY(seeder.seed(&summary));
    qInfo("demo seed: %lld organizations, %lld engineers, %lld equipment, %lld tickets, %lld "
          "assignments in %lld ms",
          summary.organizations, summary.engineers, summary.equipment, summary.tickets,
          summary.assignments, timer.elapsed());
    QVERIFY(seeder.isSeeded());
    const auto counts = tableCounts(database);
    QCOMPARE(counts.value(u"engineers"_s), summary.engineers);
    QCOMPARE(counts.value(u"tickets"_s), summary.tickets);

    // Realistic size and shape.
    QVERIFY(scalar(database, u"SELECT count(*) FROM organizations WHERE type = 'hospital'"_s) >=
            20);
    QVERIFY(scalar(database, u"SELECT count(*) FROM organizations WHERE type = 'manufacturer'"_s) >=
            14);
    QVERIFY(scalar(database,
                   u"SELECT count(*) FROM organizations WHERE type = 'authorized_partner'"_s) >= 5);
    QVERIFY(scalar(database,
                   u"SELECT count(*) FROM organizations WHERE type = 'service_provider'"_s) >= 4);
    QVERIFY(scalar(database, u"SELECT count(*) FROM organizations o WHERE o.type = 'hospital' "
                             "AND o.engineers_count = 0"_s) == 0); // every hospital has a BME team
    QVERIFY(summary.engineers >= 300);
    QVERIFY(summary.equipment >= 2000);
    QVERIFY(summary.tickets >= 2000);
    QCOMPARE(scalar(database,
                    u"SELECT count(*) FROM organizations WHERE name = 'Siemens Healthineers'"_s),
             1);
    QCOMPARE(scalar(database, u"SELECT count(*) FROM equipment WHERE name = 'MAGNETOM Vida'"_s) > 0,
             true);
    QCOMPARE(scalar(database, u"SELECT count(DISTINCT status) FROM tickets"_s), 7);
    QCOMPARE(scalar(database, u"SELECT count(DISTINCT status) FROM assignments"_s), 4);
    QCOMPARE(scalar(database, u"SELECT count(DISTINCT tier) FROM assignments"_s), 4);
    QCOMPARE(scalar(database, u"SELECT count(DISTINCT priority) FROM tickets"_s), 4);
    QVERIFY(
        scalar(database,
               u"SELECT count(*) FROM engineer_certifications WHERE expires_on < '2026-03-01'"_s) >
        0);
    QVERIFY(scalar(database, u"SELECT count(*) FROM engineers WHERE active = FALSE"_s) > 0);
    QVERIFY(scalar(database, u"SELECT count(*) FROM assignments WHERE status = 'reassigned'"_s) >
            0);
    QVERIFY(scalar(database, u"SELECT count(*) FROM engineers WHERE phone NOT LIKE '+%'"_s) == 0);
    QVERIFY(scalar(database, u"SELECT max(created_at) - min(created_at) FROM tickets"_s) >
            100LL * 24 * 3600 * 1000);
    QVERIFY(scalar(database, u"SELECT max(created_at) FROM tickets"_s) <= now.toMSecsSinceEpoch());
    {
        QSqlQuery q(database.connection());
        QVERIFY(q.exec(u"SELECT qr_code FROM equipment"_s));
        int checked = 0;
        while (q.next()) {
            QVERIFY2(domain::QrPayload::isValidCode(q.value(0).toString()),
                     qPrintable(q.value(0).toString()));
            ++checked;
        }
        QCOMPARE(checked, summary.equipment);
    }
    const QString broken = checkConsistency(database);
    QVERIFY2(broken.isEmpty(), qPrintable(broken));

    // The engineers the seeder assigned are among the repository's candidates.
    Repositories repos(database);
    {
        QSqlQuery q(database.connection());
        QVERIFY(q.exec(u"SELECT t.id, t.assigned_engineer_id FROM tickets t WHERE t.status = "
                       "'in_progress' ORDER BY t.id LIMIT 20"_s));
        int checked = 0;
        while (q.next()) {
            const auto result =
                repos.engineers().dispatchCandidates(q.value(0).toString(), now.date());
            QVERIFY(result);
            bool found = false;
            for (const auto &c : result->second)
                found = found || c.engineer.id == q.value(1).toString();
            QVERIFY2(found, qPrintable(q.value(0).toString()));
            ++checked;
        }
        QCOMPARE(checked, 20);
    }

    // A second run (also as a second server would) changes nothing.
    QVERIFY(!seeder.seed());
    DemoSeeder another(database, now.addDays(3));
    QVERIFY(!another.seed());
    QCOMPARE(tableCounts(database), counts);
}

void TestStorageDemoSeeder::generatorScalesOrganizations()
{
    MD_TEST_DATABASE(db);
    Database &database = db->database();
    QElapsedTimer timer;
    timer.start();
    const SeedSummary s = DataGenerator::generate(database, 3000, 30000, 8000);
    qInfo("generated %lld organizations, %lld engineers, %lld equipment, %lld tickets, %lld "
          "assignments in %lld ms",
          s.organizations, s.engineers, s.equipment, s.tickets, s.assignments, timer.elapsed());
    QCOMPARE(s.engineers, 3000);
    QCOMPARE(s.equipment, 30000);
    QCOMPARE(s.tickets, 8000);
    QCOMPARE(scalar(database, u"SELECT count(*) FROM engineers"_s), 3000);
    QCOMPARE(scalar(database, u"SELECT count(*) FROM equipment"_s), 30000);
    QCOMPARE(scalar(database, u"SELECT count(*) FROM tickets"_s), 8000);
    // About 300 devices per hospital: 100 hospitals at 30k equipment.
    QCOMPARE(scalar(database, u"SELECT count(*) FROM organizations WHERE type = 'hospital'"_s),
             100);
    const QString broken = checkConsistency(database);
    QVERIFY2(broken.isEmpty(), qPrintable(broken));

    // New tickets continue the generated numbering.
    Repositories repos(database);
    QSqlQuery q(database.connection());
    QVERIFY(q.exec(u"SELECT id, organization_id FROM equipment ORDER BY id LIMIT 1"_s) && q.next());
    domain::Ticket t;
    t.id = u"00000000-0000-4000-8000-000000000001"_s;
    t.equipmentId = q.value(0).toString();
    t.organizationId = q.value(1).toString();
    t.createdAt = QDateTime::currentDateTimeUtc();
    q.finish();
    repos.tickets().insert(t);
    const qint64 sameYear =
        scalar(database, u"SELECT count(*) FROM tickets WHERE number LIKE 'TKT-"_s +
                             QString::number(t.createdAt.date().year()) + u"-%'"_s);
    QCOMPARE(t.number, domain::formatTicketNumber(t.createdAt.date().year(), sameYear));
}

QTEST_GUILESS_MAIN(TestStorageDemoSeeder)
#include "tst_storage_demoseeder.moc"
