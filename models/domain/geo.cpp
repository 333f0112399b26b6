#include "geo.h"

#include <cmath>
#include <numbers>

namespace md::domain {

double distanceKm(const GeoPoint &a, const GeoPoint &b)
{
    constexpr double earthRadiusKm = 6371.0088; // IUGG mean radius
    constexpr double toRad = std::numbers::pi / 180.0;
    const double dLat = (b.latitude - a.latitude) * toRad;
    const double dLon = (b.longitude - a.longitude) * toRad;
    const double s = std::sin(dLat / 2) * std::sin(dLat / 2) +
                     std::cos(a.latitude * toRad) * std::cos(b.latitude * toRad) *
                         std::sin(dLon / 2) * std::sin(dLon / 2);
    // Clamp: rounding can push s a hair above 1 for antipodal points, and asin(>1) is NaN.
    return 2 * earthRadiusKm * std::asin(std::sqrt(std::min(1.0, std::max(0.0, s))));
}

bool isValid(const GeoPoint &p)
{
    return std::isfinite(p.latitude) && std::isfinite(p.longitude) && p.latitude >= -90.0 &&
           p.latitude <= 90.0 && p.longitude >= -180.0 && p.longitude <= 180.0;
}

} // namespace md::domain
