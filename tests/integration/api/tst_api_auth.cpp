// Authentication over real HTTP against a real server, once per backend: OTP sign-in
// with codes read from the loopback Twilio/SendGrid stand-in, passwords, lockout,
// identical answers for unknown identifiers, refresh rotation and reuse, sessions,
// registration, password reset and change, token verification, the audit trail of all
// of it, and a search of every log line for secrets.

#include "apitestsupport.h"

#include "auth/authservice.h"
#include "domain/clock.h"
#include "security/digest.h"
#include "security/jwt.h"
#include "storage/authrepositories.h"
#include "storage/database.h"
#include "testlib/providerstandin.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QUuid>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <sstream>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using md::test::HttpClient;
using md::test::HttpReply;
using md::test::TestServer;

namespace {

// Every log line of the suite, for the secrets search at the end.
std::ostringstream &logCapture()
{
    static std::ostringstream capture;
    return capture;
}
QStringList &qtLogCapture()
{
    static QStringList lines;
    return lines;
}
QtMessageHandler previousHandler = nullptr;
void captureQtMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    qtLogCapture().append(message);
    if (previousHandler)
        previousHandler(type, context, message);
}

const QString kStrongPassword = u"correct horse battery staple 42"_s;

QJsonObject jwtPart(const QString &token, int index)
{
    bool ok = false;
    const QByteArray raw =
        md::security::base64UrlDecode(token.split(u'.').value(index).toLatin1(), &ok);
    return QJsonDocument::fromJson(raw).object();
}

} // namespace

class TestApiAuth final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<md::testlib::ProviderStandIn> m_provider;
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<HttpClient> m_anon;
    QString m_hospital;
    QStringList m_secrets; // every code, token and password the suite used
    int m_phones = 0;

    HttpClient &admin() { return m_server->client(); }

    QString newPhone()
    {
        // +44 7700 900xxx: Ofcom's range for drama, never a real subscriber.
        return u"+447700900%1"_s.arg(100 + (++m_phones), 3, 10, QChar(u'0'));
    }

    QJsonObject createUser(const QJsonObject &body)
    {
        const HttpReply r = admin().post(u"/v1/users"_s, body);
        if (r.status != 201)
            qWarning() << r.status << r.body;
        if (body.contains(u"password"_s))
            m_secrets.append(body.value(u"password"_s).toString());
        return r.json;
    }

    // The last code sent to recipient, waiting up to 10 s for it to arrive.
    QString codeFor(const QString &recipient, const QString &previous = {})
    {
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < 10000) {
            const QString code = m_provider->lastCodeFor(recipient);
            if (!code.isEmpty() && code != previous) {
                m_secrets.append(code);
                return code;
            }
            QTest::qWait(20);
        }
        return {};
    }

    HttpReply sendOtp(const QString &identifier, const QString &channel,
                      const QString &purpose = u"login"_s)
    {
        return m_anon->post(
            u"/v1/auth/otp/send"_s,
            {{u"identifier"_s, identifier}, {u"channel"_s, channel}, {u"purpose"_s, purpose}});
    }
    HttpReply verifyOtp(const QString &identifier, const QString &code)
    {
        return m_anon->post(
            u"/v1/auth/otp/verify"_s,
            {{u"identifier"_s, identifier}, {u"code"_s, code}, {u"device_name"_s, u"Ward 3 PC"_s}});
    }
    HttpReply login(const QString &identifier, const QString &password)
    {
        m_secrets.append(password);
        const HttpReply r = m_anon->post(
            u"/v1/auth/login"_s, {{u"identifier"_s, identifier}, {u"password"_s, password}});
        rememberTokens(r);
        return r;
    }
    void rememberTokens(const HttpReply &r)
    {
        for (const QString &key : {u"access_token"_s, u"refresh_token"_s})
            if (r.json.contains(key))
                m_secrets.append(r.json.value(key).toString());
    }
    std::unique_ptr<HttpClient> clientWith(const QString &accessToken)
    {
        auto client = m_server->anonymousClient();
        client->setBearer(accessToken.toLatin1());
        return client;
    }
    QStringList auditActions(const QString &query)
    {
        const HttpReply r = admin().get(u"/v1/audit-logs?limit=500&"_s + query);
        QStringList actions;
        for (const QJsonValue &v : r.json.value(u"data"_s).toArray())
            actions.append(v.toObject().value(u"action"_s).toString());
        return actions;
    }

