#include "sqlrepositories.h"
#include "storageerror.h"

namespace md::storage {

using namespace md::domain;

namespace rows {

const QString assignmentColumns =
    QStringLiteral("a.id, a.ticket_id, a.engineer_id, a.tier, a.status, a.assigned_by, "
                   "a.reason, a.match_score, a.assigned_at, a.ended_at");

Assignment assignment(const sql::Query &q, int i)
{
    Assignment a;
    a.id = q.string(i + 0);
    a.ticketId = q.string(i + 1);
    a.engineerId = q.string(i + 2);
    a.tier = parseAssignmentTier(q.value(i + 3).toInt()).value_or(AssignmentTier::HospitalBme);
    a.status = parseAssignmentStatus(q.string(i + 4)).value_or(AssignmentStatus::Active);
    a.assignedBy = q.string(i + 5);
    a.reason = q.string(i + 6);
    a.matchScore = q.value(i + 7).toInt();
    a.assignedAt = sql::dateTime(q.value(i + 8));
    a.endedAt = sql::dateTime(q.value(i + 9));
    return a;
}

} // namespace rows

void SqlAssignmentRepository::insert(const Assignment &a)
{
    sql::Query q(
        m_db, QStringLiteral("INSERT INTO assignments (id, ticket_id, engineer_id, tier, status, "
                             "assigned_by, reason, match_score, assigned_at, ended_at) "
                             "VALUES (?,?,?,?,?,?,?,?,?,?)"));
    q.bind(a.id).bind(a.ticketId).bind(a.engineerId).bind(int(a.tier)).bind(toString(a.status));
    q.bind(sql::text(a.assignedBy)).bind(sql::text(a.reason)).bind(a.matchScore);
    q.bind(sql::millis(a.assignedAt.isValid() ? a.assignedAt : QDateTime::currentDateTimeUtc()));
    q.bind(sql::millis(a.endedAt));
    q.exec();
}

std::optional<Assignment> SqlAssignmentRepository::active(const QString &ticketId)
{
    sql::Query q(m_db, u"SELECT " + rows::assignmentColumns +
                           u" FROM assignments a WHERE a.ticket_id = ? AND a.status = 'active'");
    q.bind(ticketId).exec();
    if (!q.next())
        return std::nullopt;
    return rows::assignment(q);
}

std::optional<Assignment> SqlAssignmentRepository::endActive(const QString &ticketId,
                                                             AssignmentStatus status,
                                                             const QDateTime &at)
{
    QString columns = rows::assignmentColumns;
    columns.replace(QStringLiteral("a."), QString());
    sql::Query q(m_db, u"UPDATE assignments SET status = ?, ended_at = ? "
                       u"WHERE ticket_id = ? AND status = 'active' RETURNING " +
                           columns);
    q.bind(toString(status));
    q.bind(sql::millis(at.isValid() ? at : QDateTime::currentDateTimeUtc()));
    q.bind(ticketId).exec();
    if (!q.next())
        return std::nullopt;
    return rows::assignment(q);
}

QList<Assignment> SqlAssignmentRepository::history(const QString &ticketId)
{
    QList<Assignment> result;
    sql::Query q(m_db, u"SELECT " + rows::assignmentColumns +
                           u" FROM assignments a WHERE a.ticket_id = ? "
                           u"ORDER BY a.assigned_at DESC, a.seq DESC");
    q.bind(ticketId).exec();
    while (q.next())
        result.append(rows::assignment(q));
    return result;
}

AssignmentSummary SqlAssignmentRepository::summary(const QString &ticketId)
{
    AssignmentSummary s;
    sql::Query q(m_db, QStringLiteral("SELECT status, count(*) FROM assignments "
                                      "WHERE ticket_id = ? GROUP BY status"));
    q.bind(ticketId).exec();
    while (q.next()) {
        const int n = int(q.int64(1));
        s.total += n;
        switch (parseAssignmentStatus(q.string(0)).value_or(AssignmentStatus::Active)) {
        case AssignmentStatus::Active:
            s.active += n;
            break;
        case AssignmentStatus::Completed:
            s.completed += n;
            break;
        case AssignmentStatus::Reassigned:
            s.reassigned += n;
            break;
        case AssignmentStatus::Cancelled:
            s.cancelled += n;
            break;
        }
    }
    return s;
}

} // namespace md::storage
