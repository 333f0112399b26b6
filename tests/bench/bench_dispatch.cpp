// bench_dispatch: dispatch suggestions and the organization list at growing sizes, over
// real HTTP against an in-process ServerApp, on SQLite and PostgreSQL. What it measures
// and how to read it: docs/benchmarks.md.

#include "benchsupport.h"

#include "auth/authservice.h"

#include "domain/assignmentengine.h"
#include "domain/clock.h"
#include "http/logging.h"
#include "serverapp.h"
#include "storage/authrepositories.h"
#include "storage/database.h"
#include "storage/datagenerator.h"
#include "storage/repositories.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QUuid>
#include <cstdio>
#include <functional>
#include <memory>

#ifndef MD_BENCH_DATASET_KEY
#define MD_BENCH_DATASET_KEY "unversioned"
#endif

using namespace Qt::StringLiterals;
using namespace md;
using bench::LatencyStats;
using bench::Report;
using bench::Verdict;

namespace {

// The targets of issue 2 ("Benchmarks").
constexpr double SuggestionP99TargetMs = 5.0;  // at 100k engineers
constexpr double SuggestionGrowthTarget = 3.0; // p99 at 100k / p99 at 1k
constexpr double OrganizationsP99TargetMs = 10.0;
constexpr int TargetSize = 100'000;
constexpr int BaseSize = 1'000;

struct Options
{
    QStringList backends;
    QList<int> sizes;
    QString pgUrl;
    QString out;
    QString cacheDir;
    int requests = 1000;
    int warmup = 100;
    int organizationRequests = 1000;
    bool analyze = false;
    quint32 seed = 20240601;
};

/// A generated database, ready for a server: where it is and what making it cost.
struct Dataset
{
    QString location; // SQLite path or postgresql:// URL
    double generationSeconds = 0;
    bool cached = false;
    storage::SeedSummary summary;
    std::unique_ptr<QTemporaryDir> tempDir;
    std::function<void()> drop; // PostgreSQL: DROP DATABASE
    ~Dataset()
    {
        if (drop)
            drop();
    }
};

QString backendName(storage::Backend b)
{
    return b == storage::Backend::Sqlite ? u"sqlite"_s : u"postgres"_s;
}

QString sizeLabel(int engineers)
{
    if (engineers % 1000 == 0)
        return QString::number(engineers / 1000) + u'k';
    return QString::number(engineers);
}

void runAnalyze(storage::Database &db)
{
    QSqlQuery q(db.connection());
    q.exec(u"ANALYZE"_s);
}

storage::SeedSummary generate(storage::Database &db, int engineers, quint32 seed)
{
    db.migrate();
    return storage::DataGenerator::generate(db, engineers, engineers * 10, engineers * 5, seed);
}

QString summaryText(const storage::SeedSummary &s)
{
    return u"%1 organizations, %2 engineers, %3 equipment, %4 tickets, %5 assignments"_s
        .arg(s.organizations)
        .arg(s.engineers)
        .arg(s.equipment)
        .arg(s.tickets)
        .arg(s.assignments);
}

// SQLite data sets may be kept in --cache-dir, keyed by size, seed and a hash of the
// generator, its catalog and the schema (MD_BENCH_DATASET_KEY, computed by CMake). A
// file is only renamed into place once complete; a JSON sidecar keeps what making it
// cost, so a cached run still reports the generation time.
std::unique_ptr<Dataset> prepareSqlite(const Options &options, int engineers, QString *error)
{
    auto dataset = std::make_unique<Dataset>();
    QString path;
    if (options.cacheDir.isEmpty()) {
        dataset->tempDir = std::make_unique<QTemporaryDir>();
        path = dataset->tempDir->filePath(u"bench.sqlite"_s);
    } else {
        QDir().mkpath(options.cacheDir);
        path = QDir(options.cacheDir)
                   .filePath(u"dispatch-%1-seed%2-%3.sqlite"_s.arg(engineers)
                                 .arg(options.seed)
                                 .arg(QLatin1StringView(MD_BENCH_DATASET_KEY)));
        QFile sidecar(path + u".json"_s);
        if (QFileInfo::exists(path) && sidecar.open(QIODevice::ReadOnly)) {
            const QJsonObject o = QJsonDocument::fromJson(sidecar.readAll()).object();
            dataset->location = path;
            dataset->cached = true;
            dataset->generationSeconds = o.value(u"generation_seconds"_s).toDouble();
            dataset->summary.organizations = o.value(u"organizations"_s).toInteger();
            dataset->summary.engineers = o.value(u"engineers"_s).toInteger();
            dataset->summary.equipment = o.value(u"equipment"_s).toInteger();
            dataset->summary.tickets = o.value(u"tickets"_s).toInteger();
            dataset->summary.assignments = o.value(u"assignments"_s).toInteger();
            return dataset;
        }
    }
    if (!options.cacheDir.isEmpty()) {
        // Files of an older generator or schema can never be used again: drop them.
        const QString current = QLatin1StringView(MD_BENCH_DATASET_KEY);
        QDir cache(options.cacheDir);
        for (const QString &name : cache.entryList({u"dispatch-*.sqlite*"_s}, QDir::Files)) {
            if (!name.contains(current))
                cache.remove(name);
        }
    }
    const QString partial = path + u".partial"_s;
    for (const QString &suffix : {u""_s, u"-wal"_s, u"-shm"_s})
        QFile::remove(partial + suffix);
    {
        storage::DatabaseConfig config;
        config.backend = storage::Backend::Sqlite;
        config.sqlitePath = partial;
        storage::Database db(config);
        QElapsedTimer timer;
        timer.start();
        try {
            dataset->summary = generate(db, engineers, options.seed);
        } catch (const std::exception &e) {
            *error = u"generation failed: "_s + QString::fromUtf8(e.what());
            return nullptr;
        }
        dataset->generationSeconds = double(timer.nsecsElapsed()) / 1e9;
        if (options.analyze)
            runAnalyze(db);
    } // closing the last connection checkpoints the WAL into the file
    QFile::remove(path);
    if (!QFile::rename(partial, path)) {
        *error = u"cannot rename %1"_s.arg(partial);
        return nullptr;
    }
    if (!options.cacheDir.isEmpty()) {
        QFile sidecar(path + u".json"_s);
        if (sidecar.open(QIODevice::WriteOnly)) {
            const auto &s = dataset->summary;
            sidecar.write(
                QJsonDocument(QJsonObject{{u"generation_seconds"_s, dataset->generationSeconds},
                                          {u"organizations"_s, s.organizations},
                                          {u"engineers"_s, s.engineers},
                                          {u"equipment"_s, s.equipment},
                                          {u"tickets"_s, s.tickets},
                                          {u"assignments"_s, s.assignments}})
                    .toJson());
        }
    }
    dataset->location = path;
    return dataset;
}

// PostgreSQL data sets are made fresh in a new database of the (throwaway) cluster and
// dropped afterwards.
std::unique_ptr<Dataset> preparePostgres(const Options &options, int engineers, QString *error)
{
    auto dataset = std::make_unique<Dataset>();
    const QString name = u"md_bench_%1_%2"_s.arg(engineers).arg(
        QRandomGenerator::global()->generate() & 0xffffff, 0, 36);
    if (!bench::postgresAdmin(options.pgUrl,
                              u"CREATE DATABASE %1 ENCODING 'UTF8' TEMPLATE template0"_s.arg(name),
                              error))
        return nullptr;
    const QString adminUrl = options.pgUrl;
    dataset->drop = [adminUrl, name] {
        QString dropError;
        if (!bench::postgresAdmin(adminUrl, u"DROP DATABASE IF EXISTS %1 WITH (FORCE)"_s.arg(name),
                                  &dropError))
            std::fprintf(stderr, "bench_dispatch: %s\n", qUtf8Printable(dropError));
    };
    dataset->location = bench::postgresUrlFor(options.pgUrl, name);
    const auto config = storage::DatabaseConfig::parse(dataset->location, error);
    if (!config)
        return nullptr;
    storage::Database db(*config);
    QElapsedTimer timer;
    timer.start();
    try {
        dataset->summary = generate(db, engineers, options.seed);
    } catch (const std::exception &e) {
        *error = u"generation failed: "_s + QString::fromUtf8(e.what());
        return nullptr;
    }
    dataset->generationSeconds = double(timer.nsecsElapsed()) / 1e9;
    if (options.analyze)
        runAnalyze(db);
    return dataset;
}

QStringList pickTickets(storage::Database &db, int count, quint32 seed)
{
    QStringList all;
    QSqlQuery q(db.connection());
    q.setForwardOnly(true);
    q.exec(u"SELECT id FROM tickets ORDER BY id"_s);
    while (q.next())
        all << q.value(0).toString();
    QStringList picked;
    if (all.isEmpty())
        return picked;
    QRandomGenerator rng(seed);
    for (int i = 0; i < count; ++i)
        picked << all.at(rng.bounded(int(all.size())));
    return picked;
}

qint64 pageTotal(const QByteArray &body, qsizetype *items = nullptr)
{
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    if (items)
        *items = o.value(u"data"_s).toArray().size();
    if (!o.value(u"page"_s).isObject())
        return -1;
    return o.value(u"page"_s).toObject().value(u"total"_s).toInteger(-1);
}

/// What one backend-and-size run measured, for the growth figure.
struct SizeResult
{
    int engineers = 0;
    LatencyStats http;
};

class DispatchBench final
{
public:
    DispatchBench(const Options &options, Report &report) : m_options(options), m_report(report) {}

