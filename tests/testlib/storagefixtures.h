#pragma once

// Small builders of valid domain objects for storage and API tests: fresh UUIDs,
// fixed UTC times, everything else overridable by the caller.

#include "domain/assignment.h"
#include "domain/engineer.h"
#include "domain/equipment.h"
#include "domain/organization.h"
#include "domain/ticket.h"
#include "domain/user.h"

#include <QDateTime>
#include <QStringList>

namespace md::testlib {

QString newId();
/// 2026-03-01T08:00:00Z plus the given minutes.
QDateTime fixedTime(qint64 minutes = 0);

domain::Organization makeOrganization(const QString &name, domain::OrganizationType type);
domain::Equipment makeEquipment(const QString &hospitalId, const QString &manufacturerId,
                                const QString &category, const QString &name);
domain::Engineer makeEngineer(const QString &organizationId, const QString &name,
                              domain::EngineerLevel level, const QStringList &manufacturerIds,
                              const QStringList &categories);
domain::Ticket makeTicket(const domain::Equipment &equipment, domain::Priority priority,
                          const QString &title);
domain::Assignment makeAssignment(const QString &ticketId, const QString &engineerId,
                                  domain::AssignmentTier tier, const QDateTime &at);

/// An active, verified user with a password hash; phone may be empty.
domain::User makeUser(const QString &organizationId, domain::Role role, const QString &name,
                      const QString &email, const QString &phone = {});

/// Strings that must be stored and returned verbatim.
QStringList oddStrings();

} // namespace md::testlib
