#include "resourcemodel.h"

#include "apiclient.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QLocale>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace md::ui {

namespace {
// The API's largest page (API.md): a refresh asks for what is loaded, up to this.
constexpr int kMaxLimit = 500;

QString jsonText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Bool:
        return value.toBool() ? QCoreApplication::translate("md::ui::ResourceModel", "Yes")
                              : QCoreApplication::translate("md::ui::ResourceModel", "No");
    case QJsonValue::Double:
        return QLocale().toString(value.toDouble());
    case QJsonValue::Array: {
        QStringList parts;
        for (const QJsonValue &item : value.toArray())
            parts.append(jsonText(item));
        return parts.join(u", "_s);
    }
    case QJsonValue::Null:
    case QJsonValue::Undefined:
    case QJsonValue::Object:
        break;
    }
    return {};
}
} // namespace

ResourceModel::ResourceModel(client::ApiClient *api, ResourceDescriptor descriptor, QObject *parent)
    : QAbstractTableModel(parent), m_api(api), m_descriptor(std::move(descriptor))
{}

ResourceModel::~ResourceModel() = default;

void ResourceModel::setSearch(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_search && m_loaded)
        return;
    m_search = trimmed;
    startQuery();
}

void ResourceModel::setFilter(const QString &param, const QString &value)
{
    if (m_filters.value(param) == value && m_loaded)
        return;
    if (value.isEmpty())
        m_filters.remove(param);
    else
        m_filters.insert(param, value);
    startQuery();
}

void ResourceModel::startQuery()
{
    ++m_generation;
    beginResetModel();
    m_rows.clear();
    m_rowOfId.clear();
    m_total = -1;
    m_nextOffset = 0;
    m_loaded = false;
    endResetModel();
    request(0, PageSize);
}

void ResourceModel::reload()
{
    ++m_generation;
    request(0, PageSize);
}

void ResourceModel::refresh()
{
    ++m_generation;
    request(0, std::clamp(int(m_rows.size()), PageSize, kMaxLimit));
}

void ResourceModel::retry()
{
    if (m_failedOffset <= 0) {
        reload();
        return;
    }
    ++m_generation;
    request(m_failedOffset, m_failedLimit);
}

void ResourceModel::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    Q_EMIT loadingChanged(loading);
}

void ResourceModel::request(int offset, int limit)
{
    QUrlQuery query;
    for (auto it = m_filters.cbegin(); it != m_filters.cend(); ++it)
        query.addQueryItem(it.key(), it.value());
    if (!m_search.isEmpty())
        query.addQueryItem(u"q"_s, m_search);
    query.addQueryItem(u"limit"_s, QString::number(limit));
    query.addQueryItem(u"offset"_s, QString::number(offset));
    const quint64 generation = m_generation;
    setLoading(true);
    m_api->get(m_descriptor.path, query, this,
               [this, generation, offset, limit](const client::ApiResult &result) {
                   if (generation != m_generation)
                       return; // the answer to a query the user has moved on from
                   if (!result.ok()) {
                       m_error = result.error;
                       m_failedOffset = offset;
                       m_failedLimit = limit;
                       setLoading(false);
                       Q_EMIT loadFailed(m_error);
                       return;
                   }
                   m_error = {};
                   m_failedOffset = -1;
                   const QJsonArray data = result.json.value(u"data"_s).toArray();
                   const qint64 total =
                       result.json.value(u"page"_s).toObject().value(u"total"_s).toInteger(-1);
                   if (offset == 0) {
                       beginResetModel();
                       m_rows.clear();
                       m_rows.reserve(data.size());
                       for (const QJsonValue &value : data)
                           m_rows.append(value.toObject());
                       rebuildIndex(); // drops duplicates
                       endResetModel();
                   } else {
                       // Rows created meanwhile shift the pages: skip what is already here.
                       QList<QJsonObject> fresh;
                       for (const QJsonValue &value : data) {
                           QJsonObject object = value.toObject();
                           const QString id = object.value(u"id"_s).toString();
                           bool seen = m_rowOfId.contains(id);
                           for (const QJsonObject &f : std::as_const(fresh))
                               seen = seen || f.value(u"id"_s).toString() == id;
                           if (!seen)
                               fresh.append(std::move(object));
                       }
                       if (!fresh.isEmpty()) {
                           const int first = int(m_rows.size());
                           beginInsertRows({}, first, first + int(fresh.size()) - 1);
                           for (QJsonObject &object : fresh) {
                               m_rowOfId.insert(object.value(u"id"_s).toString(),
                                                int(m_rows.size()));
                               m_rows.append(std::move(object));
                           }
                           endInsertRows();
                       }
                   }
                   m_nextOffset = offset + int(data.size());
                   m_total = total >= 0 ? total : m_nextOffset;
                   if (data.isEmpty() || data.size() < limit)
                       m_total = std::min<qint64>(m_total, m_nextOffset); // nothing further
                   m_loaded = true;
                   setLoading(false);
                   Q_EMIT pageLoaded();
               });
}

