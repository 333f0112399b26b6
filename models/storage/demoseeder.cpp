#include "demoseeder.h"

#include "datasetbuilder.h"
#include "sqlsupport.h"

#include <QElapsedTimer>

namespace md::storage {

namespace {
// Bump when the demo set changes shape; a database seeded by an older version is left
// alone (it already has demo data).
const QString DemoVersion = QStringLiteral("1");
constexpr quint32 DemoSeed = 20240917;
constexpr qint64 DemoLockKey = 0x4d44'4445'4d4f; // "MDDEMO"
} // namespace

DemoSeeder::DemoSeeder(Database &db, QDateTime now) : m_db(db), m_now(std::move(now)) {}

bool DemoSeeder::isSeeded()
{
    sql::Query q(m_db, QStringLiteral("SELECT value FROM settings WHERE key = ?"));
    q.bind(QString::fromUtf16(MarkerKey)).exec();
    return q.next();
}

bool DemoSeeder::seed(SeedSummary *summary)
{
    bool wrote = false;
    // One transaction for the whole set: the marker commits with the data, so an
    // interrupted run leaves nothing behind and a second run finds the marker.
    m_db.transaction([&] {
        wrote = false;
        if (m_db.backend() == Backend::Postgres) {
            sql::Query lock(m_db,
                            QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(DemoLockKey));
            lock.exec();
        }
        if (isSeeded())
            return;
        DatasetShape shape;
        shape.hospitals = 26;
        shape.partners = 8;
        shape.providers = 6;
        shape.equipment = 3200;
        shape.tickets = 4200;
        shape.historyDays = 180;
        DatasetBuilder builder(m_db, DemoSeed, m_now);
        const SeedSummary written =
            builder.build(shape, [](const std::function<void()> &batch) { batch(); });
        sql::Query marker(
            m_db, QStringLiteral("INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)"));
        marker.bind(QString::fromUtf16(MarkerKey)).bind(DemoVersion);
        marker.bind(QDateTime::currentMSecsSinceEpoch()).exec();
        if (summary)
            *summary = written;
        wrote = true;
    });
    return wrote;
}

} // namespace md::storage
