#pragma once

#include "enums.h"

#include <QList>

namespace md::domain {

/// The ticket life cycle:
///   new -> assigned (by an assignment) | cancelled
///   assigned -> in_progress | on_hold | resolved | cancelled | assigned (reassign)
///   in_progress -> on_hold | resolved | cancelled | assigned (reassign)
///   on_hold -> in_progress | cancelled | assigned (reassign)
///   resolved -> closed | in_progress (reopen)
///   closed, cancelled: final
/// "assigned" is entered only through an assignment, never by a status change.
class TicketStateMachine final
{
public:
    /// May a status change (PATCH status) go from -> to?
    static bool canChangeStatus(TicketStatus from, TicketStatus to);
    /// Statuses a PATCH may move to from here (for the desktop's buttons).
    static QList<TicketStatus> nextStatuses(TicketStatus from);
    /// May the ticket get an (re)assignment in this status?
    static bool canAssign(TicketStatus status);
    /// Does assigning in this status replace an active assignment (needs a reason)?
    static bool isReassignment(TicketStatus status);
    /// What the assignment's status becomes when the ticket moves to `to`
    /// (resolved/closed -> completed, cancelled -> cancelled), if it ends.
    static std::optional<AssignmentStatus> assignmentOutcome(TicketStatus to);
};

} // namespace md::domain
