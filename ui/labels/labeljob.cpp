#include "labeljob.h"

#include <QDir>
#include <QFutureWatcher>
#include <QPainter>
#include <QPdfWriter>
#include <QPrinter>
#include <QSaveFile>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;

namespace md::ui {

namespace {

using Outcome = LabelJob::Outcome;
using Progress = std::function<void(int done, int page)>;

constexpr qreal kMmPerInch = 25.4;

// Paints every label, starting a new page where the layout says, checking for cancel
// before each label. The painter is active on `device`.
Outcome renderLabels(QPainter &painter, QPagedPaintDevice &device, const LabelSheet &sheet,
                     qreal dotsPerMm, const std::atomic_bool &cancel, const Progress &progress)
{
    Outcome outcome;
    outcome.status = Outcome::Status::Done;
    int page = 0;
    outcome.pages = sheet.labelCount() > 0 ? 1 : 0;
    for (int index = 0; index < sheet.labelCount(); ++index) {
        if (cancel.load(std::memory_order_relaxed)) {
            outcome.status = Outcome::Status::Cancelled;
            return outcome;
        }
        const int wanted = sheet.pageOf(index);
        while (page < wanted) {
            if (!device.newPage()) {
                outcome.status = Outcome::Status::Failed;
                outcome.error = LabelJob::tr("A new page could not be started.");
                return outcome;
            }
            ++page;
            ++outcome.pages;
        }
        sheet.paintLabel(painter, index, dotsPerMm);
        ++outcome.labels;
        progress(outcome.labels, page + 1);
    }
    return outcome;
}

Outcome writePdf(const LabelSheet &sheet, const QString &path, const std::atomic_bool &cancel,
                 const Progress &progress)
{
    Outcome outcome;
    // The file at `path` is replaced only by commit(): until then the pages go to a
    // temporary file beside it, which is removed when the run does not succeed.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        outcome.error = LabelJob::tr("%1 cannot be written: %2")
                            .arg(QDir::toNativeSeparators(path), file.errorString());
        return outcome;
    }
    {
        QPdfWriter writer(&file);
        writer.setResolution(LabelJob::PdfResolution);
        writer.setPageLayout(sheet.layout().pageLayout());
        writer.setTitle(LabelJob::tr("Equipment labels"));
        writer.setCreator(u"MedDispatch"_s);
        QPainter painter;
        if (!painter.begin(&writer)) {
            file.cancelWriting();
            outcome.error = LabelJob::tr("The PDF could not be started.");
            return outcome;
        }
        outcome = renderLabels(painter, writer, sheet, LabelJob::PdfResolution / kMmPerInch, cancel,
                               progress);
        painter.end();
    }
    if (outcome.status != Outcome::Status::Done) {
        file.cancelWriting();
        return outcome;
    }
    if (!file.commit()) {
        outcome.status = Outcome::Status::Failed;
        outcome.error = LabelJob::tr("%1 cannot be written: %2")
                            .arg(QDir::toNativeSeparators(path), file.errorString());
    }
    return outcome;
}

Outcome print(const LabelSheet &sheet, QPrinter &printer, const std::atomic_bool &cancel,
              const Progress &progress)
{
    Outcome outcome;
    QPainter painter;
    if (!painter.begin(&printer)) {
        outcome.error = LabelJob::tr("The printer could not be started.");
        return outcome;
    }
    // Full page: device coordinates start at the paper's corner, as the layout's do.
    outcome =
        renderLabels(painter, printer, sheet, printer.resolution() / kMmPerInch, cancel, progress);
    if (outcome.status != Outcome::Status::Done)
        printer.abort(); // nothing more reaches the printer
    painter.end();
    if (outcome.status == Outcome::Status::Done && printer.printerState() == QPrinter::Error) {
        outcome.status = Outcome::Status::Failed;
        outcome.error = LabelJob::tr("The printer reported an error.");
    }
    return outcome;
}

QString countLabels(int n)
{
    // Spelled out: without a loaded translator "%n label(s)" would show as written.
    return n == 1 ? LabelJob::tr("1 label") : LabelJob::tr("%L1 labels").arg(n);
}

QString countPages(int n)
{
    return n == 1 ? LabelJob::tr("1 page") : LabelJob::tr("%L1 pages").arg(n);
}

} // namespace

