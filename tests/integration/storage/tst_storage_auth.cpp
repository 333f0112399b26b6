// Authentication storage on SQLite and PostgreSQL: users and their unique identifiers,
// the lockout policy, OTP codes, sessions and refresh-token rotation (one winner under
// concurrency), rate-limit counters shared by server instances, and the hash-chained,
// append-only audit trail the database itself protects.

#include "storage/authrepositories.h"
#include "storage/database.h"
#include "storage/repositories.h"
#include "storage/storageerror.h"
#include "testlib/storagefixtures.h"
#include "testlib/testdatabase.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QMutex>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QThread>
#include <algorithm>
#include <barrier>
#include <functional>
#include <optional>

using namespace md;
using namespace md::domain;
using namespace md::storage;
using namespace Qt::Literals::StringLiterals;
using md::testlib::TestDatabase;
using testlib::fixedTime;
using testlib::makeOrganization;
using testlib::makeUser;
using RotateOutcome = SessionRepository::RotateOutcome;

namespace {

std::optional<StorageError::Kind> errorOf(const std::function<void()> &fn)
{
    try {
        fn();
    } catch (const StorageError &e) {
        return e.kind();
    }
    return std::nullopt;
}

const char *outcomeName(RotateOutcome o)
{
    switch (o) {
    case RotateOutcome::Unknown:
        return "Unknown";
    case RotateOutcome::Rotated:
        return "Rotated";
    case RotateOutcome::Reused:
        return "Reused";
    case RotateOutcome::Dead:
        return "Dead";
    }
    return "?";
}

#define QCOMPARE_OUTCOME(actual, expected)                                                         \
    QCOMPARE(QString::fromLatin1(outcomeName(actual)), QString::fromLatin1(outcomeName(expected)))

// A second Database on the same data: what another server instance would open.
std::unique_ptr<Database> secondInstance(TestDatabase &db)
{
    const auto config = DatabaseConfig::parse(db.location());
    return config ? std::make_unique<Database>(*config) : nullptr;
}

// Runs fn(i) on `threads` threads and waits for all of them.
void runThreads(int threads, const std::function<void(int)> &fn)
{
    QList<QThread *> started;
    for (int i = 0; i < threads; ++i)
        started << QThread::create(fn, i);
    for (QThread *t : started)
        t->start();
    for (QThread *t : started) {
        t->wait();
        delete t;
    }
}

bool exec(Database &db, const QString &sql, QString *error = nullptr)
{
    QSqlQuery q(db.connection());
    const bool ok = q.exec(sql);
    if (!ok && error)
        *error = q.lastError().text();
    return ok;
}

Session makeSession(const QString &userId, const QDateTime &created, qint64 lifetimeDays = 30)
{
    Session s;
    s.id = testlib::newId();
    s.userId = userId;
    s.deviceName = u"Dispatch desk 3"_s;
    s.ipAddress = u"10.0.0.7"_s;
    s.userAgent = u"MedDispatch/0.1"_s;
    s.createdAt = created;
    s.lastUsedAt = created;
    s.expiresAt = created.addDays(lifetimeDays);
    return s;
}

OtpRecord makeOtp(const QString &identifierKey, const QString &purpose, const QDateTime &created,
                  const QString &userId = {})
{
    OtpRecord r;
    r.id = testlib::newId();
    r.identifierKey = identifierKey;
    r.purpose = purpose;
    r.channel = u"sms"_s;
    // Raw MAC bytes, NUL and high bytes included.
    r.codeMac = QByteArray("\x00\xff\x10mac-", 7) + r.id.toLatin1();
    r.userId = userId;
    r.createdAt = created;
    r.expiresAt = created.addSecs(10 * 60);
    return r;
}

AuditEntry makeAudit(const QString &action, const QString &actorId, const QString &organizationId,
                     const QDateTime &at)
{
    AuditEntry e;
    e.at = at;
    e.actorId = actorId;
    e.actorRole = u"org_admin"_s;
    e.organizationId = organizationId;
    e.action = action;
    e.entityType = action.section(u'.', 0, 0);
    e.entityId = testlib::newId();
    e.ipAddress = u"192.0.2.10"_s;
    e.requestId = testlib::newId();
    return e;
}

// A user and the organization it belongs to, inserted.
struct Account
{
    Organization hospital = makeOrganization(u"City Hospital"_s, OrganizationType::Hospital);
    User user;
    explicit Account(Repositories &repos)
    {
        repos.organizations().insert(hospital);
        user = makeUser(hospital.id, Role::Customer, u"Ana"_s, u"ana@example.org"_s,
                        u"+442079460018"_s);
        repos.users().insert(user);
    }
};

} // namespace

class TestStorageAuth final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data() { TestDatabase::addBackendRows(); }

    void userRoundTripAndLookups();
    void duplicateEmailOrPhoneIsAConflict();
    void userListFiltersOrderAndScope();
    void lockoutEveryFifthFailureThenAdminOnly();
    void otpCodes();
    void sessionsLifecycleAndRotation();
    void concurrentRotationHasOneWinner();
    void rateLimitsAddUpAcrossInstances();
    void auditChainLinksEveryEntry();
    void auditLogRefusesUpdateAndDelete();
    void auditTamperingIsFoundWhereItHappened_data();
    void auditTamperingIsFoundWhereItHappened();
    void auditRolledBackAppendLeavesNoGap();
    void auditListFilters();
    void concurrentAuditAppendsKeepOneChain();
};

