// Signing in through the real SignInWidget against a real server whose codes go to the
// loopback stand-in for SendGrid and Twilio: OTP sign-in, wrong codes, lockout, the
// resend countdown, the password fallback, registration, and the server being away.

#include "guitestsupport.h"
#include "signin/otpcodeinput.h"
#include "signin/signinwidget.h"
#include "testlib/providerstandin.h"

#include <QApplication>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using md::test::GuiFixture;
using md::testlib::ProviderStandIn;
using md::ui::SignInWidget;
using Page = md::ui::SignInWidget::Page;

namespace {

const QString kPassword = u"Gui-Test-Passphrase-42"_s;
const QString kWrongCodeSentence =
    u"That code is not right. Check the latest message and try again."_s;
constexpr int kTimeout = 15000;

} // namespace

class TestGuiSignIn final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ProviderStandIn> m_provider;
    std::unique_ptr<GuiFixture> m_fixture;
    std::unique_ptr<SignInWidget> m_widget;
    int m_users = 0;

    template <typename T> T *child(const QString &name) const
    {
        T *found = m_widget->findChild<T *>(name);
        if (!found)
            qWarning("no child %s", qPrintable(name));
        return found;
    }
    QLineEdit *identifierEdit() const { return child<QLineEdit>(u"identifierEdit"_s); }
    QString message() const { return child<QLabel>(u"signInMessage"_s)->text(); }
    bool messageShown() const { return child<QLabel>(u"signInMessage"_s)->isVisible(); }
    QLineEdit *digit(int i) const { return child<QLineEdit>(u"otpDigit%1"_s.arg(i)); }

    QString newEmail() { return u"ward%1.nurse@test.example"_s.arg(++m_users); }

    /// An active, verified account with that e-mail (and password, when given).
    void createAccount(const QString &email, const QString &password = {})
    {
        m_fixture->server().createUser(md::domain::Role::Admin, {}, email, password);
    }

    void click(const QString &button)
    {
        auto *b = child<QPushButton>(button);
        QVERIFY2(b, qPrintable(button));
        QVERIFY2(b->isEnabled(), qPrintable(button));
        QTest::mouseClick(b, Qt::LeftButton);
    }

    /// Identifier, Continue: the channel page.
    void enterIdentifier(const QString &identifier)
    {
        identifierEdit()->clear();
        QTest::keyClicks(identifierEdit(), identifier);
        click(u"continueButton"_s);
        QCOMPARE(m_widget->page(), Page::Channel);
    }

    /// ... Send code by e-mail: the code page once the server accepted.
    void sendEmailCode(const QString &email)
    {
        enterIdentifier(email);
        auto *channelEmail = child<QRadioButton>(u"channelEmail"_s);
        QVERIFY(channelEmail->isVisible());
        QVERIFY(channelEmail->isChecked());
        QVERIFY(!child<QRadioButton>(u"channelSms"_s)->isVisible());
        QVERIFY(!child<QRadioButton>(u"channelWhatsapp"_s)->isVisible());
        click(u"sendCodeButton"_s);
        QTRY_COMPARE_WITH_TIMEOUT(m_widget->page(), Page::Code, kTimeout);
    }

    QString waitForCode(const QString &recipient, const QString &previous = {})
    {
        QString code;
        const bool arrived = QTest::qWaitFor(
            [&] {
                code = m_provider->lastCodeFor(recipient);
                return !code.isEmpty() && code != previous;
            },
            kTimeout);
        return arrived ? code : QString();
    }

    /// Types a code the way a user does: each digit into the focused box.
    void typeCode(const QString &code)
    {
        QTRY_VERIFY(digit(0)->isEnabled());
        QTRY_VERIFY(digit(0)->hasFocus());
        for (const QChar c : code)
            QTest::keyClick(QApplication::focusWidget(), c.toLatin1());
    }

    static QString otherCode(const QString &code)
    {
        QString wrong = code;
        wrong[0] = QChar(u'0' + (code.at(0).digitValue() + 1) % 10);
        return wrong;
    }

