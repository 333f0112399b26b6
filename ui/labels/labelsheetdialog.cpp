#include "labelsheetdialog.h"

#include "admin/organizationdirectory.h"
#include "apiclient.h"
#include "equipmentfetcher.h"
#include "labeljob.h"
#include "session.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QPrintDialog>
#include <QPrinter>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;

namespace md::ui {

namespace {

// The preview is rendered this wide (pixels) and scaled to the widget: enough for the
// modules to show, cheap enough to redo on every change.
constexpr int kPreviewWidth = 720;

// The first page as it will print, scaled to fit, on the window's background.
class LabelPreview final : public QWidget
{
public:
    explicit LabelPreview(QWidget *parent) : QWidget(parent)
    {
        setObjectName(u"labelPreview"_s);
        setAccessibleName(LabelSheetDialog::tr("Preview of the first page"));
        setMinimumSize(240, 240);
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    }

    void setImage(const QImage &image, const QString &placeholder)
    {
        m_image = image;
        m_placeholder = placeholder;
        update();
    }
    const QImage &image() const { return m_image; }
    QSize sizeHint() const override { return {360, 460}; }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter painter(this);
        const QRect area = rect().adjusted(6, 6, -6, -6);
        if (m_image.isNull()) {
            painter.setPen(palette().color(QPalette::PlaceholderText));
            painter.drawText(area, Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
            return;
        }
        const QSize size = m_image.size().scaled(area.size(), Qt::KeepAspectRatio);
        const QRect target(area.left() + (area.width() - size.width()) / 2,
                           area.top() + (area.height() - size.height()) / 2, size.width(),
                           size.height());
        painter.setRenderHint(QPainter::SmoothPixmapTransform);
        painter.fillRect(target.translated(2, 2), palette().color(QPalette::Shadow));
        painter.drawImage(target, m_image);
        painter.setPen(palette().color(QPalette::Mid));
        painter.drawRect(target.adjusted(0, 0, -1, -1));
    }

private:
    QImage m_image;
    QString m_placeholder;
};

QImage renderPreview(const LabelSheet &sheet)
{
    const QSizeF paper = sheet.layout().pageMm();
    if (paper.isEmpty())
        return {};
    const qreal dotsPerMm = kPreviewWidth / paper.width();
    QImage image(QSizeF(paper * dotsPerMm).toSize(), QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::TextAntialiasing);
    sheet.paintPreview(painter, 0, dotsPerMm);
    painter.end();
    return image;
}

} // namespace

class LabelSheetDialog::Private
{
public:
    enum class Source
    {
        Selection,
        Hospital
    };

    LabelSheetDialog *q;
    ViewContext context;
    OrganizationDirectory *directory = nullptr;
    EquipmentFetcher *fetcher = nullptr;
    LabelJob *job = nullptr;
    QTimer previewTimer;
    quint64 previewGeneration = 0;

    QRadioButton *selectionRadio = nullptr;
    QRadioButton *hospitalRadio = nullptr;
    QComboBox *hospitalCombo = nullptr;
    QComboBox *layoutCombo = nullptr;
    QSpinBox *startSpin = nullptr;
    QLabel *startOf = nullptr;
    LabelPreview *preview = nullptr;
    QLabel *summary = nullptr;
    QProgressBar *progressBar = nullptr;
    QPushButton *cancelButton = nullptr;
    QLabel *result = nullptr;
    QPushButton *retryButton = nullptr;
    QPushButton *exportButton = nullptr;
    QPushButton *printButton = nullptr;

    QList<LabelLayout> layouts = LabelLayout::presets();
    Source source = Source::Selection;
    QList<QJsonObject> selection;
    bool hasSelection = false;
    QString hospitalId; // the hospital whose rows are (being) fetched
    QList<QJsonObject> hospitalRows;
    bool hospitalLoaded = false;
    QString loadError;  // fetching the equipment or the names failed
    QString fetchState; // "cancelled" etc. for the summary
    LabelBatch batch;
    bool ready = false;
    QString pdfPath;

