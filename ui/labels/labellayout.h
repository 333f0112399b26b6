#pragma once

#include <QCoreApplication>
#include <QList>
#include <QMarginsF>
#include <QPageLayout>
#include <QPageSize>
#include <QRectF>
#include <QSizeF>
#include <QString>
#include <optional>

namespace md::ui {

/// A sheet of label stock, in millimetres: the page, where the first label's top-left
/// corner is (left and top margins), columns × rows of labels of one size with the gaps
/// between them. Positions are numbered row by row from 0 (the top-left label); a start
/// position skips the labels already peeled off a partly used sheet.
struct LabelLayout
{
    Q_DECLARE_TR_FUNCTIONS(LabelLayout)

public:
    QString id;   // "avery-l7163": stable, for settings
    QString name; // what the user picks from, translated
    QPageSize pageSize;
    QPageLayout::Orientation orientation = QPageLayout::Portrait;
    qreal leftMm = 0;
    qreal topMm = 0;
    int columns = 1;
    int rows = 1;
    QSizeF labelMm{0, 0};
    QSizeF gapMm{0, 0}; // horizontal, vertical

    int labelsPerPage() const { return columns * rows; }
    /// The page as the printer sees it (orientation applied), in millimetres.
    QSizeF pageMm() const;
    QPageLayout pageLayout() const;
    /// The label at a position (0 ≤ position < labelsPerPage()), in millimetres from the
    /// page's top-left corner.
    QRectF labelRectMm(int position) const;
    /// Every label lies on the page and none overlaps another.
    bool isValid() const;

    /// Pages needed for `count` labels when the first goes to `startPosition` (1-based,
    /// as the user counts on the sheet; clamped to 1..labelsPerPage()).
    int pageCount(int count, int startPosition = 1) const;
    /// Where the label with this index goes: the page (0-based) and the position on it.
    struct Slot
    {
        int page = 0;
        int position = 0;
    };
    Slot slotOf(int index, int startPosition = 1) const;
    int clampStart(int startPosition) const;

    /// The stock we offer: A4 3×8 70×37 mm (Avery 3474), A4 2×7 99.1×38.1 mm (Avery
    /// L7163), A4 3×7 63.5×38.1 mm (Avery L7160), US Letter 3×10 66.7×25.4 mm (Avery
    /// 5160), and one 62×29 mm label per page for label printers.
    static QList<LabelLayout> presets();
    static std::optional<LabelLayout> preset(const QString &id);
};

} // namespace md::ui
