#include "firstrundialog.h"

#include "domain/user.h"

#include <QCommandLinkButton>
#include <QHBoxLayout>
#include <QHostAddress>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace md::ui {

namespace {

constexpr int kMinPasswordCharacters = 10;

QLabel *makeText(const QString &objectName, const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    return label;
}

QLineEdit *makeEdit(const QString &objectName, const QString &accessibleName, QWidget *parent)
{
    auto *edit = new QLineEdit(parent);
    edit->setObjectName(objectName);
    edit->setAccessibleName(accessibleName);
    return edit;
}

bool isLoopbackHost(const QString &host)
{
    if (host.compare(u"localhost"_s, Qt::CaseInsensitive) == 0 ||
        host.endsWith(u".localhost"_s, Qt::CaseInsensitive))
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

} // namespace

FirstRunDialog::FirstRunDialog(Backend &backend, QWidget *parent)
    : QDialog(parent), m_backend(backend)
{
    setObjectName(u"firstRunDialog"_s);
    setWindowTitle(tr("Welcome to MedDispatch"));
    setMinimumWidth(fontMetrics().averageCharWidth() * 64);

    auto *title = makeText(u"firstRunTitle"_s, tr("How will you use MedDispatch?"), this);
    QFont titleFont = title->font();
    titleFont.setBold(true);
    if (titleFont.pointSizeF() > 0)
        titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    title->setFont(titleFont);

    m_message = makeText(u"firstRunMessage"_s, {}, this);
    m_message->setFrameShape(QFrame::StyledPanel);
    m_message->setMargin(fontMetrics().averageCharWidth());
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont messageFont = m_message->font();
    messageFont.setBold(true);
    m_message->setFont(messageFont);
    m_message->hide();

    m_busyLabel = makeText(u"firstRunBusyLabel"_s, {}, this);
    m_busyBar = new QProgressBar(this);
    m_busyBar->setObjectName(u"firstRunBusy"_s);
    m_busyBar->setRange(0, 0);
    m_busyBar->setTextVisible(false);
    m_busyBar->setAccessibleName(tr("Working"));
    m_busyLabel->hide();
    m_busyBar->hide();

    m_pages = new QStackedWidget(this);
    m_pages->addWidget(buildChoicePage());
    m_pages->addWidget(buildAdminPage());
    m_pages->addWidget(buildRemotePage());

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(m_message);
    layout->addWidget(m_pages, 1);
    layout->addWidget(m_busyLabel);
    layout->addWidget(m_busyBar);

    showPage(ChoicePage);
}

FirstRunDialog::~FirstRunDialog() = default;

QWidget *FirstRunDialog::buildChoicePage()
{
    auto *page = new QWidget;
    page->setObjectName(u"choicePage"_s);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);

    m_embeddedChoice = new QCommandLinkButton(
        tr("On this computer"),
        tr("MedDispatch runs its server here, with a local database in your user data folder. "
           "You create the first administrator next. Good for one workstation or for trying "
           "it out."),
        page);
    m_embeddedChoice->setObjectName(u"embeddedChoice"_s);
    m_remoteChoice = new QCommandLinkButton(
        tr("Connect to a server"),
        tr("Your organization runs a MedDispatch server: enter its address and sign in with "
           "your account."),
        page);
    m_remoteChoice->setObjectName(u"remoteChoice"_s);
    m_quitButton = new QPushButton(tr("Quit"), page);
    m_quitButton->setObjectName(u"firstRunQuitButton"_s);
    m_quitButton->setAutoDefault(false);

    connect(m_embeddedChoice, &QPushButton::clicked, this, [this] {
        m_choice = Choice::Embedded;
        showPage(AdminPage);
    });
    connect(m_remoteChoice, &QPushButton::clicked, this, [this] {
        m_choice = Choice::Remote;
        showPage(RemotePage);
    });
    connect(m_quitButton, &QPushButton::clicked, this, &QDialog::reject);

    layout->addWidget(m_embeddedChoice);
    layout->addWidget(m_remoteChoice);
    layout->addStretch(1);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_quitButton);
    layout->addLayout(buttons);
    return page;
}

