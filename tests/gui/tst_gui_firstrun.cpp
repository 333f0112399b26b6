// The first-run dialog through its Backend seam: the application's side (starting the
// bundled server, creating the administrator, checking a server URL) is a fake here, so
// that the dialog's own behaviour shows: client-side checks before any call, errors in
// place with everything typed kept, acceptance only on success.

#include "startup/firstrundialog.h"

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace Qt::StringLiterals;
using md::ui::FirstRunDialog;

namespace {

/// Answers after a short delay like the real backend (a process start, an HTTP check),
/// with the error it was told to give.
class FakeBackend final : public FirstRunDialog::Backend
{
public:
    int checks = 0;
    int creations = 0;
    QUrl checkedUrl;
    QString name, email, password;
    QString nextError;

    void checkServer(const QUrl &url, QObject *context,
                     std::function<void(QString error)> done) override
    {
        ++checks;
        checkedUrl = url;
        answer(context, std::move(done));
    }
    void createAdministrator(const QString &n, const QString &e, const QString &p, QObject *context,
                             std::function<void(QString error)> done) override
    {
        ++creations;
        name = n;
        email = e;
        password = p;
        answer(context, std::move(done));
    }

private:
    void answer(QObject *context, std::function<void(QString)> done)
    {
        QTimer::singleShot(50, context,
                           [done = std::move(done), error = nextError] { done(error); });
    }
};

const QString kPassword = u"Correct-Horse-Battery-42"_s;

} // namespace

class TestGuiFirstRun final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<FakeBackend> m_backend;
    std::unique_ptr<FirstRunDialog> m_dialog;

    template <typename T> T *child(const QString &name) const
    {
        T *found = m_dialog->findChild<T *>(name);
        if (!found)
            qWarning("no child %s", qPrintable(name));
        return found;
    }
    QLineEdit *edit(const QString &name) const { return child<QLineEdit>(name); }
    QLabel *messageLabel() const { return child<QLabel>(u"firstRunMessage"_s); }

    void click(const QString &name)
    {
        auto *button = child<QPushButton>(name);
        QVERIFY2(button && button->isVisible() && button->isEnabled(), qPrintable(name));
        QTest::mouseClick(button, Qt::LeftButton);
    }

    void fillAdministrator(const QString &name, const QString &email, const QString &password,
                           const QString &confirm)
    {
        click(u"embeddedChoice"_s);
        QVERIFY(edit(u"adminNameEdit"_s)->isVisible());
        QTest::keyClicks(edit(u"adminNameEdit"_s), name);
        QTest::keyClicks(edit(u"adminEmailEdit"_s), email);
        QTest::keyClicks(edit(u"adminPasswordEdit"_s), password);
        QTest::keyClicks(edit(u"adminConfirmEdit"_s), confirm);
    }

    void enterServer(const QString &url)
    {
        click(u"remoteChoice"_s);
        QVERIFY(edit(u"serverUrlEdit"_s)->isVisible());
        QTest::keyClicks(edit(u"serverUrlEdit"_s), url);
    }

