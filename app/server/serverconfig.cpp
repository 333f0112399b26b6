#include "serverconfig.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QUrl>
#include <functional>

using namespace Qt::StringLiterals;

namespace md::server {

namespace {

const QString envPrefix = u"MEDDISPATCH_"_s;

/// One configuration setting: its key (INI key; MEDDISPATCH_<KEY> in the environment;
/// --<key-with-dashes> on the command line when it has a flag) and how a text value is
/// applied. Returns an empty string on success, else what is wrong.
struct Setting
{
    QString key;
    bool hasFlag;
    bool isBoolean;
    QString help;
    std::function<QString(ServerConfig &, const QString &)> apply;
    QString flag = {}; // when the flag is not --<key-with-dashes>
};

QString flagName(const Setting &setting)
{
    if (!setting.flag.isEmpty())
        return setting.flag;
    return u"--"_s + QString(setting.key).replace(u'_', u'-');
}

bool parsePort(const QString &text, quint16 *port)
{
    static const QRegularExpression digits(u"^[0-9]{1,5}$"_s);
    if (!digits.match(text).hasMatch())
        return false;
    const int value = text.toInt();
    if (value > 65535)
        return false;
    *port = quint16(value);
    return true;
}

QString applyListen(ServerConfig &config, const QString &text)
{
    const QString problem =
        u"'%1' is not host:port (for example 127.0.0.1:8080, 0.0.0.0:8080 or [::1]:8080)"_s.arg(
            text);
    QString host;
    QString port;
    if (text.startsWith(u'[')) {
        const qsizetype close = text.indexOf(u"]:"_s);
        if (close < 0)
            return problem;
        host = text.mid(1, close - 1);
        port = text.mid(close + 2);
    } else {
        const qsizetype colon = text.lastIndexOf(u':');
        if (colon < 0)
            return problem;
        host = text.left(colon);
        port = text.mid(colon + 1);
        if (host.contains(u':'))
            return problem + u" (put IPv6 addresses in brackets)"_s;
    }
    quint16 portNumber = 0;
    if (!parsePort(port, &portNumber))
        return u"'%1' is not a port number (0-65535)"_s.arg(port);
    QHostAddress address;
    if (host.compare(u"localhost"_s, Qt::CaseInsensitive) == 0)
        address = QHostAddress(QHostAddress::LocalHost);
    else if (!address.setAddress(host))
        return u"'%1' is not an IP address (or localhost)"_s.arg(host);
    config.listenAddress = address;
    config.listenPort = portNumber;
    return {};
}

QString checkHttpUrl(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") ||
        url.host().isEmpty())
        return u"'%1' is not an http:// or https:// URL"_s.arg(text);
    return {};
}

QString applyDatabase(ServerConfig &config, const QString &text)
{
    if (text.isEmpty())
        return u"the database must not be empty"_s;
    if (text.startsWith(u"postgres://"_s) || text.startsWith(u"postgresql://"_s)) {
        const QUrl url(text, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty() || url.path().size() < 2)
            return u"a PostgreSQL database is postgresql://user:password@host:port/database"_s;
    } else if (text.contains(u"://"_s)) {
        return u"expected a SQLite file path or a postgresql:// URL"_s;
    }
    config.database = text;
    return {};
}

std::optional<bool> parseBoolean(const QString &text)
{
    const QString value = text.trimmed().toLower();
    if (value == u"1" || value == u"true" || value == u"yes" || value == u"on")
        return true;
    if (value == u"0" || value == u"false" || value == u"no" || value == u"off")
        return false;
    return std::nullopt;
}

std::function<QString(ServerConfig &, const QString &)> intSetting(int ServerConfig::*member,
                                                                   int minimum, int maximum)
{
    return [member, minimum, maximum](ServerConfig &config, const QString &text) -> QString {
        bool ok = false;
        const int value = text.trimmed().toInt(&ok);
        if (!ok || value < minimum || value > maximum)
            return u"'%1' is not a whole number from %2 to %3"_s.arg(text).arg(minimum).arg(
                maximum);
        config.*member = value;
        return {};
    };
}

std::function<QString(ServerConfig &, const QString &)> urlSetting(QString ServerConfig::*member)
{
    return [member](ServerConfig &config, const QString &text) -> QString {
        if (QString problem = checkHttpUrl(text); !problem.isEmpty())
            return problem;
        QString url = text;
        while (url.endsWith(u'/'))
            url.chop(1);
        config.*member = url;
        return {};
    };
}

std::function<QString(ServerConfig &, const QString &)> textSetting(QString ServerConfig::*member)
{
    return [member](ServerConfig &config, const QString &text) -> QString {
        config.*member = text;
        return {};
    };
}

std::function<QString(ServerConfig &, const QString &)> booleanSetting(bool ServerConfig::*member)
{
    return [member](ServerConfig &config, const QString &text) -> QString {
        const std::optional<bool> value = parseBoolean(text);
        if (!value)
            return u"'%1' is not true or false"_s.arg(text);
        config.*member = *value;
        return {};
    };
}

std::function<QString(ServerConfig &, const QString &)> fileSetting(QString ServerConfig::*member)
{
    return [member](ServerConfig &config, const QString &text) -> QString {
        if (text.trimmed().isEmpty())
            return u"a file name is needed"_s;
        config.*member = text;
        return {};
    };
}

/// An origin as browsers send it in the Origin header: lower-case scheme and host, no
/// default port, no path; so that an exact comparison is the right one.
QString normalizeOrigin(const QString &text, QString *problem)
{
    const QString trimmed = text.trimmed();
    if (trimmed.contains(u'*')) {
        *problem = u"'%1': wildcards are not allowed; list every origin exactly"_s.arg(text);
        return {};
    }
    if (trimmed.compare(u"null"_s, Qt::CaseInsensitive) == 0) {
        *problem = u"'null' (sandboxed or file: pages) cannot be allowed"_s;
        return {};
    }
    QString withoutSlash = trimmed;
    if (withoutSlash.endsWith(u'/'))
        withoutSlash.chop(1);
    const QUrl url(withoutSlash, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != u"https" && scheme != u"http") || url.host().isEmpty() ||
        !url.path().isEmpty() || url.hasQuery() || url.hasFragment() || !url.userInfo().isEmpty()) {
        *problem =
            u"'%1' is not an origin (scheme://host[:port], e.g. https://app.example.org)"_s.arg(
                text);
        return {};
    }
    const QString host = url.host(QUrl::FullyEncoded).toLower();
    QString origin = scheme + u"://"_s + (host.contains(u':') ? u'[' + host + u']' : host);
    const int port = url.port();
    if (port >= 0 && port != (scheme == u"https" ? 443 : 80))
        origin += u':' + QString::number(port);
    return origin;
}

