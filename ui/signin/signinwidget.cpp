#include "signinwidget.h"

#include "apiclient.h"
#include "apiresult.h"
#include "domain/user.h"
#include "otpcodeinput.h"
#include "session.h"

#include <QAbstractButton>
#include <QButtonGroup>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QStackedWidget>
#include <QSysInfo>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace md::ui {

namespace {

constexpr int kDefaultResendSeconds = 60;
constexpr int kMinPasswordCharacters = 10;

QLabel *makeFieldError(const QString &objectName, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    label->hide();
    return label;
}

void setFieldError(QLabel *label, const QString &text)
{
    label->setText(text);
    label->setVisible(!text.isEmpty());
}

QLabel *makeText(const QString &objectName, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    return label;
}

QPushButton *makeButton(const QString &objectName, const QString &text, QWidget *parent)
{
    auto *button = new QPushButton(text, parent);
    button->setObjectName(objectName);
    return button;
}

/// A secondary action that reads like a link but is a real, focusable button.
QPushButton *makeLinkButton(const QString &objectName, const QString &text, QWidget *parent)
{
    auto *button = makeButton(objectName, text, parent);
    button->setFlat(true);
    button->setCursor(Qt::PointingHandCursor);
    return button;
}

QLineEdit *makeEdit(const QString &objectName, QWidget *parent)
{
    auto *edit = new QLineEdit(parent);
    edit->setObjectName(objectName);
    return edit;
}

qsizetype characterCount(const QString &text)
{
    return text.toUcs4().size();
}

} // namespace

SignInWidget::SignInWidget(const ViewContext &context, QWidget *parent)
    : QWidget(parent), m_context(context)
{
    setAccessibleName(tr("Sign in"));
    m_resendClock.start();
    m_resendTimer.setInterval(500);
    connect(&m_resendTimer, &QTimer::timeout, this, &SignInWidget::updateResendButton);

    auto *column = new QWidget(this);
    column->setObjectName(u"signInColumn"_s);
    // A readable column: about 56 average characters wide in the user's font.
    column->setMaximumWidth(fontMetrics().averageCharWidth() * 56);
    column->setMinimumWidth(fontMetrics().averageCharWidth() * 36);

    m_title = new QLabel(column);
    m_title->setObjectName(u"signInTitle"_s);
    m_title->setWordWrap(true);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    if (titleFont.pointSizeF() > 0)
        titleFont.setPointSizeF(titleFont.pointSizeF() * 1.4);
    m_title->setFont(titleFont);

    m_message = makeText(u"signInMessage"_s, column);
    m_message->setFrameShape(QFrame::StyledPanel);
    m_message->setMargin(fontMetrics().averageCharWidth());
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();

    m_busyBar = new QProgressBar(column);
    m_busyBar->setObjectName(u"signInBusy"_s);
    m_busyBar->setRange(0, 0);
    m_busyBar->setTextVisible(false);
    m_busyBar->setMaximumHeight(fontMetrics().height() / 2);
    m_busyBar->setAccessibleName(tr("Working"));
    m_busyBar->hide();

    m_pages = new QStackedWidget(column);
    m_pages->setObjectName(u"signInPages"_s);
    m_pages->addWidget(buildIdentifierPage());
    m_pages->addWidget(buildChannelPage());
    m_pages->addWidget(buildCodePage());
    m_pages->addWidget(buildPasswordPage());
    m_pages->addWidget(buildRegisterPage());
    m_pages->addWidget(buildResetPage());
    m_pages->addWidget(buildPendingPage());

    m_demoHint = makeText(u"demoHint"_s, column);
    m_demoHint->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_demoHint->setText(
        tr("Demo data is loaded. Sign-in codes are not delivered in the demo, so use a "
           "password: sign in as admin@meddispatch.example (or super.admin@, org.admin@, "
           "engineer@ or customer@meddispatch.example) with the password %1.")
            .arg(u"MedDispatch-Demo-2026"_s));
    m_demoHint->hide();

    auto *columnLayout = new QVBoxLayout(column);
    columnLayout->setContentsMargins(0, 0, 0, 0);
    columnLayout->addWidget(m_title);
    columnLayout->addWidget(m_message);
    columnLayout->addWidget(m_busyBar);
    columnLayout->addWidget(m_pages);
    columnLayout->addSpacing(fontMetrics().height());
    columnLayout->addWidget(m_demoHint);

    auto *centre = new QHBoxLayout;
    centre->addStretch(1);
    centre->addWidget(column, 3);
    centre->addStretch(1);
    auto *outer = new QVBoxLayout(this);
    outer->addStretch(1);
    outer->addLayout(centre);
    outer->addStretch(2);

    showPage(Page::Identifier);
}

SignInWidget::~SignInWidget() = default;

