#pragma once

// JSON wire format of API.md: snake_case fields, RFC 3339 UTC times, YYYY-MM-DD dates.
// Used by the server to answer and read requests, and by the desktop client.

#include "jsonreader.h"

#include "domain/assignment.h"
#include "domain/assignmentengine.h"
#include "domain/engineer.h"
#include "domain/equipment.h"
#include "domain/organization.h"
#include "domain/ticket.h"
#include "domain/tickethistory.h"
#include "domain/user.h"

#include <QJsonArray>
#include <QJsonObject>

namespace md::api {

/// "2026-11-23T09:30:00.000Z", or null for an invalid time.
QJsonValue timeJson(const QDateTime &t);
QDateTime parseTime(const QString &s);
QJsonValue dateJson(const QDate &d);
/// The text, or null for an empty one (optional fields on the wire).
QJsonValue textOrNull(const QString &s);

/// {"data": [...], "page": {"limit", "offset", "total"}}
QJsonObject pageJson(const QJsonArray &data, int limit, int offset, qint64 total);

QJsonObject toJson(const domain::Organization &org, bool withCounts);
QJsonObject toJson(const domain::Equipment &equipment, const QDate &today);
QJsonObject toJson(const domain::Engineer &engineer);
/// With "sla": {"response": state, "resolution": state} evaluated at `now`.
QJsonObject toJson(const domain::Ticket &ticket, const QDateTime &now);
QJsonObject toJson(const domain::Assignment &assignment);
QJsonObject toJson(const domain::TicketHistoryEntry &entry);
QJsonObject toJson(const domain::Suggestion &suggestion);
QJsonObject toJson(const domain::ScoreBreakdown &breakdown);
/// A user without secrets: id, name, email, phone, role, organization_id, active,
/// verified, created_at, updated_at, last_login_at.
QJsonObject toJson(const domain::User &user);

// Readers apply the fields a request body carries onto an entity: on create, the
// required fields must be there; on PATCH, only what is present changes. Server-owned
// fields (id, counters, timestamps, qr_code, number) are refused as unknown on input.
void readOrganization(JsonReader &reader, domain::Organization &org, bool creating);
void readEquipment(JsonReader &reader, domain::Equipment &equipment, bool creating);
void readEngineer(JsonReader &reader, domain::Engineer &engineer, bool creating);
/// Ticket fields a reporter or dispatcher sets (not status: that is a transition).
void readTicket(JsonReader &reader, domain::Ticket &ticket, bool creating);
/// name, email, phone, role, organization_id, active (not password, locked: the users
/// controller reads those itself).
void readUser(JsonReader &reader, domain::User &user, bool creating);

} // namespace md::api
