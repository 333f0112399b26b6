#pragma once

namespace md::server {

class AuthService;
class Router;

/// POST /v1/auth/... , GET /v1/auth/me, sessions, and GET /.well-known/jwks.json.
void registerAuthRoutes(Router &router, AuthService &auth);
/// GET, POST /v1/users · GET, PATCH /v1/users/{id}.
void registerUserRoutes(Router &router, AuthService &auth);
/// GET /v1/audit-logs.
void registerAuditRoutes(Router &router);

} // namespace md::server
