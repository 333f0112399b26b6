#pragma once

#include "localserver.h"

#include <QObject>
#include <QUrl>
#include <memory>

namespace md::client {
class ApiClient;
class AppSettings;
class ConnectionMonitor;
class CredentialStore;
class EventStream;
class Session;
} // namespace md::client

namespace md::ui {
class MainWindow;
}

namespace md::desktop {

/// The desktop's composition root: one ApiClient, Session (refresh token in the
/// keychain), EventStream and ConnectionMonitor, the bundled server for the embedded
/// default, and the main window. start() never blocks: it asks the first-run question
/// when nothing was chosen yet, starts or reaches the server, restores the session from
/// the keychain or shows sign-in, and then the workspace.
class DesktopApp final : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        enum class Mode
        {
            Remembered, // what the settings say; ask on first run
            Embedded,   // --embedded: the bundled server on this computer
            Remote      // --server URL
        };
        Mode mode = Mode::Remembered;
        QUrl serverUrl;       // Remote
        bool demo = false;    // --demo: the embedded server seeds the demo data set
        QString settingsFile; // empty: the user's settings
        /// Not owned; null: the system keychain (QtKeychain, no insecure fallback).
        client::CredentialStore *credentialStore = nullptr;
        client::LocalServer::Options localServer;
    };

    explicit DesktopApp(Options options, QObject *parent = nullptr);
    ~DesktopApp() override;

    void start();

    ui::MainWindow *window() const { return m_window.get(); }
    client::ApiClient &api() const { return *m_api; }
    client::Session &session() const { return *m_session; }
    client::AppSettings &settings() const { return *m_settings; }
    client::LocalServer *localServer() const { return m_localServer.get(); }

Q_SIGNALS:
    /// Signed in; the workspace is showing.
    void workspaceShown();
    void signInShown();
    /// The user closed the first-run dialog without choosing: the application ends.
    void quitRequested();

private:
    class FirstRunBackend;
    client::LocalServer &localServerInstance();
    void chooseMode();
    void startEmbedded();
    void connectRemote(const QUrl &url);
    void serverReady(const QUrl &url);
    void showWorkspace();

    Options m_options;
    std::unique_ptr<client::AppSettings> m_settings;
    std::unique_ptr<client::CredentialStore> m_ownedStore;
    client::CredentialStore *m_store = nullptr;
    std::unique_ptr<client::ApiClient> m_api;
    std::unique_ptr<client::Session> m_session;
    std::unique_ptr<client::ConnectionMonitor> m_connection;
    std::unique_ptr<client::EventStream> m_events;
    std::unique_ptr<client::LocalServer> m_localServer;
    std::unique_ptr<FirstRunBackend> m_firstRunBackend;
    std::unique_ptr<ui::MainWindow> m_window;
    bool m_embedded = false;
};

} // namespace md::desktop
