// The signed-in session against a real server: the refresh token goes to the credential
// store and signs in again after a restart, refreshing is single-flight and rotates the
// stored token (the old one is dead), an expired or refused access token is refreshed
// transparently, signing out ends the session on the server, and a system without a
// keychain still signs in for this run and says so.

#include "guitestsupport.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace md;

class TestClientSession final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void signInStoresRefreshToken();
    void customerMayNotAssign();
    void restoreSignsInAgain();
    void restoreWithoutStoredToken();
    void restoreWithRefusedToken();
    void concurrentRefreshIsSingleFlight();
    void refusedAccessTokenIsRefreshedTransparently();
    void nearlyExpiredTokenIsRefreshedBeforeSending();
    void signOutEndsTheSession();
    void refusedRefreshSignsOut();
    void unreachableRefreshKeepsTheSession();
    void unavailableStoreKeepsSessionForThisRun();

private:
    /// Counts the requests to a path that got an answer through the fixture's client.
    int requestsTo(const QString &path) const;
    bool refreshWorks(const QString &token);

    std::unique_ptr<test::GuiFixture> m_fixture;
    QList<std::pair<QString, int>> m_answers; // path, status
};

namespace {

bool refreshAndWait(client::Session &session, bool *result)
{
    bool done = false;
    QObject context;
    session.refresh(&context, [&](bool ok) {
        *result = ok;
        done = true;
    });
    return QTest::qWaitFor([&] { return done; }, 15000);
}

} // namespace

void TestClientSession::init()
{
    m_fixture = std::make_unique<test::GuiFixture>(false);
    QVERIFY2(m_fixture->isRunning(), qPrintable(m_fixture->error()));
    m_answers.clear();
    connect(m_fixture->api().network(), &QNetworkAccessManager::finished, this,
            [this](QNetworkReply *reply) {
                m_answers.append(
                    {reply->url().path(),
                     reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt()});
            });
}

void TestClientSession::cleanup()
{
    m_fixture.reset();
}

int TestClientSession::requestsTo(const QString &path) const
{
    return int(std::count_if(m_answers.cbegin(), m_answers.cend(),
                             [&](const auto &answer) { return answer.first == path; }));
}

bool TestClientSession::refreshWorks(const QString &token)
{
    const auto client = m_fixture->server().anonymousClient();
    const test::HttpReply reply =
        client->post(u"/v1/auth/refresh"_s, QJsonObject{{u"refresh_token"_s, token}});
    return reply.status == 200;
}

void TestClientSession::signInStoresRefreshToken()
{
    auto &session = m_fixture->session();
    QSignalSpy signedIn(&session, &client::Session::signedIn);
    QVERIFY(!session.isSignedIn());
    QVERIFY(m_fixture->signIn(domain::Role::Admin));
    QCOMPARE(signedIn.size(), 1);
    QVERIFY(session.isSignedIn());
    QVERIFY(session.isPersistent());
    QCOMPARE(session.storeKey(),
             u"refresh-token:127.0.0.1:%1"_s.arg(m_fixture->server().url().port()));
    QTRY_VERIFY(!m_fixture->store().peek(session.storeKey()).isEmpty());
    // Only the refresh token is stored; the access token lives in memory.
    QVERIFY(m_fixture->store().peek(session.storeKey()) !=
            QString::fromUtf8(session.accessToken()));

    // The user from the token pair, as the views need it.
    const auto &user = session.user();
    QVERIFY(!user.id.isEmpty());
    QCOMPARE(domain::toString(user.role), domain::toString(domain::Role::Admin));
    QVERIFY(user.permissions.contains(u"tickets.assign"_s));
    QVERIFY(session.may(domain::Permission::TicketsAssign));
    QVERIFY(session.may(domain::Permission::UsersWrite));
    QVERIFY(session.accessExpiresAt() > QDateTime::currentDateTimeUtc());
}

