#pragma once

#include "apiresult.h"
#include "domain/scannedcode.h"

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QPointer>

namespace md::client {
class ApiClient;
}

namespace md::ui {

/// What a scanned payload named, with the sentence to show for it.
struct LookupResult
{
    enum class Outcome
    {
        Found,     // equipment holds the equipment
        NotFound,  // a well-formed code that names nothing the user may see
        Ambiguous, // a UDI serial shared by several equipment: candidates
        NotOurs,   // not a MedDispatch label nor a GS1 UDI: no request was sent
        Failed,    // the server could not answer (offline, 5xx, ...): error
    };

    Outcome outcome = Outcome::NotOurs;
    domain::ScannedCode code;
    QJsonObject equipment;
    QList<QJsonObject> candidates; // Ambiguous: as many as could be fetched, by name
    QStringList candidateIds;      // Ambiguous: every id the server named
    QString message;               // for the user, plain text (never a link)
    client::ApiError error;        // Failed

    /// A GS1 UDI whose serial names no equipment: offer a new equipment prefilled.
    bool offersNewEquipment() const
    {
        return outcome == Outcome::NotFound && code.kind == domain::ScannedCode::Kind::Udi &&
               !code.udi.serial.isEmpty();
    }
};

/// A payload (from the scanner field, a photo, the clipboard or the camera) → the
/// equipment it names. The payload is classified locally first (ScannedCode): anything
/// that is neither our label nor a GS1 UDI gets its message without a request — a URL or
/// a long text is never sent anywhere, let alone opened. Labels and UDIs go to
/// POST /v1/equipment/identify as text/plain, so the matching rule lives on the server
/// alone; its answers are phrased here. An unknown label and another tenant's label read
/// the same ("No equipment in your organization has this label."), because the server
/// cannot be allowed to tell them apart either.
///
/// One lookup at a time: a new payload supersedes the one in flight, whose answer is
/// then dropped.
class EquipmentLookup final : public QObject
{
    Q_OBJECT
public:
    explicit EquipmentLookup(client::ApiClient *api, QObject *parent = nullptr);
    ~EquipmentLookup() override;

    /// Starts identifying; finished() follows (at once for NotOurs).
    void lookup(const QString &payload);
    /// Drops the answer of the lookup in flight.
    void cancel();
    bool isBusy() const { return m_busy; }
    /// Identify requests sent so far (tests: hostile payloads send none).
    int requestsSent() const { return m_requests; }

    /// The sentence for a payload that is not ours ("This code is not a MedDispatch
    /// label or a GS1 UDI: «…»").
    static QString notOursMessage(const domain::ScannedCode &code);

Q_SIGNALS:
    void started(const md::domain::ScannedCode &code);
    void finished(const md::ui::LookupResult &result);

private:
    void answer(quint64 generation, const domain::ScannedCode &code,
                const client::ApiResult &result);
    void fetchCandidates(quint64 generation, LookupResult result);
    void finish(const LookupResult &result);

    QPointer<client::ApiClient> m_api;
    quint64 m_generation = 0;
    int m_requests = 0;
    bool m_busy = false;
};

} // namespace md::ui

Q_DECLARE_METATYPE(md::ui::LookupResult)
