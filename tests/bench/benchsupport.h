#pragma once

// Shared pieces of the benchmark programs: latency statistics, the result rows every
// program prints and writes for run-benchmarks.sh, a synchronous keep-alive HTTP
// client and PostgreSQL database creation on a throwaway cluster.

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QNetworkAccessManager>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <optional>

namespace md::bench {

/// Latencies in milliseconds, from samples in nanoseconds (nearest-rank percentiles).
struct LatencyStats
{
    qsizetype count = 0;
    double p50 = 0;
    double p90 = 0;
    double p99 = 0;
    double max = 0;
    double mean = 0;
    static LatencyStats of(QList<qint64> nanos);
    /// "p50 0.412 ms · p90 0.530 ms · p99 0.901 ms · max 2.310 ms (n=1000)"
    QString describe() const;
};

/// "1.234 ms" with three decimals.
QString ms(double milliseconds);
QString number(double value, int decimals = 0);

enum class Verdict
{
    Pass,
    Miss,
    NotApplicable
};
Verdict verdict(bool pass);
QString toString(Verdict v);

/// The figures of one benchmark program. Every row is printed on stdout as it is added;
/// write() saves them as tab-separated lines that run-benchmarks.sh turns into
/// Markdown:
///   meta    <key>      <value>
///   info    <section>  <figure>  <value>
///   target  <section>  <figure>  <value>  <target>  <PASS|MISS|n/a>
class Report final
{
public:
    explicit Report(QString program) : m_program(std::move(program)) {}
    void meta(const QString &key, const QString &value);
    void info(const QString &section, const QString &figure, const QString &value);
    void target(const QString &section, const QString &figure, const QString &value,
                const QString &target, Verdict v);
    /// A problem that makes the run's output untrustworthy (non-200 reply, lost row...);
    /// the program then exits non-zero.
    void fail(const QString &what);
    bool failed() const { return !m_failures.isEmpty(); }
    /// Writes the rows to `path` (replacing it). Empty path: nothing.
    bool write(const QString &path) const;
    /// Prints the failures and returns the exit code (0: sane, 1: failures).
    int finish(const QString &outPath) const;

private:
    void add(const QStringList &fields);
    QString m_program;
    QList<QStringList> m_rows;
    QStringList m_failures;
};

/// One GET over a keep-alive connection, timed from the call to the last body byte.
struct TimedReply
{
    int status = 0; // 0: no HTTP answer
    QByteArray body;
    qint64 nanos = 0;
    QString error;
};

/// A sequential HTTP/1.1 client: one request at a time, connections kept alive by
/// QNetworkAccessManager, no proxy. Blocks in a local event loop, so a server living
/// on the same thread keeps running.
class SyncHttpClient final
{
public:
    explicit SyncHttpClient(QUrl base);
    TimedReply get(const QString &pathAndQuery, int timeoutMs = 30000);
    /// Sent as "Authorization: Bearer <token>" with every request.
    void setBearer(QByteArray token) { m_bearer = std::move(token); }

private:
    QUrl m_base;
    QByteArray m_bearer;
    QNetworkAccessManager m_nam;
};

/// CREATE DATABASE / DROP DATABASE through the maintenance database of `adminUrl`.
bool postgresAdmin(const QString &adminUrl, const QString &sql, QString *error);
/// adminUrl with its database name replaced.
QString postgresUrlFor(const QString &adminUrl, const QString &databaseName);
/// The first line of a file (the throwaway cluster writes its URL there).
std::optional<QString> readFirstLine(const QString &path, QString *error);

/// "AMD EPYC 7B13 (2 threads)" from /proc/cpuinfo and the ideal thread count.
QString machineDescription();
/// "1.23 0.98 0.75" (1, 5, 15 minutes) from /proc/loadavg: above the number of hardware
/// threads, something else competes for the CPU and latencies are inflated.
QString loadAverage();

} // namespace md::bench
