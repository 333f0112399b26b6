#pragma once

#include "gs1udi.h"

#include <QString>

namespace md::domain {

/// What a scanned or photographed code is, decided once for the desktop (webcam,
/// image file, clipboard, keyboard-wedge scanner) and the server (identify, WhatsApp).
/// A payload is never trusted: it is only ever matched, never opened or executed.
struct ScannedCode
{
    enum class Kind
    {
        Label, // one of our QR labels (QrPayload): labelCode is the normalized code
        Udi,   // a GS1 UDI (Gs1Udi): udi is filled
        Other, // anything else: a URL, text, another company's code
    };

    Kind kind = Kind::Other;
    QString labelCode;
    Gs1Udi udi;
    QString payload; // as read (for Other: at most 4,096 characters kept)

    static ScannedCode classify(const QString &payload);

    /// The payload made safe to show: control characters replaced by U+FFFD (GS by
    /// "<GS>"), elided in the middle beyond maxLength characters.
    /// "Control" includes format characters (bidi overrides and isolates, zero-width
    /// characters), line/paragraph separators, unpaired surrogates and unassigned code
    /// points. The ellipsis is U+2026; the result is at most maxLength UTF-16 units
    /// (empty for maxLength ≤ 0) and never splits a surrogate pair.
    QString displayText(int maxLength = 80) const;
};

} // namespace md::domain
