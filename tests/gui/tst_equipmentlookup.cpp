// EquipmentLookup against a real server with the demo data: a scanned payload is
// classified on the desktop, then identified by POST /v1/equipment/identify. Our labels
// and GS1 UDIs name the equipment; an unknown label and another hospital's label read
// exactly alike; a UDI whose serial names nothing offers a new equipment; hostile
// payloads (URLs, very long text, control characters) get a message and never leave
// this computer.

#include "domain/gs1udi.h"
#include "domain/qrpayload.h"
#include "guitestsupport.h"
#include "scan/equipmentlookup.h"

#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

using namespace Qt::StringLiterals;
using md::domain::ScannedCode;
using md::test::GuiFixture;
using md::ui::EquipmentLookup;
using md::ui::LookupResult;

namespace {

constexpr int TimeoutMs = 15000;

// A GTIN-14 with its GS1 mod-10 check digit.
QString gtinFrom(const QString &thirteenDigits)
{
    int sum = 0;
    for (qsizetype i = 0; i < thirteenDigits.size(); ++i) {
        const int digit = thirteenDigits.at(thirteenDigits.size() - 1 - i).digitValue();
        sum += digit * (i % 2 == 0 ? 3 : 1);
    }
    return thirteenDigits + QString::number((10 - sum % 10) % 10);
}

QString udi(const QString &gtin, const QString &serial, const QString &lot = {})
{
    QString text = u"(01)"_s + gtin;
    if (!lot.isEmpty())
        text += u"(10)"_s + lot;
    return text + u"(21)"_s + serial;
}

} // namespace

