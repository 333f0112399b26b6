#include "domain/engineer.h"
#include "domain/equipment.h"
#include "domain/organization.h"
#include "domain/ticket.h"
#include "domain/validation.h"

#include <QTest>

using namespace md::domain;
using namespace Qt::StringLiterals;

// Every row starts from a valid entity, changes one field, and names the field the
// error must be reported on (empty: still valid). The server returns these as the 422
// details, so the field names are wire names.
class TestValidation final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void email_data();
    void email();
    void phone_data();
    void phone();
    void uuid_data();
    void uuid();
    void organization_data();
    void organization();
    void equipment_data();
    void equipment();
    void engineer_data();
    void engineer();
    void ticket_data();
    void ticket();
    void categories();
};

namespace {

const QString kOrgId = u"6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"_s;
const QString kHospitalId = u"0b5e7c1d-2a3f-4b6c-9d8e-7f6a5b4c3d2e"_s;
const QString kMakerId = u"a1b2c3d4-e5f6-4789-abcd-ef0123456789"_s;
const QString kEquipmentId = u"c0ffee00-1234-4abc-8def-0123456789ab"_s;

QString withChar(char16_t c)
{
    return u"Klinikum "_s + QChar(c) + u" Nord"_s;
}

Organization validOrganization()
{
    Organization o;
    o.id = kOrgId;
    o.name = u"Charité – Universitätsmedizin Berlin"_s;
    o.type = OrganizationType::AuthorizedPartner;
    o.country = u"DE"_s;
    o.phone = u"+493045050"_s;
    o.email = u"medizintechnik@charite.de"_s;
    o.location = GeoPoint{52.5259, 13.3768};
    o.serviceScopes = {{kMakerId, u"mri"_s}};
    return o;
}

Equipment validEquipment()
{
    Equipment e;
    e.organizationId = kHospitalId;
    e.manufacturerId = kMakerId;
    e.name = u"MAGNETOM Vida"_s;
    e.model = u"3T"_s;
    e.serialNumber = u"SN-104233"_s;
    e.category = u"mri"_s;
    e.installDate = QDate(2022, 5, 1);
    e.warrantyEnd = QDate(2025, 5, 1);
    e.qrCode = u"MD-7K3M-9QXT-2HVB-CW4P"_s;
    return e;
}

Engineer validEngineer()
{
    Engineer e;
    e.organizationId = kOrgId;
    e.name = u"Aylin Demir"_s;
    e.level = EngineerLevel::L2;
    e.manufacturerIds = {kMakerId};
    e.categories = {u"mri"_s, u"ct"_s};
    e.certifications = {{u"MAGNETOM service"_s, kMakerId, u"mri"_s, QDate(2027, 1, 1)}};
    e.phone = u"+4915123456789"_s;
    e.email = u"a.demir@example.org"_s;
    return e;
}

Ticket validTicket()
{
    Ticket t;
    t.number = u"TKT-2026-000123"_s;
    t.equipmentId = kEquipmentId;
    t.organizationId = kHospitalId;
    t.reporterName = u"Station 4B"_s;
    t.title = u"Gradient coil error"_s;
    t.description = u"Gradient coil error E-4711 after the morning QA scan."_s;
    return t;
}

void addValidityColumns()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("errorField");
}

void checkErrors(const ValidationErrors &errors, const QString &errorField)
{
    if (errorField.isEmpty()) {
        QVERIFY2(errors.isEmpty(), qPrintable(errors.keys().join(u", ")));
        return;
    }
    QVERIFY2(errors.contains(errorField), qPrintable(u"got: "_s + errors.keys().join(u", ")));
    QVERIFY(!errors.value(errorField).isEmpty()); // a message a person can read
    QCOMPARE(errors.size(), 1);                   // and nothing else blamed
}

} // namespace

void TestValidation::email_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("valid");
    QTest::newRow("empty is allowed (optional)") << QString() << true;
    QTest::newRow("plain") << u"bme@klinikum.example.de"_s << true;
    QTest::newRow("plus tag") << u"anna+tickets@example.org"_s << true;
    QTest::newRow("no at") << u"anna.example.org"_s << false;
    QTest::newRow("two ats") << u"anna@b@example.org"_s << false;
    QTest::newRow("no domain dot") << u"anna@localhost"_s << false;
    QTest::newRow("no local part") << u"@example.org"_s << false;
    QTest::newRow("space inside") << u"anna maria@example.org"_s << false;
    QTest::newRow("trailing newline") << u"anna@example.org\n"_s << false;
    QTest::newRow("double dot") << u"anna..b@example.org"_s << false;
    QTest::newRow("domain starts with dash") << u"anna@-example.org"_s << false;
    QTest::newRow("header injection") << u"a@example.org\r\nBcc: x@evil.test"_s << false;
    QTest::newRow("local part over 64") << QString(u"a"_s.repeated(65) + u"@x.org"_s) << false;
    QTest::newRow("over 254 in all")
        << QString(u"anna@"_s + u"abcdefghij."_s.repeated(23) + u"org"_s) << false;
}