QWidget *FirstRunDialog::buildAdminPage()
{
    auto *page = new QWidget;
    page->setObjectName(u"adminPage"_s);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);

    layout->addWidget(
        makeText(u"adminIntro"_s,
                 tr("Create the first administrator of this MedDispatch installation. This account "
                    "manages organizations, equipment, engineers and the other users."),
                 page));
    const auto addField = [&](const QString &caption, QLineEdit *edit) {
        auto *label = new QLabel(caption, page);
        label->setBuddy(edit);
        layout->addWidget(label);
        layout->addWidget(edit);
    };
    m_adminName = makeEdit(u"adminNameEdit"_s, tr("Name"), page);
    addField(tr("&Name"), m_adminName);
    m_adminEmailEdit = makeEdit(u"adminEmailEdit"_s, tr("E-mail address"), page);
    m_adminEmailEdit->setPlaceholderText(tr("name@hospital.org"));
    addField(tr("&E-mail address"), m_adminEmailEdit);
    m_adminPassword = makeEdit(u"adminPasswordEdit"_s, tr("Password"), page);
    m_adminPassword->setEchoMode(QLineEdit::Password);
    addField(tr("&Password"), m_adminPassword);
    m_adminConfirm = makeEdit(u"adminConfirmEdit"_s, tr("Repeat the password"), page);
    m_adminConfirm->setEchoMode(QLineEdit::Password);
    addField(tr("&Repeat the password"), m_adminConfirm);
    layout->addWidget(makeText(u"adminPasswordHint"_s,
                               tr("At least %1 characters; not a common password, and not "
                                  "your name or e-mail address. A passphrase of a few words "
                                  "works well.")
                                   .arg(kMinPasswordCharacters),
                               page));

    m_createAdminButton = new QPushButton(tr("Create administrator and start"), page);
    m_createAdminButton->setObjectName(u"createAdminButton"_s);
    m_adminBackButton = new QPushButton(tr("Back"), page);
    m_adminBackButton->setObjectName(u"adminBackButton"_s);
    m_adminBackButton->setAutoDefault(false);
    connect(m_createAdminButton, &QPushButton::clicked, this, &FirstRunDialog::createAdministrator);
    connect(m_adminBackButton, &QPushButton::clicked, this, [this] { showPage(ChoicePage); });

    layout->addStretch(1);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_adminBackButton);
    buttons->addStretch(1);
    buttons->addWidget(m_createAdminButton);
    layout->addLayout(buttons);
    return page;
}

QWidget *FirstRunDialog::buildRemotePage()
{
    auto *page = new QWidget;
    page->setObjectName(u"remotePage"_s);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);

    auto *label = new QLabel(tr("Server &address"), page);
    m_serverUrlEdit = makeEdit(u"serverUrlEdit"_s, tr("Server address"), page);
    m_serverUrlEdit->setPlaceholderText(tr("https://meddispatch.example.org"));
    m_serverUrlEdit->setInputMethodHints(Qt::ImhUrlCharactersOnly | Qt::ImhNoAutoUppercase);
    label->setBuddy(m_serverUrlEdit);
    layout->addWidget(label);
    layout->addWidget(m_serverUrlEdit);
    layout->addWidget(makeText(u"serverUrlHint"_s,
                               tr("The connection must be encrypted (https://). Plain http:// "
                                  "is accepted only for a server on this computer."),
                               page));

    m_connectButton = new QPushButton(tr("Connect"), page);
    m_connectButton->setObjectName(u"connectButton"_s);
    m_remoteBackButton = new QPushButton(tr("Back"), page);
    m_remoteBackButton->setObjectName(u"remoteBackButton"_s);
    m_remoteBackButton->setAutoDefault(false);
    connect(m_connectButton, &QPushButton::clicked, this, &FirstRunDialog::connectToServer);
    connect(m_remoteBackButton, &QPushButton::clicked, this, [this] { showPage(ChoicePage); });

    layout->addStretch(1);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_remoteBackButton);
    buttons->addStretch(1);
    buttons->addWidget(m_connectButton);
    layout->addLayout(buttons);
    return page;
}

QString FirstRunDialog::message() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

void FirstRunDialog::showPage(Page page)
{
    showMessage({});
    m_pages->setCurrentIndex(page);
    // Enter means the page's main action.
    m_createAdminButton->setDefault(page == AdminPage);
    m_connectButton->setDefault(page == RemotePage);
    switch (page) {
    case ChoicePage:
        (m_choice == Choice::Remote ? m_remoteChoice : m_embeddedChoice)
            ->setFocus(Qt::OtherFocusReason);
        break;
    case AdminPage:
        m_adminName->setFocus(Qt::OtherFocusReason);
        break;
    case RemotePage:
        m_serverUrlEdit->setFocus(Qt::OtherFocusReason);
        break;
    }
}