    Private(LabelSheetDialog *dialog, const ViewContext &c) : q(dialog), context(c) {}

    const LabelLayout &layout() const
    {
        return layouts.at(std::clamp(layoutCombo->currentIndex(), 0, int(layouts.size()) - 1));
    }
    QString hospitalName(const QString &id) const
    {
        const QString name = directory->name(id);
        return name.isEmpty() ? LabelSheetDialog::tr("this hospital") : name;
    }
    bool busy() const { return fetcher->isRunning() || job->isRunning(); }

    void build();
    void fillHospitals();
    void chooseHospital(const QString &id);
    void startFetch();
    void rebuild();
    void updateSummary();
    void updateEnabled();
    void schedulePreview();
    void renderPreviewNow();
    void showFetchProgress(int received, qint64 total);
    void showJobProgress(int done, int total, int page, int pages);
    void jobDone(bool ok, const QString &message);
    QString skippedNote() const;
    QString suggestedFileName() const;
};

void LabelSheetDialog::Private::build()
{
    q->setObjectName(u"labelSheetDialog"_s);
    q->setWindowTitle(LabelSheetDialog::tr("Print equipment labels"));
    q->setAccessibleName(q->windowTitle());

    auto *layoutBox = new QVBoxLayout(q);
    auto *columns = new QHBoxLayout;
    layoutBox->addLayout(columns, 1);
    auto *left = new QVBoxLayout;
    columns->addLayout(left, 0);

    // What to print.
    auto *what = new QGroupBox(LabelSheetDialog::tr("Equipment"), q);
    auto *whatLayout = new QVBoxLayout(what);
    selectionRadio = new QRadioButton(LabelSheetDialog::tr("S&elected equipment"), what);
    selectionRadio->setObjectName(u"labelSourceSelection"_s);
    hospitalRadio =
        new QRadioButton(LabelSheetDialog::tr("Every piece of equipment of &hospital:"), what);
    hospitalRadio->setObjectName(u"labelSourceHospital"_s);
    auto *group = new QButtonGroup(q);
    group->addButton(selectionRadio);
    group->addButton(hospitalRadio);
    hospitalCombo = new QComboBox(what);
    hospitalCombo->setObjectName(u"labelHospitalCombo"_s);
    hospitalCombo->setAccessibleName(LabelSheetDialog::tr("Hospital"));
    hospitalCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    hospitalCombo->setMinimumContentsLength(24);
    whatLayout->addWidget(selectionRadio);
    whatLayout->addWidget(hospitalRadio);
    whatLayout->addWidget(hospitalCombo);
    left->addWidget(what);

    // On what.
    auto *stock = new QGroupBox(LabelSheetDialog::tr("Label sheet"), q);
    auto *form = new QFormLayout(stock);
    layoutCombo = new QComboBox(stock);
    layoutCombo->setObjectName(u"labelLayoutCombo"_s);
    layoutCombo->setAccessibleName(LabelSheetDialog::tr("Label stock"));
    for (const LabelLayout &l : std::as_const(layouts))
        layoutCombo->addItem(l.name, l.id);
    form->addRow(LabelSheetDialog::tr("Label &stock:"), layoutCombo);
    auto *startRow = new QHBoxLayout;
    startSpin = new QSpinBox(stock);
    startSpin->setObjectName(u"labelStartSpin"_s);
    startSpin->setAccessibleName(LabelSheetDialog::tr("Start at label"));
    startSpin->setToolTip(LabelSheetDialog::tr(
        "On a partly used sheet: the position of the first free label, counted row by row."));
    startOf = new QLabel(stock);
    startRow->addWidget(startSpin);
    startRow->addWidget(startOf, 1);
    // A label of our own: addRow() with a layout sets no buddy, and the mnemonic needs one.
    auto *startLabel = new QLabel(LabelSheetDialog::tr("Start at &label:"), stock);
    startLabel->setBuddy(startSpin);
    form->addRow(startLabel, startRow);
    left->addWidget(stock);

    summary = new QLabel(q);
    summary->setObjectName(u"labelSummary"_s);
    summary->setWordWrap(true);
    left->addWidget(summary);

    auto *progressRow = new QHBoxLayout;
    progressBar = new QProgressBar(q);
    progressBar->setObjectName(u"labelProgress"_s);
    progressBar->setAccessibleName(LabelSheetDialog::tr("Progress"));
    progressBar->setTextVisible(true);
    cancelButton = new QPushButton(LabelSheetDialog::tr("&Cancel"), q);
    cancelButton->setObjectName(u"labelCancelButton"_s);
    cancelButton->setAutoDefault(false);
    progressRow->addWidget(progressBar, 1);
    progressRow->addWidget(cancelButton);
    left->addLayout(progressRow);
    progressBar->hide();
    cancelButton->hide();

    result = new QLabel(q);
    result->setObjectName(u"labelResult"_s);
    result->setWordWrap(true);
    result->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    left->addWidget(result);
    retryButton = new QPushButton(LabelSheetDialog::tr("&Retry"), q);
    retryButton->setObjectName(u"labelRetryButton"_s);
    retryButton->setAutoDefault(false);
    retryButton->hide();
    left->addWidget(retryButton, 0, Qt::AlignLeft);
    left->addStretch(1);

    preview = new LabelPreview(q);
    columns->addWidget(preview, 1);

    auto *buttons = new QDialogButtonBox(q);
    exportButton = new QPushButton(LabelSheetDialog::tr("E&xport PDF…"), q);
    exportButton->setObjectName(u"labelExportButton"_s);
    printButton = new QPushButton(LabelSheetDialog::tr("&Print…"), q);
    printButton->setObjectName(u"labelPrintButton"_s);
    buttons->addButton(exportButton, QDialogButtonBox::ActionRole);
    buttons->addButton(printButton, QDialogButtonBox::ActionRole);
    QPushButton *close = buttons->addButton(QDialogButtonBox::Close);
    close->setObjectName(u"labelCloseButton"_s);
    exportButton->setDefault(true);
    layoutBox->addWidget(buttons);

    QObject::connect(buttons, &QDialogButtonBox::rejected, q, &LabelSheetDialog::reject);
    QObject::connect(exportButton, &QPushButton::clicked, q, &LabelSheetDialog::exportPdf);
    QObject::connect(printButton, &QPushButton::clicked, q, &LabelSheetDialog::print);
    QObject::connect(cancelButton, &QPushButton::clicked, q, &LabelSheetDialog::cancel);
    QObject::connect(selectionRadio, &QRadioButton::toggled, q, [this](bool on) {
        if (!on || source == Source::Selection)
            return;
        source = Source::Selection;
        fetcher->cancel();
        rebuild();
    });
    QObject::connect(hospitalRadio, &QRadioButton::toggled, q, [this](bool on) {
        if (!on || source == Source::Hospital)
            return;
        source = Source::Hospital;
        chooseHospital(hospitalCombo->currentData().toString());
    });
    QObject::connect(hospitalCombo, &QComboBox::activated, q, [this] {
        hospitalRadio->setChecked(true);
        chooseHospital(hospitalCombo->currentData().toString());
    });
    QObject::connect(layoutCombo, &QComboBox::currentIndexChanged, q, [this] { rebuild(); });
    QObject::connect(startSpin, &QSpinBox::valueChanged, q, [this] {
        updateSummary();
        schedulePreview();
    });
    QObject::connect(retryButton, &QPushButton::clicked, q, [this] {
        loadError.clear();
        retryButton->hide();
        result->clear();
        if (!directory->isLoaded())
            directory->reload();
        if (source == Source::Hospital && !hospitalLoaded)
            startFetch();
        rebuild();
    });
}

void LabelSheetDialog::Private::fillHospitals()
{
    const QSignalBlocker blocker(hospitalCombo);
    const QString current = hospitalCombo->currentData().toString();
    hospitalCombo->clear();
    for (const QJsonObject &org : directory->organizations(u"hospital"_s))
        hospitalCombo->addItem(org.value(u"name"_s).toString(), org.value(u"id"_s).toString());
    const QString wanted = hospitalId.isEmpty() ? current : hospitalId;
    hospitalCombo->setCurrentIndex(std::max(0, hospitalCombo->findData(wanted)));
    hospitalRadio->setEnabled(hospitalCombo->count() > 0);
}

void LabelSheetDialog::Private::chooseHospital(const QString &id)
{
    QString chosen = id;
    if (chosen.isEmpty() && directory->isLoaded()) {
        // The user's own hospital, else the first one they may see.
        const QString own = context.session ? context.session->user().organizationId : QString();
        chosen = hospitalCombo->findData(own) >= 0 ? own : hospitalCombo->itemData(0).toString();
    }
    {
        const QSignalBlocker blocker(hospitalCombo);
        const int index = hospitalCombo->findData(chosen);
        if (index >= 0)
            hospitalCombo->setCurrentIndex(index);
    }
    if (chosen == hospitalId && (hospitalLoaded || fetcher->isRunning())) {
        rebuild();
        return;
    }
    hospitalId = chosen;
    hospitalRows.clear();
    hospitalLoaded = false;
    if (!hospitalId.isEmpty())
        startFetch();
    rebuild();
}

void LabelSheetDialog::Private::startFetch()
{
    loadError.clear();
    fetchState.clear();
    result->clear();
    retryButton->hide();
    fetcher->fetch(hospitalId);
}

void LabelSheetDialog::Private::rebuild()
{
    const LabelLayout &l = layout();
    {
        const QSignalBlocker blocker(startSpin);
        startSpin->setRange(1, l.labelsPerPage());
    }
    startOf->setText(LabelSheetDialog::tr("of %1 on the first sheet").arg(l.labelsPerPage()));

    ready = false;
    batch = {};
    if (directory->isLoaded()) {
        if (source == Source::Selection) {
            batch = LabelBatch::fromEquipment(selection, directory->names());
            ready = hasSelection;
        } else if (hospitalLoaded) {
            batch = LabelBatch::fromEquipment(hospitalRows, directory->names());
            ready = true;
        }
    }
    updateSummary();
    updateEnabled();
    schedulePreview();
    if (ready)
        Q_EMIT q->labelsReady(int(batch.labels.size()), batch.skipped);
}

QString LabelSheetDialog::Private::skippedNote() const
{
    if (batch.skipped == 0)
        return {};
    return batch.skipped == 1
               ? LabelSheetDialog::tr("1 piece of equipment has no valid QR code and is skipped.")
               : LabelSheetDialog::tr("%L1 pieces of equipment have no valid QR code and are "
                                      "skipped.")
                     .arg(batch.skipped);
}

void LabelSheetDialog::Private::updateSummary()
{
    QString text;
    if (!loadError.isEmpty()) {
        text = loadError;
    } else if (!directory->isLoaded()) {
        text = LabelSheetDialog::tr("Loading organizations…");
    } else if (source == Source::Hospital && hospitalId.isEmpty()) {
        text = LabelSheetDialog::tr("No hospital to print labels for.");
    } else if (source == Source::Hospital && fetcher->isRunning()) {
        text = LabelSheetDialog::tr("Loading the equipment of %1…").arg(hospitalName(hospitalId));
    } else if (source == Source::Hospital && !hospitalLoaded) {
        text =
            fetchState.isEmpty()
                ? LabelSheetDialog::tr("Loading the equipment of %1…").arg(hospitalName(hospitalId))
                : fetchState;
    } else if (source == Source::Selection && selection.isEmpty()) {
        text = LabelSheetDialog::tr("No equipment selected.");
    } else if (batch.labels.isEmpty() && source == Source::Hospital && hospitalRows.isEmpty()) {
        text = LabelSheetDialog::tr("%1 has no equipment.").arg(hospitalName(hospitalId));
    } else {
        const LabelSheet s = q->sheet();
        const int n = s.labelCount();
        const int pages = s.pageCount();
        const QString labels =
            n == 1 ? LabelSheetDialog::tr("1 label") : LabelSheetDialog::tr("%L1 labels").arg(n);
        text = pages == 1 ? LabelSheetDialog::tr("%1 on 1 page.").arg(labels)
                          : LabelSheetDialog::tr("%1 on %L2 pages.").arg(labels).arg(pages);
        if (n == 0)
            text = LabelSheetDialog::tr("Nothing to print.");
        const QString note = skippedNote();
        if (!note.isEmpty())
            text = text + u' ' + note;
    }
    summary->setText(text);
}

void LabelSheetDialog::Private::updateEnabled()
{
    // While fetching the user may still change their mind; while rendering, what is
    // being rendered stays as shown.
    const bool isBusy = busy();
    const bool rendering = job->isRunning();
    selectionRadio->setEnabled(!rendering && hasSelection);
    hospitalRadio->setEnabled(!rendering && hospitalCombo->count() > 0);
    hospitalCombo->setEnabled(!rendering && hospitalCombo->count() > 0);
    layoutCombo->setEnabled(!rendering);
    startSpin->setEnabled(!rendering && layout().labelsPerPage() > 1);
    const bool printable = !isBusy && ready && !batch.labels.isEmpty();
    exportButton->setEnabled(printable);
    printButton->setEnabled(printable);
    progressBar->setVisible(isBusy);
    cancelButton->setVisible(isBusy);
    cancelButton->setEnabled(isBusy);
}

void LabelSheetDialog::Private::schedulePreview()
{
    previewTimer.start();
}

void LabelSheetDialog::Private::renderPreviewNow()
{
    const quint64 generation = ++previewGeneration;
    if (!ready || batch.labels.isEmpty()) {
        preview->setImage({}, summary->text());
        Q_EMIT q->previewUpdated();
        return;
    }
    // Only the first page's labels travel to the worker.
    const int start = layout().clampStart(startSpin->value());
    const int firstPage =
        std::min<int>(int(batch.labels.size()), layout().labelsPerPage() - (start - 1));
    const LabelSheet firstSheet(batch.labels.mid(0, firstPage), layout(), start);
    if (preview->image().isNull())
        preview->setImage({}, LabelSheetDialog::tr("Preparing the preview…"));
    auto *watcher = new QFutureWatcher<QImage>(q);
    QObject::connect(watcher, &QFutureWatcher<QImage>::finished, q, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != previewGeneration)
            return; // a newer preview is on its way
        preview->setImage(watcher->result(), QString());
        Q_EMIT q->previewUpdated();
    });
    watcher->setFuture(QtConcurrent::run([firstSheet] { return renderPreview(firstSheet); }));
}

