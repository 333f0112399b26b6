#include "keychaincredentialstore.h"

#include <QCoreApplication>
#include <qt6keychain/keychain.h>

using namespace Qt::StringLiterals;

namespace md::client {

namespace {

const QString kService = u"MedDispatch"_s;

QString tr(const char *text)
{
    return QCoreApplication::translate("md::client::KeychainCredentialStore", text);
}

/// Not found is a normal answer (nothing stored yet); a denial by the user is an error
/// for this attempt; everything else means the keychain cannot be used on this system.
CredentialStore::Result resultOf(QKeychain::Job *job, QString value = {})
{
    CredentialStore::Result result;
    switch (job->error()) {
    case QKeychain::NoError:
        result.ok = true;
        result.value = std::move(value);
        break;
    case QKeychain::EntryNotFound:
        result.ok = true;
        break;
    case QKeychain::AccessDeniedByUser:
        result.error = tr("Access to the keychain was denied, so MedDispatch cannot remember "
                          "that you are signed in.");
        break;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
    case QKeychain::AccessDenied:
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::OtherError:
        result.unavailable = true;
        result.error = tr("This computer has no keychain MedDispatch can use, so you will be "
                          "asked to sign in each time.");
        qWarning("Keychain unavailable (QKeychain error %d): %s", int(job->error()),
                 qPrintable(job->errorString()));
        break;
    }
    return result;
}

template <typename JobType> JobType *makeJob(const QString &key, QObject *parent)
{
    auto *job = new JobType(kService, parent);
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never a plain-text file instead of the keychain
    job->setKey(key);
    return job;
}

} // namespace

void KeychainCredentialStore::read(const QString &key, QObject *context, Callback done)
{
    auto *job = makeJob<QKeychain::ReadPasswordJob>(key, this);
    connect(job, &QKeychain::Job::finished, context ? context : this,
            [job, done = std::move(done)](QKeychain::Job *) {
                if (done)
                    done(resultOf(job, job->textData()));
            });
    job->start();
}

void KeychainCredentialStore::write(const QString &key, const QString &secret, QObject *context,
                                    Callback done)
{
    auto *job = makeJob<QKeychain::WritePasswordJob>(key, this);
    job->setTextData(secret);
    connect(job, &QKeychain::Job::finished, context ? context : this,
            [job, done = std::move(done)](QKeychain::Job *) {
                if (done)
                    done(resultOf(job));
            });
    job->start();
}

void KeychainCredentialStore::remove(const QString &key, QObject *context, Callback done)
{
    auto *job = makeJob<QKeychain::DeletePasswordJob>(key, this);
    connect(job, &QKeychain::Job::finished, context ? context : this,
            [job, done = std::move(done)](QKeychain::Job *) {
                if (done)
                    done(resultOf(job));
            });
    job->start();
}

} // namespace md::client
