// The whole desktop against a real server over HTTP: DesktopApp (the composition root
// of `meddispatch`) with its main window, signing in with a one-time code read from the
// loopback SMS/e-mail provider stand-in, then the dispatcher's day: dashboard figures,
// filtering tickets, suggestions, assigning, reassigning with a reason, and the history.

#include "apiclient.h"
#include "common/statewidget.h"
#include "credentialstore.h"
#include "dashboard/dashboardview.h"
#include "desktopapp.h"
#include "desktopdriver.h"
#include "dispatch/assignmenthistoryview.h"
#include "dispatch/engineerselectiondialog.h"
#include "guitestsupport.h"
#include "mainwindow.h"
#include "session.h"
#include "signin/signinwidget.h"
#include "testlib/providerstandin.h"
#include "tickets/ticketsview.h"

#include <QAbstractItemModel>
#include <QAbstractItemView>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPointer>
#include <QPushButton>
#include <QRadioButton>
#include <QSortFilterProxyModel>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using md::test::HttpReply;
using md::test::TestServer;

namespace {

constexpr auto kAdmin = "admin@meddispatch.example";

template <typename T> T *waitForChild(QWidget *root, const QString &name, int timeoutMs = 15000)
{
    T *found = nullptr;
    (void)QTest::qWaitFor(
        [&] {
            found = root->findChild<T *>(name);
            return found && found->isVisible();
        },
        timeoutMs);
    return found;
}

md::ui::EngineerSelectionDialog *openSelectionDialog()
{
    md::ui::EngineerSelectionDialog *dialog = nullptr;
    (void)QTest::qWaitFor(
        [&] {
            for (QWidget *w : QApplication::topLevelWidgets()) {
                if (auto *d = qobject_cast<md::ui::EngineerSelectionDialog *>(w);
                    d && d->isVisible())
                    dialog = d;
            }
            return dialog != nullptr;
        },
        15000);
    return dialog;
}

} // namespace