QWidget *SignInWidget::buildIdentifierPage()
{
    auto *page = new QWidget;
    page->setObjectName(u"identifierPage"_s);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);

    auto *label = new QLabel(tr("&E-mail address or phone number"), page);
    m_identifierEdit = makeEdit(u"identifierEdit"_s, page);
    m_identifierEdit->setPlaceholderText(tr("name@hospital.org or +14155550123"));
    m_identifierEdit->setAccessibleName(tr("E-mail address or phone number"));
    m_identifierEdit->setInputMethodHints(Qt::ImhNoAutoUppercase | Qt::ImhNoPredictiveText);
    label->setBuddy(m_identifierEdit);
    auto *hint = makeText(u"identifierHint"_s, page);
    hint->setText(tr("We send you a one-time code; no password needed. Phone numbers start "
                     "with + and the country code."));
    m_continueButton = makeButton(u"continueButton"_s, tr("Continue"), page);
    m_registerButton = makeLinkButton(u"registerButton"_s, tr("Create an account"), page);
    connect(m_continueButton, &QPushButton::clicked, this, &SignInWidget::continueWithIdentifier);
    connect(m_registerButton, &QPushButton::clicked, this, [this] {
        const QString typed = m_identifierEdit->text().trimmed();
        const QString normalized = domain::normalizeIdentifier(typed);
        // Carry over what was typed on the first page.
        if (!normalized.isEmpty() && domain::isEmailIdentifier(normalized) &&
            m_registerEmail->text().isEmpty())
            m_registerEmail->setText(normalized);
        else if (!normalized.isEmpty() && !domain::isEmailIdentifier(normalized) &&
                 m_registerPhone->text().isEmpty())
            m_registerPhone->setText(normalized);
        showPage(Page::Register);
    });

    layout->addWidget(label);
    layout->addWidget(m_identifierEdit);
    layout->addWidget(hint);
    layout->addWidget(m_continueButton);
    layout->addWidget(m_registerButton, 0, Qt::AlignLeft);
    layout->addStretch(1);
    return page;
}

QWidget *SignInWidget::buildChannelPage()
{
    auto *page = new QWidget;
    page->setObjectName(u"channelPage"_s);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);

    m_channelPrompt = makeText(u"channelPrompt"_s, page);
    m_channelEmail = new QRadioButton(page);
    m_channelEmail->setObjectName(u"channelEmail"_s);
    m_channelSms = new QRadioButton(page);
    m_channelSms->setObjectName(u"channelSms"_s);
    m_channelWhatsapp = new QRadioButton(page);
    m_channelWhatsapp->setObjectName(u"channelWhatsapp"_s);
    auto *group = new QButtonGroup(page);
    group->addButton(m_channelEmail);
    group->addButton(m_channelSms);
    group->addButton(m_channelWhatsapp);

    m_sendCodeButton = makeButton(u"sendCodeButton"_s, tr("Send code"), page);
    m_channelPasswordButton =
        makeLinkButton(u"channelPasswordButton"_s, tr("Use a password instead"), page);
    m_channelBackButton = makeLinkButton(u"channelBackButton"_s, tr("Back"), page);
    connect(m_sendCodeButton, &QPushButton::clicked, this, &SignInWidget::sendCode);
    connect(m_channelPasswordButton, &QPushButton::clicked, this,
            [this] { showPage(Page::Password); });
    connect(m_channelBackButton, &QPushButton::clicked, this, &SignInWidget::goBack);

    layout->addWidget(m_channelPrompt);
    layout->addWidget(m_channelEmail);
    layout->addWidget(m_channelSms);
    layout->addWidget(m_channelWhatsapp);
    layout->addWidget(m_sendCodeButton);
    auto *links = new QHBoxLayout;
    links->addWidget(m_channelBackButton);
    links->addStretch(1);
    links->addWidget(m_channelPasswordButton);
    layout->addLayout(links);
    layout->addStretch(1);
    return page;
}

QWidget *SignInWidget::buildCodePage()
{
    auto *page = new QWidget;
    page->setObjectName(u"codePage"_s);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);

    m_codePrompt = makeText(u"codePrompt"_s, page);
    m_otpInput = new OtpCodeInput(page);
    m_otpInput->setObjectName(u"otpInput"_s);
    m_verifyButton = makeButton(u"verifyButton"_s, tr("Verify"), page);
    m_verifyButton->setEnabled(false);
    m_resendButton = makeButton(u"resendButton"_s, tr("Resend code"), page);
    m_usePasswordButton =
        makeLinkButton(u"usePasswordButton"_s, tr("Use a password instead"), page);
    m_codeBackButton = makeLinkButton(u"codeBackButton"_s, tr("Back"), page);

    connect(m_otpInput, &OtpCodeInput::completed, this, [this](const QString &code) {
        if (this->page() == Page::Code && !m_busy)
            verifyCode(code);
    });
    connect(m_otpInput, &OtpCodeInput::codeChanged, this,
            [this] { m_verifyButton->setEnabled(!m_busy && m_otpInput->isComplete()); });
    connect(m_verifyButton, &QPushButton::clicked, this, [this] {
        if (m_otpInput->isComplete())
            verifyCode(m_otpInput->code());
    });
    connect(m_resendButton, &QPushButton::clicked, this, &SignInWidget::resendCode);
    connect(m_usePasswordButton, &QPushButton::clicked, this, [this] { showPage(Page::Password); });
    connect(m_codeBackButton, &QPushButton::clicked, this, &SignInWidget::goBack);

    layout->addWidget(m_codePrompt);
    layout->addWidget(m_otpInput);
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_verifyButton);
    actions->addWidget(m_resendButton);
    layout->addLayout(actions);
    auto *links = new QHBoxLayout;
    links->addWidget(m_codeBackButton);
    links->addStretch(1);
    links->addWidget(m_usePasswordButton);
    layout->addLayout(links);
    layout->addStretch(1);
    return page;
}

