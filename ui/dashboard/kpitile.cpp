#include "kpitile.h"

#include <QCoreApplication>
#include <QLabel>
#include <QPainter>
#include <QVBoxLayout>
#include <cmath>

using namespace Qt::StringLiterals;

namespace md::ui {

KpiTile::KpiTile(const QString &wireName, const QString &label, QWidget *parent)
    : QFrame(parent), m_label(new QLabel(label, this)), m_value(new QLabel(this)),
      m_detail(new QLabel(this))
{
    setObjectName(u"kpi_"_s + wireName);
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Base);
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);

    m_label->setObjectName(u"kpiLabel"_s);
    m_value->setObjectName(u"kpiValue"_s);
    m_detail->setObjectName(u"kpiDetail"_s);
    m_label->setForegroundRole(QPalette::PlaceholderText);
    m_detail->setForegroundRole(QPalette::PlaceholderText);
    m_value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont big = m_value->font();
    big.setPointSizeF(big.pointSizeF() * 1.7);
    big.setBold(true);
    m_value->setFont(big);
    // Keep every tile's height the same whether or not it has a detail line.
    m_detail->setMinimumHeight(m_detail->fontMetrics().height());

    auto *layout = new QVBoxLayout(this);
    // Room on the left for the accent bar, a fraction of a line wide so it scales.
    const int bar = fontMetrics().height() / 3;
    QMargins margins = layout->contentsMargins();
    margins.setLeft(margins.left() + bar);
    layout->setContentsMargins(margins);
    layout->setSpacing(fontMetrics().height() / 4);
    layout->addWidget(m_label);
    layout->addWidget(m_value);
    layout->addWidget(m_detail);
    layout->addStretch();
    // Equal tiles line up in the flow; wide enough for "23 h 59 min" in the big font.
    setFixedWidth(qMax(m_value->fontMetrics().horizontalAdvance(u"00 h 00 min"_s),
                       fontMetrics().horizontalAdvance(label)) +
                  margins.left() + margins.right());
    setValue(u"—"_s);
}

QString KpiTile::label() const
{
    return m_label->text();
}

QString KpiTile::value() const
{
    return m_value->text();
}

QString KpiTile::detail() const
{
    return m_detail->text();
}

void KpiTile::setValue(const QString &value, const QString &detail)
{
    m_value->setText(value);
    m_detail->setText(detail);
    // A long detail line (or translation) widens this tile rather than being cut.
    const QMargins margins = layout()->contentsMargins();
    const int needed = qMax(m_detail->fontMetrics().horizontalAdvance(detail),
                            m_value->fontMetrics().horizontalAdvance(value)) +
                       margins.left() + margins.right();
    if (needed > maximumWidth())
        setFixedWidth(needed);
    setAccessibleName(detail.isEmpty()
                          ? QString(m_label->text() % u": "_s % value)
                          : QString(m_label->text() % u": "_s % value % u" ("_s % detail % u')'));
}

void KpiTile::setAccent(const QColor &colour)
{
    m_accent = colour;
    update();
}

void KpiTile::paintEvent(QPaintEvent *event)
{
    QFrame::paintEvent(event);
    if (!m_accent.isValid())
        return;
    QPainter painter(this);
    const int width = fontMetrics().height() / 5;
    const QRect inner = contentsRect();
    painter.fillRect(
        QRect(inner.left() + width, inner.top() + width, width, inner.height() - 2 * width),
        m_accent);
}

QString humanDuration(double minutes)
{
    const auto tr = [](const char *text) {
        return QCoreApplication::translate("md::ui::DashboardView", text);
    };
    if (!(minutes > 0))
        return u"—"_s;
    if (minutes < 1)
        return tr("< 1 min");
    const qint64 total = std::llround(minutes);
    const qint64 days = total / (24 * 60);
    const qint64 hours = (total / 60) % 24;
    const qint64 mins = total % 60;
    if (days > 0)
        return hours > 0 ? tr("%1 d %2 h").arg(days).arg(hours) : tr("%1 d").arg(days);
    if (hours > 0)
        return mins > 0 ? tr("%1 h %2 min").arg(hours).arg(mins) : tr("%1 h").arg(hours);
    return tr("%1 min").arg(mins);
}

} // namespace md::ui