class TestGuiApp final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_provider = std::make_unique<md::testlib::ProviderStandIn>();
        QVERIFY(m_provider->isListening());
        const QString base = m_provider->baseUrl().toString();
        m_server =
            std::make_unique<TestServer>(u"sqlite"_s, true, [&](md::server::ServerConfig &c) {
                c.sendgridApiKey = u"SG.test-key-not-secret"_s;
                c.sendgridApiBase = base;
                c.emailFrom = u"noreply@meddispatch.example"_s;
            });
        QVERIFY2(m_server->isRunning(), qPrintable(m_server->error()));
    }

    void init()
    {
        m_options = {};
        m_options.mode = md::desktop::DesktopApp::Options::Mode::Remote;
        m_options.serverUrl = m_server->url();
        m_options.settingsFile = m_dir.filePath(u"settings.ini"_s);
        m_options.credentialStore = &m_store;
    }

    // Sign in with a code, see the dashboard, filter, assign, reassign, history.
    void dispatcherDay()
    {
        md::desktop::DesktopApp app(m_options);
        app.start();
        md::ui::MainWindow *window = app.window();
        auto *signIn = window->signInWidget();
        QTRY_VERIFY_WITH_TIMEOUT(signIn->isVisible(), 15000);

        // Identifier, channel, code.
        auto *identifier = waitForChild<QLineEdit>(signIn, u"identifierEdit"_s);
        QVERIFY(identifier);
        identifier->clear();
        QTest::keyClicks(identifier, QString::fromLatin1(kAdmin));
        QTest::mouseClick(signIn->findChild<QPushButton *>(u"continueButton"_s), Qt::LeftButton);
        auto *email = waitForChild<QRadioButton>(signIn, u"channelEmail"_s);
        QVERIFY(email);
        email->setChecked(true);
        QTest::mouseClick(waitForChild<QPushButton>(signIn, u"sendCodeButton"_s), Qt::LeftButton);
        QString code;
        QTRY_VERIFY_WITH_TIMEOUT(
            !(code = m_provider->lastCodeFor(QString::fromLatin1(kAdmin))).isEmpty(), 15000);
        QCOMPARE(code.size(), 6);
        QVERIFY(waitForChild<QWidget>(signIn, u"otpInput"_s));
        for (int i = 0; i < 6; ++i) {
            auto *digit = signIn->findChild<QLineEdit *>(u"otpDigit"_s + QString::number(i));
            QVERIFY(digit);
            QTest::keyClick(digit, code.at(i).toLatin1());
        }
        QTRY_VERIFY_WITH_TIMEOUT(app.session().isSignedIn(), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(window->view(u"dashboardView"_s) != nullptr, 15000);
        QCOMPARE(app.session().user().email, QString::fromLatin1(kAdmin));
        // The refresh token went to the credential store, the access token did not.
        const QString stored = m_store.peek(app.session().storeKey());
        QVERIFY(!stored.isEmpty());
        QVERIFY(!app.session().accessToken().contains(stored.toUtf8()));

        // Dashboard: the open-ticket KPI shows the server's figure.
        QWidget *dashboard = window->view(u"dashboardView"_s);
        const HttpReply stats = m_server->client().get(u"/v1/dashboard"_s);
        const QString open = QLocale().toString(stats.json.value(u"open_tickets"_s).toInteger());
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                auto *kpi = dashboard->findChild<QWidget *>(u"kpi_open_tickets"_s);
                return kpi && kpi->accessibleName().contains(open);
            }(),
            15000);

        // Tickets: filter by priority, then find one new ticket by its number.
        window->showView(u"ticketsView"_s);
        auto *tickets = qobject_cast<md::ui::TicketsView *>(window->view(u"ticketsView"_s));
        QVERIFY(tickets);
        auto *table = tickets->findChild<QAbstractItemView *>(u"ticketTable"_s);
        QVERIFY(table);
        QAbstractItemModel *shown = table->model();
        QTRY_VERIFY_WITH_TIMEOUT(shown->rowCount() > 0, 30000);
        auto *priority = tickets->findChild<QComboBox *>(u"priorityFilter"_s);
        QVERIFY(priority);
        const int critical = priority->findData(u"critical"_s);
        QVERIFY(critical >= 0);
        priority->setCurrentIndex(critical);
        const qint64 criticalTotal = m_server->client()
                                         .get(u"/v1/tickets?priority=critical&limit=1"_s)
                                         .json.value(u"page"_s)
                                         .toObject()
                                         .value(u"total"_s)
                                         .toInteger();
        QTRY_COMPARE_WITH_TIMEOUT(qint64(shown->rowCount()), criticalTotal, 30000);
        priority->setCurrentIndex(0);

        const QJsonObject ticket = m_server->client()
                                       .get(u"/v1/tickets?status=new&limit=1"_s)
                                       .json.value(u"data"_s)
                                       .toArray()
                                       .first()
                                       .toObject();
        const QString ticketId = ticket.value(u"id"_s).toString();
        const QString number = ticket.value(u"number"_s).toString();
        QVERIFY(!ticketId.isEmpty());
        auto *search = tickets->findChild<QLineEdit *>(u"ticketSearchEdit"_s);
        QVERIFY(search);
        QTRY_VERIFY_WITH_TIMEOUT(shown->rowCount() > int(criticalTotal), 30000);
        QTest::keyClicks(search, number);
        QTRY_COMPARE_WITH_TIMEOUT(shown->rowCount(), 1, 15000);
        table->setCurrentIndex(shown->index(0, 0));
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {},
                          table->visualRect(shown->index(0, 0)).center());

        // Assign the recommended engineer.
        auto *assign = waitForChild<QPushButton>(tickets, u"assignButton"_s, 15000);
        QVERIFY(assign);
        QTRY_VERIFY(assign->isEnabled());
        QTest::mouseClick(assign, Qt::LeftButton);
        QPointer<md::ui::EngineerSelectionDialog> dialog = openSelectionDialog();
        QVERIFY(dialog);
        auto *list = dialog->findChild<QAbstractItemView *>(u"suggestionList"_s);
        QVERIFY(list);
        QTRY_VERIFY_WITH_TIMEOUT(list->model()->rowCount() > 1, 15000);
        QTest::mouseClick(dialog->findChild<QPushButton *>(u"assignSelectedButton"_s),
                          Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog || !dialog->isVisible(), 15000);
        HttpReply after = m_server->client().get(u"/v1/tickets/"_s + ticketId);
        QCOMPARE(after.json.value(u"status"_s).toString(), u"assigned"_s);
        const QString firstEngineer = after.json.value(u"assigned_engineer_id"_s).toString();
        QVERIFY(!firstEngineer.isEmpty());

        auto *history = tickets->findChild<md::ui::AssignmentHistoryView *>();
        QVERIFY(history);
        auto *summary = history->findChild<QLabel *>(u"historySummary"_s);
        QVERIFY(summary);
        QTRY_VERIFY_WITH_TIMEOUT(summary->text().contains(u"1"_s), 15000);

        // Reassign: refused without a reason, accepted with one.
        QTRY_VERIFY(assign->isEnabled());
        QTest::mouseClick(assign, Qt::LeftButton);
        dialog = openSelectionDialog();
        QVERIFY(dialog);
        list = dialog->findChild<QAbstractItemView *>(u"suggestionList"_s);
        QTRY_VERIFY_WITH_TIMEOUT(list->model()->rowCount() > 1, 15000);
        // Another engineer than the current one: the last suggestion.
        list->setCurrentIndex(list->model()->index(list->model()->rowCount() - 1, 0));
        auto *assignSelected = dialog->findChild<QPushButton *>(u"assignSelectedButton"_s);
        QTest::mouseClick(assignSelected, Qt::LeftButton);
        auto *message = dialog->findChild<QLabel *>(u"selectionMessage"_s);
        QVERIFY(message);
        QTRY_VERIFY(message->isVisible() && !message->text().isEmpty());
        QVERIFY(dialog->isVisible());
        QCOMPARE(m_server->client()
                     .get(u"/v1/tickets/"_s + ticketId)
                     .json.value(u"assigned_engineer_id"_s)
                     .toString(),
                 firstEngineer);
        auto *reason = dialog->findChild<QLineEdit *>(u"reassignReasonEdit"_s);
        QVERIFY(reason);
        QTest::keyClicks(reason, u"Engineer called in sick"_s);
        QTest::mouseClick(assignSelected, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog || !dialog->isVisible(), 15000);
        after = m_server->client().get(u"/v1/tickets/"_s + ticketId);
        QVERIFY(after.json.value(u"assigned_engineer_id"_s).toString() != firstEngineer);

        // The history shows both, with the reason.
        QTRY_VERIFY_WITH_TIMEOUT(summary->text().contains(u"2"_s), 15000);
        auto *historyList = history->findChild<QAbstractItemView *>(u"historyList"_s);
        QVERIFY(historyList);
        QTRY_COMPARE_WITH_TIMEOUT(historyList->model()->rowCount(), 2, 15000);
        bool reasonShown = false;
        for (int row = 0; row < 2; ++row) {
            const QModelIndex index = historyList->model()->index(row, 0);
            reasonShown = reasonShown || historyList->model()
                                             ->data(index, Qt::AccessibleTextRole)
                                             .toString()
                                             .contains(u"Engineer called in sick"_s);
        }
        QVERIFY(reasonShown);
    }

    // The next start signs in from the stored refresh token; signing out forgets it.
    void restoresAndSignsOut()
    {
        {
            md::desktop::DesktopApp app(m_options);
            app.start();
            QTRY_VERIFY_WITH_TIMEOUT(
                app.window()->signInWidget()->isVisible() || app.session().isSignedIn(), 15000);
            if (!app.session().isSignedIn())
                QVERIFY(
                    md::tools::signInWithPassword(app, QString::fromLatin1(kAdmin),
                                                  QString::fromLatin1(md::test::kDemoPassword)));
        }
        md::desktop::DesktopApp app(m_options);
        app.start();
        QTRY_VERIFY_WITH_TIMEOUT(app.window()->view(u"dashboardView"_s) != nullptr, 15000);
        QVERIFY(!app.window()->signInWidget()->isVisible());
        const QString key = app.session().storeKey();
        QVERIFY(!m_store.peek(key).isEmpty());

        app.session().signOut();
        QTRY_VERIFY_WITH_TIMEOUT(app.window()->signInWidget()->isVisible(), 15000);
        QTRY_VERIFY(m_store.peek(key).isEmpty());
        QVERIFY(app.session().accessToken().isEmpty());
        QCOMPARE(app.window()->view(u"dashboardView"_s), nullptr);
    }

    // Roles see only their views.
    void customerSeesNoAdministration()
    {
        const QString hospital = [&] {
            const HttpReply r =
                m_server->client().get(u"/v1/organizations?type=hospital&limit=1"_s);
            return r.json.value(u"data"_s).toArray().first().toObject().value(u"id"_s).toString();
        }();
        const md::domain::User customer = m_server->createUser(md::domain::Role::Customer, hospital,
                                                               {}, u"Gui-Test-Passphrase-42"_s);
        md::client::MemoryCredentialStore store;
        m_options.credentialStore = &store;
        md::desktop::DesktopApp app(m_options);
        app.start();
        QTRY_VERIFY_WITH_TIMEOUT(app.window()->signInWidget()->isVisible(), 15000);
        QVERIFY(md::tools::signInWithPassword(app, customer.email, u"Gui-Test-Passphrase-42"_s));
        QTRY_VERIFY(app.window()->view(u"ticketsView"_s) != nullptr);
        QCOMPARE(app.window()->view(u"usersView"_s), nullptr);
        auto *tickets = app.window()->view(u"ticketsView"_s);
        auto *newTicket = tickets->findChild<QPushButton *>(u"newTicketButton"_s);
        QVERIFY(newTicket && newTicket->isVisibleTo(tickets)); // customers report problems
    }

    // The bundled server goes away and comes back: the offline banner appears, what the
    // user typed stays, and the banner goes once the server answers again.
    void embeddedServerOfflineAndBack()
    {
        QTemporaryDir dir;
        md::client::MemoryCredentialStore store;
        md::desktop::DesktopApp::Options options;
        options.mode = md::desktop::DesktopApp::Options::Mode::Embedded;
        options.demo = true;
        options.settingsFile = dir.filePath(u"settings.ini"_s);
        options.credentialStore = &store;
        options.localServer.serverBinary = QString::fromUtf8(MEDDISPATCH_SERVER_BINARY);
        options.localServer.dataDirectory = dir.filePath(u"server"_s);
        md::desktop::DesktopApp app(options);
        app.start();
        QTRY_VERIFY_WITH_TIMEOUT(app.window()->signInWidget()->isVisible(), 120000);
        QVERIFY(md::tools::signInWithPassword(app, QString::fromLatin1(kAdmin),
                                              QString::fromLatin1(md::test::kDemoPassword)));
        QVERIFY(app.localServer() && app.localServer()->isRunning());
        const QUrl url = app.localServer()->url();

        app.window()->showView(u"ticketsView"_s);
        QWidget *tickets = app.window()->view(u"ticketsView"_s);
        auto *search = tickets->findChild<QLineEdit *>(u"ticketSearchEdit"_s);
        QVERIFY(search);
        QTest::keyClicks(search, u"defibrillator"_s);
        auto *banner = app.window()->findChild<QWidget *>(u"offlineBanner"_s);
        QVERIFY(banner);
        QVERIFY(!banner->isVisible());

        app.localServer()->stop();
        QTRY_VERIFY_WITH_TIMEOUT(!app.localServer()->isRunning(), 10000);
        // The next request finds the server gone.
        auto *dashboard =
            qobject_cast<md::ui::DashboardView *>(app.window()->view(u"dashboardView"_s));
        QVERIFY(dashboard);
        dashboard->reload();
        QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), 15000);
        auto *message = banner->findChild<QLabel *>(u"offlineMessage"_s);
        QVERIFY(message->text().contains(u"cannot be reached"_s));
        QCOMPARE(search->text(), u"defibrillator"_s);
        QVERIFY(app.window()->view(u"ticketsView"_s) == tickets); // nothing was torn down

        app.localServer()->start();
        QTRY_VERIFY_WITH_TIMEOUT(app.localServer()->isRunning(), 60000);
        QCOMPARE(app.localServer()->url(), url);
        QTRY_VERIFY_WITH_TIMEOUT(!banner->isVisible(), 45000);
        QCOMPARE(search->text(), u"defibrillator"_s);
        QVERIFY(app.session().isSignedIn());
    }

private:
    std::unique_ptr<md::testlib::ProviderStandIn> m_provider;
    std::unique_ptr<TestServer> m_server;
    QTemporaryDir m_dir;
    md::client::MemoryCredentialStore m_store;
    md::desktop::DesktopApp::Options m_options;
};

QTEST_MAIN(TestGuiApp)
#include "tst_gui_app.moc"