void ResourceModel::rebuildIndex()
{
    m_rowOfId.clear();
    for (int i = 0; i < m_rows.size();) {
        const QString id = m_rows.at(i).value(u"id"_s).toString();
        if (m_rowOfId.contains(id)) {
            m_rows.removeAt(i);
            continue;
        }
        m_rowOfId.insert(id, i);
        ++i;
    }
}

QJsonObject ResourceModel::object(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row) : QJsonObject();
}

bool ResourceModel::updateObject(const QJsonObject &object)
{
    const int row = rowOf(object.value(u"id"_s).toString());
    if (row < 0)
        return false;
    // A partial object (an event without every field) keeps the fields it does not name.
    QJsonObject merged = m_rows.at(row);
    for (auto it = object.constBegin(); it != object.constEnd(); ++it)
        merged.insert(it.key(), it.value());
    if (merged == m_rows.at(row))
        return true;
    m_rows[row] = merged;
    Q_EMIT dataChanged(index(row, 0), index(row, columnCount() - 1));
    return true;
}

void ResourceModel::setOrganizationNames(const QHash<QString, QString> &names)
{
    m_organizationNames = names;
    if (m_rows.isEmpty())
        return;
    for (int column = 0; column < m_descriptor.columns.size(); ++column) {
        if (m_descriptor.columns.at(column).organizationName)
            Q_EMIT dataChanged(index(0, column), index(int(m_rows.size()) - 1, column));
    }
}

int ResourceModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ResourceModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_descriptor.columns.size());
}

QString ResourceModel::displayText(const QJsonObject &row, int column) const
{
    const ResourceColumn &c = m_descriptor.columns.at(column);
    if (c.display)
        return c.display(row);
    if (c.organizationName)
        return m_organizationNames.value(row.value(c.field).toString());
    return jsonText(row.value(c.field));
}

QVariant ResourceModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QJsonObject &row = m_rows.at(index.row());
    const ResourceColumn &column = m_descriptor.columns.at(index.column());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        return displayText(row, index.column());
    case SortRole:
        if (column.sortValue)
            return column.sortValue(row);
        return displayText(row, index.column());
    case ObjectRole:
        return QVariant(row);
    case IdRole:
        return row.value(u"id"_s).toString();
    case Qt::BackgroundRole:
    case Qt::ForegroundRole:
        if (column.badge) {
            if (const auto badge = column.badge(row))
                return role == Qt::BackgroundRole ? badge->background : badge->foreground;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (column.alignment)
            return int(column.alignment | Qt::AlignVCenter);
        return {};
    default:
        return {};
    }
}

QVariant ResourceModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= m_descriptor.columns.size())
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole)
        return m_descriptor.columns.at(section).header;
    return {};
}

bool ResourceModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_loaded && !m_loading &&
           m_error.kind == client::ApiError::Kind::None && m_nextOffset < m_total;
}

void ResourceModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    request(m_nextOffset, PageSize);
}

} // namespace md::ui
