#include "scannedcode.h"

#include "qrpayload.h"

using namespace Qt::StringLiterals;

namespace md::domain {

namespace {

constexpr qsizetype MaxKeptPayload = 4096;
constexpr char16_t ReplacementCharacter = 0xFFFD;
constexpr char16_t Ellipsis = 0x2026;

// Characters that must never reach a label, a log line or a message box as they are:
// controls (C0, C1, DEL), format characters (bidi overrides that reorder what follows,
// zero-width characters that hide text), line/paragraph separators, unpaired
// surrogates and unassigned code points.
bool isUnsafe(char32_t codePoint)
{
    switch (QChar::category(codePoint)) {
    case QChar::Other_Control:
    case QChar::Other_Format:
    case QChar::Other_Surrogate:
    case QChar::Other_NotAssigned:
    case QChar::Separator_Line:
    case QChar::Separator_Paragraph:
        return true;
    default:
        return false;
    }
}

QString sanitized(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c.unicode() == 0x1D) {
            out += u"<GS>"_s;
            continue;
        }
        if (c.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
            const char32_t codePoint = QChar::surrogateToUcs4(c, text.at(i + 1));
            if (isUnsafe(codePoint)) {
                out += QChar(ReplacementCharacter);
            } else {
                out += c;
                out += text.at(i + 1);
            }
            ++i;
            continue;
        }
        out += isUnsafe(c.unicode()) ? QChar(ReplacementCharacter) : c;
    }
    return out;
}

// A cut at `index` that does not split a surrogate pair: the head ends before the pair,
// the tail starts after it (never longer than asked).
qsizetype safeCut(const QString &text, qsizetype index, bool forTail)
{
    if (index > 0 && index < text.size() && text.at(index).isLowSurrogate())
        return forTail ? index + 1 : index - 1;
    return index;
}

} // namespace

ScannedCode ScannedCode::classify(const QString &payload)
{
    ScannedCode code;
    // A label or UDI is short (both parsers refuse over 512 characters); anything else is
    // kept only as far as a message or log could ever show it.
    code.payload = payload.left(MaxKeptPayload);
    if (const auto label = QrPayload::parse(payload)) {
        code.kind = Kind::Label;
        code.labelCode = *label;
    } else if (const auto udi = Gs1Udi::parse(payload)) {
        code.kind = Kind::Udi;
        code.udi = *udi;
    }
    return code;
}

QString ScannedCode::displayText(int maxLength) const
{
    const QString safe = sanitized(payload);
    if (maxLength <= 0)
        return {};
    if (safe.size() <= maxLength)
        return safe;
    if (maxLength == 1)
        return QString(QChar(Ellipsis));
    // The middle goes: a URL's host and the end of a path both say what a code is.
    const qsizetype keep = maxLength - 1;
    const qsizetype head = safeCut(safe, (keep + 1) / 2, false);
    const qsizetype tail = safeCut(safe, safe.size() - keep / 2, true);
    return safe.left(head) + QChar(Ellipsis) + safe.mid(tail);
}

} // namespace md::domain
