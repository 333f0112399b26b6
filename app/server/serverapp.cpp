#include "serverapp.h"

#include "auth/authenticator.h"
#include "auth/authroutes.h"
#include "auth/authservice.h"
#include "auth/demoaccounts.h"
#include "auth/passwordgate.h"
#include "authorization.h"
#include "controllers/controllers.h"
#include "domain/clock.h"
#include "http/eventhub.h"
#include "http/httpserver.h"
#include "http/router.h"
#include "notify/notifier.h"
#include "protection.h"
#include "security/jwt.h"
#include "security/passwordhasher.h"
#include "security/random.h"
#include "security/secretfile.h"
#include "storage/database.h"
#include "storage/demoseeder.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QtConcurrent/QtConcurrentRun>
#include <spdlog/spdlog.h>

using namespace Qt::StringLiterals;

// The compiled-in resources (OpenAPI document) live in a static library, whose
// initializer the linker would drop unless something names it.
static void initServerResources()
{
    Q_INIT_RESOURCE(server);
}

namespace md::server {

struct ServerApp::Private
{
    ServerConfig config;
    std::unique_ptr<storage::Database> database;
    Router router;
    std::unique_ptr<Notifier> notifier;
    std::unique_ptr<PasswordGate> passwordGate;
    std::unique_ptr<AuthService> auth;
    std::unique_ptr<HttpServer> http;
    QDateTime started = QDateTime::currentDateTimeUtc();
};

ServerApp::ServerApp(ServerConfig config, QObject *parent)
    : QObject(parent), d(std::make_unique<Private>())
{
    initServerResources();
    d->config = std::move(config);
    registerHealthRoutes(d->router);
    registerOrganizationRoutes(d->router);
    registerEquipmentRoutes(d->router);
    registerEngineerRoutes(d->router);
    registerTicketRoutes(d->router);
    registerDashboardRoutes(d->router);
    registerAuditRoutes(d->router);
    registerMetricsRoute();
}

NotifierConfig ServerApp::notifierConfig(const ServerConfig &config)
{
    NotifierConfig n;
    n.twilioAccountSid = config.twilioAccountSid;
    n.twilioAuthToken = config.twilioAuthToken;
    n.twilioApiBase = config.twilioApiBase;
    n.twilioSmsFrom = config.twilioSmsFrom;
    n.twilioWhatsappFrom = config.twilioWhatsappFrom;
    n.sendgridApiKey = config.sendgridApiKey;
    n.sendgridApiBase = config.sendgridApiBase;
    n.emailFrom = config.emailFrom;
    n.developmentMode = config.developmentMode;
    return n;
}

bool ServerApp::startAuthentication(QString *error)
{
    const QString dataDir = d->config.effectiveDataDir();
    try {
        auto keys = security::JwtKeys::loadOrCreate(dataDir);
        const QByteArray otpKey = security::loadOrCreateSecretFile(
            dataDir + u"/otp-hmac.key"_s, [] { return security::randomBytes(32); });
        security::JwtCodec codec(std::move(keys), d->config.effectivePublicUrl(), u"meddispatch"_s);
        d->notifier = std::make_unique<Notifier>(notifierConfig(d->config));
        d->passwordGate = std::make_unique<PasswordGate>(d->config.passwordHashThreads,
                                                         d->config.maxPendingPasswordChecks);
        d->auth =
            std::make_unique<AuthService>(*d->database, domain::Clock::system(), std::move(codec),
                                          otpKey, *d->notifier, *d->passwordGate);
    } catch (const std::exception &e) {
        *error = u"Cannot set up authentication keys in %1: %2"_s.arg(dataDir,
                                                                      QString::fromUtf8(e.what()));
        return false;
    }
    // The first dummyHash() costs one bcrypt; pay it now, off the event loop, not on
    // the first login of an unknown identifier (which must take as long as a known one).
    (void)QtConcurrent::run([] { security::PasswordHasher::dummyHash(); });
    registerAuthRoutes(d->router, *d->auth);
    registerUserRoutes(d->router, *d->auth);
    return true;
}

void ServerApp::registerMetricsRoute()
{
    // Prometheus text format. Inline on the server thread, where the counters live.
    RouteOptions options;
    options.inlineOnServerThread = true;
    Private *p = d.get();
    d->router.add(
        "GET", u"/metrics"_s,
        [p](HttpRequest &, RequestContext &context) {
            // Operational figures: the platform's operators only.
            if (!domain::isPlatformRole(caller(context).role))
                throw api::ApiError(403, u"forbidden"_s, u"Metrics are for administrators."_s);
            QByteArray out;
            auto metric = [&out](const char *name, const char *type, const char *help) {
                out += "# HELP " + QByteArray(name) + ' ' + help + "\n# TYPE " + name + ' ' + type +
                       '\n';
            };
            metric("meddispatch_http_responses_total", "counter",
                   "Answered requests by status code.");
            const HttpServer::Metrics &m = p->http->metrics();
            for (auto it = m.responsesByStatus.cbegin(); it != m.responsesByStatus.cend(); ++it)
                out += "meddispatch_http_responses_total{code=\"" + QByteArray::number(it.key()) +
                       "\"} " + QByteArray::number(it.value()) + '\n';
            metric("meddispatch_http_responses_not_delivered_total", "counter",
                   "Answers dropped because the client had gone.");
            out += "meddispatch_http_responses_not_delivered_total " +
                   QByteArray::number(m.notDelivered) + '\n';
            metric("meddispatch_http_handling_seconds_total", "counter",
                   "Summed request handling time.");
            out += "meddispatch_http_handling_seconds_total " +
                   QByteArray::number(m.secondsTotal, 'f', 6) + '\n';
            metric("meddispatch_http_requests_in_flight", "gauge",
                   "Requests running or queued on the worker pool.");
            out += "meddispatch_http_requests_in_flight " +
                   QByteArray::number(p->http->inFlight()) + '\n';
            metric("meddispatch_event_clients", "gauge", "Connected /v1/events WebSocket clients.");
            out += "meddispatch_event_clients " +
                   QByteArray::number(p->http->eventHub().clientCount()) + '\n';
            metric("meddispatch_uptime_seconds", "gauge", "Seconds since the server started.");
            out += "meddispatch_uptime_seconds " +
                   QByteArray::number(p->started.secsTo(QDateTime::currentDateTimeUtc())) + '\n';
            return HttpResponse::text(200, out, "text/plain; version=0.0.4");
        },
        options);
}

ServerApp::~ServerApp()
{
    // The server (and its workers) must be gone before what they use. Codes still on
    // their way get a moment to leave.
    d->http.reset();
    if (d->notifier)
        d->notifier->waitForIdle(std::chrono::seconds(2));
    d->auth.reset();
    d->notifier.reset();
    d->database.reset();
}

bool ServerApp::openStorage(QString *error)
{
    const QString dataDir = d->config.effectiveDataDir();
    if (!QDir().mkpath(dataDir)) {
        *error = u"Cannot create the data directory %1."_s.arg(dataDir);
        return false;
    }
    // Keys, the SQLite file and media live here: only the service account may read it.
    QFile::setPermissions(dataDir,
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);

    QString parseError;
    const auto dbConfig =
        storage::DatabaseConfig::parse(d->config.effectiveDatabase(), &parseError);
    if (!dbConfig) {
        *error = u"MEDDISPATCH_DATABASE: "_s + parseError;
        return false;
    }
    try {
        d->database = std::make_unique<storage::Database>(*dbConfig);
        QElapsedTimer timer;
        timer.start();
        const int version = d->database->migrate();
        spdlog::info("database {} at schema version {} ({} ms)", dbConfig->describe().toStdString(),
                     version, timer.elapsed());
        if (d->config.demo) {
            timer.restart();
            storage::DemoSeeder seeder(*d->database, domain::Clock::system().now());
            const bool seeded = seeder.seed();
            if (seeded)
                spdlog::info("demo data seeded ({} ms)", timer.elapsed());
            else
                spdlog::info("demo data already present");
            if (seedDemoAccounts(*d->database, domain::Clock::system()))
                spdlog::info("demo accounts created (see README: one per role)");
        }
    } catch (const std::exception &e) {
        *error = u"Cannot open the database %1: %2"_s.arg(dbConfig->describe(),
                                                          QString::fromUtf8(e.what()));
        return false;
    }

    return true;
}

bool ServerApp::start(QString *error)
{
    if (!d->database && !openStorage(error))
        return false;
    if (!startAuthentication(error))
        return false;

    HttpServer::Options options;
    options.workerThreads = d->config.workerThreads;
    options.maxPendingRequests = d->config.maxPendingRequests;
    options.idleTimeout = std::chrono::seconds(d->config.idleTimeoutSeconds);
    options.slowWorkerThreads = d->config.passwordHashThreads;
    options.maxPendingSlowRequests = d->config.maxPendingPasswordChecks;
    if (!applyProtection(d->config, *d->database, domain::Clock::system(), options, error))
        return false;
    AuthService *auth = d->auth.get();
    options.before = [auth](HttpRequest &request, RequestContext &context) {
        return authenticateRequest(*auth, request, context);
    };
    storage::Database *database = d->database.get();
    options.events.tokenCheck = [auth, database](const QString &token) {
        RequestContext context(*database, domain::Clock::system(), u"events"_s);
        QString problem;
        const auto principal = auth->authenticate(token.toUtf8(), context, &problem);
        std::optional<EventAudience> audience;
        if (!principal)
            return audience;
        audience = EventAudience{domain::isPlatformRole(principal->role), {}, {}};
        if (principal->role == domain::Role::Engineer)
            audience->engineerId = principal->engineerId;
        else
            audience->organizationId = principal->organizationId;
        return audience;
    };
    d->http =
        std::make_unique<HttpServer>(d->router, *d->database, domain::Clock::system(), options);
    if (d->http->listen(d->config.listenAddress, d->config.listenPort) == 0) {
        *error = u"Cannot listen on %1:%2: %3"_s.arg(d->config.listenAddress.toString())
                     .arg(d->config.listenPort)
                     .arg(d->http->errorString());
        return false;
    }
    return true;
}

quint16 ServerApp::port() const
{
    const auto ports = d->http ? d->http->serverPorts() : QList<quint16>();
    return ports.isEmpty() ? 0 : ports.first();
}

AuthService &ServerApp::auth()
{
    return *d->auth;
}

Notifier &ServerApp::notifier()
{
    return *d->notifier;
}

storage::Database &ServerApp::database()
{
    return *d->database;
}

HttpServer &ServerApp::httpServer()
{
    return *d->http;
}

} // namespace md::server
