#include "sqlrepositories.h"
#include "storageerror.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QUuid>

namespace md::storage {

namespace {

// Serializes appends of every server instance on one PostgreSQL database (SQLite
// writers are already serialized by the write transaction).
constexpr qint64 AuditChainLockKey = 0x4d44'4155'4454; // "MDAUDT"
// verify() reads the chain in slices of this many entries, so memory stays flat.
constexpr int VerifyBatch = 1000;

const QString AuditColumns = QStringLiteral(
    "a.sequence, a.id, a.at, a.actor_id, a.actor_role, a.organization_id, a.action, "
    "a.entity_type, a.entity_id, a.before_json, a.after_json, a.ip_address, a.request_id, "
    "a.previous_hash, a.hash");

QString jsonText(const QJsonObject &o)
{
    if (o.isEmpty())
        return QString();
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

// '' is "no object"; anything else must be a JSON object (else *ok = false).
QJsonObject jsonObject(const QString &text, bool *ok)
{
    if (text.isEmpty())
        return {};
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        *ok = false;
    return doc.object();
}

AuditEntry auditEntry(const sql::Query &q, bool *wellFormed = nullptr)
{
    AuditEntry e;
    e.sequence = q.int64(0);
    e.id = q.string(1);
    e.at = sql::dateTime(q.value(2));
    e.actorId = q.string(3);
    e.actorRole = q.string(4);
    e.organizationId = q.string(5);
    e.action = q.string(6);
    e.entityType = q.string(7);
    e.entityId = q.string(8);
    bool ok = true;
    e.before = jsonObject(q.string(9), &ok);
    e.after = jsonObject(q.string(10), &ok);
    e.ipAddress = q.string(11);
    e.requestId = q.string(12);
    e.previousHash = q.string(13);
    e.hash = q.string(14);
    if (wellFormed)
        *wellFormed = ok;
    return e;
}

} // namespace

// The canonical form: the compact JSON (UTF-8, no whitespace) of one object holding
// every field of the entry except `hash`, under these keys, which QJsonObject writes in
// sorted order (nested objects' keys too):
//   action, actor_id, actor_role, after, at, before, entity_id, entity_type, id,
//   ip_address, organization_id, previous_hash, request_id, sequence
// Strings are JSON strings ("" when empty); `at` is the integer epoch milliseconds
// (UTC), null when unset; `sequence` an integer; `before` / `after` JSON objects ({}
// when empty). JSON quoting makes the form unambiguous: no field can spill into
// another.
QByteArray auditCanonicalForm(const AuditEntry &e)
{
    QJsonObject o;
    o.insert(QStringLiteral("action"), e.action);
    o.insert(QStringLiteral("actor_id"), e.actorId);
    o.insert(QStringLiteral("actor_role"), e.actorRole);
    o.insert(QStringLiteral("after"), e.after);
    o.insert(QStringLiteral("at"),
             e.at.isValid() ? QJsonValue(e.at.toMSecsSinceEpoch()) : QJsonValue());
    o.insert(QStringLiteral("before"), e.before);
    o.insert(QStringLiteral("entity_id"), e.entityId);
    o.insert(QStringLiteral("entity_type"), e.entityType);
    o.insert(QStringLiteral("id"), e.id);
    o.insert(QStringLiteral("ip_address"), e.ipAddress);
    o.insert(QStringLiteral("organization_id"), e.organizationId);
    o.insert(QStringLiteral("previous_hash"), e.previousHash);
    o.insert(QStringLiteral("request_id"), e.requestId);
    o.insert(QStringLiteral("sequence"), e.sequence);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// Lower-case hex SHA-256 of the canonical form with previous_hash = previousHash: each
// entry's hash covers its predecessor's, so a changed, removed or reordered entry
// breaks every link after it.
QString auditHash(const QString &previousHash, const AuditEntry &entry)
{
    AuditEntry linked = entry;
    linked.previousHash = previousHash;
    return QString::fromLatin1(
        QCryptographicHash::hash(auditCanonicalForm(linked), QCryptographicHash::Sha256).toHex());
}

void SqlAuditRepository::append(AuditEntry &entry)
{
    if (entry.id.isEmpty())
        entry.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    if (!entry.at.isValid())
        entry.at = QDateTime::currentDateTimeUtc();
    entry.at = QDateTime::fromMSecsSinceEpoch(entry.at.toMSecsSinceEpoch(), Qt::UTC);
    m_db.transaction([&] {
        if (m_db.backend() == Backend::Postgres) {
            // Held until the caller's transaction ends: the next append reads this
            // entry as the chain's last.
            sql::Query lock(
                m_db, QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(AuditChainLockKey));
            lock.exec();
        }
        qint64 last = 0;
        QString previousHash;
        {
            sql::Query q(m_db, QStringLiteral("SELECT sequence, hash FROM audit_log "
                                              "ORDER BY sequence DESC LIMIT 1"));
            q.exec();
            if (q.next()) {
                last = q.int64(0);
                previousHash = q.string(1);
            }
        }
        entry.sequence = last + 1;
        entry.previousHash = previousHash;
        entry.hash = auditHash(previousHash, entry);
        sql::Query q(m_db, QStringLiteral("INSERT INTO audit_log (sequence, id, at, actor_id, "
                                          "actor_role, organization_id, action, entity_type, "
                                          "entity_id, before_json, after_json, ip_address, "
                                          "request_id, previous_hash, hash) "
                                          "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
        q.bind(entry.sequence).bind(entry.id).bind(sql::millis(entry.at));
        q.bind(sql::text(entry.actorId)).bind(sql::text(entry.actorRole));
        q.bind(sql::text(entry.organizationId)).bind(sql::text(entry.action));
        q.bind(sql::text(entry.entityType)).bind(sql::text(entry.entityId));
        q.bind(sql::text(jsonText(entry.before))).bind(sql::text(jsonText(entry.after)));
        q.bind(sql::text(entry.ipAddress)).bind(sql::text(entry.requestId));
        q.bind(sql::text(entry.previousHash)).bind(entry.hash);
        q.exec();
    });
}

Page<AuditEntry> SqlAuditRepository::list(const AuditFilter &filter, PageRequest page)
{
    sql::Where where;
    if (!filter.actorId.isEmpty())
        where.add(QStringLiteral("a.actor_id = ?"), {filter.actorId});
    if (!filter.organizationId.isEmpty())
        where.add(QStringLiteral("a.organization_id = ?"), {filter.organizationId});
    if (filter.action.endsWith(u'.')) {
        // A prefix as a range, so both backends walk the index: "auth." <= action < "auth/".
        where.add(QStringLiteral("a.action >= ? AND a.action < ?"),
                  {filter.action, QString(filter.action.chopped(1) + u'/')});
    } else if (!filter.action.isEmpty()) {
        where.add(QStringLiteral("a.action = ?"), {filter.action});
    }
    if (!filter.entityType.isEmpty())
        where.add(QStringLiteral("a.entity_type = ?"), {filter.entityType});
    if (!filter.entityId.isEmpty())
        where.add(QStringLiteral("a.entity_id = ?"), {filter.entityId});
    if (filter.from.isValid())
        where.add(QStringLiteral("a.at >= ?"), {sql::millis(filter.from)});
    if (filter.to.isValid())
        where.add(QStringLiteral("a.at < ?"), {sql::millis(filter.to)});

    Page<AuditEntry> result;
    result.total = sql::count(m_db, u"FROM audit_log a" + where.sql(), where.values);
    if (result.total == 0)
        return result;
    sql::Query q(m_db, u"SELECT " + AuditColumns + u" FROM audit_log a" + where.sql() +
                           u" ORDER BY a.sequence DESC LIMIT ? OFFSET ?");
    q.bindAll(where.values).bind(page.limit).bind(page.offset).exec();
    while (q.next())
        result.items.append(auditEntry(q));
    return result;
}

AuditVerification SqlAuditRepository::verify()
{
    AuditVerification result;
    const auto fail = [&result](qint64 sequence, const QString &problem) {
        result.intact = false;
        result.firstBadSequence = sequence;
        result.problem = problem;
    };
    qint64 expectedSequence = 1;
    QString previousHash;
    for (;;) {
        sql::Query q(m_db, u"SELECT " + AuditColumns +
                               u" FROM audit_log a WHERE a.sequence >= ? "
                               u"ORDER BY a.sequence LIMIT ?");
        q.bind(expectedSequence).bind(VerifyBatch).exec();
        int rows = 0;
        while (q.next()) {
            ++rows;
            bool wellFormed = true;
            const AuditEntry e = auditEntry(q, &wellFormed);
            if (e.sequence != expectedSequence) {
                fail(e.sequence, u"entries missing before this one (expected sequence " +
                                     QString::number(expectedSequence) + u')');
                return result;
            }
            if (e.previousHash != previousHash) {
                fail(e.sequence, QStringLiteral("broken link to the previous entry"));
                return result;
            }
            if (!wellFormed) {
                fail(e.sequence, QStringLiteral("before or after is not a JSON object"));
                return result;
            }
            if (auditHash(previousHash, e) != e.hash) {
                fail(e.sequence, QStringLiteral("hash mismatch"));
                return result;
            }
            ++result.checked;
            previousHash = e.hash;
            ++expectedSequence;
        }
        if (rows < VerifyBatch)
            return result;
    }
}

} // namespace md::storage
