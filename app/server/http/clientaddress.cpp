#include "clientaddress.h"

#include <optional>

using namespace Qt::StringLiterals;

namespace md::server {

namespace {

/// One X-Forwarded-For element: an IPv4 or IPv6 address, optionally with a port
/// ("203.0.113.7:4711", "[2001:db8::1]:4711"), as some proxies send it.
std::optional<QHostAddress> parseHop(QByteArrayView text)
{
    text = text.trimmed();
    if (text.isEmpty() || text.size() > 64)
        return std::nullopt;
    QByteArrayView host = text;
    if (text.startsWith('[')) {
        const qsizetype close = text.indexOf(']');
        if (close < 0)
            return std::nullopt;
        const QByteArrayView rest = text.sliced(close + 1);
        if (!rest.isEmpty() && !rest.startsWith(':'))
            return std::nullopt;
        host = text.sliced(1, close - 1);
    } else if (text.count(':') == 1) {
        host = text.first(text.indexOf(':'));
    }
    QHostAddress address;
    // Plain addresses only: no scope ids, hostnames or "unknown".
    if (host.contains('%') || !address.setAddress(QString::fromLatin1(host)))
        return std::nullopt;
    return normalizedAddress(address);
}

} // namespace

QHostAddress normalizedAddress(const QHostAddress &address)
{
    if (address.protocol() == QAbstractSocket::IPv6Protocol) {
        bool isV4 = false;
        const quint32 v4 = address.toIPv4Address(&isV4);
        if (isV4)
            return QHostAddress(v4);
    }
    return address;
}

bool isTrustedProxy(const QHostAddress &address, const TrustedProxies &proxies)
{
    const QHostAddress normalized = normalizedAddress(address);
    for (const auto &subnet : proxies) {
        if (normalized.isInSubnet(subnet))
            return true;
    }
    return false;
}

QHostAddress clientAddress(const QHostAddress &peer, const QList<QByteArray> &forwardedFor,
                           const TrustedProxies &proxies)
{
    const QHostAddress direct = normalizedAddress(peer);
    if (forwardedFor.isEmpty() || !isTrustedProxy(direct, proxies))
        return direct;
    QList<QHostAddress> hops;
    for (const QByteArray &header : forwardedFor) {
        for (const QByteArray &element : header.split(',')) {
            const std::optional<QHostAddress> hop = parseHop(element);
            if (!hop)
                return direct;
            hops.append(*hop);
        }
    }
    QHostAddress client = direct;
    for (qsizetype i = hops.size() - 1; i >= 0; --i) {
        client = hops.at(i);
        if (!isTrustedProxy(client, proxies))
            break;
    }
    return client;
}

QString rateLimitKey(const QHostAddress &client)
{
    const QHostAddress address = normalizedAddress(client);
    if (address.protocol() != QAbstractSocket::IPv6Protocol)
        return u"ip:"_s + address.toString();
    Q_IPV6ADDR bytes = address.toIPv6Address();
    for (int i = 8; i < 16; ++i)
        bytes[i] = 0;
    return u"ip:"_s + QHostAddress(bytes).toString() + u"/64"_s;
}

} // namespace md::server
