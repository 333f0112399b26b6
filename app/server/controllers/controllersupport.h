#pragma once

// Small pieces every controller uses: paging, ids from paths and queries, and the
// JSON body of a request.

#include "http/httprequest.h"
#include "http/httpresponse.h"
#include "storage/paging.h"

#include <QJsonObject>
#include <QString>

namespace md::server {

/// limit (1..500, default 50) and offset (>= 0) from the query; 400 invalid_parameter
/// names the parameter otherwise.
storage::PageRequest pageFrom(const HttpRequest &request);

/// The {name} path segment as a lower-case UUID; an id that is not a UUID cannot name
/// anything, so it is a 404 like an unknown one.
QString pathId(const HttpRequest &request, const QString &name, const QString &what);

/// An optional query parameter that must be a UUID when present (400 otherwise).
QString queryId(const HttpRequest &request, const QString &key);

/// A query parameter of at most maxLength characters (400 otherwise).
QString queryText(const HttpRequest &request, const QString &key, int maxLength = 200);

/// A query flag: absent/false/0 -> false, true/1 -> true, anything else 400.
bool queryFlag(const HttpRequest &request, const QString &key);

/// 400 invalid_parameter for one query parameter.
[[noreturn]] void throwInvalidParameter(const QString &key, const QString &problem);

/// A 422 for one field that names a missing or wrong referenced object.
[[noreturn]] void throwInvalidReference(const QString &field, const QString &problem);

} // namespace md::server
