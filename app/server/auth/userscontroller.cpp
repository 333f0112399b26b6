// GET, POST /v1/users · GET, PATCH /v1/users/{id}: administrators for everyone,
// org_admins within their organization (docs/security.md).

#include "authroutes.h"
#include "authservice.h"

#include "api/codecs.h"
#include "api/jsonreader.h"
#include "authorization.h"
#include "controllers/controllersupport.h"
#include "http/router.h"
#include "requestcontext.h"
#include "storage/authrepositories.h"
#include "storage/storageerror.h"

#include <QUuid>

using namespace Qt::StringLiterals;
using namespace md::domain;

namespace md::server {

namespace {

const QString kWhat = u"User"_s;

QJsonObject userJson(AuthService &auth, const User &user)
{
    QJsonObject json = api::toJson(user);
    json.insert(u"locked"_s, auth.lockState(user.id).lockedAt(QDateTime::currentDateTimeUtc()));
    return json;
}

api::ApiError identifierTaken()
{
    return api::ApiError::conflict(u"identifier_taken"_s,
                                   u"Another account uses this e-mail address or phone number."_s);
}

// The organization a user may be placed in by this caller: an org_admin only their own
// (another organization reads as unknown), administrators any existing one.
void checkPlacement(RequestContext &context, const Principal &me, const User &user,
                    api::JsonReader &reader)
{
    if (!mayGrantRole(me.role, user.role))
        reader.addError(u"role"_s, u"is not a role you may give"_s);
    if (user.organizationId.isEmpty())
        return;
    if (!isPlatformRole(me.role) && user.organizationId != me.organizationId) {
        reader.addError(u"organization_id"_s, u"names no organization you manage"_s);
        return;
    }
    if (!context.repositories().organizations().find(user.organizationId))
        reader.addError(u"organization_id"_s, u"names no organization"_s);
}

HttpResponse list(HttpRequest &request, RequestContext &context)
{
    require(context, Permission::UsersRead);
    const auto page = pageFrom(request);
    storage::UserFilter filter;
    filter.organizationId = queryId(request, u"organization_id"_s);
    const QString role = queryText(request, u"role"_s, 32);
    if (!role.isEmpty()) {
        filter.role = parseRole(role);
        if (!filter.role)
            throwInvalidParameter(u"role"_s, u"must be super_admin, admin, org_admin, engineer "
                                             u"or customer"_s);
    }
    if (request.hasQueryItem(u"active"_s))
        filter.active = queryFlag(request, u"active"_s);
    filter.q = queryText(request, u"q"_s);
    const auto result = context.repositories().users().list(filter, context.scope(), page);
    QJsonArray data;
    for (const User &user : result.items)
        data.append(api::toJson(user));
    return HttpResponse::json(200, api::pageJson(data, page.limit, page.offset, result.total));
}

User visibleUser(RequestContext &context, const HttpRequest &request)
{
    const QString id = pathId(request, u"id"_s, kWhat);
    auto &repos = context.repositories();
    requireVisible(repos.visibility().userVisible(id, context.scope()), kWhat);
    auto user = repos.users().find(id);
    requireVisible(user.has_value(), kWhat);
    return *user;
}

} // namespace

void registerUserRoutes(Router &router, AuthService &auth)
{
    AuthService *a = &auth;
    router.add("GET", u"/v1/users"_s, &list);

    router.add("GET", u"/v1/users/{id}"_s, [a](HttpRequest &request, RequestContext &context) {
        require(context, Permission::UsersRead);
        return HttpResponse::json(200, userJson(*a, visibleUser(context, request)));
    });

    // May hash an initial password: the slow pool (see RouteOptions::slow).
    RouteOptions mayHash;
    mayHash.slow = true;
    router.add(
        "POST", u"/v1/users"_s,
        [a](HttpRequest &request, RequestContext &context) {
            const Principal &me = require(context, Permission::UsersWrite);
            api::JsonReader reader(api::JsonReader::parseObject(request.body));
            User user;
            api::readUser(reader, user, true);
            QString password;
            if (auto v = reader.text(u"password"_s, false, 1024))
                password = *v;
            if (user.organizationId.isEmpty() && !isPlatformRole(me.role))
                user.organizationId = me.organizationId;
            reader.addErrors(user.validate());
            checkPlacement(context, me, user, reader);
            reader.finish();
            if (!password.isEmpty())
                user.passwordHash = a->hashNewPassword(password, user.name, user.email);
            const QDateTime now = context.clock().now();
            user.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
            user.verified = true; // vouched for by the administrator who created it
            user.createdAt = now;
            user.updatedAt = now;
            context.database().transaction([&] {
                try {
                    context.repositories().users().insert(user);
                } catch (const storage::StorageError &e) {
                    if (e.kind() == storage::StorageError::Kind::Conflict)
                        throw identifierTaken();
                    throw;
                }
                context.audit(u"user.create"_s, u"user"_s, user.id, user.organizationId, {},
                              api::toJson(user));
            });
            return HttpResponse::json(201, userJson(*a, user));
        },
        mayHash);

    router.add(
        "PATCH", u"/v1/users/{id}"_s,
        [a](HttpRequest &request, RequestContext &context) {
            const Principal &me = require(context, Permission::UsersWrite);
            const User before = visibleUser(context, request);
            if (!mayGrantRole(me.role, before.role))
                throw api::ApiError(403, u"forbidden"_s,
                                    u"Only a super administrator may change this account."_s);
            api::JsonReader reader(api::JsonReader::parseObject(request.body));
            User user = before;
            api::readUser(reader, user, false);
            QString password;
            if (auto v = reader.text(u"password"_s, false, 1024))
                password = *v;
            bool unlock = false;
            if (auto v = reader.boolean(u"locked"_s)) {
                if (*v)
                    reader.addError(u"locked"_s,
                                    u"can only be set to false (to unlock); deactivate "
                                    u"the account with \"active\": false instead"_s);
                unlock = !*v;
            }
            reader.addErrors(user.validate());
            if (user.role != before.role || user.organizationId != before.organizationId)
                checkPlacement(context, me, user, reader);
            if (user.id == me.userId && (!user.active || user.role != before.role))
                reader.addError(user.active ? u"role"_s : u"active"_s,
                                u"you cannot change your own role or deactivate yourself"_s);
            reader.finish();
            if (!password.isEmpty())
                user.passwordHash = a->hashNewPassword(password, user.name, user.email);
            const QDateTime now = context.clock().now();
            user.updatedAt = now;
            context.database().transaction([&] {
                auto &repos = context.repositories();
                if (before.role == Role::SuperAdmin &&
                    (user.role != Role::SuperAdmin || !user.active) &&
                    repos.users().countByRole(Role::SuperAdmin) <= 1)
                    throw api::ApiError::conflict(u"last_super_admin"_s,
                                                  u"This is the last super administrator."_s);
                try {
                    repos.users().update(user);
                } catch (const storage::StorageError &e) {
                    if (e.kind() == storage::StorageError::Kind::Conflict)
                        throw identifierTaken();
                    throw;
                }
                QJsonObject after = api::toJson(user);
                if (!password.isEmpty())
                    after.insert(u"password_changed"_s, true);
                if (unlock) {
                    repos.loginThrottle().reset(u"user:"_s + user.id);
                    after.insert(u"unlocked"_s, true);
                }
                // Ending access: a deactivated user's, or a new password's old sessions.
                if ((before.active && !user.active) || !password.isEmpty())
                    repos.sessions().revokeAllOf(
                        user.id, now, user.active ? u"password_set"_s : u"deactivated"_s);
                context.audit(u"user.update"_s, u"user"_s, user.id, user.organizationId,
                              api::toJson(before), after);
            });
            return HttpResponse::json(200, userJson(*a, user));
        },
        mayHash);
}

} // namespace md::server
