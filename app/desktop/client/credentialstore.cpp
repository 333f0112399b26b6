#include "credentialstore.h"

#include <QCoreApplication>
#include <QPointer>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace md::client {

namespace {

/// Answers on the next event-loop turn like a keychain job would, so callers cannot
/// come to depend on a synchronous answer.
void answerLater(QObject *store, QObject *context, CredentialStore::Callback done,
                 CredentialStore::Result result)
{
    if (!done)
        return;
    // No context given: the answer is still wanted, tied to the store's lifetime.
    QTimer::singleShot(0, context ? context : store,
                       [done = std::move(done), result = std::move(result)] { done(result); });
}

CredentialStore::Result unavailableResult()
{
    CredentialStore::Result r;
    r.unavailable = true;
    r.error = QCoreApplication::translate(
        "md::client::CredentialStore",
        "This computer has no keychain MedDispatch can use, so you will be asked to sign in "
        "each time.");
    return r;
}

} // namespace

void MemoryCredentialStore::read(const QString &key, QObject *context, Callback done)
{
    if (m_unavailable)
        return answerLater(this, context, std::move(done), unavailableResult());
    Result r;
    r.ok = true;
    r.value = m_values.value(key);
    answerLater(this, context, std::move(done), r);
}

void MemoryCredentialStore::write(const QString &key, const QString &secret, QObject *context,
                                  Callback done)
{
    if (m_unavailable)
        return answerLater(this, context, std::move(done), unavailableResult());
    m_values.insert(key, secret);
    Result r;
    r.ok = true;
    answerLater(this, context, std::move(done), r);
}

void MemoryCredentialStore::remove(const QString &key, QObject *context, Callback done)
{
    if (m_unavailable)
        return answerLater(this, context, std::move(done), unavailableResult());
    m_values.remove(key);
    Result r;
    r.ok = true;
    answerLater(this, context, std::move(done), r);
}

} // namespace md::client
