#pragma once

#include "http/httpserver.h"
#include "serverconfig.h"

namespace md::domain {
class Clock;
}
namespace md::storage {
class Database;
}

namespace md::server {

/// Fills the protective parts of the HTTP server's options from the configuration:
/// the per-IP rate limit (admission hook, counters in the database), CORS allow-list,
/// trusted proxies and TLS. database and clock must outlive the server. Logs what it
/// enabled (and warns about a TLS certificate that expired, development mode, ...).
/// false with *error set when, for example, the TLS certificate cannot be read.
bool applyProtection(const ServerConfig &config, storage::Database &database,
                     const domain::Clock &clock, HttpServerOptions &options, QString *error);

} // namespace md::server
