#include "gs1udi.h"

#include <QSet>
#include <QStringView>

using namespace Qt::StringLiterals;

namespace md::domain {

namespace {

constexpr qsizetype MaxInput = 512;
constexpr QChar GroupSeparator(0x1D);

enum class Charset
{
    Numeric,
    Text, // GS1 AI encodable character set 82 (an ISO 646 subset)
};

// One GS1 Application Identifier. `prefix` is matched against the start of the element;
// for the families whose last AI digit is a parameter (310n: net weight with n decimals,
// 391n: amount with currency, ...) the prefix is shorter than the AI itself.
struct AiSpec
{
    const char *prefix;
    int aiLength;
    int minData;
    int maxData;     // == minData: a fixed-length field
    Charset charset; // of the data after the first `numericLead` characters
    int numericLead; // leading characters that must be digits (253: N13 + X..17)
    bool isDate = false;
};

// GS1 General Specifications, section 3.2 (the AIs a device or its packaging carries,
// and everything commonly found beside them on a label). AIs are prefix-free, so the
// first matching row is the only one. An AI not listed here makes the whole string
// unparsable: its length is unknown, so nothing after it could be trusted.
constexpr AiSpec kAis[] = {
    {"00", 2, 18, 18, Charset::Numeric, 0},     // SSCC
    {"01", 2, 14, 14, Charset::Numeric, 0},     // GTIN
    {"02", 2, 14, 14, Charset::Numeric, 0},     // GTIN of contained trade items
    {"10", 2, 1, 20, Charset::Text, 0},         // batch or lot
    {"11", 2, 6, 6, Charset::Numeric, 0, true}, // production date
    {"12", 2, 6, 6, Charset::Numeric, 0, true}, // due date
    {"13", 2, 6, 6, Charset::Numeric, 0, true}, // packaging date
    {"15", 2, 6, 6, Charset::Numeric, 0, true}, // best before
    {"16", 2, 6, 6, Charset::Numeric, 0, true}, // sell by
    {"17", 2, 6, 6, Charset::Numeric, 0, true}, // expiration date
    {"20", 2, 2, 2, Charset::Numeric, 0},       // variant
    {"21", 2, 1, 20, Charset::Text, 0},         // serial number
    {"22", 2, 1, 20, Charset::Text, 0},         // consumer product variant
    {"235", 3, 1, 28, Charset::Text, 0},        // third-party controlled serialised extension
    {"240", 3, 1, 30, Charset::Text, 0},        // additional product identification
    {"241", 3, 1, 30, Charset::Text, 0},        // customer part number
    {"250", 3, 1, 30, Charset::Text, 0},        // secondary serial number
    {"251", 3, 1, 30, Charset::Text, 0},        // reference to source entity
    {"253", 3, 13, 30, Charset::Text, 13},      // GDTI
    {"254", 3, 1, 20, Charset::Text, 0},        // GLN extension
    {"30", 2, 1, 8, Charset::Numeric, 0},       // variable count
    {"37", 2, 1, 8, Charset::Numeric, 0},       // count of trade items
    {"31", 4, 6, 6, Charset::Numeric, 0},       // 310n–316n trade measures
    {"32", 4, 6, 6, Charset::Numeric, 0},       // 320n–329n
    {"33", 4, 6, 6, Charset::Numeric, 0},       // 330n–337n logistic measures
    {"34", 4, 6, 6, Charset::Numeric, 0},       // 340n–349n
    {"35", 4, 6, 6, Charset::Numeric, 0},       // 350n–357n
    {"36", 4, 6, 6, Charset::Numeric, 0},       // 360n–369n
    {"390", 4, 1, 15, Charset::Numeric, 0},     // amount payable
    {"391", 4, 4, 18, Charset::Numeric, 0},     // amount payable with ISO currency
    {"392", 4, 1, 15, Charset::Numeric, 0},     // amount payable, single item
    {"393", 4, 4, 18, Charset::Numeric, 0},     // single item with ISO currency
    {"400", 3, 1, 30, Charset::Text, 0},        // customer's purchase order
    {"401", 3, 1, 30, Charset::Text, 0},        // GINC
    {"402", 3, 17, 17, Charset::Numeric, 0},    // GSIN
    {"403", 3, 1, 30, Charset::Text, 0},        // routing code
    {"410", 3, 13, 13, Charset::Numeric, 0},    // 410–417: GLNs
    {"411", 3, 13, 13, Charset::Numeric, 0},
    {"412", 3, 13, 13, Charset::Numeric, 0},
    {"413", 3, 13, 13, Charset::Numeric, 0},
    {"414", 3, 13, 13, Charset::Numeric, 0},
    {"415", 3, 13, 13, Charset::Numeric, 0},
    {"416", 3, 13, 13, Charset::Numeric, 0},
    {"417", 3, 13, 13, Charset::Numeric, 0},
    {"420", 3, 1, 20, Charset::Text, 0},    // ship-to postal code
    {"421", 3, 4, 12, Charset::Text, 3},    // ... with ISO country code
    {"422", 3, 3, 3, Charset::Numeric, 0},  // country of origin
    {"423", 3, 3, 15, Charset::Numeric, 0}, // countries of initial processing
    {"424", 3, 3, 3, Charset::Numeric, 0},
    {"425", 3, 3, 15, Charset::Numeric, 0},
    {"426", 3, 3, 3, Charset::Numeric, 0},
    {"427", 3, 1, 3, Charset::Text, 0},       // country subdivision of origin
    {"7003", 4, 10, 10, Charset::Numeric, 0}, // expiration date and time
    {"7004", 4, 1, 4, Charset::Numeric, 0},   // active potency
    {"7240", 4, 1, 20, Charset::Text, 0},     // protocol ID
    {"8003", 4, 14, 30, Charset::Text, 14},   // GRAI
    {"8004", 4, 1, 30, Charset::Text, 0},     // GIAI
    {"8006", 4, 18, 18, Charset::Numeric, 0}, // ITIP
    {"8012", 4, 1, 20, Charset::Text, 0},     // software version (software as a device)
    {"8020", 4, 1, 25, Charset::Text, 0},     // payment slip reference
    {"90", 2, 1, 30, Charset::Text, 0},       // mutually agreed
    {"91", 2, 1, 90, Charset::Text, 0},       // 91–99: company internal
    {"92", 2, 1, 90, Charset::Text, 0},
    {"93", 2, 1, 90, Charset::Text, 0},
    {"94", 2, 1, 90, Charset::Text, 0},
    {"95", 2, 1, 90, Charset::Text, 0},
    {"96", 2, 1, 90, Charset::Text, 0},
    {"97", 2, 1, 90, Charset::Text, 0},
    {"98", 2, 1, 90, Charset::Text, 0},
    {"99", 2, 1, 90, Charset::Text, 0},
};

bool isAsciiDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

// GS1 AI encodable character set 82: the ISO 646 invariant subset without space.
bool isGs1TextChar(QChar c)
{
    const char16_t u = c.unicode();
    if ((u >= u'0' && u <= u'9') || (u >= u'A' && u <= u'Z') || (u >= u'a' && u <= u'z'))
        return true;
    switch (u) {
    case u'!':
    case u'"':
    case u'%':
    case u'&':
    case u'\'':
    case u'(':
    case u')':
    case u'*':
    case u'+':
    case u',':
    case u'-':
    case u'.':
    case u'/':
    case u':':
    case u';':
    case u'<':
    case u'=':
    case u'>':
    case u'?':
    case u'_':
        return true;
    default:
        return false;
    }
}

// The AI at the start of `text`, or null when the digits there name no AI we know.
const AiSpec *lookupAi(QStringView text)
{
    for (const AiSpec &spec : kAis) {
        const auto prefix = QLatin1StringView(spec.prefix);
        if (text.size() < spec.aiLength || !text.startsWith(prefix))
            continue;
        for (int i = 0; i < spec.aiLength; ++i) {
            if (!isAsciiDigit(text.at(i)))
                return nullptr;
        }
        return &spec;
    }
    return nullptr;
}

bool dataIsValid(const AiSpec &spec, QStringView data)
{
    if (data.size() < spec.minData || data.size() > spec.maxData)
        return false;
    for (qsizetype i = 0; i < data.size(); ++i) {
        const bool numeric = i < spec.numericLead || spec.charset == Charset::Numeric;
        if (numeric ? !isAsciiDigit(data.at(i)) : !isGs1TextChar(data.at(i)))
            return false;
    }
    return true;
}

// YYMMDD with GS1's century rule (General Specifications 7.12: a two-digit year more
// than 50 years ahead of today is in the previous century, more than 49 behind in the
// next) and day 00 meaning the month's last day.
QDate gs1Date(QStringView yymmdd)
{
    const int yy = yymmdd.left(2).toInt();
    const int month = yymmdd.mid(2, 2).toInt();
    const int day = yymmdd.mid(4, 2).toInt();
    const int thisYear = QDate::currentDate().year();
    const int century = thisYear / 100 * 100;
    const int difference = yy - thisYear % 100;
    int year = century + yy;
    if (difference >= 51)
        year -= 100;
    else if (difference <= -50)
        year += 100;
    if (month < 1 || month > 12)
        return {};
    if (day == 0)
        return QDate(year, month, 1).addMonths(1).addDays(-1);
    return QDate(year, month, day); // invalid for 31 April, 29 February 2027, ...
}

QStringView trimmedInput(QStringView text)
{
    // Keyboard-wedge scanners end with Enter; copied text carries spaces. GS is kept:
    // QChar::isSpace() does not count U+001D, and it may legitimately end the string.
    auto isBlank = [](QChar c) { return c == u' ' || c == u'\t' || c == u'\r' || c == u'\n'; };
    while (!text.isEmpty() && isBlank(text.front()))
        text = text.mid(1);
    while (!text.isEmpty() && isBlank(text.back()))
        text.chop(1);
    return text;
}

struct Element
{
    const AiSpec *spec;
    QStringView ai; // as written: four digits for 310n
    QStringView data;
};

// "(01)04012345678901(17)271231(21)SN42": a field's data runs to the next "(AI)" that
// names a known AI (parentheses are legal in text fields, so a bare "(" is not enough).
std::optional<QList<Element>> splitBracketed(QStringView text)
{
    auto aiInBrackets = [](QStringView rest) -> const AiSpec * {
        if (rest.size() < 4 || rest.front() != u'(')
            return nullptr;
        const AiSpec *spec = lookupAi(rest.mid(1));
        if (!spec || rest.size() < spec->aiLength + 2 || rest.at(spec->aiLength + 1) != u')')
            return nullptr;
        return spec;
    };
    QList<Element> elements;
    qsizetype pos = 0;
    while (pos < text.size()) {
        const AiSpec *spec = aiInBrackets(text.mid(pos));
        if (!spec)
            return std::nullopt;
        const qsizetype start = pos + spec->aiLength + 2;
        qsizetype end = start;
        if (spec->minData == spec->maxData) {
            end = start + spec->minData;
            if (end > text.size())
                return std::nullopt;
        } else {
            while (end < text.size() && !aiInBrackets(text.mid(end)))
                ++end;
        }
        elements.append({spec, text.mid(pos + 1, spec->aiLength), text.mid(start, end - start)});
        pos = end;
    }
    return elements;
}

// Element strings as a decoder or scanner sends them: fixed-length fields back to back,
// a GS after each variable-length field that is not last. A GS is also tolerated after
// a fixed-length field (encoders put one after the fixed AIs outside the predefined
// table) and at the very end.
std::optional<QList<Element>> splitRaw(QStringView text)
{
    QList<Element> elements;
    qsizetype pos = 0;
    while (pos < text.size()) {
        const AiSpec *spec = lookupAi(text.mid(pos));
        if (!spec)
            return std::nullopt;
        const qsizetype start = pos + spec->aiLength;
        qsizetype end = start;
        if (spec->minData == spec->maxData) {
            end = start + spec->minData;
            if (end > text.size())
                return std::nullopt;
        } else {
            while (end < text.size() && text.at(end) != GroupSeparator)
                ++end;
        }
        elements.append({spec, text.mid(pos, spec->aiLength), text.mid(start, end - start)});
        pos = end;
        if (pos < text.size() && text.at(pos) == GroupSeparator)
            ++pos;
    }
    return elements;
}

} // namespace

std::optional<Gs1Udi> Gs1Udi::parse(const QString &input)
{
    if (input.size() > MaxInput)
        return std::nullopt;
    QStringView text = trimmedInput(input);

    std::optional<QList<Element>> elements;
    if (text.startsWith(u'(')) {
        elements = splitBracketed(text);
    } else {
        // ISO/IEC 15424 identifiers of GS1 content only: GS1 DataMatrix, GS1-128, GS1 QR
        // and GS1 DataBar. "]d1" (a plain DataMatrix) and the like are not GS1 data.
        static const QStringView kGs1Identifiers[] = {u"]d2", u"]C1", u"]Q3", u"]e0"};
        if (text.startsWith(u']')) {
            const auto known = std::find_if(std::begin(kGs1Identifiers), std::end(kGs1Identifiers),
                                            [&](QStringView id) { return text.startsWith(id); });
            if (known == std::end(kGs1Identifiers))
                return std::nullopt;
            text = text.mid(3);
        }
        // FNC1 in first position, when a decoder passes it on.
        if (text.startsWith(GroupSeparator))
            text = text.mid(1);
        elements = splitRaw(text);
    }
    if (!elements || elements->isEmpty())
        return std::nullopt;

    Gs1Udi udi;
    bool haveGtin = false;
    QSet<QStringView> seen;
    for (const Element &element : std::as_const(*elements)) {
        const AiSpec &spec = *element.spec;
        if (!dataIsValid(spec, element.data))
            return std::nullopt;
        // A repeated AI contradicts itself (two lots, two serials).
        const QStringView ai = element.ai;
        if (seen.contains(ai))
            return std::nullopt;
        seen.insert(ai);
        if (spec.isDate && !gs1Date(element.data).isValid())
            return std::nullopt;

        if (ai == u"01") {
            if (!isValidGtin14(element.data.toString()))
                return std::nullopt;
            udi.gtin = element.data.toString();
            haveGtin = true;
        } else if (ai == u"10") {
            udi.lot = element.data.toString();
        } else if (ai == u"17") {
            udi.expiry = gs1Date(element.data);
        } else if (ai == u"21") {
            udi.serial = element.data.toString();
        }
    }
    if (!haveGtin)
        return std::nullopt;
    return udi;
}

QString Gs1Udi::toHumanReadable() const
{
    QString text;
    if (!gtin.isEmpty())
        text += u"(01)"_s + gtin;
    if (expiry.isValid())
        text += u"(17)"_s + expiry.toString(u"yyMMdd"_s);
    if (!lot.isEmpty())
        text += u"(10)"_s + lot;
    if (!serial.isEmpty())
        text += u"(21)"_s + serial;
    return text;
}

bool isValidGtin14(const QString &gtin)
{
    if (gtin.size() != 14)
        return false;
    int sum = 0;
    for (int i = 0; i < 14; ++i) {
        if (!isAsciiDigit(gtin.at(i)))
            return false;
        if (i < 13)
            sum += (gtin.at(i).unicode() - u'0') * (i % 2 == 0 ? 3 : 1);
    }
    return (10 - sum % 10) % 10 == gtin.at(13).unicode() - u'0';
}

} // namespace md::domain
