#include "authenticator.h"

#include "authservice.h"
#include "requestcontext.h"

using namespace Qt::StringLiterals;

namespace md::server {

std::optional<HttpResponse> authenticateRequest(AuthService &auth, HttpRequest &request,
                                                RequestContext &context)
{
    const QByteArray header = request.header("authorization");
    const QByteArray scheme = header.left(7);
    if (header.isEmpty() || scheme.compare("bearer ", Qt::CaseInsensitive) != 0)
        return HttpResponse::error(api::ApiError(401, u"unauthenticated"_s,
                                                 u"Sign in first: this needs an access token."_s))
            .withHeader("WWW-Authenticate", "Bearer realm=\"meddispatch\"");
    QString problem;
    auto principal =
        auth.authenticate(QByteArrayView(header).sliced(7).trimmed(), context, &problem);
    if (!principal)
        return HttpResponse::error(api::ApiError(401, u"invalid_token"_s, problem))
            .withHeader("WWW-Authenticate",
                        "Bearer realm=\"meddispatch\", error=\"invalid_token\"");
    context.setPrincipal(std::move(*principal));
    return std::nullopt;
}

} // namespace md::server
