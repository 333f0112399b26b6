#include "sqlrepositories.h"
#include "storageerror.h"

#include "domain/qrpayload.h"

namespace md::storage {

using namespace md::domain;

namespace rows {

const QString ticketColumns = QStringLiteral(
    "t.id, t.number, t.equipment_id, t.organization_id, t.reporter_name, t.reporter_contact, "
    "t.reporter_user_id, t.channel, t.priority, t.status, t.title, t.description, "
    "t.assigned_engineer_id, t.created_at, t.updated_at, t.assigned_at, t.resolved_at, "
    "t.closed_at, t.response_due_at, t.resolution_due_at");

Ticket ticket(const sql::Query &q, int i)
{
    Ticket t;
    t.id = q.string(i + 0);
    t.number = q.string(i + 1);
    t.equipmentId = q.string(i + 2);
    t.organizationId = q.string(i + 3);
    t.reporterName = q.string(i + 4);
    t.reporterContact = q.string(i + 5);
    t.reporterUserId = q.string(i + 6);
    t.channel = parseTicketChannel(q.string(i + 7)).value_or(TicketChannel::Desk);
    t.priority = parsePriority(q.string(i + 8)).value_or(Priority::Normal);
    t.status = parseTicketStatus(q.string(i + 9)).value_or(TicketStatus::New);
    t.title = q.string(i + 10);
    t.description = q.string(i + 11);
    t.assignedEngineerId = q.string(i + 12);
    t.createdAt = sql::dateTime(q.value(i + 13));
    t.updatedAt = sql::dateTime(q.value(i + 14));
    t.assignedAt = sql::dateTime(q.value(i + 15));
    t.resolvedAt = sql::dateTime(q.value(i + 16));
    t.closedAt = sql::dateTime(q.value(i + 17));
    t.responseDueAt = sql::dateTime(q.value(i + 18));
    t.resolutionDueAt = sql::dateTime(q.value(i + 19));
    return t;
}

} // namespace rows

namespace {

QString searchText(const Ticket &t)
{
    return sql::fold(t.number + u'\n' + t.title + u'\n' + t.description);
}

// The columns a ticket write sets; the active assignment's engineer and tier are kept
// by the assignment triggers instead.
QVariantList ticketValues(const Ticket &t)
{
    return {t.equipmentId,
            t.organizationId,
            sql::text(t.reporterName),
            sql::text(t.reporterContact),
            sql::optionalText(t.reporterUserId),
            toString(t.channel),
            toString(t.priority),
            toString(t.status),
            sql::text(t.title),
            sql::text(t.description),
            searchText(t),
            sql::millis(t.updatedAt.isValid() ? t.updatedAt : QDateTime::currentDateTimeUtc()),
            sql::millis(t.assignedAt),
            sql::millis(t.resolvedAt),
            sql::millis(t.closedAt),
            sql::millis(t.responseDueAt),
            sql::millis(t.resolutionDueAt)};
}

} // namespace

void addTicketScope(sql::Where &where, const Scope &scope, const QString &alias,
                    sql::Evaluation evaluation)
{
    if (scope.all)
        return;
    sql::IdAlternatives any;
    if (!scope.organizationIds.isEmpty()) {
        const QString in = u" IN (" + sql::placeholders(scope.organizationIds.size()) + u')';
        const QVariantList ids = sql::idValues(scope.organizationIds);
        // The hospital's tickets.
        any.add(alias + u".organization_id" + in,
                u"SELECT st.id FROM tickets st WHERE st.organization_id" + in, ids);
        // Tickets one of the organizations' engineers is actively assigned to.
        any.add(u"EXISTS (SELECT 1 FROM engineers se WHERE se.id = " + alias +
                    u".assigned_engineer_id AND se.organization_id" + in + u')',
                u"SELECT st.id FROM engineers se JOIN tickets st ON st.assigned_engineer_id = "
                u"se.id WHERE se.organization_id" +
                    in,
                ids);
    }
    if (!scope.engineerId.isEmpty())
        any.add(u"EXISTS (SELECT 1 FROM assignments sa WHERE sa.ticket_id = " + alias +
                    u".id AND sa.engineer_id = ?)",
                QStringLiteral("SELECT sa.ticket_id FROM assignments sa WHERE sa.engineer_id = ?"),
                {scope.engineerId});
    where.addIdAlternatives(alias + u".id", any, evaluation);
}

void SqlTicketRepository::insert(Ticket &ticket)
{
    if (!ticket.createdAt.isValid())
        ticket.createdAt = QDateTime::currentDateTimeUtc();
    if (!ticket.updatedAt.isValid())
        ticket.updatedAt = ticket.createdAt;
    const int year = ticket.createdAt.toUTC().date().year();
    m_db.transaction([&] {
        // The per-year counter row is locked by this upsert until commit, so concurrent
        // writers get consecutive numbers and never the same one.
        sql::Query seq(
            m_db, QStringLiteral("INSERT INTO ticket_sequences (year, last_value) VALUES (?, 1) "
                                 "ON CONFLICT (year) DO UPDATE SET last_value = "
                                 "ticket_sequences.last_value + 1 RETURNING last_value"));
        seq.bind(year).exec();
        if (!seq.next())
            throw StorageError(StorageError::Kind::Internal, QStringLiteral("ticket sequence"));
        ticket.number = formatTicketNumber(year, seq.int64(0));

        sql::Query q(
            m_db,
            QStringLiteral("INSERT INTO tickets (equipment_id, organization_id, reporter_name, "
                           "reporter_contact, reporter_user_id, channel, priority, status, "
                           "title, description, search_text, updated_at, assigned_at, "
                           "resolved_at, closed_at, response_due_at, resolution_due_at, id, "
                           "number, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
        q.bindAll(ticketValues(ticket));
        q.bind(ticket.id).bind(ticket.number).bind(sql::millis(ticket.createdAt));
        q.exec();
    });
}

void SqlTicketRepository::update(const Ticket &ticket)
{
    sql::Query q(
        m_db, QStringLiteral("UPDATE tickets SET equipment_id = ?, organization_id = ?, "
                             "reporter_name = ?, reporter_contact = ?, reporter_user_id = ?, "
                             "channel = ?, priority = ?, status = ?, title = ?, description = ?, "
                             "search_text = ?, updated_at = ?, assigned_at = ?, resolved_at = ?, "
                             "closed_at = ?, response_due_at = ?, resolution_due_at = ? "
                             "WHERE id = ?"));
    q.bindAll(ticketValues(ticket));
    q.bind(ticket.id);
    q.exec();
    if (q.numRowsAffected() == 0)
        throw StorageError(StorageError::Kind::Internal, u"update of unknown ticket " + ticket.id);
}

std::optional<Ticket> SqlTicketRepository::find(const QString &id)
{
    sql::Query q(m_db, u"SELECT " + rows::ticketColumns + u" FROM tickets t WHERE t.id = ?");
    q.bind(id).exec();
    if (!q.next())
        return std::nullopt;
    return rows::ticket(q);
}

Page<Ticket> SqlTicketRepository::list(const TicketFilter &filter, const Scope &scope,
                                       PageRequest page)
{
    sql::Where where;
    if (!filter.organizationId.isEmpty())
        where.add(QStringLiteral("t.organization_id = ?"), {filter.organizationId});
    if (!filter.equipmentId.isEmpty())
        where.add(QStringLiteral("t.equipment_id = ?"), {filter.equipmentId});
    if (!filter.engineerId.isEmpty())
        where.add(QStringLiteral("t.assigned_engineer_id = ?"), {filter.engineerId});
    if (!filter.statuses.isEmpty()) {
        QStringList names;
        for (TicketStatus s : filter.statuses)
            names << toString(s);
        where.addIn(QStringLiteral("t.status"), names);
    }
    if (filter.priority)
        where.add(QStringLiteral("t.priority = ?"), {toString(*filter.priority)});
    if (filter.tier)
        where.add(QStringLiteral("t.assigned_tier = ?"), {int(*filter.tier)});
    if (!filter.q.isEmpty())
        where.add(QStringLiteral("t.search_text LIKE ? ESCAPE '!'"),
                  {sql::likeContains(sql::fold(filter.q))});
    addTicketScope(where, scope, QStringLiteral("t"));

    Page<Ticket> result;
    result.total = sql::count(m_db, u"FROM tickets t" + where.sql(), where.values);
    if (result.total == 0)
        return result;
    sql::Query q(m_db, u"SELECT " + rows::ticketColumns + u" FROM tickets t" + where.sql() +
                           u" ORDER BY t.created_at DESC, t.id DESC LIMIT ? OFFSET ?");
    q.bindAll(where.values).bind(page.limit).bind(page.offset).exec();
    while (q.next())
        result.items.append(rows::ticket(q));
    return result;
}

void SqlTicketRepository::appendHistory(const TicketHistoryEntry &entry)
{
    sql::Query q(m_db, QStringLiteral("INSERT INTO ticket_history (id, ticket_id, kind, at, actor, "
                                      "from_status, to_status, note) VALUES (?,?,?,?,?,?,?,?)"));
    q.bind(entry.id).bind(entry.ticketId).bind(toString(entry.kind)).bind(sql::millis(entry.at));
    q.bind(sql::text(entry.actor));
    q.bind(entry.fromStatus ? QVariant(toString(*entry.fromStatus))
                            : QVariant(QMetaType::fromType<QString>()));
    q.bind(entry.toStatus ? QVariant(toString(*entry.toStatus))
                          : QVariant(QMetaType::fromType<QString>()));
    q.bind(sql::text(entry.note));
    q.exec();
}

QList<TicketHistoryEntry> SqlTicketRepository::history(const QString &ticketId)
{
    sql::Query q(m_db,
                 QStringLiteral("SELECT id, ticket_id, kind, at, actor, from_status, to_status, "
                                "note FROM ticket_history WHERE ticket_id = ? ORDER BY at, id"));
    q.bind(ticketId).exec();
    QList<TicketHistoryEntry> out;
    while (q.next()) {
        TicketHistoryEntry e;
        e.id = q.string(0);
        e.ticketId = q.string(1);
        e.kind =
            parseTicketHistoryKind(q.string(2)).value_or(TicketHistoryEntry::Kind::StatusChanged);
        e.at = sql::dateTime(q.value(3));
        e.actor = q.string(4);
        e.fromStatus = parseTicketStatus(q.string(5));
        e.toStatus = parseTicketStatus(q.string(6));
        e.note = q.string(7);
        out.append(e);
    }
    return out;
}

} // namespace md::storage