void TestStorageAuth::userRoundTripAndLookups()
{
    MD_TEST_DATABASE(db);
    Repositories repos(db->database());
    Account a(repos);

    const auto found = repos.users().find(a.user.id);
    QVERIFY(found);
    QCOMPARE(found->name, a.user.name);
    QCOMPARE(found->email, a.user.email);
    QCOMPARE(found->phone, a.user.phone);
    QCOMPARE(toString(found->role), toString(Role::Customer));
    QCOMPARE(found->organizationId, a.hospital.id);
    QCOMPARE(found->active, true);
    QCOMPARE(found->verified, true);
    QCOMPARE(found->passwordHash, a.user.passwordHash);
    QCOMPARE(found->createdAt, fixedTime());
    QCOMPARE(found->updatedAt, fixedTime());
    QVERIFY(!found->lastLoginAt.isValid());

    QCOMPARE(repos.users().findByIdentifier(u"ana@example.org"_s)->id, a.user.id);
    QCOMPARE(repos.users().findByIdentifier(u"+442079460018"_s)->id, a.user.id);
    QVERIFY(!repos.users().findByIdentifier(u"bob@example.org"_s));
    QVERIFY(!repos.users().findByIdentifier(u"+442079460019"_s));
    QVERIFY(!repos.users().findByIdentifier(QString()));
    QVERIFY(!repos.users().find(testlib::newId()));

    // Every column changes, the password hash included; created_at stays.
    User changed = *found;
    changed.name = u"Ana Lima"_s;
    changed.email = u"ana.lima@example.org"_s;
    changed.phone.clear();
    changed.role = Role::OrgAdmin;
    changed.active = false;
    changed.verified = false;
    changed.passwordHash =
        QByteArrayLiteral("$2b$12$anotherhashanotherhashanotherhashanotherhashanothe");
    changed.updatedAt = fixedTime(10);
    changed.lastLoginAt = fixedTime(9);
    repos.users().update(changed);
    const auto again = repos.users().find(a.user.id);
    QVERIFY(again);
    QCOMPARE(again->name, changed.name);
    QCOMPARE(again->email, changed.email);
    QVERIFY(again->phone.isEmpty());
    QCOMPARE(toString(again->role), toString(Role::OrgAdmin));
    QCOMPARE(again->active, false);
    QCOMPARE(again->verified, false);
    QCOMPARE(again->passwordHash, changed.passwordHash);
    QCOMPARE(again->createdAt, fixedTime());
    QCOMPARE(again->updatedAt, fixedTime(10));
    QCOMPARE(again->lastLoginAt, fixedTime(9));
    // The old identifiers no longer find anyone; the new e-mail does.
    QVERIFY(!repos.users().findByIdentifier(u"ana@example.org"_s));
    QVERIFY(!repos.users().findByIdentifier(u"+442079460018"_s));
    QCOMPARE(repos.users().findByIdentifier(u"ana.lima@example.org"_s)->id, a.user.id);

    // No password: stored as none, read back empty.
    User otpOnly = makeUser(a.hospital.id, Role::Customer, u"Otp"_s, {}, u"+4915112345678"_s);
    otpOnly.passwordHash.clear();
    repos.users().insert(otpOnly);
    QVERIFY(repos.users().find(otpOnly.id)->passwordHash.isEmpty());
    QVERIFY(repos.users().find(otpOnly.id)->email.isEmpty());

    // The engineer record linked to a user.
    QVERIFY(!repos.users().engineerIdOf(otpOnly.id));
    Engineer engineer = testlib::makeEngineer(a.hospital.id, u"Bme"_s, EngineerLevel::L2, {}, {});
    engineer.userId = otpOnly.id;
    repos.engineers().insert(engineer);
    QCOMPARE(repos.users().engineerIdOf(otpOnly.id).value_or(QString()), engineer.id);

    QVERIFY(errorOf([&] {
                User unknown = makeUser(a.hospital.id, Role::Customer, u"X"_s, u"x@example.org"_s);
                repos.users().update(unknown);
            }).has_value());
}

void TestStorageAuth::duplicateEmailOrPhoneIsAConflict()
{
    MD_TEST_DATABASE(db);
    Repositories repos(db->database());
    Account a(repos);
    const QString org = a.hospital.id;

    const auto sameEmail = makeUser(org, Role::Customer, u"B"_s, u"ana@example.org"_s);
    QVERIFY(errorOf([&] { repos.users().insert(sameEmail); }) == StorageError::Kind::Conflict);
    const auto samePhone =
        makeUser(org, Role::Customer, u"C"_s, u"c@example.org"_s, u"+442079460018"_s);
    QVERIFY(errorOf([&] { repos.users().insert(samePhone); }) == StorageError::Kind::Conflict);

    // Absent identifiers are not values: many users may have no phone (or no e-mail).
    const auto noPhone1 = makeUser(org, Role::Customer, u"D"_s, u"d@example.org"_s);
    const auto noPhone2 = makeUser(org, Role::Customer, u"E"_s, u"e@example.org"_s);
    const auto noEmail1 = makeUser(org, Role::Customer, u"F"_s, {}, u"+15550000001"_s);
    const auto noEmail2 = makeUser(org, Role::Customer, u"G"_s, {}, u"+15550000002"_s);
    for (const User &u : {noPhone1, noPhone2, noEmail1, noEmail2})
        repos.users().insert(u);

    // An update cannot take someone else's identifier either, and changes nothing.
    User taking = noPhone1;
    taking.phone = u"+15550000002"_s;
    QVERIFY(errorOf([&] { repos.users().update(taking); }) == StorageError::Kind::Conflict);
    QVERIFY(repos.users().find(noPhone1.id)->phone.isEmpty());
    QCOMPARE(repos.users().list({}, {}, {}).total, qint64(5));
}