QWidget *SignInWidget::buildPasswordPage()
{
    auto *page = new QWidget;
    page->setObjectName(u"passwordPage"_s);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);

    m_passwordIdentifier = makeText(u"passwordIdentifier"_s, page);
    auto *label = new QLabel(tr("&Password"), page);
    m_passwordEdit = makeEdit(u"passwordEdit"_s, page);
    m_passwordEdit->setEchoMode(QLineEdit::Password);
    m_passwordEdit->setAccessibleName(tr("Password"));
    label->setBuddy(m_passwordEdit);
    m_signInButton = makeButton(u"signInButton"_s, tr("Sign in"), page);
    m_forgotButton = makeLinkButton(u"forgotPasswordButton"_s, tr("Forgot password?"), page);
    m_useCodeButton = makeLinkButton(u"useCodeButton"_s, tr("Sign in with a code instead"), page);
    m_passwordBackButton = makeLinkButton(u"passwordBackButton"_s, tr("Back"), page);
    connect(m_signInButton, &QPushButton::clicked, this, &SignInWidget::signInWithPassword);
    connect(m_forgotButton, &QPushButton::clicked, this, &SignInWidget::forgotPassword);
    connect(m_useCodeButton, &QPushButton::clicked, this, [this] { showPage(Page::Channel); });
    connect(m_passwordBackButton, &QPushButton::clicked, this, &SignInWidget::goBack);

    layout->addWidget(m_passwordIdentifier);
    layout->addWidget(label);
    layout->addWidget(m_passwordEdit);
    layout->addWidget(m_signInButton);
    auto *links = new QHBoxLayout;
    links->addWidget(m_passwordBackButton);
    links->addStretch(1);
    links->addWidget(m_useCodeButton);
    links->addWidget(m_forgotButton);
    layout->addLayout(links);
    layout->addStretch(1);
    return page;
}

QWidget *SignInWidget::buildRegisterPage()
{
    auto *page = new QWidget;
    page->setObjectName(u"registerPage"_s);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);

    auto *intro = makeText(u"registerIntro"_s, page);
    intro->setText(tr("New accounts are checked before use: after you confirm your e-mail "
                      "address or phone number with a code, an administrator of your "
                      "organization approves the account. Until then you cannot sign in."));
    layout->addWidget(intro);

    const auto addField = [&](const QString &caption, QLineEdit *edit, QLabel *error) {
        auto *label = new QLabel(caption, page);
        label->setBuddy(edit);
        edit->setAccessibleName(QString(caption).remove(u'&'));
        layout->addWidget(label);
        layout->addWidget(edit);
        layout->addWidget(error);
    };
    m_registerName = makeEdit(u"registerNameEdit"_s, page);
    m_registerNameError = makeFieldError(u"registerNameError"_s, page);
    addField(tr("&Name"), m_registerName, m_registerNameError);
    m_registerEmail = makeEdit(u"registerEmailEdit"_s, page);
    m_registerEmail->setPlaceholderText(tr("name@hospital.org"));
    m_registerEmailError = makeFieldError(u"registerEmailError"_s, page);
    addField(tr("&E-mail address"), m_registerEmail, m_registerEmailError);
    m_registerPhone = makeEdit(u"registerPhoneEdit"_s, page);
    m_registerPhone->setPlaceholderText(tr("+14155550123"));
    m_registerPhoneError = makeFieldError(u"registerPhoneError"_s, page);
    addField(tr("P&hone number (optional when you give an e-mail address)"), m_registerPhone,
             m_registerPhoneError);
    m_registerPassword = makeEdit(u"registerPasswordEdit"_s, page);
    m_registerPassword->setEchoMode(QLineEdit::Password);
    m_registerPasswordError = makeFieldError(u"registerPasswordError"_s, page);
    addField(tr("Pass&word (optional)"), m_registerPassword, m_registerPasswordError);
    auto *hint = makeText(u"registerPasswordHint"_s, page);
    hint->setText(tr("Without a password you sign in with codes only. A password needs at "
                     "least %1 characters and must not be a common one.")
                      .arg(kMinPasswordCharacters));
    layout->addWidget(hint);

    m_registerSubmit = makeButton(u"registerSubmitButton"_s, tr("Create account"), page);
    m_registerBackButton = makeLinkButton(u"registerBackButton"_s, tr("Back to sign in"), page);
    connect(m_registerSubmit, &QPushButton::clicked, this, &SignInWidget::registerAccount);
    connect(m_registerBackButton, &QPushButton::clicked, this, &SignInWidget::goBack);
    layout->addWidget(m_registerSubmit);
    layout->addWidget(m_registerBackButton, 0, Qt::AlignLeft);
    layout->addStretch(1);
    return page;
}

