#include "validation.h"

#include <QRegularExpression>

namespace md::domain::validate {

namespace {

// Text is stored verbatim, odd Unicode included. What is refused is what cannot round-trip
// or be shown safely: NUL (PostgreSQL text cannot hold it), other C0 controls except
// tab and line breaks, DEL, and unpaired UTF-16 surrogates (not encodable as UTF-8).
QString textProblem(const QString &value, int maxLength)
{
    if (value.size() > maxLength)
        return QStringLiteral("must be at most %1 characters").arg(maxLength);
    for (const QChar c : value) {
        const char16_t u = c.unicode();
        if ((u < 0x20 && u != u'\t' && u != u'\n' && u != u'\r') || u == 0x7f)
            return QStringLiteral("must not contain control characters");
    }
    if (!value.isValidUtf16())
        return QStringLiteral("contains invalid Unicode");
    return {};
}

bool isEmail(const QString &value)
{
    // Deliberately simpler than RFC 5322: what mail providers accept in practice, ASCII
    // only, a dotted domain. Quoted local parts and IP literals are refused.
    static const QRegularExpression re(
        QStringLiteral(R"(^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*)"
                       R"(@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}\z)"));
    if (value.size() > 254)
        return false;
    const qsizetype at = value.indexOf(u'@');
    if (at < 1 || at > 64)
        return false;
    return re.match(value).hasMatch();
}

} // namespace

void requiredText(ValidationErrors &errors, const QString &field, const QString &value,
                  int maxLength)
{
    if (value.trimmed().isEmpty()) {
        errors.insert(field, QStringLiteral("is required"));
        return;
    }
    if (const QString problem = textProblem(value, maxLength); !problem.isEmpty())
        errors.insert(field, problem);
}

void optionalText(ValidationErrors &errors, const QString &field, const QString &value,
                  int maxLength)
{
    if (value.isEmpty())
        return;
    if (const QString problem = textProblem(value, maxLength); !problem.isEmpty())
        errors.insert(field, problem);
}

void optionalEmail(ValidationErrors &errors, const QString &field, const QString &value)
{
    if (value.isEmpty())
        return;
    if (!isEmail(value))
        errors.insert(field, QStringLiteral("must be an e-mail address such as name@example.org"));
}

void optionalPhone(ValidationErrors &errors, const QString &field, const QString &value)
{
    if (value.isEmpty())
        return;
    // [0-9], not \d: \d also matches Arabic-Indic and other Unicode digits; \z, not $:
    // $ also matches before a trailing newline.
    static const QRegularExpression re(QStringLiteral("^\\+[1-9][0-9]{7,14}\\z"));
    if (!re.match(value).hasMatch())
        errors.insert(field, QStringLiteral("must be an E.164 number such as +14155550123"));
}

bool isUuid(const QString &value)
{
    // The canonical 8-4-4-4-12 text form only; no braces, no URN prefix.
    static const QRegularExpression re(QStringLiteral(
        "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\z"));
    return value.size() == 36 && re.match(value).hasMatch();
}

void requiredUuid(ValidationErrors &errors, const QString &field, const QString &value)
{
    if (value.isEmpty())
        errors.insert(field, QStringLiteral("is required"));
    else if (!isUuid(value))
        errors.insert(field, QStringLiteral("must be a UUID"));
}

void optionalUuid(ValidationErrors &errors, const QString &field, const QString &value)
{
    if (!value.isEmpty() && !isUuid(value))
        errors.insert(field, QStringLiteral("must be a UUID"));
}

} // namespace md::domain::validate