    void run(storage::Backend backend, int engineers, bool top, Dataset &dataset);
    QMap<QString, QList<SizeResult>> results; // by backend name

private:
    LatencyStats measureGets(bench::SyncHttpClient &client, const QString &section,
                             const QString &path, int requests, qint64 *pageTotal);

    const Options &m_options;
    Report &m_report;
};

LatencyStats DispatchBench::measureGets(bench::SyncHttpClient &client, const QString &section,
                                        const QString &path, int requests, qint64 *lastTotal)
{
    for (int i = 0; i < m_options.warmup; ++i)
        client.get(path);
    QList<qint64> nanos;
    nanos.reserve(requests);
    int bad = 0;
    qint64 total = -1;
    for (int i = 0; i < requests; ++i) {
        const bench::TimedReply r = client.get(path);
        nanos << r.nanos;
        qsizetype items = 0;
        total = pageTotal(r.body, &items);
        if (r.status != 200 || total < 0 || items == 0)
            ++bad;
    }
    if (bad)
        m_report.fail(
            u"%1: %2 of %3 replies of %4 were not 200 with a non-empty page"_s.arg(section)
                .arg(bad)
                .arg(requests)
                .arg(path));
    *lastTotal = total;
    return LatencyStats::of(nanos);
}

// A dispatch-centre admin signed in for the run (created once per data set).
static QByteArray dispatcherToken(server::ServerApp &app)
{
    storage::Repositories repos(app.database());
    const QString email = u"bench.dispatcher@meddispatch.example"_s;
    std::optional<domain::User> user = repos.users().findByIdentifier(email);
    if (!user) {
        domain::User u;
        u.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        u.name = u"Benchmark Dispatcher"_s;
        u.email = email;
        u.role = domain::Role::Admin;
        u.verified = true;
        u.createdAt = u.updatedAt = QDateTime::currentDateTimeUtc();
        app.database().transaction([&] { repos.users().insert(u); });
        user = u;
    }
    return app.auth().issueAccessToken(*user, {},
                                       QUuid::createUuid().toString(QUuid::WithoutBraces));
}

void DispatchBench::run(storage::Backend backend, int engineers, bool top, Dataset &dataset)
{
    const QString section = u"%1 %2"_s.arg(backendName(backend), sizeLabel(engineers));
    m_report.info(section, u"load average at start (1/5/15 min)"_s, bench::loadAverage());
    QTemporaryDir dataDir;
    server::ServerConfig config;
    config.listenAddress = QHostAddress::LocalHost;
    config.listenPort = 0;
    config.database = dataset.location;
    config.dataDir = dataDir.path();
    config.rateLimitPerMinute = 0; // one client, thousands of requests
    server::ServerApp app(config);
    QString error;
    if (!app.start(&error)) {
        m_report.fail(section + u": the server did not start: "_s + error);
        return;
    }
    storage::Database &db = app.database();
    const int warmup = m_options.warmup;
    const QStringList tickets =
        pickTickets(db, warmup + m_options.requests, m_options.seed + engineers);
    if (tickets.isEmpty()) {
        m_report.fail(section + u": the data set has no tickets"_s);
        return;
    }
    bench::SyncHttpClient client(QUrl(u"http://127.0.0.1:%1"_s.arg(app.port())));
    client.setBearer(dispatcherToken(app));

    // Suggestions over HTTP: the first `warmup` tickets are not measured.
    // QString, not auto: with QT_USE_QSTRINGBUILDER `+` makes a builder of references.
    const auto suggestionPath = [](const QString &id) -> QString {
        return u"/v1/engineers/suggestions?ticket_id="_s + id;
    };
    for (int i = 0; i < warmup && i < tickets.size(); ++i)
        client.get(suggestionPath(tickets.at(i)));
    QList<qint64> httpNanos;
    QList<qint64> candidateCounts;
    QHash<QString, qint64> httpTotals;
    qint64 candidateSum = 0;
    int zeroCandidates = 0;
    int bad = 0;
    QString firstBad;
    for (qsizetype i = warmup; i < tickets.size(); ++i) {
        const bench::TimedReply r = client.get(suggestionPath(tickets.at(i)));
        httpNanos << r.nanos;
        const qint64 total = pageTotal(r.body);
        if (r.status != 200 || r.body.isEmpty() || total < 0) {
            if (!bad++)
                firstBad = u"status %1 %2 %3"_s.arg(r.status).arg(
                    r.error, QString::fromUtf8(r.body.left(200)));
            continue;
        }
        httpTotals.insert(tickets.at(i), total);
        candidateCounts << total;
        candidateSum += total;
        if (total == 0)
            ++zeroCandidates;
    }
    const qsizetype measured = tickets.size() - warmup;
    if (bad)
        m_report.fail(
            u"%1: %2 of %3 suggestion replies were not 200 with a page (first: %4)"_s.arg(section)
                .arg(bad)
                .arg(measured)
                .arg(firstBad));
    const LatencyStats http = LatencyStats::of(httpNanos);
    results[backendName(backend)].append({engineers, http});

    m_report.info(section, u"data set"_s, summaryText(dataset.summary));
    m_report.info(section, u"data generation"_s,
                  u"%1 s%2"_s.arg(bench::number(dataset.generationSeconds, 1),
                                  dataset.cached ? u" (cached file, time of the run that made it)"_s
                                                 : QString()));
    m_report.info(section, u"suggestions over HTTP"_s, http.describe());
    m_report.info(section, u"suggestions: mean candidates per ticket"_s,
                  u"%1 (tickets with none: %2 of %3)"_s
                      .arg(bench::number(measured ? double(candidateSum) / double(measured) : 0, 1))
                      .arg(zeroCandidates)
                      .arg(measured));
    std::sort(candidateCounts.begin(), candidateCounts.end());
    if (!candidateCounts.isEmpty())
        m_report.info(section, u"suggestions: candidates per ticket, p50 / p99 / max"_s,
                      u"%1 / %2 / %3"_s.arg(candidateCounts.at(candidateCounts.size() / 2))
                          .arg(candidateCounts.at(qsizetype(double(candidateCounts.size()) * 0.99)))
                          .arg(candidateCounts.last()));

    // The same work in-process: storage (dispatchCandidates) and ranking, no HTTP.
    storage::Repositories repos(db);
    const QDate today = domain::Clock::system().now().date();
    for (int i = 0; i < warmup && i < tickets.size(); ++i) {
        if (auto found = repos.engineers().dispatchCandidates(tickets.at(i), today))
            domain::AssignmentEngine::rank(found->second, found->first);
    }
    QList<qint64> storageNanos, rankNanos, bothNanos;
    int mismatches = 0;
    QElapsedTimer timer;
    for (qsizetype i = warmup; i < tickets.size(); ++i) {
        timer.start();
        const auto found = repos.engineers().dispatchCandidates(tickets.at(i), today);
        const qint64 storageNs = timer.nsecsElapsed();
        if (!found) {
            m_report.fail(section + u": dispatchCandidates found no ticket "_s + tickets.at(i));
            continue;
        }
        const QList<domain::Suggestion> ranked =
            domain::AssignmentEngine::rank(found->second, found->first);
        const qint64 allNs = timer.nsecsElapsed();
        storageNanos << storageNs;
        rankNanos << allNs - storageNs;
        bothNanos << allNs;
        const auto it = httpTotals.constFind(tickets.at(i));
        if (it != httpTotals.cend() && *it != ranked.size())
            ++mismatches;
    }
    if (mismatches)
        m_report.fail(u"%1: %2 tickets had a different suggestion count in-process than over HTTP"_s
                          .arg(section)
                          .arg(mismatches));
    const LatencyStats inProcess = LatencyStats::of(bothNanos);
    m_report.info(section, u"in-process storage (dispatchCandidates)"_s,
                  LatencyStats::of(storageNanos).describe());
    m_report.info(section, u"in-process ranking (AssignmentEngine::rank)"_s,
                  LatencyStats::of(rankNanos).describe());
    m_report.info(section, u"in-process storage + ranking"_s, inProcess.describe());
    m_report.info(section, u"HTTP + JSON (mean over HTTP − mean in-process)"_s,
                  u"%1 of %2"_s.arg(bench::ms(http.mean - inProcess.mean), bench::ms(http.mean)));

    const bool atTarget = engineers == TargetSize;
    m_report.target(section, u"suggestions p99 (HTTP)"_s, bench::ms(http.p99),
                    u"≤ %1 at 100k engineers"_s.arg(bench::ms(SuggestionP99TargetMs)),
                    atTarget ? bench::verdict(http.p99 <= SuggestionP99TargetMs)
                             : Verdict::NotApplicable);

    if (!top)
        return;
    // The organization list with counts, at the largest size of the run.
    const QString orgPaths[] = {
        u"/v1/organizations?include_counts=true"_s,
        u"/v1/organizations?include_counts=true&type=hospital&q=university"_s};
    const QString orgNames[] = {u"organizations, default page of 50"_s,
                                u"organizations, type=hospital&q=university"_s};
    for (int k = 0; k < 2; ++k) {
        qint64 total = 0;
        const LatencyStats s = measureGets(client, section + u" "_s + orgNames[k], orgPaths[k],
                                           m_options.organizationRequests, &total);
        m_report.info(section, orgNames[k],
                      s.describe() + u", %1 organizations match"_s.arg(total));
        m_report.target(section, orgNames[k] + u" p99"_s, bench::ms(s.p99),
                        u"≤ %1 at 1M equipment"_s.arg(bench::ms(OrganizationsP99TargetMs)),
                        dataset.summary.equipment >= 1'000'000
                            ? bench::verdict(s.p99 <= OrganizationsP99TargetMs)
                            : Verdict::NotApplicable);
    }
}

std::optional<Options> parse(const QStringList &arguments, QString *error)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Dispatch suggestions and organization counts over real HTTP at growing sizes."_s);
    parser.addHelpOption();
    const QCommandLineOption backend(u"backend"_s, u"sqlite, postgres or both (default sqlite)"_s,
                                     u"name"_s, u"sqlite"_s);
    const QCommandLineOption sizes(
        u"sizes"_s, u"engineer counts, comma-separated (equipment = 10×, tickets = 5×)"_s,
        u"list"_s, u"1000,10000,100000"_s);
    const QCommandLineOption pgUrl(u"pg-url"_s, u"PostgreSQL maintenance database URL"_s, u"url"_s);
    const QCommandLineOption pgUrlFile(u"pg-url-file"_s, u"file whose first line is --pg-url"_s,
                                       u"path"_s);
    const QCommandLineOption out(u"out"_s, u"write the result rows (TSV) to this file"_s,
                                 u"path"_s);
    const QCommandLineOption cacheDir(
        u"cache-dir"_s, u"keep generated SQLite data sets here and reuse them"_s, u"dir"_s);
    const QCommandLineOption requests(u"requests"_s, u"measured suggestion requests per size"_s,
                                      u"n"_s, u"1000"_s);
    const QCommandLineOption warmup(u"warmup"_s, u"unmeasured requests first"_s, u"n"_s, u"100"_s);
    const QCommandLineOption orgRequests(
        u"org-requests"_s, u"measured organization requests (default: --requests)"_s, u"n"_s);
    const QCommandLineOption analyze(
        u"analyze"_s, u"run ANALYZE after generating (on top of what DataGenerator does)"_s);
    const QCommandLineOption logLevel(u"log-level"_s, u"server log level (default warn)"_s,
                                      u"level"_s, u"warn"_s);
    parser.addOptions({backend, sizes, pgUrl, pgUrlFile, out, cacheDir, requests, warmup,
                       orgRequests, analyze, logLevel});
    parser.process(arguments);

