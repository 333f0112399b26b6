#include "domain/enums.h"

#include <QTest>

using namespace md::domain;
using namespace Qt::StringLiterals;

// The wire names are part of API.md: clients and stored rows depend on them.
class TestEnums final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void wireNames_data();
    void wireNames();
    void unknownNamesAreRefused_data();
    void unknownNamesAreRefused();
    void assignmentTier_data();
    void assignmentTier();
    void requiredLevelPerPriority_data();
    void requiredLevelPerPriority();
    void openStatuses_data();
    void openStatuses();
};

namespace {
// Round trip through the public functions of one enum: returns the wire name produced for
// the value parsed from `name`, or "<unknown>".
QString roundTrip(const QString &kind, const QString &name)
{
    auto via = [](auto parsed) { return parsed ? toString(*parsed) : u"<unknown>"_s; };
    if (kind == u"organization_type")
        return via(parseOrganizationType(name));
    if (kind == u"level")
        return via(parseEngineerLevel(name));
    if (kind == u"priority")
        return via(parsePriority(name));
    if (kind == u"ticket_status")
        return via(parseTicketStatus(name));
    if (kind == u"assignment_status")
        return via(parseAssignmentStatus(name));
    if (kind == u"channel")
        return via(parseTicketChannel(name));
    if (kind == u"equipment_status")
        return via(parseEquipmentStatus(name));
    if (kind == u"criticality")
        return via(parseCriticality(name));
    return u"<no such kind>"_s;
}
} // namespace

void TestEnums::wireNames_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("name");
    const QList<std::pair<QString, QStringList>> all{
        {u"organization_type"_s,
         {u"hospital"_s, u"manufacturer"_s, u"authorized_partner"_s, u"service_provider"_s}},
        {u"level"_s, {u"L1"_s, u"L2"_s, u"L3"_s}},
        {u"priority"_s, {u"critical"_s, u"high"_s, u"normal"_s, u"low"_s}},
        {u"ticket_status"_s,
         {u"new"_s, u"assigned"_s, u"in_progress"_s, u"on_hold"_s, u"resolved"_s, u"closed"_s,
          u"cancelled"_s}},
        {u"assignment_status"_s, {u"active"_s, u"completed"_s, u"reassigned"_s, u"cancelled"_s}},
        {u"channel"_s, {u"desk"_s, u"qr_scan"_s, u"whatsapp"_s, u"api"_s}},
        {u"equipment_status"_s,
         {u"operational"_s, u"degraded"_s, u"down"_s, u"maintenance"_s, u"retired"_s}},
        {u"criticality"_s, {u"low"_s, u"medium"_s, u"high"_s, u"life_support"_s}},
    };
    for (const auto &[kind, names] : all) {
        for (const QString &name : names)
            QTest::addRow("%s %s", qPrintable(kind), qPrintable(name)) << kind << name;
    }
}

void TestEnums::wireNames()
{
    QFETCH(QString, kind);
    QFETCH(QString, name);
    QCOMPARE(roundTrip(kind, name), name);
}

void TestEnums::unknownNamesAreRefused_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("name");
    QTest::newRow("empty priority") << u"priority"_s << QString();
    QTest::newRow("capitalised priority") << u"priority"_s << u"Critical"_s;
    QTest::newRow("padded priority") << u"priority"_s << u" high"_s;
    QTest::newRow("lower-case level") << u"level"_s << u"l3"_s;
    QTest::newRow("level 4") << u"level"_s << u"L4"_s;
    QTest::newRow("camelCase status") << u"ticket_status"_s << u"inProgress"_s;
    QTest::newRow("dashed status") << u"ticket_status"_s << u"in-progress"_s;
    QTest::newRow("open is not a status") << u"ticket_status"_s << u"open"_s;
    QTest::newRow("oem is not an organization type") << u"organization_type"_s << u"oem"_s;
    QTest::newRow("sms is not a channel") << u"channel"_s << u"sms"_s;
    QTest::newRow("broken is not a status") << u"equipment_status"_s << u"broken"_s;
    QTest::newRow("critical is not a criticality") << u"criticality"_s << u"critical"_s;
    QTest::newRow("NUL appended") << u"assignment_status"_s << QString(u"active"_s + QChar(0));
}

void TestEnums::unknownNamesAreRefused()
{
    QFETCH(QString, kind);
    QFETCH(QString, name);
    QCOMPARE(roundTrip(kind, name), u"<unknown>"_s);
}

void TestEnums::assignmentTier_data()
{
    QTest::addColumn<int>("wire");
    QTest::addColumn<bool>("valid");
    QTest::newRow("0") << 0 << false;
    for (int t = 1; t <= 4; ++t)
        QTest::addRow("%d", t) << t << true;
    QTest::newRow("5") << 5 << false;
    QTest::newRow("-1") << -1 << false;
}

void TestEnums::assignmentTier()
{
    QFETCH(int, wire);
    QFETCH(bool, valid);
    const auto tier = parseAssignmentTier(wire);
    QCOMPARE(tier.has_value(), valid);
    if (valid)
        QCOMPARE(static_cast<int>(*tier), wire);
}

void TestEnums::requiredLevelPerPriority_data()
{
    QTest::addColumn<QString>("priority");
    QTest::addColumn<QString>("level");
    QTest::newRow("critical") << u"critical"_s << u"L3"_s;
    QTest::newRow("high") << u"high"_s << u"L2"_s;
    QTest::newRow("normal") << u"normal"_s << u"L1"_s;
    QTest::newRow("low") << u"low"_s << u"L1"_s;
}

void TestEnums::requiredLevelPerPriority()
{
    QFETCH(QString, priority);
    QFETCH(QString, level);
    const auto p = parsePriority(priority);
    QVERIFY(p);
    QCOMPARE(toString(requiredLevel(*p)), level);
}

void TestEnums::openStatuses_data()
{
    QTest::addColumn<QString>("status");
    QTest::addColumn<bool>("open");
    QTest::newRow("new") << u"new"_s << true;
    QTest::newRow("assigned") << u"assigned"_s << true;
    QTest::newRow("in_progress") << u"in_progress"_s << true;
    QTest::newRow("on_hold") << u"on_hold"_s << true;
    QTest::newRow("resolved") << u"resolved"_s << false;
    QTest::newRow("closed") << u"closed"_s << false;
    QTest::newRow("cancelled") << u"cancelled"_s << false;
}

void TestEnums::openStatuses()
{
    QFETCH(QString, status);
    QFETCH(bool, open);
    const auto s = parseTicketStatus(status);
    QVERIFY(s);
    QCOMPARE(isOpen(*s), open);
}

QTEST_GUILESS_MAIN(TestEnums)
#include "tst_enums.moc"
