#pragma once

#include <QDialog>
#include <QString>
#include <QUrl>
#include <functional>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QStackedWidget;

namespace md::ui {

/// The first start: "How will you use MedDispatch?" Either on this computer (the bundled
/// server with a local database, then the first administrator is created here), or
/// connected to a server URL (TLS required unless it is this computer, checked with the
/// server before it is accepted). Failures stay in the dialog, in place, with everything
/// typed kept; accept() only once the backend succeeded.
class FirstRunDialog final : public QDialog
{
    Q_OBJECT
public:
    /// What the dialog asks of the application (the composition root implements it with
    /// LocalServer and ApiClient; tests with a fake). `done` runs later or at once, on the
    /// UI thread, with an empty error on success or one plain sentence for the user; not
    /// at all when `context` is destroyed first.
    struct Backend
    {
        virtual ~Backend() = default;
        /// Is a MedDispatch server answering at url (and is its certificate trusted)?
        virtual void checkServer(const QUrl &url, QObject *context,
                                 std::function<void(QString error)> done) = 0;
        /// Starts the bundled server if needed and creates its first administrator.
        virtual void createAdministrator(const QString &name, const QString &email,
                                         const QString &password, QObject *context,
                                         std::function<void(QString error)> done) = 0;
    };

    enum class Choice
    {
        Embedded,
        Remote
    };

    FirstRunDialog(Backend &backend, QWidget *parent = nullptr);
    ~FirstRunDialog() override;

    Choice choice() const { return m_choice; }
    /// Remote: the accepted server URL (no trailing slash).
    QUrl serverUrl() const { return m_serverUrl; }
    /// Embedded: the first administrator's e-mail address (to pre-fill signing in).
    QString adminEmail() const { return m_adminEmail; }
    QString message() const;
    bool isBusy() const { return m_busy; }

    /// The URL typed by a user, made whole: https:// when no scheme is given. Returns an
    /// invalid URL and *problem when it cannot be used (plain http to another computer).
    static QUrl normalizeServerUrl(const QString &text, QString *problem);

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    enum Page
    {
        ChoicePage,
        AdminPage,
        RemotePage
    };

    QWidget *buildChoicePage();
    QWidget *buildAdminPage();
    QWidget *buildRemotePage();
    void showPage(Page page);
    void createAdministrator();
    void connectToServer();
    void setBusy(bool busy, const QString &what = {});
    void showMessage(const QString &text);

    Backend &m_backend;
    QStackedWidget *m_pages = nullptr;
    QLabel *m_message = nullptr;
    QLabel *m_busyLabel = nullptr;
    QProgressBar *m_busyBar = nullptr;

    QPushButton *m_embeddedChoice = nullptr;
    QPushButton *m_remoteChoice = nullptr;
    QPushButton *m_quitButton = nullptr;

    QLineEdit *m_adminName = nullptr;
    QLineEdit *m_adminEmailEdit = nullptr;
    QLineEdit *m_adminPassword = nullptr;
    QLineEdit *m_adminConfirm = nullptr;
    QPushButton *m_createAdminButton = nullptr;
    QPushButton *m_adminBackButton = nullptr;

    QLineEdit *m_serverUrlEdit = nullptr;
    QPushButton *m_connectButton = nullptr;
    QPushButton *m_remoteBackButton = nullptr;

    Choice m_choice = Choice::Embedded;
    QUrl m_serverUrl;
    QString m_adminEmail;
    bool m_busy = false;
};

} // namespace md::ui
