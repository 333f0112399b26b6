#include "equipmentidentifier.h"

#include "storage/authrepositories.h"

#include <QSet>
#include <QStringDecoder>

using namespace Qt::StringLiterals;
using md::domain::ScannedCode;

namespace md::server {

namespace {

// A photo yields at most a handful of codes (ReadOptions::maxSymbols); a caller handing
// in more must not make one request cost unbounded lookups.
constexpr qsizetype kMaxCodesLooked = 8;

// Serial numbers are unique per manufacturer, not globally: a few visible equipment
// may share one, never hundreds. One page bounds the work whatever the data holds.
constexpr int kMaxSerialMatches = 500;

Identification outcome(IdentifyOutcome result, ScannedCode::Kind kind = ScannedCode::Kind::Other)
{
    Identification id;
    id.outcome = result;
    id.kind = kind;
    return id;
}

// Which of two non-identifying answers tells the caller more: a choice to make beats
// "not yours or unknown", which beats "not a code of ours".
int weight(IdentifyOutcome outcome)
{
    switch (outcome) {
    case IdentifyOutcome::Ambiguous:
        return 3;
    case IdentifyOutcome::NotFound:
        return 2;
    case IdentifyOutcome::NotOurs:
        return 1;
    default:
        return 0;
    }
}

} // namespace

QString toString(IdentifyOutcome outcome)
{
    switch (outcome) {
    case IdentifyOutcome::Identified:
        return u"identified"_s;
    case IdentifyOutcome::InvalidImage:
        return u"invalid_image"_s;
    case IdentifyOutcome::ImageTooLarge:
        return u"image_too_large"_s;
    case IdentifyOutcome::NoCode:
        return u"no_code"_s;
    case IdentifyOutcome::NotOurs:
        return u"not_ours"_s;
    case IdentifyOutcome::NotFound:
        return u"not_found"_s;
    case IdentifyOutcome::Ambiguous:
        return u"ambiguous"_s;
    }
    return {};
}

EquipmentIdentifier::EquipmentIdentifier(storage::Repositories &repositories, storage::Scope scope)
    : m_repositories(repositories), m_scope(std::move(scope))
{}

Identification EquipmentIdentifier::identifyPhoto(const QByteArray &bytes, const QByteArray &format,
                                                  const codes::PhotoLimits &limits)
{
    const codes::PhotoResult photo = codes::PhotoReader::read(bytes, format, limits);
    switch (photo.status) {
    case codes::PhotoStatus::Unreadable:
        return outcome(IdentifyOutcome::InvalidImage);
    case codes::PhotoStatus::TooLarge:
        return outcome(IdentifyOutcome::ImageTooLarge);
    case codes::PhotoStatus::NoCode:
        return outcome(IdentifyOutcome::NoCode);
    case codes::PhotoStatus::Found:
        break;
    }
    return identifyCodes(photo.codes);
}

Identification EquipmentIdentifier::identifyCodes(const QList<codes::FoundCode> &codes)
{
    Identification best = outcome(IdentifyOutcome::NoCode);
    QSet<QString> seen;
    qsizetype looked = 0;
    for (const codes::FoundCode &found : codes) {
        // The same label read twice (a photo of two sides of a device) is one lookup.
        if (seen.contains(found.text))
            continue;
        if (++looked > kMaxCodesLooked)
            break;
        seen.insert(found.text);
        Identification result = match(ScannedCode::classify(found.text));
        result.source = codes::symbologyName(found.symbology);
        if (result.outcome == IdentifyOutcome::Identified)
            return result;
        if (weight(result.outcome) > weight(best.outcome))
            best = std::move(result);
    }
    return best;
}

Identification EquipmentIdentifier::identifyPayload(const QByteArray &utf8)
{
    Identification result = outcome(IdentifyOutcome::NotOurs);
    if (utf8.size() <= maxPayloadBytes) {
        QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        QString text = decoder.decode(utf8);
        if (!decoder.hasError()) {
            // Keyboard-wedge scanners end the code with Enter.
            while (text.endsWith(u'\n') || text.endsWith(u'\r'))
                text.chop(1);
            result = match(ScannedCode::classify(text));
        }
    }
    result.source = u"scanner"_s;
    return result;
}

Identification EquipmentIdentifier::match(const ScannedCode &code)
{
    switch (code.kind) {
    case ScannedCode::Kind::Label: {
        const auto equipment = m_repositories.equipment().findByQrCode(code.labelCode);
        if (!equipment || !m_repositories.visibility().equipmentVisible(equipment->id, m_scope))
            return outcome(IdentifyOutcome::NotFound, code.kind);
        Identification found = outcome(IdentifyOutcome::Identified, code.kind);
        found.equipment = *equipment;
        return found;
    }
    case ScannedCode::Kind::Udi:
        return matchUdi(code.udi);
    case ScannedCode::Kind::Other:
        break;
    }
    return outcome(IdentifyOutcome::NotOurs);
}

Identification EquipmentIdentifier::matchUdi(const domain::Gs1Udi &udi)
{
    constexpr auto kind = ScannedCode::Kind::Udi;
    if (udi.serial.isEmpty()) // a UDI without (21) names a product, not one device
        return outcome(IdentifyOutcome::NotFound, kind);

    // Only what the caller may see is ever considered, so the answer (found, several,
    // none) cannot depend on other tenants' equipment.
    storage::EquipmentFilter filter;
    filter.serialNumber = udi.serial;
    const auto visible =
        m_repositories.equipment().list(filter, m_scope, {kMaxSerialMatches, 0}).items;

    QList<domain::Equipment> candidates; // no GTIN recorded, or the UDI's
    QList<domain::Equipment> sameGtin;
    for (const domain::Equipment &e : visible) {
        if (e.gtin == udi.gtin)
            sameGtin.append(e);
        if (e.gtin.isEmpty() || e.gtin == udi.gtin)
            candidates.append(e);
    }
    if (sameGtin.size() == 1 || candidates.size() == 1) {
        Identification found = outcome(IdentifyOutcome::Identified, kind);
        found.equipment = sameGtin.size() == 1 ? sameGtin.first() : candidates.first();
        return found;
    }
    if (candidates.isEmpty())
        return outcome(IdentifyOutcome::NotFound, kind);
    Identification several = outcome(IdentifyOutcome::Ambiguous, kind);
    for (const domain::Equipment &e : std::as_const(candidates)) {
        if (several.candidateIds.size() == maxCandidates)
            break;
        several.candidateIds.append(e.id);
    }
    return several;
}

} // namespace md::server
