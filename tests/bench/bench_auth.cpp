// bench_auth: the authentication figures of issue 3, on a real in-process ServerApp
// (SQLite, the demo data set) over real sockets. What it measures and how to read it:
// docs/benchmarks.md, section "Authentication".
//
//   1. /healthz latency while 16 clients log in with cost-12 passwords without pause;
//   2. login latency with one login per core at a time, then a burst of logins beyond
//      the PasswordGate's pending bound (prompt 503/429 expected, not a queue);
//   3. GET /v1/organizations/{id} under wrk with a bearer token, beside the same route
//      on a second HttpServer of this process whose `before` hook sets a fixed
//      principal without looking at any token;
//   4. bcrypt cost-12 hash/verify and RS256 sign/verify per call.
//
// Client threads use plain blocking sockets (one connection each); the servers run on
// the main thread's event loop, which keeps running while a phase's threads work.

#include "benchsupport.h"

#include "auth/authroutes.h"
#include "auth/authservice.h"
#include "controllers/controllers.h"
#include "domain/clock.h"
#include "domain/user.h"
#include "http/httpserver.h"
#include "http/logging.h"
#include "http/router.h"
#include "principal.h"
#include "protection.h"
#include "requestcontext.h"
#include "security/jwt.h"
#include "security/passwordhasher.h"
#include "serverapp.h"
#include "serverconfig.h"
#include "storage/authrepositories.h"
#include "storage/database.h"
#include "storage/repositories.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QNetworkProxy>
#include <QProcess>
#include <QSet>
#include <QSqlQuery>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>
#include <QUuid>
#include <QtConcurrent/QtConcurrentMap>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <latch>
#include <memory>
#include <thread>
#include <vector>

#include <sys/resource.h>

using namespace Qt::StringLiterals;
using namespace md;
using bench::LatencyStats;
using bench::Report;
using bench::Verdict;
using SteadyClock = std::chrono::steady_clock;

namespace {

// The targets of issue 3 ("Authentication", performance).
constexpr double HealthzP99TargetMs = 20.0; // while 16 password logins run
constexpr int HealthzTargetLogins = 16;
constexpr double LoginP95TargetMs = 600.0;  // one login per core at a time
constexpr double AuthReadRatioTarget = 0.8; // authenticated / unauthenticated light read
constexpr double RefusalTargetMs = 100.0;   // a refusal beyond the pending bound: at once
constexpr double JudgedSeconds = 5.0;       // shorter runs are smoke runs: n/a

struct Options
{
    double duration = 10;  // seconds of each measured login phase
    double ramp = 1;       // seconds of logins before /healthz is measured
    int loginClients = 16; // phase 1
    int loginCores = 0;    // phase 2 clients; 0: QThread::idealThreadCount()
    int burst = 64;        // phase 2, beyond capacity
    double probeIntervalMs = 5;
    double wrkDuration = 10;
    int wrkRuns = 2;
    int wrkConnections = 32;
    int bcryptCalls = 10;
    int jwtCalls = 1000;
    int rateLimit = 0;         // ServerConfig::rateLimitPerMinute
    int workers = 0;           // ServerConfig::workerThreads (0: the server's default)
    int maxPendingLogins = -1; // -1: ServerConfig's default
    QString wrk = u"wrk"_s;
    QString out;
    QStringList only = {u"micro"_s, u"healthz"_s, u"logins"_s, u"burst"_s, u"read"_s};
    bool wants(const QString &part) const { return only.contains(part); }
};

double toMs(qint64 nanos)
{
    return double(nanos) / 1e6;
}

qint64 nanosBetween(SteadyClock::time_point from, SteadyClock::time_point to)
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(to - from).count();
}

/// Nearest-rank percentile in milliseconds (LatencyStats has no p95).
double percentileMs(QList<qint64> nanos, double p)
{
    if (nanos.isEmpty())
        return 0;
    std::sort(nanos.begin(), nanos.end());
    const qsizetype index = qsizetype(std::ceil(p / 100.0 * double(nanos.size()))) - 1;
    return toMs(nanos.at(std::clamp<qsizetype>(index, 0, nanos.size() - 1)));
}

/// "p50 … · p95 … · p99 … · max … (n=…)"
QString describeWithP95(const QList<qint64> &nanos)
{
    const LatencyStats s = LatencyStats::of(nanos);
    return u"p50 %1 · p95 %2 · p99 %3 · max %4 (n=%5)"_s
        .arg(bench::ms(s.p50), bench::ms(percentileMs(nanos, 95)), bench::ms(s.p99),
             bench::ms(s.max))
        .arg(s.count);
}

QString loadNote()
{
    return u"load %1"_s.arg(bench::loadAverage());
}

// --- a blocking HTTP/1.1 client over one keep-alive connection ------------------------

struct Answer
{
    int status = 0; // 0: no HTTP answer
    QByteArray body;
    QByteArray retryAfter;
    qint64 nanos = 0; // from the first byte written to the last byte read
    SteadyClock::time_point finishedAt;
    QString error;
};

QByteArray httpRequest(QByteArrayView method, QByteArrayView path, quint16 port,
                       QByteArrayView bearer = {}, QByteArrayView json = {})
{
    QByteArray out;
    out += method;
    out += ' ';
    out += path;
    out += " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) +
           "\r\nUser-Agent: bench_auth\r\nAccept: application/json\r\n";
    if (!bearer.isEmpty()) {
        out += "Authorization: Bearer ";
        out += bearer;
        out += "\r\n";
    }
    if (!json.isNull()) {
        out +=
            "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(json.size()) +
            "\r\n";
    }
    out += "\r\n";
    out += json;
    return out;
}

/// Lives and is used on one thread (no event loop needed: waitFor* calls).
class Connection final
{
public:
    explicit Connection(quint16 port) : m_port(port) {}

    bool open(QString *error)
    {
        m_socket = std::make_unique<QTcpSocket>();
        m_socket->setProxy(QNetworkProxy::NoProxy);
        m_buffer.clear();
        m_socket->connectToHost(QHostAddress::LocalHost, m_port);
        if (!m_socket->waitForConnected(30000)) {
            *error = u"connect: "_s + m_socket->errorString();
            m_socket.reset();
            return false;
        }
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        return true;
    }

