#include "gs1udi.h"

// Placeholder: being written (issue 5, codes helper).

namespace md::domain {

std::optional<Gs1Udi> Gs1Udi::parse(const QString &)
{
    return std::nullopt;
}

QString Gs1Udi::toHumanReadable() const
{
    return {};
}

bool isValidGtin14(const QString &)
{
    return false;
}

} // namespace md::domain