void TestClientSession::customerMayNotAssign()
{
    const QString hospital =
        m_fixture->server()
            .client()
            .post(u"/v1/organizations"_s,
                  QJsonObject{{u"name"_s, u"Session Test Hospital"_s}, {u"type"_s, u"hospital"_s}})
            .json.value(u"id"_s)
            .toString();
    QVERIFY(!hospital.isEmpty());
    QVERIFY(m_fixture->signIn(domain::Role::Customer, hospital));
    auto &session = m_fixture->session();
    QCOMPARE(domain::toString(session.user().role), domain::toString(domain::Role::Customer));
    QCOMPARE(session.user().organizationId, hospital);
    QCOMPARE(session.user().organizationName, u"Session Test Hospital"_s);
    QVERIFY(session.may(domain::Permission::TicketsCreate));
    QVERIFY(!session.may(domain::Permission::TicketsAssign));
    QVERIFY(!session.may(domain::Permission::UsersWrite));
}

void TestClientSession::restoreSignsInAgain()
{
    QVERIFY(m_fixture->signIn(domain::Role::Admin));
    const QString key = m_fixture->session().storeKey();
    QTRY_VERIFY(!m_fixture->store().peek(key).isEmpty());
    const QString stored = m_fixture->store().peek(key);

    // A restart: a new session over the same keychain and server.
    client::ApiClient api;
    api.setBaseUrl(m_fixture->server().url());
    client::Session restarted(&api, &m_fixture->store());
    api.setSession(&restarted);
    QCOMPARE(restarted.storeKey(), key);
    QSignalSpy signedIn(&restarted, &client::Session::signedIn);
    QSignalSpy failed(&restarted, &client::Session::restoreFailed);
    restarted.restore();
    QVERIFY(signedIn.wait(15000));
    QVERIFY(failed.isEmpty());
    QVERIFY(restarted.isSignedIn());
    QCOMPARE(restarted.user().id, m_fixture->session().user().id);
    QCOMPARE(domain::toString(restarted.user().role), domain::toString(domain::Role::Admin));
    QVERIFY(restarted.may(domain::Permission::TicketsAssign));
    // The refresh rotated the stored token.
    QTRY_VERIFY(m_fixture->store().peek(key) != stored);
    QVERIFY(!m_fixture->store().peek(key).isEmpty());
}

void TestClientSession::restoreWithoutStoredToken()
{
    auto &session = m_fixture->session();
    QSignalSpy signedIn(&session, &client::Session::signedIn);
    QSignalSpy failed(&session, &client::Session::restoreFailed);
    session.restore();
    QVERIFY(failed.wait(5000));
    QVERIFY(signedIn.isEmpty());
    QVERIFY(!session.isSignedIn());
}

void TestClientSession::restoreWithRefusedToken()
{
    auto &session = m_fixture->session();
    const QString key = session.storeKey();
    bool written = false;
    QObject context;
    m_fixture->store().write(key, u"not-a-refresh-token"_s, &context,
                             [&](const client::CredentialStore::Result &) { written = true; });
    QTRY_VERIFY(written);
    QSignalSpy failed(&session, &client::Session::restoreFailed);
    QSignalSpy signedOut(&session, &client::Session::signedOut);
    session.restore();
    QVERIFY(failed.wait(15000));
    QVERIFY(!session.isSignedIn());
    QVERIFY(!failed.at(0).at(0).toString().isEmpty());
    // Never signed in during this run, so no "signed out" either; the dead token is gone.
    QVERIFY(signedOut.isEmpty());
    QTRY_VERIFY(m_fixture->store().peek(key).isEmpty());
}

