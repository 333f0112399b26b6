#include "apiresult.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace md::client {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("md::client::ApiError", text);
}

QString unitText(qint64 count, const char *one, const char *many)
{
    // Plain singular/plural pairs: without a loaded translator "%n minute(s)" would show
    // the "(s)" to English users.
    return count == 1 ? tr(one) : tr(many).arg(count);
}

} // namespace

QString describeWait(int seconds)
{
    if (seconds < 60)
        return unitText(qMax(1, seconds), "1 second", "%1 seconds");
    // Rounded up: "try again in 4 minutes" must not be too early.
    const qint64 minutes = (qint64(seconds) + 59) / 60;
    if (minutes < 60)
        return unitText(minutes, "1 minute", "%1 minutes");
    const qint64 hours = minutes / 60;
    const qint64 rest = minutes % 60;
    const QString hourText = unitText(hours, "1 hour", "%1 hours");
    if (rest == 0)
        return hourText;
    return QCoreApplication::translate("md::client::ApiError", "%1 %2", "hours, then minutes")
        .arg(hourText, unitText(rest, "1 minute", "%1 minutes"));
}

QJsonObject ApiError::fields() const
{
    return details.value(u"fields"_s).toObject();
}

QString ApiError::fieldError(const QString &field) const
{
    return fields().value(field).toString();
}

QString ApiError::userMessage() const
{
    switch (kind) {
    case Kind::None:
        return {};
    case Kind::Unreachable:
        return tr("The server cannot be reached. Check the connection; MedDispatch keeps "
                  "retrying.");
    case Kind::Tls:
        return message.isEmpty()
                   ? tr("The server's certificate is not trusted by this computer, so "
                        "MedDispatch refused to connect. Ask your administrator to install a "
                        "certificate from a trusted authority.")
                   : message;
    case Kind::BadResponse:
        if (code == u"redirect" && !message.isEmpty())
            return message;
        return tr("The server sent an answer MedDispatch does not understand. Check that the "
                  "server address is right.");
    case Kind::Http:
        break;
    }

    const bool hasWait = retryAfterSeconds > 0;
    switch (status) {
    case 429:
        return hasWait
                   ? tr("Too many attempts. Try again in %1.").arg(describeWait(retryAfterSeconds))
                   : tr("Too many attempts. Try again later.");
    case 423:
        if (!hasWait) // e.g. "an administrator must unlock it"
            return message.isEmpty() ? tr("This account is locked. Ask an administrator to "
                                          "unlock it.")
                                     : message;
        return tr("This account is locked after too many failed attempts. Try again in %1.")
            .arg(describeWait(retryAfterSeconds));
    case 503:
        return hasWait
                   ? tr("The server is busy. Try again in %1.").arg(describeWait(retryAfterSeconds))
                   : tr("The server is busy. Try again shortly.");
    case 422:
        return message.isEmpty() ? tr("Some of the information is not valid. Check the marked "
                                      "fields.")
                                 : message;
    case 401:
        return message.isEmpty() ? tr("Your session has ended. Sign in again.") : message;
    case 403:
        return message.isEmpty() ? tr("You do not have permission to do this.") : message;
    case 404:
        return message.isEmpty() ? tr("This item does not exist any more.") : message;
    case 409:
        return message.isEmpty() ? tr("Someone else changed this meanwhile. Reload and try "
                                      "again.")
                                 : message;
    default:
        break;
    }
    if (status >= 500)
        return tr("The server could not complete the request (error %1). Try again later.")
            .arg(status);
    return message.isEmpty() ? tr("The request failed (error %1).").arg(status) : message;
}

} // namespace md::client
