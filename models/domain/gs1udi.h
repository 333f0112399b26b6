#pragma once

#include <QDate>
#include <QString>
#include <optional>

namespace md::domain {

/// A GS1 Unique Device Identification code from a manufacturer's label (GS1 DataMatrix
/// or GS1-128): the device identifier (01) GTIN and the production identifiers
/// (10) lot, (17) expiry and (21) serial number.
///
/// parse() takes the element string in the forms scanners and decoders produce:
/// - raw, with FNC1 as the GS character (U+001D) after variable-length fields, with or
///   without a leading symbology identifier ("]d2", "]C1", "]Q3", "]e0") or leading GS;
/// - human-readable, with the AIs in brackets: "(01)04012345678901(17)271231(21)SN42".
/// Other AIs (11 production date, 240, 30, 310n, 8006, 91–99, ...) are skipped when
/// their length is known from the table of GS1 AIs in gs1udi.cpp; in the bracketed
/// form a field's data runs to the next "(AI)" that names a known AI, so parentheses
/// inside a lot survive. Blanks (space, tab, CR, LF) around the input are ignored: a
/// keyboard-wedge scanner ends with Enter.
/// It refuses — std::nullopt — anything without a (01) GTIN with a valid check digit,
/// unknown AIs, wrong lengths, non-digits in numeric fields, characters outside GS1's
/// set (ISO 646 subset) in text fields, a repeated AI, and input over 512 characters;
/// also a symbology identifier of non-GS1 content ("]d1", "]Q1", ...), and dates
/// (11–17) that do not exist. A two-digit year is placed from 49 years behind to 50
/// years ahead of today (GS1 General Specifications 7.12).
struct Gs1Udi
{
    QString gtin;   // 14 digits, check digit verified
    QString lot;    // (10), up to 20 characters, may be empty
    QDate expiry;   // (17) YYMMDD, day 00 = the month's last day; invalid when absent
    QString serial; // (21), up to 20 characters, may be empty

    static std::optional<Gs1Udi> parse(const QString &text);
    /// The human-readable form, "(01)...(17)...(10)...(21)..." (set fields only).
    QString toHumanReadable() const;

    friend bool operator==(const Gs1Udi &, const Gs1Udi &) = default;
};

/// True when the 14-digit GTIN's last digit is its GS1 mod-10 check digit.
bool isValidGtin14(const QString &gtin);

} // namespace md::domain