void LabelSheetDialog::Private::showFetchProgress(int received, qint64 total)
{
    if (total < 0) {
        progressBar->setRange(0, 0); // busy until the total is known
    } else {
        progressBar->setRange(0, int(std::max<qint64>(total, 1)));
        progressBar->setValue(received);
    }
    const QLocale locale;
    progressBar->setFormat(total < 0 ? LabelSheetDialog::tr("Loading equipment…")
                                     : LabelSheetDialog::tr("Loading equipment: %1 of %2")
                                           .arg(locale.toString(received), locale.toString(total)));
    updateEnabled();
    updateSummary();
}

void LabelSheetDialog::Private::showJobProgress(int done, int total, int page, int pages)
{
    const QLocale locale;
    progressBar->setRange(0, std::max(total, 1));
    progressBar->setValue(done);
    progressBar->setFormat(LabelSheetDialog::tr("Page %1 of %2 · %3 of %4 labels")
                               .arg(locale.toString(page), locale.toString(pages),
                                    locale.toString(done), locale.toString(total)));
}

void LabelSheetDialog::Private::jobDone(bool ok, const QString &message)
{
    QString text = message;
    const QString note = skippedNote();
    if (ok && !note.isEmpty())
        text = text + u' ' + note;
    result->setText(text);
    QPalette palette = q->palette();
    if (!ok) {
        // Red that reads on the light and on the dark palette.
        const bool dark = palette.color(QPalette::Window).lightness() < 128;
        palette.setColor(QPalette::WindowText,
                         dark ? QColor(0xff, 0x8a, 0x80) : QColor(0xc6, 0x28, 0x28));
    }
    result->setPalette(palette);
    updateEnabled();
    Q_EMIT q->jobFinished(ok, text);
}

