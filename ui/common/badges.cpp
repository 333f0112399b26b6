#include "badges.h"

#include <QCoreApplication>
#include <QFontMetrics>
#include <QPainter>
#include <QPainterPath>

using namespace md::domain;

namespace md::ui {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("md::ui::Badges", text);
}

// Saturated fills with white or near-black text read on light and dark palettes alike.
const QColor kGreen(0x2e, 0x7d, 0x32);
const QColor kBlue(0x15, 0x65, 0xc0);
const QColor kYellow(0xf9, 0xa8, 0x25);
const QColor kOrange(0xef, 0x6c, 0x00);
const QColor kRed(0xc6, 0x28, 0x28);
const QColor kGrey(0x75, 0x75, 0x75);
const QColor kPurple(0x6a, 0x1b, 0x9a);
const QColor kTeal(0x00, 0x79, 0x6b);
const QColor kWhite(Qt::white);
const QColor kInk(0x21, 0x21, 0x21);

BadgeStyle badge(const QString &text, const QColor &background)
{
    return {text, background, background == kYellow ? kInk : kWhite};
}

} // namespace

BadgeStyle priorityBadge(Priority priority)
{
    switch (priority) {
    case Priority::Critical:
        return badge(tr("Critical"), kRed);
    case Priority::High:
        return badge(tr("High"), kOrange);
    case Priority::Normal:
        return badge(tr("Normal"), kBlue);
    case Priority::Low:
        return badge(tr("Low"), kGrey);
    }
    return {};
}

BadgeStyle ticketStatusBadge(TicketStatus status)
{
    switch (status) {
    case TicketStatus::New:
        return badge(tr("New"), kPurple);
    case TicketStatus::Assigned:
        return badge(tr("Assigned"), kBlue);
    case TicketStatus::InProgress:
        return badge(tr("In progress"), kTeal);
    case TicketStatus::OnHold:
        return badge(tr("On hold"), kYellow);
    case TicketStatus::Resolved:
        return badge(tr("Resolved"), kGreen);
    case TicketStatus::Closed:
        return badge(tr("Closed"), kGrey);
    case TicketStatus::Cancelled:
        return badge(tr("Cancelled"), kRed);
    }
    return {};
}

BadgeStyle assignmentStatusBadge(AssignmentStatus status)
{
    switch (status) {
    case AssignmentStatus::Active:
        return badge(tr("Active"), kGreen);
    case AssignmentStatus::Completed:
        return badge(tr("Completed"), kBlue);
    case AssignmentStatus::Reassigned:
        return badge(tr("Reassigned"), kYellow);
    case AssignmentStatus::Cancelled:
        return badge(tr("Cancelled"), kRed);
    }
    return {};
}

BadgeStyle tierBadge(AssignmentTier tier)
{
    switch (tier) {
    case AssignmentTier::Oem:
        return badge(tr("Tier 1 · OEM"), kPurple);
    case AssignmentTier::AuthorizedPartner:
        return badge(tr("Tier 2 · Partner"), kBlue);
    case AssignmentTier::ServiceProvider:
        return badge(tr("Tier 3 · Multi-brand"), kTeal);
    case AssignmentTier::HospitalBme:
        return badge(tr("Tier 4 · BME"), kGrey);
    }
    return {};
}

BadgeStyle levelBadge(EngineerLevel level)
{
    switch (level) {
    case EngineerLevel::L1:
        return badge(tr("L1"), kGrey);
    case EngineerLevel::L2:
        return badge(tr("L2"), kBlue);
    case EngineerLevel::L3:
        return badge(tr("L3"), kPurple);
    }
    return {};
}

BadgeStyle matchScoreBadge(int score)
{
    const QString number = QString::number(score) + QLatin1Char('%');
    if (score >= 90)
        return badge(tr("%1 Excellent").arg(number), kGreen);
    if (score >= 75)
        return badge(tr("%1 Good").arg(number), kBlue);
    if (score >= 60)
        return badge(tr("%1 Fair").arg(number), kYellow);
    return badge(tr("%1 Poor").arg(number), kGrey);
}

BadgeStyle slaBadge(const QString &state)
{
    if (state == QLatin1String("breached"))
        return badge(tr("SLA breached"), kRed);
    if (state == QLatin1String("at_risk"))
        return badge(tr("SLA at risk"), kYellow);
    if (state == QLatin1String("on_track"))
        return badge(tr("On track"), kGreen);
    return badge(tr("No SLA"), kGrey);
}

QSize badgeSizeHint(const QFontMetrics &metrics, const BadgeStyle &badge)
{
    return {metrics.horizontalAdvance(badge.text) + metrics.height(), metrics.height() + 4};
}

int paintBadge(QPainter *painter, const QRect &rect, const BadgeStyle &badge)
{
    if (badge.text.isEmpty())
        return 0;
    const QFontMetrics metrics = painter->fontMetrics();
    const QSize size = badgeSizeHint(metrics, badge);
    const int width = std::min(size.width(), rect.width());
    const QRect pill(rect.left(), rect.top() + (rect.height() - size.height()) / 2, width,
                     size.height());
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(badge.background);
    painter->drawRoundedRect(pill, pill.height() / 2.0, pill.height() / 2.0);
    painter->setPen(badge.foreground);
    painter->drawText(pill, Qt::AlignCenter,
                      metrics.elidedText(badge.text, Qt::ElideRight, pill.width() - 6));
    painter->restore();
    return width;
}

} // namespace md::ui

namespace md::ui {

BadgeLabel::BadgeLabel(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
}

void BadgeLabel::setBadge(const BadgeStyle &badge)
{
    m_badge = badge;
    setAccessibleName(badge.text);
    setToolTip(badge.text);
    updateGeometry();
    update();
}

QSize BadgeLabel::sizeHint() const
{
    return badgeSizeHint(fontMetrics(), m_badge);
}

void BadgeLabel::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    paintBadge(&painter, rect(), m_badge);
}

} // namespace md::ui
