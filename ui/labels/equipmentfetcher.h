#pragma once

#include "apiresult.h"

#include <QJsonObject>
#include <QList>
#include <QObject>

namespace md::client {
class ApiClient;
}

namespace md::ui {

/// Every piece of equipment of one organization, fetched page by page (GET
/// /v1/equipment?organization_id=…&limit=…&offset=…) with progress, for printing a whole
/// hospital's labels. A new fetch() or cancel() drops the answers of the previous one.
class EquipmentFetcher final : public QObject
{
    Q_OBJECT
public:
    explicit EquipmentFetcher(client::ApiClient *api, QObject *parent = nullptr);
    ~EquipmentFetcher() override;

    /// Rows per request (the API's largest page by default).
    void setPageSize(int limit) { m_pageSize = std::clamp(limit, 1, 500); }
    void fetch(const QString &organizationId);
    void cancel();
    bool isRunning() const { return m_running; }
    QString organizationId() const { return m_organizationId; }

Q_SIGNALS:
    /// received of total (total -1 until the first answer).
    void progress(int received, qint64 total);
    void finished(const QList<QJsonObject> &equipment);
    void failed(const client::ApiError &error);

private:
    void request(int offset);

    client::ApiClient *m_api;
    QString m_organizationId;
    QList<QJsonObject> m_rows;
    quint64 m_generation = 0;
    int m_pageSize = 500;
    bool m_running = false;
};

} // namespace md::ui
