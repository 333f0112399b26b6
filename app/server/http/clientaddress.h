#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <utility>

namespace md::server {

/// Subnets (address, prefix length) of reverse proxies whose X-Forwarded-For is believed
/// (MEDDISPATCH_TRUSTED_PROXIES).
using TrustedProxies = QList<std::pair<QHostAddress, int>>;

/// IPv4-mapped IPv6 addresses (::ffff:10.0.0.1, what a dual-stack listener reports) as
/// plain IPv4, so that subnets and rate-limit keys see one address.
QHostAddress normalizedAddress(const QHostAddress &address);

bool isTrustedProxy(const QHostAddress &address, const TrustedProxies &proxies);

/// The client a request comes from. The TCP peer, unless the peer is a trusted proxy:
/// then X-Forwarded-For (all such headers in order, comma-separated) is walked from the
/// right, skipping hops that are trusted proxies themselves; the first untrusted hop is
/// the client (everything left of it could be made up by that client). If every hop is
/// trusted, the leftmost one. A missing or malformed X-Forwarded-For yields the peer:
/// a proxy that forwards garbage must not let a client choose its address.
QHostAddress clientAddress(const QHostAddress &peer, const QList<QByteArray> &forwardedFor,
                           const TrustedProxies &proxies);

/// The key per-client limits count under: the IPv4 address, or the /64 of an IPv6
/// address (one subscriber usually holds a whole /64).
QString rateLimitKey(const QHostAddress &client);

} // namespace md::server
