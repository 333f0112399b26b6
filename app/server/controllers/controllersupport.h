#pragma once

// Small pieces every controller uses: paging, ids from paths and queries, the JSON body
// of a request, tenancy checks on top of authorization.h, and the one create / PATCH
// flow the organization, equipment and engineer controllers share.

#include "api/apierror.h"
#include "api/jsonreader.h"
#include "authorization.h"
#include "domain/ticket.h"
#include "http/httprequest.h"
#include "http/httpresponse.h"
#include "requestcontext.h"
#include "storage/authrepositories.h"
#include "storage/paging.h"

#include <QJsonObject>
#include <QString>
#include <optional>

namespace md::server {

/// limit (1..500, default 50) and offset (>= 0) from the query; 400 invalid_parameter
/// names the parameter otherwise.
storage::PageRequest pageFrom(const HttpRequest &request);

/// The {name} path segment as a lower-case UUID; an id that is not a UUID cannot name
/// anything, so it is a 404 like an unknown one.
QString pathId(const HttpRequest &request, const QString &name, const QString &what);

/// An optional query parameter that must be a UUID when present (400 otherwise).
QString queryId(const HttpRequest &request, const QString &key);

/// A query parameter of at most maxLength characters (400 otherwise).
QString queryText(const HttpRequest &request, const QString &key, int maxLength = 200);

/// A query flag: absent/false/0 -> false, true/1 -> true, anything else 400.
bool queryFlag(const HttpRequest &request, const QString &key);

/// 400 invalid_parameter for one query parameter.
[[noreturn]] void throwInvalidParameter(const QString &key, const QString &problem);

/// A 422 for one field that names a missing or wrong referenced object.
[[noreturn]] void throwInvalidReference(const QString &field, const QString &problem);

/// A new object id: a lower-case UUID without braces.
QString newId();

/// Whether the organization is the caller's own; the platform roles act for every
/// organization. Callers check the permission (the role) first. A body naming an
/// organization that is not the caller's is answered like one naming no organization at
/// all (422), so that ids of other tenants cannot be probed.
bool isCallersOrganization(const Principal &caller, const QString &organizationId);

/// 403 forbidden for an object the caller may see but not change this way.
[[noreturn]] void throwNotYours(const QString &message);

/// Suggestions for and assignments of a ticket are for the dispatch centre and the
/// ticket's own hospital: 403 for anyone else who can see it (its service organization).
void requireDispatcherOf(const Principal &caller, const domain::Ticket &ticket);

/// What the shared flows below need to know about one kind of object. T has id,
/// createdAt, updatedAt and validate().
template <typename T> struct ResourceKind
{
    QString what;           // "Equipment": 404 messages
    QString entityType;     // "equipment": audit entity type, "<type>.create" / "<type>.update"
                            // actions and "<type>.created" / "<type>.updated" events
    QString collectionPath; // "/v1/equipment/": the Location of a created object
    bool (storage::VisibilityRepository::*visible)(const QString &id, const storage::Scope &scope);
    std::optional<T> (*find)(storage::Repositories &repos, const QString &id);
    void (*store)(storage::Repositories &repos, const T &object, bool creating);
    void (*read)(api::JsonReader &reader, T &object, bool creating);
    QJsonObject (*toJson)(RequestContext &context, const T &object);
    QString (*organizationOf)(const T &object);
    /// May the caller change this (visible) object at all? Throws 403 if not.
    void (*authorizeChange)(const Principal &caller, const T &existing);
    /// The references of the new state, including the caller's right to name them:
    /// field errors into the reader (422). before: null when creating.
    void (*checkReferences)(RequestContext &context, const T *before, const T &after,
                            api::JsonReader &reader);
    /// Creating the object, or moving it to another organization, changes the
    /// organizations' counts ("counts.changed").
    bool changesCounts = false;
};

/// The object the {id} path segment names, if the caller may see it; 404 otherwise,
/// exactly as for an unknown id.
template <typename T>
T visibleObject(const HttpRequest &request, RequestContext &context, const ResourceKind<T> &kind)
{
    const QString id = pathId(request, QStringLiteral("id"), kind.what);
    auto &repos = context.repositories();
    requireVisible((repos.visibility().*kind.visible)(id, context.scope()), kind.what);
    std::optional<T> object = kind.find(repos, id);
    requireVisible(object.has_value(), kind.what);
    return *std::move(object);
}

/// Queues "<type>.<event>" with the object, and "counts.changed" for each organization
/// whose counts moved.
void publishChange(RequestContext &context, const QString &entityType, const QString &event,
                   const QJsonObject &object, const QStringList &countsChangedFor = {});

/// POST of a new object: read and validate the body (on top of `draft`), check its
/// references, insert it with its audit entry in one transaction, then publish it and
/// answer 201 with the object as stored. The caller has checked the permission.
template <typename T>
HttpResponse createResource(HttpRequest &request, RequestContext &context,
                            const ResourceKind<T> &kind, T draft = {})
{
    api::JsonReader reader(api::JsonReader::parseObject(request.body));
    kind.read(reader, draft, true);
    reader.addErrors(draft.validate());
    auto &repos = context.repositories();
    T object;
    QJsonObject after;
    context.database().transaction([&] {
        object = draft;
        kind.checkReferences(context, nullptr, object, reader);
        reader.finish();
        object.id = newId();
        object.createdAt = object.updatedAt = context.clock().now();
        kind.store(repos, object, true);
        after = kind.toJson(context, kind.find(repos, object.id).value_or(object));
        context.audit(kind.entityType + QStringLiteral(".create"), kind.entityType, object.id,
                      kind.organizationOf(object), {}, after);
    });
    publishChange(context, kind.entityType, QStringLiteral("created"), after,
                  kind.changesCounts ? QStringList{kind.organizationOf(object)} : QStringList{});
    return HttpResponse::json(201, after)
        .withHeader("Location", QString(kind.collectionPath + object.id).toUtf8());
}

/// PATCH of a visible object: 404 when the caller cannot see it, 403 when they may see
/// but not change it, then as createResource with the fields the body carries. The
/// caller has checked the permission.
template <typename T>
HttpResponse patchResource(HttpRequest &request, RequestContext &context,
                           const ResourceKind<T> &kind)
{
    const Principal &me = caller(context);
    const T existing = visibleObject(request, context, kind);
    kind.authorizeChange(me, existing);
    api::JsonReader reader(api::JsonReader::parseObject(request.body));
    auto &repos = context.repositories();
    T object;
    QJsonObject before;
    QJsonObject after;
    context.database().transaction([&] {
        const std::optional<T> current = kind.find(repos, existing.id);
        requireVisible(current.has_value(), kind.what); // gone meanwhile
        kind.authorizeChange(me, *current);
        object = *current;
        kind.read(reader, object, false);
        reader.addErrors(object.validate());
        kind.checkReferences(context, &*current, object, reader);
        reader.finish();
        before = kind.toJson(context, *current);
        after = before;
        if (kind.toJson(context, object) == before)
            return; // nothing changes: nothing to store, audit or announce
        object.updatedAt = context.clock().now();
        kind.store(repos, object, false);
        after = kind.toJson(context, kind.find(repos, object.id).value_or(object));
        context.audit(kind.entityType + QStringLiteral(".update"), kind.entityType, object.id,
                      kind.organizationOf(object), before, after);
    });
    if (after == before)
        return HttpResponse::json(200, after);
    QStringList moved;
    if (kind.changesCounts && kind.organizationOf(existing) != kind.organizationOf(object))
        moved = {kind.organizationOf(existing), kind.organizationOf(object)};
    publishChange(context, kind.entityType, QStringLiteral("updated"), after, moved);
    return HttpResponse::json(200, after);
}

} // namespace md::server
