// The production credential store: with a system keychain the refresh token round-trips
// (write, read, remove, then "not found" reads as empty); without one every call says
// `unavailable` with a sentence for the user, and the secret never lands in a plain file
// (QtKeychain's insecure fallback stays off).

#include "keychaincredentialstore.h"

#include <QDirIterator>
#include <QStandardPaths>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;
using namespace md;

class TestClientKeychain final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void roundTripOrUnavailable();

private:
    client::CredentialStore::Result
    run(const std::function<void(QObject *, client::CredentialStore::Callback)> &call);
};

void TestClientKeychain::initTestCase()
{
    // Settings and data under ~/.qttest: nothing of the user's is touched or read.
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(u"MedDispatchKeychainTest"_s);
    QCoreApplication::setApplicationName(u"tst_client_keychain"_s);
}

client::CredentialStore::Result TestClientKeychain::run(
    const std::function<void(QObject *, client::CredentialStore::Callback)> &call)
{
    QObject context;
    bool done = false;
    client::CredentialStore::Result result;
    call(&context, [&](const client::CredentialStore::Result &r) {
        result = r;
        done = true;
    });
    // A keychain may take D-Bus' 25 s timeout to say it is not there.
    if (!QTest::qWaitFor([&] { return done; }, 40000))
        qWarning("the keychain did not answer");
    return result;
}

void TestClientKeychain::roundTripOrUnavailable()
{
    client::KeychainCredentialStore store;
    const QString key = u"refresh-token:test-%1"_s.arg(QUuid::createUuid().toString(QUuid::Id128));
    const QString secret = u"secret-%1"_s.arg(QUuid::createUuid().toString(QUuid::Id128));

    const auto written = run([&](QObject *context, client::CredentialStore::Callback done) {
        store.write(key, secret, context, done);
    });
    if (written.unavailable) {
        QVERIFY(!written.ok);
        QVERIFY2(written.error.contains(u"sign in each time"_s), qPrintable(written.error));
        const auto read = run([&](QObject *context, client::CredentialStore::Callback done) {
            store.read(key, context, done);
        });
        QVERIFY(read.unavailable);
        QVERIFY(read.value.isEmpty());
        // No insecure fallback: the secret is in no file QtKeychain could have written.
        for (const auto location :
             {QStandardPaths::GenericConfigLocation, QStandardPaths::AppConfigLocation,
              QStandardPaths::AppDataLocation}) {
            QDirIterator files(QStandardPaths::writableLocation(location), QDir::Files,
                               QDirIterator::Subdirectories);
            while (files.hasNext()) {
                QFile file(files.next());
                if (file.open(QIODevice::ReadOnly))
                    QVERIFY2(!file.readAll().contains(secret.toUtf8()),
                             qPrintable(file.fileName()));
            }
        }
        qInfo("No system keychain here: checked the unavailable path (%s)",
              qPrintable(written.error));
        return;
    }

    QVERIFY2(written.ok, qPrintable(written.error));
    const auto read = run([&](QObject *context, client::CredentialStore::Callback done) {
        store.read(key, context, done);
    });
    QVERIFY2(read.ok, qPrintable(read.error));
    QCOMPARE(read.value, secret);
    const auto removed = run([&](QObject *context, client::CredentialStore::Callback done) {
        store.remove(key, context, done);
    });
    QVERIFY2(removed.ok, qPrintable(removed.error));
    const auto missing = run([&](QObject *context, client::CredentialStore::Callback done) {
        store.read(key, context, done);
    });
    QVERIFY2(missing.ok, qPrintable(missing.error)); // not found is not an error
    QVERIFY(!missing.unavailable);
    QVERIFY(missing.value.isEmpty());
}

QTEST_MAIN(TestClientKeychain)
#include "tst_client_keychain.moc"
