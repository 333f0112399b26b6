#include "ticketstatemachine.h"

#include <array>

namespace md::domain {

namespace {
constexpr std::array kAllStatuses{
    TicketStatus::New,      TicketStatus::Assigned, TicketStatus::InProgress, TicketStatus::OnHold,
    TicketStatus::Resolved, TicketStatus::Closed,   TicketStatus::Cancelled};
} // namespace

bool TicketStateMachine::canChangeStatus(TicketStatus from, TicketStatus to)
{
    using S = TicketStatus;
    // "assigned" is never a target here: only an assignment may enter it, so that every
    // assigned ticket has an engineer and a history row.
    switch (from) {
    case S::New:
        return to == S::Cancelled;
    case S::Assigned:
        return to == S::InProgress || to == S::OnHold || to == S::Resolved || to == S::Cancelled;
    case S::InProgress:
        return to == S::OnHold || to == S::Resolved || to == S::Cancelled;
    case S::OnHold:
        return to == S::InProgress || to == S::Cancelled;
    case S::Resolved:
        return to == S::Closed || to == S::InProgress;
    case S::Closed:
    case S::Cancelled:
        return false;
    }
    return false;
}

QList<TicketStatus> TicketStateMachine::nextStatuses(TicketStatus from)
{
    QList<TicketStatus> next;
    for (const TicketStatus to : kAllStatuses) {
        if (canChangeStatus(from, to))
            next.append(to);
    }
    return next;
}

bool TicketStateMachine::canAssign(TicketStatus status)
{
    return status == TicketStatus::New || isReassignment(status);
}

bool TicketStateMachine::isReassignment(TicketStatus status)
{
    return status == TicketStatus::Assigned || status == TicketStatus::InProgress ||
           status == TicketStatus::OnHold;
}

std::optional<AssignmentStatus> TicketStateMachine::assignmentOutcome(TicketStatus to)
{
    switch (to) {
    case TicketStatus::Resolved:
    case TicketStatus::Closed:
        return AssignmentStatus::Completed;
    case TicketStatus::Cancelled:
        return AssignmentStatus::Cancelled;
    default:
        return std::nullopt;
    }
}

} // namespace md::domain
