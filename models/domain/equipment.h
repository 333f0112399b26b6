#pragma once

#include "enums.h"
#include "validation.h"

#include <QDate>
#include <QDateTime>
#include <QString>

namespace md::domain {

/// A medical device owned by a hospital.
struct Equipment
{
    QString id;
    QString organizationId; // the owning hospital
    QString manufacturerId; // an organization of type manufacturer
    QString name;           // e.g. "MAGNETOM Vida"
    QString model;
    QString serialNumber;
    QString category; // one of knownCategories()
    QString department;
    QString room;
    QDate installDate;
    QDate warrantyEnd;
    QDate serviceContractEnd;
    Criticality criticality = Criticality::Medium;
    EquipmentStatus status = EquipmentStatus::Operational;
    QString qrCode; // opaque label code, see QrPayload; never the id
    QString gtin;   // optional GS1 GTIN (14 digits) from a UDI label
    QDateTime createdAt;
    QDateTime updatedAt;

    ValidationErrors validate() const;
    /// Under manufacturer warranty or a service contract on that day.
    bool isCovered(const QDate &day) const;
};

/// The equipment categories we know (snake_case wire values), e.g. "mri", "ct",
/// "xray", "ultrasound", "ventilator", "patient_monitor", "infusion_pump",
/// "defibrillator", "dialysis", "anesthesia", "ecg", "lab_analyzer".
const QStringList &knownCategories();
bool isKnownCategory(const QString &category);

} // namespace md::domain
