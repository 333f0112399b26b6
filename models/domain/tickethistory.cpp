#include "tickethistory.h"

#include <array>
#include <utility>

using namespace Qt::StringLiterals;

namespace md::domain {

namespace {
using Kind = TicketHistoryEntry::Kind;
const std::array<std::pair<Kind, QStringView>, 5> kNames{
    {{Kind::Created, u"created"},
     {Kind::StatusChanged, u"status_changed"},
     {Kind::PriorityChanged, u"priority_changed"},
     {Kind::Assigned, u"assigned"},
     {Kind::Reassigned, u"reassigned"}}};
} // namespace

QString toString(TicketHistoryEntry::Kind kind)
{
    for (const auto &[k, name] : kNames) {
        if (k == kind)
            return name.toString();
    }
    return {};
}

std::optional<TicketHistoryEntry::Kind> parseTicketHistoryKind(const QString &s)
{
    for (const auto &[k, name] : kNames) {
        if (name == s)
            return k;
    }
    return std::nullopt;
}

} // namespace md::domain
