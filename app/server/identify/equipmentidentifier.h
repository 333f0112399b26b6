#pragma once

#include "codes/codereader.h"
#include "codes/photoreader.h"
#include "domain/equipment.h"
#include "domain/scannedcode.h"
#include "storage/repositories.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace md::server {

/// How an identification ended.
enum class IdentifyOutcome
{
    Identified,    // `equipment` is the one visible equipment the code names
    InvalidImage,  // photo: not a readable JPEG or PNG (or not what its type says)
    ImageTooLarge, // photo: more bytes or pixels than codes::PhotoLimits allow
    NoCode,        // photo: readable, but no code we read is in it
    NotOurs,       // codes (or a payload), but none is our label or a GS1 UDI
    NotFound,      // our label or a UDI, but no equipment the caller may see matches
    Ambiguous,     // a UDI serial shared by several visible equipment, no GTIN decides
};

/// "identified", "invalid_image", ... (for logs and metrics).
QString toString(IdentifyOutcome outcome);

struct Identification
{
    IdentifyOutcome outcome = IdentifyOutcome::NoCode;
    std::optional<domain::Equipment> equipment; // Identified
    /// Ambiguous: the visible candidates (ordered by name, then id), at most
    /// EquipmentIdentifier::maxCandidates of them.
    QStringList candidateIds;
    /// The kind of code that decided: Label or Udi for Identified, NotFound and
    /// Ambiguous; Other otherwise.
    domain::ScannedCode::Kind kind = domain::ScannedCode::Kind::Other;
    /// Where the deciding code came from, for logs: a symbology name ("QR code",
    /// "DataMatrix", "Code 128") or "scanner" for a payload. Never the payload.
    QString source;
};

/// Finds the equipment a photographed or scanned code names, within what the caller may
/// see. Shared by POST /v1/equipment/identify and the WhatsApp intake, so that both
/// answer alike. Our labels are looked up by their code, GS1 UDIs by their (21) serial
/// number, narrowed by their (01) GTIN where the equipment records one. An unknown code
/// and a code of equipment the caller may not see give the same NotFound: a label or a
/// UDI never reveals another tenant's equipment. Payloads are only matched, never
/// opened, logged or echoed.
///
/// Runs on the calling thread (decoding a photo takes tens of milliseconds: call it
/// from a worker, never from an event loop that serves others) and uses `repositories`
/// on that thread's connection.
class EquipmentIdentifier final
{
public:
    /// Ambiguous answers list at most this many candidates.
    static constexpr int maxCandidates = 50;
    /// A scanned payload is one code: longer input is not one of ours.
    static constexpr qsizetype maxPayloadBytes = 4096;

    EquipmentIdentifier(storage::Repositories &repositories, storage::Scope scope);

    /// A JPEG or PNG photo (`format` "jpeg" or "png", empty: sniffed), decoded with
    /// codes::PhotoReader under `limits`, then identifyCodes() on what it found.
    Identification identifyPhoto(const QByteArray &bytes, const QByteArray &format,
                                 const codes::PhotoLimits &limits = {});
    /// Codes found in one image, best first: the first that identifies visible
    /// equipment wins. Otherwise Ambiguous if one was, else NotFound if one was our
    /// label or a UDI, else NotOurs (NoCode for an empty list).
    Identification identifyCodes(const QList<codes::FoundCode> &codes);
    /// One payload from a handheld scanner or a typed code, as UTF-8 bytes: at most
    /// maxPayloadBytes of valid UTF-8 (a trailing CR/LF from the scanner's Enter is
    /// ignored), else NotOurs.
    Identification identifyPayload(const QByteArray &utf8);

private:
    Identification match(const domain::ScannedCode &code);
    Identification matchUdi(const domain::Gs1Udi &udi);

    storage::Repositories &m_repositories;
    storage::Scope m_scope;
};

} // namespace md::server
