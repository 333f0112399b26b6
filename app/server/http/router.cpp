#include "router.h"

#include <QUrl>

#include <algorithm>

namespace md::server {

namespace {

// Split before decoding, so that an encoded '/' (%2F) stays inside its segment: a QR
// label's URL passed as one {code} segment must not turn into extra path segments.
QStringList splitRawPath(const QString &rawPath)
{
    QStringList parts = rawPath.split(u'/');
    for (QString &part : parts) {
        if (part.contains(u'%'))
            part = QUrl::fromPercentEncoding(part.toUtf8());
    }
    return parts;
}

bool isParam(const QString &segment)
{
    return segment.size() >= 2 && segment.startsWith(u'{') && segment.endsWith(u'}');
}

// Literal segments beat {params} position by position, so /v1/engineers/suggestions
// wins over /v1/engineers/{id} whatever the registration order.
bool moreSpecific(const Route &a, const Route &b)
{
    for (qsizetype i = 0; i < a.segments.size() && i < b.segments.size(); ++i) {
        const bool aLiteral = !isParam(a.segments.at(i));
        const bool bLiteral = !isParam(b.segments.at(i));
        if (aLiteral != bLiteral)
            return aLiteral;
    }
    return false;
}

bool matches(const Route &route, const QStringList &parts, QHash<QString, QString> *params)
{
    if (route.segments.size() != parts.size())
        return false;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const QString &segment = route.segments.at(i);
        if (isParam(segment)) {
            if (parts.at(i).isEmpty())
                return false;
            if (params)
                params->insert(segment.mid(1, segment.size() - 2), parts.at(i));
        } else if (segment != parts.at(i)) {
            return false;
        }
    }
    return true;
}

} // namespace

void Router::add(QByteArray method, const QString &pattern, Handler handler, RouteOptions options)
{
    Route route;
    route.method = method.toUpper();
    route.pattern = pattern;
    route.handler = std::move(handler);
    route.options = std::move(options);
    route.segments = pattern.split(u'/');
    m_routes.append(std::move(route));
}

std::optional<Router::Match> Router::match(const QByteArray &method, const QString &path,
                                           bool *pathExists,
                                           QList<QByteArray> *allowedMethods) const
{
    const QStringList parts = splitRawPath(path);
    const Route *best = nullptr;
    bool anyPath = false;
    QList<QByteArray> allowed;
    for (const Route &route : m_routes) {
        if (!matches(route, parts, nullptr))
            continue;
        anyPath = true;
        if (!allowed.contains(route.method))
            allowed.append(route.method);
        if (route.method == method && (!best || moreSpecific(route, *best)))
            best = &route;
    }
    if (pathExists)
        *pathExists = anyPath;
    if (allowedMethods) {
        std::sort(allowed.begin(), allowed.end());
        *allowedMethods = allowed;
    }
    if (!best)
        return std::nullopt;
    Match result;
    result.route = best;
    matches(*best, parts, &result.params);
    return result;
}

qint64 Router::maxBodyBytesFor(const QByteArray &method, const QString &path) const
{
    if (const auto found = match(method, path))
        return found->route->options.maxBodyBytes;
    const QStringList parts = splitRawPath(path);
    qint64 largest = -1;
    for (const Route &route : m_routes) {
        if (matches(route, parts, nullptr))
            largest = std::max(largest, route.options.maxBodyBytes);
    }
    return largest >= 0 ? largest : RouteOptions{}.maxBodyBytes;
}

} // namespace md::server
