#include "equipmentlookup.h"

#include "apiclient.h"

#include <QJsonArray>
#include <QLocale>
#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;
using md::domain::ScannedCode;

namespace md::ui {

namespace {

// Several equipment sharing a serial are listed by name; more than this many is a data
// problem for an administrator, not a list to choose from.
constexpr int kMaxCandidates = 10;

// What a UDI label says beyond its serial, so that "add as new equipment" is informed.
QString udiDetails(const domain::Gs1Udi &udi)
{
    QStringList parts;
    parts.append(EquipmentLookup::tr("GTIN %1").arg(udi.gtin));
    if (!udi.lot.isEmpty())
        parts.append(EquipmentLookup::tr("lot %1").arg(udi.lot));
    if (udi.expiry.isValid())
        parts.append(EquipmentLookup::tr("expiry %1")
                         .arg(QLocale().toString(udi.expiry, QLocale::ShortFormat)));
    return EquipmentLookup::tr("The label also reads: %1.").arg(parts.join(u", "_s));
}

QString notFoundMessage(const ScannedCode &code)
{
    if (code.kind == ScannedCode::Kind::Label)
        return EquipmentLookup::tr("No equipment in your organization has this label.");
    if (code.udi.serial.isEmpty())
        return EquipmentLookup::tr("This UDI carries no serial number (21), so it cannot name "
                                   "one device. %1")
            .arg(udiDetails(code.udi));
    return EquipmentLookup::tr("No equipment with serial number %1. %2")
        .arg(code.udi.serial, udiDetails(code.udi));
}

} // namespace

EquipmentLookup::EquipmentLookup(client::ApiClient *api, QObject *parent)
    : QObject(parent), m_api(api)
{
    qRegisterMetaType<md::ui::LookupResult>();
    qRegisterMetaType<md::domain::ScannedCode>();
}

EquipmentLookup::~EquipmentLookup() = default;

QString EquipmentLookup::notOursMessage(const ScannedCode &code)
{
    return tr("This code is not a MedDispatch label or a GS1 UDI: «%1»").arg(code.displayText());
}

void EquipmentLookup::cancel()
{
    ++m_generation;
    m_busy = false;
}

void EquipmentLookup::lookup(const QString &payload)
{
    const quint64 generation = ++m_generation;
    const ScannedCode code = ScannedCode::classify(payload);
    Q_EMIT started(code);
    if (code.kind == ScannedCode::Kind::Other || !m_api) {
        // Never sent: a URL, a long text, control characters stay on this computer.
        m_busy = false;
        LookupResult result;
        result.outcome = LookupResult::Outcome::NotOurs;
        result.code = code;
        result.message = notOursMessage(code);
        finish(result);
        return;
    }
    m_busy = true;
    ++m_requests;
    m_api->postData(u"/v1/equipment/identify"_s, payload.toUtf8(), "text/plain; charset=utf-8",
                    this, [this, generation, code](const client::ApiResult &result) {
                        answer(generation, code, result);
                    });
}

void EquipmentLookup::answer(quint64 generation, const ScannedCode &code,
                             const client::ApiResult &reply)
{
    if (generation != m_generation)
        return; // superseded by a newer scan
    LookupResult result;
    result.code = code;
    if (reply.ok()) {
        const QJsonObject wrapped = reply.json.value(u"equipment"_s).toObject();
        result.equipment = wrapped.isEmpty() ? reply.json : wrapped;
        if (result.equipment.value(u"id"_s).toString().isEmpty()) {
            result.outcome = LookupResult::Outcome::Failed;
            result.error.kind = client::ApiError::Kind::BadResponse;
            result.message = tr("The server's answer names no equipment.");
        } else {
            result.outcome = LookupResult::Outcome::Found;
        }
        finish(result);
        return;
    }
    const client::ApiError &error = reply.error;
    if (error.kind == client::ApiError::Kind::Http && error.status == 404) {
        result.outcome = LookupResult::Outcome::NotFound;
        result.message = notFoundMessage(code);
        finish(result);
        return;
    }
    if (error.kind == client::ApiError::Kind::Http && error.status == 409 &&
        error.code == u"ambiguous_code"_s) {
        result.outcome = LookupResult::Outcome::Ambiguous;
        for (const QJsonValue &id : error.details.value(u"equipment_ids"_s).toArray())
            if (!id.toString().isEmpty())
                result.candidateIds.append(id.toString());
        fetchCandidates(generation, result);
        return;
    }
    if (error.kind == client::ApiError::Kind::Http && error.status == 422 &&
        error.code == u"no_code_found"_s) {
        result.outcome = LookupResult::Outcome::NotOurs;
        result.message = notOursMessage(code);
        finish(result);
        return;
    }
    result.outcome = LookupResult::Outcome::Failed;
    result.error = error;
    result.message = tr("The equipment could not be looked up: %1").arg(error.userMessage());
    finish(result);
}

void EquipmentLookup::fetchCandidates(quint64 generation, LookupResult result)
{
    const QString serial = result.code.udi.serial;
    result.message =
        tr("%n equipment share the serial number %1. Choose the one you mean:", nullptr,
           int(result.candidateIds.size()))
            .arg(serial);
    const QStringList ids = result.candidateIds.mid(0, kMaxCandidates);
    if (ids.isEmpty() || !m_api) {
        finish(result);
        return;
    }
    // Fetched together; whichever fails is left out (the others are still worth a choice).
    auto pending = std::make_shared<LookupResult>(std::move(result));
    auto remaining = std::make_shared<int>(int(ids.size()));
    for (const QString &id : ids) {
        m_api->get(u"/v1/equipment/"_s + id, {}, this,
                   [this, generation, pending, remaining](const client::ApiResult &reply) {
                       if (generation != m_generation)
                           return;
                       if (reply.ok() && !reply.json.value(u"id"_s).toString().isEmpty())
                           pending->candidates.append(reply.json);
                       if (--*remaining > 0)
                           return;
                       std::sort(pending->candidates.begin(), pending->candidates.end(),
                                 [](const QJsonObject &a, const QJsonObject &b) {
                                     return a.value(u"name"_s).toString().localeAwareCompare(
                                                b.value(u"name"_s).toString()) < 0;
                                 });
                       finish(*pending);
                   });
    }
}

void EquipmentLookup::finish(const LookupResult &result)
{
    m_busy = false;
    Q_EMIT finished(result);
}

} // namespace md::ui
