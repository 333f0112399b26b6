#pragma once

// Internal to md_security: OpenSSL objects owned through std::unique_ptr, so every early
// return and exception frees them. Not installed for other libraries.

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace md::security::detail {

template <typename T, void (*Free)(T *)> struct OpenSslDeleter
{
    void operator()(T *p) const noexcept { Free(p); }
};

using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslDeleter<EVP_PKEY, EVP_PKEY_free>>;
using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, OpenSslDeleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using BignumPtr = std::unique_ptr<BIGNUM, OpenSslDeleter<BIGNUM, BN_free>>;

inline void freeBio(BIO *bio)
{
    BIO_free(bio);
}
using BioPtr = std::unique_ptr<BIO, OpenSslDeleter<BIO, freeBio>>;

/// The first queued OpenSSL error as text (for exceptions; never contains key material),
/// and an emptied queue so the failure does not leak into later calls on this thread.
inline std::string takeOpenSslError()
{
    const unsigned long code = ERR_get_error();
    std::string text;
    if (code != 0) {
        char buffer[256];
        ERR_error_string_n(code, buffer, sizeof buffer);
        text = buffer;
    }
    ERR_clear_error();
    return text.empty() ? std::string("unknown OpenSSL error") : text;
}

[[noreturn]] inline void throwOpenSslError(const char *what)
{
    throw std::runtime_error(std::string(what) + ": " + takeOpenSslError());
}

} // namespace md::security::detail
