// meddispatch-server: parses the configuration, wires the ServerApp and runs the event
// loop until SIGINT or SIGTERM. Everything else lives in the libraries the tests link.

#include "commands.h"
#include "http/logging.h"
#include "serverapp.h"
#include "serverconfig.h"

#include <QCoreApplication>
#include <QProcessEnvironment>
#include <QSocketNotifier>

#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

int signalPipe[2] = {-1, -1};

void onSignal(int)
{
    // only async-signal-safe work here; the event loop does the rest
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(signalPipe[1], &byte, 1);
}

bool installSignalHandlers(QObject *context)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) != 0)
        return false;
    auto *notifier = new QSocketNotifier(signalPipe[0], QSocketNotifier::Read, context);
    QObject::connect(notifier, &QSocketNotifier::activated, context, [notifier] {
        notifier->setEnabled(false);
        char byte = 0;
        [[maybe_unused]] const auto got = ::read(signalPipe[0], &byte, 1);
        spdlog::info("shutting down");
        QCoreApplication::quit();
    });
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return ::sigaction(SIGINT, &action, nullptr) == 0 &&
           ::sigaction(SIGTERM, &action, nullptr) == 0;
}

void printError(const QString &message)
{
    std::fprintf(stderr, "meddispatch-server: %s\n", qUtf8Printable(message));
}

// Subcommands (`meddispatch-server <command> ...`). Each gets the arguments without its
// name (program name first, as ServerConfig::load expects) and returns the exit code.

// Takes "--name value" out of arguments (the rest goes to ServerConfig::load).
QString takeOption(QStringList &arguments, const QString &name)
{
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        if (arguments.at(i) == name && i + 1 < arguments.size()) {
            const QString value = arguments.at(i + 1);
            arguments.remove(i, 2);
            return value;
        }
        if (arguments.at(i).startsWith(name + u'=')) {
            const QString value = arguments.at(i).mid(name.size() + 1);
            arguments.remove(i);
            return value;
        }
    }
    return {};
}

std::optional<md::server::ServerConfig> commandConfig(const QStringList &arguments)
{
    QString error;
    auto config =
        md::server::ServerConfig::load(arguments, QProcessEnvironment::systemEnvironment(), &error);
    if (!config)
        printError(error);
    else
        md::server::logging::setup(u"warning"_s);
    return config;
}

// The password from standard input: prompted without echo on a terminal, else the first
// line (scripts pipe it in). Never an argument: those show up in `ps`.
QString readPassword()
{
    const bool terminal = ::isatty(STDIN_FILENO);
    termios saved = {};
    if (terminal) {
        std::fputs("Password for the new administrator: ", stderr);
        ::tcgetattr(STDIN_FILENO, &saved);
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    QByteArray line;
    for (int c = std::getchar(); c != EOF && c != '\n'; c = std::getchar())
        line.append(char(c));
    if (terminal) {
        ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        std::fputs("\n", stderr);
    }
    if (line.endsWith('\r'))
        line.chop(1);
    return QString::fromUtf8(line);
}

int createAdminCommand(const QStringList &args)
{
    QStringList arguments = args;
    const QString email = takeOption(arguments, u"--email"_s);
    const QString name = takeOption(arguments, u"--name"_s);
    const QString phone = takeOption(arguments, u"--phone"_s);
    if (email.isEmpty() || name.isEmpty()) {
        printError(u"usage: meddispatch-server create-admin --email E --name N [--phone P] "
                   u"[--database ...] [--data-dir ...] (password on standard input)"_s);
        return 2;
    }
    const auto config = commandConfig(arguments);
    if (!config)
        return 2;
    QString message;
    const int code = md::server::createAdmin(*config, email, name, phone, readPassword(), &message);
    std::fprintf(code == 0 ? stdout : stderr, "%s\n", qUtf8Printable(message));
    return code;
}

int verifyAuditCommand(const QStringList &arguments)
{
    const auto config = commandConfig(arguments);
    if (!config)
        return 2;
    QString message;
    const int code = md::server::verifyAudit(*config, &message);
    std::fprintf(code == 0 ? stdout : stderr, "%s\n", qUtf8Printable(message));
    return code;
}

struct Command
{
    const char *name;
    int (*run)(const QStringList &arguments);
};
constexpr Command commands[] = {
    {"create-admin", &createAdminCommand},
    {"verify-audit", &verifyAuditCommand},
};

int runCommand(const QString &name, const QStringList &arguments)
{
    for (const Command &command : commands) {
        if (command.run && name == QLatin1StringView(command.name))
            return command.run(arguments);
    }
    printError(u"unknown command '%1' (see --help)"_s.arg(name));
    return 2;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication application(argc, argv);
    QCoreApplication::setApplicationName(u"meddispatch-server"_s);
    QCoreApplication::setOrganizationName(u"MedDispatch"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(MEDDISPATCH_VERSION));

    const QStringList arguments = QCoreApplication::arguments();
    if (arguments.contains(u"--help"_s) || arguments.contains(u"-h"_s)) {
        std::fputs(qUtf8Printable(md::server::ServerConfig::helpText()), stdout);
        return 0;
    }
    if (arguments.contains(u"--version"_s)) {
        std::printf("meddispatch-server %s\n", MEDDISPATCH_VERSION);
        return 0;
    }
    if (arguments.size() > 1 && !arguments.at(1).startsWith(u'-'))
        return runCommand(arguments.at(1), QStringList{arguments.at(0)} + arguments.mid(2));

    QString error;
    const std::optional<md::server::ServerConfig> config =
        md::server::ServerConfig::load(arguments, QProcessEnvironment::systemEnvironment(), &error);
    if (!config) {
        printError(error);
        return 2;
    }
    md::server::logging::setup(config->logLevel);

    if (!installSignalHandlers(&application))
        spdlog::warn("cannot install SIGINT/SIGTERM handlers; stop with SIGKILL");

    spdlog::info("meddispatch-server {} starting", MEDDISPATCH_VERSION);
    md::server::ServerApp server(*config);
    if (!server.start(&error)) {
        spdlog::critical("cannot start: {}", error.toStdString());
        return 1;
    }
    return QCoreApplication::exec();
}