LabelJob::LabelJob(QObject *parent) : QObject(parent) {}

LabelJob::~LabelJob()
{
    if (m_cancel)
        m_cancel->store(true);
    // The worker stops before its next label; the watcher must outlive it.
    if (m_watcher)
        m_watcher->waitForFinished();
}

void LabelJob::preparePrinter(QPrinter &printer, const LabelLayout &layout)
{
    printer.setFullPage(true);
    printer.setPageLayout(layout.pageLayout());
    printer.setDocName(tr("Equipment labels"));
}

std::function<void(int, int)> LabelJob::progressReporter(const LabelSheet &sheet)
{
    // The worker never outlives the job (the destructor waits for it), so it may post to
    // it; the call runs on the job's thread, in order, and is dropped with the job.
    LabelJob *job = this;
    return [job, total = sheet.labelCount(), pages = sheet.pageCount()](int done, int page) {
        QMetaObject::invokeMethod(
            job,
            [job, done, total, page, pages] {
                if (job->m_running)
                    Q_EMIT job->progress(done, total, page, pages);
            },
            Qt::QueuedConnection);
    };
}

bool LabelJob::startPdf(const LabelSheet &sheet, const QString &path)
{
    if (path.isEmpty())
        return false;
    const Cancel cancel = std::make_shared<std::atomic_bool>(false);
    const bool started = start(sheet, [sheet, path, cancel, progress = progressReporter(sheet)] {
        return writePdf(sheet, path, *cancel, progress);
    });
    if (started) {
        m_cancel = cancel;
        m_path = path;
        m_printing = false;
    }
    return started;
}

bool LabelJob::startPrint(const LabelSheet &sheet, std::shared_ptr<QPrinter> printer)
{
    if (!printer)
        return false;
    const Cancel cancel = std::make_shared<std::atomic_bool>(false);
    const bool started = start(sheet, [sheet, printer, cancel, progress = progressReporter(sheet)] {
        return print(sheet, *printer, *cancel, progress);
    });
    if (started) {
        m_cancel = cancel;
        m_path.clear();
        m_printing = true;
    }
    return started;
}

bool LabelJob::start(const LabelSheet &sheet, std::function<Outcome()> work)
{
    if (m_running || sheet.labelCount() == 0)
        return false;
    if (!m_watcher) {
        m_watcher = new QFutureWatcher<Outcome>(this);
        connect(m_watcher, &QFutureWatcher<Outcome>::finished, this,
                [this] { finish(m_watcher->result()); });
    }
    m_running = true;
    m_total = sheet.labelCount();
    m_outcome = {};
    m_watcher->setFuture(QtConcurrent::run(std::move(work)));
    return true;
}

void LabelJob::wait()
{
    if (m_watcher)
        m_watcher->waitForFinished();
}

void LabelJob::cancel()
{
    if (m_running && m_cancel)
        m_cancel->store(true);
}

void LabelJob::finish(const Outcome &outcome)
{
    m_outcome = outcome;
    m_running = false;
    Q_EMIT finished(outcome.status == Outcome::Status::Done, describe(outcome));
}

QString LabelJob::describe(const Outcome &outcome) const
{
    switch (outcome.status) {
    case Outcome::Status::Done:
        if (m_printing)
            return tr("%1 on %2 sent to the printer.")
                .arg(countLabels(outcome.labels), countPages(outcome.pages));
        return tr("%1 on %2 written to %3.")
            .arg(countLabels(outcome.labels), countPages(outcome.pages),
                 QDir::toNativeSeparators(m_path));
    case Outcome::Status::Cancelled:
        return m_printing ? tr("Cancelled: the print job was aborted.")
                          : tr("Cancelled: no file was written.");
    case Outcome::Status::Failed:
        break;
    }
    return m_printing ? tr("Printing failed: %1").arg(outcome.error)
                      : tr("The PDF was not written: %1").arg(outcome.error);
}

} // namespace md::ui
