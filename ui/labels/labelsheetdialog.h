#pragma once

#include "common/viewcontext.h"
#include "labelsheet.h"

#include <QDialog>
#include <QImage>
#include <QJsonObject>
#include <QList>
#include <memory>

class QPrinter;

namespace md::ui {

class LabelJob;

/// Prints or exports sheets of equipment QR labels ("labelSheetDialog"). What to print:
/// the equipment handed over by setEquipment() (the equipment view's selection, or the
/// one piece a scan found) or every piece of equipment of one hospital (fetched page by
/// page). Then the label stock, the position of the first label on a partly used sheet,
/// a preview of the first page (rendered off the UI thread), and "Export PDF…" or
/// "Print…". Fetching and rendering show a progress bar with Cancel; the result (or the
/// error, or how many pieces had no QR code and were skipped) stays in the dialog.
///
/// objectNames: labelSourceSelection, labelSourceHospital (radio buttons),
/// labelHospitalCombo, labelLayoutCombo, labelStartSpin, labelPreview, labelSummary,
/// labelProgress, labelCancelButton, labelResult, labelRetryButton, labelExportButton,
/// labelPrintButton.
class LabelSheetDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit LabelSheetDialog(const ViewContext &context, QWidget *parent = nullptr);
    ~LabelSheetDialog() override;

    /// Labels for these pieces of equipment (GET /v1/equipment JSON), in this order.
    void setEquipment(const QList<QJsonObject> &equipment);
    /// Labels for every piece of equipment of this hospital; empty: the user's own
    /// hospital, or the first one they may see.
    void setHospital(const QString &organizationId);
    /// A LabelLayout::presets() id.
    void setLabelLayout(const QString &layoutId);
    /// 1-based position of the first label on the first sheet.
    void setStartPosition(int position);
    /// The file the next "Export PDF…" writes without asking (tests, or a caller that
    /// chose it already); empty: ask with a file dialog.
    void setPdfPath(const QString &path);

    /// The labels as they would be printed now (empty while loading).
    LabelSheet sheet() const;
    /// Pieces of equipment left out for want of a valid QR code.
    int skippedCount() const;
    /// Fetching a hospital's equipment or rendering.
    bool isBusy() const;
    /// Equipment and organization names are loaded: export and print are possible.
    bool isReady() const;
    LabelJob *job() const;
    QImage previewImage() const;
    QString resultText() const;

    /// Prints on a printer set up by the caller (the print dialog's, or a PDF printer in
    /// tests); the printer is prepared for the layout first.
    void printTo(std::shared_ptr<QPrinter> printer);

public Q_SLOTS:
    /// "Export PDF…": the file from setPdfPath() or a file dialog, then exportPdfTo().
    void exportPdf();
    void exportPdfTo(const QString &path);
    /// "Print…": the system print dialog, then printTo().
    void print();
    /// Stops fetching or rendering; what was shown stays.
    void cancel();
    void reject() override;

Q_SIGNALS:
    /// The labels to print changed and are complete (after setEquipment() once names
    /// are known, after a hospital's equipment arrived).
    void labelsReady(int labels, int skipped);
    /// The preview image of the first page was updated.
    void previewUpdated();
    /// An export or print run ended.
    void jobFinished(bool ok, const QString &message);

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace md::ui
