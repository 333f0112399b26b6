#pragma once

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace md::ui {

/// What one equipment QR label carries: the QR payload (QrPayload::encode of the
/// equipment's code) and, printed beside it, the name, model, serial number and owner
/// (the hospital's name), with the code under the QR in text for typing by hand.
struct EquipmentLabel
{
    QString code;    // "MD-7K3M-9QXT-2HVB-CW4P"
    QString payload; // what the QR symbol encodes
    QString name;
    QString model;
    QString serialNumber;
    QString owner;

    /// The label of one piece of equipment (GET /v1/equipment JSON); not valid (no
    /// payload) when its qr_code is missing or not a canonical code: such a label is never
    /// printed, since a wrong code on a device is worse than none.
    static EquipmentLabel fromEquipment(const QJsonObject &equipment,
                                        const QHash<QString, QString> &organizationNames);
    bool isValid() const { return !payload.isEmpty(); }
};

/// The labels for a list of equipment, in the list's order, and how many pieces had no
/// valid code (skipped, and said so in the result).
struct LabelBatch
{
    QList<EquipmentLabel> labels;
    int skipped = 0;

    static LabelBatch fromEquipment(const QList<QJsonObject> &equipment,
                                    const QHash<QString, QString> &organizationNames);
};

} // namespace md::ui
