#include "controllersupport.h"

#include "api/apierror.h"
#include "domain/validation.h"

#include <QUuid>

using namespace Qt::StringLiterals;

namespace md::server {

void throwInvalidParameter(const QString &key, const QString &problem)
{
    throw api::ApiError::badRequest(u"invalid_parameter"_s,
                                    u"The query parameter '%1' %2."_s.arg(key.left(64), problem),
                                    QJsonObject{{u"parameter"_s, key.left(64)}});
}

void throwInvalidReference(const QString &field, const QString &problem)
{
    throw api::ApiError::validation({{field, problem}});
}

static int intParameter(const HttpRequest &request, const QString &key, int fallback, int min,
                        int max)
{
    if (!request.hasQueryItem(key))
        return fallback;
    bool ok = false;
    const QString raw = request.queryValue(key);
    const int v = raw.size() <= 9 ? raw.toInt(&ok) : 0;
    if (!ok || v < min || v > max)
        throwInvalidParameter(key, u"must be a whole number from %1 to %2"_s.arg(min).arg(max));
    return v;
}

storage::PageRequest pageFrom(const HttpRequest &request)
{
    storage::PageRequest page;
    page.limit = intParameter(request, u"limit"_s, 50, 1, 500);
    page.offset = intParameter(request, u"offset"_s, 0, 0, 100'000'000);
    return page;
}

QString pathId(const HttpRequest &request, const QString &name, const QString &what)
{
    const QString id = request.param(name);
    if (!domain::validate::isUuid(id))
        throw api::ApiError::notFound(what);
    return id.toLower();
}

QString queryId(const HttpRequest &request, const QString &key)
{
    const QString id = request.queryValue(key);
    if (id.isEmpty())
        return {};
    if (!domain::validate::isUuid(id))
        throwInvalidParameter(key, u"must be an id (a UUID)"_s);
    return id.toLower();
}

QString queryText(const HttpRequest &request, const QString &key, int maxLength)
{
    const QString v = request.queryValue(key);
    if (v.size() > maxLength)
        throwInvalidParameter(key, u"must be at most %1 characters"_s.arg(maxLength));
    return v;
}

bool queryFlag(const HttpRequest &request, const QString &key)
{
    if (!request.hasQueryItem(key))
        return false;
    const QString v = request.queryValue(key).toLower();
    if (v == u"true"_s || v == u"1"_s)
        return true;
    if (v.isEmpty() || v == u"false"_s || v == u"0"_s)
        return false;
    throwInvalidParameter(key, u"must be true or false"_s);
}

QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

bool isCallersOrganization(const Principal &caller, const QString &organizationId)
{
    if (domain::isPlatformRole(caller.role))
        return true;
    return !organizationId.isEmpty() && organizationId == caller.organizationId;
}

void throwNotYours(const QString &message)
{
    throw api::ApiError(403, u"forbidden"_s, message);
}

void requireDispatcherOf(const Principal &caller, const domain::Ticket &ticket)
{
    if (!isCallersOrganization(caller, ticket.organizationId))
        throwNotYours(
            u"Only the dispatch centre and the ticket's hospital dispatch its tickets."_s);
}

void publishChange(RequestContext &context, const QString &entityType, const QString &event,
                   const QJsonObject &object, const QStringList &countsChangedFor)
{
    context.publish(entityType + u'.' + event, object);
    QStringList done;
    for (const QString &organizationId : countsChangedFor) {
        if (organizationId.isEmpty() || done.contains(organizationId))
            continue;
        done.append(organizationId);
        context.publish(u"counts.changed"_s, QJsonObject{{u"organization_id"_s, organizationId}});
    }
}

} // namespace md::server