QWidget *SignInWidget::buildResetPage()
{
    auto *page = new QWidget;
    page->setObjectName(u"resetPage"_s);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);

    m_resetPrompt = makeText(u"resetPrompt"_s, page);
    m_resetCode = new OtpCodeInput(page);
    m_resetCode->setObjectName(u"resetCodeInput"_s);
    m_resetCode->setBoxNamePrefix(u"resetDigit"_s); // "otpDigit0".. stay unique to the code page
    auto *newLabel = new QLabel(tr("&New password"), page);
    m_newPassword = makeEdit(u"newPasswordEdit"_s, page);
    m_newPassword->setEchoMode(QLineEdit::Password);
    m_newPassword->setAccessibleName(tr("New password"));
    newLabel->setBuddy(m_newPassword);
    m_newPasswordError = makeFieldError(u"newPasswordError"_s, page);
    auto *confirmLabel = new QLabel(tr("&Repeat the new password"), page);
    m_confirmPassword = makeEdit(u"confirmPasswordEdit"_s, page);
    m_confirmPassword->setEchoMode(QLineEdit::Password);
    m_confirmPassword->setAccessibleName(tr("Repeat the new password"));
    confirmLabel->setBuddy(m_confirmPassword);
    auto *hint = makeText(u"resetPasswordHint"_s, page);
    hint->setText(tr("At least %1 characters, not a common password.").arg(kMinPasswordCharacters));
    m_resetButton = makeButton(u"resetPasswordButton"_s, tr("Set new password"), page);
    m_resetBackButton = makeLinkButton(u"resetBackButton"_s, tr("Back"), page);
    connect(m_resetCode, &OtpCodeInput::completed, this, [this] {
        if (this->page() == Page::ResetPassword)
            m_newPassword->setFocus(Qt::OtherFocusReason);
    });
    connect(m_resetButton, &QPushButton::clicked, this, &SignInWidget::resetPassword);
    connect(m_resetBackButton, &QPushButton::clicked, this, &SignInWidget::goBack);

    layout->addWidget(m_resetPrompt);
    layout->addWidget(m_resetCode);
    layout->addWidget(newLabel);
    layout->addWidget(m_newPassword);
    layout->addWidget(m_newPasswordError);
    layout->addWidget(confirmLabel);
    layout->addWidget(m_confirmPassword);
    layout->addWidget(hint);
    layout->addWidget(m_resetButton);
    layout->addWidget(m_resetBackButton, 0, Qt::AlignLeft);
    layout->addStretch(1);
    return page;
}

QWidget *SignInWidget::buildPendingPage()
{
    auto *page = new QWidget;
    page->setObjectName(u"pendingPage"_s);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    m_pendingLabel = makeText(u"pendingApprovalLabel"_s, page);
    m_pendingLabel->setText(
        tr("Your account is confirmed and now awaits approval. An administrator of your "
           "organization must approve it before you can sign in; once they have, sign in "
           "here with a code or your password."));
    m_pendingBackButton = makeButton(u"pendingBackButton"_s, tr("Back to sign in"), page);
    connect(m_pendingBackButton, &QPushButton::clicked, this, &SignInWidget::goBack);
    layout->addWidget(m_pendingLabel);
    layout->addWidget(m_pendingBackButton, 0, Qt::AlignLeft);
    layout->addStretch(1);
    return page;
}

// --- public API -----------------------------------------------------------------------

void SignInWidget::setIdentifier(const QString &identifier)
{
    m_identifierEdit->setText(identifier);
}

QString SignInWidget::identifier() const
{
    return m_identifierEdit->text().trimmed();
}

void SignInWidget::setDemoHint(bool demo)
{
    m_demoHint->setVisible(demo);
}

void SignInWidget::reset()
{
    ++m_generation; // answers still on their way belong to the old screen
    setBusy(false);
    m_otpInput->clear();
    m_resetCode->clear();
    m_passwordEdit->clear();
    m_newPassword->clear();
    m_confirmPassword->clear();
    m_registerPassword->clear();
    clearFieldErrors();
    m_purpose = u"login"_s;
    showPage(Page::Identifier);
}

SignInWidget::Page SignInWidget::page() const
{
    return Page(m_pages->currentIndex());
}

QString SignInWidget::message() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

int SignInWidget::resendWait() const
{
    const qint64 remaining = m_resendAvailableMs - m_resendClock.elapsed();
    return remaining > 0 ? int((remaining + 999) / 1000) : 0;
}

// --- navigation -----------------------------------------------------------------------

void SignInWidget::showPage(Page page)
{
    clearMessage();
    m_pages->setCurrentIndex(int(page));
    switch (page) {
    case Page::Identifier:
        m_title->setText(tr("Sign in to MedDispatch"));
        m_identifierEdit->setFocus(Qt::OtherFocusReason);
        m_identifierEdit->selectAll();
        break;
    case Page::Channel:
        m_title->setText(tr("Sign in to MedDispatch"));
        updateChannelPage();
        if (m_channelEmail->isChecked() && !m_channelEmail->isHidden())
            m_channelEmail->setFocus(Qt::OtherFocusReason);
        else if (m_channelWhatsapp->isChecked())
            m_channelWhatsapp->setFocus(Qt::OtherFocusReason);
        else
            m_channelSms->setFocus(Qt::OtherFocusReason);
        break;
    case Page::Code:
        m_title->setText(m_purpose == u"register"_s ? tr("Confirm your account")
                                                    : tr("Enter your code"));
        updateCodePage();
        m_otpInput->focusFirstEmpty();
        break;
    case Page::Password:
        m_title->setText(tr("Sign in with a password"));
        m_passwordIdentifier->setText(tr("Signing in as %1").arg(m_identifier));
        m_passwordEdit->setFocus(Qt::OtherFocusReason);
        break;
    case Page::Register:
        m_title->setText(tr("Create an account"));
        m_registerName->setFocus(Qt::OtherFocusReason);
        break;
    case Page::ResetPassword:
        m_title->setText(tr("Choose a new password"));
        m_resetCode->focusFirstEmpty();
        break;
    case Page::PendingApproval:
        m_title->setText(tr("Awaiting approval"));
        m_pendingBackButton->setFocus(Qt::OtherFocusReason);
        break;
    }
}

