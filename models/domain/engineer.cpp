#include "engineer.h"

#include "equipment.h"

namespace md::domain {

bool Certification::covers(const QString &manufacturer, const QString &cat, const QDate &day) const
{
    if (expiresOn.isValid() && (!day.isValid() || day > expiresOn))
        return false; // valid through its expiry day, none after it
    if (!manufacturerId.isEmpty() && manufacturerId != manufacturer)
        return false;
    if (!category.isEmpty() && category != cat)
        return false;
    return true;
}

ValidationErrors Engineer::validate() const
{
    ValidationErrors errors;
    validate::optionalUuid(errors, QStringLiteral("id"), id);
    validate::optionalUuid(errors, QStringLiteral("user_id"), userId);
    validate::requiredUuid(errors, QStringLiteral("organization_id"), organizationId);
    validate::requiredText(errors, QStringLiteral("name"), name, 200);
    for (const QString &m : manufacturerIds) {
        if (!validate::isUuid(m)) {
            errors.insert(QStringLiteral("manufacturer_ids"),
                          QStringLiteral("each entry must be a UUID"));
            break;
        }
    }
    for (const QString &c : categories) {
        if (!isKnownCategory(c)) {
            errors.insert(QStringLiteral("categories"),
                          QStringLiteral("unknown category: %1").arg(c.left(40)));
            break;
        }
    }
    for (qsizetype i = 0; i < certifications.size(); ++i) {
        const Certification &cert = certifications.at(i);
        ValidationErrors certErrors;
        validate::requiredText(certErrors, QStringLiteral("name"), cert.name, 200);
        validate::optionalUuid(certErrors, QStringLiteral("manufacturer_id"), cert.manufacturerId);
        if (!cert.category.isEmpty() && !isKnownCategory(cert.category))
            certErrors.insert(QStringLiteral("category"), QStringLiteral("unknown category"));
        if (!certErrors.isEmpty()) {
            const auto first = certErrors.constBegin();
            errors.insert(QStringLiteral("certifications"),
                          QStringLiteral("entry %1: %2 %3").arg(i).arg(first.key(), first.value()));
            break;
        }
    }
    validate::optionalPhone(errors, QStringLiteral("phone"), phone);
    validate::optionalEmail(errors, QStringLiteral("email"), email);
    if (location && !isValid(*location))
        errors.insert(QStringLiteral("location"),
                      QStringLiteral("latitude must be within ±90 and longitude within ±180"));
    if (openAssignments < 0)
        errors.insert(QStringLiteral("open_assignments"), QStringLiteral("must not be negative"));
    return errors;
}

bool Engineer::services(const QString &manufacturerId, const QString &category) const
{
    return !manufacturerId.isEmpty() && !category.isEmpty() &&
           manufacturerIds.contains(manufacturerId) && categories.contains(category);
}

} // namespace md::domain