void FirstRunDialog::showMessage(const QString &text)
{
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
}

void FirstRunDialog::setBusy(bool busy, const QString &what)
{
    m_busy = busy;
    // Disabled, not cleared: what was typed stays for the next try.
    m_pages->setEnabled(!busy);
    m_busyLabel->setText(what);
    m_busyLabel->setVisible(busy && !what.isEmpty());
    m_busyBar->setVisible(busy);
}

void FirstRunDialog::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Escape) {
        event->accept();
        if (m_busy)
            return;
        if (m_pages->currentIndex() != ChoicePage) {
            showPage(ChoicePage); // Escape steps back; on the first page it quits
            return;
        }
    }
    QDialog::keyPressEvent(event);
}

void FirstRunDialog::createAdministrator()
{
    if (m_busy)
        return;
    const QString name = m_adminName->text().trimmed();
    const QString typedEmail = m_adminEmailEdit->text().trimmed();
    const QString email = domain::normalizeIdentifier(typedEmail);
    const QString password = m_adminPassword->text();

    const auto refuse = [this](QLineEdit *field, const QString &problem) {
        showMessage(problem);
        field->setFocus(Qt::OtherFocusReason);
        field->selectAll();
    };
    if (name.isEmpty())
        return refuse(m_adminName, tr("Enter the administrator's name."));
    if (email.isEmpty() || !domain::isEmailIdentifier(email))
        return refuse(m_adminEmailEdit,
                      tr("Enter a valid e-mail address, such as name@hospital.org."));
    if (password.toUcs4().size() < kMinPasswordCharacters)
        return refuse(m_adminPassword,
                      tr("The password needs at least %1 characters.").arg(kMinPasswordCharacters));
    if (password != m_adminConfirm->text())
        return refuse(m_adminConfirm, tr("The two passwords are not the same. Type the "
                                         "password again in both fields."));

    showMessage({});
    setBusy(true, tr("Starting the MedDispatch server on this computer and creating the "
                     "administrator…"));
    m_backend.createAdministrator(name, email, password, this, [this, email](QString error) {
        setBusy(false);
        if (!error.isEmpty()) {
            showMessage(error);
            m_adminEmailEdit->setFocus(Qt::OtherFocusReason);
            return;
        }
        m_choice = Choice::Embedded;
        m_adminEmail = email;
        m_adminPassword->clear();
        m_adminConfirm->clear();
        accept();
    });
}

QUrl FirstRunDialog::normalizeServerUrl(const QString &text, QString *problem)
{
    const auto refuse = [problem](const QString &why) {
        if (problem)
            *problem = why;
        return QUrl();
    };
    QString typed = text.trimmed();
    if (typed.isEmpty())
        return refuse(tr("Enter the address of the MedDispatch server."));
    if (!typed.contains(u"://"_s))
        typed.prepend(u"https://"_s);
    QUrl url(typed, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty())
        return refuse(tr("This is not a server address. Write it like "
                         "https://meddispatch.example.org."));
    const QString scheme = url.scheme().toLower();
    if (scheme != u"https"_s && scheme != u"http"_s)
        return refuse(tr("The address must start with https://."));
    if (scheme == u"http"_s && !isLoopbackHost(url.host()))
        return refuse(tr("Plain http:// is not encrypted, so it is accepted only for a server "
                         "on this computer. Use the server's https:// address."));
    url.setScheme(scheme);
    url.setUserInfo({});
    url.setQuery(QString());
    url.setFragment(QString());
    QString path = url.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    url.setPath(path);
    if (problem)
        problem->clear();
    return url;
}

void FirstRunDialog::connectToServer()
{
    if (m_busy)
        return;
    QString problem;
    const QUrl url = normalizeServerUrl(m_serverUrlEdit->text(), &problem);
    if (!url.isValid()) {
        showMessage(problem);
        m_serverUrlEdit->setFocus(Qt::OtherFocusReason);
        return;
    }
    showMessage({});
    setBusy(true, tr("Checking %1…").arg(url.toDisplayString()));
    m_backend.checkServer(url, this, [this, url](QString error) {
        setBusy(false);
        if (!error.isEmpty()) {
            showMessage(error);
            m_serverUrlEdit->setFocus(Qt::OtherFocusReason);
            return;
        }
        m_choice = Choice::Remote;
        m_serverUrl = url;
        accept();
    });
}

} // namespace md::ui
