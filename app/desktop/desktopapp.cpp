#include "desktopapp.h"

#include "apiclient.h"
#include "appsettings.h"
#include "connectionmonitor.h"
#include "eventstream.h"
#include "keychaincredentialstore.h"
#include "mainwindow.h"
#include "session.h"
#include "signin/signinwidget.h"
#include "startup/firstrundialog.h"

#include <QApplication>
#include <QPointer>

using namespace Qt::StringLiterals;

namespace md::desktop {

namespace {
// The embedded server's last port: the session stored in the keychain is keyed by it.
const QString kEmbeddedPortKey = u"embedded/port"_s;
} // namespace

// The first-run dialog's two questions, answered with the real server: can this URL
// be reached (TLS refused plainly), and create the embedded server's administrator.
class DesktopApp::FirstRunBackend final : public ui::FirstRunDialog::Backend
{
public:
    explicit FirstRunBackend(DesktopApp &app) : m_app(app) {}

    void checkServer(const QUrl &url, QObject *context,
                     std::function<void(QString error)> done) override
    {
        m_app.m_api->setBaseUrl(url);
        m_app.m_api->getAnonymous(u"/healthz"_s, context,
                                  [done = std::move(done)](const client::ApiResult &result) {
                                      done(result.ok() ? QString() : result.error.userMessage());
                                  });
    }

    void createAdministrator(const QString &name, const QString &email, const QString &password,
                             QObject *context, std::function<void(QString error)> done) override
    {
        m_app.localServerInstance().createAdministrator(email, name, password, context,
                                                        std::move(done));
    }

private:
    DesktopApp &m_app;
};

DesktopApp::DesktopApp(Options options, QObject *parent)
    : QObject(parent), m_options(std::move(options)),
      m_settings(m_options.settingsFile.isEmpty()
                     ? std::make_unique<client::AppSettings>()
                     : std::make_unique<client::AppSettings>(m_options.settingsFile)),
      m_api(std::make_unique<client::ApiClient>())
{
    if (m_options.credentialStore) {
        m_store = m_options.credentialStore;
    } else {
        m_ownedStore = std::make_unique<client::KeychainCredentialStore>();
        m_store = m_ownedStore.get();
    }
    m_session = std::make_unique<client::Session>(m_api.get(), m_store);
    m_api->setSession(m_session.get());
    m_connection = std::make_unique<client::ConnectionMonitor>(m_api.get());
    m_events = std::make_unique<client::EventStream>(m_session.get());
    m_firstRunBackend = std::make_unique<FirstRunBackend>(*this);

    const ui::ViewContext context{m_api.get(), m_session.get(), m_events.get(), m_connection.get()};
    m_window = std::make_unique<ui::MainWindow>(context);
    if (const QByteArray geometry = m_settings->windowGeometry(); !geometry.isEmpty())
        m_window->restoreGeometry(geometry);

    // However the session begins (restored from the keychain, or the sign-in page),
    // the workspace follows.
    connect(m_session.get(), &client::Session::signedIn, this, &DesktopApp::showWorkspace);
    connect(m_window.get(), &ui::MainWindow::signOutRequested, m_session.get(),
            &client::Session::signOut);
    connect(m_session.get(), &client::Session::signedOut, this, [this](const QString &reason) {
        m_events->stop();
        m_window->showSignIn(reason);
        Q_EMIT signInShown();
    });
    connect(m_session.get(), &client::Session::credentialStoreUnavailable, this,
            [this](const QString &explanation) {
                m_window->setKeychainNotice(
                    tr("%1 You will be asked to sign in each time MedDispatch starts.")
                        .arg(explanation));
            });
    connect(qApp, &QCoreApplication::aboutToQuit, this, [this] {
        m_settings->setWindowGeometry(m_window->saveGeometry());
        m_events->stop();
    });
}

DesktopApp::~DesktopApp()
{
    m_window.reset();
    m_events.reset();
    m_connection.reset();
    m_api->setSession(nullptr);
    m_session.reset();
    m_localServer.reset(); // stops the bundled server
}

client::LocalServer &DesktopApp::localServerInstance()
{
    if (!m_localServer) {
        client::LocalServer::Options options = m_options.localServer;
        options.demo = m_options.demo;
        if (options.preferredPort == 0)
            options.preferredPort = quint16(m_settings->raw().value(kEmbeddedPortKey).toUInt());
        m_localServer = std::make_unique<client::LocalServer>(options);
        connect(m_localServer.get(), &client::LocalServer::started, this, [this](const QUrl &url) {
            m_settings->raw().setValue(kEmbeddedPortKey, url.port());
            serverReady(url);
        });
        connect(m_localServer.get(), &client::LocalServer::failed, this,
                [this](const QString &explanation) {
                    m_window->showStartFailure(
                        tr("The MedDispatch server could not start on this computer.\n%1")
                            .arg(explanation),
                        [this] { startEmbedded(); });
                });
        connect(m_localServer.get(), &client::LocalServer::crashed, this,
                [this](const QString &explanation) {
                    m_window->showStartFailure(
                        tr("The MedDispatch server on this computer stopped.\n%1").arg(explanation),
                        [this] { startEmbedded(); });
                });
    }
    return *m_localServer;
}

void DesktopApp::start()
{
    m_window->show();
    using Mode = Options::Mode;
    switch (m_options.mode) {
    case Mode::Embedded:
        // The demo data set brings its own accounts; a bare install needs its first
        // administrator, which the first-run dialog creates.
        if (m_options.demo || m_settings->embeddedInitialized())
            startEmbedded();
        else
            chooseMode();
        return;
    case Mode::Remote:
        connectRemote(m_options.serverUrl);
        return;
    case Mode::Remembered:
        break;
    }
    switch (m_settings->mode()) {
    case client::AppSettings::Mode::Embedded:
        startEmbedded();
        return;
    case client::AppSettings::Mode::Remote:
        connectRemote(m_settings->serverUrl());
        return;
    case client::AppSettings::Mode::NotChosen:
        chooseMode();
        return;
    }
}

void DesktopApp::chooseMode()
{
    m_window->showStarting(tr("Welcome to MedDispatch."));
    auto *dialog = new ui::FirstRunDialog(*m_firstRunBackend, m_window.get());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::finished, this, [this, dialog](int result) {
        if (result != QDialog::Accepted) {
            Q_EMIT quitRequested();
            return;
        }
        if (dialog->choice() == ui::FirstRunDialog::Choice::Embedded) {
            m_settings->setMode(client::AppSettings::Mode::Embedded);
            m_settings->setEmbeddedInitialized(true);
            m_settings->setLastIdentifier(dialog->adminEmail());
            startEmbedded();
        } else {
            m_settings->setMode(client::AppSettings::Mode::Remote);
            m_settings->setServerUrl(dialog->serverUrl());
            connectRemote(dialog->serverUrl());
        }
    });
    dialog->open();
}

