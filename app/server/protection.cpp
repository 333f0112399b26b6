#include "protection.h"

#include "http/clientaddress.h"
#include "http/ratelimiter.h"
#include "http/tlssetup.h"
#include "requestcontext.h"

#include <memory>

#include <spdlog/spdlog.h>

using namespace Qt::StringLiterals;

namespace md::server {

bool applyProtection(const ServerConfig &config, storage::Database &database,
                     const domain::Clock &clock, HttpServerOptions &options, QString *error)
{
    options.trustedProxies = config.trustedProxies;
    options.corsOrigins = config.corsOrigins;

    if (config.servesTls()) {
        QStringList warnings;
        QString problem;
        options.tls =
            loadTlsConfiguration(config.tlsCertificateFile, config.tlsKeyFile, &problem, &warnings);
        if (!options.tls) {
            if (error)
                *error = problem;
            return false;
        }
        for (const QString &warning : std::as_const(warnings))
            spdlog::warn("{}", warning.toStdString());
    } else {
        options.tls.reset();
    }

    if (config.rateLimitPerMinute > 0) {
        RateLimiter::Options limits;
        limits.limit = config.rateLimitPerMinute;
        // Shared by the hook's copies; lives as long as the server's options.
        auto limiter = std::make_shared<RateLimiter>(database, clock, limits);
        options.admission = [limiter](HttpRequest &request,
                                      RequestContext &) -> std::optional<HttpResponse> {
            const RateLimiter::Decision decision =
                limiter->hit(rateLimitKey(request.clientAddress));
            if (decision.allowed)
                return std::nullopt;
            return limiter->refusal(decision);
        };
        spdlog::info("rate limit: {} requests per client per minute, counted in the database "
                     "(at most {} more per server instance)",
                     limiter->limit(), limiter->flushHits() - 1);
    } else {
        options.admission = nullptr;
        spdlog::warn("rate limit disabled (MEDDISPATCH_RATE_LIMIT=0)");
    }

    if (!config.corsOrigins.isEmpty())
        spdlog::info("CORS: browser origins allowed: {}",
                     config.corsOrigins.join(u", "_s).toStdString());
    if (config.developmentMode)
        spdlog::warn("development mode: one-time codes are logged unmasked; never use this "
                     "in production");
    return true;
}

} // namespace md::server