private Q_SLOTS:
    void initTestCase_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("sqlite") << u"sqlite"_s;
        QTest::newRow("postgres") << u"postgres"_s;
    }

    void initTestCase()
    {
        auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(logCapture());
        spdlog::default_logger()->sinks().push_back(sink);
        spdlog::set_level(spdlog::level::trace);
        previousHandler = qInstallMessageHandler(&captureQtMessage);
    }

    void init()
    {
        QFETCH_GLOBAL(QString, backend);
        m_provider = std::make_unique<md::testlib::ProviderStandIn>();
        QVERIFY(m_provider->isListening());
        const QString base = m_provider->baseUrl().toString();
        m_server = std::make_unique<TestServer>(backend, false, [&](md::server::ServerConfig &c) {
            c.twilioAccountSid = u"AC0123456789abcdef0123456789abcdef"_s;
            c.twilioAuthToken = u"test-auth-token-not-secret-0123"_s;
            c.twilioApiBase = base;
            c.twilioSmsFrom = u"+15005550006"_s;
            c.twilioWhatsappFrom = u"+15005550007"_s;
            c.sendgridApiKey = u"SG.test-key-not-secret"_s;
            c.sendgridApiBase = base;
            c.emailFrom = u"noreply@meddispatch.example"_s;
        });
        QVERIFY2(m_server->isRunning(), qPrintable(m_server->error()));
        m_anon = m_server->anonymousClient();
        const HttpReply org =
            admin().post(u"/v1/organizations"_s,
                         {{u"name"_s, u"St. Mary's Hospital"_s}, {u"type"_s, u"hospital"_s}});
        QCOMPARE(org.status, 201);
        m_hospital = org.json.value(u"id"_s).toString();
    }

    void cleanup()
    {
        m_anon.reset();
        m_server.reset();
        m_provider.reset();
    }

    void otpSignInBySms()
    {
        const QString phone = newPhone();
        createUser({{u"name"_s, u"Amira Haddad"_s},
                    {u"phone"_s, phone},
                    {u"role"_s, u"customer"_s},
                    {u"organization_id"_s, m_hospital}});
        const HttpReply sent = sendOtp(phone, u"sms"_s);
        QCOMPARE(sent.status, 202);
        const QString code = codeFor(phone);
        QCOMPARE(code.size(), 6);
        const auto requests = m_provider->requests();
        QVERIFY(requests.last().path.endsWith("/Messages.json"));
        QCOMPARE(requests.last().formValue(u"From"_s), u"+15005550006"_s);

        const HttpReply pair = verifyOtp(phone, code);
        QCOMPARE(pair.status, 200);
        rememberTokens(pair);
        QCOMPARE(pair.json.value(u"token_type"_s).toString(), u"Bearer"_s);
        QCOMPARE(pair.json.value(u"expires_in"_s).toInt(), 900);
        const QString access = pair.json.value(u"access_token"_s).toString();
        const QJsonObject header = jwtPart(access, 0);
        const QJsonObject claims = jwtPart(access, 1);
        QCOMPARE(header.value(u"alg"_s).toString(), u"RS256"_s);
        QVERIFY(!header.value(u"kid"_s).toString().isEmpty());
        QCOMPARE(claims.value(u"role"_s).toString(), u"customer"_s);
        QCOMPARE(claims.value(u"org"_s).toString(), m_hospital);
        for (const QString &key :
             QStringList{u"iss"_s, u"aud"_s, u"sub"_s, u"exp"_s, u"iat"_s, u"nbf"_s, u"jti"_s})
            QVERIFY2(claims.contains(key), qPrintable(key));
        QCOMPARE(claims.value(u"exp"_s).toInteger() - claims.value(u"iat"_s).toInteger(), 900);

        // The JWKS publishes the key that signed it.
        const HttpReply jwks = m_anon->get(u"/.well-known/jwks.json"_s);
        QCOMPARE(jwks.status, 200);
        const QJsonArray keys = jwks.json.value(u"keys"_s).toArray();
        QVERIFY(std::any_of(keys.begin(), keys.end(), [&](const QJsonValue &k) {
            return k.toObject().value(u"kid"_s) == header.value(u"kid"_s);
        }));

        const auto me = clientWith(access)->get(u"/v1/auth/me"_s);
        QCOMPARE(me.status, 200);
        QCOMPARE(me.json.value(u"role"_s).toString(), u"customer"_s);
        QCOMPARE(me.json.value(u"organization"_s).toObject().value(u"id"_s).toString(), m_hospital);
        QVERIFY(me.json.value(u"permissions"_s).toArray().contains(u"tickets.create"_s));
        QVERIFY(!me.json.value(u"permissions"_s).toArray().contains(u"tickets.assign"_s));
        QVERIFY(!me.json.contains(u"password_hash"_s));

        // Single use: the same code again fails.
        QCOMPARE(verifyOtp(phone, code).status, 401);
        QVERIFY(auditActions(u"action=auth."_s).contains(u"auth.otp_sent"_s));
        QVERIFY(auditActions(u"action=auth."_s).contains(u"auth.login"_s));
    }

    void otpByWhatsappAndEmail()
    {
        const QString phone = newPhone();
        const QString email = u"bme.lead@stmarys.example"_s;
        createUser({{u"name"_s, u"Jonas Berg"_s},
                    {u"phone"_s, phone},
                    {u"email"_s, email},
                    {u"role"_s, u"org_admin"_s},
                    {u"organization_id"_s, m_hospital}});
        QCOMPARE(sendOtp(phone, u"whatsapp"_s).status, 202);
        const QString code = codeFor(phone);
        QVERIFY(!code.isEmpty());
        QCOMPARE(m_provider->requests().last().formValue(u"To"_s), u"whatsapp:"_s + phone);
        QCOMPARE(verifyOtp(phone, code).status, 200);

        QCOMPARE(sendOtp(u"  BME.Lead@StMarys.example "_s, u"email"_s).status, 202);
        const QString mailed = codeFor(email);
        QVERIFY(!mailed.isEmpty());
        QVERIFY(m_provider->requests().last().path.endsWith("/v3/mail/send"));
        QCOMPARE(verifyOtp(email, mailed).status, 200);

        // The channel must fit the identifier.
        const HttpReply wrong = sendOtp(email, u"sms"_s);
        QCOMPARE(wrong.status, 422);
        QVERIFY(wrong.errorFields().contains(u"channel"_s));
    }

    void unknownIdentifiersGetIdenticalAnswers()
    {
        const QString known = newPhone();
        const QString unknown = newPhone();
        createUser({{u"name"_s, u"Known Person"_s},
                    {u"phone"_s, known},
                    {u"email"_s, u"known@x.example"_s},
                    {u"role"_s, u"customer"_s},
                    {u"organization_id"_s, m_hospital},
                    {u"password"_s, kStrongPassword}});

        const HttpReply a = sendOtp(known, u"sms"_s);
        const HttpReply b = sendOtp(unknown, u"sms"_s);
        QCOMPARE(a.status, b.status);
        QCOMPARE(a.body, b.body);
        const HttpReply a2 = sendOtp(known, u"sms"_s); // within 60 s: both limited alike
        const HttpReply b2 = sendOtp(unknown, u"sms"_s);
        QCOMPARE(a2.status, 429);
        QCOMPARE(a2.status, b2.status);
        QCOMPARE(a2.body, b2.body);

        const HttpReply va = verifyOtp(known, u"000000"_s);
        const HttpReply vb = verifyOtp(unknown, u"000000"_s);
        QCOMPARE(va.status, 401);
        QCOMPARE(va.body, vb.body);

        // Password: same status and body; about the same time (bcrypt either way).
        QList<qint64> knownTimes, unknownTimes;
        HttpReply la, lb;
        for (int i = 0; i < 3; ++i) {
            QElapsedTimer t;
            t.start();
            la = login(known, u"wrong password %1"_s.arg(i));
            knownTimes.append(t.restart());
            lb = login(unknown, u"wrong password %1"_s.arg(i));
            unknownTimes.append(t.elapsed());
        }
        QCOMPARE(la.status, 401);
        QCOMPARE(la.status, lb.status);
        QCOMPARE(la.body, lb.body);
        std::sort(knownTimes.begin(), knownTimes.end());
        std::sort(unknownTimes.begin(), unknownTimes.end());
        qInfo("login median: known %lld ms, unknown %lld ms", knownTimes[1], unknownTimes[1]);
        QVERIFY2(unknownTimes[1] * 2 > knownTimes[1] && knownTimes[1] * 2 > unknownTimes[1],
                 "unknown identifiers must take about as long as known ones");

        const HttpReply fa =
            m_anon->post(u"/v1/auth/password/forgot"_s, {{u"identifier"_s, u"known@x.example"_s}});
        const HttpReply fb =
            m_anon->post(u"/v1/auth/password/forgot"_s, {{u"identifier"_s, u"nobody@x.example"_s}});
        QCOMPARE(fa.status, 202);
        QCOMPARE(fa.body, fb.body);
    }

    void sendLimitsPerIdentifier()
    {
        const QString phone = newPhone();
        const HttpReply first = sendOtp(phone, u"sms"_s);
        QCOMPARE(first.status, 202);
        const HttpReply again = sendOtp(phone, u"sms"_s);
        QCOMPARE(again.status, 429);
        QCOMPARE(again.errorCode(), u"otp_rate_limited"_s);
        const int wait = again.header("Retry-After").toInt();
        QVERIFY2(wait > 50 && wait <= 60, again.header("Retry-After").constData());

        // Three codes in the last hour (30, 20 and 10 minutes ago): the next is allowed
        // when the oldest leaves the window, in 30 minutes.
        const QString other = newPhone();
        auto &auth = m_server->app().auth();
        md::storage::Repositories repos(m_server->app().database());
        const QDateTime now = QDateTime::currentDateTimeUtc();
        for (int minutes : {30, 20, 10}) {
            md::storage::OtpRecord r;
            r.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
            r.identifierKey = auth.identifierKey(other);
            r.purpose = u"login"_s;
            r.channel = u"sms"_s;
            r.codeMac = QByteArray(32, 'x');
            r.createdAt = now.addSecs(-60 * minutes);
            r.expiresAt = r.createdAt.addSecs(600);
            m_server->app().database().transaction([&] { repos.otps().insert(r); });
        }
        const HttpReply hourly = sendOtp(other, u"sms"_s);
        QCOMPARE(hourly.status, 429);
        const int hourlyWait = hourly.header("Retry-After").toInt();
        QVERIFY2(hourlyWait > 29 * 60 && hourlyWait <= 30 * 60 + 5,
                 hourly.header("Retry-After").constData());
    }

    void fiveWrongCodesLockTheAccount()
    {
        const QString phone = newPhone();
        const QJsonObject user = createUser({{u"name"_s, u"Lock Candidate"_s},
                                             {u"phone"_s, phone},
                                             {u"role"_s, u"customer"_s},
                                             {u"organization_id"_s, m_hospital}});
        QCOMPARE(sendOtp(phone, u"sms"_s).status, 202);
        const QString code = codeFor(phone);
        const QString wrong = code == u"123456"_s ? u"654321"_s : u"123456"_s;
        for (int i = 1; i <= 4; ++i)
            QCOMPARE(verifyOtp(phone, wrong).status, 401);
        const HttpReply fifth = verifyOtp(phone, wrong);
        QCOMPARE(fifth.status, 423);
        QCOMPARE(fifth.errorCode(), u"account_locked"_s);
        const int wait = fifth.header("Retry-After").toInt();
        QVERIFY2(wait > 29 * 60 && wait <= 30 * 60, fifth.header("Retry-After").constData());
        // Locked: even the right code is refused, without being spent.
        QCOMPARE(verifyOtp(phone, code).status, 423);

        // An unknown identifier locks the same way and answers the same.
        const QString nobody = newPhone();
        HttpReply last;
        for (int i = 0; i < 5; ++i)
            last = verifyOtp(nobody, wrong);
        QCOMPARE(last.status, 423);
        QCOMPARE(last.errorCode(), fifth.errorCode());

        // The administrator sees the lock and lifts it.
        const QString id = user.value(u"id"_s).toString();
        QCOMPARE(admin().get(u"/v1/users/"_s + id).json.value(u"locked"_s).toBool(), true);
        const HttpReply unlocked = admin().patch(u"/v1/users/"_s + id, {{u"locked"_s, false}});
        QCOMPARE(unlocked.status, 200);
        QCOMPARE(unlocked.json.value(u"locked"_s).toBool(), false);
        QCOMPARE(verifyOtp(phone, code).status, 200);
        const QStringList actions = auditActions(u"action=auth.&entity_id="_s + id);
        QVERIFY(actions.contains(u"auth.locked"_s));
        QVERIFY(actions.contains(u"auth.otp_failed"_s));
        QVERIFY(auditActions(u"action=user.update&entity_id="_s + id).size() == 1);
    }

    void passwordSignInAndRules()
    {
        const QString email = u"a.chen@stmarys.example"_s;
        const QJsonObject weak = admin()
                                     .post(u"/v1/users"_s, {{u"name"_s, u"Alice Chen"_s},
                                                            {u"email"_s, email},
                                                            {u"role"_s, u"customer"_s},
                                                            {u"organization_id"_s, m_hospital},
                                                            {u"password"_s, u"password123"_s}})
                                     .json;
        QCOMPARE(weak.value(u"error"_s).toObject().value(u"code"_s).toString(), u"weak_password"_s);
        for (const QString &bad :
             QStringList{u"short1!"_s, u"alicechen-2026-x"_s, u"a.chen-is-here-2026"_s,
                         QString(QString(73, u'x') + u"9"_s)}) {
            const HttpReply r = admin().post(u"/v1/users"_s, {{u"name"_s, u"Alice Chen"_s},
                                                              {u"email"_s, email},
                                                              {u"role"_s, u"customer"_s},
                                                              {u"organization_id"_s, m_hospital},
                                                              {u"password"_s, bad}});
            QVERIFY2(r.status == 422 && r.errorFields().contains(u"password"_s),
                     r.body.constData());
        }
        createUser({{u"name"_s, u"Alice Chen"_s},
                    {u"email"_s, email},
                    {u"role"_s, u"customer"_s},
                    {u"organization_id"_s, m_hospital},
                    {u"password"_s, kStrongPassword}});
        const HttpReply ok = login(u"A.Chen@StMarys.example"_s, kStrongPassword);
        QCOMPARE(ok.status, 200);
        QCOMPARE(ok.json.value(u"user"_s).toObject().value(u"email"_s).toString(), email);
        const HttpReply bad = login(email, kStrongPassword + u"!"_s);
        QCOMPARE(bad.status, 401);
        QCOMPARE(bad.errorCode(), u"invalid_credentials"_s);
        // No silent truncation: a long password sharing the first 72 bytes is wrong.
        const QString longOne = QString(72, u'q') + u"tail"_s;
        QCOMPARE(login(email, longOne).status, 401);
    }

    void refreshRotatesAndReuseRevokesTheFamily()
    {
        const QString email = u"rotation@stmarys.example"_s;
        createUser({{u"name"_s, u"Rota Tion"_s},
                    {u"email"_s, email},
                    {u"role"_s, u"customer"_s},
                    {u"organization_id"_s, m_hospital},
                    {u"password"_s, kStrongPassword}});
        const HttpReply first = login(email, kStrongPassword);
        QCOMPARE(first.status, 200);
        const QString r1 = first.json.value(u"refresh_token"_s).toString();
        const HttpReply second = m_anon->post(u"/v1/auth/refresh"_s, {{u"refresh_token"_s, r1}});
        QCOMPARE(second.status, 200);
        rememberTokens(second);
        const QString r2 = second.json.value(u"refresh_token"_s).toString();
        QVERIFY(r2 != r1);
        // r1 again: reuse. The family dies, r2 with it.
        const HttpReply reused = m_anon->post(u"/v1/auth/refresh"_s, {{u"refresh_token"_s, r1}});
        QCOMPARE(reused.status, 401);
        QCOMPARE(reused.errorCode(), u"invalid_refresh_token"_s);
        QCOMPARE(m_anon->post(u"/v1/auth/refresh"_s, {{u"refresh_token"_s, r2}}).status, 401);
        QVERIFY(auditActions(u"action=auth.refresh_reuse"_s).size() == 1);

        // Logout ends a family; a made-up token is refused alike.
        const HttpReply third = login(email, kStrongPassword);
        const QString r3 = third.json.value(u"refresh_token"_s).toString();
        QCOMPARE(m_anon->post(u"/v1/auth/logout"_s, {{u"refresh_token"_s, r3}}).status, 204);
        QCOMPARE(m_anon->post(u"/v1/auth/refresh"_s, {{u"refresh_token"_s, r3}}).status, 401);
        QCOMPARE(m_anon->post(u"/v1/auth/refresh"_s, {{u"refresh_token"_s, u"made-up"_s}}).status,
                 401);
    }

    void sessionsListAndRevoke()
    {
        const QString email = u"two.devices@stmarys.example"_s;
        createUser({{u"name"_s, u"Two Devices"_s},
                    {u"email"_s, email},
                    {u"role"_s, u"customer"_s},
                    {u"organization_id"_s, m_hospital},
                    {u"password"_s, kStrongPassword}});
        const HttpReply desk = login(email, kStrongPassword);
        const HttpReply laptop = login(email, kStrongPassword);
        const auto client = clientWith(desk.json.value(u"access_token"_s).toString());
        const HttpReply list = client->get(u"/v1/auth/sessions"_s);
        QCOMPARE(list.status, 200);
        const QJsonArray sessions = list.json.value(u"data"_s).toArray();
        QCOMPARE(sessions.size(), 2);
        QString other;
        int current = 0;
        for (const QJsonValue &v : sessions) {
            if (v.toObject().value(u"current"_s).toBool())
                ++current;
            else
                other = v.toObject().value(u"id"_s).toString();
        }
        QCOMPARE(current, 1);
        QCOMPARE(client->del(u"/v1/auth/sessions/"_s + other).status, 204);
        QCOMPARE(m_anon
                     ->post(u"/v1/auth/refresh"_s,
                            {{u"refresh_token"_s, laptop.json.value(u"refresh_token"_s)}})
                     .status,
                 401);
        // Someone else's session is as unknown as a made-up one.
        const auto stranger = m_server->signIn(md::domain::Role::Customer, m_hospital);
        const QString mine = client->get(u"/v1/auth/sessions"_s)
                                 .json.value(u"data"_s)
                                 .toArray()
                                 .first()
                                 .toObject()
                                 .value(u"id"_s)
                                 .toString();
        const HttpReply theirs = stranger->del(u"/v1/auth/sessions/"_s + mine);
        QCOMPARE(theirs.status, 404);
        QVERIFY(theirs.isErrorEnvelope());
    }

    void registerVerifyAndApprove()
    {
        const QString email = u"new.nurse@stmarys.example"_s;
        const HttpReply created =
            m_anon->post(u"/v1/auth/register"_s, {{u"name"_s, u"Nadia Ferreira"_s},
                                                  {u"email"_s, email},
                                                  {u"password"_s, kStrongPassword},
                                                  {u"organization_id"_s, m_hospital}});
        QCOMPARE(created.status, 201);
        QCOMPARE(created.json.value(u"verified"_s).toBool(), false);
        QCOMPARE(created.json.value(u"active"_s).toBool(), false);
        QCOMPARE(created.json.value(u"role"_s).toString(), u"customer"_s);
        QVERIFY(!created.json.contains(u"password"_s));
        const QString code = codeFor(email);
        QVERIFY(!code.isEmpty());
        QCOMPARE(login(email, kStrongPassword).errorCode(), u"unverified"_s);
        const HttpReply verified = verifyOtp(email, code);
        QCOMPARE(verified.status, 403);
        QCOMPARE(verified.errorCode(), u"pending_approval"_s);
        const QString id = created.json.value(u"id"_s).toString();
        QCOMPARE(admin().patch(u"/v1/users/"_s + id, {{u"active"_s, true}}).status, 200);
        QCOMPARE(login(email, kStrongPassword).status, 200);

        const HttpReply twice = m_anon->post(u"/v1/auth/register"_s,
                                             {{u"name"_s, u"Someone Else"_s}, {u"email"_s, email}});
        QCOMPARE(twice.status, 409);
        // Self-registration cannot pick a role.
        const HttpReply role = m_anon->post(
            u"/v1/auth/register"_s,
            {{u"name"_s, u"Mallory"_s}, {u"email"_s, u"m@x.example"_s}, {u"role"_s, u"admin"_s}});
        QCOMPARE(role.status, 422);
        QVERIFY(role.errorFields().contains(u"role"_s));
    }

    void passwordResetAndChange()
    {
        const QString email = u"forgetful@stmarys.example"_s;
        createUser({{u"name"_s, u"For Getful"_s},
                    {u"email"_s, email},
                    {u"role"_s, u"customer"_s},
                    {u"organization_id"_s, m_hospital},
                    {u"password"_s, kStrongPassword}});
        const HttpReply before = login(email, kStrongPassword);
        QCOMPARE(m_anon->post(u"/v1/auth/password/forgot"_s, {{u"identifier"_s, email}}).status,
                 202);
        const QString code = codeFor(email);
        QVERIFY(!code.isEmpty());
        const HttpReply weak = m_anon->post(
            u"/v1/auth/password/reset"_s,
            {{u"identifier"_s, email}, {u"code"_s, code}, {u"new_password"_s, u"qwertyuiop"_s}});
        QCOMPARE(weak.status, 422);
        QVERIFY(weak.errorFields().contains(u"new_password"_s));
        const QString fresh = u"tulips bloom in the dispatch room"_s;
        m_secrets.append(fresh);
        QCOMPARE(
            m_anon
                ->post(u"/v1/auth/password/reset"_s,
                       {{u"identifier"_s, email}, {u"code"_s, code}, {u"new_password"_s, fresh}})
                .status,
            204);
        QCOMPARE(login(email, kStrongPassword).status, 401);
        const HttpReply after = login(email, fresh);
        QCOMPARE(after.status, 200);
        // The reset ended the sessions from before it.
        QCOMPARE(m_anon
                     ->post(u"/v1/auth/refresh"_s,
                            {{u"refresh_token"_s, before.json.value(u"refresh_token"_s)}})
                     .status,
                 401);

        // Change: the current password is checked, the other sessions end, this one lives.
        const HttpReply other = login(email, fresh);
        const auto client = clientWith(after.json.value(u"access_token"_s).toString());
        QCOMPARE(
            client
                ->post(u"/v1/auth/password/change"_s, {{u"current_password"_s, u"not it at all"_s},
                                                       {u"new_password"_s, kStrongPassword}})
                .status,
            401);
        const QString third = u"a third memorable sentence here"_s;
        m_secrets.append(third);
        QCOMPARE(client
                     ->post(u"/v1/auth/password/change"_s,
                            {{u"current_password"_s, fresh}, {u"new_password"_s, third}})
                     .status,
                 204);
        QCOMPARE(m_anon
                     ->post(u"/v1/auth/refresh"_s,
                            {{u"refresh_token"_s, other.json.value(u"refresh_token"_s)}})
                     .status,
                 401);
        QCOMPARE(m_anon
                     ->post(u"/v1/auth/refresh"_s,
                            {{u"refresh_token"_s, after.json.value(u"refresh_token"_s)}})
                     .status,
                 200);
    }

    void bearerTokensAreVerified()
    {
        const auto me = [&](const QByteArray &token) {
            auto client = m_server->anonymousClient();
            client->setBearer(token);
            return client->get(u"/v1/auth/me"_s);
        };
        const HttpReply none = m_anon->get(u"/v1/tickets"_s);
        QCOMPARE(none.status, 401);
        QVERIFY(none.isErrorEnvelope());
        QVERIFY(none.header("WWW-Authenticate").startsWith("Bearer"));

        const QByteArray good = m_server->tokenFor(m_server->admin());
        QCOMPARE(me(good).status, 200);
        // Altered payload.
        QList<QByteArray> parts = good.split('.');
        QJsonObject claims =
            QJsonDocument::fromJson(QByteArray::fromBase64(parts[1], QByteArray::Base64UrlEncoding))
                .object();
        claims.insert(u"role"_s, u"super_admin"_s);
        parts[1] = QJsonDocument(claims)
                       .toJson(QJsonDocument::Compact)
                       .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        QCOMPARE(me(parts.join('.')).status, 401);
        // alg none.
        const QByteArray noneHeader =
            QByteArray(R"({"alg":"none","typ":"JWT"})")
                .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        QCOMPARE(me(noneHeader + '.' + good.split('.')[1] + '.').status, 401);
        // Expired (signed by our own key, an hour ago).
        md::security::AccessClaims old;
        old.issuer = m_server->app().auth().codec().issuer();
        old.audience = m_server->app().auth().codec().audience();
        old.subject = m_server->admin().id;
        old.role = u"admin"_s;
        old.tokenId = u"t1"_s;
        old.issuedAt = old.notBefore = QDateTime::currentDateTimeUtc().addSecs(-3600);
        old.expiresAt = old.issuedAt.addSecs(900);
        const HttpReply expired = me(m_server->app().auth().codec().sign(old));
        QCOMPARE(expired.status, 401);
        QCOMPARE(expired.errorCode(), u"invalid_token"_s);
        // A refresh token is not an access token.
        createUser({{u"name"_s, u"Refresh Bearer"_s},
                    {u"email"_s, u"rb@stmarys.example"_s},
                    {u"role"_s, u"customer"_s},
                    {u"organization_id"_s, m_hospital},
                    {u"password"_s, kStrongPassword}});
        const HttpReply pair = login(u"rb@stmarys.example"_s, kStrongPassword);
        QCOMPARE(me(pair.json.value(u"refresh_token"_s).toString().toLatin1()).status, 401);
        QCOMPARE(me("Bearer").status, 401);
    }

    void secretsNeverReachTheLogs()
    {
        // Runs last for each backend: every code, token and password the suite used,
        // and every phone number and e-mail address, must be absent from all logs.
        QVERIFY(!m_secrets.isEmpty());
        const QString logs =
            QString::fromStdString(logCapture().str()) + u'\n' + qtLogCapture().join(u'\n');
        QVERIFY2(logs.size() > 1000, "the suite should have logged something");
        QStringList leaked;
        for (const QString &secret : std::as_const(m_secrets))
            if (secret.size() >= 6 && logs.contains(secret))
                leaked.append(secret.left(3) + u"…"_s);
        for (int i = 1; i <= m_phones; ++i) {
            const QString phone = u"+447700900%1"_s.arg(100 + i, 3, 10, QChar(u'0'));
            if (logs.contains(phone) || logs.contains(phone.mid(1)))
                leaked.append(u"a phone number"_s);
        }
        for (const QString &email :
             {u"a.chen@stmarys.example"_s, u"bme.lead@stmarys.example"_s,
              u"forgetful@stmarys.example"_s, u"new.nurse@stmarys.example"_s})
            if (logs.contains(email, Qt::CaseInsensitive))
                leaked.append(u"an e-mail address"_s);
        for (const QString &credential :
             {u"test-auth-token-not-secret-0123"_s, u"SG.test-key-not-secret"_s})
            if (logs.contains(credential))
                leaked.append(u"a provider credential"_s);
        QVERIFY2(leaked.isEmpty(), qPrintable(leaked.join(u", "_s)));
    }
};

QTEST_MAIN(TestApiAuth)
#include "tst_api_auth.moc"
