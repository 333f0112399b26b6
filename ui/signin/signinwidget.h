#pragma once

#include "common/viewcontext.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QTimer>
#include <QWidget>

class QAbstractButton;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QStackedWidget;

namespace md::client {
struct ApiError;
struct ApiResult;
} // namespace md::client

namespace md::ui {

class OtpCodeInput;

/// Signing in, OTP first (issue 4): the identifier, then the channel the code goes to,
/// then the six-box code, verified as soon as it is complete. A password is the fallback,
/// "Forgot password?" resets it with a code, and "Create an account" registers and
/// verifies the new account with a code (it then waits for an administrator's approval).
///
/// Every request goes through context.api (postAnonymous) and never blocks; while one
/// runs the buttons are disabled. Errors appear in place ("signInMessage") and nothing
/// typed is lost. On a token pair the session takes it and signedIn() follows.
///
/// Keyboard: Enter submits the page, Escape goes back.
class SignInWidget final : public QWidget
{
    Q_OBJECT
public:
    enum class Page
    {
        Identifier,
        Channel,
        Code,
        Password,
        Register,
        ResetPassword,
        PendingApproval
    };

    explicit SignInWidget(const ViewContext &context, QWidget *parent = nullptr);
    ~SignInWidget() override;

    void setIdentifier(const QString &identifier);
    QString identifier() const;
    /// Shows the demo accounts and their password (the embedded server with demo data).
    void setDemoHint(bool demo);
    /// Back to the first page; the identifier stays, codes and passwords are forgotten.
    void reset();

    Page page() const;
    QString message() const;
    bool isBusy() const { return m_busy; }
    /// Seconds until "Resend code" can be used again; 0 when it can.
    int resendWait() const;

Q_SIGNALS:
    void signedIn();

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    QWidget *buildIdentifierPage();
    QWidget *buildChannelPage();
    QWidget *buildCodePage();
    QWidget *buildPasswordPage();
    QWidget *buildRegisterPage();
    QWidget *buildResetPage();
    QWidget *buildPendingPage();

    void showPage(Page page);
    void submitPage();
    void goBack();
    void setBusy(bool busy);
    void showMessage(const QString &text, bool error = true);
    void clearMessage();
    void clearFieldErrors();
    void showFieldErrors(const client::ApiError &error);

    void continueWithIdentifier();
    void sendCode();
    void resendCode();
    void verifyCode(const QString &code);
    void signInWithPassword();
    void forgotPassword();
    void resetPassword();
    void registerAccount();
    void startResendCountdown(int seconds);
    void updateResendButton();
    void updateChannelPage();
    void updateCodePage();

    /// Sends a POST through the anonymous API entry points; the answer is dropped when
    /// reset() ran meanwhile (the sign-in screen started over).
    void post(const QString &path, const QJsonObject &body,
              std::function<void(const client::ApiResult &)> done);
    void acceptTokens(const QJsonObject &pair);
    QString channel() const;
    QString errorSentence(const client::ApiError &error) const;
    static int waitSeconds(const client::ApiError &error);
    static QString deviceName();

    ViewContext m_context;
    QStackedWidget *m_pages = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_message = nullptr;
    QLabel *m_demoHint = nullptr;
    QProgressBar *m_busyBar = nullptr;

    // Identifier page
    QLineEdit *m_identifierEdit = nullptr;
    QPushButton *m_continueButton = nullptr;
    QPushButton *m_registerButton = nullptr;
    // Channel page
    QLabel *m_channelPrompt = nullptr;
    QRadioButton *m_channelEmail = nullptr;
    QRadioButton *m_channelSms = nullptr;
    QRadioButton *m_channelWhatsapp = nullptr;
    QPushButton *m_sendCodeButton = nullptr;
    QPushButton *m_channelPasswordButton = nullptr;
    QPushButton *m_channelBackButton = nullptr;
    // Code page
    QLabel *m_codePrompt = nullptr;
    OtpCodeInput *m_otpInput = nullptr;
    QPushButton *m_verifyButton = nullptr;
    QPushButton *m_resendButton = nullptr;
    QPushButton *m_usePasswordButton = nullptr;
    QPushButton *m_codeBackButton = nullptr;
    // Password page
    QLabel *m_passwordIdentifier = nullptr;
    QLineEdit *m_passwordEdit = nullptr;
    QPushButton *m_signInButton = nullptr;
    QPushButton *m_forgotButton = nullptr;
    QPushButton *m_useCodeButton = nullptr;
    QPushButton *m_passwordBackButton = nullptr;
    // Register page
    QLineEdit *m_registerName = nullptr;
    QLabel *m_registerNameError = nullptr;
    QLineEdit *m_registerEmail = nullptr;
    QLabel *m_registerEmailError = nullptr;
    QLineEdit *m_registerPhone = nullptr;
    QLabel *m_registerPhoneError = nullptr;
    QLineEdit *m_registerPassword = nullptr;
    QLabel *m_registerPasswordError = nullptr;
    QPushButton *m_registerSubmit = nullptr;
    QPushButton *m_registerBackButton = nullptr;
    // Reset page
    QLabel *m_resetPrompt = nullptr;
    OtpCodeInput *m_resetCode = nullptr;
    QLineEdit *m_newPassword = nullptr;
    QLabel *m_newPasswordError = nullptr;
    QLineEdit *m_confirmPassword = nullptr;
    QPushButton *m_resetButton = nullptr;
    QPushButton *m_resetBackButton = nullptr;
    // Pending approval page
    QLabel *m_pendingLabel = nullptr;
    QPushButton *m_pendingBackButton = nullptr;

    QString m_identifier; // normalized, as the code was sent to it
    QString m_purpose;    // "login" or "register": what the code page verifies
    QString m_codeChannel;
    bool m_busy = false;
    quint64 m_generation = 0; // reset() makes answers to earlier requests stale
    QTimer m_resendTimer;
    QElapsedTimer m_resendClock;
    qint64 m_resendAvailableMs = 0; // on m_resendClock
};

} // namespace md::ui