QString applyCorsOrigins(ServerConfig &config, const QString &text)
{
    QStringList origins;
    const QStringList items = text.split(QRegularExpression(u"[,\\s]+"_s), Qt::SkipEmptyParts);
    for (const QString &item : items) {
        QString problem;
        const QString origin = normalizeOrigin(item, &problem);
        if (origin.isEmpty())
            return problem;
        if (!origins.contains(origin))
            origins.append(origin);
    }
    config.corsOrigins = origins;
    return {};
}

QString applyTrustedProxies(ServerConfig &config, const QString &text)
{
    QList<std::pair<QHostAddress, int>> subnets;
    const QStringList items = text.split(QRegularExpression(u"[,\\s]+"_s), Qt::SkipEmptyParts);
    for (const QString &item : items) {
        std::pair<QHostAddress, int> subnet;
        if (item.contains(u'/')) {
            subnet = QHostAddress::parseSubnet(item);
            if (subnet.first.isNull())
                return u"'%1' is not an address or subnet (10.0.0.0/8, ::1)"_s.arg(item);
        } else {
            QHostAddress address;
            if (!address.setAddress(item))
                return u"'%1' is not an address or subnet (10.0.0.0/8, ::1)"_s.arg(item);
            subnet = {address, address.protocol() == QAbstractSocket::IPv6Protocol ? 128 : 32};
        }
        subnets.append(subnet);
    }
    config.trustedProxies = subnets;
    return {};
}

