#include "organizationdirectory.h"

#include "apiclient.h"

#include <QJsonArray>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace md::ui {

namespace {
// The API's largest page: organizations number in the hundreds at most.
constexpr int kPageLimit = 500;
} // namespace

OrganizationDirectory::OrganizationDirectory(client::ApiClient *api, QObject *parent)
    : QObject(parent), m_api(api)
{}

OrganizationDirectory::~OrganizationDirectory() = default;

void OrganizationDirectory::load()
{
    if (m_loaded || m_loading)
        return;
    reload();
}

void OrganizationDirectory::reload()
{
    ++m_generation;
    m_loading = true;
    m_incoming.clear();
    fetch(0);
}

void OrganizationDirectory::fetch(int offset)
{
    QUrlQuery query;
    query.addQueryItem(u"limit"_s, QString::number(kPageLimit));
    query.addQueryItem(u"offset"_s, QString::number(offset));
    const quint64 generation = m_generation;
    m_api->get(u"/v1/organizations"_s, query, this,
               [this, generation, offset](const client::ApiResult &result) {
                   if (generation != m_generation)
                       return; // a newer reload() owns the answer
                   if (!result.ok()) {
                       m_loading = false;
                       Q_EMIT loadFailed(result.error);
                       return;
                   }
                   const QJsonArray data = result.json.value(u"data"_s).toArray();
                   for (const QJsonValue &value : data)
                       m_incoming.append(value.toObject());
                   const qint64 total = result.json.value(u"page"_s)
                                            .toObject()
                                            .value(u"total"_s)
                                            .toInteger(m_incoming.size());
                   if (!data.isEmpty() && m_incoming.size() < total) {
                       fetch(offset + int(data.size()));
                       return;
                   }
                   m_organizations = std::exchange(m_incoming, {});
                   m_names.clear();
                   for (const QJsonObject &org : std::as_const(m_organizations))
                       m_names.insert(org.value(u"id"_s).toString(),
                                      org.value(u"name"_s).toString());
                   m_loading = false;
                   m_loaded = true;
                   Q_EMIT loaded();
               });
}

QList<QJsonObject> OrganizationDirectory::organizations(const QString &type) const
{
    if (type.isEmpty())
        return m_organizations;
    QList<QJsonObject> out;
    for (const QJsonObject &org : m_organizations)
        if (org.value(u"type"_s).toString() == type)
            out.append(org);
    return out;
}

} // namespace md::ui