void TestClientSession::concurrentRefreshIsSingleFlight()
{
    QVERIFY(m_fixture->signIn(domain::Role::Admin));
    auto &session = m_fixture->session();
    const QString key = session.storeKey();
    QTRY_VERIFY(!m_fixture->store().peek(key).isEmpty());
    const QString before = m_fixture->store().peek(key);
    const QByteArray accessBefore = session.accessToken();
    const int refreshesBefore = requestsTo(u"/v1/auth/refresh"_s);

    int answers = 0;
    bool firstOk = false;
    bool secondOk = false;
    QObject context;
    session.refresh(&context, [&](bool ok) {
        firstOk = ok;
        ++answers;
    });
    session.refresh(&context, [&](bool ok) {
        secondOk = ok;
        ++answers;
    });
    QTRY_COMPARE_WITH_TIMEOUT(answers, 2, 15000);
    QVERIFY(firstOk);
    QVERIFY(secondOk);
    QCOMPARE(requestsTo(u"/v1/auth/refresh"_s) - refreshesBefore, 1);
    QVERIFY(session.isSignedIn());
    QVERIFY(session.accessToken() != accessBefore);
    QTRY_VERIFY(m_fixture->store().peek(key) != before);
    const QString after = m_fixture->store().peek(key);
    QVERIFY(!after.isEmpty());

    // The replaced refresh token is dead on the server.
    QVERIFY(!refreshWorks(before));
}

