// WedgeScanDetector: keyboard-wedge scanners type a code as a burst of keys a few
// milliseconds apart and end it with Enter; people type slower. The clock is a
// variable the test moves, so every timing below is exact.

#include "scan/wedgescandetector.h"

#include <QTest>

using namespace Qt::StringLiterals;
using md::ui::WedgeScanDetector;

namespace {

const QString kLabel = u"MD-7K3M-9QXT-2HVB-CW4P"_s;

} // namespace

class TestWedgeScanDetector final : public QObject
{
    Q_OBJECT

private:
    qint64 m_now = 1'000'000;
    int m_position = 0;

    WedgeScanDetector detector()
    {
        m_now = 1'000'000;
        m_position = 0;
        return WedgeScanDetector([this] { return m_now; });
    }

    // Types `text` with `gapMs` before each key (the first key after `firstGapMs`).
    void type(WedgeScanDetector &d, const QString &text, int gapMs, int firstGapMs = -1)
    {
        for (qsizetype i = 0; i < text.size(); ++i) {
            m_now += (i == 0 && firstGapMs >= 0) ? firstGapMs : gapMs;
            d.keyTyped(text.at(i), m_position++);
        }
    }

    WedgeScanDetector::Verdict enterAfter(WedgeScanDetector &d, int gapMs)
    {
        m_now += gapMs;
        return d.enter();
    }

private Q_SLOTS:
    void scannerBurstIsAScan_data()
    {
        QTest::addColumn<int>("gapMs");
        QTest::addColumn<int>("enterGapMs");
        QTest::newRow("usb scanner, 2 ms") << 2 << 2;
        QTest::newRow("scanner, 5 ms") << 5 << 5;
        QTest::newRow("slow scanner, 25 ms") << 25 << 25;
        QTest::newRow("at the limit, 30 ms") << 30 << 30;
        QTest::newRow("all keys in one event loop turn, 0 ms") << 0 << 0;
    }

    void scannerBurstIsAScan()
    {
        QFETCH(int, gapMs);
        QFETCH(int, enterGapMs);
        WedgeScanDetector d = detector();
        type(d, kLabel, gapMs);
        const auto verdict = enterAfter(d, enterGapMs);
        QVERIFY(verdict.scanned);
        QCOMPARE(verdict.text, kLabel);
        QCOMPARE(verdict.position, 0);
        QCOMPARE(d.pendingKeys(), 0); // Enter forgets the keys either way
    }

    void humanTypingIsNotAScan_data()
    {
        QTest::addColumn<int>("gapMs");
        QTest::addColumn<int>("enterGapMs");
        QTest::newRow("typical typist") << 180 << 300;
        QTest::newRow("fast typist, 60 ms") << 60 << 150;
        QTest::newRow("very fast typist, 40 ms") << 40 << 90;
        QTest::newRow("fast keys but a pause before Enter") << 5 << 600;
    }

    void humanTypingIsNotAScan()
    {
        QFETCH(int, gapMs);
        QFETCH(int, enterGapMs);
        WedgeScanDetector d = detector();
        type(d, kLabel, gapMs);
        QVERIFY(!enterAfter(d, enterGapMs).scanned);
    }

    void keyRolloverIsNotAScan()
    {
        // People press two or three keys almost together now and then.
        WedgeScanDetector d = detector();
        type(d, u"ab"_s, 150);
        type(d, u"cd"_s, 8, 150);
        type(d, u"e"_s, 10);
        QVERIFY(!enterAfter(d, 12).scanned); // "cde" is a burst of 3: too short
    }

    void scanInTheMiddleOfTyping()
    {
        // Someone typed "room 4" by hand, then a scanner typed the label and Enter: the
        // scan is the burst alone, starting where the scanner's first key went.
        WedgeScanDetector d = detector();
        type(d, u"room 4"_s, 170);
        type(d, kLabel, 4, 90);
        const auto verdict = enterAfter(d, 4);
        QVERIFY(verdict.scanned);
        QCOMPARE(verdict.text, kLabel);
        QCOMPARE(verdict.position, 6);
    }

    void typingAfterAScanIsNotAScan()
    {
        // A scanner without an Enter suffix, then a person adds text and presses Enter.
        WedgeScanDetector d = detector();
        type(d, kLabel, 4);
        type(d, u"x"_s, 200, 400);
        QVERIFY(!enterAfter(d, 250).scanned);
    }

    void jitterInsideABurstIsTolerated()
    {
        // A busy machine delivers one key of the burst late: still one scan.
        WedgeScanDetector d = detector();
        type(d, kLabel.left(10), 5);
        type(d, kLabel.mid(10), 5, 95);
        const auto verdict = enterAfter(d, 5);
        QVERIFY(verdict.scanned);
        QCOMPARE(verdict.text, kLabel);
    }

    void aLongPauseSplitsBursts()
    {
        // Two bursts half a second apart: only the second one ended with Enter.
        WedgeScanDetector d = detector();
        type(d, u"GARBAGE1"_s, 5);
        type(d, kLabel, 5, 500);
        const auto verdict = enterAfter(d, 5);
        QVERIFY(verdict.scanned);
        QCOMPARE(verdict.text, kLabel);
        QCOMPARE(verdict.position, 8);
    }

    void humanKeyBeforeABurstIsNotAbsorbed()
    {
        // A person's key 80 ms before the scanner starts is slower than a scanner but
        // within a stall: it is not part of the scan because no fast run precedes it.
        WedgeScanDetector d = detector();
        type(d, u"q"_s, 0);
        type(d, kLabel, 5, 80);
        const auto verdict = enterAfter(d, 5);
        QVERIFY(verdict.scanned);
        QCOMPARE(verdict.text, kLabel);
        QCOMPARE(verdict.position, 1);
    }

    void groupSeparatorIsKept()
    {
        // A GS1 scanner's FNC1 arrives as GS between variable-length fields.
        const QString udi = u"010401234567890121SN42"_s + QChar(0x1d) + u"10LOT7"_s;
        WedgeScanDetector d = detector();
        type(d, udi, 3);
        const auto verdict = enterAfter(d, 3);
        QVERIFY(verdict.scanned);
        QCOMPARE(verdict.text, udi);
        QVERIFY(verdict.text.contains(QChar(0x1d)));
    }

    void enterWithoutKeysIsNothing()
    {
        WedgeScanDetector d = detector();
        QVERIFY(!enterAfter(d, 1).scanned);
    }

    void resetForgetsTheBurst()
    {
        WedgeScanDetector d = detector();
        type(d, kLabel, 5);
        d.reset();
        QCOMPARE(d.pendingKeys(), 0);
        QVERIFY(!enterAfter(d, 5).scanned);
    }

    void endlessInputIsBounded()
    {
        // A scanner held on a hostile code: memory stays bounded, the verdict is the tail.
        WedgeScanDetector d = detector();
        type(d, QString(100'000, u'A'), 1);
        QVERIFY(d.pendingKeys() <= 2 * 8192);
        const auto verdict = enterAfter(d, 1);
        QVERIFY(verdict.scanned);
        QVERIFY(verdict.text.size() <= 2 * 8192);
    }
};

QTEST_GUILESS_MAIN(TestWedgeScanDetector)
#include "tst_wedgescandetector.moc"
