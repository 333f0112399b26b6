#include "logging.h"

#include <QtGlobal>

#include <optional>
#include <string>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace md::server::logging {

namespace {

std::optional<spdlog::level::level_enum> parseLevel(const QString &text)
{
    const QString level = text.trimmed().toLower();
    if (level == u"trace")
        return spdlog::level::trace;
    if (level == u"debug")
        return spdlog::level::debug;
    if (level == u"info")
        return spdlog::level::info;
    if (level == u"warn" || level == u"warning")
        return spdlog::level::warn;
    if (level == u"error")
        return spdlog::level::err;
    if (level == u"critical")
        return spdlog::level::critical;
    if (level == u"off")
        return spdlog::level::off;
    return std::nullopt;
}

void qtMessageHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const std::string text = message.toStdString();
    const char *category = context.category ? context.category : "qt";
    switch (type) {
    case QtDebugMsg:
        spdlog::debug("[{}] {}", category, text);
        break;
    case QtInfoMsg:
        spdlog::info("[{}] {}", category, text);
        break;
    case QtWarningMsg:
        spdlog::warn("[{}] {}", category, text);
        break;
    case QtCriticalMsg:
        spdlog::error("[{}] {}", category, text);
        break;
    case QtFatalMsg:
        spdlog::critical("[{}] {}", category, text);
        spdlog::default_logger()->flush();
        break;
    }
}

} // namespace

bool isValidLevel(const QString &level)
{
    return parseLevel(level).has_value();
}

void setup(const QString &level)
{
    // stderr, so that stdout stays free for subcommands' output (create-admin, ...)
    spdlog::drop("meddispatch");
    auto logger = spdlog::stderr_color_mt("meddispatch");
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%-5l%$ %v");
    logger->set_level(parseLevel(level).value_or(spdlog::level::info));
    logger->flush_on(spdlog::level::warn);
    spdlog::set_default_logger(logger);
    qInstallMessageHandler(qtMessageHandler);
}

std::string printable(QByteArrayView bytes, qsizetype maxBytes)
{
    std::string out;
    const qsizetype n = std::min(bytes.size(), maxBytes);
    out.reserve(size_t(n));
    static const char hex[] = "0123456789abcdef";
    for (qsizetype i = 0; i < n; ++i) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            out += char(c);
        } else {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 0xf];
        }
    }
    if (bytes.size() > maxBytes)
        out += "...";
    return out;
}

void access(QByteArrayView method, QByteArrayView rawPath, int status, double milliseconds,
            const QString &requestId, const QHostAddress &client, QByteArrayView note,
            const QHostAddress &peer)
{
    const auto level = status >= 500 ? spdlog::level::warn : spdlog::level::info;
    if (!spdlog::should_log(level))
        return;
    std::string source = client.toString().toStdString();
    if (!peer.isNull() && peer != client)
        source += " via=" + peer.toString().toStdString();
    if (note.isEmpty()) {
        spdlog::log(level, "{} {} {} {:.1f}ms id={} client={}", printable(method, 16),
                    printable(rawPath, 512), status, milliseconds, requestId.toStdString(), source);
    } else {
        spdlog::log(level, "{} {} {} {:.1f}ms id={} client={} ({})", printable(method, 16),
                    printable(rawPath, 512), status, milliseconds, requestId.toStdString(), source,
                    printable(note, 128));
    }
}

} // namespace md::server::logging