void TestClientSession::refusedAccessTokenIsRefreshedTransparently()
{
    QVERIFY(m_fixture->signIn(domain::Role::Admin));
    auto &session = m_fixture->session();
    session.setAccessTokenForTesting("garbage.access.token");
    const int refreshesBefore = requestsTo(u"/v1/auth/refresh"_s);

    bool done = false;
    client::ApiResult result;
    QObject view;
    m_fixture->api().get(u"/v1/auth/me"_s, {}, &view, [&](const client::ApiResult &r) {
        result = r;
        done = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(done, 15000);
    QVERIFY2(result.ok(), qPrintable(result.error.userMessage()));
    QCOMPARE(result.json.value(u"id"_s).toString(), session.user().id);
    QCOMPARE(requestsTo(u"/v1/auth/refresh"_s) - refreshesBefore, 1);
    QVERIFY(session.accessToken() != "garbage.access.token");
    // The first attempt was refused, the retry went through.
    QCOMPARE(requestsTo(u"/v1/auth/me"_s), 2);
}

void TestClientSession::nearlyExpiredTokenIsRefreshedBeforeSending()
{
    QVERIFY(m_fixture->signIn(domain::Role::Admin));
    auto &session = m_fixture->session();
    const QByteArray token = session.accessToken();
    session.setAccessTokenForTesting(token, QDateTime::currentDateTimeUtc().addSecs(10));
    const int refreshesBefore = requestsTo(u"/v1/auth/refresh"_s);

    bool done = false;
    client::ApiResult result;
    QObject view;
    m_fixture->api().get(u"/v1/auth/me"_s, {}, &view, [&](const client::ApiResult &r) {
        result = r;
        done = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(done, 15000);
    QVERIFY2(result.ok(), qPrintable(result.error.userMessage()));
    QCOMPARE(requestsTo(u"/v1/auth/refresh"_s) - refreshesBefore, 1);
    QCOMPARE(requestsTo(u"/v1/auth/me"_s), 1); // no 401 round trip
    QVERIFY(session.accessToken() != token);
    QVERIFY(session.accessExpiresAt() > QDateTime::currentDateTimeUtc().addSecs(60));
}

void TestClientSession::signOutEndsTheSession()
{
    QVERIFY(m_fixture->signIn(domain::Role::Admin));
    auto &session = m_fixture->session();
    const QString key = session.storeKey();
    QTRY_VERIFY(!m_fixture->store().peek(key).isEmpty());
    const QString refreshToken = m_fixture->store().peek(key);

    QSignalSpy signedOut(&session, &client::Session::signedOut);
    session.signOut();
    QCOMPARE(signedOut.size(), 1);
    QVERIFY(!session.isSignedIn());
    QVERIFY(session.accessToken().isEmpty());
    QVERIFY(session.user().id.isEmpty());
    QTRY_VERIFY(m_fixture->store().peek(key).isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(requestsTo(u"/v1/auth/logout"_s), 1, 15000);
    QCOMPARE(m_answers.last().second, 204);
    QVERIFY(!refreshWorks(refreshToken));

    // Authenticated calls now fail instead of using a stale token.
    bool done = false;
    client::ApiResult result;
    QObject view;
    m_fixture->api().get(u"/v1/auth/me"_s, {}, &view, [&](const client::ApiResult &r) {
        result = r;
        done = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(done, 15000);
    QCOMPARE(result.error.status, 401);
}

void TestClientSession::refusedRefreshSignsOut()
{
    QVERIFY(m_fixture->signIn(domain::Role::Admin));
    auto &session = m_fixture->session();
    const QString key = session.storeKey();
    QTRY_VERIFY(!m_fixture->store().peek(key).isEmpty());
    // The token leaked and someone else used it: the session's copy is now a reuse,
    // which the server answers by ending the whole session.
    QVERIFY(refreshWorks(m_fixture->store().peek(key)));

    QSignalSpy signedOut(&session, &client::Session::signedOut);
    bool ok = true;
    QVERIFY(refreshAndWait(session, &ok));
    QVERIFY(!ok);
    QCOMPARE(signedOut.size(), 1);
    QVERIFY(!signedOut.at(0).at(0).toString().isEmpty());
    QVERIFY(!session.isSignedIn());
    QTRY_VERIFY(m_fixture->store().peek(key).isEmpty());
}

void TestClientSession::unreachableRefreshKeepsTheSession()
{
    QVERIFY(m_fixture->signIn(domain::Role::Admin));
    auto &session = m_fixture->session();
    auto &api = m_fixture->api();
    const QString key = session.storeKey();
    QTRY_VERIFY(!m_fixture->store().peek(key).isEmpty());
    const QString stored = m_fixture->store().peek(key);
    const QUrl serverUrl = api.baseUrl();

    // The network drops: nothing listens at the address for a moment.
    QUrl nowhere = serverUrl;
    nowhere.setPort(1); // tcpmux: nothing listens on port 1 here
    api.setBaseUrl(nowhere);
    QSignalSpy signedOut(&session, &client::Session::signedOut);
    bool ok = true;
    QVERIFY(refreshAndWait(session, &ok));
    QVERIFY(!ok);
    QVERIFY(!api.isReachable());
    QVERIFY(signedOut.isEmpty());
    QVERIFY(session.isSignedIn());

    // Back online: the same refresh token still works.
    api.setBaseUrl(serverUrl);
    QVERIFY(refreshAndWait(session, &ok));
    QVERIFY(ok);
    QVERIFY(signedOut.isEmpty());
    QTRY_VERIFY(m_fixture->store().peek(key) != stored);
}

void TestClientSession::unavailableStoreKeepsSessionForThisRun()
{
    m_fixture->store().setUnavailable(true);
    auto &session = m_fixture->session();
    QSignalSpy unavailable(&session, &client::Session::credentialStoreUnavailable);
    QVERIFY(session.isPersistent());
    QVERIFY(m_fixture->signIn(domain::Role::Admin));
    QVERIFY(unavailable.wait(5000) || !unavailable.isEmpty());
    QCOMPARE(unavailable.size(), 1);
    QVERIFY(unavailable.at(0).at(0).toString().contains(u"sign in each time"_s));
    QVERIFY(!session.isPersistent());
    QVERIFY(session.isSignedIn());

    // The refresh token lives in memory for this run: refreshing still works.
    bool ok = false;
    QVERIFY(refreshAndWait(session, &ok));
    QVERIFY(ok);
    QVERIFY(session.isSignedIn());
    QCOMPARE(unavailable.size(), 1); // said once, not at every refresh
}

QTEST_MAIN(TestClientSession)
#include "tst_client_session.moc"
