#pragma once

#include "enums.h"
#include "geo.h"
#include "validation.h"

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QString>
#include <optional>

namespace md::domain {

/// A certification an engineer holds, optionally for one manufacturer and category.
struct Certification
{
    QString name;
    QString manufacturerId; // empty: not manufacturer-specific
    QString category;       // empty: all categories of that manufacturer
    QDate expiresOn;        // invalid: does not expire
    friend bool operator==(const Certification &, const Certification &) = default;

    /// Valid on day for that manufacturer and category.
    bool covers(const QString &manufacturer, const QString &cat, const QDate &day) const;
};

/// A service engineer of some organization (any of the four tiers).
struct Engineer
{
    QString id;
    QString userId; // optional: the user account that signs in as this engineer
    QString organizationId;
    QString name;
    EngineerLevel level = EngineerLevel::L1;
    QStringList manufacturerIds; // manufacturers (organization ids) serviced
    QStringList categories;      // equipment categories serviced
    QList<Certification> certifications;
    QString phone;
    QString email;
    std::optional<GeoPoint> location;
    bool active = true;
    QDateTime createdAt;
    QDateTime updatedAt;

    // Kept by storage: assignments of this engineer that are active now.
    int openAssignments = 0;

    ValidationErrors validate() const;
    bool services(const QString &manufacturerId, const QString &category) const;
};

} // namespace md::domain
