#pragma once

#include <QString>
#include <optional>

namespace md::domain {

/// Kinds of organization. Manufacturers employ tier-1 (OEM) engineers, authorized
/// partners tier 2, multi-brand service providers tier 3, hospitals own equipment and
/// employ their biomedical (BME) team, tier 4.
enum class OrganizationType
{
    Hospital,
    Manufacturer,
    AuthorizedPartner,
    ServiceProvider
};

enum class EngineerLevel
{
    L1 = 1,
    L2 = 2,
    L3 = 3
};

enum class Priority
{
    Critical,
    High,
    Normal,
    Low
};

enum class TicketStatus
{
    New,
    Assigned,
    InProgress,
    OnHold,
    Resolved,
    Closed,
    Cancelled
};

enum class AssignmentStatus
{
    Active,
    Completed,
    Reassigned,
    Cancelled
};

/// How a ticket was opened.
enum class TicketChannel
{
    Desk,
    QrScan,
    WhatsApp,
    Api
};

enum class EquipmentStatus
{
    Operational,
    Degraded,
    Down,
    Maintenance,
    Retired
};

/// How much patient care depends on the device.
enum class Criticality
{
    Low,
    Medium,
    High,
    LifeSupport
};

/// The four assignment tiers of DESIGN.md; the number is the wire value.
enum class AssignmentTier
{
    Oem = 1,
    AuthorizedPartner = 2,
    ServiceProvider = 3,
    HospitalBme = 4
};

// Wire names (snake_case, as in API.md). parse* returns nullopt for unknown text.
QString toString(OrganizationType v);
QString toString(EngineerLevel v);
QString toString(Priority v);
QString toString(TicketStatus v);
QString toString(AssignmentStatus v);
QString toString(TicketChannel v);
QString toString(EquipmentStatus v);
QString toString(Criticality v);

std::optional<OrganizationType> parseOrganizationType(const QString &s);
std::optional<EngineerLevel> parseEngineerLevel(const QString &s);
std::optional<Priority> parsePriority(const QString &s);
std::optional<TicketStatus> parseTicketStatus(const QString &s);
std::optional<AssignmentStatus> parseAssignmentStatus(const QString &s);
std::optional<TicketChannel> parseTicketChannel(const QString &s);
std::optional<EquipmentStatus> parseEquipmentStatus(const QString &s);
std::optional<Criticality> parseCriticality(const QString &s);
std::optional<AssignmentTier> parseAssignmentTier(int tier);

/// The minimum engineer level a ticket of this priority needs:
/// critical -> L3, high -> L2, normal and low -> L1.
EngineerLevel requiredLevel(Priority p);

/// Statuses in which a ticket still needs work (counted as "active").
bool isOpen(TicketStatus s);

} // namespace md::domain
