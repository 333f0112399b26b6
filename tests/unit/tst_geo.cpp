#include "domain/geo.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace md::domain;

class TestGeo final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void distance_data();
    void distance();
    void validity_data();
    void validity();
};

void TestGeo::distance_data()
{
    QTest::addColumn<double>("lat1");
    QTest::addColumn<double>("lon1");
    QTest::addColumn<double>("lat2");
    QTest::addColumn<double>("lon2");
    QTest::addColumn<double>("km");
    QTest::addColumn<double>("tolerance");
    QTest::newRow("same point") << 52.52 << 13.405 << 52.52 << 13.405 << 0.0 << 1e-9;
    // Published great-circle distances, within 0.5 %.
    QTest::newRow("Berlin-Munich") << 52.5200 << 13.4050 << 48.1351 << 11.5820 << 504.0 << 3.0;
    QTest::newRow("London-Paris") << 51.5074 << -0.1278 << 48.8566 << 2.3522 << 343.5 << 2.0;
    QTest::newRow("across the antimeridian") << 0.0 << 179.5 << 0.0 << -179.5 << 111.2 << 0.2;
    QTest::newRow("antipodes") << 0.0 << 0.0 << 0.0 << 180.0 << 20015.1 << 1.0;
}

void TestGeo::distance()
{
    QFETCH(double, lat1);
    QFETCH(double, lon1);
    QFETCH(double, lat2);
    QFETCH(double, lon2);
    QFETCH(double, km);
    QFETCH(double, tolerance);
    const double d = distanceKm({lat1, lon1}, {lat2, lon2});
    QVERIFY2(std::abs(d - km) <= tolerance, qPrintable(QString::number(d)));
    QCOMPARE(distanceKm({lat2, lon2}, {lat1, lon1}), d);
}

void TestGeo::validity_data()
{
    QTest::addColumn<double>("lat");
    QTest::addColumn<double>("lon");
    QTest::addColumn<bool>("valid");
    QTest::newRow("Berlin") << 52.52 << 13.405 << true;
    QTest::newRow("poles and antimeridian") << -90.0 << 180.0 << true;
    QTest::newRow("latitude 90.01") << 90.01 << 0.0 << false;
    QTest::newRow("latitude -90.01") << -90.01 << 0.0 << false;
    QTest::newRow("longitude -180.5") << 0.0 << -180.5 << false;
    QTest::newRow("NaN") << std::numeric_limits<double>::quiet_NaN() << 0.0 << false;
    QTest::newRow("infinity") << 0.0 << std::numeric_limits<double>::infinity() << false;
}

void TestGeo::validity()
{
    QFETCH(double, lat);
    QFETCH(double, lon);
    QFETCH(bool, valid);
    QCOMPARE(isValid(GeoPoint{lat, lon}), valid);
}

QTEST_GUILESS_MAIN(TestGeo)
#include "tst_geo.moc"
