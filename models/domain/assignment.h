#pragma once

#include "enums.h"

#include <QDateTime>
#include <QString>

namespace md::domain {

/// One engineer's assignment to a ticket. A ticket has at most one active assignment;
/// the others are history.
struct Assignment
{
    QString id;
    QString ticketId;
    QString engineerId;
    AssignmentTier tier = AssignmentTier::HospitalBme;
    AssignmentStatus status = AssignmentStatus::Active;
    QString assignedBy; // user id, or a system name such as "system"
    QString reason;
    int matchScore = 0; // 0-100 at the time of assignment; -1 when unknown
    QDateTime assignedAt;
    QDateTime endedAt;
};

} // namespace md::domain