class TestEquipmentLookup final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<GuiFixture> m_fixture;
    QJsonObject m_equipment; // a demo equipment with a serial number no other one has
    QString m_otherHospital; // a hospital that does not own m_equipment
    QString m_gtin = gtinFrom(u"0401234567890"_s);

    md::test::HttpClient &http() { return m_fixture->server().client(); }

    LookupResult run(EquipmentLookup &lookup, const QString &payload)
    {
        QSignalSpy finished(&lookup, &EquipmentLookup::finished);
        lookup.lookup(payload);
        if (finished.isEmpty() && !finished.wait(TimeoutMs))
            return {};
        return finished.first().first().value<LookupResult>();
    }

    QList<QJsonObject> equipmentWithSerial(const QString &serial)
    {
        QUrlQuery query;
        query.addQueryItem(u"q"_s, serial);
        query.addQueryItem(u"limit"_s, u"100"_s);
        QList<QJsonObject> same;
        for (const QJsonValue &e :
             http()
                 .get(u"/v1/equipment?"_s + query.toString(QUrl::FullyEncoded))
                 .json.value(u"data"_s)
                 .toArray())
            if (e.toObject().value(u"serial_number"_s).toString() == serial)
                same.append(e.toObject());
        return same;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_fixture = std::make_unique<GuiFixture>();
        QVERIFY2(m_fixture->isRunning(), qPrintable(m_fixture->error()));
        QVERIFY(m_fixture->signInDemo(u"admin@meddispatch.example"_s));
        const QJsonArray equipment =
            http().get(u"/v1/equipment?limit=40"_s).json.value(u"data"_s).toArray();
        QVERIFY(!equipment.isEmpty());
        for (const QJsonValue &e : equipment) {
            const QString serial = e.toObject().value(u"serial_number"_s).toString();
            if (!serial.isEmpty() && equipmentWithSerial(serial).size() == 1) {
                m_equipment = e.toObject();
                break;
            }
        }
        QVERIFY2(!m_equipment.isEmpty(), "no demo equipment with a unique serial number");
        QVERIFY(!m_equipment.value(u"qr_code"_s).toString().isEmpty());
        const QJsonArray hospitals = http()
                                         .get(u"/v1/organizations?type=hospital&limit=5"_s)
                                         .json.value(u"data"_s)
                                         .toArray();
        for (const QJsonValue &h : hospitals) {
            const QString id = h.toObject().value(u"id"_s).toString();
            if (id != m_equipment.value(u"organization_id"_s).toString()) {
                m_otherHospital = id;
                break;
            }
        }
        QVERIFY(!m_otherHospital.isEmpty());
    }

    void cleanupTestCase() { m_fixture.reset(); }

    void labelFindsItsEquipment_data()
    {
        QTest::addColumn<QString>("form");
        QTest::newRow("as printed") << u"code"_s;
        QTest::newRow("lower case, spaces around") << u"lower"_s;
        QTest::newRow("a link to the code") << u"link"_s;
    }

    void labelFindsItsEquipment()
    {
        QFETCH(QString, form);
        const QString code = m_equipment.value(u"qr_code"_s).toString();
        QString payload = code;
        if (form == u"lower"_s)
            payload = u"  "_s + code.toLower() + u" "_s;
        else if (form == u"link"_s)
            payload = u"https://meddispatch.example/e/"_s + code;
        EquipmentLookup lookup(&m_fixture->api());
        const LookupResult result = run(lookup, payload);
        QCOMPARE(result.code.kind, ScannedCode::Kind::Label);
        QVERIFY2(result.outcome == LookupResult::Outcome::Found, qPrintable(result.message));
        QCOMPARE(result.equipment.value(u"id"_s), m_equipment.value(u"id"_s));
        QCOMPARE(result.equipment.value(u"name"_s), m_equipment.value(u"name"_s));
        QCOMPARE(lookup.requestsSent(), 1);
    }

    void unknownAndForeignLabelsReadAlike()
    {
        // A well-formed code that was never issued ...
        QString neverIssued;
        do {
            neverIssued = md::domain::QrPayload::generateCode();
        } while (neverIssued == m_equipment.value(u"qr_code"_s).toString());
        EquipmentLookup asAdmin(&m_fixture->api());
        const LookupResult unknown = run(asAdmin, neverIssued);
        QCOMPARE(unknown.outcome, LookupResult::Outcome::NotFound);
        QCOMPARE(unknown.message, u"No equipment in your organization has this label."_s);
        QVERIFY(!unknown.offersNewEquipment());

        // ... and a real label of another hospital's equipment, seen by that hospital's
        // staff, give the same words: nothing tells that the second one exists.
        QVERIFY(m_fixture->signIn(md::domain::Role::Customer, m_otherHospital));
        EquipmentLookup asCustomer(&m_fixture->api());
        const LookupResult foreign = run(asCustomer, m_equipment.value(u"qr_code"_s).toString());
        QCOMPARE(foreign.outcome, LookupResult::Outcome::NotFound);
        QCOMPARE(foreign.message, unknown.message);
        QCOMPARE(foreign.equipment, QJsonObject());

        // The customer's own hospital's labels are found: the refusal above is the tenancy
        // rule, not a broken session.
        const QJsonArray own =
            http()
                .get(u"/v1/equipment?limit=1&organization_id="_s + m_otherHospital)
                .json.value(u"data"_s)
                .toArray();
        QVERIFY(!own.isEmpty());
        const LookupResult mine =
            run(asCustomer, own.first().toObject().value(u"qr_code"_s).toString());
        QVERIFY2(mine.outcome == LookupResult::Outcome::Found, qPrintable(mine.message));
        QCOMPARE(mine.equipment.value(u"id"_s), own.first().toObject().value(u"id"_s));

        QVERIFY(m_fixture->signInDemo(u"admin@meddispatch.example"_s));
    }

    void udiFindsEquipmentBySerial()
    {
        const QString serial = m_equipment.value(u"serial_number"_s).toString();
        EquipmentLookup lookup(&m_fixture->api());
        const LookupResult result = run(lookup, udi(m_gtin, serial, u"LOT42"_s));
        QCOMPARE(result.code.kind, ScannedCode::Kind::Udi);
        QVERIFY2(result.outcome == LookupResult::Outcome::Found, qPrintable(result.message));
        QCOMPARE(result.equipment.value(u"id"_s), m_equipment.value(u"id"_s));
    }

    void udiAsAScannerSendsIt()
    {
        // Raw element string with the symbology identifier and FNC1 as GS.
        const QString serial = m_equipment.value(u"serial_number"_s).toString();
        const QString raw = u"]d201"_s + m_gtin + u"21"_s + serial + QChar(0x1d) + u"10LOT42"_s;
        EquipmentLookup lookup(&m_fixture->api());
        const LookupResult result = run(lookup, raw);
        QCOMPARE(result.code.kind, ScannedCode::Kind::Udi);
        QCOMPARE(result.code.udi.lot, u"LOT42"_s);
        QVERIFY2(result.outcome == LookupResult::Outcome::Found, qPrintable(result.message));
        QCOMPARE(result.equipment.value(u"id"_s), m_equipment.value(u"id"_s));
    }

    void unknownSerialOffersANewEquipment()
    {
        EquipmentLookup lookup(&m_fixture->api());
        const QString payload = u"(01)"_s + m_gtin + u"(17)271231(10)LOT9(21)NO-SUCH-SERIAL-77"_s;
        const LookupResult result = run(lookup, payload);
        QCOMPARE(result.outcome, LookupResult::Outcome::NotFound);
        QCOMPARE(result.code.kind, ScannedCode::Kind::Udi);
        QCOMPARE(result.code.udi.serial, u"NO-SUCH-SERIAL-77"_s);
        QCOMPARE(result.code.udi.gtin, m_gtin);
        QVERIFY(result.offersNewEquipment());
        QVERIFY2(result.message.startsWith(u"No equipment with serial number NO-SUCH-SERIAL-77."_s),
                 qPrintable(result.message));
        QVERIFY2(result.message.contains(u"LOT9"_s), qPrintable(result.message)); // lot mentioned
        QVERIFY2(result.message.contains(m_gtin), qPrintable(result.message));
    }

    void sharedSerialListsTheCandidates()
    {
        // Two hospitals' equipment with one serial number: the admin sees both.
        const QString serial = u"SCAN-TWIN-4711"_s;
        QStringList ids;
        for (int i = 0; i < 2; ++i) {
            QJsonObject body{
                {u"name"_s, u"Twin monitor %1"_s.arg(i + 1)},
                {u"organization_id"_s,
                 i == 0 ? m_equipment.value(u"organization_id"_s).toString() : m_otherHospital},
                {u"manufacturer_id"_s, m_equipment.value(u"manufacturer_id"_s)},
                {u"serial_number"_s, serial},
                {u"category"_s, m_equipment.value(u"category"_s)}};
            const auto reply = http().post(u"/v1/equipment"_s, body);
            QVERIFY2(reply.status == 201 || reply.status == 200, reply.body.constData());
            ids.append(reply.json.value(u"id"_s).toString());
        }
        EquipmentLookup lookup(&m_fixture->api());
        const LookupResult result = run(lookup, udi(m_gtin, serial));
        QVERIFY2(result.outcome == LookupResult::Outcome::Ambiguous, qPrintable(result.message));
        QCOMPARE(QSet<QString>(result.candidateIds.cbegin(), result.candidateIds.cend()),
                 QSet<QString>(ids.cbegin(), ids.cend()));
        QCOMPARE(result.candidates.size(), 2);
        QCOMPARE(result.candidates.at(0).value(u"name"_s).toString(), u"Twin monitor 1"_s);
        QCOMPARE(result.candidates.at(1).value(u"name"_s).toString(), u"Twin monitor 2"_s);
        QVERIFY2(result.message.contains(serial), qPrintable(result.message));
        QVERIFY(!result.offersNewEquipment());
    }

    void hostilePayloadsNeverLeave_data()
    {
        QTest::addColumn<QString>("payload");
        QTest::newRow("web link") << u"https://evil.example/login?next=/e/MD-7K3M-9QXT-2HVB-CW4P"_s;
        QTest::newRow("javascript") << u"javascript:alert(document.cookie)"_s;
        QTest::newRow("file url") << u"file:///etc/passwd"_s;
        QTest::newRow("4,000 characters") << QString(4000, u'A');
        QTest::newRow("control characters")
            << (u"MD-"_s + QChar(0x01) + QChar(0x1b) + u"[31mRED"_s + QChar(0x7f) + QChar(0x07));
        QTest::newRow("bidi override") << (u"MD-7K3M"_s + QChar(0x202e) + u"PWC4-BVH2"_s);
        QTest::newRow("html") << u"<a href=\"https://evil.example\">click</a>"_s;
        QTest::newRow("wrong GTIN check digit") << u"(01)04012345678900(21)SN1"_s;
    }

    void hostilePayloadsNeverLeave()
    {
        QFETCH(QString, payload);
        EquipmentLookup lookup(&m_fixture->api());
        QSignalSpy requests(m_fixture->api().network(), &QNetworkAccessManager::finished);
        const LookupResult result = run(lookup, payload);
        QCOMPARE(result.outcome, LookupResult::Outcome::NotOurs);
        QCOMPARE(result.code.kind, ScannedCode::Kind::Other);
        QVERIFY2(
            result.message.startsWith(u"This code is not a MedDispatch label or a GS1 UDI: «"_s),
            qPrintable(result.message));
        // Shown safely: short, no control or bidi characters.
        QVERIFY2(result.message.size() < 200, qPrintable(result.message));
        for (const QChar c : result.message)
            QVERIFY2(c.category() != QChar::Other_Control && c.category() != QChar::Other_Format,
                     qPrintable(result.message));
        QCOMPARE(lookup.requestsSent(), 0);
        QTest::qWait(50); // a request, had one been sent, would have had time to finish
        QCOMPARE(requests.size(), 0);
    }

    void newerLookupSupersedesTheOneInFlight()
    {
        EquipmentLookup lookup(&m_fixture->api());
        QSignalSpy finished(&lookup, &EquipmentLookup::finished);
        lookup.lookup(md::domain::QrPayload::generateCode()); // would be NotFound
        lookup.lookup(m_equipment.value(u"qr_code"_s).toString());
        QVERIFY(finished.wait(TimeoutMs));
        QTest::qWait(200);
        QCOMPARE(finished.size(), 1);
        const auto result = finished.first().first().value<LookupResult>();
        QCOMPARE(result.outcome, LookupResult::Outcome::Found);
        QCOMPARE(result.equipment.value(u"id"_s), m_equipment.value(u"id"_s));
    }

    void serverTroubleIsAFailure()
    {
        // The server gone: a message the user can act on, not "not found".
        md::client::ApiClient offline;
        offline.setBaseUrl(QUrl(u"http://127.0.0.1:9"_s));
        offline.setTimeout(3000);
        EquipmentLookup lookup(&offline);
        const LookupResult result = run(lookup, m_equipment.value(u"qr_code"_s).toString());
        QCOMPARE(result.outcome, LookupResult::Outcome::Failed);
        QVERIFY(result.error.isOffline());
        QVERIFY2(result.message.contains(result.error.userMessage()), qPrintable(result.message));
    }
};

QTEST_MAIN(TestEquipmentLookup)
#include "tst_equipmentlookup.moc"
