#pragma once

#include "enums.h"

#include <QDateTime>

namespace md::domain {

/// Service-level targets per priority. Defaults (docs/sla.md):
///   critical: response 1 h, resolution 8 h
///   high:     response 4 h, resolution 24 h
///   normal:   response 24 h, resolution 72 h
///   low:      response 72 h, resolution 240 h (10 days)
struct SlaTargets
{
    qint64 responseMinutes = 0;
    qint64 resolutionMinutes = 0;
};

class SlaPolicy final
{
public:
    static SlaTargets defaults(Priority p);
    static QDateTime responseDue(Priority p, const QDateTime &createdAt);
    static QDateTime resolutionDue(Priority p, const QDateTime &createdAt);
    /// "At risk": not yet breached, but less than 25 % of the window is left.
    enum class State
    {
        OnTrack,
        AtRisk,
        Breached
    };
    static State state(const QDateTime &createdAt, const QDateTime &dueAt, const QDateTime &now);
};

} // namespace md::domain
