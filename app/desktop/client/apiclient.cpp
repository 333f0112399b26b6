#include "apiclient.h"

#include "session.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

using namespace Qt::StringLiterals;

namespace md::client {

namespace {

/// Refresh before sending when the access token ends this soon: the request would
/// otherwise race its own expiry and cost a 401 round trip.
constexpr qint64 kRefreshMarginSeconds = 30;

QString tlsExplanation()
{
    return QCoreApplication::translate(
        "md::client::ApiClient",
        "The server's certificate is not trusted by this computer, so MedDispatch refused to "
        "connect. Ask your administrator to install a certificate from a trusted authority.");
}

int retryAfterFrom(QNetworkReply *reply, const QJsonObject &details)
{
    bool ok = false;
    const int header = reply->rawHeader("Retry-After").trimmed().toInt(&ok);
    if (ok && header >= 0)
        return header;
    const QJsonValue fromDetails = details.value(u"retry_after_seconds"_s);
    if (fromDetails.isDouble())
        return fromDetails.toInt();
    return -1;
}

} // namespace

struct ApiClient::Call
{
    QByteArray method;
    QString path;
    QUrlQuery query;
    QJsonObject body;
    bool hasBody = false;
    QByteArray rawBody; // sent as it is when rawContentType is set
    QByteArray rawContentType;
    bool authenticated = true;
    bool retried = false;        // already resent once after a 401
    bool refreshedFirst = false; // the pre-send refresh for a nearly expired token ran
    QByteArray sentToken;
    bool hadContext = false;
    QPointer<QObject> context;
    ApiCallback done;
};

ApiClient::ApiClient(QObject *parent) : QObject(parent), m_network(new QNetworkAccessManager(this))
{
    // Keep-alive connections to one server; redirects are not part of the API.
    m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

ApiClient::~ApiClient()
{
    // Replies still in flight must not call back into a half-destroyed client.
    const auto replies = m_network->findChildren<QNetworkReply *>();
    for (QNetworkReply *reply : replies) {
        reply->disconnect(this);
        reply->abort();
    }
}

void ApiClient::setBaseUrl(const QUrl &url)
{
    m_baseUrl = url;
}

void ApiClient::setSession(Session *session)
{
    m_session = session;
}

std::shared_ptr<ApiClient::Call> ApiClient::newCall(QByteArray method, const QString &path,
                                                    QObject *context, ApiCallback done)
{
    auto call = std::make_shared<Call>();
    call->method = std::move(method);
    call->path = path;
    call->hadContext = context != nullptr;
    call->context = context;
    call->done = std::move(done);
    return call;
}

void ApiClient::get(const QString &path, const QUrlQuery &query, QObject *context, ApiCallback done)
{
    auto call = newCall("GET", path, context, std::move(done));
    call->query = query;
    send(std::move(call));
}

void ApiClient::post(const QString &path, const QJsonObject &body, QObject *context,
                     ApiCallback done)
{
    auto call = newCall("POST", path, context, std::move(done));
    call->body = body;
    call->hasBody = true;
    send(std::move(call));
}

void ApiClient::patch(const QString &path, const QJsonObject &body, QObject *context,
                      ApiCallback done)
{
    auto call = newCall("PATCH", path, context, std::move(done));
    call->body = body;
    call->hasBody = true;
    send(std::move(call));
}

void ApiClient::del(const QString &path, QObject *context, ApiCallback done)
{
    send(newCall("DELETE", path, context, std::move(done)));
}

void ApiClient::postData(const QString &path, const QByteArray &body, const QByteArray &contentType,
                         QObject *context, ApiCallback done)
{
    auto call = newCall("POST", path, context, std::move(done));
    call->rawBody = body;
    call->rawContentType = contentType;
    send(std::move(call));
}

void ApiClient::postAnonymous(const QString &path, const QJsonObject &body, QObject *context,
                              ApiCallback done)
{
    auto call = newCall("POST", path, context, std::move(done));
    call->body = body;
    call->hasBody = true;
    call->authenticated = false;
    send(std::move(call));
}

void ApiClient::getAnonymous(const QString &path, QObject *context, ApiCallback done)
{
    auto call = newCall("GET", path, context, std::move(done));
    call->authenticated = false;
    send(std::move(call));
}

void ApiClient::send(std::shared_ptr<Call> call)
{
    Session *session = m_session.data();
    if (call->authenticated && session && !call->refreshedFirst && !call->retried &&
        session->isSignedIn() && session->accessExpiresAt().isValid() &&
        QDateTime::currentDateTimeUtc().secsTo(session->accessExpiresAt()) <
            kRefreshMarginSeconds) {
        call->refreshedFirst = true;
        // Whatever the refresh says, send: a refused session answers 401 to the caller.
        session->refresh(this, [this, call](bool) { send(call); });
        return;
    }

    QUrl url = m_baseUrl;
    QString basePath = url.path();
    if (basePath.endsWith(u'/'))
        basePath.chop(1);
    url.setPath(basePath + call->path);
    if (!call->query.isEmpty())
        url.setQuery(call->query);

    QNetworkRequest request(url);
    request.setTransferTimeout(m_timeoutMs);
    request.setRawHeader("Accept", "application/json");
    request.setHeader(QNetworkRequest::UserAgentHeader, u"MedDispatch-Desktop"_s);
    call->sentToken.clear();
    if (call->authenticated && session && session->isSignedIn()) {
        call->sentToken = session->accessToken();
        request.setRawHeader("Authorization", "Bearer " + call->sentToken);
    }
    QByteArray data;
    const bool raw = !call->rawContentType.isEmpty();
    if (raw) {
        request.setRawHeader("Content-Type", call->rawContentType);
        data = call->rawBody;
    } else if (call->hasBody) {
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        data = QJsonDocument(call->body).toJson(QJsonDocument::Compact);
    }

    QNetworkReply *reply = call->hasBody || raw
                               ? m_network->sendCustomRequest(request, call->method, data)
                               : m_network->sendCustomRequest(request, call->method);
    // Never ignoreSslErrors(): an untrusted certificate is refused (issue 4); the
    // reply then finishes with a handshake error, remembered here to explain it.
    connect(reply, &QNetworkReply::sslErrors, this,
            [reply](const QList<QSslError> &) { reply->setProperty("md_sslErrors", true); });
    connect(reply, &QNetworkReply::finished, this, [this, call, reply] { finish(call, reply); });
}

void ApiClient::finish(std::shared_ptr<Call> call, QNetworkReply *reply)
{
    reply->deleteLater();
    ApiResult result;
    const QVariant statusAttribute = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    const QNetworkReply::NetworkError networkError = reply->error();

    if (!statusAttribute.isValid() || statusAttribute.toInt() == 0) {
        const bool tls = reply->property("md_sslErrors").toBool() ||
                         networkError == QNetworkReply::SslHandshakeFailedError;
        if (tls) {
            result.error.kind = ApiError::Kind::Tls;
            result.error.message = tlsExplanation();
            Q_EMIT tlsRefused(result.error.message);
        } else {
            result.error.kind = ApiError::Kind::Unreachable;
            result.error.message = reply->errorString();
            setReachable(false);
        }
    } else {
        setReachable(true);
        result.status = statusAttribute.toInt();
        result.body = reply->readAll();
        QJsonParseError parseError{};
        const QJsonDocument document = result.body.trimmed().isEmpty()
                                           ? QJsonDocument()
                                           : QJsonDocument::fromJson(result.body, &parseError);
        const bool isJsonObject =
            parseError.error == QJsonParseError::NoError && document.isObject();
        if (isJsonObject)
            result.json = document.object();

        if (result.status >= 200 && result.status < 300) {
            if (!result.body.trimmed().isEmpty() && !isJsonObject) {
                result.error.kind = ApiError::Kind::BadResponse;
                result.error.status = result.status;
                result.error.message = QCoreApplication::translate(
                    "md::client::ApiClient", "The server's answer is not valid JSON.");
            }
        } else if (result.status >= 300 && result.status < 400) {
            // Redirects are not followed: the bearer token must not travel to wherever
            // a Location header points. Usually http:// typed for an https:// server.
            const QUrl target =
                reply->attribute(QNetworkRequest::RedirectionTargetAttribute).toUrl();
            result.error.kind = ApiError::Kind::BadResponse;
            result.error.status = result.status;
            result.error.code = u"redirect"_s;
            result.error.message =
                QCoreApplication::translate("md::client::ApiClient",
                                            "The server at this address sends MedDispatch to "
                                            "%1. Use that address instead.")
                    .arg(reply->url()
                             .resolved(target)
                             .adjusted(QUrl::RemovePath | QUrl::RemoveQuery)
                             .toString());
        } else {
            const QJsonObject envelope = result.json.value(u"error"_s).toObject();
            result.error.status = result.status;
            result.error.retryAfterSeconds = -1;
            if (isJsonObject && !envelope.isEmpty()) {
                result.error.kind = ApiError::Kind::Http;
                result.error.code = envelope.value(u"code"_s).toString();
                result.error.message = envelope.value(u"message"_s).toString();
                result.error.details = envelope.value(u"details"_s).toObject();
            } else if (result.status == 502 || result.status == 503 || result.status == 504) {
                // A proxy in front of the server speaks HTML; still "busy/unavailable".
                result.error.kind = ApiError::Kind::Http;
            } else {
                result.error.kind = ApiError::Kind::BadResponse;
                result.error.message =
                    QCoreApplication::translate("md::client::ApiClient",
                                                "The server answered %1 without an API error.")
                        .arg(result.status);
            }
            result.error.retryAfterSeconds = retryAfterFrom(reply, result.error.details);
        }
    }

    Session *session = m_session.data();
    if (result.status == 401 && call->authenticated && !call->retried && session) {
        call->retried = true;
        if (session->isSignedIn() && !call->sentToken.isEmpty() &&
            session->accessToken() != call->sentToken) {
            // Another call refreshed meanwhile: the new token is already here.
            send(call);
            return;
        }
        session->refresh(this, [this, call, result](bool ok) {
            if (ok) {
                send(call);
                return;
            }
            if (call->done && (!call->hadContext || call->context))
                call->done(result);
        });
        return;
    }

    if (call->hadContext && !call->context)
        return; // the view that asked is gone
    if (call->done)
        call->done(result);
}

void ApiClient::setReachable(bool reachable)
{
    if (m_reachable == reachable)
        return;
    m_reachable = reachable;
    Q_EMIT reachabilityChanged(reachable);
}

} // namespace md::client
