#pragma once

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QString>
#include <QUrlQuery>
#include <utility>

namespace md::server {

/// A request copied out of QHttpServerRequest on the server thread, so that it can be
/// handled on a worker thread after the socket (and Qt's request object) are gone.
struct HttpRequest
{
    QByteArray method; // upper case: GET, POST, PATCH, DELETE, ...
    QString path;      // decoded path, e.g. /v1/tickets/abc
    QUrlQuery query;
    QList<std::pair<QByteArray, QByteArray>> headers; // names lower-cased
    QByteArray body;
    QHostAddress peerAddress;   // the TCP peer (a reverse proxy, perhaps)
    QHostAddress clientAddress; // the client: the peer, or X-Forwarded-For of a trusted proxy
    QString requestId;          // X-Request-Id if the client sent a sane one, else generated
    QHash<QString, QString> pathParams; // {name} segments of the matched route

    /// First header of that (case-insensitive) name, or empty.
    QByteArray header(QByteArrayView name) const;
    QString queryValue(const QString &key) const; // fully decoded
    bool hasQueryItem(const QString &key) const;
    QString param(const QString &name) const { return pathParams.value(name); }
};

} // namespace md::server
