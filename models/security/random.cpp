#include "random.h"

#include "digest.h"
#include "opensslptr.h"

#include <openssl/rand.h>

#include <stdexcept>

namespace md::security {

QByteArray randomBytes(int count)
{
    if (count < 0)
        throw std::invalid_argument("randomBytes: negative count");
    QByteArray bytes(count, Qt::Uninitialized);
    if (count > 0 && RAND_bytes(reinterpret_cast<unsigned char *>(bytes.data()), count) != 1)
        detail::throwOpenSslError("RAND_bytes failed");
    return bytes;
}

QString randomToken(int count)
{
    return QString::fromLatin1(base64UrlEncode(randomBytes(count)));
}

QString randomDigits(int digits)
{
    if (digits < 0)
        throw std::invalid_argument("randomDigits: negative count");
    // A byte maps to a digit only below 250 (25 * 10); larger bytes are drawn again, so
    // every digit has probability exactly 1/10 (a plain `% 10` favours 0-5 by 4%).
    QString out;
    out.reserve(digits);
    while (out.size() < digits) {
        const QByteArray pool = randomBytes(int(digits - out.size()) + 8);
        for (const char c : pool) {
            const auto byte = static_cast<unsigned char>(c);
            if (byte >= 250)
                continue;
            out += QChar(u'0' + byte % 10);
            if (out.size() == digits)
                break;
        }
    }
    return out;
}

} // namespace md::security
