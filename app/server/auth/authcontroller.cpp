// POST /v1/auth/* (API.md "Authentication"), GET /v1/auth/me, sessions, and the JWKS.

#include "authroutes.h"
#include "authservice.h"

#include "api/codecs.h"
#include "api/jsonreader.h"
#include "authorization.h"
#include "controllers/controllersupport.h"
#include "http/router.h"
#include "requestcontext.h"
#include "storage/authrepositories.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;
using namespace md::domain;

namespace md::server {

namespace {

RouteOptions publicRoute()
{
    RouteOptions options;
    options.isPublic = true;
    options.maxBodyBytes = 16 * 1024;
    return options;
}

RouteOptions signedInRoute()
{
    RouteOptions options;
    options.maxBodyBytes = 16 * 1024;
    return options;
}

// Routes that run bcrypt: on the slow pool, bounded, refused at once beyond the bound.
RouteOptions passwordRoute(RouteOptions options)
{
    options.slow = true;
    return options;
}

QJsonObject sessionJson(const storage::Session &s, const QString &currentId)
{
    return QJsonObject{{u"id"_s, s.id},
                       {u"device_name"_s, api::textOrNull(s.deviceName)},
                       {u"ip_address"_s, api::textOrNull(s.ipAddress)},
                       {u"user_agent"_s, api::textOrNull(s.userAgent)},
                       {u"created_at"_s, api::timeJson(s.createdAt)},
                       {u"last_used_at"_s, api::timeJson(s.lastUsedAt)},
                       {u"expires_at"_s, api::timeJson(s.expiresAt)},
                       {u"current"_s, s.id == currentId}};
}

} // namespace

void registerAuthRoutes(Router &router, AuthService &auth)
{
    AuthService *a = &auth;

    router.add(
        "POST", u"/v1/auth/register"_s,
        [a](HttpRequest &request, RequestContext &context) {
            api::JsonReader reader(api::JsonReader::parseObject(request.body));
            User user;
            user.active = false; // waits for an administrator
            if (auto v = reader.text(u"name"_s, true, 200))
                user.name = v->trimmed();
            if (auto v = reader.text(u"email"_s, false, 254))
                user.email = v->trimmed().toLower();
            if (auto v = reader.text(u"phone"_s, false, 32)) {
                const QString n = normalizeIdentifier(*v);
                user.phone = n.isEmpty() || isEmailIdentifier(n) ? *v : n;
            }
            QString password;
            if (auto v = reader.text(u"password"_s, false, 1024))
                password = *v;
            if (auto v = reader.text(u"organization_id"_s, false, 64)) {
                if (!v->isEmpty() && !validate::isUuid(*v))
                    reader.addError(u"organization_id"_s, u"must be a UUID"_s);
                user.organizationId = v->toLower();
            }
            reader.addErrors(user.validate());
            reader.finish();
            const User created = a->registerUser(context, user, password);
            return HttpResponse::json(201, api::toJson(created));
        },
        passwordRoute(publicRoute()));

    router.add(
        "POST", u"/v1/auth/otp/send"_s,
        [a](HttpRequest &request, RequestContext &context) {
            api::JsonReader reader(api::JsonReader::parseObject(request.body));
            const QString identifier = reader.text(u"identifier"_s, true, 254).value_or(QString());
            const QString channel = reader.text(u"channel"_s, true, 16).value_or(QString());
            const QString purpose = reader.text(u"purpose"_s, true, 16).value_or(QString());
            reader.finish();
            return HttpResponse::json(202, a->sendOtp(context, identifier, channel, purpose));
        },
        publicRoute());

    router.add(
        "POST", u"/v1/auth/otp/verify"_s,
        [a](HttpRequest &request, RequestContext &context) {
            api::JsonReader reader(api::JsonReader::parseObject(request.body));
            const QString identifier = reader.text(u"identifier"_s, true, 254).value_or(QString());
            const QString code = reader.text(u"code"_s, true, 32).value_or(QString());
            const QString device = reader.text(u"device_name"_s, false, 200).value_or(QString());
            reader.finish();
            return HttpResponse::json(200,
                                      a->verifyOtp(context, identifier, code, device).toJson());
        },
        publicRoute());

    router.add(
        "POST", u"/v1/auth/login"_s,
        [a](HttpRequest &request, RequestContext &context) {
            api::JsonReader reader(api::JsonReader::parseObject(request.body));
            const QString identifier = reader.text(u"identifier"_s, true, 254).value_or(QString());
            const QString password = reader.text(u"password"_s, true, 1024).value_or(QString());
            const QString device = reader.text(u"device_name"_s, false, 200).value_or(QString());
            reader.finish();
            return HttpResponse::json(200,
                                      a->login(context, identifier, password, device).toJson());
        },
        passwordRoute(publicRoute()));

    router.add(
        "POST", u"/v1/auth/refresh"_s,
        [a](HttpRequest &request, RequestContext &context) {
            api::JsonReader reader(api::JsonReader::parseObject(request.body));
            const QString token = reader.text(u"refresh_token"_s, true, 512).value_or(QString());
            reader.finish();
            return HttpResponse::json(200, a->refresh(context, token).toJson());
        },
        publicRoute());

    router.add(
        "POST", u"/v1/auth/logout"_s,
        [a](HttpRequest &request, RequestContext &context) {
            api::JsonReader reader(api::JsonReader::parseObject(request.body));
            const QString token = reader.text(u"refresh_token"_s, true, 512).value_or(QString());
            reader.finish();
            a->logout(context, token);
            return HttpResponse::noContent();
        },
        publicRoute());

    router.add(
        "POST", u"/v1/auth/password/forgot"_s,
        [a](HttpRequest &request, RequestContext &context) {
            api::JsonReader reader(api::JsonReader::parseObject(request.body));
            const QString identifier = reader.text(u"identifier"_s, true, 254).value_or(QString());
            reader.finish();
            return HttpResponse::json(202, a->forgotPassword(context, identifier));
        },
        publicRoute());

    router.add(
        "POST", u"/v1/auth/password/reset"_s,
        [a](HttpRequest &request, RequestContext &context) {
            api::JsonReader reader(api::JsonReader::parseObject(request.body));
            const QString identifier = reader.text(u"identifier"_s, true, 254).value_or(QString());
            const QString code = reader.text(u"code"_s, true, 32).value_or(QString());
            const QString password = reader.text(u"new_password"_s, true, 1024).value_or(QString());
            reader.finish();
            a->resetPassword(context, identifier, code, password);
            return HttpResponse::noContent();
        },
        passwordRoute(publicRoute()));

    router.add(
        "POST", u"/v1/auth/password/change"_s,
        [a](HttpRequest &request, RequestContext &context) {
            caller(context);
            api::JsonReader reader(api::JsonReader::parseObject(request.body));
            const QString current =
                reader.text(u"current_password"_s, true, 1024).value_or(QString());
            const QString next = reader.text(u"new_password"_s, true, 1024).value_or(QString());
            reader.finish();
            a->changePassword(context, current, next);
            return HttpResponse::noContent();
        },
        passwordRoute(signedInRoute()));

    router.add(
        "GET", u"/v1/auth/me"_s,
        [a](HttpRequest &, RequestContext &context) {
            const Principal &me = caller(context);
            const auto user = context.repositories().users().find(me.userId);
            if (!user || !user->active)
                throw api::ApiError(401, u"invalid_token"_s, u"Sign in again."_s);
            return HttpResponse::json(200, a->describeUser(context, *user));
        },
        signedInRoute());

    router.add(
        "GET", u"/v1/auth/sessions"_s,
        [a](HttpRequest &, RequestContext &context) {
            const Principal &me = caller(context);
            const auto sessions =
                context.repositories().sessions().listLive(me.userId, context.clock().now());
            QJsonArray data;
            for (const storage::Session &s : sessions)
                data.append(sessionJson(s, me.sessionId));
            Q_UNUSED(a);
            return HttpResponse::json(200, api::pageJson(data, int(data.size()), 0, data.size()));
        },
        signedInRoute());

    router.add(
        "DELETE", u"/v1/auth/sessions/{id}"_s,
        [](HttpRequest &request, RequestContext &context) {
            const Principal &me = caller(context);
            const QString id = pathId(request, u"id"_s, u"Session"_s);
            context.database().transaction([&] {
                auto &sessions = context.repositories().sessions();
                const auto session = sessions.find(id);
                // Another user's session is as unknown as a made-up id.
                if (!session || session->userId != me.userId || session->revokedAt.isValid())
                    throw api::ApiError::notFound(u"Session"_s);
                sessions.revoke(id, context.clock().now(), u"revoked"_s);
                context.audit(u"auth.session_revoked"_s, u"session"_s, id, me.organizationId, {},
                              QJsonObject{{u"user_id"_s, me.userId}});
            });
            return HttpResponse::noContent();
        },
        signedInRoute());

    // The public keys, for anyone verifying our tokens (RFC 7517). Computed once.
    const QByteArray jwks =
        QJsonDocument(auth.codec().keys().jwks()).toJson(QJsonDocument::Compact);
    RouteOptions jwksOptions;
    jwksOptions.isPublic = true;
    jwksOptions.inlineOnServerThread = true;
    router.add(
        "GET", u"/.well-known/jwks.json"_s,
        [jwks](HttpRequest &, RequestContext &) {
            return HttpResponse::text(200, jwks, "application/json")
                .withHeader("Cache-Control", "public, max-age=300");
        },
        jwksOptions);
}

} // namespace md::server
