#include "qrpayload.h"

#include <QList>
#include <QRandomGenerator>

namespace md::domain {

namespace {

constexpr QStringView kAlphabet = u"0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford base 32
constexpr QStringView kPrefix = u"MD";
constexpr qsizetype kDataChars = 16;       // 16 x 5 bits = 80 random bits
constexpr qsizetype kCanonicalLength = 22; // "MD-" + 4 groups of 4 joined by "-"
constexpr qsizetype kMaxPayload = 512;

// Crockford's decoding rules: case-insensitive, O reads as 0, I and L as 1. People type
// codes off printed labels, where these are the likely confusions. U is not a digit.
std::optional<char16_t> decodeDigit(QChar c)
{
    char16_t u = c.toUpper().unicode();
    if (u == u'O')
        u = u'0';
    else if (u == u'I' || u == u'L')
        u = u'1';
    if (u > 0x7f || !kAlphabet.contains(QChar(u)))
        return std::nullopt;
    return u;
}

/// The canonical code for a bare code in any accepted spelling: "MD-XXXX-XXXX-XXXX-XXXX"
/// or "MDXXXXXXXXXXXXXXXX", any case, Crockford's O/I/L substitutions.
std::optional<QString> normalizeCode(QStringView s)
{
    if (!s.startsWith(kPrefix, Qt::CaseInsensitive))
        return std::nullopt;
    QString data;
    if (s.size() == kCanonicalLength) {
        for (qsizetype i = 2; i < kCanonicalLength; i += 5) {
            if (s.at(i) != u'-')
                return std::nullopt;
            data += s.mid(i + 1, 4);
        }
    } else if (s.size() == kPrefix.size() + kDataChars) {
        data = s.mid(kPrefix.size()).toString();
    } else {
        return std::nullopt;
    }
    QString code = kPrefix.toString();
    for (qsizetype i = 0; i < kDataChars; ++i) {
        const auto digit = decodeDigit(data.at(i));
        if (!digit)
            return std::nullopt;
        if (i % 4 == 0)
            code += u'-';
        code += QChar(*digit);
    }
    return code;
}

bool isAuthority(QStringView a)
{
    // host[:port] or [ipv6][:port]; no user info, which only serves to disguise the host.
    if (a.isEmpty())
        return false;
    qsizetype hostEnd = a.size();
    if (a.startsWith(u'[')) {
        hostEnd = a.indexOf(u']');
        if (hostEnd < 2)
            return false;
        for (const QChar c : a.mid(1, hostEnd - 1)) {
            if (!(c.isDigit() || (c.toLower() >= u'a' && c.toLower() <= u'f') || c == u':' ||
                  c == u'.'))
                return false;
        }
        ++hostEnd;
    } else {
        const qsizetype colon = a.indexOf(u':');
        if (colon >= 0)
            hostEnd = colon;
        if (hostEnd == 0)
            return false;
        for (const QChar c : a.first(hostEnd)) {
            if (!(c.isLetterOrNumber() || c == u'.' || c == u'-'))
                return false;
        }
    }
    if (hostEnd == a.size())
        return true;
    const QStringView port = a.mid(hostEnd);
    if (port.size() < 2 || port.size() > 6 || port.front() != u':')
        return false;
    for (const QChar c : port.mid(1)) {
        if (!c.isDigit())
            return false;
    }
    return true;
}

/// The code in "<http(s) base>/e/<code>", or nullopt for any other URL.
std::optional<QString> codeFromUrl(QStringView url)
{
    qsizetype rest = 0;
    if (url.startsWith(u"https://", Qt::CaseInsensitive))
        rest = 8;
    else if (url.startsWith(u"http://", Qt::CaseInsensitive))
        rest = 7;
    else
        return std::nullopt;
    // Queries, fragments, escapes and backslashes have no place in our links, and each is a
    // way to make a URL mean something other than what it shows.
    for (const QChar c : url) {
        if (c == u'?' || c == u'#' || c == u'%' || c == u'\\' || c == u'@')
            return std::nullopt;
    }
    const QStringView afterScheme = url.mid(rest);
    const qsizetype slash = afterScheme.indexOf(u'/');
    if (slash < 0 || !isAuthority(afterScheme.first(slash)))
        return std::nullopt;
    const QList<QStringView> segments = afterScheme.mid(slash + 1).split(u'/');
    if (segments.size() < 2)
        return std::nullopt;
    for (const QStringView seg : segments) {
        if (seg.isEmpty() || seg == u"." || seg == u"..")
            return std::nullopt;
    }
    if (segments.at(segments.size() - 2).compare(u"e", Qt::CaseInsensitive) != 0)
        return std::nullopt;
    return normalizeCode(segments.back());
}

} // namespace

QString QrPayload::generateCode()
{
    QRandomGenerator *rng = QRandomGenerator::system();
    const quint64 high = rng->generate64();        // 64 bits
    const quint64 low = rng->generate() & 0xffffu; // 16 more
    QString code = kPrefix.toString();
    code.reserve(kCanonicalLength);
    for (qsizetype i = 0; i < kDataChars; ++i) {
        quint64 digit = 0;
        if (i < 12) {
            digit = (high >> (59 - 5 * i)) & 0x1f; // bits 63..4 of high
        } else {
            const quint64 tail = ((high & 0xf) << 16) | low; // the last 20 bits
            digit = (tail >> (15 - 5 * (i - 12))) & 0x1f;
        }
        if (i % 4 == 0)
            code += u'-';
        code += kAlphabet.at(static_cast<qsizetype>(digit));
    }
    return code;
}

bool QrPayload::isValidCode(const QString &code)
{
    // Strictly the canonical spelling: this is what we store and print.
    if (code.size() != kCanonicalLength || !code.startsWith(kPrefix))
        return false;
    for (qsizetype i = 2; i < kCanonicalLength; ++i) {
        const QChar c = code.at(i);
        if ((i - 2) % 5 == 0 ? c != u'-' : !kAlphabet.contains(c))
            return false;
    }
    return true;
}

QString QrPayload::encode(const QString &code, const QString &publicBaseUrl)
{
    if (!isValidCode(code))
        return {};
    if (publicBaseUrl.isEmpty())
        return code;
    QString base = publicBaseUrl.trimmed();
    while (base.endsWith(u'/'))
        base.chop(1);
    const QString link = base + u"/e/" + code;
    // A label that our own scanner would refuse is worse than none.
    return parse(link) == code ? link : QString();
}

std::optional<QString> QrPayload::parse(const QString &payload)
{
    if (payload.size() > kMaxPayload)
        return std::nullopt;
    const QString s = payload.trimmed();
    // Codes and our links are printable ASCII; anything else (controls, bidi overrides,
    // look-alike letters, inner spaces) means the payload is not ours.
    for (const QChar c : s) {
        if (c.unicode() < 0x21 || c.unicode() > 0x7e)
            return std::nullopt;
    }
    if (s.contains(u"://"))
        return codeFromUrl(s);
    return normalizeCode(s);
}

QString formatTicketNumber(int year, qint64 sequence)
{
    return u"TKT-" + QString::number(year) + u'-' +
           QString::number(sequence).rightJustified(6, u'0');
}

} // namespace md::domain