private Q_SLOTS:
    void init()
    {
        m_backend = std::make_unique<FakeBackend>();
        m_dialog = std::make_unique<FirstRunDialog>(*m_backend);
        m_dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_dialog.get()));
        QVERIFY(child<QLabel>(u"firstRunTitle"_s)->text().contains(u"How will you use"_s));
        QVERIFY(!messageLabel()->isVisible());
    }

    void cleanup()
    {
        m_dialog.reset();
        m_backend.reset();
    }

    void embeddedRefusedBeforeTheBackend_data()
    {
        QTest::addColumn<QString>("email");
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("confirm");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<QString>("focused");
        QTest::newRow("passwords differ")
            << u"ada@hospital.org"_s << kPassword << kPassword + u"!"_s << u"not the same"_s
            << u"adminConfirmEdit"_s;
        QTest::newRow("too short") << u"ada@hospital.org"_s << u"Short-1"_s << u"Short-1"_s
                                   << u"at least 10 characters"_s << u"adminPasswordEdit"_s;
        QTest::newRow("no e-mail") << u"ada.hospital.org"_s << kPassword << kPassword
                                   << u"valid e-mail address"_s << u"adminEmailEdit"_s;
    }

    void embeddedRefusedBeforeTheBackend()
    {
        QFETCH(QString, email);
        QFETCH(QString, password);
        QFETCH(QString, confirm);
        QFETCH(QString, expected);
        QFETCH(QString, focused);
        fillAdministrator(u"Ada Okafor"_s, email, password, confirm);
        click(u"createAdminButton"_s);
        QVERIFY(messageLabel()->isVisible());
        QVERIFY2(messageLabel()->text().contains(expected), qPrintable(messageLabel()->text()));
        QCOMPARE(m_backend->creations, 0);
        QVERIFY(m_dialog->isVisible());
        QCOMPARE(m_dialog->result(), int(QDialog::Rejected));
        QVERIFY(edit(focused)->hasFocus());
        // Everything typed is still there.
        QCOMPARE(edit(u"adminNameEdit"_s)->text(), u"Ada Okafor"_s);
        QCOMPARE(edit(u"adminEmailEdit"_s)->text(), email);
        QCOMPARE(edit(u"adminPasswordEdit"_s)->text(), password);
        QCOMPARE(edit(u"adminConfirmEdit"_s)->text(), confirm);
    }

    void embeddedBackendErrorThenSuccess()
    {
        QSignalSpy accepted(m_dialog.get(), &QDialog::accepted);
        fillAdministrator(u"Ada Okafor"_s, u"Ada@Hospital.org"_s, kPassword, kPassword);
        const QString failure = u"The MedDispatch server could not start: its port is in use."_s;
        m_backend->nextError = failure;
        click(u"createAdminButton"_s);
        QVERIFY(m_dialog->isBusy());
        QVERIFY(!child<QPushButton>(u"createAdminButton"_s)->isEnabled());
        QTRY_VERIFY(!m_dialog->isBusy());
        QCOMPARE(m_backend->creations, 1);
        QCOMPARE(messageLabel()->text(), failure);
        QVERIFY(messageLabel()->isVisible());
        QVERIFY(m_dialog->isVisible());
        QCOMPARE(accepted.count(), 0);
        QCOMPARE(edit(u"adminNameEdit"_s)->text(), u"Ada Okafor"_s);
        QCOMPARE(edit(u"adminEmailEdit"_s)->text(), u"Ada@Hospital.org"_s);
        QCOMPARE(edit(u"adminPasswordEdit"_s)->text(), kPassword);
        QCOMPARE(edit(u"adminConfirmEdit"_s)->text(), kPassword);

        m_backend->nextError.clear();
        click(u"createAdminButton"_s);
        QTRY_COMPARE(accepted.count(), 1);
        QCOMPARE(m_backend->creations, 2);
        QCOMPARE(m_backend->name, u"Ada Okafor"_s);
        QCOMPARE(m_backend->email, u"ada@hospital.org"_s);
        QCOMPARE(m_backend->password, kPassword);
        QCOMPARE(m_dialog->result(), int(QDialog::Accepted));
        QCOMPARE(m_dialog->choice(), FirstRunDialog::Choice::Embedded);
        QCOMPARE(m_dialog->adminEmail(), u"ada@hospital.org"_s);
        QVERIFY(!m_dialog->isVisible());
    }

    void remotePlainHttpRefused()
    {
        enterServer(u"http://example.org"_s);
        click(u"connectButton"_s);
        QVERIFY(messageLabel()->isVisible());
        QVERIFY2(messageLabel()->text().contains(u"https://"_s),
                 qPrintable(messageLabel()->text()));
        QCOMPARE(m_backend->checks, 0);
        QVERIFY(m_dialog->isVisible());
        QCOMPARE(edit(u"serverUrlEdit"_s)->text(), u"http://example.org"_s);
    }

    void remoteHttpsAcceptedAfterCheck()
    {
        QSignalSpy accepted(m_dialog.get(), &QDialog::accepted);
        enterServer(u"https://meddispatch.example.org/"_s);
        QTest::keyClick(edit(u"serverUrlEdit"_s), Qt::Key_Return); // Enter connects
        QVERIFY(m_dialog->isBusy());
        QTRY_COMPARE(accepted.count(), 1);
        QCOMPARE(m_backend->checks, 1);
        QCOMPARE(m_backend->checkedUrl, QUrl(u"https://meddispatch.example.org"_s));
        QCOMPARE(m_dialog->choice(), FirstRunDialog::Choice::Remote);
        QCOMPARE(m_dialog->serverUrl(), QUrl(u"https://meddispatch.example.org"_s));
    }

    void remoteCheckFailureShown()
    {
        QSignalSpy accepted(m_dialog.get(), &QDialog::accepted);
        const QString tls = u"The server's certificate is not trusted by this computer, so the "
                            u"connection was refused."_s;
        m_backend->nextError = tls;
        enterServer(u"https://self-signed.example.org:8443"_s);
        click(u"connectButton"_s);
        QTRY_VERIFY(!m_dialog->isBusy());
        QCOMPARE(messageLabel()->text(), tls);
        QCOMPARE(accepted.count(), 0);
        QCOMPARE(edit(u"serverUrlEdit"_s)->text(), u"https://self-signed.example.org:8443"_s);
        QVERIFY(edit(u"serverUrlEdit"_s)->hasFocus());
    }

    void remoteAddressesNormalized_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("accepted");
        QTest::newRow("bare host gets https")
            << u"meddispatch.example.org"_s << u"https://meddispatch.example.org"_s;
        QTest::newRow("loopback http") << u"http://127.0.0.1:8080/"_s << u"http://127.0.0.1:8080"_s;
        QTest::newRow("localhost http") << u"http://localhost:8080"_s << u"http://localhost:8080"_s;
        QTest::newRow("IPv6 loopback") << u"http://[::1]:8080"_s << u"http://[::1]:8080"_s;
        QTest::newRow("behind a path")
            << u"https://example.org/meddispatch/"_s << u"https://example.org/meddispatch"_s;
    }

    void remoteAddressesNormalized()
    {
        QFETCH(QString, typed);
        QFETCH(QString, accepted);
        QSignalSpy done(m_dialog.get(), &QDialog::accepted);
        enterServer(typed);
        click(u"connectButton"_s);
        QTRY_COMPARE(done.count(), 1);
        QCOMPARE(m_dialog->serverUrl(), QUrl(accepted));
    }

    void remoteAddressesRefused_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::newRow("empty") << QString();
        QTest::newRow("plain http to a LAN address") << u"http://192.168.1.20:8080"_s;
        QTest::newRow("ftp") << u"ftp://example.org"_s;
        QTest::newRow("no host") << u"https://"_s;
    }

    void remoteAddressesRefused()
    {
        QFETCH(QString, typed);
        enterServer(typed);
        click(u"connectButton"_s);
        QVERIFY(messageLabel()->isVisible());
        QCOMPARE(m_backend->checks, 0);
        QVERIFY(m_dialog->isVisible());
    }

    void escapeStepsBack()
    {
        enterServer(u"https://example.org"_s);
        QTest::keyClick(edit(u"serverUrlEdit"_s), Qt::Key_Escape);
        QVERIFY(m_dialog->isVisible());
        QVERIFY(child<QPushButton>(u"remoteChoice"_s)->isVisible());
        QVERIFY(!edit(u"serverUrlEdit"_s)->isVisible());
        // ...and the address is still there when coming back.
        click(u"remoteChoice"_s);
        QCOMPARE(edit(u"serverUrlEdit"_s)->text(), u"https://example.org"_s);
    }
};

QTEST_MAIN(TestGuiFirstRun)
#include "tst_gui_firstrun.moc"
