#include "tlssetup.h"

#include <QDateTime>
#include <QFile>
#include <QSslCertificate>
#include <QSslKey>

#include <memory>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

using namespace Qt::StringLiterals;

namespace md::server {

namespace {

template <typename T, void (*Free)(T *)> struct OpenSslFree
{
    void operator()(T *p) const noexcept { Free(p); }
};
void freeBio(BIO *bio)
{
    BIO_free(bio);
}
using BioPtr = std::unique_ptr<BIO, OpenSslFree<BIO, freeBio>>;
using X509Ptr = std::unique_ptr<X509, OpenSslFree<X509, X509_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslFree<EVP_PKEY, EVP_PKEY_free>>;

// Never prompt on the terminal for a passphrase: an encrypted key is an error.
int noPassphrase(char *, int, int, void *)
{
    return 0;
}

/// Whether the private key belongs to the leaf certificate. Qt cannot tell (the
/// handshake would simply fail for every client), so ask OpenSSL.
bool keyMatchesCertificate(const QByteArray &certificatePem, const QByteArray &keyPem)
{
    BioPtr certificateBio(BIO_new_mem_buf(certificatePem.constData(), int(certificatePem.size())));
    BioPtr keyBio(BIO_new_mem_buf(keyPem.constData(), int(keyPem.size())));
    if (!certificateBio || !keyBio)
        return false;
    X509Ptr certificate(PEM_read_bio_X509(certificateBio.get(), nullptr, noPassphrase, nullptr));
    PkeyPtr key(PEM_read_bio_PrivateKey(keyBio.get(), nullptr, noPassphrase, nullptr));
    const bool matches = certificate && key && X509_check_private_key(certificate.get(), key.get());
    ERR_clear_error();
    return matches;
}

bool readFile(const QString &path, const QString &what, QByteArray *out, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"cannot read the TLS %1 %2: %3"_s.arg(what, path, file.errorString());
        return false;
    }
    *out = file.readAll();
    return true;
}

} // namespace

std::optional<QSslConfiguration> loadTlsConfiguration(const QString &certificateFile,
                                                      const QString &keyFile, QString *error,
                                                      QStringList *warnings)
{
    QString problem;
    const auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return std::nullopt;
    };

    QByteArray certificatePem;
    if (!readFile(certificateFile, u"certificate"_s, &certificatePem, &problem))
        return fail(problem);
    const QList<QSslCertificate> chain = QSslCertificate::fromData(certificatePem, QSsl::Pem);
    if (chain.isEmpty() || chain.first().isNull())
        return fail(u"the TLS certificate file %1 holds no PEM certificate"_s.arg(certificateFile));

    QByteArray keyPem;
    if (!readFile(keyFile, u"private key"_s, &keyPem, &problem))
        return fail(problem);
    QSslKey key;
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec}) {
        key = QSslKey(keyPem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            break;
    }
    if (key.isNull())
        return fail(
            u"the TLS private key file %1 holds no unencrypted PEM RSA or EC private key"_s.arg(
                keyFile));
    if (!keyMatchesCertificate(certificatePem, keyPem))
        return fail(u"the private key %1 does not belong to the certificate %2"_s.arg(
            keyFile, certificateFile));

    if (warnings) {
        const QSslCertificate &leaf = chain.first();
        const QDateTime now = QDateTime::currentDateTimeUtc();
        if (leaf.expiryDate() < now)
            warnings->append(u"the TLS certificate %1 expired on %2"_s.arg(
                certificateFile, leaf.expiryDate().toString(Qt::ISODate)));
        else if (leaf.effectiveDate() > now)
            warnings->append(u"the TLS certificate %1 is not valid before %2"_s.arg(
                certificateFile, leaf.effectiveDate().toString(Qt::ISODate)));
        const QFileDevice::Permissions loose = QFileDevice::ReadGroup | QFileDevice::WriteGroup |
                                               QFileDevice::ReadOther | QFileDevice::WriteOther;
        if (QFile::permissions(keyFile) & loose)
            warnings->append(
                u"the TLS private key %1 is readable by other users; chmod 600 it"_s.arg(keyFile));
    }

    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificateChain(chain);
    configuration.setPrivateKey(key);
    configuration.setProtocol(QSsl::TlsV1_2OrLater);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone); // no client certificates
    configuration.setAllowedNextProtocols({QByteArray(QSslConfiguration::NextProtocolHttp1_1)});
    return configuration;
}

} // namespace md::server
