#include "organization.h"

#include "equipment.h"

namespace md::domain {

ValidationErrors Organization::validate() const
{
    ValidationErrors errors;
    validate::optionalUuid(errors, QStringLiteral("id"), id);
    validate::requiredText(errors, QStringLiteral("name"), name, 200);
    validate::optionalText(errors, QStringLiteral("address"), address, 500);
    validate::optionalText(errors, QStringLiteral("city"), city, 120);
    if (!country.isEmpty()) {
        const bool alpha2 = country.size() == 2 && country.at(0) >= u'A' && country.at(0) <= u'Z' &&
                            country.at(1) >= u'A' && country.at(1) <= u'Z';
        if (!alpha2)
            errors.insert(QStringLiteral("country"),
                          QStringLiteral("must be an ISO 3166-1 alpha-2 code such as DE"));
    }
    if (location && !isValid(*location))
        errors.insert(QStringLiteral("location"),
                      QStringLiteral("latitude must be within ±90 and longitude within ±180"));
    validate::optionalPhone(errors, QStringLiteral("phone"), phone);
    validate::optionalEmail(errors, QStringLiteral("email"), email);

    const QString scopesField = QStringLiteral("service_scopes");
    const bool mayHaveScopes =
        type == OrganizationType::AuthorizedPartner || type == OrganizationType::ServiceProvider;
    if (!serviceScopes.isEmpty() && !mayHaveScopes) {
        errors.insert(scopesField,
                      QStringLiteral("only authorized partners and service providers have them"));
    } else {
        for (qsizetype i = 0; i < serviceScopes.size(); ++i) {
            const ServiceScope &scope = serviceScopes.at(i);
            if (!validate::isUuid(scope.manufacturerId)) {
                errors.insert(scopesField,
                              QStringLiteral("entry %1: manufacturer_id must be a UUID").arg(i));
                break;
            }
            if (!isKnownCategory(scope.category)) {
                errors.insert(scopesField, QStringLiteral("entry %1: unknown category").arg(i));
                break;
            }
        }
    }
    return errors;
}

} // namespace md::domain
