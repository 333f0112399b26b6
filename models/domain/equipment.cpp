#include "equipment.h"

#include "qrpayload.h"

namespace md::domain {

namespace {

// GS1 mod-10: weights 3,1,3,... from the digit left of the check digit.
bool isGtin14(const QString &gtin)
{
    if (gtin.size() != 14)
        return false;
    int sum = 0;
    for (int i = 0; i < 14; ++i) {
        const char16_t c = gtin.at(i).unicode();
        if (c < u'0' || c > u'9')
            return false;
        if (i < 13)
            sum += (c - u'0') * (i % 2 == 0 ? 3 : 1);
    }
    return (10 - sum % 10) % 10 == gtin.at(13).unicode() - u'0';
}

} // namespace

ValidationErrors Equipment::validate() const
{
    ValidationErrors errors;
    validate::optionalUuid(errors, QStringLiteral("id"), id);
    validate::requiredUuid(errors, QStringLiteral("organization_id"), organizationId);
    validate::requiredUuid(errors, QStringLiteral("manufacturer_id"), manufacturerId);
    validate::requiredText(errors, QStringLiteral("name"), name, 200);
    validate::optionalText(errors, QStringLiteral("model"), model, 200);
    validate::requiredText(errors, QStringLiteral("serial_number"), serialNumber, 100);
    if (category.isEmpty())
        errors.insert(QStringLiteral("category"), QStringLiteral("is required"));
    else if (!isKnownCategory(category))
        errors.insert(QStringLiteral("category"), QStringLiteral("unknown category"));
    validate::optionalText(errors, QStringLiteral("department"), department, 120);
    validate::optionalText(errors, QStringLiteral("room"), room, 60);
    if (installDate.isValid() && warrantyEnd.isValid() && warrantyEnd < installDate)
        errors.insert(QStringLiteral("warranty_end"),
                      QStringLiteral("must not be before install_date"));
    if (installDate.isValid() && serviceContractEnd.isValid() && serviceContractEnd < installDate)
        errors.insert(QStringLiteral("service_contract_end"),
                      QStringLiteral("must not be before install_date"));
    if (!qrCode.isEmpty() && !QrPayload::isValidCode(qrCode))
        errors.insert(QStringLiteral("qr_code"),
                      QStringLiteral("must be a label code such as MD-7K3M-9QXT-2HVB-CW4P"));
    if (!gtin.isEmpty() && !isGtin14(gtin))
        errors.insert(QStringLiteral("gtin"),
                      QStringLiteral("must be a 14-digit GTIN with a valid check digit"));
    return errors;
}

bool Equipment::isCovered(const QDate &day) const
{
    if (!day.isValid())
        return false;
    // End dates are inclusive: a warranty ending today still covers today.
    return (warrantyEnd.isValid() && day <= warrantyEnd) ||
           (serviceContractEnd.isValid() && day <= serviceContractEnd);
}

const QStringList &knownCategories()
{
    static const QStringList categories{
        QStringLiteral("mri"),           QStringLiteral("ct"),
        QStringLiteral("xray"),          QStringLiteral("ultrasound"),
        QStringLiteral("ventilator"),    QStringLiteral("patient_monitor"),
        QStringLiteral("infusion_pump"), QStringLiteral("defibrillator"),
        QStringLiteral("dialysis"),      QStringLiteral("anesthesia"),
        QStringLiteral("ecg"),           QStringLiteral("lab_analyzer"),
        QStringLiteral("mammography"),   QStringLiteral("c_arm"),
        QStringLiteral("endoscopy"),     QStringLiteral("incubator"),
    };
    return categories;
}

bool isKnownCategory(const QString &category)
{
    return knownCategories().contains(category);
}

} // namespace md::domain