void TestValidation::email()
{
    QFETCH(QString, value);
    QFETCH(bool, valid);
    ValidationErrors errors;
    validate::optionalEmail(errors, u"email"_s, value);
    QCOMPARE(errors.isEmpty(), valid);
}

void TestValidation::phone_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("valid");
    QTest::newRow("empty is allowed (optional)") << QString() << true;
    QTest::newRow("Germany") << u"+4930450500"_s << true;
    QTest::newRow("8 digits, the shortest") << u"+12345678"_s << true;
    QTest::newRow("15 digits, the longest") << u"+123456789012345"_s << true;
    QTest::newRow("7 digits") << u"+1234567"_s << false;
    QTest::newRow("16 digits") << u"+1234567890123456"_s << false;
    QTest::newRow("no plus") << u"4930450500"_s << false;
    QTest::newRow("national format") << u"030450500"_s << false;
    QTest::newRow("leading zero country code") << u"+04930450500"_s << false;
    QTest::newRow("spaces") << u"+49 30 450500"_s << false;
    QTest::newRow("dashes") << u"+49-30-450500"_s << false;
    QTest::newRow("trailing newline") << u"+4930450500\n"_s << false;
    QTest::newRow("Arabic-Indic digits") << u"+٤٩٣٠٤٥٠٥٠٠"_s << false;
    QTest::newRow("whatsapp prefix") << u"whatsapp:+4930450500"_s << false;
}

void TestValidation::phone()
{
    QFETCH(QString, value);
    QFETCH(bool, valid);
    ValidationErrors errors;
    validate::optionalPhone(errors, u"phone"_s, value);
    QCOMPARE(errors.isEmpty(), valid);
}

void TestValidation::uuid_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("valid");
    QTest::newRow("lower case") << kOrgId << true;
    QTest::newRow("upper case") << kOrgId.toUpper() << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("braces") << QString(u'{' + kOrgId + u'}') << false;
    QTest::newRow("no dashes") << QString(kOrgId).remove(u'-') << false;
    QTest::newRow("non-hex") << u"6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4g"_s << false;
    QTest::newRow("integer id") << u"42"_s << false;
    QTest::newRow("SQL") << u"' OR 1=1 --"_s << false;
    QTest::newRow("trailing newline") << QString(kOrgId + u'\n') << false;
}

void TestValidation::uuid()
{
    QFETCH(QString, value);
    QFETCH(bool, valid);
    QCOMPARE(validate::isUuid(value), valid);
    ValidationErrors errors;
    validate::requiredUuid(errors, u"id"_s, value);
    QCOMPARE(errors.isEmpty(), valid);
}

void TestValidation::organization_data()
{
    addValidityColumns();
    QTest::newRow("valid as is") << QString() << QString() << QString();
    QTest::newRow("missing name") << u"name"_s << QString() << u"name"_s;
    QTest::newRow("blank name") << u"name"_s << u"  \t "_s << u"name"_s;
    QTest::newRow("name of 200 characters") << u"name"_s << u"x"_s.repeated(200) << QString();
    QTest::newRow("name of 201 characters") << u"name"_s << u"x"_s.repeated(201) << u"name"_s;
    QTest::newRow("unicode name kept")
        << u"name"_s << u"Klinikum Großhadern 🏥 (מרכז)"_s << QString();
    QTest::newRow("SQL in name is just text")
        << u"name"_s << u"x'); DROP TABLE t;--"_s << QString();
    QTest::newRow("NUL in name") << u"name"_s << withChar(0) << u"name"_s;
    QTest::newRow("bell in name") << u"name"_s << withChar(7) << u"name"_s;
    QTest::newRow("lone surrogate in name") << u"name"_s << withChar(0xd800) << u"name"_s;
    QTest::newRow("bad email") << u"email"_s << u"charite.de"_s << u"email"_s;
    QTest::newRow("bad E.164 phone") << u"phone"_s << u"030 45050"_s << u"phone"_s;
    QTest::newRow("bad uuid") << u"id"_s << u"org-1"_s << u"id"_s;
    QTest::newRow("lower-case country") << u"country"_s << u"de"_s << u"country"_s;
    QTest::newRow("digit in country") << u"country"_s << u"1E"_s << u"country"_s;
    QTest::newRow("alpha-3 country") << u"country"_s << u"DEU"_s << u"country"_s;
    QTest::newRow("latitude out of range") << u"latitude"_s << u"91"_s << u"location"_s;
    QTest::newRow("unknown scope category")
        << u"scope_category"_s << u"tricorder"_s << u"service_scopes"_s;
    QTest::newRow("scope manufacturer not a uuid")
        << u"scope_manufacturer"_s << u"Siemens"_s << u"service_scopes"_s;
    QTest::newRow("hospital with service scopes")
        << u"type"_s << u"hospital"_s << u"service_scopes"_s;
    QTest::newRow("service provider with scopes")
        << u"type"_s << u"service_provider"_s << QString();
}

