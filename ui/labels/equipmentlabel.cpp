#include "equipmentlabel.h"

#include "domain/qrpayload.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace md::ui {

EquipmentLabel EquipmentLabel::fromEquipment(const QJsonObject &equipment,
                                             const QHash<QString, QString> &organizationNames)
{
    EquipmentLabel label;
    const QString code = equipment.value(u"qr_code"_s).toString();
    // Only a canonical code is printed: encode() refuses anything else, so a label never
    // carries a code the server would not find.
    if (!domain::QrPayload::isValidCode(code))
        return label;
    label.payload = domain::QrPayload::encode(code);
    if (label.payload.isEmpty())
        return label;
    label.code = code;
    label.name = equipment.value(u"name"_s).toString().simplified();
    label.model = equipment.value(u"model"_s).toString().simplified();
    label.serialNumber = equipment.value(u"serial_number"_s).toString().simplified();
    label.owner =
        organizationNames.value(equipment.value(u"organization_id"_s).toString()).simplified();
    return label;
}

LabelBatch LabelBatch::fromEquipment(const QList<QJsonObject> &equipment,
                                     const QHash<QString, QString> &organizationNames)
{
    LabelBatch batch;
    batch.labels.reserve(equipment.size());
    QSet<QString> seen; // a row listed twice (a page shifted while fetching) prints once
    for (const QJsonObject &e : equipment) {
        EquipmentLabel label = EquipmentLabel::fromEquipment(e, organizationNames);
        if (!label.isValid()) {
            ++batch.skipped;
            continue;
        }
        if (seen.contains(label.code))
            continue;
        seen.insert(label.code);
        batch.labels.append(std::move(label));
    }
    return batch;
}

} // namespace md::ui
