#pragma once

#include "enums.h"
#include "geo.h"
#include "validation.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <optional>

namespace md::domain {

/// What a service organization may work on: a manufacturer (organization id) and an
/// equipment category. For an authorized partner it is what the manufacturer
/// authorized; for a multi-brand provider what it services.
struct ServiceScope
{
    QString manufacturerId;
    QString category;
    friend bool operator==(const ServiceScope &, const ServiceScope &) = default;
};

/// A hospital, manufacturer, authorized partner or multi-brand service provider.
struct Organization
{
    QString id;
    QString name;
    OrganizationType type = OrganizationType::Hospital;
    QString address;
    QString city;
    QString country; // ISO 3166-1 alpha-2
    std::optional<GeoPoint> location;
    QString phone;
    QString email;
    QList<ServiceScope> serviceScopes; // authorized_partner / service_provider only
    bool active = true;
    QDateTime createdAt;
    QDateTime updatedAt;

    // Kept by storage in the same transaction as the change; filled when asked for.
    qint64 equipmentCount = 0;
    qint64 engineersCount = 0;
    qint64 activeTicketsCount = 0;

    ValidationErrors validate() const;
};

} // namespace md::domain
