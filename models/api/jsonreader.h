#pragma once

#include "domain/validation.h"

#include <QDate>
#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QString>
#include <QStringList>
#include <functional>
#include <optional>

namespace md::api {

/// Reads a request body field by field, collecting every problem instead of stopping
/// at the first, so that a 422 names all bad fields at once. Fields the reader was
/// never asked about are reported as unknown by finish(): a misspelt field is an
/// error, not silently ignored.
class JsonReader final
{
public:
    /// The body must be a JSON object: otherwise 400 malformed_json (thrown).
    static QJsonObject parseObject(const QByteArray &body);

    explicit JsonReader(QJsonObject object) : m_object(std::move(object)) {}

    bool has(const QString &key) const { return m_object.contains(key); }
    /// Marks a key as known without reading it (e.g. read-only fields a client echoes).
    void ignore(const QString &key) { m_seen.insert(key); }

    // Each returns nullopt when absent (recording "required" if required) or invalid.
    // Strings are kept verbatim; maxLength counts UTF-16 code units; null is "absent"
    // for optional fields and clears them (returned as an empty string).
    std::optional<QString> text(const QString &key, bool required, int maxLength = 200);
    std::optional<bool> boolean(const QString &key, bool required = false);
    std::optional<qint64> integer(const QString &key, bool required, qint64 min, qint64 max);
    std::optional<double> number(const QString &key, bool required, double min, double max);
    /// YYYY-MM-DD; null clears (returns an invalid QDate).
    std::optional<QDate> date(const QString &key, bool required = false);
    std::optional<QStringList> textList(const QString &key, bool required, int maxItems,
                                        int maxLength = 100);
    std::optional<QJsonObject> object(const QString &key, bool required = false);
    std::optional<QJsonArray> array(const QString &key, bool required, int maxItems);
    /// A wire enum value: a string parsed by `parse`; `allowed` lists the values for
    /// the error message.
    template <typename E>
    std::optional<E> enumeration(const QString &key, bool required,
                                 std::optional<E> (*parse)(const QString &), const QString &allowed)
    {
        const auto s = text(key, required, 64);
        if (!s || s->isEmpty())
            return std::nullopt;
        const auto v = parse(*s);
        if (!v)
            addError(key, QStringLiteral("must be one of: ") + allowed);
        return v;
    }

    void addError(const QString &field, const QString &message);
    void addErrors(const domain::ValidationErrors &errors);
    const domain::ValidationErrors &errors() const { return m_errors; }
    /// Throws 422 validation_failed naming every bad and every unknown field.
    void finish();

private:
    /// The value, or nullopt when absent or null (recording "required" if required).
    std::optional<QJsonValue> valueFor(const QString &key, bool required);
    QJsonObject m_object;
    QSet<QString> m_seen;
    domain::ValidationErrors m_errors;
};

} // namespace md::api
