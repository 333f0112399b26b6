#include "localserver.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QHostAddress>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QStandardPaths>
#include <QTcpServer>

using namespace Qt::StringLiterals;

namespace md::client {

namespace {

constexpr int kProbeIntervalMs = 100;
constexpr int kStopGraceMs = 5000;
constexpr int kMaxLaunchAttempts = 3; // a free port can be taken between probe and bind
constexpr int kKeptOutputLines = 40;
const QString kServerName = u"meddispatch-server"_s;

/// A port nobody listens on right now. The server binds it a moment later; the small
/// race is handled by relaunching when the bind fails.
quint16 freeLoopbackPort(quint16 preferred)
{
    if (preferred != 0) {
        QTcpServer probe;
        if (probe.listen(QHostAddress::LocalHost, preferred)) {
            probe.close();
            return preferred;
        }
    }
    for (int attempt = 0; attempt < 5; ++attempt) {
        QTcpServer probe;
        if (probe.listen(QHostAddress::LocalHost, 0)) {
            const quint16 port = probe.serverPort();
            probe.close();
            return port;
        }
    }
    return 0;
}

bool isExecutable(const QString &path)
{
    const QFileInfo info(path);
    return info.isFile() && info.isExecutable();
}

} // namespace

LocalServer::LocalServer(Options options, QObject *parent)
    : QObject(parent), m_options(std::move(options)), m_network(new QNetworkAccessManager(this))
{
    m_probeTimer.setInterval(kProbeIntervalMs);
    connect(&m_probeTimer, &QTimer::timeout, this, &LocalServer::probe);
    // One channel: spdlog writes to stdout, fatal errors to stderr; both explain a
    // failure, and an unread pipe would eventually block the server.
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &LocalServer::collectOutput);
    connect(&m_process, &QProcess::finished, this, &LocalServer::onFinished);
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart || m_state != State::Starting)
            return;
        failStart(tr("The MedDispatch server program could not be started (%1): %2")
                      .arg(m_process.program(), m_process.errorString()));
    });
}

LocalServer::~LocalServer()
{
    m_process.disconnect(this);
    m_probeTimer.stop();
    if (m_process.state() != QProcess::NotRunning) {
        // Blocking is acceptable here: the application is shutting down.
        m_process.terminate();
        if (!m_process.waitForFinished(kStopGraceMs)) {
            m_process.kill();
            m_process.waitForFinished(1000);
        }
    }
}

QString LocalServer::findServerBinary()
{
    const QString fromEnvironment = qEnvironmentVariable("MEDDISPATCH_SERVER_BINARY");
    if (!fromEnvironment.isEmpty() && isExecutable(fromEnvironment))
        return fromEnvironment;
    const QString appDir = QCoreApplication::applicationDirPath();
    const QStringList candidates = {
        appDir + u'/' + kServerName,
        appDir + u"/../server/"_s + kServerName,        // build tree: app/desktop, app/server
        appDir + u"/../app/server/"_s + kServerName,    // build tree: tests, benchmarks
        appDir + u"/../../app/server/"_s + kServerName, // build tree: tests/gui
    };
    for (const QString &candidate : candidates) {
        if (isExecutable(candidate))
            return QFileInfo(candidate).canonicalFilePath();
    }
    return QStandardPaths::findExecutable(kServerName);
}

QString LocalServer::dataDirectory() const
{
    if (!m_options.dataDirectory.isEmpty())
        return m_options.dataDirectory;
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/server"_s;
}

bool LocalServer::isRunning() const
{
    return m_process.state() != QProcess::NotRunning;
}

QStringList LocalServer::storageArguments() const
{
    const QString dir = dataDirectory();
    return {u"--data-dir"_s, dir, u"--database"_s, dir + u"/meddispatch.sqlite"_s};
}

QProcessEnvironment LocalServer::environment() const
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const QString &assignment : m_options.extraEnvironment) {
        const qsizetype equals = assignment.indexOf(u'=');
        if (equals > 0)
            environment.insert(assignment.left(equals), assignment.mid(equals + 1));
    }
    return environment;
}