    Options o;
    const QString b = parser.value(backend);
    if (b == u"both")
        o.backends = {u"sqlite"_s, u"postgres"_s};
    else if (b == u"sqlite" || b == u"postgres")
        o.backends = {b};
    else {
        *error = u"--backend must be sqlite, postgres or both"_s;
        return std::nullopt;
    }
    for (const QString &s : parser.value(sizes).split(u',', Qt::SkipEmptyParts)) {
        bool ok = false;
        const int n = s.trimmed().toInt(&ok);
        if (!ok || n < 10) {
            *error = u"bad size: "_s + s;
            return std::nullopt;
        }
        o.sizes << n;
    }
    std::sort(o.sizes.begin(), o.sizes.end());
    o.pgUrl = parser.value(pgUrl);
    if (o.pgUrl.isEmpty() && parser.isSet(pgUrlFile)) {
        const auto line = bench::readFirstLine(parser.value(pgUrlFile), error);
        if (!line)
            return std::nullopt;
        o.pgUrl = *line;
    }
    if (o.backends.contains(u"postgres"_s) && o.pgUrl.isEmpty()) {
        *error = u"--backend postgres needs --pg-url or --pg-url-file"_s;
        return std::nullopt;
    }
    o.out = parser.value(out);
    o.cacheDir = parser.value(cacheDir);
    o.requests = std::max(1, parser.value(requests).toInt());
    o.warmup = std::max(0, parser.value(warmup).toInt());
    o.organizationRequests =
        parser.isSet(orgRequests) ? std::max(1, parser.value(orgRequests).toInt()) : o.requests;
    o.analyze = parser.isSet(analyze);
    server::logging::setup(parser.value(logLevel));
    return o;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication application(argc, argv);
    QCoreApplication::setApplicationName(u"bench_dispatch"_s);
    QString error;
    const auto options = parse(QCoreApplication::arguments(), &error);
    if (!options) {
        std::fprintf(stderr, "bench_dispatch: %s\n", qUtf8Printable(error));
        return 2;
    }

