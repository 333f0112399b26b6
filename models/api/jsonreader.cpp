#include "jsonreader.h"

#include "apierror.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <cmath>

using namespace Qt::StringLiterals;

namespace md::api {

QJsonObject JsonReader::parseObject(const QByteArray &body)
{
    if (body.trimmed().isEmpty())
        throw ApiError::badRequest(u"malformed_json"_s,
                                   u"The request body is empty; a JSON object was expected."_s);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        throw ApiError::badRequest(u"malformed_json"_s,
                                   u"The request body is not valid JSON: "_s + error.errorString() +
                                       u" at offset "_s + QString::number(error.offset) + u'.',
                                   QJsonObject{{u"offset"_s, error.offset}});
    if (!doc.isObject())
        throw ApiError::badRequest(u"malformed_json"_s,
                                   u"The request body must be a JSON object."_s);
    return doc.object();
}

std::optional<QJsonValue> JsonReader::valueFor(const QString &key, bool required)
{
    m_seen.insert(key);
    const auto it = m_object.constFind(key);
    if (it == m_object.constEnd() || it->isNull() || it->isUndefined()) {
        if (required)
            addError(key, u"is required"_s);
        return std::nullopt;
    }
    return *it;
}

std::optional<QString> JsonReader::text(const QString &key, bool required, int maxLength)
{
    const bool present = m_object.contains(key);
    const auto v = valueFor(key, required);
    if (!v)
        return (present && !required) ? std::optional<QString>(QString()) : std::nullopt;
    if (!v->isString()) {
        addError(key, u"must be a string"_s);
        return std::nullopt;
    }
    QString s = v->toString();
    if (s.contains(QChar(0))) {
        addError(key, u"must not contain NUL characters"_s);
        return std::nullopt;
    }
    if (required && s.trimmed().isEmpty()) {
        addError(key, u"must not be empty"_s);
        return std::nullopt;
    }
    if (s.size() > maxLength) {
        addError(key, u"must be at most %1 characters"_s.arg(maxLength));
        return std::nullopt;
    }
    return s;
}

std::optional<bool> JsonReader::boolean(const QString &key, bool required)
{
    const auto v = valueFor(key, required);
    if (!v)
        return std::nullopt;
    if (!v->isBool()) {
        addError(key, u"must be true or false"_s);
        return std::nullopt;
    }
    return v->toBool();
}

std::optional<qint64> JsonReader::integer(const QString &key, bool required, qint64 min, qint64 max)
{
    const auto v = valueFor(key, required);
    if (!v)
        return std::nullopt;
    const double d = v->toDouble(std::nan(""));
    if (!v->isDouble() || std::isnan(d) || d != std::floor(d) || d < double(min) ||
        d > double(max)) {
        addError(key, u"must be a whole number from %1 to %2"_s.arg(min).arg(max));
        return std::nullopt;
    }
    return qint64(d);
}

std::optional<double> JsonReader::number(const QString &key, bool required, double min, double max)
{
    const auto v = valueFor(key, required);
    if (!v)
        return std::nullopt;
    const double d = v->toDouble(std::nan(""));
    if (!v->isDouble() || !std::isfinite(d) || d < min || d > max) {
        addError(key, u"must be a number from %1 to %2"_s.arg(min).arg(max));
        return std::nullopt;
    }
    return d;
}

std::optional<QDate> JsonReader::date(const QString &key, bool required)
{
    const bool present = m_object.contains(key);
    const auto v = valueFor(key, required);
    if (!v)
        return present && !required ? std::optional<QDate>(QDate()) : std::nullopt;
    const QDate d = v->isString() && v->toString().size() == 10
                        ? QDate::fromString(v->toString(), Qt::ISODate)
                        : QDate();
    if (!d.isValid() || d.year() < 1900 || d.year() > 2200) {
        addError(key, u"must be a date written YYYY-MM-DD"_s);
        return std::nullopt;
    }
    return d;
}

std::optional<QStringList> JsonReader::textList(const QString &key, bool required, int maxItems,
                                                int maxLength)
{
    const auto v = valueFor(key, required);
    if (!v)
        return std::nullopt;
    if (!v->isArray() || v->toArray().size() > maxItems) {
        addError(key, u"must be a list of at most %1 strings"_s.arg(maxItems));
        return std::nullopt;
    }
    QStringList out;
    for (const QJsonValue &item : v->toArray()) {
        if (!item.isString() || item.toString().isEmpty() || item.toString().size() > maxLength) {
            addError(key, u"must contain only non-empty strings of at most %1 characters"_s.arg(
                              maxLength));
            return std::nullopt;
        }
        if (!out.contains(item.toString()))
            out.append(item.toString());
    }
    return out;
}

std::optional<QJsonObject> JsonReader::object(const QString &key, bool required)
{
    const auto v = valueFor(key, required);
    if (!v)
        return std::nullopt;
    if (!v->isObject()) {
        addError(key, u"must be an object"_s);
        return std::nullopt;
    }
    return v->toObject();
}

std::optional<QJsonArray> JsonReader::array(const QString &key, bool required, int maxItems)
{
    const auto v = valueFor(key, required);
    if (!v)
        return std::nullopt;
    if (!v->isArray() || v->toArray().size() > maxItems) {
        addError(key, u"must be a list of at most %1 items"_s.arg(maxItems));
        return std::nullopt;
    }
    return v->toArray();
}

void JsonReader::addError(const QString &field, const QString &message)
{
    if (!m_errors.contains(field))
        m_errors.insert(field, message);
}

void JsonReader::addErrors(const domain::ValidationErrors &errors)
{
    for (auto it = errors.cbegin(); it != errors.cend(); ++it)
        addError(it.key(), it.value());
}

void JsonReader::finish()
{
    for (auto it = m_object.constBegin(); it != m_object.constEnd(); ++it) {
        if (!m_seen.contains(it.key()))
            addError(it.key().left(100), u"is not a known field"_s);
    }
    if (!m_errors.isEmpty())
        throw ApiError::validation(m_errors);
}

} // namespace md::api
