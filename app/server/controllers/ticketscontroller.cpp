#include "controllers.h"
#include "controllersupport.h"

#include "api/codecs.h"
#include "domain/assignmentengine.h"
#include "domain/slapolicy.h"
#include "domain/ticketstatemachine.h"
#include "http/router.h"

using namespace Qt::StringLiterals;
using namespace md::domain;

namespace md::server {

namespace {

const QString kWhat = u"Ticket"_s;

QJsonObject ticketJson(const Ticket &t, RequestContext &context)
{
    return api::toJson(t, context.clock().now());
}

// Tickets have their own create and PATCH flows (state machine, history, assignments);
// they share only the lookup of a visible one.
const ResourceKind<Ticket> &tickets()
{
    static const ResourceKind<Ticket> kind{
        .what = kWhat,
        .entityType = u"ticket"_s,
        .collectionPath = u"/v1/tickets/"_s,
        .visible = &storage::VisibilityRepository::ticketVisible,
        .find = [](storage::Repositories &repos,
                   const QString &id) { return repos.tickets().find(id); },
        .store = nullptr,
        .read = nullptr,
        .toJson = [](RequestContext &context, const Ticket &t) { return ticketJson(t, context); },
        .organizationOf = [](const Ticket &t) { return t.organizationId; },
        .authorizeChange = nullptr,
        .checkReferences = nullptr,
    };
    return kind;
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

void publishTicket(RequestContext &context, const QString &event, const QJsonObject &ticket)
{
    publishChange(context, u"ticket"_s, event, ticket,
                  {ticket.value(u"organization_id"_s).toString()});
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
    require(context, Permission::TicketsRead);
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
    const auto result = context.repositories().tickets().list(filter, context.scope(), page);
    QJsonArray data;
    for (const Ticket &t : result.items)
        data.append(ticketJson(t, context));
    return HttpResponse::json(200, api::pageJson(data, page.limit, page.offset, result.total));
}

HttpResponse get(HttpRequest &request, RequestContext &context)
{
    require(context, Permission::TicketsRead);
    const Ticket t = visibleObject(request, context, tickets());
    QJsonObject body = ticketJson(t, context);
    QJsonArray next;
    for (TicketStatus s : TicketStateMachine::nextStatuses(t.status))
        next.append(toString(s));
    body.insert(u"allowed_statuses"_s, next);
    body.insert(u"can_assign"_s, TicketStateMachine::canAssign(t.status));
    return HttpResponse::json(200, body);
}

HttpResponse create(HttpRequest &request, RequestContext &context)
{
    const Principal &me = require(context, Permission::TicketsCreate);
    api::JsonReader reader(api::JsonReader::parseObject(request.body));
    Ticket t;
    t.channel = TicketChannel::Api;
    api::readTicket(reader, t, true);
    t.reporterUserId = me.userId;
    auto &repos = context.repositories();
    QJsonObject after;
    context.database().transaction([&] {
        if (!t.equipmentId.isEmpty()) {
            // Equipment the caller cannot see, or (below the platform roles) that is not
            // their organization's, reads as unknown.
            const bool visible =
                repos.visibility().equipmentVisible(t.equipmentId, context.scope());
            const auto equipment = visible ? repos.equipment().find(t.equipmentId) : std::nullopt;
            if (!equipment || !isCallersOrganization(me, equipment->organizationId))
                reader.addError(u"equipment_id"_s, u"names no equipment you may report on"_s);
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
        after = ticketJson(repos.tickets().find(t.id).value_or(t), context);
        context.audit(u"ticket.create"_s, u"ticket"_s, t.id, t.organizationId, {}, after);
    });
    publishTicket(context, u"created"_s, after);
    return HttpResponse::json(201, after)
        .withHeader("Location", QString(u"/v1/tickets/"_s + t.id).toUtf8());
}

// What a caller who can see a ticket may change on it.
enum class TicketRights
{
    Everything, // the platform roles and the administrators of the ticket's hospital
    Progress,   // the engineer actively assigned, and their organization's administrators
};

TicketRights ticketRights(RequestContext &context, const Principal &me, const Ticket &t)
{
    if (isPlatformRole(me.role) ||
        (me.role == Role::OrgAdmin && isCallersOrganization(me, t.organizationId)))
        return TicketRights::Everything;
    auto &repos = context.repositories();
    if (const auto active = repos.assignments().active(t.id)) {
        if (me.role == Role::Engineer && !me.engineerId.isEmpty() &&
            active->engineerId == me.engineerId)
            return TicketRights::Progress;
        if (me.role == Role::OrgAdmin) {
            const auto engineer = repos.engineers().find(active->engineerId);
            if (engineer && isCallersOrganization(me, engineer->organizationId))
                return TicketRights::Progress;
        }
    }
    throwNotYours(u"Only the dispatchers and the engineer assigned may change this ticket."_s);
}

// The statuses the people doing the work may move a ticket to.
bool isProgressStatus(TicketStatus status)
{
    return status == TicketStatus::InProgress || status == TicketStatus::OnHold ||
           status == TicketStatus::Resolved;
}

void requireProgressOnly(const QJsonObject &body, std::optional<TicketStatus> to)
{
    const bool onlyStatus = body.size() == (body.contains(u"status"_s) ? 1 : 0);
    if (!onlyStatus || (to && !isProgressStatus(*to)))
        throwNotYours(u"You may only move the work along: status in_progress, on_hold or "
                      u"resolved."_s);
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
        const auto active = repos.assignments().active(t.id);
        if (auto ended = repos.assignments().endActive(t.id, *outcome, now)) {
            changedAssignments.append(*ended);
            context.audit(u"assignment.end"_s, u"assignment"_s, ended->id, t.organizationId,
                          active ? api::toJson(*active) : QJsonObject(), api::toJson(*ended));
        }
    }
    if (t.status == TicketStatus::Resolved && to == TicketStatus::InProgress) {
        // Reopened: the engineer who resolved it carries on, as a new assignment so
        // that the history shows the reopening.
        const auto history = repos.assignments().history(t.id);
        if (!history.isEmpty() && !repos.assignments().active(t.id)) {
            Assignment again = history.first();
            again.id = newId();
            again.status = AssignmentStatus::Active;
            again.assignedBy = context.actor();
            again.reason = u"Reopened"_s;
            again.assignedAt = now;
            again.endedAt = {};
            repos.assignments().insert(again);
            changedAssignments.append(again);
            context.audit(u"assignment.create"_s, u"assignment"_s, again.id, t.organizationId, {},
                          api::toJson(again));
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
    const Principal &me = require(context, Permission::TicketsUpdate);
    const Ticket existing = visibleObject(request, context, tickets());
    ticketRights(context, me, existing); // 403 before anything else; again below, in step
    const QJsonObject body = api::JsonReader::parseObject(request.body);
    auto &repos = context.repositories();
    Ticket t;
    QList<Assignment> changed;
    QJsonObject after;
    context.database().transaction([&] {
        changed.clear();
        after = {};
        const auto current = repos.tickets().find(existing.id);
        requireVisible(current.has_value(), kWhat); // gone meanwhile
        const TicketRights rights = ticketRights(context, me, *current);
        api::JsonReader reader(body);
        t = *current;
        api::readTicket(reader, t, false);
        const auto to = reader.enumeration<TicketStatus>(
            u"status"_s, false, &parseTicketStatus,
            u"new, assigned, in_progress, on_hold, resolved, closed, cancelled"_s);
        if (rights == TicketRights::Progress)
            requireProgressOnly(body, to);
        reader.addErrors(t.validate());
        reader.finish();
        const QDateTime now = context.clock().now();
        if (to && *to == TicketStatus::Assigned && t.status != TicketStatus::Assigned)
            throw api::ApiError(
                409, u"invalid_transition"_s,
                u"A ticket becomes assigned by assigning an engineer (POST /v1/tickets/{id}/assign)."_s);
        if (to)
            changeStatus(context, t, *to, now, changed);
        if (t.priority != current->priority) {
            record(context, t, TicketHistoryEntry::Kind::PriorityChanged, std::nullopt,
                   std::nullopt, toString(current->priority) + u" -> "_s + toString(t.priority),
                   now);
            // A new priority moves the SLA targets, measured from when it was opened.
            t.responseDueAt = SlaPolicy::responseDue(t.priority, t.createdAt);
            t.resolutionDueAt = SlaPolicy::resolutionDue(t.priority, t.createdAt);
        }
        const QJsonObject before = ticketJson(*current, context);
        if (ticketJson(t, context) == before)
            return; // nothing to change, nothing to audit
        t.updatedAt = now;
        repos.tickets().update(t);
        // The current engineer follows the active assignment (kept by the storage
        // triggers), so answer with the ticket as stored rather than the copy edited here.
        t = repos.tickets().find(t.id).value_or(t);
        after = ticketJson(t, context);
        context.audit(t.status != current->status ? u"ticket.status_change"_s : u"ticket.update"_s,
                      u"ticket"_s, t.id, t.organizationId, before, after);
    });
    if (after.isEmpty())
        return HttpResponse::json(200, ticketJson(t, context));
    for (const Assignment &a : changed)
        context.publish(u"assignment.updated"_s, api::toJson(a));
    publishTicket(context, u"updated"_s, after);
    return HttpResponse::json(200, after);
}

// The engineer a dispatcher picked must be one the engine ranks for this ticket. One the
// caller can neither see nor find among the suggestions reads as unknown.
const Suggestion &pickedSuggestion(RequestContext &context, const QList<Suggestion> &ranked,
                                   const QString &engineerId)
{
    const auto match = std::find_if(ranked.cbegin(), ranked.cend(), [&](const Suggestion &s) {
        return s.candidate.engineer.id == engineerId;
    });
    if (match != ranked.cend())
        return *match;
    auto &repos = context.repositories();
    const bool known = repos.visibility().engineerVisible(engineerId, context.scope()) &&
                       repos.engineers().find(engineerId);
    throw api::ApiError::validation(
        {{u"engineer_id"_s,
          known ? u"this engineer may not service this equipment at the ticket's priority"_s
                : u"must name an existing engineer"_s}});
}

HttpResponse assign(HttpRequest &request, RequestContext &context)
{
    const Principal &me = require(context, Permission::TicketsAssign);
    const Ticket existing = visibleObject(request, context, tickets());
    requireDispatcherOf(me, existing);
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
    QJsonObject ticketAfter;
    Assignment assignment;
    std::optional<Assignment> previous;
    context.database().transaction([&] {
        const QDateTime now = context.clock().now();
        const auto found = repos.engineers().dispatchCandidates(existing.id, now.date());
        requireVisible(found.has_value(), kWhat);
        const auto &[dispatchContext, candidates] = *found;
        t = dispatchContext.ticket;
        const QJsonObject ticketBefore = ticketJson(t, context);
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
        const QList<Suggestion> ranked = AssignmentEngine::rank(candidates, dispatchContext);
        const Suggestion &match = pickedSuggestion(context, ranked, engineerId);
        if (tier && *tier != int(match.tier))
            throw api::ApiError::validation(
                {{u"assignment_tier"_s,
                  u"is %1 for this engineer, not %2"_s.arg(int(match.tier)).arg(*tier)}});

        const QJsonObject previousBefore = previous ? api::toJson(*previous) : QJsonObject();
        if (previous) {
            repos.assignments().endActive(t.id, AssignmentStatus::Reassigned, now);
            previous->status = AssignmentStatus::Reassigned;
            previous->endedAt = now;
        }
        assignment.id = newId();
        assignment.ticketId = t.id;
        assignment.engineerId = engineerId;
        assignment.tier = match.tier;
        assignment.status = AssignmentStatus::Active;
        assignment.assignedBy = context.actor();
        assignment.reason = reason.value_or(QString()).trimmed();
        assignment.matchScore = match.matchScore;
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
            match.candidate.engineer.name + u" ("_s + match.candidate.organizationName + u')';
        record(context, t,
               previous ? TicketHistoryEntry::Kind::Reassigned : TicketHistoryEntry::Kind::Assigned,
               statusBefore, t.status,
               assignment.reason.isEmpty() ? who : who + u": "_s + assignment.reason, now);
        ticketAfter = ticketJson(repos.tickets().find(t.id).value_or(t), context);
        context.audit(previous ? u"assignment.reassign"_s : u"assignment.create"_s, u"assignment"_s,
                      assignment.id, t.organizationId, previousBefore, api::toJson(assignment));
        context.audit(u"ticket.assign"_s, u"ticket"_s, t.id, t.organizationId, ticketBefore,
                      ticketAfter);
    });
    if (previous)
        context.publish(u"assignment.updated"_s, api::toJson(*previous));
    context.publish(u"assignment.created"_s, api::toJson(assignment));
    publishTicket(context, u"updated"_s, ticketAfter);
    QJsonObject body = api::toJson(assignment);
    body.insert(u"ticket"_s, ticketAfter);
    return HttpResponse::json(201, body);
}

HttpResponse history(HttpRequest &request, RequestContext &context)
{
    require(context, Permission::TicketsRead);
    const QString id = visibleObject(request, context, tickets()).id;
    auto &repos = context.repositories();
    const QList<Assignment> items = repos.assignments().history(id);
    QHash<QString, QJsonObject> engineers;
    QHash<QString, QString> assignerNames;
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
        // Who assigned, by name: assigned_by holds a user id (or a system actor's name).
        if (!a.assignedBy.isEmpty() && !assignerNames.contains(a.assignedBy)) {
            const auto user =
                validate::isUuid(a.assignedBy) ? repos.users().find(a.assignedBy) : std::nullopt;
            assignerNames.insert(a.assignedBy, user ? user->name : QString());
        }
        row.insert(u"assigned_by_name"_s, api::textOrNull(assignerNames.value(a.assignedBy)));
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
    require(context, Permission::TicketsRead);
    const QString id = visibleObject(request, context, tickets()).id;
    QJsonArray data;
    for (const TicketHistoryEntry &e : context.repositories().tickets().history(id))
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
