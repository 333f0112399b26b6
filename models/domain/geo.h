#pragma once

#include <optional>

namespace md::domain {

/// A WGS-84 position. Both coordinates present or neither.
struct GeoPoint
{
    double latitude = 0;
    double longitude = 0;
    friend bool operator==(const GeoPoint &, const GeoPoint &) = default;
};

/// Great-circle distance in kilometres (haversine).
double distanceKm(const GeoPoint &a, const GeoPoint &b);
bool isValid(const GeoPoint &p);

} // namespace md::domain