    Answer exchange(const QByteArray &request, int timeoutMs = 120000)
    {
        Answer a;
        if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState) {
            if (!open(&a.error)) {
                a.finishedAt = SteadyClock::now();
                return a;
            }
        }
        const auto started = SteadyClock::now();
        const auto deadline = started + std::chrono::milliseconds(timeoutMs);
        const auto finish = [&](Answer &answer) -> Answer & {
            answer.finishedAt = SteadyClock::now();
            answer.nanos = nanosBetween(started, answer.finishedAt);
            return answer;
        };
        m_socket->write(request);
        while (m_socket->bytesToWrite() > 0) {
            if (!m_socket->waitForBytesWritten(remaining(deadline))) {
                a.error = u"write: "_s + m_socket->errorString();
                m_socket.reset();
                return finish(a);
            }
        }
        qsizetype headEnd = -1;
        while ((headEnd = m_buffer.indexOf("\r\n\r\n")) < 0) {
            if (!readMore(deadline, &a.error))
                return finish(a);
        }
        const QList<QByteArray> lines = m_buffer.left(headEnd).split('\n');
        const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
        a.status = statusLine.size() >= 2 ? statusLine.at(1).toInt() : 0;
        qsizetype length = 0;
        bool close = false;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            const QByteArray name = line.left(colon).trimmed().toLower();
            const QByteArray value = line.mid(colon + 1).trimmed();
            if (name == "content-length")
                length = value.toLongLong();
            else if (name == "retry-after")
                a.retryAfter = value;
            else if (name == "connection" && value.toLower() == "close")
                close = true;
        }
        const qsizetype total = headEnd + 4 + length;
        while (m_buffer.size() < total) {
            if (!readMore(deadline, &a.error))
                return finish(a);
        }
        a.body = m_buffer.mid(headEnd + 4, length);
        m_buffer.remove(0, total);
        if (close)
            m_socket.reset();
        return finish(a);
    }

private:
    static int remaining(SteadyClock::time_point deadline)
    {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
        return int(std::max<qint64>(1, left.count()));
    }

    bool readMore(SteadyClock::time_point deadline, QString *error)
    {
        if (SteadyClock::now() >= deadline || !m_socket->waitForReadyRead(remaining(deadline))) {
            *error = u"read: "_s + m_socket->errorString();
            m_socket.reset();
            m_buffer.clear();
            return false;
        }
        m_buffer += m_socket->readAll();
        return true;
    }

    quint16 m_port;
    std::unique_ptr<QTcpSocket> m_socket;
    QByteArray m_buffer;
};

