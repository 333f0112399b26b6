// The dashboard's building blocks without a server: an organization card shows its
// counts or "—" where the caller may not see them and says so to a screen reader, it
// is activated from the keyboard, durations read like people write them, and the flow
// layout wraps cards into rows and closes the gaps of hidden ones.

#include "dashboard/flowlayout.h"
#include "dashboard/kpitile.h"
#include "dashboard/organizationcard.h"

#include <QLabel>
#include <QLocale>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace md;

class TestGuiOrgCard final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void showsCounts();
    void absentCountsShowDash();
    void enterActivates();
    void humanDuration_data();
    void humanDuration();
    void kpiTileAccessibleName();
    void flowWrapsAndSkipsHidden();
};

namespace {

QJsonObject hospitalJson(bool withCounts)
{
    QJsonObject json{{u"id"_s, u"3f0c8a2e-0000-4000-8000-000000000001"_s},
                     {u"name"_s, u"St. Mary's General"_s},
                     {u"type"_s, u"hospital"_s},
                     {u"city"_s, u"Leeds"_s}};
    if (withCounts) {
        json.insert(u"equipment_count"_s, 1234);
        json.insert(u"engineers_count"_s, 12);
        json.insert(u"active_tickets_count"_s, 0);
    }
    return json;
}

QString labelText(const QWidget &card, const QString &objectName)
{
    const auto *label = card.findChild<QLabel *>(objectName);
    return label ? label->text() : QString();
}

} // namespace

void TestGuiOrgCard::showsCounts()
{
    const auto summary = ui::OrganizationSummary::fromJson(hospitalJson(true));
    QCOMPARE(summary.equipmentCount, std::optional<qint64>(1234));
    QCOMPARE(summary.activeTicketsCount, std::optional<qint64>(0));
    ui::OrganizationCard card(summary);
    QCOMPARE(card.objectName(), u"orgCard_3f0c8a2e-0000-4000-8000-000000000001"_s);
    QCOMPARE(labelText(card, u"orgName"_s), u"St. Mary's General"_s);
    QCOMPARE(labelText(card, u"orgType"_s), u"Hospital · Leeds"_s);
    QCOMPARE(labelText(card, u"equipmentCount"_s), QLocale().toString(1234));
    QCOMPARE(labelText(card, u"engineersCount"_s), u"12"_s);
    QCOMPARE(labelText(card, u"activeTicketsCount"_s), u"0"_s);
    QCOMPARE(card.accessibleName(),
             u"St. Mary's General, Hospital: %1 equipment, 12 engineers, 0 active tickets"_s.arg(
                 QLocale().toString(1234)));
    QCOMPARE(card.focusPolicy(), Qt::StrongFocus);

    // New figures replace the old ones in place.
    auto changed = summary;
    changed.activeTicketsCount = 3;
    card.setSummary(changed);
    QCOMPARE(labelText(card, u"activeTicketsCount"_s), u"3"_s);
    QVERIFY(card.accessibleName().endsWith(u"3 active tickets"_s));
}

void TestGuiOrgCard::absentCountsShowDash()
{
    const auto summary = ui::OrganizationSummary::fromJson(hospitalJson(false));
    QVERIFY(!summary.hasCounts());
    ui::OrganizationCard card(summary);
    QCOMPARE(labelText(card, u"equipmentCount"_s), u"—"_s);
    QCOMPARE(labelText(card, u"engineersCount"_s), u"—"_s);
    QCOMPARE(labelText(card, u"activeTicketsCount"_s), u"—"_s);
    QVERIFY(card.accessibleName().contains(u"counts not shown"_s));
    QVERIFY(!card.toolTip().isEmpty());
}

void TestGuiOrgCard::enterActivates()
{
    ui::OrganizationCard card(ui::OrganizationSummary::fromJson(hospitalJson(true)));
    QSignalSpy activated(&card, &ui::OrganizationCard::activated);
    QTest::keyClick(&card, Qt::Key_Return);
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.first().first().toString(), card.organizationId());
    QTest::mouseDClick(&card, Qt::LeftButton);
    QCOMPARE(activated.size(), 2);
    QTest::keyClick(&card, Qt::Key_A);
    QCOMPARE(activated.size(), 2);
}

void TestGuiOrgCard::humanDuration_data()
{
    QTest::addColumn<double>("minutes");
    QTest::addColumn<QString>("text");
    QTest::newRow("none") << 0.0 << u"—"_s;
    QTest::newRow("seconds") << 0.4 << u"< 1 min"_s;
    QTest::newRow("minutes") << 45.2 << u"45 min"_s;
    QTest::newRow("hour") << 60.0 << u"1 h"_s;
    QTest::newRow("hour and minutes") << 85.0 << u"1 h 25 min"_s;
    QTest::newRow("rounds") << 84.6 << u"1 h 25 min"_s;
    QTest::newRow("days") << 3060.0 << u"2 d 3 h"_s;
    QTest::newRow("whole days") << 2880.0 << u"2 d"_s;
}

void TestGuiOrgCard::humanDuration()
{
    QFETCH(double, minutes);
    QFETCH(QString, text);
    QCOMPARE(ui::humanDuration(minutes), text);
}

void TestGuiOrgCard::kpiTileAccessibleName()
{
    ui::KpiTile tile(u"mean_time_to_assign_minutes"_s, u"Mean time to assign"_s);
    QCOMPARE(tile.objectName(), u"kpi_mean_time_to_assign_minutes"_s);
    tile.setValue(ui::humanDuration(85));
    QCOMPARE(tile.value(), u"1 h 25 min"_s);
    QCOMPARE(tile.accessibleName(), u"Mean time to assign: 1 h 25 min"_s);
    tile.setValue(u"7"_s, u"2 critical, 1 high"_s);
    QCOMPARE(tile.accessibleName(), u"Mean time to assign: 7 (2 critical, 1 high)"_s);
}

void TestGuiOrgCard::flowWrapsAndSkipsHidden()
{
    QWidget container;
    auto *layout = new ui::FlowLayout(&container, 10, 10);
    layout->setContentsMargins(0, 0, 0, 0);
    QList<QWidget *> boxes;
    for (int i = 0; i < 5; ++i) {
        auto *box = new QWidget(&container);
        box->setFixedSize(100, 50);
        layout->addWidget(box);
        boxes.append(box);
    }
    // 330 px: three boxes (100 + 10 + 100 + 10 + 100) per row.
    QCOMPARE(layout->heightForWidth(330), 50 + 10 + 50);
    container.resize(330, layout->heightForWidth(330));
    container.show();
    QVERIFY(QTest::qWaitForWindowExposed(&container));
    QTRY_COMPARE(boxes.at(2)->geometry(), QRect(220, 0, 100, 50));
    QCOMPARE(boxes.at(3)->geometry(), QRect(0, 60, 100, 50));

    // A hidden box leaves no gap: the next one moves up into its place.
    boxes.at(1)->hide();
    QCOMPARE(layout->heightForWidth(330), 50 + 10 + 50);
    boxes.at(4)->hide();
    QCOMPARE(layout->heightForWidth(330), 50);
    QTRY_COMPARE(boxes.at(2)->geometry(), QRect(110, 0, 100, 50));
    QCOMPARE(boxes.at(3)->geometry(), QRect(220, 0, 100, 50));

    // Reordering moves the widget without re-creating it.
    layout->moveWidget(boxes.at(3), 0);
    QCOMPARE(layout->itemAt(0)->widget(), boxes.at(3));
}

QTEST_MAIN(TestGuiOrgCard)
#include "tst_gui_orgcard.moc"