void DesktopApp::startEmbedded()
{
    m_embedded = true;
    m_window->setDemoHint(m_options.demo);
    m_window->showStarting(tr("Starting the MedDispatch server on this computer…"));
    client::LocalServer &server = localServerInstance();
    if (server.isRunning())
        serverReady(server.url());
    else
        server.start();
}

void DesktopApp::connectRemote(const QUrl &url)
{
    m_embedded = false;
    m_window->showStarting(tr("Connecting to %1…").arg(url.toDisplayString()));
    m_api->setBaseUrl(url);
    m_api->getAnonymous(u"/healthz"_s, this, [this, url](const client::ApiResult &result) {
        if (result.ok()) {
            serverReady(url);
            return;
        }
        m_window->showStartFailure(tr("MedDispatch cannot reach the server at %1.\n%2")
                                       .arg(url.toDisplayString(), result.error.userMessage()),
                                   [this, url] { connectRemote(url); });
    });
}

void DesktopApp::serverReady(const QUrl &url)
{
    m_api->setBaseUrl(url);
    m_window->setServerDescription(m_embedded ? tr("Server: this computer")
                                              : tr("Server: %1").arg(url.host()));
    m_window->showStarting(tr("Signing in…"));
    // Restoring ends in Session::signedIn (connected to showWorkspace once, in the
    // constructor) or here.
    auto failed = std::make_shared<QMetaObject::Connection>();
    *failed = connect(m_session.get(), &client::Session::restoreFailed, this,
                      [this, failed](const QString &) {
                          QObject::disconnect(*failed);
                          if (!m_settings->lastIdentifier().isEmpty())
                              m_window->signInWidget()->setIdentifier(m_settings->lastIdentifier());
                          m_window->showSignIn();
                          Q_EMIT signInShown();
                      });
    m_session->restore();
}

void DesktopApp::showWorkspace()
{
    if (!m_session->user().email.isEmpty())
        m_settings->setLastIdentifier(m_session->user().email);
    m_events->start(m_api->baseUrl());
    m_window->showWorkspace();
    Q_EMIT workspaceShown();
}

} // namespace md::desktop
