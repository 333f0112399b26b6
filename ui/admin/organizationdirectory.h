#pragma once

#include "apiresult.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>

namespace md::client {
class ApiClient;
}

namespace md::ui {

/// The organizations the signed-in user may see (GET /v1/organizations, every page), for
/// the names in the tables' organization columns, the organization filters and the
/// forms' organization pickers. Loaded once per view; reload() after organizations change.
class OrganizationDirectory final : public QObject
{
    Q_OBJECT
public:
    explicit OrganizationDirectory(client::ApiClient *api, QObject *parent = nullptr);
    ~OrganizationDirectory() override;

    /// Starts loading unless loaded or loading.
    void load();
    /// Loads again; the current list stays until the new one is complete.
    void reload();
    bool isLoaded() const { return m_loaded; }
    bool isLoading() const { return m_loading; }

    /// By name; only those of that type ("hospital", ...) when type is not empty.
    QList<QJsonObject> organizations(const QString &type = {}) const;
    QString name(const QString &id) const { return m_names.value(id); }
    const QHash<QString, QString> &names() const { return m_names; }

Q_SIGNALS:
    void loaded();
    void loadFailed(const client::ApiError &error);

private:
    void fetch(int offset);

    client::ApiClient *m_api;
    QList<QJsonObject> m_organizations;
    QList<QJsonObject> m_incoming;
    QHash<QString, QString> m_names;
    quint64 m_generation = 0;
    bool m_loaded = false;
    bool m_loading = false;
};

} // namespace md::ui
