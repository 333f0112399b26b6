#include "assignmentengine.h"

#include <algorithm>
#include <cmath>

namespace md::domain {

namespace {

// The weights are documented in docs/assignment-engine.md; change both together.
constexpr int kMaxTier = 35;
constexpr int kMaxLevel = 20;
constexpr int kCertification = 20;
constexpr int kMaxWorkload = 15;
constexpr int kWorkloadPerOpenAssignment = 3;
constexpr int kMaxDistance = 10;
constexpr int kUnknownDistance = 5;
constexpr double kFullDistancePointsKm = 10.0;
constexpr double kZeroDistancePointsKm = 200.0;

int tierPoints(AssignmentTier tier, bool covered)
{
    // Under warranty or a service contract the OEM is paid already and voiding the warranty
    // is the risk, so the OEM leads. Afterwards the hospital's own team and multi-brand
    // providers cost less and are nearer, so the order turns round.
    switch (tier) {
    case AssignmentTier::Oem:
        return covered ? 35 : 20;
    case AssignmentTier::AuthorizedPartner:
        return covered ? 30 : 25;
    case AssignmentTier::ServiceProvider:
        return covered ? 20 : 30;
    case AssignmentTier::HospitalBme:
        return covered ? 15 : 35;
    }
    return 0;
}

int levelPoints(EngineerLevel level, EngineerLevel required)
{
    // Exactly the level needed is best: over-qualified engineers are scarce and better kept
    // for the tickets only they may take.
    switch (static_cast<int>(level) - static_cast<int>(required)) {
    case 0:
        return 20;
    case 1:
        return 15;
    case 2:
        return 10;
    default:
        return 0; // below the required level: never eligible, scored for completeness
    }
}

int distancePoints(std::optional<double> km)
{
    if (!km)
        return kUnknownDistance;
    if (*km <= kFullDistancePointsKm)
        return kMaxDistance;
    if (*km >= kZeroDistancePointsKm)
        return 0;
    const double share =
        (kZeroDistancePointsKm - *km) / (kZeroDistancePointsKm - kFullDistancePointsKm);
    return static_cast<int>(std::lround(kMaxDistance * share));
}

} // namespace

std::optional<AssignmentTier> AssignmentEngine::tierFor(const Engineer &engineer,
                                                        const DispatchContext &context)
{
    const QString &org = engineer.organizationId;
    if (org.isEmpty()) // an empty id would otherwise "match" an equipment with no maker
        return std::nullopt;
    if (org == context.equipment.manufacturerId)
        return AssignmentTier::Oem;
    if (context.authorizedPartnerIds.contains(org))
        return AssignmentTier::AuthorizedPartner;
    if (context.serviceProviderIds.contains(org))
        return AssignmentTier::ServiceProvider;
    if (org == context.equipment.organizationId)
        return AssignmentTier::HospitalBme;
    return std::nullopt;
}

bool AssignmentEngine::isEligible(const Engineer &engineer, const DispatchContext &context)
{
    return engineer.active &&
           engineer.services(context.equipment.manufacturerId, context.equipment.category) &&
           static_cast<int>(engineer.level) >=
               static_cast<int>(requiredLevel(context.ticket.priority)) &&
           tierFor(engineer, context).has_value();
}

ScoreBreakdown AssignmentEngine::score(const Engineer &engineer, AssignmentTier tier,
                                       const DispatchContext &context)
{
    const Equipment &eq = context.equipment;
    ScoreBreakdown b;
    b.tier = tierPoints(tier, eq.isCovered(context.today));
    b.level = levelPoints(engineer.level, requiredLevel(context.ticket.priority));
    const bool certified =
        std::any_of(engineer.certifications.cbegin(), engineer.certifications.cend(),
                    [&](const Certification &c) {
                        return c.covers(eq.manufacturerId, eq.category, context.today);
                    });
    b.certification = certified ? kCertification : 0;
    b.workload = std::max(0, kMaxWorkload - kWorkloadPerOpenAssignment *
                                                std::max(0, engineer.openAssignments));
    if (engineer.location && context.siteLocation && isValid(*engineer.location) &&
        isValid(*context.siteLocation))
        b.distanceKm = distanceKm(*engineer.location, *context.siteLocation);
    b.distance = distancePoints(b.distanceKm);
    static_assert(kMaxTier + kMaxLevel + kCertification + kMaxWorkload + kMaxDistance == 100);
    return b;
}

QList<Suggestion> AssignmentEngine::rank(const QList<Candidate> &candidates,
                                         const DispatchContext &context)
{
    QList<Suggestion> out;
    for (const Candidate &c : candidates) {
        if (!isEligible(c.engineer, context))
            continue;
        Suggestion s;
        s.candidate = c;
        s.tier = *tierFor(c.engineer, context);
        s.breakdown = score(c.engineer, s.tier, context);
        s.matchScore = s.breakdown.total();
        out.append(std::move(s));
    }
    // A total order, so the result never depends on the input order or the locale.
    std::sort(out.begin(), out.end(), [](const Suggestion &a, const Suggestion &b) {
        if (a.matchScore != b.matchScore)
            return a.matchScore > b.matchScore;
        const Engineer &ea = a.candidate.engineer;
        const Engineer &eb = b.candidate.engineer;
        if (ea.level != eb.level)
            return ea.level > eb.level;
        if (const int byName = ea.name.compare(eb.name, Qt::CaseInsensitive); byName != 0)
            return byName < 0;
        if (const int byExactName = ea.name.compare(eb.name); byExactName != 0)
            return byExactName < 0;
        return ea.id < eb.id;
    });
    if (!out.isEmpty())
        out.first().recommended = true;
    return out;
}

} // namespace md::domain
