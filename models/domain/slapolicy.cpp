#include "slapolicy.h"

namespace md::domain {

SlaTargets SlaPolicy::defaults(Priority p)
{
    switch (p) {
    case Priority::Critical:
        return {60, 8 * 60};
    case Priority::High:
        return {4 * 60, 24 * 60};
    case Priority::Normal:
        return {24 * 60, 72 * 60};
    case Priority::Low:
        return {72 * 60, 240 * 60};
    }
    return {60, 8 * 60}; // unknown priority: the strictest targets, never none
}

QDateTime SlaPolicy::responseDue(Priority p, const QDateTime &createdAt)
{
    if (!createdAt.isValid())
        return {};
    return createdAt.addSecs(defaults(p).responseMinutes * 60);
}

QDateTime SlaPolicy::resolutionDue(Priority p, const QDateTime &createdAt)
{
    if (!createdAt.isValid())
        return {};
    return createdAt.addSecs(defaults(p).resolutionMinutes * 60);
}

SlaPolicy::State SlaPolicy::state(const QDateTime &createdAt, const QDateTime &dueAt,
                                  const QDateTime &now)
{
    if (!dueAt.isValid() || !now.isValid())
        return State::OnTrack; // no target, nothing to breach
    const qint64 left = now.msecsTo(dueAt);
    if (left < 0)
        return State::Breached; // due at 10:00 is still met at 10:00:00.000
    if (!createdAt.isValid())
        return State::OnTrack;
    const qint64 window = createdAt.msecsTo(dueAt);
    // Integer form of left < 25 % of window; no floating-point edge cases.
    return left * 4 < window ? State::AtRisk : State::OnTrack;
}

} // namespace md::domain