QString LabelSheetDialog::Private::suggestedFileName() const
{
    QString base = LabelSheetDialog::tr("equipment-labels");
    if (source == Source::Hospital && !hospitalId.isEmpty()) {
        QString name = directory->name(hospitalId).simplified();
        // Only characters every file system takes.
        for (QChar &c : name)
            if (!c.isLetterOrNumber())
                c = u'-';
        if (!name.isEmpty())
            base = base + u'-' + name;
    }
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    return QDir(folder).filePath(base + u".pdf"_s);
}

LabelSheetDialog::LabelSheetDialog(const ViewContext &context, QWidget *parent)
    : QDialog(parent), d(std::make_unique<Private>(this, context))
{
    d->directory = new OrganizationDirectory(context.api, this);
    d->fetcher = new EquipmentFetcher(context.api, this);
    d->job = new LabelJob(this);
    d->build();
    d->previewTimer.setSingleShot(true);
    d->previewTimer.setInterval(0); // coalesces the changes of one event-loop pass
    connect(&d->previewTimer, &QTimer::timeout, this, [this] { d->renderPreviewNow(); });

    connect(d->directory, &OrganizationDirectory::loaded, this, [this] {
        d->fillHospitals();
        if (d->source == Private::Source::Hospital && d->hospitalId.isEmpty())
            d->chooseHospital({});
        d->updateEnabled();
        d->rebuild();
    });
    connect(d->directory, &OrganizationDirectory::loadFailed, this,
            [this](const client::ApiError &error) {
                d->loadError =
                    tr("The organizations could not be loaded: %1").arg(error.userMessage());
                d->retryButton->show();
                d->rebuild();
            });
    connect(d->fetcher, &EquipmentFetcher::progress, this,
            [this](int received, qint64 total) { d->showFetchProgress(received, total); });
    connect(d->fetcher, &EquipmentFetcher::finished, this, [this](const QList<QJsonObject> &rows) {
        d->hospitalRows = rows;
        d->hospitalLoaded = true;
        d->rebuild();
    });
    connect(d->fetcher, &EquipmentFetcher::failed, this, [this](const client::ApiError &error) {
        d->loadError = tr("The equipment could not be loaded: %1").arg(error.userMessage());
        d->retryButton->show();
        d->rebuild();
    });
    connect(d->job, &LabelJob::progress, this, [this](int done, int total, int page, int pages) {
        d->showJobProgress(done, total, page, pages);
    });
    connect(d->job, &LabelJob::finished, this,
            [this](bool ok, const QString &message) { d->jobDone(ok, message); });

    d->selectionRadio->setChecked(true);
    d->selectionRadio->setEnabled(false);
    d->hospitalRadio->setEnabled(false);
    d->directory->load();
    d->rebuild();
    resize(900, 600);
}

