#pragma once

#include "role.h"
#include "validation.h"

#include <QDateTime>
#include <QString>

namespace md::domain {

/// Someone who signs in. Identified by e-mail and/or an E.164 phone number (at least
/// one), both unique. Engineers link to their engineer record through
/// Engineer::userId.
struct User
{
    QString id;
    QString name;
    QString email; // lower-cased; empty when none
    QString phone; // E.164; empty when none
    Role role = Role::Customer;
    QString organizationId; // empty only for super_admin and admin
    bool active = true;
    bool verified = false; // the e-mail or phone was proven by an OTP (or set by an admin)
    QDateTime createdAt;
    QDateTime updatedAt;
    QDateTime lastLoginAt; // invalid: never

    // Not part of the wire form.
    QByteArray passwordHash; // bcrypt "$2b$12$..."; empty: no password (OTP only)

    /// name 1..200, e-mail and phone syntax, at least one of them, organization_id a
    /// UUID, required for active org_admin, engineer and customer users.
    ValidationErrors validate() const;
};

/// "Ana@Example.ORG " -> "ana@example.org"; "+44 20 7946 0018" -> "+442079460018".
/// Returns the identifier in the canonical form stored and compared, or empty when it
/// is neither an e-mail address nor an E.164 phone number.
QString normalizeIdentifier(const QString &identifier);
bool isEmailIdentifier(const QString &normalized);

/// For logs: "a***@example.org", "+44*******018". Never the whole value.
QString maskIdentifier(const QString &identifier);

} // namespace md::domain