void TestStorageAuth::userListFiltersOrderAndScope()
{
    MD_TEST_DATABASE(db);
    Repositories repos(db->database());
    const Organization h1 = makeOrganization(u"H1"_s, OrganizationType::Hospital);
    const Organization h2 = makeOrganization(u"H2"_s, OrganizationType::Hospital);
    repos.organizations().insert(h1);
    repos.organizations().insert(h2);
    User zoe = makeUser(h1.id, Role::OrgAdmin, u"Zoë Ärztin"_s, u"zoe@h1.example"_s);
    User adam = makeUser(h1.id, Role::Customer, u"adam"_s, u"adam@h1.example"_s, u"+4930111222"_s);
    User bea = makeUser(h2.id, Role::Customer, u"Bea"_s, u"bea@h2.example"_s);
    bea.active = false;
    User root = makeUser({}, Role::SuperAdmin, u"Root"_s, u"root@platform.example"_s);
    User ops = makeUser({}, Role::Admin, u"Ops"_s, u"ops@platform.example"_s);
    for (const User &u : {zoe, adam, bea, root, ops})
        repos.users().insert(u);

    const auto ids = [](const Page<User> &page) {
        QStringList out;
        for (const User &u : page.items)
            out << u.id;
        return out;
    };
    // Ordered by name (bytewise, as stored), then id.
    QCOMPARE(ids(repos.users().list({}, {}, {})),
             QStringList({bea.id, ops.id, root.id, zoe.id, adam.id}));
    UserFilter byOrg;
    byOrg.organizationId = h1.id;
    QCOMPARE(ids(repos.users().list(byOrg, {}, {})), QStringList({zoe.id, adam.id}));
    UserFilter byRole;
    byRole.role = Role::Customer;
    QCOMPARE(ids(repos.users().list(byRole, {}, {})), QStringList({bea.id, adam.id}));
    UserFilter inactive;
    inactive.active = false;
    QCOMPARE(ids(repos.users().list(inactive, {}, {})), QStringList({bea.id}));
    UserFilter name;
    name.q = u"ZOË ä"_s; // case-insensitive beyond ASCII
    QCOMPARE(ids(repos.users().list(name, {}, {})), QStringList({zoe.id}));
    UserFilter email;
    email.q = u"@PLATFORM."_s;
    QCOMPARE(ids(repos.users().list(email, {}, {})), QStringList({ops.id, root.id}));
    UserFilter phone;
    phone.q = u"0111"_s;
    QCOMPARE(ids(repos.users().list(phone, {}, {})), QStringList({adam.id}));

    const auto paged = repos.users().list({}, {}, {2, 1});
    QCOMPARE(paged.total, qint64(5));
    QCOMPARE(ids(paged), QStringList({ops.id, root.id}));

    QCOMPARE(repos.users().countByRole(Role::Customer), qint64(2));
    QCOMPARE(repos.users().countByRole(Role::SuperAdmin), qint64(1));
    QCOMPARE(repos.users().countByRole(Role::Engineer), qint64(0));

    // Scope: the users of the scope's organizations only; the platform's never.
    Scope h1Scope;
    h1Scope.all = false;
    h1Scope.organizationIds = {h1.id};
    QCOMPARE(ids(repos.users().list({}, h1Scope, {})), QStringList({zoe.id, adam.id}));
    QCOMPARE(repos.users().list(byRole, h1Scope, {}).total, qint64(1));
    Scope engineerScope;
    engineerScope.all = false;
    engineerScope.engineerId = testlib::newId();
    engineerScope.readableOrganizationIds = {h2.id};
    QCOMPARE(repos.users().list({}, engineerScope, {}).total, qint64(0));
    Scope none;
    none.all = false;
    QCOMPARE(repos.users().list({}, none, {}).total, qint64(0));
}

void TestStorageAuth::lockoutEveryFifthFailureThenAdminOnly()
{
    MD_TEST_DATABASE(db);
    Repositories repos(db->database());
    LoginThrottleRepository &throttle = repos.loginThrottle();
    const LockoutPolicy policy; // 5 failures -> 30 min; 100 -> administrator
    const QString key = u"user:"_s + testlib::newId();
    const QString other = u"id:"_s + QString(64, u'a');
    constexpr qint64 Minute = 60 * 1000;

    QCOMPARE(throttle.state(key).consecutiveFailures, 0);
    QDateTime now = fixedTime();
    for (int i = 1; i <= 4; ++i) {
        const LockState s = throttle.recordFailure(key, now, policy);
        QCOMPARE(s.consecutiveFailures, i);
        QVERIFY2(!s.lockedAt(now), qPrintable(u"locked after %1 failures"_s.arg(i)));
    }
    LockState s = throttle.recordFailure(key, now, policy);
    QCOMPARE(s.consecutiveFailures, 5);
    QCOMPARE(s.lockedUntil, now.addMSecs(30 * Minute));
    QVERIFY(s.lockedAt(now.addMSecs(30 * Minute - 1)));
    QVERIFY(!s.lockedAt(now.addMSecs(30 * Minute)));
    QVERIFY(!s.adminUnlockRequired);
    QCOMPARE(throttle.state(key).lockedUntil, s.lockedUntil); // stored, not just returned

    // The lock ends but the count does not start over: failures 6..9 do not lock...
    now = now.addMSecs(31 * Minute);
    for (int i = 6; i <= 9; ++i) {
        s = throttle.recordFailure(key, now, policy);
        QCOMPARE(s.consecutiveFailures, i);
        QVERIFY2(!s.lockedAt(now), qPrintable(u"locked after %1 failures"_s.arg(i)));
    }
    // ...the 10th does.
    s = throttle.recordFailure(key, now, policy);
    QCOMPARE(s.consecutiveFailures, 10);
    QCOMPARE(s.lockedUntil, now.addMSecs(30 * Minute));

    // Up to the 99th the locks are timed; from the 100th only an administrator unlocks.
    for (int i = 11; i <= 99; ++i) {
        if (i % 5 == 1)
            now = now.addMSecs(31 * Minute);
        s = throttle.recordFailure(key, now, policy);
    }
    QCOMPARE(s.consecutiveFailures, 99);
    QVERIFY(!s.adminUnlockRequired);
    now = now.addMSecs(31 * Minute);
    s = throttle.recordFailure(key, now, policy);
    QCOMPARE(s.consecutiveFailures, 100);
    QVERIFY(s.adminUnlockRequired);
    QVERIFY(s.lockedAt(now.addYears(1)));
    QVERIFY(throttle.state(key).adminUnlockRequired);
    s = throttle.recordFailure(key, now.addDays(1), policy);
    QCOMPARE(s.consecutiveFailures, 101);
    QVERIFY(s.adminUnlockRequired);

    // Another subject is not affected; a reset (success or administrator) forgets it all.
    QCOMPARE(throttle.recordFailure(other, now, policy).consecutiveFailures, 1);
    throttle.reset(key);
    const LockState cleared = throttle.state(key);
    QCOMPARE(cleared.consecutiveFailures, 0);
    QVERIFY(!cleared.lockedUntil.isValid());
    QVERIFY(!cleared.adminUnlockRequired);
    QVERIFY(!cleared.lockedAt(now));
    QCOMPARE(throttle.recordFailure(key, now, policy).consecutiveFailures, 1);
    QCOMPARE(throttle.state(other).consecutiveFailures, 1);

    // The policy is the caller's: a stricter one applies at once.
    LockoutPolicy strict;
    strict.failuresPerLock = 2;
    strict.lockMilliseconds = 5 * Minute;
    strict.adminUnlockAfter = 4;
    const LockState secondFailure = throttle.recordFailure(other, now, strict);
    QCOMPARE(secondFailure.lockedUntil, now.addMSecs(5 * Minute));
    QVERIFY(!throttle.recordFailure(other, now, strict).adminUnlockRequired); // 3rd
    QVERIFY(throttle.recordFailure(other, now, strict).adminUnlockRequired);  // 4th
}