void SignInWidget::updateChannelPage()
{
    const bool email = domain::isEmailIdentifier(m_identifier);
    m_channelPrompt->setText(tr("Where should we send the sign-in code for %1?").arg(m_identifier));
    m_channelEmail->setText(tr("E-mail to %1").arg(m_identifier));
    m_channelSms->setText(tr("Text message (SMS) to %1").arg(m_identifier));
    m_channelWhatsapp->setText(tr("WhatsApp message to %1").arg(m_identifier));
    m_channelEmail->setVisible(email);
    m_channelSms->setVisible(!email);
    m_channelWhatsapp->setVisible(!email);
    if (email)
        m_channelEmail->setChecked(true);
    else if (!m_channelSms->isChecked() && !m_channelWhatsapp->isChecked())
        m_channelSms->setChecked(true);
}

void SignInWidget::updateCodePage()
{
    QString where;
    if (m_codeChannel == u"email"_s)
        where = tr("by e-mail to %1").arg(m_identifier);
    else if (m_codeChannel == u"whatsapp"_s)
        where = tr("by WhatsApp to %1").arg(m_identifier);
    else
        where = tr("by text message to %1").arg(m_identifier);
    if (m_purpose == u"register"_s)
        m_codePrompt->setText(
            tr("We sent a 6-digit confirmation code %1. Enter it to confirm your account.")
                .arg(where));
    else
        m_codePrompt->setText(tr("We sent a 6-digit code %1. It is valid for 10 minutes; you "
                                 "can paste it into the first box.")
                                  .arg(where));
    m_usePasswordButton->setVisible(m_purpose != u"register"_s);
    m_verifyButton->setEnabled(!m_busy && m_otpInput->isComplete());
    updateResendButton();
}

void SignInWidget::goBack()
{
    if (m_busy)
        return;
    switch (page()) {
    case Page::Identifier:
        break;
    case Page::Channel:
    case Page::Register:
    case Page::PendingApproval:
        showPage(Page::Identifier);
        break;
    case Page::Code:
        showPage(m_purpose == u"register"_s ? Page::Register : Page::Channel);
        break;
    case Page::Password:
        showPage(Page::Channel);
        break;
    case Page::ResetPassword:
        showPage(Page::Password);
        break;
    }
}

void SignInWidget::submitPage()
{
    if (m_busy)
        return;
    switch (page()) {
    case Page::Identifier:
        continueWithIdentifier();
        break;
    case Page::Channel:
        sendCode();
        break;
    case Page::Code:
        if (m_otpInput->isComplete())
            verifyCode(m_otpInput->code());
        else
            showMessage(tr("Enter all six digits of the code."));
        break;
    case Page::Password:
        signInWithPassword();
        break;
    case Page::Register:
        registerAccount();
        break;
    case Page::ResetPassword:
        resetPassword();
        break;
    case Page::PendingApproval:
        showPage(Page::Identifier);
        break;
    }
}

void SignInWidget::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Return:
    case Qt::Key_Enter: {
        // Enter on a focused button means that button, anywhere else the page's action.
        auto *button = qobject_cast<QPushButton *>(focusWidget());
        if (button && m_pages->currentWidget()->isAncestorOf(button)) {
            if (button->isEnabled())
                button->click();
        } else {
            submitPage();
        }
        event->accept();
        return;
    }
    case Qt::Key_Escape:
        goBack();
        event->accept();
        return;
    default:
        QWidget::keyPressEvent(event);
    }
}

// --- state ----------------------------------------------------------------------------

void SignInWidget::setBusy(bool busy)
{
    m_busy = busy;
    m_busyBar->setVisible(busy);
    const QList<QAbstractButton *> buttons = m_pages->findChildren<QAbstractButton *>();
    for (QAbstractButton *button : buttons)
        button->setEnabled(!busy);
    m_otpInput->setEnabled(!busy);
    m_resetCode->setEnabled(!busy);
    if (!busy) {
        m_verifyButton->setEnabled(m_otpInput->isComplete());
        updateResendButton();
    }
}

void SignInWidget::showMessage(const QString &text, bool error)
{
    m_message->setText(text);
    QFont font = m_message->font();
    font.setBold(error);
    m_message->setFont(font);
    m_message->setAccessibleDescription(error ? tr("Error") : QString());
    m_message->setVisible(!text.isEmpty());
}

void SignInWidget::clearMessage()
{
    m_message->clear();
    m_message->hide();
}

