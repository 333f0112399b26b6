#pragma once

#include "enums.h"

#include <QDateTime>
#include <QString>
#include <optional>

namespace md::domain {

/// One line of a ticket's life, appended in the same transaction as the change and
/// never rewritten: opened, status changed, priority changed, (re)assigned.
struct TicketHistoryEntry
{
    enum class Kind
    {
        Created,
        StatusChanged,
        PriorityChanged,
        Assigned,
        Reassigned
    };

    QString id;
    QString ticketId;
    Kind kind = Kind::Created;
    QDateTime at;
    QString actor; // user id, or a system name such as "local"
    std::optional<TicketStatus> fromStatus;
    std::optional<TicketStatus> toStatus;
    QString note; // e.g. "priority normal -> critical", the engineer's name, a reason
};

QString toString(TicketHistoryEntry::Kind kind);
std::optional<TicketHistoryEntry::Kind> parseTicketHistoryKind(const QString &s);

} // namespace md::domain
