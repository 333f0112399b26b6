#pragma once

#include <QColor>
#include <QFrame>

class QLabel;

namespace md::ui {

/// One figure of the dashboard: a caption, a large value and an optional detail line,
/// with an accent bar in a badge colour. objectName "kpi_<wire name>" (the field of
/// GET /v1/dashboard it shows); accessibleName "<label>: <value>" so a screen reader
/// reads the figure with its meaning.
class KpiTile final : public QFrame
{
    Q_OBJECT
public:
    KpiTile(const QString &wireName, const QString &label, QWidget *parent = nullptr);

    QString label() const;
    /// The value as shown, e.g. "42" or "1 h 25 min".
    QString value() const;
    QString detail() const;
    void setValue(const QString &value, const QString &detail = {});
    /// A badge colour (badges.h) marking the figure; invalid: none.
    void setAccent(const QColor &colour);

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QLabel *m_label;
    QLabel *m_value;
    QLabel *m_detail;
    QColor m_accent;
};

/// A duration for people: "45 min", "1 h 25 min", "2 d 3 h", "< 1 min"; "—" when
/// there is nothing to average yet (zero or negative).
QString humanDuration(double minutes);

} // namespace md::ui
