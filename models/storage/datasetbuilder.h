#pragma once

// Builds the demo data set and the benchmark data sets from the catalog in
// resources/demo/catalog.json. Internal to md_storage.

#include "database.h"
#include "demoseeder.h"

#include <QDateTime>
#include <functional>

namespace md::storage {

struct DatasetShape
{
    int manufacturers = 0; // 0: the catalog's real manufacturers only
    int hospitals = 0;
    int partners = 0;
    int providers = 0;
    int engineers = 0; // 0: sized per organization like a real team
    int equipment = 0;
    int tickets = 0;
    int historyDays = 180;
    bool orderedIds = false; // time-ordered UUIDs so bulk inserts append to indexes
};

class DatasetBuilder final
{
public:
    /// runBatch runs one batch of writes (e.g. in a transaction of its own).
    using BatchRunner = std::function<void(const std::function<void()> &)>;

    DatasetBuilder(Database &db, quint32 seed, QDateTime now);
    ~DatasetBuilder();
    SeedSummary build(const DatasetShape &shape, const BatchRunner &runBatch);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace md::storage