LabelSheetDialog::~LabelSheetDialog()
{
    // Stop the worker while everything its signals reach is still there; previews finish
    // on their own (they only touch their copy of the labels).
    d->job->cancel();
    d->job->wait();
    ++d->previewGeneration;
}

void LabelSheetDialog::setEquipment(const QList<QJsonObject> &equipment)
{
    if (isBusy())
        return;
    d->selection = equipment;
    d->hasSelection = true;
    d->source = Private::Source::Selection;
    d->fetcher->cancel();
    {
        const QSignalBlocker blocker(d->selectionRadio);
        d->selectionRadio->setChecked(true);
    }
    d->selectionRadio->setText(equipment.size() == 1
                                   ? tr("S&elected equipment (1)")
                                   : tr("S&elected equipment (%L1)").arg(equipment.size()));
    d->result->clear();
    d->rebuild();
}

void LabelSheetDialog::setHospital(const QString &organizationId)
{
    if (d->job->isRunning())
        return;
    d->source = Private::Source::Hospital;
    {
        const QSignalBlocker blocker(d->hospitalRadio);
        d->hospitalRadio->setChecked(true);
    }
    d->result->clear();
    if (organizationId.isEmpty() && !d->directory->isLoaded()) {
        d->hospitalId.clear(); // chosen once the directory is there
        d->rebuild();
        return;
    }
    d->chooseHospital(organizationId);
}

