// ServerConfig::load: flags override MEDDISPATCH_* variables, which override the config
// file; every value is validated with a message that names where it came from.

#include "serverconfig.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using md::server::ServerConfig;

namespace {

QStringList args(const QStringList &flags)
{
    return QStringList{u"meddispatch-server"_s} + flags;
}

QProcessEnvironment env(const QList<std::pair<QString, QString>> &variables)
{
    QProcessEnvironment environment;
    for (const auto &[name, value] : variables)
        environment.insert(name, value);
    return environment;
}

} // namespace

class TstHttpConfig final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString writeFile(const QString &name, const QByteArray &text)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        file.open(QIODevice::WriteOnly);
        file.write(text);
        return path;
    }

private Q_SLOTS:
    void defaults()
    {
        QString error;
        const auto config = ServerConfig::load(args({}), QProcessEnvironment(), &error);
        QVERIFY2(config, qPrintable(error));
        QCOMPARE(config->listenAddress, QHostAddress(QHostAddress::LocalHost));
        QCOMPARE(config->listenPort, quint16(8080));
        QCOMPARE(config->effectivePublicUrl(), u"http://127.0.0.1:8080"_s);
        QVERIFY(config->effectiveDatabase().endsWith(u"/meddispatch/meddispatch.sqlite"_s));
        QCOMPARE(config->twilioApiBase, u"https://api.twilio.com"_s);
        QCOMPARE(config->idleTimeoutSeconds, 15);
        QVERIFY(!config->demo);
        QCOMPARE(config->rateLimitPerMinute, 100);
        QVERIFY(config->corsOrigins.isEmpty());
        QVERIFY(config->tlsCertificateFile.isEmpty());
        QVERIFY(config->tlsKeyFile.isEmpty());
        QVERIFY(!config->servesTls());
        QVERIFY(!config->developmentMode);
        QCOMPARE(config->passwordHashThreads, 0);
        QCOMPARE(config->maxPendingPasswordChecks, 32);
    }

    void precedence()
    {
        const QString file =
            writeFile(u"precedence.ini"_s, "# comment\n"
                                           "listen = 10.0.0.1:1001\n"
                                           "workers = 3\n"
                                           "log_level = debug\n"
                                           "public_url = \"https://file.example/\"\n");
        QString error;
        // file only
        auto config =
            ServerConfig::load(args({u"--config"_s, file}), QProcessEnvironment(), &error);
        QVERIFY2(config, qPrintable(error));
        QCOMPARE(config->listenPort, quint16(1001));
        QCOMPARE(config->workerThreads, 3);
        QCOMPARE(config->logLevel, u"debug"_s);
        QCOMPARE(config->effectivePublicUrl(), u"https://file.example"_s);

        // environment beats the file; the file still fills what the environment lacks
        const QProcessEnvironment environment =
            env({{u"MEDDISPATCH_LISTEN"_s, u"10.0.0.2:1002"_s}, {u"MEDDISPATCH_CONFIG"_s, file}});
        config = ServerConfig::load(args({}), environment, &error);
        QVERIFY2(config, qPrintable(error));
        QCOMPARE(config->listenPort, quint16(1002));
        QCOMPARE(config->listenAddress, QHostAddress(u"10.0.0.2"_s));
        QCOMPARE(config->workerThreads, 3);

        // flags beat both
        config = ServerConfig::load(args({u"--listen"_s, u"10.0.0.3:1003"_s, u"--workers=5"_s}),
                                    environment, &error);
        QVERIFY2(config, qPrintable(error));
        QCOMPARE(config->listenPort, quint16(1003));
        QCOMPARE(config->workerThreads, 5);
        QCOMPARE(config->logLevel, u"debug"_s);
    }

    void everyVariable()
    {
        const QProcessEnvironment environment = env({
            {u"MEDDISPATCH_LISTEN"_s, u"[::1]:9443"_s},
            {u"MEDDISPATCH_DATABASE"_s, u"postgresql://md:secret@db.local:5433/meddispatch"_s},
            {u"MEDDISPATCH_DATA_DIR"_s, u"/var/lib/meddispatch"_s},
            {u"MEDDISPATCH_PUBLIC_URL"_s, u"https://dispatch.example.org"_s},
            {u"MEDDISPATCH_TWILIO_ACCOUNT_SID"_s, u"AC123"_s},
            {u"MEDDISPATCH_TWILIO_AUTH_TOKEN"_s, u"tok"_s},
            {u"MEDDISPATCH_TWILIO_API_BASE"_s, u"http://127.0.0.1:9999"_s},
            {u"MEDDISPATCH_TWILIO_SMS_FROM"_s, u"+15550001111"_s},
            {u"MEDDISPATCH_TWILIO_WHATSAPP_FROM"_s, u"whatsapp:+15550002222"_s},
            {u"MEDDISPATCH_SENDGRID_API_KEY"_s, u"SG.key"_s},
            {u"MEDDISPATCH_SENDGRID_API_BASE"_s, u"http://127.0.0.1:9998"_s},
            {u"MEDDISPATCH_EMAIL_FROM"_s, u"noreply@example.org"_s},
            {u"MEDDISPATCH_TRUSTED_PROXIES"_s, u"10.0.0.0/8, 192.168.1.1 ::1"_s},
            {u"MEDDISPATCH_DEMO"_s, u"yes"_s},
            {u"MEDDISPATCH_LOG_LEVEL"_s, u"WARN"_s},
            {u"MEDDISPATCH_WORKERS"_s, u"7"_s},
            {u"MEDDISPATCH_MAX_PENDING_REQUESTS"_s, u"64"_s},
            {u"MEDDISPATCH_IDLE_TIMEOUT"_s, u"30"_s},
            {u"MEDDISPATCH_RATE_LIMIT"_s, u"250"_s},
            {u"MEDDISPATCH_CORS_ORIGINS"_s, u"https://app.example.org, http://localhost:5173"_s},
            {u"MEDDISPATCH_TLS_CERT"_s, u"/etc/meddispatch/tls/cert.pem"_s},
            {u"MEDDISPATCH_TLS_KEY"_s, u"/etc/meddispatch/tls/key.pem"_s},
            {u"MEDDISPATCH_DEV_MODE"_s, u"on"_s},
            {u"MEDDISPATCH_HASH_THREADS"_s, u"3"_s},
            {u"MEDDISPATCH_MAX_PENDING_LOGINS"_s, u"8"_s},
        });
        QString error;
        const auto config = ServerConfig::load(args({}), environment, &error);
        QVERIFY2(config, qPrintable(error));
        QCOMPARE(config->listenAddress, QHostAddress(u"::1"_s));
        QCOMPARE(config->listenPort, quint16(9443));
        QCOMPARE(config->listenText(), u"[::1]:9443"_s);
        QCOMPARE(config->effectiveDatabase(),
                 u"postgresql://md:secret@db.local:5433/meddispatch"_s);
        QCOMPARE(config->effectiveDataDir(), u"/var/lib/meddispatch"_s);
        QCOMPARE(config->effectivePublicUrl(), u"https://dispatch.example.org"_s);
        QCOMPARE(config->twilioAccountSid, u"AC123"_s);
        QCOMPARE(config->twilioAuthToken, u"tok"_s);
        QCOMPARE(config->twilioApiBase, u"http://127.0.0.1:9999"_s);
        QCOMPARE(config->twilioSmsFrom, u"+15550001111"_s);
        QCOMPARE(config->twilioWhatsappFrom, u"whatsapp:+15550002222"_s);
        QCOMPARE(config->sendgridApiKey, u"SG.key"_s);
        QCOMPARE(config->sendgridApiBase, u"http://127.0.0.1:9998"_s);
        QCOMPARE(config->emailFrom, u"noreply@example.org"_s);
        QCOMPARE(config->trustedProxies.size(), 3);
        QCOMPARE(config->trustedProxies.at(0).second, 8);
        QCOMPARE(config->trustedProxies.at(1).second, 32);
        QCOMPARE(config->trustedProxies.at(2).second, 128);
        QVERIFY(config->demo);
        QCOMPARE(config->logLevel, u"warn"_s);
        QCOMPARE(config->workerThreads, 7);
        QCOMPARE(config->maxPendingRequests, 64);
        QCOMPARE(config->idleTimeoutSeconds, 30);
        QCOMPARE(config->effectiveDataDir() + u"/x"_s, u"/var/lib/meddispatch/x"_s);
        QCOMPARE(config->rateLimitPerMinute, 250);
        QCOMPARE(config->corsOrigins,
                 QStringList({u"https://app.example.org"_s, u"http://localhost:5173"_s}));
        QCOMPARE(config->tlsCertificateFile, u"/etc/meddispatch/tls/cert.pem"_s);
        QCOMPARE(config->tlsKeyFile, u"/etc/meddispatch/tls/key.pem"_s);
        QVERIFY(config->servesTls());
        QVERIFY(config->developmentMode);
        QCOMPARE(config->passwordHashThreads, 3);
        QCOMPARE(config->maxPendingPasswordChecks, 8);
    }

    void protectionFlagsAndFile()
    {
        const QString file = writeFile(u"protection.ini"_s, "rate_limit = 7\n"
                                                            "cors_origins = https://file.example\n"
                                                            "dev_mode = false\n"
                                                            "hash_threads = 2\n");
        QString error;
        auto config =
            ServerConfig::load(args({u"--config"_s, file}), QProcessEnvironment(), &error);
        QVERIFY2(config, qPrintable(error));
        QCOMPARE(config->rateLimitPerMinute, 7);
        QCOMPARE(config->corsOrigins, QStringList{u"https://file.example"_s});
        QVERIFY(!config->developmentMode);
        QCOMPARE(config->passwordHashThreads, 2);

        // flags beat the file; --dev is the flag of MEDDISPATCH_DEV_MODE
        config = ServerConfig::load(
            args({u"--config"_s, file, u"--dev"_s, u"--rate-limit=0"_s, u"--cors-origins"_s,
                  u"HTTPS://App.Example.ORG:443/ http://127.0.0.1:8081,https://app.example.org"_s,
                  u"--tls-cert"_s, u"/tls/c.pem"_s, u"--tls-key=/tls/k.pem"_s,
                  u"--max-pending-logins"_s, u"4"_s, u"--listen"_s, u"0.0.0.0:8443"_s}),
            QProcessEnvironment(), &error);
        QVERIFY2(config, qPrintable(error));
        QVERIFY(config->developmentMode);
        QCOMPARE(config->rateLimitPerMinute, 0);
        // normalized to what browsers send in Origin, duplicates dropped
        QCOMPARE(config->corsOrigins,
                 QStringList({u"https://app.example.org"_s, u"http://127.0.0.1:8081"_s}));
        QCOMPARE(config->maxPendingPasswordChecks, 4);
        QVERIFY(config->servesTls());
        // without a configured public URL, clients reach a TLS server over https
        QCOMPARE(config->effectivePublicUrl(), u"https://0.0.0.0:8443"_s);

        // an empty variable counts as unset; the list may be emptied by a flag
        config = ServerConfig::load(args({u"--cors-origins="_s}),
                                    env({{u"MEDDISPATCH_CORS_ORIGINS"_s, u"https://a.example"_s},
                                         {u"MEDDISPATCH_RATE_LIMIT"_s, u""_s}}),
                                    &error);
        QVERIFY2(config, qPrintable(error));
        QVERIFY(config->corsOrigins.isEmpty());
        QCOMPARE(config->rateLimitPerMinute, 100);
    }

    void defaultDatabaseLivesInTheDataDirectory()
    {
        QString error;
        const auto config = ServerConfig::load(args({u"--data-dir"_s, u"/srv/md/"_s, u"--demo"_s}),
                                               QProcessEnvironment(), &error);
        QVERIFY2(config, qPrintable(error));
        QCOMPARE(config->effectiveDatabase(), u"/srv/md/meddispatch.sqlite"_s);
        QVERIFY(config->demo);
    }

    void badValues_data()
    {
        QTest::addColumn<QStringList>("flags");
        QTest::addColumn<QStringList>("environment"); // NAME=value
        QTest::addColumn<QString>("expected");        // part of the message

        QTest::newRow("port too big") << QStringList{u"--listen"_s, u"127.0.0.1:70000"_s}
                                      << QStringList{} << u"--listen: '70000' is not a port"_s;
        QTest::newRow("port not a number")
            << QStringList{u"--listen=127.0.0.1:http"_s} << QStringList{} << u"not a port"_s;
        QTest::newRow("no port") << QStringList{u"--listen"_s, u"127.0.0.1"_s} << QStringList{}
                                 << u"is not host:port"_s;
        QTest::newRow("hostname") << QStringList{u"--listen"_s, u"example.org:80"_s}
                                  << QStringList{} << u"is not an IP address"_s;
        QTest::newRow("IPv6 without brackets")
            << QStringList{u"--listen"_s, u"::1:80"_s} << QStringList{} << u"brackets"_s;
        QTest::newRow("unknown flag") << QStringList{u"--lisen"_s, u"x"_s} << QStringList{}
                                      << u"unknown option '--lisen' (see --help)"_s;
        QTest::newRow("positional") << QStringList{u"serve"_s} << QStringList{} << u"--help"_s;
        QTest::newRow("missing value")
            << QStringList{u"--listen"_s} << QStringList{} << u"--listen needs a value"_s;
        QTest::newRow("secret on the command line")
            << QStringList{u"--twilio-auth-token=x"_s} << QStringList{} << u"unknown option"_s;
        QTest::newRow("bad env port")
            << QStringList{} << QStringList{u"MEDDISPATCH_LISTEN=0.0.0.0:-1"_s}
            << u"MEDDISPATCH_LISTEN:"_s;
        QTest::newRow("workers") << QStringList{u"--workers"_s, u"many"_s} << QStringList{}
                                 << u"--workers: 'many' is not a whole number"_s;
        QTest::newRow("negative workers")
            << QStringList{u"--workers=-1"_s} << QStringList{} << u"from 0 to 256"_s;
        QTest::newRow("idle timeout")
            << QStringList{} << QStringList{u"MEDDISPATCH_IDLE_TIMEOUT=0"_s}
            << u"MEDDISPATCH_IDLE_TIMEOUT"_s;
        QTest::newRow("log level") << QStringList{u"--log-level"_s, u"loud"_s} << QStringList{}
                                   << u"'loud' is not one of"_s;
        QTest::newRow("demo") << QStringList{} << QStringList{u"MEDDISPATCH_DEMO=maybe"_s}
                              << u"not true or false"_s;
        QTest::newRow("public url") << QStringList{u"--public-url"_s, u"ftp://x"_s} << QStringList{}
                                    << u"not an http:// or https:// URL"_s;
        QTest::newRow("postgres url")
            << QStringList{} << QStringList{u"MEDDISPATCH_DATABASE=postgresql://"_s}
            << u"postgresql://user:password@host"_s;
        QTest::newRow("mysql") << QStringList{u"--database"_s, u"mysql://h/db"_s} << QStringList{}
                               << u"SQLite file path or a postgresql://"_s;
        QTest::newRow("proxies") << QStringList{u"--trusted-proxies"_s, u"10.0.0.0/99"_s}
                                 << QStringList{} << u"not an address or subnet"_s;
        QTest::newRow("email") << QStringList{} << QStringList{u"MEDDISPATCH_EMAIL_FROM=nobody"_s}
                               << u"not an e-mail address"_s;
        QTest::newRow("cors wildcard") << QStringList{u"--cors-origins"_s, u"*"_s} << QStringList{}
                                       << u"--cors-origins: '*': wildcards are not allowed"_s;
        QTest::newRow("cors subdomain wildcard")
            << QStringList{} << QStringList{u"MEDDISPATCH_CORS_ORIGINS=https://*.example.org"_s}
            << u"MEDDISPATCH_CORS_ORIGINS: 'https://*.example.org': wildcards"_s;
        QTest::newRow("cors null") << QStringList{u"--cors-origins=https://a.example,null"_s}
                                   << QStringList{} << u"'null'"_s;
        QTest::newRow("cors path") << QStringList{u"--cors-origins"_s, u"https://a.example/app"_s}
                                   << QStringList{} << u"is not an origin (scheme://host[:port]"_s;
        QTest::newRow("cors scheme") << QStringList{u"--cors-origins"_s, u"ftp://a.example"_s}
                                     << QStringList{} << u"is not an origin"_s;
        QTest::newRow("cors host only") << QStringList{u"--cors-origins"_s, u"a.example"_s}
                                        << QStringList{} << u"is not an origin"_s;
        QTest::newRow("rate limit") << QStringList{u"--rate-limit=-1"_s} << QStringList{}
                                    << u"--rate-limit: '-1' is not a whole number from 0"_s;
        QTest::newRow("rate limit text")
            << QStringList{} << QStringList{u"MEDDISPATCH_RATE_LIMIT=lots"_s}
            << u"MEDDISPATCH_RATE_LIMIT: 'lots'"_s;
        QTest::newRow("tls cert without key")
            << QStringList{u"--tls-cert"_s, u"/tls/c.pem"_s} << QStringList{}
            << u"MEDDISPATCH_TLS_CERT (--tls-cert) and MEDDISPATCH_TLS_KEY (--tls-key) must be "
               u"set together"_s;
        QTest::newRow("tls key without cert")
            << QStringList{} << QStringList{u"MEDDISPATCH_TLS_KEY=/tls/k.pem"_s}
            << u"must be set together"_s;
        QTest::newRow("dev mode") << QStringList{} << QStringList{u"MEDDISPATCH_DEV_MODE=sure"_s}
                                  << u"MEDDISPATCH_DEV_MODE: 'sure' is not true or false"_s;
        QTest::newRow("dev flag takes no value")
            << QStringList{u"--dev-mode"_s} << QStringList{} << u"unknown option '--dev-mode'"_s;
        QTest::newRow("hash threads")
            << QStringList{u"--hash-threads=1000"_s} << QStringList{} << u"from 0 to 256"_s;
        QTest::newRow("pending logins")
            << QStringList{} << QStringList{u"MEDDISPATCH_MAX_PENDING_LOGINS=0"_s}
            << u"MEDDISPATCH_MAX_PENDING_LOGINS: '0' is not a whole number from 1"_s;
        QTest::newRow("missing config file")
            << QStringList{u"--config"_s, u"/nonexistent/md.ini"_s} << QStringList{}
            << u"cannot read the config file /nonexistent/md.ini"_s;
    }

    void badValues()
    {
        QFETCH(QStringList, flags);
        QFETCH(QStringList, environment);
        QFETCH(QString, expected);
        QProcessEnvironment variables;
        for (const QString &assignment : environment) {
            const qsizetype equals = assignment.indexOf(u'=');
            variables.insert(assignment.left(equals), assignment.mid(equals + 1));
        }
        QString error;
        const auto config = ServerConfig::load(args(flags), variables, &error);
        QVERIFY(!config);
        QVERIFY2(error.contains(expected), qPrintable(error));
    }

    void badConfigFile()
    {
        QString error;
        const QString unknown =
            writeFile(u"unknown.ini"_s, "listen = 127.0.0.1:1\nlisten_port = 2\n");
        QVERIFY(!ServerConfig::load(args({u"--config"_s, unknown}), QProcessEnvironment(), &error));
        QVERIFY2(error.contains(u"unknown.ini:2: unknown setting 'listen_port' (see --help)"_s),
                 qPrintable(error));
        const QString garbage = writeFile(u"garbage.ini"_s, "[meddispatch]\nthis is not ini\n");
        QVERIFY(!ServerConfig::load(args({u"--config"_s, garbage}), QProcessEnvironment(), &error));
        QVERIFY2(error.contains(u"garbage.ini:2: expected key = value"_s), qPrintable(error));
        const QString badValue = writeFile(u"bad.ini"_s, "workers = lots\n");
        QVERIFY(
            !ServerConfig::load(args({u"--config"_s, badValue}), QProcessEnvironment(), &error));
        QVERIFY2(error.contains(u"bad.ini:1: 'lots'"_s), qPrintable(error));
    }

    void helpMentionsEveryFlagAndVariable()
    {
        const QString help = ServerConfig::helpText();
        for (const QString &flag :
             {u"--listen"_s, u"--database"_s, u"--data-dir"_s, u"--config"_s, u"--demo"_s,
              u"--log-level"_s, u"--workers"_s, u"--dev"_s, u"--rate-limit"_s, u"--cors-origins"_s,
              u"--tls-cert"_s, u"--tls-key"_s, u"--hash-threads"_s, u"--max-pending-logins"_s})
            QVERIFY2(help.contains(flag), qPrintable(flag));
        for (const QString &variable : {u"MEDDISPATCH_LISTEN"_s,
                                        u"MEDDISPATCH_DATABASE"_s,
                                        u"MEDDISPATCH_DATA_DIR"_s,
                                        u"MEDDISPATCH_PUBLIC_URL"_s,
                                        u"MEDDISPATCH_TWILIO_ACCOUNT_SID"_s,
                                        u"MEDDISPATCH_TWILIO_AUTH_TOKEN"_s,
                                        u"MEDDISPATCH_TWILIO_API_BASE"_s,
                                        u"MEDDISPATCH_TWILIO_SMS_FROM"_s,
                                        u"MEDDISPATCH_TWILIO_WHATSAPP_FROM"_s,
                                        u"MEDDISPATCH_SENDGRID_API_KEY"_s,
                                        u"MEDDISPATCH_SENDGRID_API_BASE"_s,
                                        u"MEDDISPATCH_EMAIL_FROM"_s,
                                        u"MEDDISPATCH_TRUSTED_PROXIES"_s,
                                        u"MEDDISPATCH_RATE_LIMIT"_s,
                                        u"MEDDISPATCH_CORS_ORIGINS"_s,
                                        u"MEDDISPATCH_TLS_CERT"_s,
                                        u"MEDDISPATCH_TLS_KEY"_s,
                                        u"MEDDISPATCH_DEV_MODE"_s,
                                        u"MEDDISPATCH_HASH_THREADS"_s,
                                        u"MEDDISPATCH_MAX_PENDING_LOGINS"_s})
            QVERIFY2(help.contains(variable), qPrintable(variable));
    }
};

QTEST_GUILESS_MAIN(TstHttpConfig)
#include "tst_http_config.moc"
