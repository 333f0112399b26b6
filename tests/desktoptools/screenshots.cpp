// Takes a screenshot of each main view of the desktop with the demo data: the real
// application (embedded server, demo data set, signed in as the demo dispatcher). Run
// through scripts/screenshots.sh, which provides an X server (Xvfb).
//
//   md_screenshots --out docs/screenshots [--server-binary PATH] [--data-dir DIR]

#include "admin/resourcemodel.h"
#include "admin/resourceview.h"
#include "apiclient.h"
#include "common/statewidget.h"
#include "credentialstore.h"
#include "desktopdriver.h"
#include "dispatch/engineerselectiondialog.h"
#include "mainwindow.h"
#include "scan/scanview.h"
#include "session.h"
#include "signin/signinwidget.h"
#include "tickets/ticketsview.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPixmap>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QUrlQuery>
#include <cstdio>

using namespace Qt::StringLiterals;
using md::tools::waitFor;

namespace {

// Every visible state widget has finished loading.
bool settled(QWidget *root)
{
    for (const md::ui::StateWidget *state : root->findChildren<md::ui::StateWidget *>()) {
        if (state->isVisible() && state->state() == md::ui::StateWidget::State::Loading)
            return false;
    }
    return true;
}

bool shoot(QWidget *widget, const QDir &out, const QString &name)
{
    waitFor([widget] { return settled(widget); }, 30000);
    waitFor([] { return false; }, 600); // let charts animate and layouts settle
    const QString path = out.filePath(name + u".png"_s);
    if (!widget->grab().save(path)) {
        std::fprintf(stderr, "could not write %s\n", qPrintable(path));
        return false;
    }
    std::printf("%s\n", qPrintable(path));
    return true;
}

QJsonObject getJson(md::desktop::DesktopApp &app, const QString &pathAndQuery)
{
    bool done = false;
    QJsonObject json;
    QObject context;
    const QUrl url(pathAndQuery);
    app.api().get(url.path(), QUrlQuery(url.query()), &context,
                  [&](const md::client::ApiResult &r) {
                      json = r.json;
                      done = true;
                  });
    waitFor([&] { return done; }, 15000);
    return json;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication application(argc, argv);
    QApplication::setApplicationName(u"MedDispatch"_s);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption outOption(u"out"_s, u"Directory for the PNGs."_s, u"dir"_s,
                                       u"docs/screenshots"_s);
    const QCommandLineOption serverOption(u"server-binary"_s, u"meddispatch-server"_s, u"path"_s);
    const QCommandLineOption dataOption(u"data-dir"_s, u"Embedded server data directory."_s,
                                        u"dir"_s);
    parser.addOptions({outOption, serverOption, dataOption});
    parser.process(application);

    QTemporaryDir scratch;
    QDir out(parser.value(outOption));
    out.mkpath(u"."_s);
    md::client::MemoryCredentialStore store;
    md::desktop::DesktopApp::Options options;
    options.mode = md::desktop::DesktopApp::Options::Mode::Embedded;
    options.demo = true;
    options.settingsFile = scratch.filePath(u"settings.ini"_s);
    options.credentialStore = &store;
    options.localServer.serverBinary = parser.value(serverOption);
    options.localServer.dataDirectory =
        parser.isSet(dataOption) ? parser.value(dataOption) : scratch.filePath(u"server"_s);
    md::desktop::DesktopApp app(options);
    md::ui::MainWindow *window = app.window();
    app.start();
    window->resize(1440, 900);

    bool ok = waitFor([&] { return window->signInWidget()->isVisible(); }, 120000);
    ok = ok && shoot(window, out, u"sign-in"_s);
    ok = ok && md::tools::signInWithPassword(app, u"admin@meddispatch.example"_s,
                                             u"MedDispatch-Demo-2026"_s);
    if (!ok) {
        const auto *message = window->findChild<QLabel *>(u"startingMessage"_s);
        std::fprintf(stderr, "the desktop did not reach the workspace: %s\n",
                     message ? qPrintable(message->text()) : "");
        return 1;
    }
    ok = shoot(window, out, u"dashboard"_s);

    // Tickets: select an assigned ticket so the detail shows its history.
    window->showView(u"ticketsView"_s);
    const QJsonArray assigned =
        getJson(app, u"/v1/tickets?status=assigned&limit=1"_s).value(u"data"_s).toArray();
    auto *tickets = qobject_cast<md::ui::TicketsView *>(window->view(u"ticketsView"_s));
    if (tickets && !assigned.isEmpty()) {
        waitFor([tickets] { return settled(tickets); }, 60000);
        tickets->selectTicket(assigned.first().toObject().value(u"id"_s).toString());
    }
    ok = shoot(window, out, u"tickets"_s) && ok;
    // The same ticket's assignment history (the detail's "Assignments" tab).
    if (tickets) {
        for (QTabWidget *tabs : tickets->findChildren<QTabWidget *>()) {
            for (int i = 0; i < tabs->count(); ++i) {
                if (tabs->tabText(i).remove(u'&') == u"Assignments"_s)
                    tabs->setCurrentIndex(i);
            }
        }
        ok = shoot(window, out, u"assignment-history"_s) && ok;
    }

    // Engineer selection for a new ticket.
    const QJsonArray fresh =
        getJson(app, u"/v1/tickets?status=new&limit=1"_s).value(u"data"_s).toArray();
    if (!fresh.isEmpty()) {
        const md::ui::ViewContext context{&app.api(), &app.session(), nullptr, nullptr};
        md::ui::EngineerSelectionDialog dialog(
            context, fresh.first().toObject().value(u"id"_s).toString(), false, window);
        dialog.resize(900, 700);
        dialog.show();
        ok = shoot(&dialog, out, u"engineer-selection"_s) && ok;
    }

    for (const auto &[view, name] : {std::pair{u"equipmentView"_s, u"equipment"_s},
                                     std::pair{u"engineersView"_s, u"engineers"_s},
                                     std::pair{u"organizationsView"_s, u"organizations"_s},
                                     std::pair{u"usersView"_s, u"users"_s}}) {
        if (!window->view(view))
            continue;
        window->showView(view);
        ok = shoot(window, out, name) && ok;
    }

    // The scan view with the first listed equipment identified by its label code, as a
    // scanner would type it.
    auto *equipment = qobject_cast<md::ui::ResourceView *>(window->view(u"equipmentView"_s));
    auto *scan = qobject_cast<md::ui::ScanView *>(window->view(u"scanView"_s));
    if (equipment && scan && equipment->model()->rowCount() > 0) {
        window->showView(u"scanView"_s);
        const QString code = equipment->model()->object(0).value(u"qr_code"_s).toString();
        bool identified = false;
        QObject::connect(scan, &md::ui::ScanView::equipmentIdentified, scan,
                         [&identified] { identified = true; });
        scan->identify(code, md::ui::ScanView::Source::Scanner);
        waitFor([&identified] { return identified; }, 15000);
        ok = shoot(window, out, u"scan"_s) && ok;
    }
    return ok ? 0 : 1;
}