void SignInWidget::clearFieldErrors()
{
    for (QLabel *label : {m_registerNameError, m_registerEmailError, m_registerPhoneError,
                          m_registerPasswordError, m_newPasswordError})
        setFieldError(label, {});
}

void SignInWidget::showFieldErrors(const client::ApiError &error)
{
    setFieldError(m_registerNameError, error.fieldError(u"name"_s));
    setFieldError(m_registerEmailError, error.fieldError(u"email"_s));
    setFieldError(m_registerPhoneError, error.fieldError(u"phone"_s));
    setFieldError(m_registerPasswordError, error.fieldError(u"password"_s));
    setFieldError(m_newPasswordError, error.fieldError(u"new_password"_s));
}

void SignInWidget::startResendCountdown(int seconds)
{
    m_resendAvailableMs = m_resendClock.elapsed() + qint64(qMax(0, seconds)) * 1000;
    if (seconds > 0)
        m_resendTimer.start();
    updateResendButton();
}

void SignInWidget::updateResendButton()
{
    const int wait = resendWait();
    if (wait > 0) {
        m_resendButton->setText(wait > 90 ? tr("Resend in %1 min").arg((wait + 59) / 60)
                                          : tr("Resend in %1 s").arg(wait));
        m_resendButton->setEnabled(false);
        return;
    }
    m_resendTimer.stop();
    m_resendButton->setText(tr("Resend code"));
    m_resendButton->setEnabled(!m_busy);
}

// --- requests -------------------------------------------------------------------------

void SignInWidget::post(const QString &path, const QJsonObject &body,
                        std::function<void(const client::ApiResult &)> done)
{
    const quint64 generation = m_generation;
    setBusy(true);
    m_context.api->postAnonymous(
        path, body, this,
        [this, generation, done = std::move(done)](const client::ApiResult &result) {
            if (generation != m_generation)
                return;
            setBusy(false);
            done(result);
        });
}

void SignInWidget::acceptTokens(const QJsonObject &pair)
{
    m_context.session->acceptTokens(pair);
    // Secrets do not stay in widgets once they have served.
    m_otpInput->clear();
    m_resetCode->clear();
    m_passwordEdit->clear();
    m_newPassword->clear();
    m_confirmPassword->clear();
    m_registerPassword->clear();
    clearMessage();
    Q_EMIT signedIn();
}

QString SignInWidget::channel() const
{
    if (domain::isEmailIdentifier(m_identifier))
        return u"email"_s;
    return m_channelWhatsapp->isChecked() ? u"whatsapp"_s : u"sms"_s;
}

int SignInWidget::waitSeconds(const client::ApiError &error)
{
    if (error.retryAfterSeconds > 0)
        return error.retryAfterSeconds;
    return error.details.value(u"retry_after_seconds"_s).toInt(-1);
}

QString SignInWidget::errorSentence(const client::ApiError &error) const
{
    const int wait = waitSeconds(error);
    if (error.status == 423) {
        if (wait > 0)
            return tr("Too many failed attempts, so this account is locked for now. Try again "
                      "in %1.")
                .arg(client::describeWait(wait));
        return tr("This account is locked after too many failed attempts. An administrator "
                  "must unlock it.");
    }
    if (error.status == 429 && wait > 0)
        return tr("Too many attempts in a short time. Try again in %1.")
            .arg(client::describeWait(wait));
    const QString message = error.userMessage();
    return message.isEmpty() ? tr("Something went wrong. Try again.") : message;
}

QString SignInWidget::deviceName()
{
    const QString host = QSysInfo::machineHostName();
    return host.isEmpty() ? tr("MedDispatch desktop") : host.left(200);
}

void SignInWidget::continueWithIdentifier()
{
    const QString normalized = domain::normalizeIdentifier(m_identifierEdit->text());
    if (normalized.isEmpty()) {
        showMessage(tr("Enter your e-mail address, or your phone number with its country code "
                       "(such as +14155550123)."));
        m_identifierEdit->setFocus(Qt::OtherFocusReason);
        return;
    }
    m_identifier = normalized;
    showPage(Page::Channel);
}

void SignInWidget::sendCode()
{
    const QString channelName = channel();
    const QJsonObject body{
        {u"identifier"_s, m_identifier}, {u"channel"_s, channelName}, {u"purpose"_s, u"login"_s}};
    post(u"/v1/auth/otp/send"_s, body, [this, channelName](const client::ApiResult &result) {
        if (result.ok() || result.error.status == 429) {
            m_purpose = u"login"_s;
            m_codeChannel = channelName;
            m_otpInput->clear();
            const int wait = result.ok()
                                 ? result.json.value(u"resend_after"_s).toInt(kDefaultResendSeconds)
                                 : waitSeconds(result.error);
            startResendCountdown(wait > 0 ? wait : kDefaultResendSeconds);
            showPage(Page::Code);
            // A refused send means a code went out a moment ago: it can still be entered.
            if (!result.ok())
                showMessage(tr("A code was sent a short while ago: enter it below. You can ask "
                               "for a new one in %1.")
                                .arg(client::describeWait(resendWait())));
            return;
        }
        const QString problem = result.error.fieldError(u"identifier"_s).isEmpty()
                                    ? result.error.fieldError(u"channel"_s)
                                    : result.error.fieldError(u"identifier"_s);
        showMessage(problem.isEmpty() ? errorSentence(result.error)
                                      : tr("The server refused this: %1.").arg(problem));
    });
}

