#pragma once

#include "domain/enums.h"

#include <QColor>
#include <QRect>
#include <QString>
#include <QWidget>

class QFontMetrics;
class QPainter;

namespace md::ui {

/// The colours and words of the product's badges, in one place so that the ticket
/// table, the engineer selection dialog and the history timeline agree. Colours are
/// chosen to read on both the light and the dark system palette.
struct BadgeStyle
{
    QString text;
    QColor background;
    QColor foreground;
};

BadgeStyle priorityBadge(domain::Priority priority);
BadgeStyle ticketStatusBadge(domain::TicketStatus status);
/// active green, completed blue, reassigned yellow, cancelled red (issue 4).
BadgeStyle assignmentStatusBadge(domain::AssignmentStatus status);
/// "Tier 1 · OEM", "Tier 2 · Partner", "Tier 3 · Multi-brand", "Tier 4 · BME".
BadgeStyle tierBadge(domain::AssignmentTier tier);
BadgeStyle levelBadge(domain::EngineerLevel level); // "L1", "L2", "L3"
/// Match score: >= 90 green "Excellent", 75-89 blue "Good", 60-74 yellow "Fair",
/// below 60 grey "Poor".
BadgeStyle matchScoreBadge(int score);
/// SLA state wire names: "on_track", "at_risk", "breached", "met" (codecs.cpp).
BadgeStyle slaBadge(const QString &state);

/// Paints a rounded pill with the text, vertically centred in rect, starting at its
/// left; returns the width used. Used by delegates and custom widgets.
int paintBadge(QPainter *painter, const QRect &rect, const BadgeStyle &badge);
/// The size a badge needs for its text with the painter's/widget's font.
QSize badgeSizeHint(const QFontMetrics &metrics, const BadgeStyle &badge);

/// A small widget showing one badge (accessible name = its text).
class BadgeLabel final : public QWidget
{
    Q_OBJECT
public:
    explicit BadgeLabel(QWidget *parent = nullptr);
    void setBadge(const BadgeStyle &badge);
    const BadgeStyle &badge() const { return m_badge; }
    QString text() const { return m_badge.text; }
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    BadgeStyle m_badge;
};

} // namespace md::ui