/// User + system CPU time of this process so far (every thread; not its children).
double processCpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval &t) {
        return double(t.tv_sec) + double(t.tv_usec) / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

/// Runs fn on a thread of its own while this (the servers') thread keeps serving.
void runBesideServers(std::function<void()> fn)
{
    QEventLoop loop;
    std::unique_ptr<QThread> thread(QThread::create(std::move(fn)));
    QObject::connect(thread.get(), &QThread::finished, &loop, &QEventLoop::quit);
    thread->start();
    loop.exec();
    thread->wait();
}

/// Starts one thread per index, each running fn(index); waits for all.
void runThreads(int count, const std::function<void(int)> &fn)
{
    std::vector<std::unique_ptr<QThread>> threads;
    threads.reserve(size_t(count));
    for (int i = 0; i < count; ++i)
        threads.emplace_back(QThread::create([&fn, i] { fn(i); }));
    for (auto &t : threads)
        t->start();
    for (auto &t : threads)
        t->wait();
}

// --- accounts and logins ------------------------------------------------------------

struct Account
{
    domain::User user;
    QString password;
    QByteArray loginRequest; // the whole POST /v1/auth/login request
};

/// Every answer of a set of login clients.
struct LoginTally
{
    QList<qint64> okNanos;      // 200
    QList<qint64> refusedNanos; // 503 busy / 429
    QMap<int, int> byStatus;    // 0: no HTTP answer
    QSet<QByteArray> retryAfter;
    QString firstUnexpected;

    void add(const Answer &a)
    {
        ++byStatus[a.status];
        if (a.status == 200) {
            okNanos << a.nanos;
        } else if (a.status == 503 || a.status == 429) {
            refusedNanos << a.nanos;
            retryAfter.insert(a.retryAfter.isEmpty() ? QByteArray("none") : a.retryAfter);
        } else if (firstUnexpected.isEmpty()) {
            firstUnexpected = u"status %1 %2 %3"_s.arg(a.status).arg(
                a.error, QString::fromUtf8(a.body.left(200)));
        }
    }
    void merge(const LoginTally &other)
    {
        okNanos << other.okNanos;
        refusedNanos << other.refusedNanos;
        for (auto it = other.byStatus.cbegin(); it != other.byStatus.cend(); ++it)
            byStatus[it.key()] += it.value();
        retryAfter.unite(other.retryAfter);
        if (firstUnexpected.isEmpty())
            firstUnexpected = other.firstUnexpected;
    }
    int unexpected() const
    {
        int n = 0;
        for (auto it = byStatus.cbegin(); it != byStatus.cend(); ++it) {
            if (it.key() != 200 && it.key() != 503 && it.key() != 429)
                n += it.value();
        }
        return n;
    }
    QString statuses() const
    {
        QStringList parts;
        for (auto it = byStatus.cbegin(); it != byStatus.cend(); ++it)
            parts << u"%1 × %2"_s.arg(it.value())
                         .arg(it.key() == 0 ? u"no answer"_s : QString::number(it.key()));
        return parts.join(u", "_s);
    }
};

/// Logs in without pause (one connection) until stopAt; starts after every client of
/// the phase has connected.
LoginTally loginLoop(quint16 port, const QList<Account> &accounts, int index,
                     SteadyClock::time_point stopAt, std::latch &ready)
{
    LoginTally tally;
    Connection connection(port);
    QString error;
    const bool connected = connection.open(&error);
    ready.arrive_and_wait();
    if (!connected) {
        tally.add(Answer{0, {}, {}, 0, SteadyClock::now(), error});
        return tally;
    }
    for (qsizetype k = index; SteadyClock::now() < stopAt; k += 7) {
        const Account &account = accounts.at(k % accounts.size());
        tally.add(connection.exchange(account.loginRequest));
    }
    return tally;
}

class AuthBench final
{
public:
    AuthBench(const Options &options, Report &report) : m_options(options), m_report(report) {}
    int run();

private:
    bool start();
    void createAccounts();
    void micro();
    void healthzDuringLogins();
    void loginsPerCore();
    void burst();
    void lightRead();
    std::optional<QByteArray> signIn(const Account &account, QString *error);
    /// {req/s, non-2xx, mean latency text}; rps < 0 when wrk could not run.
    struct WrkResult
    {
        double rps = -1;
        qint64 non2xx = 0;
        QString latency;
        QString socketErrors;
        QString error;
        qint64 requests = 0;
        double cpuSeconds = 0; // this process (both servers, every thread) meanwhile
        double cpuMicrosPerRequest() const
        {
            return requests > 0 ? cpuSeconds * 1e6 / double(requests) : 0;
        }
    };
    WrkResult runWrk(const QString &url, const QByteArray &token, double seconds);

    const Options &m_options;
    Report &m_report;
    QTemporaryDir m_dataDir;
    server::ServerConfig m_config;
    std::unique_ptr<server::ServerApp> m_app;
    QString m_organizationId;
    QList<Account> m_accounts;
    double m_verifyMedianMs = 0;
    int m_concurrency = 1;

    // The yardstick of the light read: same database, same routes, no token check; its
    // principal is the one the first account's token gives (set in createAccounts()).
    server::Principal m_fixedPrincipal;
    server::Router m_openRouter;
    std::unique_ptr<server::HttpServer> m_openServer;
};

bool AuthBench::start()
{
    m_config.listenAddress = QHostAddress::LocalHost;
    m_config.listenPort = 0;
    m_config.dataDir = m_dataDir.path();
    m_config.demo = true; // the data set of the light-read benchmark in run-benchmarks.sh
    m_config.rateLimitPerMinute = m_options.rateLimit;
    m_config.workerThreads = m_options.workers;
    if (m_options.maxPendingLogins >= 0)
        m_config.maxPendingPasswordChecks = m_options.maxPendingLogins;
    m_app = std::make_unique<server::ServerApp>(m_config);
    QString error;
    if (!m_app->start(&error)) {
        m_report.fail(u"the server did not start: "_s + error);
        return false;
    }
    m_concurrency = m_config.passwordHashThreads > 0 ? m_config.passwordHashThreads
                                                     : std::max(1, QThread::idealThreadCount());
    const int workers = m_config.workerThreads > 0 ? m_config.workerThreads
                                                   : std::max(2, QThread::idealThreadCount());
    m_report.info(u"auth: server"_s, u"configuration"_s,
                  u"ServerApp, SQLite, --demo data; %1 worker threads; PasswordGate: %2 hashes at "
                  u"once, at most %3 pending; rate limit %4; log level warn"_s.arg(workers)
                      .arg(m_concurrency)
                      .arg(std::max(m_concurrency, m_config.maxPendingPasswordChecks))
                      .arg(m_options.rateLimit > 0 ? u"%1/min per client"_s.arg(m_options.rateLimit)
                                                   : u"off (one client IP sends everything)"_s));

    QSqlQuery q(m_app->database().connection());
    if (q.exec(u"SELECT sqlite_version()"_s) && q.next())
        m_report.meta(u"SQLite"_s, q.value(0).toString());
    if (q.exec(
            u"SELECT id FROM organizations WHERE type = 'hospital' ORDER BY name, id LIMIT 1"_s) &&
        q.next())
        m_organizationId = q.value(0).toString();
    if (m_organizationId.isEmpty()) {
        m_report.fail(u"the demo data set has no hospital"_s);
        return false;
    }

    // The same routes (ServerApp's table, in its order, but /metrics which it keeps to
    // itself) over the same database; the `before` hook sets the principal a valid token
    // of the first account would give, without reading any header.
    server::registerHealthRoutes(m_openRouter);
    server::registerOrganizationRoutes(m_openRouter);
    server::registerEquipmentRoutes(m_openRouter);
    server::registerEngineerRoutes(m_openRouter);
    server::registerTicketRoutes(m_openRouter);
    server::registerDashboardRoutes(m_openRouter);
    server::registerAuditRoutes(m_openRouter);
    server::registerAuthRoutes(m_openRouter, m_app->auth());
    server::registerUserRoutes(m_openRouter, m_app->auth());
    server::HttpServer::Options open;
    open.workerThreads = m_config.workerThreads;
    open.maxPendingRequests = m_config.maxPendingRequests;
    open.idleTimeout = std::chrono::seconds(m_config.idleTimeoutSeconds);
    const server::Principal *fixed = &m_fixedPrincipal;
    open.before = [fixed](server::HttpRequest &,
                          server::RequestContext &context) -> std::optional<server::HttpResponse> {
        context.setPrincipal(*fixed);
        return std::nullopt;
    };
    if (!server::applyProtection(m_config, m_app->database(), domain::Clock::system(), open,
                                 &error)) {
        m_report.fail(u"applyProtection: "_s + error);
        return false;
    }
    m_openServer = std::make_unique<server::HttpServer>(m_openRouter, m_app->database(),
                                                        domain::Clock::system(), open);
    if (m_openServer->listen(QHostAddress::LocalHost, 0) == 0) {
        m_report.fail(u"the unauthenticated yardstick cannot listen: "_s +
                      m_openServer->errorString());
        return false;
    }
    return true;
}

void AuthBench::createAccounts()
{
    const int count = std::max({m_options.loginClients, QThread::idealThreadCount(), 16});
    QList<int> indexes;
    for (int i = 0; i < count; ++i)
        indexes << i;
    // Real cost-12 hashes, each of its own password; made on every core.
    const QList<QByteArray> hashes = QtConcurrent::blockingMapped(indexes, [](int i) {
        return security::PasswordHasher::hash(u"Bench-login-%1-correct-horse"_s.arg(i).toUtf8());
    });
    storage::Repositories repos(m_app->database());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const quint16 port = m_app->port();
    m_app->database().transaction([&] {
        for (int i = 0; i < count; ++i) {
            Account a;
            a.user.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
            a.user.name = u"Bench Login %1"_s.arg(i);
            a.user.email = u"bench-login-%1@bench.example"_s.arg(i);
            a.user.role = domain::Role::OrgAdmin;
            a.user.organizationId = m_organizationId;
            a.user.active = true;
            a.user.verified = true;
            a.user.passwordHash = hashes.at(i);
            a.user.createdAt = a.user.updatedAt = now;
            a.password = u"Bench-login-%1-correct-horse"_s.arg(i);
            a.loginRequest =
                httpRequest("POST", "/v1/auth/login", port, {},
                            QJsonDocument(QJsonObject{{u"identifier"_s, a.user.email},
                                                      {u"password"_s, a.password},
                                                      {u"device_name"_s, u"bench_auth"_s}})
                                .toJson(QJsonDocument::Compact));
            repos.users().insert(a.user);
            m_accounts << a;
        }
    });
    m_fixedPrincipal.userId = m_accounts.first().user.id;
    m_fixedPrincipal.role = m_accounts.first().user.role;
    m_fixedPrincipal.organizationId = m_organizationId;
    m_fixedPrincipal.sessionId = QUuid::createUuid().toString(QUuid::WithoutBraces);
}

void AuthBench::micro()
{
    const QString section = u"auth: per call"_s;
    m_report.info(section, u"load average at start (1/5/15 min)"_s, bench::loadAverage());
    const QByteArray password = m_accounts.first().password.toUtf8();
    const QByteArray stored = m_accounts.first().user.passwordHash;
    QList<qint64> hashNanos, verifyNanos;
    QElapsedTimer timer;
    for (int i = 0; i < m_options.bcryptCalls; ++i) {
        timer.start();
        const QByteArray h = security::PasswordHasher::hash(password);
        hashNanos << timer.nsecsElapsed();
        timer.start();
        const bool ok = security::PasswordHasher::verify(password, stored);
        verifyNanos << timer.nsecsElapsed();
        if (!ok || !h.startsWith("$2b$12$"))
            m_report.fail(u"bcrypt: a hash did not verify or is not $2b$12$"_s);
    }
    // The same verify on every core at once, as logins run in the PasswordGate: what
    // one login's bcrypt costs when the gate is full.
    QList<qint64> parallelNanos;
    {
        std::vector<QList<qint64>> perThread(static_cast<size_t>(m_concurrency));
        const int calls = std::max(1, (m_options.bcryptCalls + 1) / 2);
        runThreads(m_concurrency, [&](int t) {
            QElapsedTimer clock;
            for (int i = 0; i < calls; ++i) {
                clock.start();
                security::PasswordHasher::verify(password, stored);
                perThread[size_t(t)] << clock.nsecsElapsed();
            }
        });
        for (const QList<qint64> &n : perThread)
            parallelNanos << n;
    }
    const LatencyStats hash = LatencyStats::of(hashNanos);
    const LatencyStats verify = LatencyStats::of(verifyNanos);
    const LatencyStats parallel = LatencyStats::of(parallelNanos);
    m_verifyMedianMs = parallel.p50;
    m_report.info(section, u"bcrypt cost 12, hash (PasswordHasher::hash)"_s,
                  u"median %1; %2"_s.arg(bench::ms(hash.p50), hash.describe()));
    m_report.info(section, u"bcrypt cost 12, verify (PasswordHasher::verify)"_s,
                  u"median %1; %2"_s.arg(bench::ms(verify.p50), verify.describe()));
    m_report.info(section,
                  u"bcrypt cost 12, verify, %1 at once (one per core)"_s.arg(m_concurrency),
                  u"median %1; %2"_s.arg(bench::ms(parallel.p50), parallel.describe()));
    m_report.info(section,
                  u"password-login capacity implied (%1 / that median)"_s.arg(m_concurrency),
                  u"%1 logins/s"_s.arg(bench::number(
                      parallel.p50 > 0 ? 1000.0 * m_concurrency / parallel.p50 : 0, 1)));

    // RS256 with the server's own codec and the claims AuthService::issueAccessToken sets.
    const security::JwtCodec &codec = m_app->auth().codec();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    security::AccessClaims claims;
    claims.issuer = codec.issuer();
    claims.audience = codec.audience();
    claims.subject = m_accounts.first().user.id;
    claims.role = domain::toString(domain::Role::OrgAdmin);
    claims.organizationId = m_organizationId;
    claims.sessionId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    claims.issuedAt = claims.notBefore = now;
    claims.expiresAt = now.addSecs(900);
    QList<qint64> signNanos, jwtVerifyNanos;
    QByteArray token;
    for (int i = 0; i < m_options.jwtCalls; ++i) {
        claims.tokenId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        timer.start();
        token = codec.sign(claims);
        signNanos << timer.nsecsElapsed();
    }
    int bad = 0;
    for (int i = 0; i < m_options.jwtCalls; ++i) {
        timer.start();
        const auto verified = codec.verify(token, now);
        jwtVerifyNanos << timer.nsecsElapsed();
        if (!verified || verified->subject != claims.subject)
            ++bad;
    }
    if (bad)
        m_report.fail(u"JWT: %1 verifications of a fresh token failed"_s.arg(bad));
    // Verify on every core at once, as the worker threads do under load: OpenSSL 3.0
    // takes global locks in EVP_DigestVerifyInit, so this may be slower per call.
    QList<qint64> parallelVerifyNanos;
    {
        std::vector<QList<qint64>> perThread(static_cast<size_t>(m_concurrency));
        const int calls = m_options.jwtCalls;
        runThreads(m_concurrency, [&](int t) {
            QElapsedTimer clock;
            for (int i = 0; i < calls; ++i) {
                clock.start();
                const auto verified = codec.verify(token, now);
                perThread[size_t(t)] << clock.nsecsElapsed();
                Q_UNUSED(verified);
            }
        });
        for (const QList<qint64> &n : perThread)
            parallelVerifyNanos << n;
    }
    const LatencyStats sign = LatencyStats::of(signNanos);
    const LatencyStats jwtVerify = LatencyStats::of(jwtVerifyNanos);
    const LatencyStats jwtParallel = LatencyStats::of(parallelVerifyNanos);
    m_report.info(section, u"JWT RS256 sign (JwtCodec::sign, 2048-bit key)"_s,
                  u"median %1; %2"_s.arg(bench::ms(sign.p50), sign.describe()));
    m_report.info(section, u"JWT RS256 verify (JwtCodec::verify)"_s,
                  u"median %1; %2"_s.arg(bench::ms(jwtVerify.p50), jwtVerify.describe()));
    m_report.info(section, u"JWT RS256 verify, %1 threads at once"_s.arg(m_concurrency),
                  u"median %1; %2"_s.arg(bench::ms(jwtParallel.p50), jwtParallel.describe()));
    m_report.info(section, u"access token size"_s, u"%1 bytes"_s.arg(token.size()));
}

void AuthBench::healthzDuringLogins()
{
    const int clients = m_options.loginClients;
    const QString section = u"auth: /healthz during %1 logins"_s.arg(clients);
    m_report.info(section, u"load average at start (1/5/15 min)"_s, bench::loadAverage());
    const quint16 port = m_app->port();
    const QByteArray healthz = httpRequest("GET", "/healthz", port);
    QString tokenError;
    const auto token = signIn(m_accounts.first(), &tokenError);
    if (!token) {
        m_report.fail(section + u": sign-in for the probe failed: "_s + tokenError);
        return;
    }
    const QByteArray orgRead = httpRequest(
        "GET", QByteArray("/v1/organizations/" + m_organizationId.toLatin1()), port, *token);

    LoginTally logins;
    QList<qint64> probeNanos;   // from the intended send time (no coordinated omission)
    QList<qint64> serviceNanos; // from the actual send time
    QList<qint64> orgNanos;
    int probeBad = 0, orgBad = 0;
    QString probeFirstBad;
    double measuredSeconds = 0;
    qint64 loginsInWindow = 0;
    const auto interval = std::chrono::nanoseconds(qint64(m_options.probeIntervalMs * 1e6));

    runBesideServers([&] {
        std::latch ready(clients + 2);
        const auto rampEnd = SteadyClock::now() + std::chrono::milliseconds(500) +
                             std::chrono::milliseconds(qint64(m_options.ramp * 1000));
        const auto stopAt = rampEnd + std::chrono::milliseconds(qint64(m_options.duration * 1000));
        std::vector<LoginTally> tallies(static_cast<size_t>(clients));
        std::vector<QList<SteadyClock::time_point>> finishes(static_cast<size_t>(clients));
        runThreads(clients + 2, [&](int i) {
            if (i < clients) {
                // Logins without pause until the probe stops; completions are timed so
                // that the rate is counted over the probe's window only.
                Connection connection(port);
                QString error;
                const bool connected = connection.open(&error);
                ready.arrive_and_wait();
                if (!connected) {
                    tallies[size_t(i)].add(Answer{0, {}, {}, 0, SteadyClock::now(), error});
                    return;
                }
                for (qsizetype k = i; SteadyClock::now() < stopAt; k += 7) {
                    const Answer a =
                        connection.exchange(m_accounts.at(k % m_accounts.size()).loginRequest);
                    tallies[size_t(i)].add(a);
                    if (a.status == 200)
                        finishes[size_t(i)] << a.finishedAt;
                }
                return;
            }
            Connection connection(port);
            QString error;
            const bool connected = connection.open(&error);
            ready.arrive_and_wait();
            if (!connected)
                return;
            if (i == clients) {
                // /healthz at a fixed rate; latency from when the request was due.
                std::this_thread::sleep_until(rampEnd);
                auto due = rampEnd;
                while (due < stopAt) {
                    std::this_thread::sleep_until(due);
                    const Answer a = connection.exchange(healthz, 30000);
                    probeNanos << nanosBetween(due, a.finishedAt);
                    serviceNanos << a.nanos;
                    if (a.status != 200 && !probeBad++)
                        probeFirstBad = u"status %1 %2"_s.arg(a.status).arg(a.error);
                    due += interval;
                }
            } else {
                // An authenticated light read every 20 ms (closed loop): what the rest
                // of the API feels meanwhile.
                std::this_thread::sleep_until(rampEnd);
                while (SteadyClock::now() < stopAt) {
                    const Answer a = connection.exchange(orgRead, 60000);
                    orgNanos << a.nanos;
                    if (a.status != 200)
                        ++orgBad;
                    std::this_thread::sleep_for(std::chrono::milliseconds(20));
                }
            }
        });
        measuredSeconds = std::chrono::duration<double>(stopAt - rampEnd).count();
        for (int i = 0; i < clients; ++i) {
            logins.merge(tallies[size_t(i)]);
            for (const auto &t : finishes[size_t(i)])
                loginsInWindow += (t >= rampEnd && t <= stopAt) ? 1 : 0;
        }
    });

    if (probeBad)
        m_report.fail(
            section +
            u": %1 /healthz answers were not 200 (first: %2)"_s.arg(probeBad).arg(probeFirstBad));
    if (logins.unexpected())
        m_report.fail(section + u": login answers other than 200/503/429: "_s + logins.statuses() +
                      u" (first: "_s + logins.firstUnexpected + u')');
    if (orgBad)
        m_report.fail(section + u": %1 organization reads were not 200"_s.arg(orgBad));
    if (logins.okNanos.isEmpty())
        m_report.fail(section + u": no login succeeded"_s);

    const LatencyStats probe = LatencyStats::of(probeNanos);
    m_report.info(section,
                  u"/healthz every %1 ms, from when each was due"_s.arg(
                      bench::number(m_options.probeIntervalMs, 0)),
                  probe.describe());
    m_report.info(section, u"/healthz, from when each was sent"_s,
                  LatencyStats::of(serviceNanos).describe());
    m_report.info(
        section, u"logins completed while /healthz was measured"_s,
        u"%1 in %2 s (%3/s); all answers: %4"_s.arg(loginsInWindow)
            .arg(bench::number(measuredSeconds, 1))
            .arg(bench::number(double(loginsInWindow) / std::max(1e-3, measuredSeconds), 2))
            .arg(logins.statuses()));
    m_report.info(section, u"login latency (200s)"_s, describeWithP95(logins.okNanos));
    m_report.info(section, u"authenticated GET /v1/organizations/{id} meanwhile (every 20 ms)"_s,
                  describeWithP95(orgNanos));
    m_report.info(section, u"load average at end (1/5/15 min)"_s, bench::loadAverage());
    const bool judged = clients >= HealthzTargetLogins && m_options.duration >= JudgedSeconds;
    m_report.target(section, u"/healthz p99 during %1 concurrent password logins"_s.arg(clients),
                    bench::ms(probe.p99) + u" ("_s + loadNote() + u')',
                    u"≤ %1 with 16 logins"_s.arg(bench::ms(HealthzP99TargetMs)),
                    judged ? bench::verdict(probe.p99 <= HealthzP99TargetMs)
                           : Verdict::NotApplicable);
}

void AuthBench::loginsPerCore()
{
    const int clients =
        m_options.loginCores > 0 ? m_options.loginCores : std::max(1, QThread::idealThreadCount());
    const QString section = u"auth: logins, %1 at a time"_s.arg(clients);
    m_report.info(section, u"load average at start (1/5/15 min)"_s, bench::loadAverage());
    const quint16 port = m_app->port();
    LoginTally all;
    double seconds = 0;
    runBesideServers([&] {
        std::latch ready(clients);
        std::vector<LoginTally> tallies(static_cast<size_t>(clients));
        SteadyClock::time_point started;
        const auto stopAt = SteadyClock::now() + std::chrono::milliseconds(300) +
                            std::chrono::milliseconds(qint64(m_options.duration * 1000));
        started = SteadyClock::now();
        runThreads(clients, [&](int i) {
            tallies[size_t(i)] = loginLoop(port, m_accounts, i, stopAt, ready);
        });
        seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
        for (const LoginTally &t : tallies)
            all.merge(t);
    });
    if (all.unexpected())
        m_report.fail(section + u": login answers other than 200/503/429: "_s + all.statuses() +
                      u" (first: "_s + all.firstUnexpected + u')');
    if (all.okNanos.isEmpty()) {
        m_report.fail(section + u": no login succeeded"_s);
        return;
    }
    const double p95 = percentileMs(all.okNanos, 95);
    m_report.info(section, u"login latency (200s)"_s, describeWithP95(all.okNanos));
    m_report.info(section, u"logins"_s,
                  u"%1 in %2 s: %3/s; all answers: %4"_s.arg(all.okNanos.size())
                      .arg(bench::number(seconds, 1))
                      .arg(bench::number(double(all.okNanos.size()) / std::max(1e-3, seconds), 2))
                      .arg(all.statuses()));
    if (m_verifyMedianMs > 0) {
        const double p50 = LatencyStats::of(all.okNanos).p50;
        m_report.info(
            section, u"login p50 − bcrypt verify median at %1 at once"_s.arg(m_concurrency),
            u"%1 (login p50 %2, verify %3; measured at different times, so noisy)"_s.arg(
                bench::ms(p50 - m_verifyMedianMs), bench::ms(p50), bench::ms(m_verifyMedianMs)));
    }
    m_report.info(section, u"load average at end (1/5/15 min)"_s, bench::loadAverage());
    m_report.target(section, u"login p95, one login per core (%1 clients)"_s.arg(clients),
                    bench::ms(p95) + u" ("_s + loadNote() + u')',
                    u"≤ %1"_s.arg(bench::ms(LoginP95TargetMs)),
                    m_options.duration >= JudgedSeconds ? bench::verdict(p95 <= LoginP95TargetMs)
                                                        : Verdict::NotApplicable);
}

void AuthBench::burst()
{
    const int count = m_options.burst;
    const int bound = std::max(m_concurrency, m_config.maxPendingPasswordChecks);
    const QString section = u"auth: burst of %1 logins"_s.arg(count);
    m_report.info(section, u"load average at start (1/5/15 min)"_s, bench::loadAverage());
    const quint16 port = m_app->port();
    std::vector<Answer> answers(static_cast<size_t>(count));
    runBesideServers([&] {
        // Everybody connects first, then all send at the same moment.
        std::latch ready(count);
        runThreads(count, [&](int i) {
            Connection connection(port);
            QString error;
            const bool connected = connection.open(&error);
            ready.arrive_and_wait();
            if (!connected) {
                answers[size_t(i)] = Answer{0, {}, {}, 0, SteadyClock::now(), error};
                return;
            }
            answers[size_t(i)] =
                connection.exchange(m_accounts.at(i % m_accounts.size()).loginRequest);
        });
    });
    LoginTally tally;
    for (const Answer &a : answers)
        tally.add(a);
    if (tally.unexpected())
        m_report.fail(section + u": answers other than 200/503/429: "_s + tally.statuses() +
                      u" (first: "_s + tally.firstUnexpected + u')');
    const qsizetype refused = tally.refusedNanos.size();
    const LatencyStats ok = LatencyStats::of(tally.okNanos);
    const LatencyStats no = LatencyStats::of(tally.refusedNanos);
    m_report.info(section, u"answers"_s, tally.statuses());
    m_report.info(section, u"200: latency"_s, tally.okNanos.isEmpty() ? u"none"_s : ok.describe());
    m_report.info(section, u"503/429: latency"_s,
                  tally.refusedNanos.isEmpty()
                      ? u"none"_s
                      : no.describe() + u"; Retry-After: "_s +
                            QString::fromLatin1(QList<QByteArray>(tally.retryAfter.cbegin(),
                                                                  tally.retryAfter.cend())
                                                    .join(", ")));
    if (m_verifyMedianMs > 0)
        m_report.info(section, u"slowest 200 in bcrypt verifies"_s,
                      u"%1 × the verify median at %2 at once (a queue of about %3 logins)"_s
                          .arg(bench::number(ok.max / m_verifyMedianMs, 1))
                          .arg(m_concurrency)
                          .arg(bench::number(ok.max / m_verifyMedianMs * m_concurrency, 0)));
    m_report.info(section, u"load average at end (1/5/15 min)"_s, bench::loadAverage());
    const bool judged = count > bound;
    const bool pass = refused >= count - bound && refused > 0 && no.max <= RefusalTargetMs;
    m_report.target(section, u"logins beyond the pending bound (%1) refused at once"_s.arg(bound),
                    u"%1 of %2 refused%3; slowest 200 %4 (%5)"_s.arg(refused)
                        .arg(count)
                        .arg(refused ? u", slowest refusal "_s + bench::ms(no.max) : QString())
                        .arg(bench::ms(ok.max), loadNote()),
                    u"≥ %1 refused (503/429), each ≤ %2"_s.arg(std::max(0, count - bound))
                        .arg(bench::ms(RefusalTargetMs)),
                    judged ? bench::verdict(pass) : Verdict::NotApplicable);
}

std::optional<QByteArray> AuthBench::signIn(const Account &account, QString *error)
{
    Answer a;
    const quint16 port = m_app->port();
    runBesideServers([&] {
        Connection connection(port);
        a = connection.exchange(account.loginRequest);
    });
    const QByteArray token =
        QJsonDocument::fromJson(a.body).object().value(u"access_token"_s).toString().toLatin1();
    if (a.status != 200 || token.isEmpty()) {
        *error =
            u"status %1 %2 %3"_s.arg(a.status).arg(a.error, QString::fromUtf8(a.body.left(200)));
        return std::nullopt;
    }
    return token;
}

AuthBench::WrkResult AuthBench::runWrk(const QString &url, const QByteArray &token, double seconds)
{
    WrkResult r;
    const QString wrk = m_options.wrk;
    const int connections = m_options.wrkConnections;
    runBesideServers([&] {
        QStringList args{u"-t2"_s, u"-c%1"_s.arg(connections),
                         u"-d%1s"_s.arg(std::max(1, int(std::lround(seconds)))), u"--latency"_s};
        if (!token.isEmpty())
            args << u"-H"_s << u"Authorization: Bearer "_s + QString::fromLatin1(token);
        args << url;
        QProcess process;
        process.setProcessChannelMode(QProcess::MergedChannels);
        const double cpuBefore = processCpuSeconds();
        process.start(wrk, args);
        const bool finished =
            process.waitForStarted(10000) && process.waitForFinished(int(seconds * 1000) + 60000);
        r.cpuSeconds = processCpuSeconds() - cpuBefore;
        if (!finished) {
            r.error = u"wrk did not run: "_s + process.errorString();
            process.kill();
            process.waitForFinished(5000);
            return;
        }
        const QString output = QString::fromUtf8(process.readAll());
        for (const QString &line : output.split(u'\n')) {
            const QString t = line.trimmed();
            if (t.startsWith(u"Requests/sec:"))
                r.rps = t.mid(13).trimmed().toDouble();
            else if (t.startsWith(u"Non-2xx or 3xx responses:"))
                r.non2xx = t.mid(25).trimmed().toLongLong();
            else if (t.startsWith(u"Socket errors:"))
                r.socketErrors = t.mid(14).trimmed();
            else if (t.contains(u" requests in "))
                r.requests = t.section(u' ', 0, 0).toLongLong();
            else if (t.startsWith(u"Latency") && r.latency.isEmpty())
                r.latency = t.split(u' ', Qt::SkipEmptyParts).value(1);
        }
        if (r.rps < 0)
            r.error = u"no Requests/sec in wrk's output: "_s + output.left(300);
    });
    return r;
}

void AuthBench::lightRead()
{
    const int seconds = std::max(1, int(std::lround(m_options.wrkDuration)));
    const QString section =
        u"auth: light read, wrk -t2 -c%1 -d%2s"_s.arg(m_options.wrkConnections).arg(seconds);
    m_report.info(section, u"load average at start (1/5/15 min)"_s, bench::loadAverage());
    const QString path = u"/v1/organizations/"_s + m_organizationId;
    const QString real = u"http://127.0.0.1:%1%2"_s.arg(m_app->port()).arg(path);
    const QString open =
        u"http://127.0.0.1:%1%2"_s.arg(m_openServer->serverPorts().value(0)).arg(path);
    QString error;
    const auto token = signIn(m_accounts.first(), &error);
    if (!token) {
        m_report.fail(section + u": sign-in failed: "_s + error);
        return;
    }

    // Both must answer the same bytes, and the real one must refuse without a token.
    Answer withToken, withoutToken, yardstick;
    const quint16 realPort = m_app->port();
    const quint16 openPort = m_openServer->serverPorts().value(0);
    runBesideServers([&] {
        Connection a(realPort), b(openPort);
        withToken = a.exchange(httpRequest("GET", path.toLatin1(), realPort, *token));
        withoutToken = a.exchange(httpRequest("GET", path.toLatin1(), realPort));
        yardstick = b.exchange(httpRequest("GET", path.toLatin1(), openPort));
    });
    if (withToken.status != 200 || yardstick.status != 200 || withToken.body != yardstick.body)
        m_report.fail(section + u": the two servers do not answer the same 200 (%1: %2 bytes, "
                                u"%3: %4 bytes)"_s.arg(withToken.status)
                                    .arg(withToken.body.size())
                                    .arg(yardstick.status)
                                    .arg(yardstick.body.size()));
    if (withoutToken.status != 401)
        m_report.fail(section + u": without a token the server answered %1, not 401"_s.arg(
                                    withoutToken.status));
    m_report.info(section, u"route"_s,
                  u"GET /v1/organizations/{id} of one hospital (%1 bytes) as its org_admin; "
                  u"SQLite, --demo data; token %2 bytes"_s.arg(withToken.body.size())
                      .arg(token->size()));

    QProcess probe;
    probe.start(m_options.wrk, {u"--version"_s});
    probe.waitForFinished(5000);
    if (probe.exitStatus() != QProcess::NormalExit || probe.error() == QProcess::FailedToStart) {
        m_report.info(section, u"skipped"_s, m_options.wrk + u" not found (apt install wrk)"_s);
        m_report.target(section, u"authenticated / unauthenticated light read"_s, u"not run"_s,
                        u"≥ %1×"_s.arg(bench::number(AuthReadRatioTarget, 1)),
                        Verdict::NotApplicable);
        return;
    }
    m_report.meta(u"wrk"_s,
                  QString::fromUtf8(probe.readAll()).split(u'\n').value(0).section(u' ', 0, 1));

    // Three servers-and-requests, alternating, best run of each:
    //  - the real server, token checked;
    //  - the yardstick sent the very same request (the header is ignored): everything
    //    identical but the JWT check: the judged comparison;
    //  - the yardstick without the header: what carrying an ~800-byte token costs on
    //    top (QtHttpServer parses every head on its one server thread).
    struct Variant
    {
        QString name;
        QString url;
        QByteArray token;
        WrkResult best;
        double leastCpu = 0; // µs per request, the lowest of the runs
    };
    Variant variants[] = {
        {u"real server, bearer token (JWT checked)"_s, real, *token, {}, 0},
        {u"yardstick, same bearer header (not checked)"_s, open, *token, {}, 0},
        {u"yardstick, no Authorization header"_s, open, {}, {}, 0},
    };
    for (Variant &v : variants)
        runWrk(v.url, v.token, 2); // warm-up
    for (int run = 1; run <= m_options.wrkRuns; ++run) {
        for (Variant &v : variants) {
            const QString load = bench::loadAverage();
            const WrkResult result = runWrk(v.url, v.token, m_options.wrkDuration);
            if (!result.error.isEmpty()) {
                m_report.fail(section + u": "_s + result.error);
                continue;
            }
            m_report.info(section, u"run %1: %2"_s.arg(run).arg(v.name),
                          u"%1 req/s, mean latency %2, server CPU %3 µs per request, non-2xx "
                          u"%4%5 (load at start %6)"_s
                              .arg(bench::number(result.rps, 0), result.latency,
                                   bench::number(result.cpuMicrosPerRequest(), 1))
                              .arg(result.non2xx)
                              .arg(result.socketErrors.isEmpty()
                                       ? QString()
                                       : u", socket errors "_s + result.socketErrors,
                                   load));
            if (result.non2xx > 0)
                m_report.fail(
                    section +
                    u": %1 non-2xx answers under wrk (%2)"_s.arg(result.non2xx).arg(v.name));
            if (result.rps > v.best.rps)
                v.best = result;
            if (v.leastCpu <= 0 || result.cpuMicrosPerRequest() < v.leastCpu)
                v.leastCpu = result.cpuMicrosPerRequest();
        }
    }
    const double checked = variants[0].best.rps;
    const double sameBytes = variants[1].best.rps;
    const double bare = variants[2].best.rps;
    if (checked <= 0 || sameBytes <= 0 || bare <= 0)
        return;
    m_report.info(section, u"load average at end (1/5/15 min)"_s, bench::loadAverage());
    const double ratio = checked / sameBytes;
    const double headerRatio = sameBytes / bare;
    const double overall = checked / bare;
    m_report.info(section, u"server CPU per request, lowest of the runs"_s,
                  u"%1 µs with the JWT check, %2 µs without (same bytes): the check costs %3 µs; "
                  u"%4 µs without any header"_s.arg(
                      bench::number(variants[0].leastCpu, 1),
                      bench::number(variants[1].leastCpu, 1),
                      bench::number(variants[0].leastCpu - variants[1].leastCpu, 1),
                      bench::number(variants[2].leastCpu, 1)));
    m_report.info(section, u"yardstick with / without the header (the token's transport cost)"_s,
                  u"%1×"_s.arg(QString::number(headerRatio, 'f', 3)));
    m_report.info(
        section, u"real server with token / yardstick without any header"_s,
        u"%1× (%2 vs %3 req/s): JWT check and header together"_s.arg(
            QString::number(overall, 'f', 3), bench::number(checked, 0), bench::number(bare, 0)));
    m_report.target(
        section,
        u"authenticated / unauthenticated light read, same request bytes (best of %1 "
        u"each)"_s.arg(m_options.wrkRuns),
        u"%1× (%2 vs %3 req/s; %4)"_s.arg(QString::number(ratio, 'f', 3), bench::number(checked, 0),
                                          bench::number(sameBytes, 0), loadNote()),
        u"≥ %1×"_s.arg(bench::number(AuthReadRatioTarget, 1)),
        m_options.wrkDuration >= JudgedSeconds ? bench::verdict(ratio >= AuthReadRatioTarget)
                                               : Verdict::NotApplicable);
}

int AuthBench::run()
{
    m_report.meta(u"Qt"_s, QString::fromLatin1(qVersion()));
    m_report.meta(u"machine"_s, bench::machineDescription());
    if (!m_dataDir.isValid()) {
        m_report.fail(u"cannot create a temporary directory"_s);
        return m_report.finish(m_options.out);
    }
    if (!start())
        return m_report.finish(m_options.out);
    createAccounts();
    if (m_options.wants(u"micro"_s))
        micro();
    if (m_options.wants(u"healthz"_s))
        healthzDuringLogins();
    if (m_options.wants(u"logins"_s))
        loginsPerCore();
    if (m_options.wants(u"burst"_s))
        burst();
    if (m_options.wants(u"read"_s))
        lightRead();
    return m_report.finish(m_options.out);
}

std::optional<Options> parse(const QStringList &arguments, QString *error)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Authentication benchmarks: /healthz during password logins, login latency and "
        u"overload, authenticated vs unauthenticated light read, bcrypt and JWT per call."_s);
    parser.addHelpOption();
    const QCommandLineOption duration(u"duration"_s, u"seconds of each login phase (default 10)"_s,
                                      u"s"_s, u"10"_s);
    const QCommandLineOption loginClients(
        u"login-clients"_s, u"concurrent login clients beside /healthz (default 16)"_s, u"n"_s,
        u"16"_s);
    const QCommandLineOption loginCores(
        u"login-cores"_s, u"clients of the per-core login run (default: ideal thread count)"_s,
        u"n"_s, u"0"_s);
    const QCommandLineOption burst(u"burst"_s, u"logins sent at the same moment (default 64)"_s,
                                   u"n"_s, u"64"_s);
    const QCommandLineOption probe(u"probe-interval"_s, u"ms between /healthz probes (default 5)"_s,
                                   u"ms"_s, u"5"_s);
    const QCommandLineOption wrkDuration(u"wrk-duration"_s, u"seconds per wrk run (default 10)"_s,
                                         u"s"_s, u"10"_s);
    const QCommandLineOption wrkRuns(u"wrk-runs"_s, u"alternating runs per server (default 2)"_s,
                                     u"n"_s, u"2"_s);
    const QCommandLineOption wrk(u"wrk"_s, u"the wrk program (default: wrk on PATH)"_s, u"path"_s,
                                 u"wrk"_s);
    const QCommandLineOption bcryptCalls(u"bcrypt-calls"_s, u"bcrypt hashes and verifies timed"_s,
                                         u"n"_s, u"10"_s);
    const QCommandLineOption jwtCalls(u"jwt-calls"_s, u"JWT signs and verifies timed"_s, u"n"_s,
                                      u"1000"_s);
    const QCommandLineOption rateLimit(
        u"rate-limit"_s, u"server rate limit per client and minute (default 0: off)"_s, u"n"_s,
        u"0"_s);
    const QCommandLineOption workers(u"workers"_s, u"server worker threads (default: its own)"_s,
                                     u"n"_s, u"0"_s);
    const QCommandLineOption maxPending(u"max-pending-logins"_s,
                                        u"PasswordGate pending bound (default: the server's, 32)"_s,
                                        u"n"_s);
    const QCommandLineOption out(u"out"_s, u"write the result rows (TSV) to this file"_s,
                                 u"path"_s);
    const QCommandLineOption logLevel(u"log-level"_s, u"server log level (default warn)"_s,
                                      u"level"_s, u"warn"_s);
    const QCommandLineOption only(
        u"only"_s, u"a subset of micro,healthz,logins,burst,read (default all)"_s, u"list"_s);
    parser.addOptions({duration, loginClients, loginCores, burst, probe, wrkDuration, wrkRuns, wrk,
                       bcryptCalls, jwtCalls, rateLimit, workers, maxPending, out, logLevel, only});
    parser.process(arguments);

    Options o;
    o.duration = std::max(0.5, parser.value(duration).toDouble());
    o.ramp = std::min(1.0, o.duration / 2);
    o.loginClients = std::clamp(parser.value(loginClients).toInt(), 1, 256);
    o.loginCores = std::clamp(parser.value(loginCores).toInt(), 0, 256);
    o.burst = std::clamp(parser.value(burst).toInt(), 1, 512);
    o.probeIntervalMs = std::clamp(parser.value(probe).toDouble(), 0.5, 1000.0);
    o.wrkDuration = std::max(1.0, parser.value(wrkDuration).toDouble());
    o.wrkRuns = std::clamp(parser.value(wrkRuns).toInt(), 1, 10);
    o.wrk = parser.value(wrk);
    o.bcryptCalls = std::clamp(parser.value(bcryptCalls).toInt(), 1, 1000);
    o.jwtCalls = std::clamp(parser.value(jwtCalls).toInt(), 1, 1'000'000);
    o.rateLimit = std::max(0, parser.value(rateLimit).toInt());
    o.workers = std::clamp(parser.value(workers).toInt(), 0, 256);
    if (parser.isSet(maxPending))
        o.maxPendingLogins = std::max(0, parser.value(maxPending).toInt());
    o.out = parser.value(out);
    if (parser.isSet(only)) {
        const QStringList known = o.only;
        o.only = parser.value(only).split(u',', Qt::SkipEmptyParts);
        for (const QString &part : std::as_const(o.only)) {
            if (!known.contains(part)) {
                *error = u"--only: unknown part "_s + part;
                return std::nullopt;
            }
        }
    }
    if (!server::logging::isValidLevel(parser.value(logLevel))) {
        *error = u"bad --log-level"_s;
        return std::nullopt;
    }
    server::logging::setup(parser.value(logLevel));
    return o;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication application(argc, argv);
    QCoreApplication::setApplicationName(u"bench_auth"_s);
    QString error;
    const auto options = parse(QCoreApplication::arguments(), &error);
    if (!options) {
        std::fprintf(stderr, "bench_auth: %s\n", qUtf8Printable(error));
        return 2;
    }
    Report report(u"bench_auth"_s);
    AuthBench bench(*options, report);
    return bench.run();
}
