#include "benchsupport.h"

#include <QEventLoop>
#include <QFile>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QUuid>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

using namespace Qt::StringLiterals;

namespace md::bench {

LatencyStats LatencyStats::of(QList<qint64> nanos)
{
    LatencyStats s;
    s.count = nanos.size();
    if (nanos.isEmpty())
        return s;
    std::sort(nanos.begin(), nanos.end());
    // Nearest rank: the smallest sample with at least p% of the samples at or below it.
    const auto rank = [&](double p) {
        const qsizetype index = qsizetype(std::ceil(p / 100.0 * double(nanos.size()))) - 1;
        return double(nanos.at(std::clamp<qsizetype>(index, 0, nanos.size() - 1))) / 1e6;
    };
    s.p50 = rank(50);
    s.p90 = rank(90);
    s.p99 = rank(99);
    s.max = double(nanos.last()) / 1e6;
    s.mean = double(std::accumulate(nanos.cbegin(), nanos.cend(), qint64(0))) / 1e6 /
             double(nanos.size());
    return s;
}

QString LatencyStats::describe() const
{
    return u"p50 %1 · p90 %2 · p99 %3 · max %4 (n=%5)"_s.arg(ms(p50), ms(p90), ms(p99), ms(max))
        .arg(count);
}

QString ms(double milliseconds)
{
    return QString::number(milliseconds, 'f', 3) + u" ms"_s;
}

QString number(double value, int decimals)
{
    return QString::number(value, 'f', decimals);
}

Verdict verdict(bool pass)
{
    return pass ? Verdict::Pass : Verdict::Miss;
}

QString toString(Verdict v)
{
    switch (v) {
    case Verdict::Pass:
        return u"PASS"_s;
    case Verdict::Miss:
        return u"MISS"_s;
    case Verdict::NotApplicable:
        break;
    }
    return u"n/a"_s;
}

namespace {

QString cell(QString text)
{
    // One row per line, one field per tab: keep both out of the values.
    text.replace(u'\t', u' ').replace(u'\n', u' ').replace(u'\r', u' ');
    return text;
}

void printLine(const QString &line)
{
    std::fputs(qUtf8Printable(line), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

} // namespace

void Report::add(const QStringList &fields)
{
    QStringList row;
    for (const QString &f : fields)
        row << cell(f);
    m_rows << row;
}

void Report::meta(const QString &key, const QString &value)
{
    add({u"meta"_s, key, value});
    printLine(u"[%1] %2: %3"_s.arg(m_program, key, value));
}

void Report::info(const QString &section, const QString &figure, const QString &value)
{
    add({u"info"_s, section, figure, value});
    printLine(u"[%1] %2 | %3: %4"_s.arg(m_program, section, figure, value));
}

void Report::target(const QString &section, const QString &figure, const QString &value,
                    const QString &target, Verdict v)
{
    add({u"target"_s, section, figure, value, target, toString(v)});
    printLine(u"[%1] %2 | %3: %4 (target %5) %6"_s.arg(m_program, section, figure, value, target,
                                                       toString(v)));
}

void Report::fail(const QString &what)
{
    m_failures << what;
    printLine(u"[%1] FAILURE: %2"_s.arg(m_program, what));
}

bool Report::write(const QString &path) const
{
    if (path.isEmpty())
        return true;
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) {
        std::fprintf(stderr, "cannot write %s: %s\n", qUtf8Printable(path),
                     qUtf8Printable(f.errorString()));
        return false;
    }
    for (const QStringList &row : m_rows)
        f.write(row.join(u'\t').toUtf8() + '\n');
    for (const QString &failure : m_failures)
        f.write(QStringList{u"failure"_s, m_program, cell(failure)}.join(u'\t').toUtf8() + '\n');
    return true;
}

int Report::finish(const QString &outPath) const
{
    const bool written = write(outPath);
    if (!m_failures.isEmpty()) {
        std::fprintf(stderr, "%s: %lld problem(s) make this run's figures untrustworthy:\n",
                     qUtf8Printable(m_program), qlonglong(m_failures.size()));
        for (const QString &f : m_failures)
            std::fprintf(stderr, "  - %s\n", qUtf8Printable(f));
        return 1;
    }
    return written ? 0 : 1;
}

SyncHttpClient::SyncHttpClient(QUrl base) : m_base(std::move(base))
{
    m_nam.setProxy(QNetworkProxy::NoProxy);
}

TimedReply SyncHttpClient::get(const QString &pathAndQuery, int timeoutMs)
{
    QUrl url = m_base;
    const qsizetype q = pathAndQuery.indexOf(u'?');
    url.setPath(pathAndQuery.left(q), QUrl::TolerantMode);
    if (q >= 0)
        url.setQuery(pathAndQuery.mid(q + 1), QUrl::TolerantMode);
    QNetworkRequest request(url);
    request.setTransferTimeout(timeoutMs);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    if (!m_bearer.isEmpty())
        request.setRawHeader("Authorization", QByteArray("Bearer " + m_bearer));

    TimedReply result;
    QElapsedTimer timer;
    timer.start();
    QNetworkReply *reply = m_nam.get(request);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec();
    result.body = reply->readAll();
    result.nanos = timer.nsecsElapsed();
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->error() != QNetworkReply::NoError && result.status == 0)
        result.error = reply->errorString();
    reply->deleteLater();
    return result;
}

bool postgresAdmin(const QString &adminUrl, const QString &sql, QString *error)
{
    const QUrl url(adminUrl);
    if (!url.isValid() || !url.scheme().startsWith(u"postgres")) {
        if (error)
            *error = u"not a postgresql:// URL: "_s + adminUrl;
        return false;
    }
    // A short-lived connection of its own: CREATE/DROP DATABASE cannot run in a
    // transaction, so not through storage::Database.
    const QString name = u"md-bench-admin-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, name);
        db.setHostName(url.host());
        db.setPort(url.port(5432));
        db.setUserName(url.userName());
        db.setPassword(url.password());
        db.setDatabaseName(url.path().mid(1));
        db.setConnectOptions(u"connect_timeout=10"_s);
        if (!db.open()) {
            if (error)
                *error = u"cannot connect to %1: %2"_s.arg(
                    url.toDisplayString(QUrl::RemovePassword), db.lastError().text());
        } else {
            QSqlQuery q(db);
            ok = q.exec(sql);
            if (!ok && error)
                *error = sql + u": "_s + q.lastError().text();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

QString postgresUrlFor(const QString &adminUrl, const QString &databaseName)
{
    QUrl url(adminUrl);
    url.setPath(u"/"_s + databaseName);
    return url.toString();
}

std::optional<QString> readFirstLine(const QString &path, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text)) {
        if (error)
            *error = u"cannot read %1: %2"_s.arg(path, f.errorString());
        return std::nullopt;
    }
    return QString::fromUtf8(f.readLine()).trimmed();
}

QString machineDescription()
{
    QString model = u"unknown CPU"_s;
    QFile f(u"/proc/cpuinfo"_s);
    if (f.open(QIODevice::ReadOnly | QIODevice::Text)) {
        // readAll: /proc files report size 0, so atEnd() is true from the start.
        const QList<QByteArray> lines = f.readAll().split('\n');
        for (const QByteArray &line : lines) {
            if (line.startsWith("model name")) {
                model = QString::fromUtf8(line.mid(line.indexOf(':') + 1)).trimmed();
                break;
            }
        }
    }
    return u"%1 (%2 hardware threads)"_s.arg(model).arg(QThread::idealThreadCount());
}

QString loadAverage()
{
    QFile f(u"/proc/loadavg"_s);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
        return u"unknown"_s;
    const QList<QByteArray> fields = f.readAll().split(' ');
    if (fields.size() < 3)
        return u"unknown"_s;
    return QString::fromLatin1(fields.at(0) + ' ' + fields.at(1) + ' ' + fields.at(2));
}

} // namespace md::bench