void LabelSheetDialog::setLabelLayout(const QString &layoutId)
{
    const int index = d->layoutCombo->findData(layoutId);
    if (index >= 0)
        d->layoutCombo->setCurrentIndex(index);
}

void LabelSheetDialog::setStartPosition(int position)
{
    d->startSpin->setValue(position);
}

void LabelSheetDialog::setPdfPath(const QString &path)
{
    d->pdfPath = path;
}

LabelSheet LabelSheetDialog::sheet() const
{
    return LabelSheet(d->batch.labels, d->layout(), d->startSpin->value());
}

int LabelSheetDialog::skippedCount() const
{
    return d->batch.skipped;
}

bool LabelSheetDialog::isBusy() const
{
    return d->busy();
}

bool LabelSheetDialog::isReady() const
{
    return d->ready;
}

LabelJob *LabelSheetDialog::job() const
{
    return d->job;
}

QImage LabelSheetDialog::previewImage() const
{
    return d->preview->image();
}

QString LabelSheetDialog::resultText() const
{
    return d->result->text();
}

void LabelSheetDialog::exportPdf()
{
    if (isBusy() || !d->ready || d->batch.labels.isEmpty())
        return;
    QString path = d->pdfPath;
    if (path.isEmpty()) {
        path = QFileDialog::getSaveFileName(this, tr("Export labels as PDF"),
                                            d->suggestedFileName(), tr("PDF files (*.pdf)"));
        if (path.isEmpty())
            return;
        if (!path.endsWith(u".pdf"_s, Qt::CaseInsensitive))
            path += u".pdf"_s;
    }
    exportPdfTo(path);
}

