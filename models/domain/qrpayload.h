#pragma once

#include <QString>
#include <optional>

namespace md::domain {

/// The code on an equipment's QR label: opaque, unguessable (80 random bits from the
/// system CSPRNG), never a database id. Shape: "MD-" + 16 Crockford base-32 characters
/// in groups of four, e.g. "MD-7K3M-9QXT-2HVB-CW4P".
///
/// The label's payload is either the bare code or, when the site has a public URL, a
/// link "<public-url>/e/<code>" that a phone camera offers to open. parse() accepts
/// both, case-insensitively, ignores surrounding white space, and refuses anything
/// else (long text, other URLs, control characters).
///
/// For codes typed by hand parse() also takes Crockford's lenient forms: the dashes
/// left out altogether ("MD7K3M9QXT2HVBCW4P"), O read as 0, I and L read as 1. Links
/// must be http(s) with a plain host[:port], no user info, query, fragment, percent
/// escapes or empty/dot segments, and end in "/e/<code>"; input over 512 characters or
/// with any character outside printable ASCII (after trimming) is refused.
class QrPayload final
{
public:
    static QString generateCode();
    static bool isValidCode(const QString &code);
    /// The label payload; empty when the code is not canonical or the base URL would
    /// give a link that parse() refuses.
    static QString encode(const QString &code, const QString &publicBaseUrl = {});
    /// The normalized code (upper case, with dashes) named by a scanned payload.
    static std::optional<QString> parse(const QString &payload);
};

/// Human ticket numbers: "TKT-<year>-<6+ digit sequence>".
QString formatTicketNumber(int year, qint64 sequence);

} // namespace md::domain
