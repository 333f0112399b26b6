#include "controllers.h"

#include "api/apierror.h"
#include "http/router.h"
#include "requestcontext.h"

#include <QFile>

using namespace Qt::StringLiterals;

namespace md::server {

namespace {

HttpResponse healthz(HttpRequest &, RequestContext &)
{
    return HttpResponse::json(200, QJsonObject{{u"status"_s, u"ok"_s}});
}

HttpResponse readyz(HttpRequest &, RequestContext &context)
{
    if (!context.database().ping())
        throw api::ApiError::unavailable();
    return HttpResponse::json(
        200, QJsonObject{{u"status"_s, u"ready"_s},
                         {u"schema_version"_s, context.database().schemaVersion()}});
}

HttpResponse openapi(HttpRequest &, RequestContext &)
{
    // Read once: the document is compiled in and never changes while running.
    static const QByteArray document = [] {
        QFile f(u":/meddispatch/openapi.json"_s);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }();
    return HttpResponse::text(200, document, "application/json");
}

} // namespace

void registerHealthRoutes(Router &router)
{
    RouteOptions open;
    open.isPublic = true;
    RouteOptions inlineOpen = open;
    inlineOpen.inlineOnServerThread = true;
    router.add("GET", u"/healthz"_s, healthz, inlineOpen);
    router.add("GET", u"/readyz"_s, readyz, open);
    router.add("GET", u"/v1/openapi.json"_s, openapi, open);
}

} // namespace md::server
