#pragma once

#include "enums.h"
#include "validation.h"

#include <QDateTime>
#include <QString>

namespace md::domain {

/// A service request for one piece of equipment.
struct Ticket
{
    QString id;
    QString number; // human number, e.g. TKT-2026-000123; assigned by storage
    QString equipmentId;
    QString organizationId; // the hospital (the equipment's owner)
    QString reporterName;
    QString reporterContact; // phone or e-mail as given
    QString reporterUserId;  // when reported by a signed-in user
    TicketChannel channel = TicketChannel::Desk;
    Priority priority = Priority::Normal;
    TicketStatus status = TicketStatus::New;
    QString title;
    QString description;
    QString assignedEngineerId; // the active assignment's engineer, if any
    QDateTime createdAt;
    QDateTime updatedAt;
    QDateTime assignedAt;
    QDateTime resolvedAt;
    QDateTime closedAt;
    QDateTime responseDueAt;   // SLA: an engineer assigned by then
    QDateTime resolutionDueAt; // SLA: resolved by then

    ValidationErrors validate() const;
};

} // namespace md::domain
