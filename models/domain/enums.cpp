#include "enums.h"

#include <array>
#include <utility>

namespace md::domain {

namespace {

// One table per enum keeps toString and parse* from drifting apart.
template <typename E, std::size_t N>
using NameTable = std::array<std::pair<E, const char16_t *>, N>;

constexpr NameTable<OrganizationType, 4> kOrganizationTypes{{
    {OrganizationType::Hospital, u"hospital"},
    {OrganizationType::Manufacturer, u"manufacturer"},
    {OrganizationType::AuthorizedPartner, u"authorized_partner"},
    {OrganizationType::ServiceProvider, u"service_provider"},
}};

constexpr NameTable<EngineerLevel, 3> kLevels{{
    {EngineerLevel::L1, u"L1"},
    {EngineerLevel::L2, u"L2"},
    {EngineerLevel::L3, u"L3"},
}};

constexpr NameTable<Priority, 4> kPriorities{{
    {Priority::Critical, u"critical"},
    {Priority::High, u"high"},
    {Priority::Normal, u"normal"},
    {Priority::Low, u"low"},
}};

constexpr NameTable<TicketStatus, 7> kTicketStatuses{{
    {TicketStatus::New, u"new"},
    {TicketStatus::Assigned, u"assigned"},
    {TicketStatus::InProgress, u"in_progress"},
    {TicketStatus::OnHold, u"on_hold"},
    {TicketStatus::Resolved, u"resolved"},
    {TicketStatus::Closed, u"closed"},
    {TicketStatus::Cancelled, u"cancelled"},
}};

constexpr NameTable<AssignmentStatus, 4> kAssignmentStatuses{{
    {AssignmentStatus::Active, u"active"},
    {AssignmentStatus::Completed, u"completed"},
    {AssignmentStatus::Reassigned, u"reassigned"},
    {AssignmentStatus::Cancelled, u"cancelled"},
}};

constexpr NameTable<TicketChannel, 4> kChannels{{
    {TicketChannel::Desk, u"desk"},
    {TicketChannel::QrScan, u"qr_scan"},
    {TicketChannel::WhatsApp, u"whatsapp"},
    {TicketChannel::Api, u"api"},
}};

constexpr NameTable<EquipmentStatus, 5> kEquipmentStatuses{{
    {EquipmentStatus::Operational, u"operational"},
    {EquipmentStatus::Degraded, u"degraded"},
    {EquipmentStatus::Down, u"down"},
    {EquipmentStatus::Maintenance, u"maintenance"},
    {EquipmentStatus::Retired, u"retired"},
}};

constexpr NameTable<Criticality, 4> kCriticalities{{
    {Criticality::Low, u"low"},
    {Criticality::Medium, u"medium"},
    {Criticality::High, u"high"},
    {Criticality::LifeSupport, u"life_support"},
}};

template <typename E, std::size_t N> QString nameOf(const NameTable<E, N> &table, E value)
{
    for (const auto &[v, name] : table) {
        if (v == value)
            return QString::fromUtf16(name);
    }
    return {}; // only reachable with a value cast from an out-of-range integer
}

// Wire names are exact: "Critical" or " high" are client bugs, not synonyms.
template <typename E, std::size_t N>
std::optional<E> valueOf(const NameTable<E, N> &table, const QString &s)
{
    for (const auto &[v, name] : table) {
        if (s == QStringView(name))
            return v;
    }
    return std::nullopt;
}

} // namespace

QString toString(OrganizationType v)
{
    return nameOf(kOrganizationTypes, v);
}
QString toString(EngineerLevel v)
{
    return nameOf(kLevels, v);
}
QString toString(Priority v)
{
    return nameOf(kPriorities, v);
}
QString toString(TicketStatus v)
{
    return nameOf(kTicketStatuses, v);
}
QString toString(AssignmentStatus v)
{
    return nameOf(kAssignmentStatuses, v);
}
QString toString(TicketChannel v)
{
    return nameOf(kChannels, v);
}
QString toString(EquipmentStatus v)
{
    return nameOf(kEquipmentStatuses, v);
}
QString toString(Criticality v)
{
    return nameOf(kCriticalities, v);
}

std::optional<OrganizationType> parseOrganizationType(const QString &s)
{
    return valueOf(kOrganizationTypes, s);
}
std::optional<EngineerLevel> parseEngineerLevel(const QString &s)
{
    return valueOf(kLevels, s);
}
std::optional<Priority> parsePriority(const QString &s)
{
    return valueOf(kPriorities, s);
}
std::optional<TicketStatus> parseTicketStatus(const QString &s)
{
    return valueOf(kTicketStatuses, s);
}
std::optional<AssignmentStatus> parseAssignmentStatus(const QString &s)
{
    return valueOf(kAssignmentStatuses, s);
}
std::optional<TicketChannel> parseTicketChannel(const QString &s)
{
    return valueOf(kChannels, s);
}
std::optional<EquipmentStatus> parseEquipmentStatus(const QString &s)
{
    return valueOf(kEquipmentStatuses, s);
}
std::optional<Criticality> parseCriticality(const QString &s)
{
    return valueOf(kCriticalities, s);
}

std::optional<AssignmentTier> parseAssignmentTier(int tier)
{
    if (tier < 1 || tier > 4)
        return std::nullopt;
    return static_cast<AssignmentTier>(tier);
}

EngineerLevel requiredLevel(Priority p)
{
    switch (p) {
    case Priority::Critical:
        return EngineerLevel::L3;
    case Priority::High:
        return EngineerLevel::L2;
    case Priority::Normal:
    case Priority::Low:
        return EngineerLevel::L1;
    }
    return EngineerLevel::L3; // unknown priority: demand the most, never the least
}

bool isOpen(TicketStatus s)
{
    switch (s) {
    case TicketStatus::New:
    case TicketStatus::Assigned:
    case TicketStatus::InProgress:
    case TicketStatus::OnHold:
        return true;
    case TicketStatus::Resolved:
    case TicketStatus::Closed:
    case TicketStatus::Cancelled:
        return false;
    }
    return false;
}

} // namespace md::domain
