// The six-box code input on its own: typing, going back, pasting, ignoring non-digits,
// announcing a complete code once, and the names a screen reader reads.

#include "signin/otpcodeinput.h"

#include <QApplication>
#include <QClipboard>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using md::ui::OtpCodeInput;

class TestGuiOtpCodeInput final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<OtpCodeInput> m_input;

    QLineEdit *box(int i) const { return m_input->findChild<QLineEdit *>(u"otpDigit%1"_s.arg(i)); }
    int focusedBox() const
    {
        for (int i = 0; i < OtpCodeInput::kLength; ++i)
            if (box(i)->hasFocus())
                return i;
        return -1;
    }
    QString boxes() const
    {
        QString text;
        for (int i = 0; i < OtpCodeInput::kLength; ++i)
            text += box(i)->text().isEmpty() ? u"_"_s : box(i)->text();
        return text;
    }
    // Types like a user: each key goes to whichever box has the keyboard focus.
    void type(const QString &keys)
    {
        for (const QChar c : keys)
            QTest::keyClick(QApplication::focusWidget(), c.toLatin1());
    }
    void press(Qt::Key key) { QTest::keyClick(QApplication::focusWidget(), key); }

private Q_SLOTS:
    void init()
    {
        m_input = std::make_unique<OtpCodeInput>();
        m_input->show();
        m_input->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_input.get()));
        box(0)->setFocus();
        QTRY_COMPARE(focusedBox(), 0);
    }

    void cleanup() { m_input.reset(); }

    void typingAdvances()
    {
        QSignalSpy completed(m_input.get(), &OtpCodeInput::completed);
        QSignalSpy changed(m_input.get(), &OtpCodeInput::codeChanged);
        const QString code = u"482913"_s;
        for (int i = 0; i < code.size(); ++i) {
            QCOMPARE(focusedBox(), i);
            type(code.mid(i, 1));
            QCOMPARE(box(i)->text(), code.mid(i, 1));
        }
        QCOMPARE(focusedBox(), 5); // stays on the last box
        QCOMPARE(m_input->code(), code);
        QVERIFY(m_input->isComplete());
        QCOMPARE(completed.count(), 1);
        QCOMPARE(completed.first().first().toString(), code);
        QCOMPARE(changed.count(), 6);
    }

    void typingOverAFilledBoxReplacesIt()
    {
        type(u"12"_s);
        QCOMPARE(focusedBox(), 2);
        press(Qt::Key_Left);
        press(Qt::Key_Left);
        press(Qt::Key_Left); // already on the first box: stays
        QCOMPARE(focusedBox(), 0);
        type(u"9"_s);
        QCOMPARE(boxes(), u"92____"_s);
        QCOMPARE(focusedBox(), 1);
    }

    void backspaceGoesBack()
    {
        type(u"123"_s);
        QCOMPARE(focusedBox(), 3);
        // Backspace in the empty box 4 clears box 3 and moves there.
        press(Qt::Key_Backspace);
        QCOMPARE(boxes(), u"12____"_s);
        QCOMPARE(focusedBox(), 2);
        press(Qt::Key_Backspace);
        QCOMPARE(boxes(), u"1_____"_s);
        QCOMPARE(focusedBox(), 1);
        // Backspace in a filled box only clears it.
        press(Qt::Key_Left);
        QCOMPARE(focusedBox(), 0);
        press(Qt::Key_Backspace);
        QCOMPARE(boxes(), u"______"_s);
        QCOMPARE(focusedBox(), 0);
        // ...and in the first, empty box it does nothing harmful.
        press(Qt::Key_Backspace);
        QCOMPARE(focusedBox(), 0);
    }

    void arrowsMove()
    {
        press(Qt::Key_Right);
        QCOMPARE(focusedBox(), 1);
        press(Qt::Key_Right);
        press(Qt::Key_Right);
        QCOMPARE(focusedBox(), 3);
        press(Qt::Key_Left);
        QCOMPARE(focusedBox(), 2);
        press(Qt::Key_End);
        QCOMPARE(focusedBox(), 5);
        press(Qt::Key_Right); // already last: stays
        QCOMPARE(focusedBox(), 5);
        press(Qt::Key_Home);
        QCOMPARE(focusedBox(), 0);
    }

    void pasteFillsAll_data()
    {
        QTest::addColumn<QString>("clipboard");
        QTest::addColumn<int>("pasteInto");
        QTest::newRow("spaced, into box 3") << u"123 456"_s << 3;
        QTest::newRow("dashed, into box 0") << u"123-456"_s << 0;
        QTest::newRow("plain, into box 5") << u"123456"_s << 5;
        QTest::newRow("from a message") << u"  Your code: 1 2 3 4 5 6\n"_s << 2;
    }

    void pasteFillsAll()
    {
        QFETCH(QString, clipboard);
        QFETCH(int, pasteInto);
        QSignalSpy completed(m_input.get(), &OtpCodeInput::completed);
        QGuiApplication::clipboard()->setText(clipboard);
        box(pasteInto)->setFocus();
        QTest::keySequence(box(pasteInto), QKeySequence::Paste);
        QCOMPARE(boxes(), u"123456"_s);
        QCOMPARE(m_input->code(), u"123456"_s);
        QCOMPARE(completed.count(), 1);
        QCOMPARE(completed.first().first().toString(), u"123456"_s);
    }

    void setTextOnABoxFillsAll()
    {
        // What a paste from the context menu, or an input method, does.
        QSignalSpy completed(m_input.get(), &OtpCodeInput::completed);
        box(2)->setText(u"123 456"_s);
        QCOMPARE(boxes(), u"123456"_s);
        QCOMPARE(completed.count(), 1);
        m_input->clear();
        QCOMPARE(boxes(), u"______"_s);
        QVERIFY(!m_input->isComplete());
        m_input->setCode(u"654-321"_s);
        QCOMPARE(m_input->code(), u"654321"_s);
        QCOMPARE(completed.count(), 2);
    }

    void partialPasteFillsFromTheBox()
    {
        QGuiApplication::clipboard()->setText(u"12"_s);
        box(3)->setFocus();
        QTest::keySequence(box(3), QKeySequence::Paste);
        QCOMPARE(boxes(), u"___12_"_s);
        QCOMPARE(focusedBox(), 5);
    }

    void nonDigitsIgnored()
    {
        QSignalSpy completed(m_input.get(), &OtpCodeInput::completed);
        QSignalSpy changed(m_input.get(), &OtpCodeInput::codeChanged);
        type(u"a- x"_s);
        QCOMPARE(boxes(), u"______"_s);
        QCOMPARE(focusedBox(), 0);
        QCOMPARE(changed.count(), 0);
        box(0)->setText(u"q"_s);
        QCOMPARE(boxes(), u"______"_s);
        type(u"7b8"_s);
        QCOMPARE(boxes(), u"78____"_s);
        QGuiApplication::clipboard()->setText(u"abc"_s);
        QTest::keySequence(QApplication::focusWidget(), QKeySequence::Paste);
        QCOMPARE(boxes(), u"78____"_s);
        QCOMPARE(completed.count(), 0);
    }

    void completedOnce()
    {
        QSignalSpy completed(m_input.get(), &OtpCodeInput::completed);
        type(u"111111"_s);
        QCOMPARE(completed.count(), 1);
        // Moving around and retyping the same digit is no new code.
        press(Qt::Key_Left);
        type(u"1"_s);
        QCOMPARE(m_input->code(), u"111111"_s);
        QCOMPARE(completed.count(), 1);
        // A corrected digit is a new code, announced once more.
        press(Qt::Key_Backspace);
        QCOMPARE(completed.count(), 1);
        type(u"2"_s);
        QCOMPARE(m_input->code(), u"111112"_s);
        QCOMPARE(completed.count(), 2);
        QCOMPARE(completed.last().first().toString(), u"111112"_s);
    }

    void accessibleNames()
    {
        QCOMPARE(m_input->accessibleName(), u"One-time code"_s);
        for (int i = 0; i < OtpCodeInput::kLength; ++i)
            QCOMPARE(box(i)->accessibleName(), u"Digit %1 of 6"_s.arg(i + 1));
    }

    void disabledRefusesInput()
    {
        m_input->setEnabled(false);
        for (int i = 0; i < OtpCodeInput::kLength; ++i)
            QVERIFY(!box(i)->isEnabled());
        QTest::keyClick(box(0), '5');
        QCOMPARE(boxes(), u"______"_s);
        m_input->setEnabled(true);
        QVERIFY(box(0)->isEnabled());
    }
};

QTEST_MAIN(TestGuiOtpCodeInput)
#include "tst_gui_otpcodeinput.moc"