void SignInWidget::resendCode()
{
    if (m_busy || resendWait() > 0)
        return;
    const QJsonObject body{
        {u"identifier"_s, m_identifier}, {u"channel"_s, m_codeChannel}, {u"purpose"_s, m_purpose}};
    post(u"/v1/auth/otp/send"_s, body, [this](const client::ApiResult &result) {
        if (result.ok()) {
            m_otpInput->clear();
            startResendCountdown(result.json.value(u"resend_after"_s).toInt(kDefaultResendSeconds));
            m_otpInput->focusFirstEmpty();
            showMessage(tr("A new code is on its way. Only the newest code works."), false);
            return;
        }
        const int wait = waitSeconds(result.error);
        if (result.error.status == 429 && wait > 0) {
            startResendCountdown(wait);
            showMessage(tr("No new code was sent: too many were asked for. You can ask again in "
                           "%1.")
                            .arg(client::describeWait(wait)));
        } else {
            showMessage(errorSentence(result.error));
        }
        m_otpInput->focusFirstEmpty();
    });
}

void SignInWidget::verifyCode(const QString &code)
{
    if (m_busy)
        return;
    const QJsonObject body{
        {u"identifier"_s, m_identifier}, {u"code"_s, code}, {u"device_name"_s, deviceName()}};
    post(u"/v1/auth/otp/verify"_s, body, [this](const client::ApiResult &result) {
        if (result.ok()) {
            acceptTokens(result.json);
            return;
        }
        const client::ApiError &error = result.error;
        if (error.status == 403 && error.code == u"pending_approval"_s) {
            m_otpInput->clear();
            showPage(Page::PendingApproval);
            return;
        }
        if (error.isOffline() || error.kind == client::ApiError::Kind::Tls) {
            // The code may still be right: keep it for another try with Verify or Enter.
            showMessage(errorSentence(error));
            m_otpInput->focusFirstEmpty();
            return;
        }
        m_otpInput->clear();
        m_otpInput->focusFirstEmpty();
        if (error.status == 401)
            showMessage(tr("That code is not right. Check the latest message and try again."));
        else
            showMessage(errorSentence(error));
    });
}

void SignInWidget::signInWithPassword()
{
    if (m_passwordEdit->text().isEmpty()) {
        showMessage(tr("Enter your password."));
        m_passwordEdit->setFocus(Qt::OtherFocusReason);
        return;
    }
    const QJsonObject body{{u"identifier"_s, m_identifier},
                           {u"password"_s, m_passwordEdit->text()},
                           {u"device_name"_s, deviceName()}};
    post(u"/v1/auth/login"_s, body, [this](const client::ApiResult &result) {
        if (result.ok()) {
            acceptTokens(result.json);
            return;
        }
        const client::ApiError &error = result.error;
        if (error.status == 403 && error.code == u"pending_approval"_s) {
            m_passwordEdit->clear();
            showPage(Page::PendingApproval);
            return;
        }
        if (error.status == 403 && error.code == u"unverified"_s) {
            // The password was right but the account was never confirmed: send the
            // confirmation code and ask for it.
            m_passwordEdit->clear();
            m_purpose = u"register"_s;
            m_codeChannel = domain::isEmailIdentifier(m_identifier) ? u"email"_s : u"sms"_s;
            const QJsonObject send{{u"identifier"_s, m_identifier},
                                   {u"channel"_s, m_codeChannel},
                                   {u"purpose"_s, u"register"_s}};
            post(u"/v1/auth/otp/send"_s, send, [this](const client::ApiResult &sent) {
                const int wait = sent.ok() ? kDefaultResendSeconds : waitSeconds(sent.error);
                m_otpInput->clear();
                startResendCountdown(wait > 0 ? wait : kDefaultResendSeconds);
                showPage(Page::Code);
                showMessage(tr("Your account is not confirmed yet. Enter the code we sent to "
                               "confirm it."),
                            false);
            });
            return;
        }
        m_passwordEdit->setFocus(Qt::OtherFocusReason);
        m_passwordEdit->selectAll();
        if (error.status == 401)
            showMessage(tr("The e-mail address, phone number or password is not right."));
        else
            showMessage(errorSentence(error));
    });
}

void SignInWidget::forgotPassword()
{
    const QJsonObject body{{u"identifier"_s, m_identifier}};
    post(u"/v1/auth/password/forgot"_s, body, [this](const client::ApiResult &result) {
        if (!result.ok() && result.error.status != 429) {
            showMessage(errorSentence(result.error));
            return;
        }
        m_resetCode->clear();
        m_newPassword->clear();
        m_confirmPassword->clear();
        setFieldError(m_newPasswordError, {});
        m_resetPrompt->setText(
            domain::isEmailIdentifier(m_identifier)
                ? tr("If %1 belongs to an account, we sent a code to it by e-mail. Enter the "
                     "code and choose a new password.")
                      .arg(m_identifier)
                : tr("If %1 belongs to an account, we sent a code to it by text message. Enter "
                     "the code and choose a new password.")
                      .arg(m_identifier));
        showPage(Page::ResetPassword);
        if (!result.ok())
            showMessage(tr("A code was sent a short while ago: use that one. You can ask for a "
                           "new one in %1.")
                            .arg(client::describeWait(qMax(1, waitSeconds(result.error)))));
    });
}

