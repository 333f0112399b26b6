#pragma once

#include "common/viewcontext.h"

#include <QMainWindow>
#include <QPointer>
#include <functional>

class QLabel;
class QListWidget;
class QPushButton;
class QStackedWidget;

namespace md::ui {

class SignInWidget;

/// The desktop's main window. It has three faces: starting (the local server is being
/// started or the server is being reached, with an error and Retry when that fails),
/// signing in (SignInWidget), and the workspace — a navigation list and the views the
/// signed-in role may use (dashboard, tickets, equipment, engineers, organizations,
/// users, scan), under an offline banner that appears while the server cannot be reached.
/// Views are built at sign-in, for that user's role, and dropped at sign-out.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(const ViewContext &context, QWidget *parent = nullptr);
    ~MainWindow() override;

    void showStarting(const QString &message);
    /// An error on the starting page; Retry calls retry.
    void showStartFailure(const QString &message, std::function<void()> retry);
    void showSignIn(const QString &notice = {});
    void showWorkspace();
    /// Embedded demo: the sign-in page lists the demo accounts.
    void setDemoHint(bool demo);
    /// The keychain cannot keep the session: say once that sign-in is needed each time.
    void setKeychainNotice(const QString &explanation);
    /// The server this window talks to, for the status bar ("this computer" or the URL).
    void setServerDescription(const QString &description);

    SignInWidget *signInWidget() const { return m_signIn; }
    /// The workspace view with that objectName ("dashboardView", "ticketsView", ...).
    QWidget *view(const QString &objectName) const;
    void showView(const QString &objectName);

Q_SIGNALS:
    void signOutRequested();

private:
    void buildMenus();
    void buildWorkspace();
    void clearWorkspace();
    void updateOfflineBanner();
    void updateStatus();
    void addView(QWidget *view, const QString &title, const QString &shortcut);
    void addScanView(const QString &shortcut);

    ViewContext m_context;
    QStackedWidget *m_pages = nullptr;
    QLabel *m_startingLabel = nullptr;
    QPushButton *m_startRetryButton = nullptr;
    std::function<void()> m_startRetry;
    SignInWidget *m_signIn = nullptr;
    QWidget *m_workspace = nullptr;
    QWidget *m_offlineBanner = nullptr;
    QLabel *m_offlineLabel = nullptr;
    QLabel *m_keychainNotice = nullptr;
    QListWidget *m_navigation = nullptr;
    QStackedWidget *m_views = nullptr;
    QLabel *m_userLabel = nullptr;
    QLabel *m_serverLabel = nullptr;
    QLabel *m_liveLabel = nullptr;
    QList<QAction *> m_viewActions;
    QAction *m_signOutAction = nullptr;
};

} // namespace md::ui
