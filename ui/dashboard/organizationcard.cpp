#include "organizationcard.h"

#include <QCoreApplication>
#include <QGridLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace md::ui {

namespace {

std::optional<qint64> countOf(const QJsonObject &json, const QString &key)
{
    const QJsonValue value = json.value(key);
    if (!value.isDouble())
        return std::nullopt;
    return qint64(value.toDouble());
}

} // namespace

OrganizationSummary OrganizationSummary::fromJson(const QJsonObject &json)
{
    OrganizationSummary s;
    s.id = json.value(u"id"_s).toString();
    s.name = json.value(u"name"_s).toString();
    s.type = json.value(u"type"_s).toString();
    s.city = json.value(u"city"_s).toString();
    s.equipmentCount = countOf(json, u"equipment_count"_s);
    s.engineersCount = countOf(json, u"engineers_count"_s);
    s.activeTicketsCount = countOf(json, u"active_tickets_count"_s);
    return s;
}

QString organizationTypeName(const QString &wireName)
{
    const auto tr = [](const char *text) {
        return QCoreApplication::translate("md::ui::OrganizationCard", text);
    };
    if (wireName == u"hospital")
        return tr("Hospital");
    if (wireName == u"manufacturer")
        return tr("Manufacturer");
    if (wireName == u"authorized_partner")
        return tr("Authorized partner");
    if (wireName == u"service_provider")
        return tr("Service provider");
    return wireName;
}

OrganizationCard::OrganizationCard(const OrganizationSummary &summary, QWidget *parent)
    : QFrame(parent), m_name(new QLabel(this)), m_type(new QLabel(this))
{
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Base);
    setFocusPolicy(Qt::StrongFocus);
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Preferred);

    m_name->setObjectName(u"orgName"_s);
    m_name->setWordWrap(true);
    QFont bold = m_name->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.1);
    m_name->setFont(bold);
    m_type->setObjectName(u"orgType"_s);
    m_type->setForegroundRole(QPalette::PlaceholderText);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_name);
    layout->addWidget(m_type);
    m_counts = new QGridLayout;
    m_counts->setHorizontalSpacing(fontMetrics().height());
    layout->addLayout(m_counts);
    layout->addStretch();
    m_equipment = addCount(u"equipmentCount"_s, tr("Equipment"), 0);
    m_engineers = addCount(u"engineersCount"_s, tr("Engineers"), 1);
    m_activeTickets = addCount(u"activeTicketsCount"_s, tr("Active tickets"), 2);
    // Cards of one width form a grid in the flow layout: at least about 30 characters,
    // and never narrower than the captions of the counts in this language and font.
    setFixedWidth(qMax(fontMetrics().averageCharWidth() * 30, layout->minimumSize().width()));

    setSummary(summary);
}

QLabel *OrganizationCard::addCount(const QString &objectName, const QString &caption, int column)
{
    auto *value = new QLabel(this);
    value->setObjectName(objectName);
    QFont font = value->font();
    font.setPointSizeF(font.pointSizeF() * 1.4);
    font.setBold(true);
    value->setFont(font);
    auto *label = new QLabel(caption, this);
    label->setForegroundRole(QPalette::PlaceholderText);
    m_counts->addWidget(value, 0, column);
    m_counts->addWidget(label, 1, column);
    return value;
}

void OrganizationCard::setSummary(const OrganizationSummary &summary)
{
    const bool first = m_summary.id.isEmpty();
    if (!first && summary == m_summary)
        return;
    m_summary = summary;
    setObjectName(u"orgCard_"_s + summary.id);
    updateTexts();
}

QString OrganizationCard::countText(const std::optional<qint64> &count)
{
    return count ? QLocale().toString(*count) : u"—"_s;
}

void OrganizationCard::updateTexts()
{
    const QString type = organizationTypeName(m_summary.type);
    m_name->setText(m_summary.name);
    m_type->setText(m_summary.city.isEmpty() ? type : tr("%1 · %2").arg(type, m_summary.city));
    m_equipment->setText(countText(m_summary.equipmentCount));
    m_engineers->setText(countText(m_summary.engineersCount));
    m_activeTickets->setText(countText(m_summary.activeTicketsCount));
    if (m_summary.hasCounts()) {
        const QString notShown = tr("not shown");
        const auto spoken = [&](const std::optional<qint64> &count) {
            return count ? QLocale().toString(*count) : notShown;
        };
        setAccessibleName(tr("%1, %2: %3 equipment, %4 engineers, %5 active tickets")
                              .arg(m_summary.name, type, spoken(m_summary.equipmentCount),
                                   spoken(m_summary.engineersCount),
                                   spoken(m_summary.activeTicketsCount)));
    } else {
        setAccessibleName(
            tr("%1, %2: counts not shown for this organization").arg(m_summary.name, type));
    }
    setToolTip(m_summary.hasCounts() ? QString()
                                     : tr("Counts are shown only for your own organization."));
}

void OrganizationCard::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Return:
    case Qt::Key_Enter:
    case Qt::Key_Space:
        Q_EMIT activated(m_summary.id);
        return;
    case Qt::Key_Right:
    case Qt::Key_Down:
        focusNextChild();
        return;
    case Qt::Key_Left:
    case Qt::Key_Up:
        focusPreviousChild();
        return;
    default:
        QFrame::keyPressEvent(event);
    }
}

void OrganizationCard::mousePressEvent(QMouseEvent *event)
{
    setFocus(Qt::MouseFocusReason);
    QFrame::mousePressEvent(event);
}

void OrganizationCard::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton)
        Q_EMIT activated(m_summary.id);
    QFrame::mouseDoubleClickEvent(event);
}

void OrganizationCard::focusInEvent(QFocusEvent *event)
{
    QFrame::focusInEvent(event);
    update();
}

void OrganizationCard::focusOutEvent(QFocusEvent *event)
{
    QFrame::focusOutEvent(event);
    update();
}

void OrganizationCard::paintEvent(QPaintEvent *event)
{
    QFrame::paintEvent(event);
    if (!hasFocus())
        return;
    // A highlight-coloured outline in the palette's colour: visible in light and dark.
    QPainter painter(this);
    QPen pen(palette().color(QPalette::Highlight));
    pen.setWidth(qMax(2, fontMetrics().height() / 8));
    painter.setPen(pen);
    painter.setRenderHint(QPainter::Antialiasing);
    const int inset = pen.width() / 2 + 1;
    painter.drawRect(rect().adjusted(inset, inset, -inset, -inset));
}

} // namespace md::ui