void TestStorageAuth::otpCodes()
{
    MD_TEST_DATABASE(db);
    Repositories repos(db->database());
    Account a(repos);
    OtpRepository &otps = repos.otps();
    const QString key = QString(64, u'k');
    const QString otherKey = QString(64, u'o');
    const QDateTime t0 = fixedTime();

    const OtpRecord first = makeOtp(key, u"login"_s, t0, a.user.id);
    const OtpRecord second = makeOtp(key, u"login"_s, t0.addSecs(60), a.user.id);
    const OtpRecord reg = makeOtp(key, u"register"_s, t0.addSecs(120));
    const OtpRecord elsewhere = makeOtp(otherKey, u"login"_s, t0.addSecs(30));
    for (const OtpRecord &r : {first, second, reg, elsewhere})
        otps.insert(r);

    // The send limits count every purpose of the identifier.
    QCOMPARE(otps.countSince(key, t0), 3);
    QCOMPARE(otps.countSince(key, t0.addSecs(60)), 2);
    QCOMPARE(otps.countSince(key, t0.addSecs(121)), 0);
    QCOMPARE(otps.countSince(otherKey, t0), 1);
    QCOMPARE(otps.lastCreatedAt(key).value_or(QDateTime()), t0.addSecs(120));
    QVERIFY(!otps.lastCreatedAt(QString(64, u'n')));

    // The newest usable code, every field read back (the MAC as raw bytes).
    auto usable = otps.latestUsable(key, u"login"_s, t0.addSecs(5 * 60));
    QVERIFY(usable);
    QCOMPARE(usable->id, second.id);
    QCOMPARE(usable->identifierKey, key);
    QCOMPARE(usable->purpose, u"login"_s);
    QCOMPARE(usable->channel, u"sms"_s);
    QCOMPARE(usable->codeMac, second.codeMac);
    QCOMPARE(usable->userId, a.user.id);
    QCOMPARE(usable->createdAt, second.createdAt);
    QCOMPARE(usable->expiresAt, second.expiresAt);
    QVERIFY(!usable->consumedAt.isValid());
    QCOMPARE(otps.latestUsable(key, u"register"_s, t0.addSecs(5 * 60))->userId, QString());

    // Single use: the second consume of one code fails.
    QVERIFY(otps.consume(second.id, t0.addSecs(6 * 60)));
    QVERIFY(!otps.consume(second.id, t0.addSecs(6 * 60)));
    QVERIFY(!otps.consume(testlib::newId(), t0));
    // Consumed codes are not usable: the older one is next, until it expires.
    QCOMPARE(otps.latestUsable(key, u"login"_s, t0.addSecs(7 * 60))->id, first.id);
    QVERIFY(!otps.latestUsable(key, u"login"_s, first.expiresAt));
    QVERIFY(!otps.latestUsable(key, u"login"_s, t0.addSecs(11 * 60)));

    // After a success every code of that identifier and purpose dies; others live on.
    otps.consumeAll(key, u"login"_s, t0.addSecs(8 * 60));
    QVERIFY(!otps.latestUsable(key, u"login"_s, t0.addSecs(8 * 60)));
    QVERIFY(!otps.consume(first.id, t0.addSecs(9 * 60)));
    QVERIFY(otps.latestUsable(key, u"register"_s, t0.addSecs(8 * 60)));
    QVERIFY(otps.latestUsable(otherKey, u"login"_s, t0.addSecs(8 * 60)));
    // Consumed codes still count against the send limits.
    QCOMPARE(otps.countSince(key, t0), 3);

    // Housekeeping removes what was created before the cut, and only that.
    QCOMPARE(otps.purgeCreatedBefore(t0.addSecs(60)), 2); // first, elsewhere
    QCOMPARE(otps.countSince(key, t0), 2);
    QCOMPARE(otps.countSince(otherKey, t0), 0);
    QCOMPARE(otps.purgeCreatedBefore(t0.addSecs(60)), 0);
}

