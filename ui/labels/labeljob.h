#pragma once

#include "labelsheet.h"

#include <QObject>
#include <QString>
#include <atomic>
#include <functional>
#include <memory>

class QPrinter;
template <typename T> class QFutureWatcher;

namespace md::ui {

/// Renders a LabelSheet on a worker thread, into a PDF file or onto a printer, with
/// progress and cancel.
///
/// A PDF goes through a QSaveFile: it replaces the file at the path only when every page
/// was written, so a cancelled or failed export leaves no file behind and never leaves an
/// existing one half overwritten. A print run that is cancelled is aborted
/// (QPrinter::abort). Cancel is checked before every label; the job's destructor cancels
/// and waits for the worker (at most one label).
class LabelJob final : public QObject
{
    Q_OBJECT
public:
    /// What a finished run did (read after finished()).
    struct Outcome
    {
        enum class Status
        {
            Done,
            Cancelled,
            Failed
        };
        Status status = Status::Failed;
        int labels = 0; // labels rendered
        int pages = 0;  // pages begun
        QString error;  // Failed: why, in words for the user
    };

    explicit LabelJob(QObject *parent = nullptr);
    ~LabelJob() override;

    /// PDF resolution: device units per inch (vector output; only coordinate precision).
    static constexpr int PdfResolution = 1200;

    /// Starts writing the sheet as a PDF file at `path`; false (and nothing starts) when a
    /// run is going on or there is nothing to render.
    bool startPdf(const LabelSheet &sheet, const QString &path);
    /// Starts printing the sheet on `printer` (configured by a QPrintDialog; full page,
    /// the layout's paper). The job keeps the printer alive until the run ends.
    bool startPrint(const LabelSheet &sheet, std::shared_ptr<QPrinter> printer);

    bool isRunning() const { return m_running; }
    const Outcome &outcome() const { return m_outcome; }
    /// The PDF path of the current or last run (empty for printing).
    QString path() const { return m_path; }

    /// Prepares a printer for a layout: its paper, orientation, full page, no margins.
    static void preparePrinter(QPrinter &printer, const LabelLayout &layout);

    /// Blocks until the worker has stopped (after cancel(): one label at most). For
    /// owners being destroyed; finished() is not emitted by this.
    void wait();

public Q_SLOTS:
    /// Stops before the next label; finished(false, ...) follows.
    void cancel();

Q_SIGNALS:
    /// Labels done of total, and the page being rendered (1-based) of pages. Monotonic;
    /// reaches (total, total, pages, pages) on success.
    void progress(int done, int total, int page, int pages);
    /// ok: every label was written. message: the result for the user ("312 labels on 14
    /// pages written to …", "Cancelled: no file was written.", or the error).
    void finished(bool ok, const QString &message);

private:
    using Cancel = std::shared_ptr<std::atomic_bool>;
    bool start(const LabelSheet &sheet, std::function<Outcome()> work);
    std::function<void(int done, int page)> progressReporter(const LabelSheet &sheet);
    void finish(const Outcome &outcome);
    QString describe(const Outcome &outcome) const;

    QFutureWatcher<Outcome> *m_watcher = nullptr;
    Cancel m_cancel;
    Outcome m_outcome;
    QString m_path;
    int m_total = 0;
    bool m_printing = false;
    bool m_running = false;
};

} // namespace md::ui