void TestValidation::organization()
{
    QFETCH(QString, field);
    QFETCH(QString, value);
    QFETCH(QString, errorField);
    Organization o = validOrganization();
    if (field == u"name")
        o.name = value;
    else if (field == u"email")
        o.email = value;
    else if (field == u"phone")
        o.phone = value;
    else if (field == u"id")
        o.id = value;
    else if (field == u"country")
        o.country = value;
    else if (field == u"latitude")
        o.location->latitude = value.toDouble();
    else if (field == u"scope_category")
        o.serviceScopes.first().category = value;
    else if (field == u"scope_manufacturer")
        o.serviceScopes.first().manufacturerId = value;
    else if (field == u"type")
        o.type = *parseOrganizationType(value);
    else
        QVERIFY(field.isEmpty());
    checkErrors(o.validate(), errorField);
}

void TestValidation::equipment_data()
{
    addValidityColumns();
    QTest::newRow("valid as is") << QString() << QString() << QString();
    QTest::newRow("missing name") << u"name"_s << QString() << u"name"_s;
    QTest::newRow("missing serial number") << u"serial_number"_s << QString() << u"serial_number"_s;
    QTest::newRow("missing category") << u"category"_s << QString() << u"category"_s;
    QTest::newRow("unknown category") << u"category"_s << u"tricorder"_s << u"category"_s;
    QTest::newRow("category in upper case") << u"category"_s << u"MRI"_s << u"category"_s;
    QTest::newRow("missing hospital") << u"organization_id"_s << QString() << u"organization_id"_s;
    QTest::newRow("bad hospital uuid") << u"organization_id"_s << u"1"_s << u"organization_id"_s;
    QTest::newRow("bad manufacturer uuid")
        << u"manufacturer_id"_s << u"Siemens"_s << u"manufacturer_id"_s;
    QTest::newRow("warranty ends before install")
        << u"warranty_end"_s << u"2021-01-01"_s << u"warranty_end"_s;
    QTest::newRow("qr code that is a database id") << u"qr_code"_s << kEquipmentId << u"qr_code"_s;
    QTest::newRow("qr code lower case")
        << u"qr_code"_s << u"md-7k3m-9qxt-2hvb-cw4p"_s << u"qr_code"_s;
    QTest::newRow("no qr code yet") << u"qr_code"_s << QString() << QString();
    QTest::newRow("valid GTIN") << u"gtin"_s << u"00012345600012"_s << QString();
    QTest::newRow("GTIN bad check digit") << u"gtin"_s << u"00012345600013"_s << u"gtin"_s;
    QTest::newRow("GTIN of 13 digits") << u"gtin"_s << u"0012345600012"_s << u"gtin"_s;
    QTest::newRow("control char in room") << u"room"_s << withChar(0x1b) << u"room"_s;
}

void TestValidation::equipment()
{
    QFETCH(QString, field);
    QFETCH(QString, value);
    QFETCH(QString, errorField);
    Equipment e = validEquipment();
    if (field == u"name")
        e.name = value;
    else if (field == u"serial_number")
        e.serialNumber = value;
    else if (field == u"category")
        e.category = value;
    else if (field == u"organization_id")
        e.organizationId = value;
    else if (field == u"manufacturer_id")
        e.manufacturerId = value;
    else if (field == u"warranty_end")
        e.warrantyEnd = QDate::fromString(value, Qt::ISODate);
    else if (field == u"qr_code")
        e.qrCode = value;
    else if (field == u"gtin")
        e.gtin = value;
    else if (field == u"room")
        e.room = value;
    else
        QVERIFY(field.isEmpty());
    checkErrors(e.validate(), errorField);
}