void TestStorageAuth::sessionsLifecycleAndRotation()
{
    MD_TEST_DATABASE(db);
    Repositories repos(db->database());
    Account a(repos);
    SessionRepository &sessions = repos.sessions();
    const QDateTime t0 = fixedTime();

    Session desk = makeSession(a.user.id, t0);
    Session laptop = makeSession(a.user.id, t0.addSecs(60));
    laptop.deviceName = u"Laptop"_s;
    Session expired = makeSession(a.user.id, t0.addDays(-40)); // ended 10 days ago
    sessions.insert(desk, u"h-desk-1"_s);
    sessions.insert(laptop, u"h-laptop-1"_s);
    sessions.insert(expired, u"h-expired-1"_s);

    const auto found = sessions.find(desk.id);
    QVERIFY(found);
    QCOMPARE(found->userId, a.user.id);
    QCOMPARE(found->deviceName, desk.deviceName);
    QCOMPARE(found->ipAddress, desk.ipAddress);
    QCOMPARE(found->userAgent, desk.userAgent);
    QCOMPARE(found->createdAt, t0);
    QCOMPARE(found->lastUsedAt, t0);
    QCOMPARE(found->expiresAt, t0.addDays(30));
    QVERIFY(!found->revokedAt.isValid());
    QCOMPARE(sessions.findByRefreshHash(u"h-laptop-1"_s)->id, laptop.id);
    QVERIFY(!sessions.findByRefreshHash(u"nope"_s));

    // Live sessions, most recently used first; the expired one is not live.
    const auto ids = [](const QList<Session> &list) {
        QStringList out;
        for (const Session &s : list)
            out << s.id;
        return out;
    };
    QCOMPARE(ids(sessions.listLive(a.user.id, t0.addSecs(120))), QStringList({laptop.id, desk.id}));

    // Rotation: current -> Rotated; the same token again -> Reused; the new one works.
    const QDateTime t1 = t0.addSecs(600);
    QCOMPARE_OUTCOME(sessions.rotate(u"never-issued"_s, u"x"_s, t1, {}, {}).outcome,
                     RotateOutcome::Unknown);
    QVERIFY(!sessions.rotate(u"never-issued"_s, u"x"_s, t1, {}, {}).session);
    auto r = sessions.rotate(u"h-desk-1"_s, u"h-desk-2"_s, t1, u"10.0.0.9"_s, u"Agent/2"_s);
    QCOMPARE_OUTCOME(r.outcome, RotateOutcome::Rotated);
    QVERIFY(r.session);
    QCOMPARE(r.session->id, desk.id);
    QCOMPARE(r.session->lastUsedAt, t1);
    QCOMPARE(r.session->ipAddress, u"10.0.0.9"_s);
    const auto stored = sessions.find(desk.id);
    QCOMPARE(stored->lastUsedAt, t1);
    QCOMPARE(stored->ipAddress, u"10.0.0.9"_s);
    QCOMPARE(stored->userAgent, u"Agent/2"_s);
    QCOMPARE(ids(sessions.listLive(a.user.id, t1)), QStringList({desk.id, laptop.id}));

    r = sessions.rotate(u"h-desk-1"_s, u"h-desk-x"_s, t1.addSecs(1), {}, {});
    QCOMPARE_OUTCOME(r.outcome, RotateOutcome::Reused);
    QCOMPARE(r.session->id, desk.id);
    QVERIFY(!sessions.findByRefreshHash(u"h-desk-x"_s));              // nothing issued on reuse
    QCOMPARE(sessions.findByRefreshHash(u"h-desk-1"_s)->id, desk.id); // used tokens still map
    QCOMPARE_OUTCOME(sessions.rotate(u"h-desk-2"_s, u"h-desk-3"_s, t1.addSecs(2), {}, {}).outcome,
                     RotateOutcome::Rotated);

    // Expired and revoked families are dead, whatever the token.
    r = sessions.rotate(u"h-expired-1"_s, u"h-expired-2"_s, t1, {}, {});
    QCOMPARE_OUTCOME(r.outcome, RotateOutcome::Dead);
    QCOMPARE(r.session->id, expired.id);
    QVERIFY(sessions.revoke(desk.id, t1.addSecs(3), u"logout"_s));
    QVERIFY(!sessions.revoke(desk.id, t1.addSecs(4), u"logout"_s));
    QVERIFY(!sessions.revoke(testlib::newId(), t1, u"logout"_s));
    const auto revoked = sessions.find(desk.id);
    QCOMPARE(revoked->revokedAt, t1.addSecs(3));
    QCOMPARE(revoked->revokedReason, u"logout"_s);
    QCOMPARE_OUTCOME(sessions.rotate(u"h-desk-3"_s, u"h-desk-4"_s, t1.addSecs(5), {}, {}).outcome,
                     RotateOutcome::Dead);
    QCOMPARE(ids(sessions.listLive(a.user.id, t1.addSecs(5))), QStringList({laptop.id}));

    // revokeAllOf ends the live ones and says how many.
    Session tablet = makeSession(a.user.id, t1);
    sessions.insert(tablet, u"h-tablet-1"_s);
    QCOMPARE(sessions.revokeAllOf(a.user.id, t1.addSecs(6), u"password_changed"_s), 2);
    QVERIFY(sessions.listLive(a.user.id, t1.addSecs(6)).isEmpty());
    QCOMPARE(sessions.find(tablet.id)->revokedReason, u"password_changed"_s);
    QCOMPARE(sessions.find(desk.id)->revokedReason, u"logout"_s); // earlier revocation kept
    QCOMPARE(sessions.revokeAllOf(a.user.id, t1.addSecs(7), u"revoked"_s), 0);
}

void TestStorageAuth::concurrentRotationHasOneWinner()
{
    // RFC 9700 §4.14.2: of two requests presenting the same refresh token exactly one
    // may get a new one. Each thread has its own connection; the second thread's is
    // another Database object (another server instance).
    MD_TEST_DATABASE(db);
    Repositories repos(db->database());
    Account a(repos);
    auto second = secondInstance(*db);
    QVERIFY(second);
    constexpr int Rounds = 50;
    QStringList tokens;
    for (int i = 0; i < Rounds; ++i) {
        tokens << u"race-%1"_s.arg(i);
        repos.sessions().insert(makeSession(a.user.id, fixedTime()), tokens.last());
    }

    std::barrier sync(2);
    QList<RotateOutcome> outcomes[2] = {QList<RotateOutcome>(Rounds), QList<RotateOutcome>(Rounds)};
    QStringList errors;
    QMutex mutex;
    Database *dbs[2] = {&db->database(), second.get()};
    runThreads(2, [&](int w) {
        Database &mine = *dbs[w];
        Repositories r(mine);
        mine.connection(); // open before the race starts
        for (int i = 0; i < Rounds; ++i) {
            sync.arrive_and_wait();
            try {
                outcomes[w][i] =
                    r.sessions()
                        .rotate(tokens.at(i), tokens.at(i) + u"-new-" + QString::number(w),
                                fixedTime(1), {}, {})
                        .outcome;
            } catch (const StorageError &e) {
                QMutexLocker locker(&mutex);
                errors << e.message();
            }
        }
    });
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
    for (int i = 0; i < Rounds; ++i) {
        const RotateOutcome x = outcomes[0][i];
        const RotateOutcome y = outcomes[1][i];
        const bool oneWinner = (x == RotateOutcome::Rotated && y == RotateOutcome::Reused) ||
                               (x == RotateOutcome::Reused && y == RotateOutcome::Rotated);
        QVERIFY2(oneWinner,
                 qPrintable(u"round %1: %2 and %3"_s.arg(i).arg(
                     QLatin1StringView(outcomeName(x)), QLatin1StringView(outcomeName(y)))));
        // Only the winner's new token exists.
        const int winner = x == RotateOutcome::Rotated ? 0 : 1;
        QVERIFY(
            repos.sessions().findByRefreshHash(tokens.at(i) + u"-new-" + QString::number(winner)));
        QVERIFY(!repos.sessions().findByRefreshHash(tokens.at(i) + u"-new-" +
                                                    QString::number(1 - winner)));
    }
}

