#pragma once

#include "engineer.h"
#include "enums.h"
#include "equipment.h"
#include "ticket.h"

#include <QList>
#include <QSet>
#include <QString>
#include <optional>

namespace md::domain {

/// What the engine needs to know about the ticket's equipment and the organizations
/// around it. The caller (storage) gathers it; the engine does no I/O.
struct DispatchContext
{
    Ticket ticket;
    Equipment equipment;
    std::optional<GeoPoint> siteLocation; // the hospital's location, if known
    QSet<QString> authorizedPartnerIds;   // authorized for (manufacturer, category)
    QSet<QString> serviceProviderIds;     // servicing (manufacturer, category)
    QDate today;
};

/// One candidate engineer, with the organization facts the engine needs.
struct Candidate
{
    Engineer engineer;
    QString organizationName;
    OrganizationType organizationType = OrganizationType::Hospital;
};

/// Per-factor points; they add up to the match score.
struct ScoreBreakdown
{
    int tier = 0;          // 0..35
    int level = 0;         // 0..20
    int certification = 0; // 0..20
    int workload = 0;      // 0..15
    int distance = 0;      // 0..10
    std::optional<double> distanceKm;
    int total() const { return tier + level + certification + workload + distance; }
};

struct Suggestion
{
    Candidate candidate;
    AssignmentTier tier = AssignmentTier::HospitalBme;
    int matchScore = 0; // 0..100
    ScoreBreakdown breakdown;
    bool recommended = false; // the top-ranked one only
};

/// Tiers, eligibility, scoring and ranking of DESIGN.md, as pure functions.
/// The scoring is documented in docs/assignment-engine.md.
class AssignmentEngine final
{
public:
    /// The best (lowest-numbered) tier under which the engineer may service the
    /// equipment, or nullopt when no tier applies.
    static std::optional<AssignmentTier> tierFor(const Engineer &engineer,
                                                 const DispatchContext &context);
    /// Active, services manufacturer and category, level high enough, and some tier.
    static bool isEligible(const Engineer &engineer, const DispatchContext &context);
    static ScoreBreakdown score(const Engineer &engineer, AssignmentTier tier,
                                const DispatchContext &context);
    /// Eligible candidates, best first: by score, then level (L3 > L2 > L1), then
    /// name, then id. The first is recommended.
    static QList<Suggestion> rank(const QList<Candidate> &candidates,
                                  const DispatchContext &context);
};

} // namespace md::domain