void SignInWidget::resetPassword()
{
    setFieldError(m_newPasswordError, {});
    if (!m_resetCode->isComplete()) {
        showMessage(tr("Enter all six digits of the code."));
        m_resetCode->focusFirstEmpty();
        return;
    }
    const QString password = m_newPassword->text();
    if (characterCount(password) < kMinPasswordCharacters) {
        setFieldError(m_newPasswordError,
                      tr("Use at least %1 characters.").arg(kMinPasswordCharacters));
        m_newPassword->setFocus(Qt::OtherFocusReason);
        return;
    }
    if (password != m_confirmPassword->text()) {
        setFieldError(m_newPasswordError, tr("The two passwords are not the same."));
        m_confirmPassword->setFocus(Qt::OtherFocusReason);
        return;
    }
    const QJsonObject body{{u"identifier"_s, m_identifier},
                           {u"code"_s, m_resetCode->code()},
                           {u"new_password"_s, password}};
    post(u"/v1/auth/password/reset"_s, body, [this](const client::ApiResult &result) {
        if (result.ok()) {
            m_resetCode->clear();
            m_newPassword->clear();
            m_confirmPassword->clear();
            m_passwordEdit->clear();
            showPage(Page::Password);
            showMessage(tr("Your password has been changed and your other sessions were signed "
                           "out. Sign in with the new password."),
                        false);
            return;
        }
        const client::ApiError &error = result.error;
        if (error.status == 422 && !error.fieldError(u"new_password"_s).isEmpty()) {
            showFieldErrors(error);
            m_newPassword->setFocus(Qt::OtherFocusReason);
            return;
        }
        if (error.status == 401) {
            m_resetCode->clear();
            m_resetCode->focusFirstEmpty();
            showMessage(tr("That code is not right. Check the latest message and try again."));
            return;
        }
        showMessage(errorSentence(error));
    });
}

void SignInWidget::registerAccount()
{
    clearFieldErrors();
    const QString name = m_registerName->text().trimmed();
    const QString email = m_registerEmail->text().trimmed();
    const QString phone = m_registerPhone->text().trimmed();
    const QString password = m_registerPassword->text();
    const QString normalizedEmail = domain::normalizeIdentifier(email);
    const QString normalizedPhone = domain::normalizeIdentifier(phone);

    QWidget *firstBad = nullptr;
    const auto refuse = [&](QLabel *label, QWidget *field, const QString &problem) {
        setFieldError(label, problem);
        if (!firstBad)
            firstBad = field;
    };
    if (name.isEmpty())
        refuse(m_registerNameError, m_registerName, tr("Enter your name."));
    if (email.isEmpty() && phone.isEmpty())
        refuse(m_registerEmailError, m_registerEmail,
               tr("Enter an e-mail address or a phone number: the confirmation code goes "
                  "there."));
    if (!email.isEmpty() &&
        (normalizedEmail.isEmpty() || !domain::isEmailIdentifier(normalizedEmail)))
        refuse(m_registerEmailError, m_registerEmail,
               tr("This does not look like an e-mail address."));
    if (!phone.isEmpty() &&
        (normalizedPhone.isEmpty() || domain::isEmailIdentifier(normalizedPhone)))
        refuse(m_registerPhoneError, m_registerPhone,
               tr("Write the number with + and its country code, such as +14155550123."));
    if (!password.isEmpty() && characterCount(password) < kMinPasswordCharacters)
        refuse(m_registerPasswordError, m_registerPassword,
               tr("Use at least %1 characters, or leave it empty to sign in with codes only.")
                   .arg(kMinPasswordCharacters));
    if (firstBad) {
        firstBad->setFocus(Qt::OtherFocusReason);
        return;
    }

    QJsonObject body{{u"name"_s, name}};
    if (!email.isEmpty())
        body.insert(u"email"_s, normalizedEmail);
    if (!phone.isEmpty())
        body.insert(u"phone"_s, normalizedPhone);
    if (!password.isEmpty())
        body.insert(u"password"_s, password);
    const QString identifier = !email.isEmpty() ? normalizedEmail : normalizedPhone;
    post(u"/v1/auth/register"_s, body, [this, identifier](const client::ApiResult &result) {
        if (result.ok()) {
            // The server sent the confirmation code itself (to the e-mail address when
            // there is one, else by SMS).
            m_identifier = identifier;
            m_identifierEdit->setText(identifier);
            m_purpose = u"register"_s;
            m_codeChannel = domain::isEmailIdentifier(identifier) ? u"email"_s : u"sms"_s;
            m_registerPassword->clear();
            m_otpInput->clear();
            startResendCountdown(kDefaultResendSeconds);
            showPage(Page::Code);
            showMessage(tr("Your account has been created. Confirm it with the code we sent."),
                        false);
            return;
        }
        const client::ApiError &error = result.error;
        if (error.status == 422 && !error.fields().isEmpty()) {
            showFieldErrors(error);
            showMessage(tr("Check the fields marked below."));
            return;
        }
        showMessage(errorSentence(error));
    });
}

} // namespace md::ui