private Q_SLOTS:
    void init()
    {
        m_provider = std::make_unique<ProviderStandIn>();
        QVERIFY(m_provider->isListening());
        const QString base = m_provider->baseUrl().toString();
        m_fixture = std::make_unique<GuiFixture>(false, [&](md::server::ServerConfig &c) {
            c.twilioAccountSid = u"AC0123456789abcdef0123456789abcdef"_s;
            c.twilioAuthToken = u"test-auth-token-not-secret-0123"_s;
            c.twilioApiBase = base;
            c.twilioSmsFrom = u"+15005550006"_s;
            c.twilioWhatsappFrom = u"+15005550007"_s;
            c.sendgridApiKey = u"SG.test-key-not-secret"_s;
            c.sendgridApiBase = base;
            c.emailFrom = u"noreply@meddispatch.example"_s;
        });
        QVERIFY2(m_fixture->isRunning(), qPrintable(m_fixture->error()));
        QVERIFY(!m_fixture->session().isSignedIn());
        m_widget = std::make_unique<SignInWidget>(m_fixture->context());
        m_widget->resize(640, 560);
        m_widget->show();
        m_widget->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_widget.get()));
        QCOMPARE(m_widget->page(), Page::Identifier);
    }

    void cleanup()
    {
        m_widget.reset();
        m_fixture.reset();
        m_provider.reset();
    }

    void signInWithEmailCode()
    {
        const QString email = newEmail();
        createAccount(email);
        QSignalSpy signedIn(m_widget.get(), &SignInWidget::signedIn);
        sendEmailCode(email);
        const QString code = waitForCode(email);
        QCOMPARE(code.size(), 6);
        QVERIFY(child<QLabel>(u"codePrompt"_s)->text().contains(email));
        QVERIFY(digit(0)->hasFocus()); // ready for typing at once
        QCOMPARE(m_widget->findChildren<QLineEdit *>(u"otpDigit0"_s).size(), 1);
        typeCode(code);
        QTRY_COMPARE_WITH_TIMEOUT(signedIn.count(), 1, kTimeout);
        QVERIFY(m_fixture->session().isSignedIn());
        QCOMPARE(m_fixture->session().user().email, email);
        // Nothing of the code stays behind in the boxes.
        QVERIFY(child<md::ui::OtpCodeInput>(u"otpInput"_s)->code().isEmpty());
    }

    void pastedCodeSignsIn()
    {
        const QString email = newEmail();
        createAccount(email);
        QSignalSpy signedIn(m_widget.get(), &SignInWidget::signedIn);
        sendEmailCode(email);
        const QString code = waitForCode(email);
        QVERIFY(!code.isEmpty());
        // As copied from the e-mail, with a space in the middle.
        digit(0)->setText(code.left(3) + u' ' + code.mid(3));
        QTRY_COMPARE_WITH_TIMEOUT(signedIn.count(), 1, kTimeout);
        QVERIFY(m_fixture->session().isSignedIn());
    }

    void wrongCodeKeepsIdentifier()
    {
        const QString email = newEmail();
        createAccount(email);
        QSignalSpy signedIn(m_widget.get(), &SignInWidget::signedIn);
        sendEmailCode(email);
        const QString code = waitForCode(email);
        QVERIFY(!code.isEmpty());

        typeCode(otherCode(code));
        QTRY_COMPARE_WITH_TIMEOUT(message(), kWrongCodeSentence, kTimeout);
        QVERIFY(messageShown());
        QCOMPARE(m_widget->page(), Page::Code);
        QCOMPARE(identifierEdit()->text(), email);
        QVERIFY(!m_fixture->session().isSignedIn());
        QCOMPARE(signedIn.count(), 0);
        // The boxes are empty and focused for the next try, which works.
        QVERIFY(child<md::ui::OtpCodeInput>(u"otpInput"_s)->code().isEmpty());
        typeCode(code);
        QTRY_COMPARE_WITH_TIMEOUT(signedIn.count(), 1, kTimeout);
        QVERIFY(m_fixture->session().isSignedIn());
    }

    void lockoutAfterRepeatedFailures()
    {
        const QString email = newEmail();
        createAccount(email);
        sendEmailCode(email);
        const QString code = waitForCode(email);
        QVERIFY(!code.isEmpty());
        const QString wrong = otherCode(code);

        for (int attempt = 1; attempt <= 4; ++attempt) {
            typeCode(wrong);
            QVERIFY(m_widget->isBusy());
            QVERIFY(!child<QPushButton>(u"resendButton"_s)->isEnabled());
            QVERIFY(!child<QPushButton>(u"usePasswordButton"_s)->isEnabled());
            QTRY_VERIFY_WITH_TIMEOUT(!m_widget->isBusy(), kTimeout);
            QCOMPARE(message(), kWrongCodeSentence);
        }
        // The fifth failure locks the account for 30 minutes: said plainly, with the wait.
        typeCode(wrong);
        QTRY_VERIFY_WITH_TIMEOUT(!m_widget->isBusy(), kTimeout);
        const QString locked = message();
        QVERIFY2(locked.contains(u"locked"_s), qPrintable(locked));
        QVERIFY2(locked.contains(u"Try again in"_s), qPrintable(locked));
        QVERIFY2(locked.contains(u"30"_s) || locked.contains(u"29"_s), qPrintable(locked));
        QCOMPARE(identifierEdit()->text(), email);

        // Even the right code is refused while the lock lasts.
        typeCode(code);
        QTRY_VERIFY_WITH_TIMEOUT(!m_widget->isBusy(), kTimeout);
        QVERIFY2(message().contains(u"locked"_s), qPrintable(message()));
        QVERIFY(!m_fixture->session().isSignedIn());
    }

    void resendCountdown()
    {
        const QString email = newEmail();
        createAccount(email);
        sendEmailCode(email);
        QVERIFY(!waitForCode(email).isEmpty());

        auto *resend = child<QPushButton>(u"resendButton"_s);
        QVERIFY(resend->isVisible());
        QVERIFY(!resend->isEnabled());
        static const QRegularExpression countdown(u"^Resend in (\\d+) s$"_s);
        QRegularExpressionMatch match = countdown.match(resend->text());
        QVERIFY2(match.hasMatch(), qPrintable(resend->text()));
        const int first = match.captured(1).toInt();
        QVERIFY2(first > 50 && first <= 60, qPrintable(resend->text()));
        QCOMPARE(m_widget->resendWait(), first);
        // It counts down visibly.
        QTRY_VERIFY_WITH_TIMEOUT(countdown.match(resend->text()).captured(1).toInt() < first, 3000);
        QVERIFY(!resend->isEnabled());
        QTest::mouseClick(resend, Qt::LeftButton); // disabled: nothing is sent
        QVERIFY(!m_widget->isBusy());

        // Going back and asking again within the minute: the server says 429 with
        // Retry-After; the code page still opens (the first code is valid) and the
        // countdown follows the server.
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Escape);
        QCOMPARE(m_widget->page(), Page::Channel);
        const qsizetype sent = m_provider->requests().size();
        click(u"sendCodeButton"_s);
        QTRY_COMPARE_WITH_TIMEOUT(m_widget->page(), Page::Code, kTimeout);
        QVERIFY2(message().contains(u"sent a short while ago"_s), qPrintable(message()));
        match = countdown.match(resend->text());
        QVERIFY2(match.hasMatch(), qPrintable(resend->text()));
        QVERIFY(match.captured(1).toInt() > 0 && match.captured(1).toInt() <= 60);
        QVERIFY(!resend->isEnabled());
        QTest::qWait(200);
        QCOMPARE(m_provider->requests().size(), sent); // no second message went out
    }

    void passwordFallback()
    {
        const QString email = newEmail();
        createAccount(email, kPassword);
        QSignalSpy signedIn(m_widget.get(), &SignInWidget::signedIn);
        enterIdentifier(email);
        click(u"channelPasswordButton"_s);
        QCOMPARE(m_widget->page(), Page::Password);
        auto *password = child<QLineEdit>(u"passwordEdit"_s);
        QCOMPARE(password->echoMode(), QLineEdit::Password);
        QVERIFY(password->hasFocus());
        QVERIFY(child<QLabel>(u"passwordIdentifier"_s)->text().contains(email));

        // A wrong password: said in place, the identifier kept.
        QTest::keyClicks(password, u"not-the-password-at-all"_s);
        QTest::keyClick(password, Qt::Key_Return);
        QVERIFY(m_widget->isBusy());
        QVERIFY(!child<QPushButton>(u"signInButton"_s)->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(!m_widget->isBusy(), kTimeout);
        QVERIFY2(message().contains(u"not right"_s), qPrintable(message()));
        QCOMPARE(identifierEdit()->text(), email);
        QCOMPARE(signedIn.count(), 0);

        password->clear();
        QTest::keyClicks(password, kPassword);
        QTest::keyClick(password, Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(signedIn.count(), 1, kTimeout);
        QVERIFY(m_fixture->session().isSignedIn());
        QCOMPARE(m_fixture->session().user().email, email);
        QVERIFY(password->text().isEmpty());
    }

    void passwordFromTheCodePage()
    {
        const QString email = newEmail();
        createAccount(email, kPassword);
        QSignalSpy signedIn(m_widget.get(), &SignInWidget::signedIn);
        sendEmailCode(email);
        click(u"usePasswordButton"_s);
        QCOMPARE(m_widget->page(), Page::Password);
        QTest::keyClicks(child<QLineEdit>(u"passwordEdit"_s), kPassword);
        click(u"signInButton"_s);
        QTRY_COMPARE_WITH_TIMEOUT(signedIn.count(), 1, kTimeout);
        QVERIFY(m_fixture->session().isSignedIn());
    }

    void forgotPasswordResetsWithCode()
    {
        const QString email = newEmail();
        createAccount(email, kPassword);
        QSignalSpy signedIn(m_widget.get(), &SignInWidget::signedIn);
        enterIdentifier(email);
        click(u"channelPasswordButton"_s);
        click(u"forgotPasswordButton"_s);
        QTRY_COMPARE_WITH_TIMEOUT(m_widget->page(), Page::ResetPassword, kTimeout);
        const QString code = waitForCode(email);
        QVERIFY(!code.isEmpty());
        child<md::ui::OtpCodeInput>(u"resetCodeInput"_s)->setCode(code);
        const QString fresh = u"Another-Long-Passphrase-77"_s;
        QTest::keyClicks(child<QLineEdit>(u"newPasswordEdit"_s), fresh);
        QTest::keyClicks(child<QLineEdit>(u"confirmPasswordEdit"_s), fresh + u'x');
        click(u"resetPasswordButton"_s);
        // Mismatch: refused in place, before any request.
        QVERIFY(!m_widget->isBusy());
        QVERIFY(child<QLabel>(u"newPasswordError"_s)->isVisible());
        child<QLineEdit>(u"confirmPasswordEdit"_s)->setText(fresh);
        click(u"resetPasswordButton"_s);
        QTRY_COMPARE_WITH_TIMEOUT(m_widget->page(), Page::Password, kTimeout);
        QVERIFY2(message().contains(u"password has been changed"_s), qPrintable(message()));
        QTest::keyClicks(child<QLineEdit>(u"passwordEdit"_s), fresh);
        click(u"signInButton"_s);
        QTRY_COMPARE_WITH_TIMEOUT(signedIn.count(), 1, kTimeout);
    }

    void registerAwaitsApproval()
    {
        const QString email = newEmail();
        QSignalSpy signedIn(m_widget.get(), &SignInWidget::signedIn);
        click(u"registerButton"_s);
        QCOMPARE(m_widget->page(), Page::Register);
        QVERIFY(child<QLabel>(u"registerIntro"_s)->text().contains(u"administrator"_s));

        // Neither e-mail nor phone: refused in place, nothing sent.
        QTest::keyClicks(child<QLineEdit>(u"registerNameEdit"_s), u"Ada Okafor"_s);
        click(u"registerSubmitButton"_s);
        QVERIFY(!m_widget->isBusy());
        QVERIFY(child<QLabel>(u"registerEmailError"_s)->isVisible());

        QTest::keyClicks(child<QLineEdit>(u"registerEmailEdit"_s), email);
        click(u"registerSubmitButton"_s);
        QTRY_COMPARE_WITH_TIMEOUT(m_widget->page(), Page::Code, kTimeout);
        QVERIFY(!child<QPushButton>(u"usePasswordButton"_s)->isVisible());
        const QString code = waitForCode(email);
        QVERIFY(!code.isEmpty());
        typeCode(code);
        QTRY_COMPARE_WITH_TIMEOUT(m_widget->page(), Page::PendingApproval, kTimeout);
        auto *pending = child<QLabel>(u"pendingApprovalLabel"_s);
        QVERIFY(pending->isVisible());
        QVERIFY(pending->text().contains(u"awaits approval"_s));
        QVERIFY(pending->text().contains(u"administrator"_s));
        QCOMPARE(signedIn.count(), 0);
        QVERIFY(!m_fixture->session().isSignedIn());

        // The server agrees: verified, not active.
        const md::test::HttpReply users =
            m_fixture->server().client().get(u"/v1/users?limit=500"_s);
        bool found = false;
        for (const QJsonValue &v : users.json.value(u"data"_s).toArray()) {
            const QJsonObject user = v.toObject();
            if (user.value(u"email"_s).toString() == email) {
                found = true;
                QCOMPARE(user.value(u"active"_s).toBool(), false);
                QCOMPARE(user.value(u"verified"_s).toBool(), true);
            }
        }
        QVERIFY(found);

        // Back to signing in, with the new identifier filled in.
        click(u"pendingBackButton"_s);
        QCOMPARE(m_widget->page(), Page::Identifier);
        QCOMPARE(identifierEdit()->text(), email);
    }

    void registerShowsServerFieldErrors()
    {
        click(u"registerButton"_s);
        QTest::keyClicks(child<QLineEdit>(u"registerNameEdit"_s), u"Ada Okafor"_s);
        QTest::keyClicks(child<QLineEdit>(u"registerEmailEdit"_s), newEmail());
        // Long enough for the client's check, but the server's common-password list has it.
        QTest::keyClicks(child<QLineEdit>(u"registerPasswordEdit"_s), u"1234567890"_s);
        click(u"registerSubmitButton"_s);
        QTRY_VERIFY_WITH_TIMEOUT(!m_widget->isBusy(), kTimeout);
        QCOMPARE(m_widget->page(), Page::Register);
        auto *error = child<QLabel>(u"registerPasswordError"_s);
        QVERIFY2(error->isVisible(), qPrintable(message()));
        QVERIFY(!error->text().isEmpty());
        QCOMPARE(child<QLineEdit>(u"registerNameEdit"_s)->text(), u"Ada Okafor"_s);
    }

    void phoneOffersSmsAndWhatsapp()
    {
        const QString phone = u"+447700900123"_s;
        enterIdentifier(u"+44 7700 900123"_s);
        QVERIFY(!child<QRadioButton>(u"channelEmail"_s)->isVisible());
        auto *sms = child<QRadioButton>(u"channelSms"_s);
        auto *whatsapp = child<QRadioButton>(u"channelWhatsapp"_s);
        QVERIFY(sms->isVisible() && whatsapp->isVisible());
        QVERIFY(sms->isChecked());
        whatsapp->click();
        click(u"sendCodeButton"_s);
        QTRY_COMPARE_WITH_TIMEOUT(m_widget->page(), Page::Code, kTimeout);
        QVERIFY(child<QLabel>(u"codePrompt"_s)->text().contains(u"WhatsApp"_s));
        // Unknown numbers get the same answer and no message.
        QTest::qWait(300);
        QVERIFY(m_provider->lastCodeFor(phone).isEmpty());
    }

    void badIdentifierStaysOnFirstPage()
    {
        QTest::keyClicks(identifierEdit(), u"ward three"_s);
        QTest::keyClick(identifierEdit(), Qt::Key_Return);
        QCOMPARE(m_widget->page(), Page::Identifier);
        QVERIFY(messageShown());
        QVERIFY(message().contains(u"+14155550123"_s));
        QCOMPARE(identifierEdit()->text(), u"ward three"_s);
    }

    void keyboardEnterAndEscape()
    {
        QTest::keyClicks(identifierEdit(), u"someone@test.example"_s);
        QTest::keyClick(identifierEdit(), Qt::Key_Return);
        QCOMPARE(m_widget->page(), Page::Channel);
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Escape);
        QCOMPARE(m_widget->page(), Page::Identifier);
        QCOMPARE(identifierEdit()->text(), u"someone@test.example"_s);
        QVERIFY(identifierEdit()->hasFocus());
    }

    void demoHint()
    {
        auto *hint = child<QLabel>(u"demoHint"_s);
        QVERIFY(!hint->isVisible());
        m_widget->setDemoHint(true);
        QVERIFY(hint->isVisible());
        QVERIFY(hint->text().contains(QString::fromLatin1(md::test::kDemoPassword)));
        QVERIFY(hint->text().contains(u"admin@meddispatch.example"_s));
        m_widget->setDemoHint(false);
        QVERIFY(!hint->isVisible());
    }

    void resetKeepsIdentifier()
    {
        const QString email = newEmail();
        createAccount(email);
        sendEmailCode(email);
        digit(0)->setText(u"12"_s);
        m_widget->reset();
        QCOMPARE(m_widget->page(), Page::Identifier);
        QCOMPARE(identifierEdit()->text(), email);
        QVERIFY(child<md::ui::OtpCodeInput>(u"otpInput"_s)->code().isEmpty());
        QVERIFY(!messageShown());
    }

    void offlineKeepsWhatWasTyped()
    {
        // A port nothing listens on.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 closedPort = probe.serverPort();
        probe.close();
        const QUrl serverUrl = m_fixture->api().baseUrl();
        m_fixture->api().setBaseUrl(QUrl(u"http://127.0.0.1:%1"_s.arg(closedPort)));

        const QString email = newEmail();
        createAccount(email);
        enterIdentifier(email);
        click(u"sendCodeButton"_s);
        QTRY_VERIFY_WITH_TIMEOUT(!m_widget->isBusy(), kTimeout);
        QVERIFY(messageShown());
        QVERIFY2(!message().isEmpty(), "no offline sentence");
        QCOMPARE(m_widget->page(), Page::Channel);
        QCOMPARE(identifierEdit()->text(), email);
        QVERIFY(child<QPushButton>(u"sendCodeButton"_s)->isEnabled());

        // The server is back: the same page, the same identifier, one more click.
        m_fixture->api().setBaseUrl(serverUrl);
        click(u"sendCodeButton"_s);
        QTRY_COMPARE_WITH_TIMEOUT(m_widget->page(), Page::Code, kTimeout);
        QVERIFY(!waitForCode(email).isEmpty());
    }

    void offlineWhileVerifyingKeepsTheCode()
    {
        const QString email = newEmail();
        createAccount(email);
        QSignalSpy signedIn(m_widget.get(), &SignInWidget::signedIn);
        sendEmailCode(email);
        const QString code = waitForCode(email);
        QVERIFY(!code.isEmpty());

        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 closedPort = probe.serverPort();
        probe.close();
        const QUrl serverUrl = m_fixture->api().baseUrl();
        m_fixture->api().setBaseUrl(QUrl(u"http://127.0.0.1:%1"_s.arg(closedPort)));
        typeCode(code);
        QTRY_VERIFY_WITH_TIMEOUT(!m_widget->isBusy(), kTimeout);
        QVERIFY(messageShown());
        QVERIFY(message() != kWrongCodeSentence);
        auto *input = child<md::ui::OtpCodeInput>(u"otpInput"_s);
        QCOMPARE(input->code(), code); // kept for another try

        m_fixture->api().setBaseUrl(serverUrl);
        auto *verify = child<QPushButton>(u"verifyButton"_s);
        QVERIFY(verify->isEnabled());
        QTest::mouseClick(verify, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(signedIn.count(), 1, kTimeout);
    }
};

QTEST_MAIN(TestGuiSignIn)
#include "tst_gui_signin.moc"
