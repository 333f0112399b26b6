#pragma once

namespace md::domain {
class Clock;
}
namespace md::storage {
class Database;
}

namespace md::server {

/// The password of every demo account (README). Demo data only: never on a real site.
inline constexpr char kDemoPassword[] = "MedDispatch-Demo-2026";

/// One account per role on the demo data set (`--demo`), documented in the README:
/// super.admin@, admin@, org.admin@, engineer@ and customer@meddispatch.example. The
/// org_admin and customer belong to the first hospital; the engineer account is linked
/// to an engineer who has active assignments. Idempotent; true when it created them.
bool seedDemoAccounts(storage::Database &database, const domain::Clock &clock);

} // namespace md::server