void LocalServer::start()
{
    if (m_state != State::Idle || isRunning())
        return;
    m_stopping = false;
    m_launchAttempts = 0;
    m_outputLines.clear();
    m_partialLine.clear();
    m_state = State::Starting;
    m_startedMs = QDateTime::currentMSecsSinceEpoch();
    launch();
}

void LocalServer::launch()
{
    const QString binary = m_options.serverBinary.isEmpty()
                               ? findServerBinary()
                               : QFileInfo(m_options.serverBinary).absoluteFilePath();
    if (binary.isEmpty()) {
        // Queued: start() promises an answer later, never during the call.
        QMetaObject::invokeMethod(
            this,
            [this] {
                failStart(tr("The MedDispatch server program (meddispatch-server) was not "
                             "found. Reinstall MedDispatch."));
            },
            Qt::QueuedConnection);
        return;
    }
    const QString dir = dataDirectory();
    if (!QDir().mkpath(dir)) {
        QMetaObject::invokeMethod(
            this,
            [this, dir] {
                failStart(tr("The folder for the server's data (%1) cannot be created.").arg(dir));
            },
            Qt::QueuedConnection);
        return;
    }
    // A restart keeps its address (open views and the stored session refer to it).
    const quint16 preferred = m_url.port() > 0 ? quint16(m_url.port()) : m_options.preferredPort;
    const quint16 port = freeLoopbackPort(m_launchAttempts == 0 ? preferred : 0);
    ++m_launchAttempts;
    m_url = QUrl(u"http://127.0.0.1:%1"_s.arg(port));
    QStringList arguments = {u"--listen"_s, u"127.0.0.1:%1"_s.arg(port)};
    arguments += storageArguments();
    if (m_options.demo)
        arguments += u"--demo"_s;
    arguments += m_options.extraArguments;
    m_process.setProgram(binary);
    m_process.setArguments(arguments);
    m_process.setProcessEnvironment(environment());
    m_process.setWorkingDirectory(dir);
    m_process.start();
    m_probeTimer.start();
}

void LocalServer::collectOutput()
{
    m_partialLine += m_process.readAllStandardOutput();
    qsizetype newline = 0;
    while ((newline = m_partialLine.indexOf('\n')) >= 0) {
        const QString line = QString::fromUtf8(m_partialLine.left(newline)).trimmed();
        m_partialLine.remove(0, newline + 1);
        if (line.isEmpty())
            continue;
        m_outputLines.append(line);
        if (m_outputLines.size() > kKeptOutputLines)
            m_outputLines.removeFirst();
    }
}

QString LocalServer::lastOutputLines(int count) const
{
    QStringList lines = m_outputLines.mid(qMax<qsizetype>(0, m_outputLines.size() - count));
    if (!m_partialLine.trimmed().isEmpty())
        lines.append(QString::fromUtf8(m_partialLine).trimmed());
    return lines.join(u'\n');
}

void LocalServer::probe()
{
    if (m_state != State::Starting || m_probeInFlight)
        return;
    if (QDateTime::currentMSecsSinceEpoch() - m_startedMs > m_options.startTimeoutMs) {
        const QString output = lastOutputLines();
        m_probeTimer.stop();
        m_state = State::Idle;
        stop();
        QString explanation =
            tr("The MedDispatch server on this computer did not answer within %1 seconds.")
                .arg(m_options.startTimeoutMs / 1000);
        if (!output.isEmpty())
            explanation += u"\n\n"_s + output;
        Q_EMIT failed(explanation);
        return;
    }
    if (m_process.state() != QProcess::Running)
        return;
    QNetworkRequest request(m_url.resolved(QUrl(u"/healthz"_s)));
    request.setTransferTimeout(2000);
    m_probeInFlight = true;
    QNetworkReply *reply = m_network->get(request);
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        m_probeInFlight = false;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (m_state != State::Starting || status != 200)
            return;
        m_probeTimer.stop();
        m_state = State::Running;
        Q_EMIT started(m_url);
    });
}

