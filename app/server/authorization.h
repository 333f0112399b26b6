#pragma once

// The one place requests are checked against the permission table (domain/role.h) and
// the tenancy scope (Principal::scope, storage::Scope). Controllers call these first.

#include "domain/role.h"
#include "principal.h"

#include <QString>

namespace md::server {

class RequestContext;

/// The signed-in caller (401 unauthenticated if there is none).
const Principal &caller(RequestContext &context);
/// The caller, if their role holds the permission; 403 forbidden otherwise.
const Principal &require(RequestContext &context, domain::Permission permission);
/// 404 not_found, exactly as for an unknown id, when the caller may not see the object.
void requireVisible(bool visible, const QString &what);

} // namespace md::server