void LabelSheetDialog::exportPdfTo(const QString &path)
{
    if (isBusy() || !d->ready || d->batch.labels.isEmpty() || path.isEmpty())
        return;
    d->result->clear();
    const LabelSheet current = sheet();
    d->showJobProgress(0, current.labelCount(), 1, current.pageCount());
    if (d->job->startPdf(current, path))
        d->updateEnabled();
}

void LabelSheetDialog::print()
{
    if (isBusy() || !d->ready || d->batch.labels.isEmpty())
        return;
    auto printer = std::make_shared<QPrinter>(QPrinter::HighResolution);
    LabelJob::preparePrinter(*printer, d->layout());
    QPrintDialog dialog(printer.get(), this);
    dialog.setWindowTitle(tr("Print equipment labels"));
    // Whole sheets only: a page range would shift every later label's position.
    dialog.setOptions(QAbstractPrintDialog::PrintToFile | QAbstractPrintDialog::PrintShowPageSize);
    if (dialog.exec() != QDialog::Accepted)
        return;
    printTo(printer);
}

void LabelSheetDialog::printTo(std::shared_ptr<QPrinter> printer)
{
    if (!printer || isBusy() || !d->ready || d->batch.labels.isEmpty())
        return;
    printer->setFullPage(true);
    if (printer->docName().isEmpty())
        printer->setDocName(tr("Equipment labels"));
    d->result->clear();
    const LabelSheet current = sheet();
    d->showJobProgress(0, current.labelCount(), 1, current.pageCount());
    if (d->job->startPrint(current, std::move(printer)))
        d->updateEnabled();
}

void LabelSheetDialog::cancel()
{
    if (d->job->isRunning()) {
        d->job->cancel(); // finished(false, …) follows and says so
        d->cancelButton->setEnabled(false);
        return;
    }
    if (d->fetcher->isRunning()) {
        d->fetcher->cancel();
        d->fetchState = tr("Loading cancelled.");
        d->retryButton->show();
        d->rebuild();
    }
}

void LabelSheetDialog::reject()
{
    d->fetcher->cancel();
    d->job->cancel();
    QDialog::reject();
}

} // namespace md::ui
