#pragma once

#include <QHash>
#include <QObject>
#include <QString>
#include <functional>

namespace md::client {

/// Where the refresh token lives between runs. Production: the system keychain through
/// QtKeychain, insecure fallback off (app/desktop/keychaincredentialstore.h). Tests and
/// benchmarks: MemoryCredentialStore. Every call is asynchronous: QtKeychain's jobs are.
class CredentialStore : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    ~CredentialStore() override = default;

    struct Result
    {
        bool ok = false;
        bool unavailable = false; // no keychain on this system (not "not found")
        QString value;            // read: the secret; empty when not found
        QString error;            // a sentence for the user when !ok
    };
    using Callback = std::function<void(const Result &)>;

    /// Callbacks run on the calling thread, not at all when context is gone.
    virtual void read(const QString &key, QObject *context, Callback done) = 0;
    virtual void write(const QString &key, const QString &secret, QObject *context,
                       Callback done) = 0;
    virtual void remove(const QString &key, QObject *context, Callback done) = 0;
};

/// In memory only. `setUnavailable(true)` makes it behave like a system without a
/// keychain (tests of the "sign in each time" path).
class MemoryCredentialStore final : public CredentialStore
{
    Q_OBJECT
public:
    using CredentialStore::CredentialStore;
    void setUnavailable(bool unavailable) { m_unavailable = unavailable; }
    QString peek(const QString &key) const { return m_values.value(key); }

    void read(const QString &key, QObject *context, Callback done) override;
    void write(const QString &key, const QString &secret, QObject *context, Callback done) override;
    void remove(const QString &key, QObject *context, Callback done) override;

private:
    QHash<QString, QString> m_values;
    bool m_unavailable = false;
};

} // namespace md::client
