#pragma once

#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QUrl>
#include <functional>

class QNetworkAccessManager;

namespace md::client {

/// The bundled meddispatch-server for the embedded default: started on 127.0.0.1 on a
/// free port with its SQLite database and keys in the user's data directory, stopped
/// (SIGTERM, then kill after 5 s) when this object is destroyed or stop() is called.
/// Never blocks: start() returns at once, started() or failed() follows once /healthz
/// answers or the process dies / does not answer within the start timeout.
class LocalServer final : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QString serverBinary;       // empty: findServerBinary()
        QString dataDirectory;      // empty: <AppDataLocation>/server
        bool demo = false;          // --demo: seed the demo data set and accounts
        int startTimeoutMs = 60000; // the first --demo start seeds data
        /// The port to use when it is free (the last run's, so that the stored session,
        /// keyed by host and port, still applies); otherwise, and for 0, a free one.
        quint16 preferredPort = 0;
        QStringList extraArguments;
        QStringList extraEnvironment; // "NAME=value", e.g. provider URLs in tests
    };

    explicit LocalServer(Options options, QObject *parent = nullptr);
    ~LocalServer() override;

    /// MEDDISPATCH_SERVER_BINARY, else meddispatch-server beside this executable, else
    /// ../server/meddispatch-server (the build tree), else on PATH. Empty if none.
    static QString findServerBinary();

    void start();
    void stop();
    bool isRunning() const;
    QUrl url() const { return m_url; } // valid once started()
    QString dataDirectory() const;

    /// Runs `meddispatch-server create-admin --email E --name N` on the same data
    /// directory with the password on standard input (the server must not be running
    /// yet, or may be: the command opens the database itself). done(error) with an
    /// empty error on success, else the command's message.
    void createAdministrator(const QString &email, const QString &name, const QString &password,
                             QObject *context, std::function<void(const QString &error)> done);

Q_SIGNALS:
    void started(const QUrl &url);
    void failed(const QString &explanation);
    /// The process ended while it was expected to run.
    void crashed(const QString &explanation);

private:
    enum class State
    {
        Idle,
        Starting,
        Running
    };

    void probe();
    void launch();
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void failStart(const QString &explanation);
    void collectOutput();
    QString lastOutputLines(int count = 8) const;
    QStringList storageArguments() const;
    QProcessEnvironment environment() const;

    Options m_options;
    QProcess m_process;
    QTimer m_probeTimer;
    QNetworkAccessManager *m_network = nullptr;
    QUrl m_url;
    qint64 m_startedMs = 0;
    bool m_stopping = false;
    State m_state = State::Idle;
    QStringList m_outputLines; // ring buffer of the server's last output lines
    QByteArray m_partialLine;
    int m_launchAttempts = 0;
    bool m_probeInFlight = false;
};

} // namespace md::client
