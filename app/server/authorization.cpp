#include "authorization.h"

#include "api/apierror.h"
#include "requestcontext.h"

using namespace Qt::StringLiterals;

namespace md::server {

const Principal &caller(RequestContext &context)
{
    if (!context.principal())
        throw api::ApiError(401, u"unauthenticated"_s, u"Sign in first."_s);
    return *context.principal();
}

const Principal &require(RequestContext &context, domain::Permission permission)
{
    const Principal &principal = caller(context);
    if (!principal.may(permission))
        throw api::ApiError(403, u"forbidden"_s,
                            u"Your role (%1) may not do this."_s.arg(toString(principal.role)),
                            QJsonObject{{u"permission"_s, toString(permission)}});
    return principal;
}

void requireVisible(bool visible, const QString &what)
{
    if (!visible)
        throw api::ApiError::notFound(what);
}

} // namespace md::server