const QList<Setting> &settings()
{
    static const QList<Setting> all = {
        {u"listen"_s, true, false, u"address:port to listen on (default 127.0.0.1:8080)"_s,
         applyListen},
        {u"database"_s, true, false,
         u"SQLite file path or postgresql://user:pass@host:port/db (default: SQLite in the data directory)"_s,
         applyDatabase},
        {u"data_dir"_s, true, false,
         u"keys, SQLite file, media (default: the platform data directory)"_s,
         [](ServerConfig &config, const QString &text) -> QString {
             if (text.isEmpty())
                 return u"the data directory must not be empty"_s;
             config.dataDir = text;
             return {};
         }},
        {u"public_url"_s, true, false,
         u"URL clients and Twilio use to reach this server (default http://<listen>)"_s,
         urlSetting(&ServerConfig::publicUrl)},
        {u"twilio_account_sid"_s, false, false,
         u"Twilio account (unset: SMS/WhatsApp go to the log outbox)"_s,
         textSetting(&ServerConfig::twilioAccountSid)},
        {u"twilio_auth_token"_s, false, false, u"Twilio auth token"_s,
         textSetting(&ServerConfig::twilioAuthToken)},
        {u"twilio_api_base"_s, true, false,
         u"Twilio REST base URL (default https://api.twilio.com)"_s,
         urlSetting(&ServerConfig::twilioApiBase)},
        {u"twilio_sms_from"_s, true, false, u"SMS sender number"_s,
         textSetting(&ServerConfig::twilioSmsFrom)},
        {u"twilio_whatsapp_from"_s, true, false, u"WhatsApp sender number"_s,
         textSetting(&ServerConfig::twilioWhatsappFrom)},
        {u"sendgrid_api_key"_s, false, false,
         u"SendGrid API key (unset: e-mail goes to the log outbox)"_s,
         textSetting(&ServerConfig::sendgridApiKey)},
        {u"sendgrid_api_base"_s, true, false,
         u"SendGrid base URL (default https://api.sendgrid.com)"_s,
         urlSetting(&ServerConfig::sendgridApiBase)},
        {u"email_from"_s, true, false, u"sender address of e-mails"_s,
         [](ServerConfig &config, const QString &text) -> QString {
             if (!text.isEmpty() && !text.contains(u'@'))
                 return u"'%1' is not an e-mail address"_s.arg(text);
             config.emailFrom = text;
             return {};
         }},
        {u"trusted_proxies"_s, true, false,
         u"proxies whose X-Forwarded-For is believed: addresses or subnets, comma-separated"_s,
         applyTrustedProxies},
        {u"demo"_s, true, true, u"seed the demo data set (idempotent) before serving"_s,
         booleanSetting(&ServerConfig::demo)},
        {u"dev_mode"_s, true, true,
         u"development mode: the log outbox shows OTP codes unmasked (never in production)"_s,
         booleanSetting(&ServerConfig::developmentMode), u"--dev"_s},
        {u"log_level"_s, true, false,
         u"trace, debug, info, warn, error, critical or off (default info)"_s,
         [](ServerConfig &config, const QString &text) -> QString {
             static const QStringList levels = {u"trace"_s,   u"debug"_s, u"info"_s,     u"warn"_s,
                                                u"warning"_s, u"error"_s, u"critical"_s, u"off"_s};
             const QString level = text.trimmed().toLower();
             if (!levels.contains(level))
                 return u"'%1' is not one of trace, debug, info, warn, error, critical, off"_s.arg(
                     text);
             config.logLevel = level;
             return {};
         }},
        {u"workers"_s, true, false,
         u"request worker threads (default 0: one per core, at least 2)"_s,
         intSetting(&ServerConfig::workerThreads, 0, 256)},
        {u"max_pending_requests"_s, true, false,
         u"requests queued or running before new ones get 503 (default 256)"_s,
         intSetting(&ServerConfig::maxPendingRequests, 1, 1000000)},
        {u"idle_timeout"_s, true, false,
         u"seconds before idle keep-alive and slow-header connections are closed (default 15)"_s,
         intSetting(&ServerConfig::idleTimeoutSeconds, 1, 86400)},
        {u"rate_limit"_s, true, false,
         u"requests per client IP per minute, shared by all instances on the database "
         u"(default 100; 0 disables)"_s,
         intSetting(&ServerConfig::rateLimitPerMinute, 0, 1000000)},
        {u"cors_origins"_s, true, false,
         u"browser origins allowed to call the API, exact, comma-separated "
         u"(https://app.example.org; default none)"_s,
         applyCorsOrigins},
        {u"tls_cert"_s, true, false,
         u"PEM certificate (chain) file: serve HTTPS only, TLS 1.2+ (with --tls-key)"_s,
         fileSetting(&ServerConfig::tlsCertificateFile)},
        {u"tls_key"_s, true, false, u"PEM private key file of the certificate (mode 0600)"_s,
         fileSetting(&ServerConfig::tlsKeyFile)},
        {u"hash_threads"_s, true, false, u"password hashing threads (default 0: one per core)"_s,
         intSetting(&ServerConfig::passwordHashThreads, 0, 256)},
        {u"max_pending_logins"_s, true, false,
         u"password checks queued or running before new ones get 503 (default 32)"_s,
         intSetting(&ServerConfig::maxPendingPasswordChecks, 1, 100000)},
    };
    return all;
}