void LocalServer::onFinished(int exitCode, QProcess::ExitStatus status)
{
    collectOutput();
    const QString output = lastOutputLines();
    if (m_stopping) {
        m_state = State::Idle;
        return;
    }
    if (m_state == State::Starting) {
        // Someone took the port between our probe and the server's bind: try another.
        if (output.contains(u"Cannot listen"_s) && m_launchAttempts < kMaxLaunchAttempts) {
            launch();
            return;
        }
        QString explanation =
            status == QProcess::CrashExit
                ? tr("The MedDispatch server on this computer stopped while starting.")
                : tr("The MedDispatch server on this computer could not start (exit code %1).")
                      .arg(exitCode);
        if (!output.isEmpty())
            explanation += u"\n\n"_s + output;
        failStart(explanation);
        return;
    }
    if (m_state == State::Running) {
        m_state = State::Idle;
        QString explanation = tr("The MedDispatch server on this computer stopped unexpectedly.");
        if (!output.isEmpty())
            explanation += u"\n\n"_s + output;
        Q_EMIT crashed(explanation);
    }
}

void LocalServer::failStart(const QString &explanation)
{
    if (m_state != State::Starting)
        return;
    m_probeTimer.stop();
    m_state = State::Idle;
    if (m_process.state() != QProcess::NotRunning) {
        m_stopping = true;
        m_process.kill();
    }
    Q_EMIT failed(explanation);
}

void LocalServer::stop()
{
    m_probeTimer.stop();
    if (m_process.state() == QProcess::NotRunning) {
        m_state = State::Idle;
        return;
    }
    m_stopping = true;
    m_process.terminate();
    // Not waitForFinished(): the window stays responsive while the server shuts down.
    QTimer::singleShot(kStopGraceMs, this, [this] {
        if (m_stopping && m_process.state() != QProcess::NotRunning)
            m_process.kill();
    });
}

void LocalServer::createAdministrator(const QString &email, const QString &name,
                                      const QString &password, QObject *context,
                                      std::function<void(const QString &error)> done)
{
    const QString binary = m_options.serverBinary.isEmpty()
                               ? findServerBinary()
                               : QFileInfo(m_options.serverBinary).absoluteFilePath();
    QPointer<QObject> guard(context);
    const bool hadContext = context != nullptr;
    auto answer = [guard, hadContext, done](const QString &error) {
        if (done && (!hadContext || guard))
            done(error);
    };
    if (binary.isEmpty()) {
        QMetaObject::invokeMethod(
            this,
            [answer] {
                answer(tr("The MedDispatch server program (meddispatch-server) was not found."));
            },
            Qt::QueuedConnection);
        return;
    }
    QDir().mkpath(dataDirectory());
    auto *process = new QProcess(this);
    process->setProgram(binary);
    process->setArguments(QStringList{u"create-admin"_s, u"--email"_s, email, u"--name"_s, name} +
                          storageArguments());
    process->setProcessEnvironment(environment());
    auto finished = std::make_shared<bool>(false);
    connect(process, &QProcess::started, process, [process, password] {
        // On standard input, never as an argument: arguments show up in `ps`.
        process->write(password.toUtf8() + '\n');
        process->closeWriteChannel();
    });
    connect(process, &QProcess::finished, this,
            [process, answer, finished](int exitCode, QProcess::ExitStatus status) {
                *finished = true;
                process->deleteLater();
                if (status == QProcess::NormalExit && exitCode == 0) {
                    answer(QString());
                    return;
                }
                QString error = QString::fromUtf8(process->readAllStandardError()).trimmed();
                if (error.isEmpty())
                    error = QString::fromUtf8(process->readAllStandardOutput()).trimmed();
                if (error.isEmpty())
                    error = tr("Creating the administrator failed (exit code %1).").arg(exitCode);
                answer(error);
            });
    connect(process, &QProcess::errorOccurred, this,
            [process, answer, finished](QProcess::ProcessError error) {
                if (error != QProcess::FailedToStart || *finished)
                    return;
                *finished = true;
                process->deleteLater();
                answer(tr("The MedDispatch server program could not be started: %1")
                           .arg(process->errorString()));
            });
    process->start();
}

} // namespace md::client