void TestValidation::engineer_data()
{
    addValidityColumns();
    QTest::newRow("valid as is") << QString() << QString() << QString();
    QTest::newRow("missing name") << u"name"_s << QString() << u"name"_s;
    QTest::newRow("bad email") << u"email"_s << u"aylin@"_s << u"email"_s;
    QTest::newRow("bad E.164 phone") << u"phone"_s << u"0151 23456789"_s << u"phone"_s;
    QTest::newRow("missing organization")
        << u"organization_id"_s << QString() << u"organization_id"_s;
    QTest::newRow("bad user uuid") << u"user_id"_s << u"aylin"_s << u"user_id"_s;
    QTest::newRow("unknown category") << u"category"_s << u"warp_core"_s << u"categories"_s;
    QTest::newRow("manufacturer not a uuid")
        << u"manufacturer"_s << u"GE"_s << u"manufacturer_ids"_s;
    QTest::newRow("certification without name")
        << u"certification_name"_s << QString() << u"certifications"_s;
    QTest::newRow("certification unknown category")
        << u"certification_category"_s << u"toaster"_s << u"certifications"_s;
    QTest::newRow("longitude out of range") << u"longitude"_s << u"200"_s << u"location"_s;
}

void TestValidation::engineer()
{
    QFETCH(QString, field);
    QFETCH(QString, value);
    QFETCH(QString, errorField);
    Engineer e = validEngineer();
    if (field == u"name")
        e.name = value;
    else if (field == u"email")
        e.email = value;
    else if (field == u"phone")
        e.phone = value;
    else if (field == u"organization_id")
        e.organizationId = value;
    else if (field == u"user_id")
        e.userId = value;
    else if (field == u"category")
        e.categories.append(value);
    else if (field == u"manufacturer")
        e.manufacturerIds.append(value);
    else if (field == u"certification_name")
        e.certifications.first().name = value;
    else if (field == u"certification_category")
        e.certifications.first().category = value;
    else if (field == u"longitude")
        e.location = GeoPoint{10.0, value.toDouble()};
    else
        QVERIFY(field.isEmpty());
    checkErrors(e.validate(), errorField);
}

void TestValidation::ticket_data()
{
    addValidityColumns();
    QTest::newRow("valid as is") << QString() << QString() << QString();
    QTest::newRow("missing description is fine") << u"description"_s << QString() << QString();
    QTest::newRow("missing title") << u"title"_s << QString() << u"title"_s;
    QTest::newRow("blank title") << u"title"_s << u"   "_s << u"title"_s;
    QTest::newRow("title of 201 characters") << u"title"_s << u"t"_s.repeated(201) << u"title"_s;
    QTest::newRow("description of 10000 characters")
        << u"description"_s << u"y"_s.repeated(10000) << QString();
    QTest::newRow("description of 10001 characters")
        << u"description"_s << u"y"_s.repeated(10001) << u"description"_s;
    QTest::newRow("multi-line description")
        << u"description"_s << u"line 1\r\n\tline 2"_s << QString();
    QTest::newRow("NUL in description") << u"description"_s << withChar(0) << u"description"_s;
    QTest::newRow("missing equipment") << u"equipment_id"_s << QString() << u"equipment_id"_s;
    QTest::newRow("bad equipment uuid")
        << u"equipment_id"_s << u"../../etc/passwd"_s << u"equipment_id"_s;
    QTest::newRow("bad number") << u"number"_s << u"TKT-26-123"_s << u"number"_s;
    QTest::newRow("number with 3 digits") << u"number"_s << u"TKT-2026-123"_s << u"number"_s;
    QTest::newRow("no number yet") << u"number"_s << QString() << QString();
    QTest::newRow("bad reporter uuid") << u"reporter_user_id"_s << u"me"_s << u"reporter_user_id"_s;
}

void TestValidation::ticket()
{
    QFETCH(QString, field);
    QFETCH(QString, value);
    QFETCH(QString, errorField);
    Ticket t = validTicket();
    if (field == u"description")
        t.description = value;
    else if (field == u"title")
        t.title = value;
    else if (field == u"equipment_id")
        t.equipmentId = value;
    else if (field == u"number")
        t.number = value;
    else if (field == u"reporter_user_id")
        t.reporterUserId = value;
    else
        QVERIFY(field.isEmpty());
    checkErrors(t.validate(), errorField);
}

void TestValidation::categories()
{
    // Every category we offer passes equipment validation.
    Equipment e = validEquipment();
    for (const QString &c : knownCategories()) {
        e.category = c;
        QVERIFY2(e.validate().isEmpty(), qPrintable(c));
    }
    // The categories DESIGN.md and the demo data name must all be accepted.
    for (const auto c : {u"mri", u"ct", u"xray", u"ultrasound", u"ventilator", u"patient_monitor",
                         u"infusion_pump", u"defibrillator", u"dialysis"}) {
        QVERIFY2(isKnownCategory(QString::fromUtf16(c)), qPrintable(QString::fromUtf16(c)));
    }
    QVERIFY(!isKnownCategory(QString()));
    QVERIFY(!isKnownCategory(u"Ultrasound"_s));
}

QTEST_GUILESS_MAIN(TestValidation)
#include "tst_validation.moc"