void TestStorageAuth::rateLimitsAddUpAcrossInstances()
{
    MD_TEST_DATABASE(db);
    auto second = secondInstance(*db);
    QVERIFY(second);
    Repositories repos(db->database());
    constexpr qint64 Window = 1'772'352'000'000; // a minute boundary
    constexpr int Threads = 4;
    constexpr int PerThread = 100;
    const QString key = u"login:ip:192.0.2.1"_s;

    QMutex mutex;
    QList<qint64> totals;
    QStringList errors;
    Database *dbs[2] = {&db->database(), second.get()};
    runThreads(Threads, [&](int w) {
        Database &mine = *dbs[w % 2];
        Repositories r(mine);
        QList<qint64> seen;
        for (int i = 0; i < PerThread; ++i) {
            try {
                seen << r.rateLimits().add(key, Window, 1);
            } catch (const StorageError &e) {
                QMutexLocker locker(&mutex);
                errors << e.message();
            }
        }
        QMutexLocker locker(&mutex);
        totals << seen;
    });
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
    // Every addition saw its own total: 1, 2, ... N, each exactly once.
    std::sort(totals.begin(), totals.end());
    QCOMPARE(totals.size(), Threads * PerThread);
    for (int i = 0; i < totals.size(); ++i)
        QCOMPARE(totals.at(i), qint64(i + 1));
    QCOMPARE(repos.rateLimits().add(key, Window, 0), qint64(Threads * PerThread));

    // Windows and keys are separate counters; purging drops whole old windows.
    QCOMPARE(repos.rateLimits().add(key, Window + 60'000, 5), qint64(5));
    QCOMPARE(repos.rateLimits().add(u"otp:send:x"_s, Window, 2), qint64(2));
    QCOMPARE(repos.rateLimits().purgeBefore(Window + 60'000), 2);
    QCOMPARE(repos.rateLimits().add(key, Window, 1), qint64(1));
    QCOMPARE(repos.rateLimits().add(key, Window + 60'000, 1), qint64(6));
}

void TestStorageAuth::auditChainLinksEveryEntry()
{
    MD_TEST_DATABASE(db);
    Repositories repos(db->database());
    AuditRepository &audit = repos.audit();
    QCOMPARE(audit.verify().intact, true);
    QCOMPARE(audit.verify().checked, qint64(0));

    // Objects whose JSON must come back exactly as hashed: Unicode, numbers, nesting.
    QJsonObject before{
        {u"name"_s, testlib::oddStrings().join(u'|')},
        {u"count"_s, 3},
        {u"ratio"_s, 0.1},
        {u"big"_s, qint64(1'772'352'000'123)},
        {u"nested"_s,
         QJsonObject{{u"b"_s, 1}, {u"a"_s, QJsonArray{1, u"x"_s, QJsonValue(), true}}}}};
    QList<AuditEntry> entries;
    for (int i = 0; i < 10; ++i) {
        AuditEntry e = makeAudit(i % 2 ? u"ticket.update"_s : u"auth.login"_s, testlib::newId(),
                                 testlib::newId(), fixedTime(i));
        if (i % 2) {
            e.before = before;
            e.after = QJsonObject{{u"status"_s, u"closed"_s}};
        }
        if (i == 3) { // left to append(): id and time
            e.id.clear();
            e.at = QDateTime();
        }
        audit.append(e);
        QCOMPARE(e.sequence, qint64(i + 1));
        QVERIFY(!e.id.isEmpty());
        QVERIFY(e.at.isValid());
        QCOMPARE(e.previousHash, i ? entries.last().hash : QString());
        QCOMPARE(e.hash.size(), 64);
        QCOMPARE(e.hash, auditHash(e.previousHash, e));
        entries << e;
    }

    const AuditVerification v = audit.verify();
    QVERIFY2(v.intact, qPrintable(u"%1 at %2"_s.arg(v.problem).arg(v.firstBadSequence)));
    QCOMPARE(v.checked, qint64(10));
    QCOMPARE(v.firstBadSequence, qint64(0));

    // Read back as appended, newest first.
    const auto page = audit.list({}, {100, 0});
    QCOMPARE(page.total, qint64(10));
    for (int i = 0; i < 10; ++i) {
        const AuditEntry &got = page.items.at(9 - i);
        const AuditEntry &want = entries.at(i);
        QCOMPARE(got.sequence, want.sequence);
        QCOMPARE(got.id, want.id);
        QCOMPARE(got.at, want.at);
        QCOMPARE(got.actorId, want.actorId);
        QCOMPARE(got.actorRole, want.actorRole);
        QCOMPARE(got.organizationId, want.organizationId);
        QCOMPARE(got.action, want.action);
        QCOMPARE(got.entityType, want.entityType);
        QCOMPARE(got.entityId, want.entityId);
        QCOMPARE(got.before, want.before);
        QCOMPARE(got.after, want.after);
        QCOMPARE(got.ipAddress, want.ipAddress);
        QCOMPARE(got.requestId, want.requestId);
        QCOMPARE(got.previousHash, want.previousHash);
        QCOMPARE(got.hash, want.hash);
    }

    // The canonical form is the documented JSON: sorted keys, every field but hash.
    AuditEntry small;
    small.sequence = 7;
    small.id = u"i"_s;
    small.at = QDateTime::fromMSecsSinceEpoch(1234, Qt::UTC);
    small.action = u"a.b"_s;
    small.before = QJsonObject{{u"z"_s, 1}, {u"a"_s, u"\"q\""_s}};
    small.hash = u"ignored"_s;
    const QByteArray expected =
        "{\"action\":\"a.b\",\"actor_id\":\"\",\"actor_role\":\"\",\"after\":{},"
        "\"at\":1234,\"before\":{\"a\":\"\\\"q\\\"\",\"z\":1},\"entity_id\":\"\","
        "\"entity_type\":\"\",\"id\":\"i\",\"ip_address\":\"\",\"organization_id\":\"\","
        "\"previous_hash\":\"\",\"request_id\":\"\",\"sequence\":7}";
    QCOMPARE(auditCanonicalForm(small), expected);
    QCOMPARE(auditHash(QString(), small),
             QString::fromLatin1(
                 QCryptographicHash::hash(auditCanonicalForm(small), QCryptographicHash::Sha256)
                     .toHex()));
    QVERIFY(auditHash(u"0"_s, small) != auditHash(QString(), small));
}

void TestStorageAuth::auditLogRefusesUpdateAndDelete()
{
    MD_TEST_DATABASE(db);
    Database &database = db->database();
    Repositories repos(database);
    for (int i = 0; i < 3; ++i) {
        AuditEntry e = makeAudit(u"user.update"_s, u"actor"_s, u"org"_s, fixedTime(i));
        repos.audit().append(e);
    }
    QString error;
    QVERIFY(!exec(database, u"UPDATE audit_log SET action = 'user.delete' WHERE sequence = 2"_s,
                  &error));
    QVERIFY2(error.contains(u"append-only"_s), qPrintable(error));
    // PostgreSQL's statement triggers refuse even a change of no rows (SQLite has row
    // triggers only: there, nothing happens).
    if (db->backend() == Backend::Postgres)
        QVERIFY(!exec(database, u"UPDATE audit_log SET at = at WHERE sequence = 99"_s));
    QVERIFY(!exec(database, u"DELETE FROM audit_log WHERE sequence = 3"_s, &error));
    QVERIFY2(error.contains(u"append-only"_s), qPrintable(error));
    QVERIFY(!exec(database, u"DELETE FROM audit_log"_s));
    if (db->backend() == Backend::Postgres) {
        QVERIFY(!exec(database, u"TRUNCATE audit_log"_s, &error));
        QVERIFY2(error.contains(u"append-only"_s), qPrintable(error));
    }
    // Appends still work and the chain is whole.
    AuditEntry e = makeAudit(u"user.update"_s, u"actor"_s, u"org"_s, fixedTime(9));
    repos.audit().append(e);
    QCOMPARE(e.sequence, qint64(4));
    const AuditVerification v = repos.audit().verify();
    QVERIFY(v.intact);
    QCOMPARE(v.checked, qint64(4));
    QCOMPARE(repos.audit().list({}, {}).items.at(2).action, u"user.update"_s);
}

void TestStorageAuth::auditTamperingIsFoundWhereItHappened_data()
{
    QTest::addColumn<QString>("tampering");
    QTest::addColumn<qint64>("firstBad");
    QTest::addColumn<qint64>("checked"); // entries found intact before the bad one
    QTest::addColumn<QString>("problem");
    QTest::newRow("action changed") << u"action"_s << qint64(4) << qint64(3) << u"hash mismatch"_s;
    QTest::newRow("before changed") << u"before"_s << qint64(4) << qint64(3) << u"hash mismatch"_s;
    QTest::newRow("time changed") << u"at"_s << qint64(4) << qint64(3) << u"hash mismatch"_s;
    QTest::newRow("JSON made unreadable") << u"garbage"_s << qint64(4) << qint64(3) << u"JSON"_s;
    // Changed and re-hashed consistently: entry 4 checks out, the link from 5 breaks.
    QTest::newRow("hash recomputed") << u"rehash"_s << qint64(5) << qint64(4) << u"link"_s;
    QTest::newRow("entry removed") << u"delete"_s << qint64(5) << qint64(3) << u"missing"_s;
    QTest::newRow("first entry changed")
        << u"first"_s << qint64(1) << qint64(0) << u"hash mismatch"_s;
}

void TestStorageAuth::auditTamperingIsFoundWhereItHappened()
{
    QFETCH(QString, tampering);
    QFETCH(qint64, firstBad);
    QFETCH(qint64, checked);
    QFETCH(QString, problem);
    MD_TEST_DATABASE(db);
    Database &database = db->database();
    Repositories repos(database);
    QList<AuditEntry> entries;
    for (int i = 0; i < 8; ++i) {
        AuditEntry e = makeAudit(u"ticket.update"_s, u"actor"_s, u"org"_s, fixedTime(i));
        e.before = QJsonObject{{u"priority"_s, u"normal"_s}};
        e.after = QJsonObject{{u"priority"_s, u"critical"_s}};
        repos.audit().append(e);
        entries << e;
    }
    QVERIFY(repos.audit().verify().intact);

    // What someone with database access could do with the protection switched off.
    QString error;
    if (db->backend() == Backend::Sqlite) {
        QVERIFY2(exec(database, u"DROP TRIGGER audit_log_no_update"_s, &error), qPrintable(error));
        QVERIFY2(exec(database, u"DROP TRIGGER audit_log_no_delete"_s, &error), qPrintable(error));
    } else {
        QVERIFY2(exec(database, u"ALTER TABLE audit_log DISABLE TRIGGER ALL"_s, &error),
                 qPrintable(error));
    }
    QString sql;
    if (tampering == u"action") {
        sql = u"UPDATE audit_log SET action = 'ticket.view' WHERE sequence = 4"_s;
    } else if (tampering == u"before") {
        sql = u"UPDATE audit_log SET before_json = '{\"priority\":\"low\"}' WHERE sequence = 4"_s;
    } else if (tampering == u"at") {
        sql = u"UPDATE audit_log SET at = at + 1 WHERE sequence = 4"_s;
    } else if (tampering == u"garbage") {
        sql = u"UPDATE audit_log SET after_json = 'not json' WHERE sequence = 4"_s;
    } else if (tampering == u"rehash") {
        AuditEntry forged = entries.at(3);
        forged.action = u"ticket.view"_s;
        sql = u"UPDATE audit_log SET action = 'ticket.view', hash = '%1' WHERE sequence = 4"_s.arg(
            auditHash(forged.previousHash, forged));
    } else if (tampering == u"delete") {
        sql = u"DELETE FROM audit_log WHERE sequence = 4"_s;
    } else if (tampering == u"first") {
        sql = u"UPDATE audit_log SET actor_id = 'someone else' WHERE sequence = 1"_s;
    }
    QVERIFY2(exec(database, sql, &error), qPrintable(error));

    const AuditVerification v = repos.audit().verify();
    QVERIFY(!v.intact);
    QCOMPARE(v.firstBadSequence, firstBad);
    QCOMPARE(v.checked, checked);
    QVERIFY2(v.problem.contains(problem), qPrintable(v.problem));
}

void TestStorageAuth::auditRolledBackAppendLeavesNoGap()
{
    // The entry commits or rolls back with the change it records.
    MD_TEST_DATABASE(db);
    Database &database = db->database();
    Repositories repos(database);
    AuditEntry first = makeAudit(u"equipment.create"_s, u"a"_s, u"o"_s, fixedTime());
    repos.audit().append(first);
    try {
        database.transaction([&] {
            AuditEntry doomed = makeAudit(u"equipment.update"_s, u"a"_s, u"o"_s, fixedTime(1));
            repos.audit().append(doomed);
            QCOMPARE(doomed.sequence, qint64(2));
            throw StorageError(StorageError::Kind::Internal, u"the change failed"_s);
        });
        QFAIL("the transaction should have failed");
    } catch (const StorageError &) {
    }
    AuditEntry next = makeAudit(u"equipment.update"_s, u"a"_s, u"o"_s, fixedTime(2));
    database.transaction([&] { repos.audit().append(next); });
    QCOMPARE(next.sequence, qint64(2));
    QCOMPARE(next.previousHash, first.hash);
    QVERIFY(repos.audit().verify().intact);
    QCOMPARE(repos.audit().list({}, {}).total, qint64(2));
}

void TestStorageAuth::auditListFilters()
{
    MD_TEST_DATABASE(db);
    Repositories repos(db->database());
    const QString ana = testlib::newId();
    const QString bob = testlib::newId();
    const QString h1 = testlib::newId();
    const QString h2 = testlib::newId();
    const QString ticket = testlib::newId();
    struct Row
    {
        QString action;
        QString actor;
        QString org;
        qint64 minute;
    };
    const QList<Row> rows = {
        {u"auth.login"_s, ana, h1, 0},    {u"auth.login_failed"_s, bob, h2, 1},
        {u"ticket.create"_s, ana, h1, 2}, {u"authority.update"_s, ana, h1, 3},
        {u"auth.logout"_s, ana, h1, 4},   {u"ticket.update"_s, bob, h2, 5},
        {u"auth"_s, bob, h2, 6},
    };
    QList<AuditEntry> appended;
    for (const Row &r : rows) {
        AuditEntry e = makeAudit(r.action, r.actor, r.org, fixedTime(r.minute));
        if (r.action.startsWith(u"ticket."))
            e.entityId = ticket;
        repos.audit().append(e);
        appended << e;
    }
    const auto sequences = [&](const AuditFilter &f, PageRequest page = {}) {
        QList<qint64> out;
        for (const AuditEntry &e : repos.audit().list(f, page).items)
            out << e.sequence;
        return out;
    };
    using Seqs = QList<qint64>;
    QCOMPARE(sequences({}), Seqs({7, 6, 5, 4, 3, 2, 1}));
    AuditFilter f;
    f.action = u"auth."_s; // a prefix: not "authority.update", not "auth"
    QCOMPARE(sequences(f), Seqs({5, 2, 1}));
    f.action = u"auth.login"_s; // exact
    QCOMPARE(sequences(f), Seqs({1}));
    f = {};
    f.actorId = ana;
    QCOMPARE(sequences(f), Seqs({5, 4, 3, 1}));
    f.action = u"auth."_s;
    QCOMPARE(sequences(f), Seqs({5, 1}));
    f = {};
    f.organizationId = h2;
    QCOMPARE(sequences(f), Seqs({7, 6, 2}));
    f = {};
    f.entityType = u"ticket"_s;
    f.entityId = ticket;
    QCOMPARE(sequences(f), Seqs({6, 3}));
    f = {};
    f.from = fixedTime(2);
    f.to = fixedTime(5); // exclusive
    QCOMPARE(sequences(f), Seqs({5, 4, 3}));
    f = {};
    f.actorId = u"nobody"_s;
    QCOMPARE(repos.audit().list(f, {}).total, qint64(0));

    const auto page = repos.audit().list({}, {2, 2});
    QCOMPARE(page.total, qint64(7));
    QCOMPARE(page.items.size(), 2);
    QCOMPARE(page.items.at(0).sequence, qint64(5));
    QCOMPARE(page.items.at(1).id, appended.at(3).id);
}

void TestStorageAuth::concurrentAuditAppendsKeepOneChain()
{
    // Four writers on two Database objects (two server instances): one unbroken chain.
    MD_TEST_DATABASE(db);
    auto second = secondInstance(*db);
    QVERIFY(second);
    constexpr int Threads = 4;
    constexpr int PerThread = 50;
    QMutex mutex;
    QStringList errors;
    QList<qint64> sequences;
    Database *dbs[2] = {&db->database(), second.get()};
    runThreads(Threads, [&](int w) {
        Database &mine = *dbs[w % 2];
        Repositories r(mine);
        QList<qint64> seen;
        for (int i = 0; i < PerThread; ++i) {
            AuditEntry e =
                makeAudit(u"ticket.update"_s, u"writer-%1"_s.arg(w), u"org"_s, fixedTime(i));
            try {
                if (i % 2) {
                    // Inside a caller's transaction, with the change it records.
                    mine.transaction([&] {
                        r.rateLimits().add(u"w"_s, w, 1);
                        r.audit().append(e);
                    });
                } else {
                    r.audit().append(e);
                }
                seen << e.sequence;
            } catch (const StorageError &err) {
                QMutexLocker locker(&mutex);
                errors << err.message();
            }
        }
        QMutexLocker locker(&mutex);
        sequences << seen;
    });
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
    std::sort(sequences.begin(), sequences.end());
    QCOMPARE(sequences.size(), Threads * PerThread);
    for (int i = 0; i < sequences.size(); ++i)
        QCOMPARE(sequences.at(i), qint64(i + 1));
    Repositories repos(db->database());
    const AuditVerification v = repos.audit().verify();
    QVERIFY2(v.intact, qPrintable(u"%1 at %2"_s.arg(v.problem).arg(v.firstBadSequence)));
    QCOMPARE(v.checked, qint64(Threads * PerThread));
}

QTEST_GUILESS_MAIN(TestStorageAuth)
#include "tst_storage_auth.moc"
