#include "ticket.h"

#include <QRegularExpression>

namespace md::domain {

ValidationErrors Ticket::validate() const
{
    ValidationErrors errors;
    validate::optionalUuid(errors, QStringLiteral("id"), id);
    if (!number.isEmpty()) {
        static const QRegularExpression re(QStringLiteral("^TKT-[0-9]{4}-[0-9]{6,12}\\z"));
        if (!re.match(number).hasMatch())
            errors.insert(QStringLiteral("number"),
                          QStringLiteral("must look like TKT-2026-000123"));
    }
    validate::requiredUuid(errors, QStringLiteral("equipment_id"), equipmentId);
    validate::requiredUuid(errors, QStringLiteral("organization_id"), organizationId);
    validate::optionalText(errors, QStringLiteral("reporter_name"), reporterName, 200);
    // As given: a phone, an e-mail or a WhatsApp sender ("whatsapp:+4930...").
    validate::optionalText(errors, QStringLiteral("reporter_contact"), reporterContact, 254);
    validate::optionalUuid(errors, QStringLiteral("reporter_user_id"), reporterUserId);
    validate::requiredText(errors, QStringLiteral("title"), title, 200);
    validate::optionalText(errors, QStringLiteral("description"), description, 10000);
    validate::optionalUuid(errors, QStringLiteral("assigned_engineer_id"), assignedEngineerId);
    if (createdAt.isValid() && responseDueAt.isValid() && responseDueAt < createdAt)
        errors.insert(QStringLiteral("response_due_at"),
                      QStringLiteral("must not be before created_at"));
    if (createdAt.isValid() && resolutionDueAt.isValid() && resolutionDueAt < createdAt)
        errors.insert(QStringLiteral("resolution_due_at"),
                      QStringLiteral("must not be before created_at"));
    return errors;
}

} // namespace md::domain
