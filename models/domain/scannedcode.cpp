#include "scannedcode.h"

#include "qrpayload.h"

// Placeholder: being written (issue 5, codes helper).

namespace md::domain {

ScannedCode ScannedCode::classify(const QString &payload)
{
    ScannedCode code;
    code.payload = payload.left(4096);
    if (const auto label = QrPayload::parse(payload)) {
        code.kind = Kind::Label;
        code.labelCode = *label;
    } else if (const auto udi = Gs1Udi::parse(payload)) {
        code.kind = Kind::Udi;
        code.udi = *udi;
    }
    return code;
}

QString ScannedCode::displayText(int) const
{
    return payload;
}

} // namespace md::domain
