#include "equipmentfetcher.h"

#include "apiclient.h"

#include <QJsonArray>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace md::ui {

EquipmentFetcher::EquipmentFetcher(client::ApiClient *api, QObject *parent)
    : QObject(parent), m_api(api)
{}

EquipmentFetcher::~EquipmentFetcher() = default;

void EquipmentFetcher::fetch(const QString &organizationId)
{
    ++m_generation;
    m_organizationId = organizationId;
    m_rows.clear();
    m_running = true;
    Q_EMIT progress(0, -1);
    request(0);
}

void EquipmentFetcher::cancel()
{
    ++m_generation; // the answer on its way is dropped
    m_running = false;
    m_rows.clear();
}

void EquipmentFetcher::request(int offset)
{
    QUrlQuery query;
    query.addQueryItem(u"organization_id"_s, m_organizationId);
    query.addQueryItem(u"limit"_s, QString::number(m_pageSize));
    query.addQueryItem(u"offset"_s, QString::number(offset));
    const quint64 generation = m_generation;
    m_api->get(
        u"/v1/equipment"_s, query, this,
        [this, generation, offset](const client::ApiResult &result) {
            if (generation != m_generation)
                return;
            if (!result.ok()) {
                m_running = false;
                m_rows.clear();
                Q_EMIT failed(result.error);
                return;
            }
            const QJsonArray data = result.json.value(u"data"_s).toArray();
            for (const QJsonValue &value : data)
                m_rows.append(value.toObject());
            const qint64 total =
                result.json.value(u"page"_s).toObject().value(u"total"_s).toInteger(m_rows.size());
            Q_EMIT progress(int(m_rows.size()), total);
            // An empty page ends it too: rows deleted meanwhile never loop.
            if (!data.isEmpty() && m_rows.size() < total) {
                request(offset + int(data.size()));
                return;
            }
            m_running = false;
            Q_EMIT finished(std::exchange(m_rows, {}));
        });
}

} // namespace md::ui
