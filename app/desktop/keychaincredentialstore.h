#pragma once

#include "credentialstore.h"

namespace md::client {

/// The refresh token in the system keychain (Secret Service, KWallet, macOS Keychain,
/// Windows Credential Manager) through QtKeychain, with the insecure plain-file fallback
/// off: a system without a keychain reports `unavailable` and the user signs in each
/// time instead of having a token lying in a file.
class KeychainCredentialStore final : public CredentialStore
{
    Q_OBJECT
public:
    using CredentialStore::CredentialStore;

    void read(const QString &key, QObject *context, Callback done) override;
    void write(const QString &key, const QString &secret, QObject *context, Callback done) override;
    void remove(const QString &key, QObject *context, Callback done) override;
};

} // namespace md::client
