#pragma once

#include "database.h"

#include <QDateTime>

namespace md::storage {

/// Row counts written by a seeding run.
struct SeedSummary
{
    qint64 organizations = 0;
    qint64 engineers = 0;
    qint64 equipment = 0;
    qint64 tickets = 0;
    qint64 assignments = 0;
};

/// Seeds the demo data set of `meddispatch-server --demo`: real manufacturers with the
/// categories and models they make, 26 hospitals, authorized partners and multi-brand
/// providers, each hospital's BME team, hundreds of engineers, thousands of equipment
/// and tickets with assignment histories over the past months.
///
/// Idempotent: a marker in the settings table, written in the same transaction as the
/// data, makes a second run (or a concurrently starting server) do nothing.
/// Deterministic for a given `now`, except the QR codes, which come from the CSPRNG.
class DemoSeeder final
{
public:
    explicit DemoSeeder(Database &db, QDateTime now = QDateTime::currentDateTimeUtc());

    /// Seeds unless already seeded; returns true when it wrote the data set.
    bool seed(SeedSummary *summary = nullptr);
    bool isSeeded();

    static constexpr auto MarkerKey = u"demo_seed_version";

private:
    Database &m_db;
    QDateTime m_now;
};

/// Large synthetic data sets for the benchmarks, built like the demo set (same
/// catalog, same rules) but sized by the caller; the number of hospitals, partners and
/// providers grows with the data (e.g. about 3,300 hospitals at 1M equipment).
/// Writes in multi-row INSERTs, one transaction per batch. Not idempotent: run it on
/// an empty, migrated database.
class DataGenerator final
{
public:
    static SeedSummary generate(Database &db, int engineers, int equipment, int tickets,
                                quint32 seed = 20240601,
                                QDateTime now = QDateTime::currentDateTimeUtc());
};

} // namespace md::storage
