#include "datagenerator.h"

#include "datasetbuilder.h"
#include "sqlsupport.h"
#include "storageerror.h"

#include <QSqlQuery>

namespace md::storage {

SeedSummary DataGenerator::generate(Database &db, int engineers, int equipment, int tickets,
                                    quint32 seed, QDateTime now)
{
    DatasetShape shape;
    // Organizations grow with the data: roughly 300 devices per hospital, 400 engineers
    // per partner, 600 per provider, and a long tail of smaller manufacturers.
    shape.hospitals = std::max(26, equipment / 300);
    shape.partners = std::max(8, engineers / 400);
    shape.providers = std::max(6, engineers / 600);
    shape.manufacturers = std::max(20, engineers / 250);
    shape.engineers = engineers;
    shape.equipment = equipment;
    shape.tickets = tickets;
    shape.historyDays = 365;
    shape.orderedIds = true;
    DatasetBuilder builder(db, seed, std::move(now));
    if (db.backend() == Backend::Sqlite) {
        // Random-order index inserts into large B-trees: a big page cache for this
        // connection avoids re-reading pages; put back afterwards.
        sql::Query(db, QStringLiteral("PRAGMA cache_size=-1048576")).exec();
    }
    const SeedSummary summary =
        builder.build(shape, [&db](const std::function<void()> &batch) { db.transaction(batch); });
    // Fresh statistics (and, on PostgreSQL, hint bits and the visibility map) so the
    // first benchmark queries see the plans and speed of a settled database.
    // (Plain exec: PostgreSQL cannot PREPARE maintenance commands.)
    const QStringList maintenance =
        db.backend() == Backend::Sqlite
            ? QStringList{QStringLiteral("PRAGMA cache_size=-32768"),
                          QStringLiteral("PRAGMA analysis_limit=1000"), QStringLiteral("ANALYZE")}
            : QStringList{QStringLiteral("VACUUM ANALYZE")};
    for (const QString &statement : maintenance) {
        QSqlQuery q(db.connection());
        execOrThrow(q, statement, QStringLiteral("after generating"));
    }
    return summary;
}

} // namespace md::storage
