#include "photoreader.h"

// Placeholder: being written (issue 5, codes helper).

namespace md::codes {

PhotoResult PhotoReader::read(const QByteArray &, const QByteArray &, const PhotoLimits &)
{
    return {};
}

PhotoResult PhotoReader::readFile(const QString &, const PhotoLimits &)
{
    return {};
}

PhotoResult PhotoReader::read(const QImage &)
{
    return {};
}

} // namespace md::codes
