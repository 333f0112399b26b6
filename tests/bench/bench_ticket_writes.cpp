// bench_ticket_writes: concurrent ticket creation on SQLite. N writer threads share one
// storage::Database (each thread has its own connection, as in the server) and each
// creates tickets with their history row in one transaction for a fixed time. Reports
// tickets/s, "database is locked"/busy errors (target: none) and checks afterwards that
// every committed ticket and history row is in the file. See docs/benchmarks.md.

#include "benchsupport.h"

#include "domain/slapolicy.h"
#include "storage/database.h"
#include "storage/datagenerator.h"
#include "storage/repositories.h"
#include "storage/storageerror.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QThread>
#include <QUuid>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <latch>
#include <memory>
#include <thread>

using namespace Qt::StringLiterals;
using namespace md;

namespace {

constexpr double TicketsPerSecondTarget = 2000;

struct Target
{
    QString equipmentId;
    QString organizationId;
};

struct WriterResult
{
    qint64 commits = 0;
    qint64 busyErrors = 0; // SQLITE_BUSY / "database is locked" that reached the caller
    qint64 otherErrors = 0;
    QString firstError;
    QList<qint64> commitNanos;
    std::chrono::steady_clock::time_point finished;
};

bool isBusy(const storage::StorageError &e)
{
    const QString m = e.message().toLower();
    return e.kind() == storage::StorageError::Kind::Busy || m.contains(u"locked"_s) ||
           m.contains(u"busy"_s);
}

// The ticket's history row ("created"), written in the ticket's transaction, as
// POST /v1/tickets does.
constexpr auto HistoryRowKind = "ticket_history row (TicketRepository::appendHistory, created)";
QString writeHistoryRow(storage::Repositories &repos, const domain::Ticket &ticket, const QString &)
{
    domain::TicketHistoryEntry e;
    e.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    e.ticketId = ticket.id;
    e.kind = domain::TicketHistoryEntry::Kind::Created;
    e.at = ticket.createdAt;
    e.actor = u"bench_ticket_writes"_s;
    e.toStatus = domain::TicketStatus::New;
    e.note = u"via api"_s;
    repos.tickets().appendHistory(e);
    return e.id;
}
const QString HistoryTable = u"ticket_history"_s;

WriterResult runWriter(storage::Database &db, const QList<Target> &targets,
                       const QStringList &engineers, int index,
                       std::chrono::steady_clock::time_point startAt,
                       std::chrono::steady_clock::time_point deadline, std::latch &ready)
{
    WriterResult result;
    storage::Repositories repos(db);
    QRandomGenerator rng(7919u * quint32(index + 1));
    db.connection(); // open before the clock starts
    ready.arrive_and_wait();
    std::this_thread::sleep_until(startAt);
    QElapsedTimer timer;
    while (std::chrono::steady_clock::now() < deadline) {
        const Target &target = targets.at(rng.bounded(int(targets.size())));
        domain::Ticket t;
        t.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        t.equipmentId = target.equipmentId;
        t.organizationId = target.organizationId;
        t.channel = domain::TicketChannel::Api;
        t.priority = domain::Priority::High;
        t.status = domain::TicketStatus::Assigned;
        t.title = u"Flow sensor failure"_s;
        t.description =
            u"Ventilator reports a flow sensor failure during self-test; writer %1."_s.arg(index);
        t.reporterName = u"Anna Müller"_s;
        t.reporterContact = u"+49 30 1234567"_s;
        t.createdAt = t.updatedAt = t.assignedAt = QDateTime::currentDateTimeUtc();
        t.responseDueAt = domain::SlaPolicy::responseDue(t.priority, t.createdAt);
        t.resolutionDueAt = domain::SlaPolicy::resolutionDue(t.priority, t.createdAt);
        const QString engineerId = engineers.at(rng.bounded(int(engineers.size())));
        timer.start();
        try {
            db.transaction([&] {
                repos.tickets().insert(t);
                writeHistoryRow(repos, t, engineerId);
            });
            result.commitNanos << timer.nsecsElapsed();
            ++result.commits;
        } catch (const storage::StorageError &e) {
            if (isBusy(e))
                ++result.busyErrors;
            else
                ++result.otherErrors;
            if (result.firstError.isEmpty())
                result.firstError = e.message();
        }
    }
    result.finished = std::chrono::steady_clock::now();
    return result;
}

qint64 scalar(storage::Database &db, const QString &sql)
{
    QSqlQuery q(db.connection());
    if (!q.exec(sql) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication application(argc, argv);
    QCoreApplication::setApplicationName(u"bench_ticket_writes"_s);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Concurrent ticket + history-row transactions on SQLite."_s);
    parser.addHelpOption();
    const QCommandLineOption threadsOption(u"threads"_s, u"writer threads (default 4)"_s, u"n"_s,
                                           u"4"_s);
    const QCommandLineOption durationOption(u"duration"_s, u"seconds of writing (default 10)"_s,
                                            u"s"_s, u"10"_s);
    const QCommandLineOption outOption(u"out"_s, u"write the result rows (TSV) to this file"_s,
                                       u"path"_s);
    parser.addOptions({threadsOption, durationOption, outOption});
    parser.process(application);
    const int threads = std::clamp(parser.value(threadsOption).toInt(), 1, 64);
    const double duration = std::max(0.1, parser.value(durationOption).toDouble());

    bench::Report report(u"bench_ticket_writes"_s);
    report.meta(u"Qt"_s, QString::fromLatin1(qVersion()));
    report.meta(u"machine"_s, bench::machineDescription());
    report.info(u"SQLite, %1 writers"_s.arg(threads), u"load average at start (1/5/15 min)"_s,
                bench::loadAverage());

    QTemporaryDir dir;
    storage::DatabaseConfig config;
    config.backend = storage::Backend::Sqlite;
    config.sqlitePath = dir.filePath(u"writes.sqlite"_s);
    storage::Database db(config);
    db.migrate();
    // Equipment and engineers to write tickets for: a small generated data set.
    storage::DataGenerator::generate(db, 200, 2000, 100);
    {
        QSqlQuery q(db.connection());
        if (q.exec(u"SELECT sqlite_version()"_s) && q.next())
            report.meta(u"SQLite"_s, q.value(0).toString());
    }

    QList<Target> targets;
    {
        QSqlQuery q(db.connection());
        q.exec(u"SELECT id, organization_id FROM equipment ORDER BY id LIMIT 1000"_s);
        while (q.next())
            targets.append({q.value(0).toString(), q.value(1).toString()});
    }
    QStringList engineers;
    {
        QSqlQuery q(db.connection());
        q.exec(u"SELECT id FROM engineers WHERE active = 1 ORDER BY id LIMIT 100"_s);
        while (q.next())
            engineers << q.value(0).toString();
    }
    if (targets.isEmpty() || engineers.isEmpty()) {
        report.fail(u"the generated data set has no equipment or engineers"_s);
        return report.finish(parser.value(outOption));
    }
    const qint64 ticketsBefore = scalar(db, u"SELECT COUNT(*) FROM tickets"_s);
    const qint64 historyBefore = scalar(db, u"SELECT COUNT(*) FROM "_s + HistoryTable);

    // All writers start together, once their connections are open; the rate is over
    // the time from that start until the last writer's last commit.
    const auto startAt = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
    const auto deadline = startAt + std::chrono::milliseconds(qint64(duration * 1000));
    std::latch ready(threads);
    std::vector<WriterResult> results(threads);
    std::vector<std::unique_ptr<QThread>> workers;
    for (int i = 0; i < threads; ++i) {
        workers.emplace_back(QThread::create([&, i] {
            results[i] = runWriter(db, targets, engineers, i, startAt, deadline, ready);
        }));
    }
    for (auto &w : workers)
        w->start();
    for (auto &w : workers)
        w->wait();
    auto lastFinish = startAt;
    for (const WriterResult &r : results)
        lastFinish = std::max(lastFinish, r.finished);
    const double seconds =
        std::max(1e-3, std::chrono::duration<double>(lastFinish - startAt).count());

    qint64 commits = 0, busy = 0, other = 0;
    QList<qint64> allNanos;
    for (int i = 0; i < threads; ++i) {
        const WriterResult &r = results[i];
        commits += r.commits;
        busy += r.busyErrors;
        other += r.otherErrors;
        allNanos << r.commitNanos;
        report.info(
            u"SQLite, %1 writers"_s.arg(threads), u"writer %1"_s.arg(i + 1),
            u"%1 tickets, %2/s, busy errors %3, other errors %4%5"_s.arg(r.commits)
                .arg(bench::number(double(r.commits) / seconds))
                .arg(r.busyErrors)
                .arg(r.otherErrors)
                .arg(r.firstError.isEmpty() ? QString() : u" (first: "_s + r.firstError + u')'));
    }
    const QString section = u"SQLite, %1 writers"_s.arg(threads);
    const double perSecond = double(commits) / seconds;
    report.info(section, u"history row"_s, QString::fromLatin1(HistoryRowKind));
    report.info(section, u"run"_s,
                u"%1 tickets in %2 s"_s.arg(commits).arg(bench::number(seconds, 2)));
    report.info(section, u"commit latency (ticket + history row)"_s,
                bench::LatencyStats::of(allNanos).describe());

    // Every successful commit must be in the file, with its history row.
    const qint64 ticketsAdded = scalar(db, u"SELECT COUNT(*) FROM tickets"_s) - ticketsBefore;
    const qint64 historyAdded =
        scalar(db, u"SELECT COUNT(*) FROM "_s + HistoryTable) - historyBefore;
    const qint64 numbers = scalar(db, u"SELECT COUNT(DISTINCT number) FROM tickets"_s);
    const qint64 allTickets = scalar(db, u"SELECT COUNT(*) FROM tickets"_s);
    report.info(
        section, u"rows after the run"_s,
        u"%1 tickets and %2 history rows added for %3 commits; %4 distinct numbers for %5 tickets"_s
            .arg(ticketsAdded)
            .arg(historyAdded)
            .arg(commits)
            .arg(numbers)
            .arg(allTickets));
    if (ticketsAdded != commits || historyAdded != commits)
        report.fail(
            u"rows lost or extra: %1 tickets, %2 history rows for %3 commits"_s.arg(ticketsAdded)
                .arg(historyAdded)
                .arg(commits));
    if (numbers != allTickets)
        report.fail(u"duplicate ticket numbers"_s);
    if (other > 0)
        report.fail(u"%1 transactions failed with errors other than busy"_s.arg(other));
    if (commits == 0)
        report.fail(u"no ticket was written"_s);

    report.target(section, u"tickets with history row per second"_s,
                  u"%1/s (%2/s per writer)"_s.arg(bench::number(perSecond))
                      .arg(bench::number(perSecond / threads)),
                  u"≥ %1/s with 4 writers"_s.arg(bench::number(TicketsPerSecondTarget)),
                  threads == 4 && duration >= 5
                      ? bench::verdict(perSecond >= TicketsPerSecondTarget)
                      : bench::Verdict::NotApplicable);
    report.target(section, u"\"database is locked\" / busy errors"_s, QString::number(busy), u"0"_s,
                  bench::verdict(busy == 0));
    report.target(section, u"committed rows present afterwards"_s,
                  u"%1 of %2"_s.arg(std::min(ticketsAdded, historyAdded)).arg(commits), u"all"_s,
                  bench::verdict(ticketsAdded == commits && historyAdded == commits));
    return report.finish(parser.value(outOption));
}