const Setting *findSetting(const QString &key)
{
    for (const Setting &setting : settings()) {
        if (setting.key == key)
            return &setting;
    }
    return nullptr;
}

struct Assignment
{
    const Setting *setting;
    QString value;
    QString origin; // for messages: "--listen", "MEDDISPATCH_LISTEN", "file:3"
};

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

bool readConfigFile(const QString &path, QList<Assignment> *out, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return fail(error, u"cannot read the config file %1: %2"_s.arg(path, file.errorString()));
    int lineNumber = 0;
    while (!file.atEnd()) {
        ++lineNumber;
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.isEmpty() || line.startsWith(u'#') || line.startsWith(u';'))
            continue;
        if (line.startsWith(u'[') && line.endsWith(u']'))
            continue; // sections carry no meaning; keys are unique
        const QString where = u"%1:%2"_s.arg(path).arg(lineNumber);
        const qsizetype equals = line.indexOf(u'=');
        if (equals <= 0)
            return fail(error, u"%1: expected key = value"_s.arg(where));
        QString key = line.left(equals).trimmed().toLower().replace(u'-', u'_');
        if (key.startsWith(envPrefix.toLower()))
            key = key.mid(envPrefix.size());
        QString value = line.mid(equals + 1).trimmed();
        if (value.size() >= 2 && (value.front() == u'"' || value.front() == u'\'') &&
            value.back() == value.front())
            value = value.mid(1, value.size() - 2);
        const Setting *setting = findSetting(key);
        if (!setting)
            return fail(error, u"%1: unknown setting '%2' (see --help)"_s.arg(where, key));
        out->append({setting, value, where});
    }
    return true;
}

} // namespace

