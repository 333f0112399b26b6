#include "user.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace md::domain {

ValidationErrors User::validate() const
{
    ValidationErrors errors;
    validate::requiredText(errors, u"name"_s, name, 200);
    validate::optionalEmail(errors, u"email"_s, email);
    validate::optionalPhone(errors, u"phone"_s, phone);
    if (email.isEmpty() && phone.isEmpty()) {
        errors.insert(u"email"_s, u"an e-mail address or a phone number is required"_s);
        errors.insert(u"phone"_s, u"an e-mail address or a phone number is required"_s);
    }
    validate::optionalUuid(errors, u"organization_id"_s, organizationId);
    // Self-registered users wait, inactive and without an organization, until an
    // administrator places them.
    if (organizationId.isEmpty() && !isPlatformRole(role) && active)
        errors.insert(u"organization_id"_s, u"is required for the role %1"_s.arg(toString(role)));
    return errors;
}

QString normalizeIdentifier(const QString &identifier)
{
    const QString trimmed = identifier.trimmed();
    if (trimmed.isEmpty() || trimmed.size() > 254)
        return {};
    if (trimmed.contains(u'@')) {
        const QString lower = trimmed.toLower();
        ValidationErrors errors;
        validate::optionalEmail(errors, u"identifier"_s, lower);
        return errors.isEmpty() ? lower : QString();
    }
    // A phone number as people write it: keep '+' and digits, drop spaces, dots,
    // dashes and parentheses. Anything else makes it no phone number.
    QString phone;
    for (const QChar c : trimmed) {
        if (c == u' ' || c == u'-' || c == u'.' || c == u'(' || c == u')')
            continue;
        if (c == u'+' || (c >= u'0' && c <= u'9'))
            phone.append(c);
        else
            return {};
    }
    ValidationErrors errors;
    validate::optionalPhone(errors, u"identifier"_s, phone);
    return errors.isEmpty() && !phone.isEmpty() ? phone : QString();
}

bool isEmailIdentifier(const QString &normalized)
{
    return normalized.contains(u'@');
}

QString maskIdentifier(const QString &identifier)
{
    if (identifier.isEmpty())
        return {};
    const qsizetype at = identifier.indexOf(u'@');
    if (at >= 0)
        return identifier.left(qMin<qsizetype>(1, at)) + u"***"_s + identifier.mid(at);
    if (identifier.size() <= 6)
        return u"***"_s;
    return identifier.left(3) + QString(identifier.size() - 6, u'*') + identifier.right(3);
}

} // namespace md::domain
