#pragma once

#include "http/httprequest.h"
#include "http/httpresponse.h"

#include <optional>

namespace md::server {

class AuthService;
class RequestContext;

/// The HttpServer `before` hook: every non-public route needs
/// "Authorization: Bearer <access JWT>". Sets the context's principal, or answers 401
/// (with WWW-Authenticate, RFC 6750).
std::optional<HttpResponse> authenticateRequest(AuthService &auth, HttpRequest &request,
                                                RequestContext &context);

} // namespace md::server