std::optional<ServerConfig> ServerConfig::load(const QStringList &arguments,
                                               const QProcessEnvironment &environment,
                                               QString *error)
{
    // 1. flags: parsed first so that --config is known, applied last
    QList<Assignment> flags;
    QString configPath = environment.value(envPrefix + u"CONFIG"_s);
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        if (argument == u"--help" || argument == u"-h" || argument == u"--version")
            continue; // answered by main before the configuration is loaded
        if (!argument.startsWith(u"--")) {
            fail(error, u"unexpected argument '%1' (see --help)"_s.arg(argument));
            return std::nullopt;
        }
        const qsizetype equals = argument.indexOf(u'=');
        const QString name = equals < 0 ? argument : argument.left(equals);
        std::optional<QString> value;
        if (equals >= 0)
            value = argument.mid(equals + 1);

        if (name == u"--config") {
            if (!value) {
                if (i + 1 >= arguments.size()) {
                    fail(error, u"--config needs a file name"_s);
                    return std::nullopt;
                }
                value = arguments.at(++i);
            }
            configPath = *value;
            continue;
        }
        const Setting *setting = nullptr;
        for (const Setting &candidate : settings()) {
            if (candidate.hasFlag && flagName(candidate) == name)
                setting = &candidate;
        }
        if (!setting) {
            fail(error, u"unknown option '%1' (see --help)"_s.arg(name));
            return std::nullopt;
        }
        if (!value) {
            if (setting->isBoolean) {
                value = u"true"_s;
            } else if (i + 1 >= arguments.size() || arguments.at(i + 1).startsWith(u"--")) {
                fail(error, u"%1 needs a value (see --help)"_s.arg(name));
                return std::nullopt;
            } else {
                value = arguments.at(++i);
            }
        }
        flags.append({setting, *value, name});
    }

    // 2. lowest precedence first: file, environment, flags
    QList<Assignment> assignments;
    if (!configPath.isEmpty() && !readConfigFile(configPath, &assignments, error))
        return std::nullopt;
    for (const Setting &setting : settings()) {
        const QString variable = envPrefix + setting.key.toUpper();
        const QString value = environment.value(variable);
        // an empty variable counts as unset, as container tooling often exports them
        if (!value.isEmpty())
            assignments.append({&setting, value, variable});
    }
    assignments += flags;

    ServerConfig config;
    for (const Assignment &assignment : std::as_const(assignments)) {
        const QString problem = assignment.setting->apply(config, assignment.value);
        if (!problem.isEmpty()) {
            fail(error, u"%1: %2"_s.arg(assignment.origin, problem));
            return std::nullopt;
        }
    }
    // Settings that only make sense together.
    if (config.tlsCertificateFile.isEmpty() != config.tlsKeyFile.isEmpty()) {
        fail(error, u"MEDDISPATCH_TLS_CERT (--tls-cert) and MEDDISPATCH_TLS_KEY (--tls-key) "
                    u"must be set together"_s);
        return std::nullopt;
    }
    return config;
}

QString ServerConfig::helpText()
{
    QString text = u"Usage: meddispatch-server [options]\n"
                   u"       meddispatch-server <command> [options]\n\n"
                   u"The MedDispatch server: HTTP/JSON API and /v1/events WebSocket.\n\n"
                   u"Options (each overrides its MEDDISPATCH_* environment variable, which\n"
                   u"overrides the config file):\n"_s;
    const auto line = [&text](const QString &left, const QString &help) {
        text += u"  "_s + left.leftJustified(32) + u' ' + help + u'\n';
    };
    line(u"--config <file>"_s, u"INI file of key = value lines (MEDDISPATCH_CONFIG)"_s);
    for (const Setting &setting : settings()) {
        if (setting.hasFlag)
            line(flagName(setting) + (setting.isBoolean ? QString() : u" <value>"_s), setting.help);
    }
    line(u"--help"_s, u"show this help"_s);
    line(u"--version"_s, u"show the version"_s);
    text += u"\nEnvironment variables and config file keys (key = variable without\n"
            u"MEDDISPATCH_, lower-cased):\n"_s;
    for (const Setting &setting : settings())
        line(envPrefix + setting.key.toUpper(), setting.hasFlag ? QString() : setting.help);
    return text;
}

QString ServerConfig::listenText() const
{
    const QString host = listenAddress.protocol() == QAbstractSocket::IPv6Protocol
                             ? u'[' + listenAddress.toString() + u']'
                             : listenAddress.toString();
    return host + u':' + QString::number(listenPort);
}

QString ServerConfig::effectiveDataDir() const
{
    if (!dataDir.isEmpty())
        return QDir::cleanPath(dataDir);
    // Shared by the desktop's embedded server and a standalone one, whatever the
    // executable's application name.
    const QString base = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    return QDir::cleanPath((base.isEmpty() ? QDir::homePath() : base) + u"/meddispatch"_s);
}

QString ServerConfig::effectiveDatabase() const
{
    if (!database.isEmpty())
        return database;
    return effectiveDataDir() + u"/meddispatch.sqlite"_s;
}

bool ServerConfig::servesTls() const
{
    return !tlsCertificateFile.isEmpty() && !tlsKeyFile.isEmpty();
}

QString ServerConfig::effectivePublicUrl() const
{
    if (!publicUrl.isEmpty())
        return publicUrl;
    return (servesTls() ? u"https://"_s : u"http://"_s) + listenText();
}

} // namespace md::server
