#pragma once

#include <QFrame>
#include <QJsonObject>
#include <optional>

class QGridLayout;
class QLabel;

namespace md::ui {

/// What a dashboard card shows of one organization (GET /v1/organizations with
/// include_counts=true). The server gives the counts only for organizations whose
/// figures the caller may see (all for the platform roles, otherwise their own):
/// absent counts stay empty and are shown as "—".
struct OrganizationSummary
{
    QString id;
    QString name;
    QString type; // wire name: hospital, manufacturer, authorized_partner, service_provider
    QString city;
    std::optional<qint64> equipmentCount;
    std::optional<qint64> engineersCount;
    std::optional<qint64> activeTicketsCount;

    static OrganizationSummary fromJson(const QJsonObject &json);
    bool hasCounts() const { return equipmentCount || engineersCount || activeTicketsCount; }
    bool operator==(const OrganizationSummary &) const = default;
};

/// "Hospital", "Manufacturer", "Authorized partner", "Service provider" (translated).
QString organizationTypeName(const QString &wireName);

/// A card on the dashboard: the organization's name, type and city, and its equipment,
/// engineers and active-ticket counts. objectName "orgCard_<id>"; the count labels are
/// "equipmentCount", "engineersCount" and "activeTicketsCount". Focusable, so keyboard
/// users can move through the cards (arrow keys or Tab) and hear each one's summary;
/// Enter or a double click activates it.
class OrganizationCard final : public QFrame
{
    Q_OBJECT
public:
    explicit OrganizationCard(const OrganizationSummary &summary, QWidget *parent = nullptr);

    const OrganizationSummary &summary() const { return m_summary; }
    QString organizationId() const { return m_summary.id; }
    void setSummary(const OrganizationSummary &summary);
    /// The shown text of a count: the number, or "—" when it is not available.
    static QString countText(const std::optional<qint64> &count);

Q_SIGNALS:
    void activated(const QString &organizationId);

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void focusInEvent(QFocusEvent *event) override;
    void focusOutEvent(QFocusEvent *event) override;
    void paintEvent(QPaintEvent *event) override;

private:
    QLabel *addCount(const QString &objectName, const QString &caption, int column);
    void updateTexts();

    OrganizationSummary m_summary;
    QLabel *m_name;
    QLabel *m_type;
    QLabel *m_equipment = nullptr;
    QLabel *m_engineers = nullptr;
    QLabel *m_activeTickets = nullptr;
    QGridLayout *m_counts = nullptr;
};

} // namespace md::ui
