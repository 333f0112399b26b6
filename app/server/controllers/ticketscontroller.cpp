#include "controllers.h"
#include "controllersupport.h"

#include "api/codecs.h"
#include "domain/assignmentengine.h"
#include "domain/slapolicy.h"
#include "domain/ticketstatemachine.h"
#include "http/router.h"
#include "requestcontext.h"

#include <QUuid>

using namespace Qt::StringLiterals;
using namespace md::domain;

namespace md::server {

namespace {

const QString kWhat = u"Ticket"_s;

QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

// Appends one line to the ticket's history, inside the caller's transaction.
void record(RequestContext &context, const Ticket &t, TicketHistoryEntry::Kind kind,
            std::optional<TicketStatus> from, std::optional<TicketStatus> to, const QString &note,
            const QDateTime &at)
{
    TicketHistoryEntry e;
    e.id = newId();
    e.ticketId = t.id;
    e.kind = kind;
    e.at = at;
    e.actor = context.actor();
    e.fromStatus = from;
    e.toStatus = to;
    e.note = note;
    context.repositories().tickets().appendHistory(e);
}

QJsonObject ticketJson(const Ticket &t, RequestContext &context)
{
    return api::toJson(t, context.clock().now());
}

void publishTicket(RequestContext &context, const QString &type, const Ticket &t)
{
    context.publish(type, ticketJson(t, context));
    context.publish(u"counts.changed"_s, QJsonObject{{u"organization_id"_s, t.organizationId}});
}

QString statusNames(const QList<TicketStatus> &statuses)
{
    QStringList names;
    for (TicketStatus s : statuses)
        names.append(toString(s));
    return names.isEmpty() ? u"none (final status)"_s : names.join(u", "_s);
}

HttpResponse list(HttpRequest &request, RequestContext &context)
{
    const auto page = pageFrom(request);
    storage::TicketFilter filter;
    filter.organizationId = queryId(request, u"organization_id"_s);
    filter.equipmentId = queryId(request, u"equipment_id"_s);
    filter.engineerId = queryId(request, u"engineer_id"_s);
    const QString statuses = queryText(request, u"status"_s, 200);
    for (const QString &s : statuses.split(u',', Qt::SkipEmptyParts)) {
        const auto status = parseTicketStatus(s.trimmed());
        if (!status)
            throwInvalidParameter(u"status"_s,
                                  u"must be a comma-separated list of ticket statuses"_s);
        filter.statuses.append(*status);
    }
    const QString priority = queryText(request, u"priority"_s, 16);
    if (!priority.isEmpty()) {
        filter.priority = parsePriority(priority);
        if (!filter.priority)
            throwInvalidParameter(u"priority"_s, u"must be critical, high, normal or low"_s);
    }
    const QString tier = queryText(request, u"tier"_s, 2);
    if (!tier.isEmpty()) {
        filter.tier = parseAssignmentTier(tier.toInt());
        if (!filter.tier)
            throwInvalidParameter(u"tier"_s, u"must be 1, 2, 3 or 4"_s);
    }
    filter.q = queryText(request, u"q"_s);
    const auto result = context.repositories().tickets().list(filter, {}, page);
    QJsonArray data;
    for (const Ticket &t : result.items)
        data.append(ticketJson(t, context));
    return HttpResponse::json(200, api::pageJson(data, page.limit, page.offset, result.total));
}

HttpResponse get(HttpRequest &request, RequestContext &context)
{
    const QString id = pathId(request, u"id"_s, kWhat);
    const auto t = context.repositories().tickets().find(id);
    if (!t)
        throw api::ApiError::notFound(kWhat);
    QJsonObject body = ticketJson(*t, context);
    QJsonArray next;
    for (TicketStatus s : TicketStateMachine::nextStatuses(t->status))
        next.append(toString(s));
    body.insert(u"allowed_statuses"_s, next);
    body.insert(u"can_assign"_s, TicketStateMachine::canAssign(t->status));
    return HttpResponse::json(200, body);
}

HttpResponse create(HttpRequest &request, RequestContext &context)
{
    api::JsonReader reader(api::JsonReader::parseObject(request.body));
    Ticket t;
    t.channel = TicketChannel::Api;
    api::readTicket(reader, t, true);
    auto &repos = context.repositories();
    context.database().transaction([&] {
        if (!t.equipmentId.isEmpty()) {
            const auto equipment = repos.equipment().find(t.equipmentId);
            if (!equipment)
                reader.addError(u"equipment_id"_s, u"must name existing equipment"_s);
            else
                t.organizationId = equipment->organizationId;
        }
        reader.addErrors(t.validate());
        reader.finish();
        const QDateTime now = context.clock().now();
        t.id = newId();
        t.status = TicketStatus::New;
        t.createdAt = t.updatedAt = now;
        t.responseDueAt = SlaPolicy::responseDue(t.priority, now);
        t.resolutionDueAt = SlaPolicy::resolutionDue(t.priority, now);
        repos.tickets().insert(t);
        record(context, t, TicketHistoryEntry::Kind::Created, std::nullopt, TicketStatus::New,
               u"via "_s + toString(t.channel), now);
    });
    publishTicket(context, u"ticket.created"_s, t);
    return HttpResponse::json(201, ticketJson(t, context))
        .withHeader("Location", QString(u"/v1/tickets/"_s + t.id).toUtf8());
}

// A status change through PATCH: the state machine decides, and ending statuses end
// the active assignment in the same transaction.
void changeStatus(RequestContext &context, Ticket &t, TicketStatus to, const QDateTime &now,
                  QList<Assignment> &changedAssignments)
{
    storage::Repositories &repos = context.repositories();
    if (to == t.status)
        return;
    if (!TicketStateMachine::canChangeStatus(t.status, to)) {
        throw api::ApiError(409, u"invalid_transition"_s,
                            u"A ticket that is %1 cannot become %2. Allowed next: %3."_s.arg(
                                toString(t.status), toString(to),
                                statusNames(TicketStateMachine::nextStatuses(t.status))),
                            QJsonObject{{u"from"_s, toString(t.status)}, {u"to"_s, toString(to)}});
    }
    if (const auto outcome = TicketStateMachine::assignmentOutcome(to)) {
        if (auto ended = repos.assignments().endActive(t.id, *outcome, now))
            changedAssignments.append(*ended);
    }
    if (t.status == TicketStatus::Resolved && to == TicketStatus::InProgress) {
        // Reopened: the engineer who resolved it carries on, as a new assignment so
        // that the history shows the reopening.
        const auto history = repos.assignments().history(t.id);
        if (!history.isEmpty() && !repos.assignments().active(t.id)) {
            Assignment again = history.first();
            again.id = newId();
            again.status = AssignmentStatus::Active;
            again.reason = u"Reopened"_s;
            again.assignedAt = now;
            again.endedAt = {};
            repos.assignments().insert(again);
            changedAssignments.append(again);
        }
        t.resolvedAt = {};
    }
    if (to == TicketStatus::Resolved)
        t.resolvedAt = now;
    if (to == TicketStatus::Closed)
        t.closedAt = now;
    record(context, t, TicketHistoryEntry::Kind::StatusChanged, t.status, to, {}, now);
    t.status = to;
}

HttpResponse patch(HttpRequest &request, RequestContext &context)
{
    const QString id = pathId(request, u"id"_s, kWhat);
    api::JsonReader reader(api::JsonReader::parseObject(request.body));
    auto &repos = context.repositories();
    Ticket t;
    QList<Assignment> changed;
    context.database().transaction([&] {
        changed.clear();
        const auto existing = repos.tickets().find(id);
        if (!existing)
            throw api::ApiError::notFound(kWhat);
        t = *existing;
        const Priority priorityBefore = t.priority;
        api::readTicket(reader, t, false);
        const auto to = reader.enumeration<TicketStatus>(
            u"status"_s, false, &parseTicketStatus,
            u"new, assigned, in_progress, on_hold, resolved, closed, cancelled"_s);
        reader.addErrors(t.validate());
        reader.finish();
        const QDateTime now = context.clock().now();
        if (to && *to == TicketStatus::Assigned && t.status != TicketStatus::Assigned)
            throw api::ApiError(
                409, u"invalid_transition"_s,
                u"A ticket becomes assigned by assigning an engineer (POST /v1/tickets/{id}/assign)."_s);
        if (to)
            changeStatus(context, t, *to, now, changed);
        if (t.priority != priorityBefore) {
            record(context, t, TicketHistoryEntry::Kind::PriorityChanged, std::nullopt,
                   std::nullopt, toString(priorityBefore) + u" -> "_s + toString(t.priority), now);
            // A new priority moves the SLA targets, measured from when it was opened.
            t.responseDueAt = SlaPolicy::responseDue(t.priority, t.createdAt);
            t.resolutionDueAt = SlaPolicy::resolutionDue(t.priority, t.createdAt);
        }
        t.updatedAt = now;
        repos.tickets().update(t);
    });
    // The current engineer follows the active assignment (kept by the storage
    // triggers), so answer with the ticket as stored rather than the copy edited here.
    if (auto stored = repos.tickets().find(id))
        t = *stored;
    for (const Assignment &a : changed)
        context.publish(u"assignment.updated"_s, api::toJson(a));
    publishTicket(context, u"ticket.updated"_s, t);
    return HttpResponse::json(200, ticketJson(t, context));
}

HttpResponse assign(HttpRequest &request, RequestContext &context)
{
    const QString id = pathId(request, u"id"_s, kWhat);
    api::JsonReader reader(api::JsonReader::parseObject(request.body));
    QString engineerId;
    {
        const auto v = reader.text(u"engineer_id"_s, true, 64);
        if (v && !validate::isUuid(*v))
            reader.addError(u"engineer_id"_s, u"must be an id (a UUID)"_s);
        else if (v)
            engineerId = v->toLower();
    }
    const auto tier = reader.integer(u"assignment_tier"_s, false, 1, 4);
    const auto reason = reader.text(u"reason"_s, false, 1000);
    reader.finish();

    auto &repos = context.repositories();
    Ticket t;
    Assignment assignment;
    std::optional<Assignment> previous;
    context.database().transaction([&] {
        const QDateTime now = context.clock().now();
        const auto found = repos.engineers().dispatchCandidates(id, now.date());
        if (!found)
            throw api::ApiError::notFound(kWhat);
        const auto &[dispatchContext, candidates] = *found;
        t = dispatchContext.ticket;
        if (!TicketStateMachine::canAssign(t.status))
            throw api::ApiError(
                409, u"invalid_transition"_s,
                u"A ticket that is %1 cannot be assigned."_s.arg(toString(t.status)));
        previous = repos.assignments().active(t.id);
        if (previous && previous->engineerId == engineerId)
            throw api::ApiError::conflict(u"already_assigned"_s,
                                          u"This engineer is already assigned to the ticket."_s);
        if (previous && (!reason || reason->trimmed().isEmpty()))
            throw api::ApiError::validation(
                {{u"reason"_s, u"is required when reassigning a ticket"_s}});
        if (!repos.engineers().find(engineerId))
            throw api::ApiError::validation(
                {{u"engineer_id"_s, u"must name an existing engineer"_s}});
        const QList<Suggestion> ranked = AssignmentEngine::rank(candidates, dispatchContext);
        const auto match = std::find_if(ranked.cbegin(), ranked.cend(), [&](const Suggestion &s) {
            return s.candidate.engineer.id == engineerId;
        });
        if (match == ranked.cend())
            throw api::ApiError::validation(
                {{u"engineer_id"_s,
                  u"this engineer may not service this equipment at the ticket's priority"_s}});
        if (tier && *tier != int(match->tier))
            throw api::ApiError::validation(
                {{u"assignment_tier"_s,
                  u"is %1 for this engineer, not %2"_s.arg(int(match->tier)).arg(*tier)}});

        if (previous) {
            repos.assignments().endActive(t.id, AssignmentStatus::Reassigned, now);
            previous->status = AssignmentStatus::Reassigned;
            previous->endedAt = now;
        }
        assignment.id = newId();
        assignment.ticketId = t.id;
        assignment.engineerId = engineerId;
        assignment.tier = match->tier;
        assignment.status = AssignmentStatus::Active;
        assignment.assignedBy = context.actor();
        assignment.reason = reason.value_or(QString()).trimmed();
        assignment.matchScore = match->matchScore;
        assignment.assignedAt = now;
        repos.assignments().insert(assignment);

        const TicketStatus statusBefore = t.status;
        t.assignedEngineerId = engineerId;
        if (!t.assignedAt.isValid())
            t.assignedAt = now; // the SLA response is met by the first assignment
        if (t.status == TicketStatus::New)
            t.status = TicketStatus::Assigned;
        t.updatedAt = now;
        repos.tickets().update(t);
        const QString who =
            match->candidate.engineer.name + u" ("_s + match->candidate.organizationName + u')';
        record(context, t,
               previous ? TicketHistoryEntry::Kind::Reassigned : TicketHistoryEntry::Kind::Assigned,
               statusBefore, t.status,
               assignment.reason.isEmpty() ? who : who + u": "_s + assignment.reason, now);
    });
    if (previous)
        context.publish(u"assignment.updated"_s, api::toJson(*previous));
    context.publish(u"assignment.created"_s, api::toJson(assignment));
    publishTicket(context, u"ticket.updated"_s, t);
    QJsonObject body = api::toJson(assignment);
    body.insert(u"ticket"_s, ticketJson(t, context));
    return HttpResponse::json(201, body);
}

HttpResponse history(HttpRequest &request, RequestContext &context)
{
    const QString id = pathId(request, u"id"_s, kWhat);
    auto &repos = context.repositories();
    if (!repos.tickets().find(id))
        throw api::ApiError::notFound(kWhat);
    const QList<Assignment> items = repos.assignments().history(id);
    QHash<QString, QJsonObject> engineers;
    QJsonArray data;
    for (const Assignment &a : items) {
        if (!engineers.contains(a.engineerId)) {
            const auto e = repos.engineers().find(a.engineerId);
            QJsonObject summary{{u"id"_s, a.engineerId}};
            if (e) {
                const auto org = repos.organizations().find(e->organizationId);
                summary = QJsonObject{{u"id"_s, e->id},
                                      {u"name"_s, e->name},
                                      {u"level"_s, toString(e->level)},
                                      {u"organization_id"_s, e->organizationId},
                                      {u"organization_name"_s, org ? org->name : QString()}};
            }
            engineers.insert(a.engineerId, summary);
        }
        QJsonObject row = api::toJson(a);
        row.insert(u"engineer"_s, engineers.value(a.engineerId));
        data.append(row);
    }
    const storage::AssignmentSummary s = repos.assignments().summary(id);
    return HttpResponse::json(
        200, QJsonObject{{u"data"_s, data},
                         {u"summary"_s, QJsonObject{{u"total"_s, s.total},
                                                    {u"active"_s, s.active},
                                                    {u"completed"_s, s.completed},
                                                    {u"reassigned"_s, s.reassigned},
                                                    {u"cancelled"_s, s.cancelled}}}});
}

HttpResponse ticketHistory(HttpRequest &request, RequestContext &context)
{
    const QString id = pathId(request, u"id"_s, kWhat);
    auto &repos = context.repositories();
    if (!repos.tickets().find(id))
        throw api::ApiError::notFound(kWhat);
    QJsonArray data;
    for (const TicketHistoryEntry &e : repos.tickets().history(id))
        data.append(api::toJson(e));
    return HttpResponse::json(200, QJsonObject{{u"data"_s, data}});
}

} // namespace

void registerTicketRoutes(Router &router)
{
    router.add("GET", u"/v1/tickets"_s, list);
    router.add("POST", u"/v1/tickets"_s, create);
    router.add("GET", u"/v1/tickets/{id}"_s, get);
    router.add("PATCH", u"/v1/tickets/{id}"_s, patch);
    router.add("POST", u"/v1/tickets/{id}/assign"_s, assign);
    router.add("GET", u"/v1/tickets/{id}/assignments/history"_s, history);
    router.add("GET", u"/v1/tickets/{id}/history"_s, ticketHistory);
}

} // namespace md::server
