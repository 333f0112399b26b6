#include "desktopapp.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"MedDispatch"_s);
    QApplication::setOrganizationName(u"MedDispatch"_s);
    QApplication::setApplicationVersion(QStringLiteral(MEDDISPATCH_VERSION));
    QApplication::setWindowIcon(QIcon(u":/meddispatch/meddispatch.png"_s));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "MedDispatch: service dispatch for medical equipment."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption embedded(
        u"embedded"_s,
        QApplication::translate("main", "Run the bundled server on this computer (SQLite)."));
    const QCommandLineOption demo(
        u"demo"_s, QApplication::translate("main", "With --embedded: seed the demo data set."));
    const QCommandLineOption server(
        u"server"_s, QApplication::translate("main", "Connect to the server at <url>."), u"url"_s);
    const QCommandLineOption settings(
        u"settings"_s, QApplication::translate("main", "Keep settings in <file>."), u"file"_s);
    const QCommandLineOption dataDir(
        u"data-dir"_s,
        QApplication::translate("main", "With --embedded: the server's data directory."), u"dir"_s);
    parser.addOptions({embedded, demo, server, settings, dataDir});
    parser.process(app);

    md::desktop::DesktopApp::Options options;
    if (parser.isSet(server)) {
        options.mode = md::desktop::DesktopApp::Options::Mode::Remote;
        options.serverUrl = QUrl::fromUserInput(parser.value(server));
    } else if (parser.isSet(embedded) || parser.isSet(demo)) {
        options.mode = md::desktop::DesktopApp::Options::Mode::Embedded;
    }
    options.demo = parser.isSet(demo);
    options.settingsFile = parser.value(settings);
    options.localServer.dataDirectory = parser.value(dataDir);

    md::desktop::DesktopApp desktop(options);
    QObject::connect(&desktop, &md::desktop::DesktopApp::quitRequested, &app,
                     &QCoreApplication::quit, Qt::QueuedConnection);
    desktop.start();
    return QApplication::exec();
}
