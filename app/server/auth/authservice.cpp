#include "authservice.h"

#include "api/apierror.h"
#include "api/codecs.h"
#include "domain/clock.h"
#include "notify/notifier.h"
#include "passwordgate.h"
#include "requestcontext.h"
#include "security/digest.h"
#include "security/passwordhasher.h"
#include "security/passwordpolicy.h"
#include "security/random.h"
#include "storage/database.h"
#include "storage/storageerror.h"

#include <QRegularExpression>
#include <QUuid>
#include <spdlog/spdlog.h>

using namespace Qt::StringLiterals;
using namespace md::domain;

namespace md::server {

namespace {

QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QString hexSha256(const QString &text)
{
    return QString::fromLatin1(security::sha256(text.toUtf8()).toHex());
}

api::ApiError validationError(const QString &field, const QString &problem)
{
    return api::ApiError::validation({{field, problem}});
}

api::ApiError lockedError(const storage::LockState &state, const QDateTime &now)
{
    if (state.adminUnlockRequired)
        return api::ApiError(423, u"account_locked"_s,
                             u"This account is locked after too many failed attempts. An "
                             u"administrator must unlock it."_s);
    const qint64 seconds = qMax<qint64>(1, (now.msecsTo(state.lockedUntil) + 999) / 1000);
    const qint64 minutes = (seconds + 59) / 60;
    return api::ApiError(423, u"account_locked"_s,
                         u"Too many failed attempts. Try again in %n minute(s)."_s.replace(
                             u"%n"_s, QString::number(minutes)),
                         QJsonObject{{u"retry_after_seconds"_s, seconds}});
}

const QStringList kChannels = {u"sms"_s, u"whatsapp"_s, u"email"_s};
const QStringList kPurposes = {u"login"_s, u"register"_s, u"reset"_s};

OutboundMessage::Channel channelFrom(const QString &channel)
{
    if (channel == u"email"_s)
        return OutboundMessage::Channel::Email;
    if (channel == u"whatsapp"_s)
        return OutboundMessage::Channel::WhatsApp;
    return OutboundMessage::Channel::Sms;
}

QString defaultChannelFor(const QString &normalized)
{
    return isEmailIdentifier(normalized) ? u"email"_s : u"sms"_s;
}

// What the same answer to known and unknown identifiers says.
QJsonObject acceptedBody(const AuthSettings &settings)
{
    return QJsonObject{
        {u"status"_s, u"accepted"_s},
        {u"message"_s, u"If this identifier belongs to an account, a code is on its way."_s},
        {u"expires_in"_s, qint64(settings.otpLifetime.count())},
        {u"resend_after"_s, qint64(settings.otpMinInterval.count())}};
}

} // namespace

QJsonObject TokenPair::toJson() const
{
    return QJsonObject{{u"access_token"_s, accessToken},
                       {u"refresh_token"_s, refreshToken},
                       {u"token_type"_s, u"Bearer"_s},
                       {u"expires_in"_s, expiresIn},
                       {u"user"_s, user}};
}

AuthService::AuthService(storage::Database &database, const Clock &clock, security::JwtCodec codec,
                         QByteArray otpKey, Notifier &notifier, PasswordGate &gate,
                         AuthSettings settings)
    : m_database(database), m_clock(clock), m_codec(std::move(codec)), m_otpKey(std::move(otpKey)),
      m_notifier(notifier), m_gate(gate), m_settings(std::move(settings))
{}

QString AuthService::identifierKey(const QString &normalized) const
{
    return u"id:"_s +
           QString::fromLatin1(
               security::hmacSha256(m_otpKey, QByteArray("identifier\n" + normalized.toUtf8()))
                   .toHex());
}

QByteArray AuthService::codeMac(const QString &purpose, const QString &normalized,
                                const QString &code) const
{
    return security::hmacSha256(m_otpKey, QByteArray("otp\n" + purpose.toUtf8() + '\n' +
                                                     normalized.toUtf8() + '\n' + code.toUtf8()));
}

AuthService::Subject AuthService::subjectFor(RequestContext &context, const QString &identifier,
                                             const QString &field)
{
    Subject subject;
    subject.normalized = normalizeIdentifier(identifier);
    if (subject.normalized.isEmpty())
        throw validationError(field, u"must be an e-mail address or an E.164 phone number "
                                     u"such as +14155550123"_s);
    subject.identifierKey = identifierKey(subject.normalized);
    subject.user = context.repositories().users().findByIdentifier(subject.normalized);
    subject.throttleKey = subject.user ? u"user:"_s + subject.user->id : subject.identifierKey;
    return subject;
}

void AuthService::refuseIfLocked(RequestContext &context, const Subject &subject)
{
    const QDateTime now = m_clock.now();
    const storage::LockState state =
        context.repositories().loginThrottle().state(subject.throttleKey);
    if (state.lockedAt(now))
        throw lockedError(state, now);
}

void AuthService::fail(RequestContext &context, const Subject &subject, const QString &code,
                       const QString &message, const QString &action)
{
    const QDateTime now = m_clock.now();
    storage::LockState state;
    m_database.transaction([&] {
        const storage::LockState before =
            context.repositories().loginThrottle().state(subject.throttleKey);
        state = context.repositories().loginThrottle().recordFailure(subject.throttleKey, now,
                                                                     m_settings.lockout);
        const QString entityId = subject.user ? subject.user->id : QString();
        const QJsonObject detail{{u"identifier"_s, maskIdentifier(subject.normalized)},
                                 {u"consecutive_failures"_s, state.consecutiveFailures}};
        const QString org = subject.user ? subject.user->organizationId : QString();
        context.audit(action, u"user"_s, entityId, org, {}, detail);
        if (state.lockedAt(now) && !before.lockedAt(now))
            context.audit(u"auth.locked"_s, u"user"_s, entityId, org, {}, detail);
    });
    if (state.lockedAt(now))
        throw lockedError(state, now);
    throw api::ApiError(401, code, message);
}

qint64 AuthService::sendRetryAfter(RequestContext &context, const QString &key)
{
    // The earliest moment fewer than otpSendsPerHour codes fall in the last hour: binary
    // search over the window (only on the refused path).
    auto &otps = context.repositories().otps();
    const QDateTime now = m_clock.now();
    qint64 lo = 1, hi = 3600;
    while (lo < hi) {
        const qint64 mid = (lo + hi) / 2;
        if (otps.countSince(key, now.addSecs(mid - 3600)) < m_settings.otpSendsPerHour)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

QJsonObject AuthService::sendOtp(RequestContext &context, const QString &identifier,
                                 const QString &channel, const QString &purpose)
{
    domain::ValidationErrors errors;
    const QString normalized = normalizeIdentifier(identifier);
    if (normalized.isEmpty())
        errors.insert(u"identifier"_s, u"must be an e-mail address or an E.164 phone number "
                                       u"such as +14155550123"_s);
    if (!kChannels.contains(channel))
        errors.insert(u"channel"_s, u"must be one of: sms, whatsapp, email"_s);
    else if (!normalized.isEmpty() && isEmailIdentifier(normalized) != (channel == u"email"_s))
        errors.insert(u"channel"_s, isEmailIdentifier(normalized)
                                        ? u"an e-mail address takes the email channel"_s
                                        : u"a phone number takes the sms or whatsapp channel"_s);
    if (!kPurposes.contains(purpose))
        errors.insert(u"purpose"_s, u"must be one of: login, register, reset"_s);
    if (!errors.isEmpty())
        throw api::ApiError::validation(errors);

    const Subject subject = subjectFor(context, identifier);
    const QDateTime now = m_clock.now();
    auto &otps = context.repositories().otps();

    storage::OtpRecord record;
    const QString code = security::randomDigits(6);
    bool deliver = false;
    m_database.transaction([&] {
        if (const auto last = otps.lastCreatedAt(subject.identifierKey)) {
            const qint64 since = last->secsTo(now);
            if (since < m_settings.otpMinInterval.count())
                throw api::ApiError(
                    429, u"otp_rate_limited"_s,
                    u"A code was sent less than a minute ago. Wait before asking again."_s,
                    QJsonObject{{u"retry_after_seconds"_s,
                                 qMax<qint64>(1, m_settings.otpMinInterval.count() - since)}});
        }
        if (otps.countSince(subject.identifierKey, now.addSecs(-3600)) >=
            m_settings.otpSendsPerHour) {
            const qint64 wait = sendRetryAfter(context, subject.identifierKey);
            throw api::ApiError(
                429, u"otp_rate_limited"_s,
                u"Too many codes were asked for in the last hour. Try again in %1 minute(s)."_s.arg(
                    (wait + 59) / 60),
                QJsonObject{{u"retry_after_seconds"_s, wait}});
        }
        const User *user = subject.user ? &*subject.user : nullptr;
        if (user) {
            if (purpose == u"register"_s)
                deliver = !user->verified;
            else
                deliver = user->active && user->verified;
        }
        record.id = newId();
        record.identifierKey = subject.identifierKey;
        record.purpose = purpose;
        record.channel = channel;
        record.codeMac = codeMac(purpose, subject.normalized, code);
        record.userId = deliver ? user->id : QString();
        record.createdAt = now;
        record.expiresAt = now.addSecs(m_settings.otpLifetime.count());
        otps.insert(record);
        if (deliver)
            context.audit(u"auth.otp_sent"_s, u"user"_s, user->id, user->organizationId, {},
                          QJsonObject{{u"channel"_s, channel},
                                      {u"purpose"_s, purpose},
                                      {u"identifier"_s, maskIdentifier(subject.normalized)}});
    });
    if (deliver)
        deliverCode(&*subject.user, subject.normalized, channel, purpose, record, code);
    return acceptedBody(m_settings);
}

void AuthService::deliverCode(const User *user, const QString &normalized, const QString &channel,
                              const QString &purpose, const storage::OtpRecord &record,
                              const QString &code)
{
    Q_UNUSED(user);
    OutboundMessage message;
    message.channel = channelFrom(channel);
    message.to = normalized;
    const qint64 minutes = m_settings.otpLifetime.count() / 60;
    QString what = u"sign-in"_s;
    if (purpose == u"register"_s)
        what = u"verification"_s;
    else if (purpose == u"reset"_s)
        what = u"password reset"_s;
    message.subject = u"Your MedDispatch %1 code"_s.arg(what);
    message.body = u"Your MedDispatch %1 code is %2. It expires in %3 minutes. Never share "
                   u"it: MedDispatch staff will never ask for it."_s.arg(what, code)
                       .arg(minutes);
    message.dedupeKey = record.id;
    message.secret = code;
    m_notifier.send(std::move(message));
}

std::optional<storage::OtpRecord> AuthService::matchingCode(RequestContext &context,
                                                            const Subject &subject,
                                                            const QStringList &purposes,
                                                            const QString &code)
{
    const QDateTime now = m_clock.now();
    for (const QString &purpose : purposes) {
        const auto record =
            context.repositories().otps().latestUsable(subject.identifierKey, purpose, now);
        // Compute the MAC whether or not a record exists: same work either way.
        const QByteArray mac = codeMac(purpose, subject.normalized, code);
        if (record && !record->userId.isEmpty() &&
            security::constantTimeEquals(mac, record->codeMac))
            return record;
    }
    return std::nullopt;
}

TokenPair AuthService::verifyOtp(RequestContext &context, const QString &identifier,
                                 const QString &code, const QString &deviceName)
{
    static const QRegularExpression sixDigits(u"^[0-9]{6}\\z"_s);
    if (!sixDigits.match(code).hasMatch())
        throw validationError(u"code"_s, u"must be the 6 digits of the code you received"_s);
    Subject subject = subjectFor(context, identifier);
    refuseIfLocked(context, subject);
    const auto record = matchingCode(context, subject, {u"login"_s, u"register"_s}, code);
    const QString wrong = u"That code is not right, or it has expired. Check it, or ask for a "
                          u"new one."_s;
    if (!record || !subject.user)
        fail(context, subject, u"invalid_code"_s, wrong, u"auth.otp_failed"_s);

    User user = *subject.user;
    bool consumed = false;
    m_database.transaction([&] {
        auto &repos = context.repositories();
        consumed = repos.otps().consume(record->id, m_clock.now());
        if (!consumed)
            return;
        repos.otps().consumeAll(subject.identifierKey, record->purpose, m_clock.now());
        repos.loginThrottle().reset(subject.throttleKey);
        if (record->purpose == u"register"_s && !user.verified) {
            const QJsonObject before = api::toJson(user);
            user.verified = true;
            user.updatedAt = m_clock.now();
            repos.users().update(user);
            context.audit(u"user.verify"_s, u"user"_s, user.id, user.organizationId, before,
                          api::toJson(user));
        }
    });
    if (!consumed) // used by a concurrent request a moment ago
        fail(context, subject, u"invalid_code"_s, wrong, u"auth.otp_failed"_s);
    if (!user.active)
        throw api::ApiError(403, u"pending_approval"_s,
                            u"Your account is verified. An administrator of your organization "
                            u"must approve it before you can sign in."_s);
    return startSession(context, user, deviceName, u"otp"_s);
}

TokenPair AuthService::login(RequestContext &context, const QString &identifier,
                             const QString &password, const QString &deviceName)
{
    if (password.isEmpty())
        throw validationError(u"password"_s, u"is required"_s);
    Subject subject = subjectFor(context, identifier);
    refuseIfLocked(context, subject);
    const QByteArray stored = subject.user && !subject.user->passwordHash.isEmpty()
                                  ? subject.user->passwordHash
                                  : security::PasswordHasher::dummyHash();
    bool ok = false;
    m_gate.run([&] { ok = security::PasswordHasher::verify(password.toUtf8(), stored); });
    ok = ok && subject.user && !subject.user->passwordHash.isEmpty();
    if (!ok)
        fail(context, subject, u"invalid_credentials"_s,
             u"The identifier or the password is not right."_s, u"auth.login_failed"_s);

    User user = *subject.user;
    m_database.transaction(
        [&] { context.repositories().loginThrottle().reset(subject.throttleKey); });
    if (!user.verified)
        throw api::ApiError(403, u"unverified"_s,
                            u"Verify your e-mail address or phone number with the code we sent "
                            u"before signing in with a password."_s);
    if (!user.active)
        throw api::ApiError(403, u"pending_approval"_s,
                            u"An administrator of your organization must approve your account "
                            u"before you can sign in."_s);
    if (security::PasswordHasher::needsRehash(user.passwordHash)) {
        m_gate.run([&] { user.passwordHash = security::PasswordHasher::hash(password.toUtf8()); });
        m_database.transaction([&] { context.repositories().users().update(user); });
    }
    return startSession(context, user, deviceName, u"password"_s);
}

TokenPair AuthService::startSession(RequestContext &context, User user, const QString &deviceName,
                                    const QString &method)
{
    const QDateTime now = m_clock.now();
    storage::Session session;
    session.id = newId();
    session.userId = user.id;
    session.deviceName = deviceName.left(200);
    session.ipAddress = context.clientIp();
    session.userAgent = context.userAgent().left(400);
    session.createdAt = now;
    session.lastUsedAt = now;
    session.expiresAt = now.addSecs(m_settings.sessionLifetime.count());
    const QString refreshToken = security::randomToken(32);
    m_database.transaction([&] {
        auto &repos = context.repositories();
        repos.sessions().insert(session, hexSha256(refreshToken));
        user.lastLoginAt = now;
        repos.users().update(user);
        context.audit(u"auth.login"_s, u"user"_s, user.id, user.organizationId, {},
                      QJsonObject{{u"method"_s, method},
                                  {u"session_id"_s, session.id},
                                  {u"device_name"_s, session.deviceName}});
    });
    TokenPair pair;
    pair.accessToken =
        QString::fromLatin1(issueAccessToken(user, engineerIdFor(context, user.id), session.id));
    pair.refreshToken = refreshToken;
    pair.expiresIn = m_settings.accessLifetime.count();
    pair.user = describeUser(context, user);
    return pair;
}

QByteArray AuthService::issueAccessToken(const User &user, const QString &engineerId,
                                         const QString &sessionId) const
{
    Q_UNUSED(engineerId); // looked up (and cached) on each request instead
    const QDateTime now = m_clock.now();
    security::AccessClaims claims;
    claims.issuer = m_codec.issuer();
    claims.audience = m_codec.audience();
    claims.subject = user.id;
    claims.role = toString(user.role);
    claims.organizationId = user.organizationId;
    claims.sessionId = sessionId;
    claims.tokenId = newId();
    claims.issuedAt = now;
    claims.notBefore = now;
    claims.expiresAt = now.addSecs(m_settings.accessLifetime.count());
    return m_codec.sign(claims);
}

TokenPair AuthService::refresh(RequestContext &context, const QString &refreshToken)
{
    const api::ApiError invalid(401, u"invalid_refresh_token"_s,
                                u"This session has ended. Sign in again."_s);
    if (refreshToken.isEmpty() || refreshToken.size() > 200)
        throw invalid;
    const QDateTime now = m_clock.now();
    const QString newToken = security::randomToken(32);
    storage::SessionRepository::RotateResult result;
    std::optional<User> user;
    m_database.transaction([&] {
        auto &repos = context.repositories();
        result = repos.sessions().rotate(hexSha256(refreshToken), hexSha256(newToken), now,
                                         context.clientIp(), context.userAgent().left(400));
        using Outcome = storage::SessionRepository::RotateOutcome;
        if (result.outcome == Outcome::Reused && result.session) {
            // RFC 9700 §4.14.2: a refresh token used twice means it leaked; end the family.
            repos.sessions().revoke(result.session->id, now, u"refresh_reuse"_s);
            const auto owner = repos.users().find(result.session->userId);
            context.audit(u"auth.refresh_reuse"_s, u"session"_s, result.session->id,
                          owner ? owner->organizationId : QString(), {},
                          QJsonObject{{u"user_id"_s, result.session->userId}});
            spdlog::warn("refresh token reuse: session {} of user {} revoked",
                         result.session->id.toStdString(), result.session->userId.toStdString());
            return;
        }
        if (result.outcome != Outcome::Rotated || !result.session)
            return;
        user = repos.users().find(result.session->userId);
        if (!user || !user->active) {
            repos.sessions().revoke(result.session->id, now, u"user_inactive"_s);
            user.reset();
        }
    });
    if (!user)
        throw invalid;
    TokenPair pair;
    pair.accessToken = QString::fromLatin1(
        issueAccessToken(*user, engineerIdFor(context, user->id), result.session->id));
    pair.refreshToken = newToken;
    pair.expiresIn = m_settings.accessLifetime.count();
    pair.user = describeUser(context, *user);
    return pair;
}

void AuthService::logout(RequestContext &context, const QString &refreshToken)
{
    if (refreshToken.isEmpty() || refreshToken.size() > 200)
        return; // nothing to end; logging out is idempotent
    const QDateTime now = m_clock.now();
    m_database.transaction([&] {
        auto &repos = context.repositories();
        const auto session = repos.sessions().findByRefreshHash(hexSha256(refreshToken));
        if (!session || !repos.sessions().revoke(session->id, now, u"logout"_s))
            return;
        const auto owner = repos.users().find(session->userId);
        context.audit(u"auth.logout"_s, u"session"_s, session->id,
                      owner ? owner->organizationId : QString(), {},
                      QJsonObject{{u"user_id"_s, session->userId}});
    });
}

QByteArray AuthService::hashNewPassword(const QString &password, const QString &name,
                                        const QString &email, const QString &field)
{
    const QString problem = security::passwordProblem(password, name, email);
    if (!problem.isEmpty())
        throw api::ApiError(422, u"weak_password"_s, problem,
                            QJsonObject{{u"fields"_s, QJsonObject{{field, problem}}}});
    QByteArray hash;
    m_gate.run([&] { hash = security::PasswordHasher::hash(password.toUtf8()); });
    return hash;
}

User AuthService::registerUser(RequestContext &context, User user, const QString &password)
{
    if (!password.isEmpty())
        user.passwordHash = hashNewPassword(password, user.name, user.email);
    const QDateTime now = m_clock.now();
    user.id = newId();
    user.role = Role::Customer;
    user.active = false;
    user.verified = false;
    user.createdAt = now;
    user.updatedAt = now;
    m_database.transaction([&] {
        auto &repos = context.repositories();
        if (!user.organizationId.isEmpty()) {
            const auto org = repos.organizations().find(user.organizationId);
            if (!org || org->type != OrganizationType::Hospital)
                throw validationError(u"organization_id"_s, u"names no hospital"_s);
        }
        try {
            repos.users().insert(user);
        } catch (const storage::StorageError &e) {
            if (e.kind() == storage::StorageError::Kind::Conflict)
                throw api::ApiError::conflict(
                    u"identifier_taken"_s,
                    u"An account with this e-mail address or phone number exists. Sign in, "
                    u"or reset its password."_s);
            throw;
        }
        context.audit(u"user.register"_s, u"user"_s, user.id, user.organizationId, {},
                      api::toJson(user));
    });
    // The verification code; a refusal by the send limits only delays it (the user can
    // ask again from the sign-in screen).
    const QString identifier = !user.email.isEmpty() ? user.email : user.phone;
    try {
        sendOtp(context, identifier, defaultChannelFor(identifier), u"register"_s);
    } catch (const api::ApiError &e) {
        if (e.status() != 429)
            throw;
    }
    return user;
}

QJsonObject AuthService::forgotPassword(RequestContext &context, const QString &identifier)
{
    const QString normalized = normalizeIdentifier(identifier);
    if (normalized.isEmpty())
        throw validationError(u"identifier"_s, u"must be an e-mail address or an E.164 phone "
                                               u"number such as +14155550123"_s);
    return sendOtp(context, normalized, defaultChannelFor(normalized), u"reset"_s);
}

void AuthService::resetPassword(RequestContext &context, const QString &identifier,
                                const QString &code, const QString &newPassword)
{
    static const QRegularExpression sixDigits(u"^[0-9]{6}\\z"_s);
    if (!sixDigits.match(code).hasMatch())
        throw validationError(u"code"_s, u"must be the 6 digits of the code you received"_s);
    if (newPassword.isEmpty())
        throw validationError(u"new_password"_s, u"is required"_s);
    Subject subject = subjectFor(context, identifier);
    refuseIfLocked(context, subject);
    const auto record = matchingCode(context, subject, {u"reset"_s}, code);
    if (!record || !subject.user)
        fail(context, subject, u"invalid_code"_s,
             u"That code is not right, or it has expired. Ask for a new one."_s,
             u"auth.reset_failed"_s);
    User user = *subject.user;
    const QByteArray hash = hashNewPassword(newPassword, user.name, user.email, u"new_password"_s);
    bool consumed = false;
    m_database.transaction([&] {
        auto &repos = context.repositories();
        const QDateTime now = m_clock.now();
        consumed = repos.otps().consume(record->id, now);
        if (!consumed)
            return;
        repos.otps().consumeAll(subject.identifierKey, u"reset"_s, now);
        user.passwordHash = hash;
        user.updatedAt = now;
        repos.users().update(user);
        repos.loginThrottle().reset(subject.throttleKey);
        const int ended = repos.sessions().revokeAllOf(user.id, now, u"password_reset"_s);
        context.audit(u"auth.password_reset"_s, u"user"_s, user.id, user.organizationId, {},
                      QJsonObject{{u"sessions_ended"_s, ended}});
    });
    if (!consumed)
        fail(context, subject, u"invalid_code"_s,
             u"That code is not right, or it has expired. Ask for a new one."_s,
             u"auth.reset_failed"_s);
}

void AuthService::changePassword(RequestContext &context, const QString &currentPassword,
                                 const QString &newPassword)
{
    const Principal &principal = *context.principal();
    auto user = context.repositories().users().find(principal.userId);
    if (!user)
        throw api::ApiError(401, u"invalid_token"_s, u"Sign in again."_s);
    if (newPassword.isEmpty())
        throw validationError(u"new_password"_s, u"is required"_s);
    Subject subject;
    subject.normalized = !user->email.isEmpty() ? user->email : user->phone;
    subject.user = user;
    subject.throttleKey = u"user:"_s + user->id;
    subject.identifierKey = identifierKey(subject.normalized);
    refuseIfLocked(context, subject);
    bool ok = false;
    const QByteArray stored =
        !user->passwordHash.isEmpty() ? user->passwordHash : security::PasswordHasher::dummyHash();
    m_gate.run([&] { ok = security::PasswordHasher::verify(currentPassword.toUtf8(), stored); });
    if (!ok || user->passwordHash.isEmpty())
        fail(context, subject, u"invalid_credentials"_s, u"The current password is not right."_s,
             u"auth.password_change_failed"_s);
    const QByteArray hash =
        hashNewPassword(newPassword, user->name, user->email, u"new_password"_s);
    m_database.transaction([&] {
        auto &repos = context.repositories();
        const QDateTime now = m_clock.now();
        user->passwordHash = hash;
        user->updatedAt = now;
        repos.users().update(*user);
        repos.loginThrottle().reset(subject.throttleKey);
        int ended = 0;
        for (const storage::Session &s : repos.sessions().listLive(user->id, now)) {
            if (s.id != principal.sessionId &&
                repos.sessions().revoke(s.id, now, u"password_changed"_s))
                ++ended;
        }
        context.audit(u"auth.password_changed"_s, u"user"_s, user->id, user->organizationId, {},
                      QJsonObject{{u"other_sessions_ended"_s, ended}});
    });
}

QString AuthService::engineerIdFor(RequestContext &context, const QString &userId)
{
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    {
        QMutexLocker lock(&m_engineerCacheMutex);
        const auto it = m_engineerCache.constFind(userId);
        if (it != m_engineerCache.cend() && it->second > nowMs)
            return it->first;
    }
    const QString engineerId =
        context.repositories().users().engineerIdOf(userId).value_or(QString());
    QMutexLocker lock(&m_engineerCacheMutex);
    if (m_engineerCache.size() > 10000)
        m_engineerCache.clear();
    m_engineerCache.insert(userId, {engineerId, nowMs + 60 * 1000});
    return engineerId;
}

std::optional<Principal> AuthService::authenticate(QByteArrayView accessToken,
                                                   RequestContext &context, QString *problem)
{
    const qint64 nowMs = m_clock.now().toMSecsSinceEpoch();
    const QByteArray key = accessToken.toByteArray();
    {
        QMutexLocker lock(&m_verifiedMutex);
        const auto it = m_verified.constFind(key);
        if (it != m_verified.cend() && nowMs < it->validUntilMs)
            return it->principal;
    }
    security::JwtCodec::Failure failure{};
    const auto claims = m_codec.verify(accessToken, m_clock.now(), &failure);
    if (!claims) {
        *problem = failure == security::JwtCodec::Failure::Expired
                       ? u"The access token has expired."_s
                       : u"The access token is not valid."_s;
        return std::nullopt;
    }
    const auto role = parseRole(claims->role);
    if (!role) {
        *problem = u"The access token is not valid."_s;
        return std::nullopt;
    }
    Principal principal;
    principal.userId = claims->subject;
    principal.role = *role;
    principal.organizationId = claims->organizationId;
    principal.sessionId = claims->sessionId;
    if (*role == Role::Engineer)
        principal.engineerId = engineerIdFor(context, principal.userId);
    QMutexLocker lock(&m_verifiedMutex);
    if (m_verified.size() >= 20000) // bounded: a flood of distinct tokens only costs hits
        m_verified.clear();
    m_verified.insert(key, {principal, qMin(claims->expiresAt.toMSecsSinceEpoch() +
                                                security::JwtCodec::kLeewaySeconds * 1000,
                                            nowMs + 60 * 1000)});
    return principal;
}

QJsonObject AuthService::describeUser(RequestContext &context, const User &user)
{
    QJsonObject json = api::toJson(user);
    json.insert(u"permissions"_s, QJsonArray::fromStringList(permissionNames(user.role)));
    QJsonValue organization = QJsonValue::Null;
    if (!user.organizationId.isEmpty()) {
        if (const auto org = context.repositories().organizations().find(user.organizationId))
            organization = QJsonObject{
                {u"id"_s, org->id}, {u"name"_s, org->name}, {u"type"_s, toString(org->type)}};
    }
    json.insert(u"organization"_s, organization);
    if (user.role == Role::Engineer) {
        const QString engineerId = engineerIdFor(context, user.id);
        json.insert(u"engineer_id"_s, api::textOrNull(engineerId));
    }
    return json;
}

void AuthService::unlock(const QString &userId)
{
    storage::Repositories repos(m_database);
    repos.loginThrottle().reset(u"user:"_s + userId);
}

storage::LockState AuthService::lockState(const QString &userId)
{
    storage::Repositories repos(m_database);
    return repos.loginThrottle().state(u"user:"_s + userId);
}

} // namespace md::server
