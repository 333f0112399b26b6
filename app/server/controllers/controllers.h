#pragma once

namespace md::server {

class Router;

// One controller per resource; each registers its routes. Handlers stay thin: read
// the request, call the repositories and the domain rules, shape the answer.
void registerHealthRoutes(Router &router);
void registerOrganizationRoutes(Router &router);
void registerEquipmentRoutes(Router &router);
void registerEngineerRoutes(Router &router);
void registerTicketRoutes(Router &router);
void registerDashboardRoutes(Router &router);

} // namespace md::server