    Report report(u"bench_dispatch"_s);
    report.meta(u"Qt"_s, QString::fromLatin1(qVersion()));
    report.meta(u"machine"_s, bench::machineDescription());
    report.meta(u"dispatch data set key"_s, QString::fromLatin1(MD_BENCH_DATASET_KEY));
    report.meta(u"dispatch ANALYZE after generation"_s, options->analyze ? u"yes"_s : u"no"_s);
    DispatchBench bench(*options, report);
    for (const QString &name : options->backends) {
        const auto backend =
            name == u"sqlite" ? storage::Backend::Sqlite : storage::Backend::Postgres;
        for (const int size : options->sizes) {
            const QString section = u"%1 %2"_s.arg(name, sizeLabel(size));
            std::printf(
                "[bench_dispatch] %s: preparing %d engineers, %d equipment, %d tickets...\n",
                qUtf8Printable(section), size, size * 10, size * 5);
            std::fflush(stdout);
            const auto dataset = backend == storage::Backend::Sqlite
                                     ? prepareSqlite(*options, size, &error)
                                     : preparePostgres(*options, size, &error);
            if (!dataset) {
                report.fail(section + u": "_s + error);
                continue;
            }
            bench.run(backend, size, size == options->sizes.last(), *dataset);
        }
        // Growth of the suggestion p99 from the smallest to the largest size.
        const QList<SizeResult> &r = bench.results.value(name);
        if (r.size() >= 2 && r.first().http.p99 > 0) {
            const double growth = r.last().http.p99 / r.first().http.p99;
            const bool applicable =
                r.first().engineers == BaseSize && r.last().engineers == TargetSize;
            report.target(name,
                          u"suggestions p99 growth %1 → %2"_s.arg(sizeLabel(r.first().engineers),
                                                                  sizeLabel(r.last().engineers)),
                          bench::number(growth, 2) + u"×"_s,
                          u"≤ %1× from 1k to 100k"_s.arg(bench::number(SuggestionGrowthTarget, 0)),
                          applicable ? bench::verdict(growth <= SuggestionGrowthTarget)
                                     : Verdict::NotApplicable);
        }
    }
    return report.finish(options->out);
}
