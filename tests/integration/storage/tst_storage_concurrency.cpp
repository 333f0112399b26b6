// Concurrent writers: each creates tickets with their first assignment in one
// transaction. Ticket numbers stay unique and gap-free, every row arrives, and SQLite
// never reports "database is locked" to the caller.

#include "storage/database.h"
#include "storage/repositories.h"
#include "storage/storageerror.h"
#include "testlib/storagefixtures.h"
#include "testlib/testdatabase.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QSet>
#include <QSqlQuery>
#include <QTest>
#include <QThread>

using namespace md;
using namespace md::domain;
using namespace md::storage;
using namespace Qt::Literals::StringLiterals;
using md::testlib::TestDatabase;

class TestStorageConcurrency final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data() { TestDatabase::addBackendRows(); }
    void concurrentTicketWriters();
    void writersOnTwoDatabaseObjects();
};

namespace {

struct Setup
{
    Organization hospital = testlib::makeOrganization(u"H"_s, OrganizationType::Hospital);
    Organization maker = testlib::makeOrganization(u"M"_s, OrganizationType::Manufacturer);
    Equipment device;
    QList<Engineer> engineers;
    explicit Setup(Repositories &repos)
    {
        repos.organizations().insert(hospital);
        repos.organizations().insert(maker);
        device = testlib::makeEquipment(hospital.id, maker.id, u"mri"_s, u"Vida"_s);
        repos.equipment().insert(device);
        for (int i = 0; i < 4; ++i) {
            engineers << testlib::makeEngineer(hospital.id, u"E%1"_s.arg(i), EngineerLevel::L3,
                                               {maker.id}, {u"mri"_s});
            repos.engineers().insert(engineers.last());
        }
    }
};

// Runs `writers` threads, each creating `perWriter` tickets (ticket + assignment in one
// transaction) through its own Repositories on `dbs[i % dbs.size()]`.
QStringList runWriters(const QList<Database *> &dbs, const Setup &setup, int writers, int perWriter,
                       QStringList *errors)
{
    QMutex mutex;
    QStringList numbers;
    QList<QThread *> threads;
    for (int w = 0; w < writers; ++w) {
        threads << QThread::create([&, w] {
            Database &db = *dbs.at(w % dbs.size());
            Repositories repos(db);
            QStringList mine;
            for (int i = 0; i < perWriter; ++i) {
                Ticket t = testlib::makeTicket(setup.device, Priority::Normal, u"T"_s);
                t.createdAt = testlib::fixedTime(i);
                try {
                    db.transaction([&] {
                        repos.tickets().insert(t);
                        repos.assignments().insert(testlib::makeAssignment(
                            t.id, setup.engineers.at(w % setup.engineers.size()).id,
                            AssignmentTier::HospitalBme, t.createdAt));
                        Ticket assigned = t;
                        assigned.status = TicketStatus::Assigned;
                        assigned.assignedAt = t.createdAt;
                        repos.tickets().update(assigned);
                    });
                    mine << t.number;
                } catch (const StorageError &e) {
                    QMutexLocker locker(&mutex);
                    *errors << e.message();
                }
            }
            QMutexLocker locker(&mutex);
            numbers << mine;
        });
    }
    for (QThread *t : threads)
        t->start();
    for (QThread *t : threads) {
        t->wait();
        delete t;
    }
    return numbers;
}

void verifyNumbers(QStringList numbers, int expected)
{
    QCOMPARE(numbers.size(), expected);
    QCOMPARE(QSet<QString>(numbers.begin(), numbers.end()).size(), expected);
    numbers.sort();
    for (int i = 0; i < expected; ++i)
        QCOMPARE(numbers.at(i), u"TKT-2026-%1"_s.arg(i + 1, 6, 10, QChar(u'0')));
}

} // namespace

void TestStorageConcurrency::concurrentTicketWriters()
{
    MD_TEST_DATABASE(db);
    Database &database = db->database();
    Repositories repos(database);
    const Setup setup(repos);

    constexpr int Writers = 4;
    constexpr int PerWriter = 500;
    QStringList errors;
    QElapsedTimer timer;
    timer.start();
    const QStringList numbers = runWriters({&database}, setup, Writers, PerWriter, &errors);
    const qint64 ms = std::max<qint64>(1, timer.elapsed());
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
    verifyNumbers(numbers, Writers * PerWriter);
    qInfo("%d tickets with assignment by %d writers: %.0f/s", Writers * PerWriter, Writers,
          Writers * PerWriter * 1000.0 / double(ms));

    QSqlQuery q(database.connection());
    QVERIFY(q.exec(u"SELECT count(*) FROM tickets t JOIN assignments a ON a.ticket_id = t.id "
                   "WHERE a.status = 'active' AND t.assigned_engineer_id = a.engineer_id"_s));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toInt(), Writers * PerWriter);
    QCOMPARE(repos.organizations().find(setup.hospital.id)->activeTicketsCount,
             Writers * PerWriter);
    int open = 0;
    for (const Engineer &e : setup.engineers)
        open += repos.engineers().find(e.id)->openAssignments;
    QCOMPARE(open, Writers * PerWriter);
}

void TestStorageConcurrency::writersOnTwoDatabaseObjects()
{
    // Two Database objects on one file behave like two processes: no shared in-process
    // write lock, so SQLite's busy handling and the retry loop do the queueing.
    MD_TEST_DATABASE(db);
    Repositories repos(db->database());
    const Setup setup(repos);
    const auto config = DatabaseConfig::parse(db->location());
    QVERIFY(config);
    Database second(*config);
    QStringList errors;
    const QStringList numbers = runWriters({&db->database(), &second}, setup, 4, 100, &errors);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
    verifyNumbers(numbers, 400);
}

QTEST_GUILESS_MAIN(TestStorageConcurrency)
#include "tst_storage_concurrency.moc"
