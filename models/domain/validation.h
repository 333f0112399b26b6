#pragma once

#include <QMap>
#include <QString>

namespace md::domain {

/// Field name (wire name, snake_case) -> human-readable problem. Empty means valid.
using ValidationErrors = QMap<QString, QString>;

namespace validate {
/// Shared checks used by the entities' validate() functions. Each adds to errors.
void requiredText(ValidationErrors &errors, const QString &field, const QString &value,
                  int maxLength);
void optionalText(ValidationErrors &errors, const QString &field, const QString &value,
                  int maxLength);
void optionalEmail(ValidationErrors &errors, const QString &field, const QString &value);
/// E.164: '+' then 8 to 15 digits, first digit not 0.
void optionalPhone(ValidationErrors &errors, const QString &field, const QString &value);
bool isUuid(const QString &value);
void requiredUuid(ValidationErrors &errors, const QString &field, const QString &value);
void optionalUuid(ValidationErrors &errors, const QString &field, const QString &value);
} // namespace validate

} // namespace md::domain
