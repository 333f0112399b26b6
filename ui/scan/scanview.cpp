#include "scanview.h"

#include "admin/adminviews.h"
#include "admin/organizationdirectory.h"
#include "admin/resourceformdialog.h"
#include "camerapreview.h"
#include "camerasource.h"
#include "codes/photoreader.h"
#include "common/badges.h"
#include "common/statewidget.h"
#include "framedecoder.h"
#include "identifiedequipmentpanel.h"
#include "scanfield.h"
#include "scanpipeline.h"
#include "session.h"

#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QGroupBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QImage>
#include <QLabel>
#include <QListWidget>
#include <QMimeData>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QStandardPaths>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;
using md::domain::Permission;

namespace md::ui {

namespace {

QString candidateText(const QJsonObject &e)
{
    QString text = e.value(u"name"_s).toString();
    const QString model = e.value(u"model"_s).toString();
    if (!model.isEmpty())
        text = QString(text % u" · "_s % model);
    const QString department = e.value(u"department"_s).toString();
    if (!department.isEmpty())
        text = ScanView::tr("%1 — %2").arg(text, department);
    return text;
}

QString photoProblem(const codes::PhotoResult &result, ScanView::Source source)
{
    const bool clipboard = source == ScanView::Source::Clipboard;
    switch (result.status) {
    case codes::PhotoStatus::Found:
        return {};
    case codes::PhotoStatus::NoCode:
        return clipboard ? ScanView::tr("No QR label or UDI code was found in the pasted image. "
                                        "Try a sharper picture with the whole label in view.")
                         : ScanView::tr("No QR label or UDI code was found in this image. Try a "
                                        "sharper photo with the whole label in view.");
    case codes::PhotoStatus::TooLarge:
        return ScanView::tr("This image is too large to read (at most 10 MiB and 64 megapixels). "
                            "Crop it to the label, or take a smaller photo.");
    case codes::PhotoStatus::Unreadable:
        return clipboard ? ScanView::tr("The pasted image could not be read.")
                         : ScanView::tr("This file could not be read as a JPEG or PNG image.");
    }
    return {};
}

} // namespace

ScanView::ScanView(const ViewContext &context, QWidget *parent)
    : QWidget(parent), m_context(context)
{
    setObjectName(u"scanView"_s);
    m_lookup = new EquipmentLookup(context.api, this);
    connect(m_lookup, &EquipmentLookup::finished, this, &ScanView::lookupDone);

    auto *splitter = new QSplitter(this);
    auto *outer = new QHBoxLayout(this);
    outer->addWidget(splitter);

    // Inputs: scanner field, file, clipboard, camera.
    auto *inputs = new QWidget(splitter);
    inputs->setObjectName(u"scanInputs"_s);
    auto *left = new QVBoxLayout(inputs);
    auto *intro = new QLabel(
        tr("Scan a label with a handheld scanner or type its code, open or paste a photo of "
           "it, or hold it in front of the camera."),
        inputs);
    intro->setWordWrap(true);
    left->addWidget(intro);

    m_field = new ScanField(inputs);
    auto *fieldLabel = new QLabel(tr("&Code:"), inputs);
    fieldLabel->setBuddy(m_field);
    auto *fieldRow = new QHBoxLayout;
    fieldRow->addWidget(fieldLabel);
    fieldRow->addWidget(m_field, 1);
    left->addLayout(fieldRow);
    connect(m_field, &ScanField::submitted, this, [this](const QString &payload, bool scanned) {
        identify(payload, scanned ? Source::Scanner : Source::Typed);
    });
    connect(m_field, &ScanField::pasteRequested, this, &ScanView::pasteFromClipboard);

    auto *buttons = new QHBoxLayout;
    m_openImage = new QPushButton(tr("&Open image…"), inputs);
    m_openImage->setObjectName(u"openImageButton"_s);
    m_openImage->setToolTip(tr("Identify the equipment from a photo of its label (JPEG or PNG)"));
    m_paste = new QPushButton(tr("&Paste"), inputs);
    m_paste->setObjectName(u"pasteButton"_s);
    m_paste->setToolTip(tr("Identify the equipment from a copied image or code (Ctrl+V)"));
    buttons->addWidget(m_openImage);
    buttons->addWidget(m_paste);
    buttons->addStretch();
    left->addLayout(buttons);
    connect(m_openImage, &QPushButton::clicked, this, &ScanView::chooseImageFile);
    connect(m_paste, &QPushButton::clicked, this, &ScanView::pasteFromClipboard);

    auto *openAction = new QAction(tr("Open image…"), this);
    openAction->setObjectName(u"scanOpenImageAction"_s);
    openAction->setShortcut(QKeySequence::Open);
    openAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(openAction, &QAction::triggered, this, &ScanView::chooseImageFile);
    addAction(openAction);
    auto *pasteAction = new QAction(tr("Paste"), this);
    pasteAction->setObjectName(u"scanPasteAction"_s);
    pasteAction->setShortcut(QKeySequence::Paste);
    pasteAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(pasteAction, &QAction::triggered, this, &ScanView::pasteFromClipboard);
    addAction(pasteAction);

    m_message = new QLabel(inputs);
    m_message->setObjectName(u"scanMessage"_s);
    // What a code says is shown, never followed: no markup, no links.
    m_message->setTextFormat(Qt::PlainText);
    m_message->setOpenExternalLinks(false);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setWordWrap(true);
    m_message->hide();
    left->addWidget(m_message);

    m_candidates = new QListWidget(inputs);
    m_candidates->setObjectName(u"ambiguousList"_s);
    m_candidates->setAccessibleName(tr("Equipment sharing this serial number"));
    m_candidates->setMaximumHeight(m_candidates->fontMetrics().lineSpacing() * 8);
    m_candidates->hide();
    left->addWidget(m_candidates);
    connect(m_candidates, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        const int index = item->data(Qt::UserRole).toInt();
        if (index >= 0 && index < m_lastResult.candidates.size())
            showEquipment(m_lastResult.candidates.at(index));
    });

    m_addEquipment = new QPushButton(tr("&Add as new equipment…"), inputs);
    m_addEquipment->setObjectName(u"addEquipmentButton"_s);
    m_addEquipment->setToolTip(tr("Create an equipment record with this serial number and GTIN"));
    m_addEquipment->hide();
    left->addWidget(m_addEquipment, 0, Qt::AlignLeft);
    connect(m_addEquipment, &QPushButton::clicked, this, &ScanView::addAsNewEquipment);

    auto *cameraBox = new QGroupBox(tr("Camera"), inputs);
    auto *cameraLayout = new QVBoxLayout(cameraBox);
    auto *cameraRow = new QHBoxLayout;
    m_cameraCombo = new QComboBox(cameraBox);
    m_cameraCombo->setObjectName(u"cameraCombo"_s);
    m_cameraCombo->setAccessibleName(tr("Camera"));
    m_cameraCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_cameraCombo->setMinimumContentsLength(20);
    m_cameraButton = new QPushButton(tr("&Start camera"), cameraBox);
    m_cameraButton->setObjectName(u"cameraButton"_s);
    cameraRow->addWidget(m_cameraCombo, 1);
    cameraRow->addWidget(m_cameraButton);
    cameraLayout->addLayout(cameraRow);
    m_preview = new CameraPreview(cameraBox);
    m_preview->setObjectName(u"cameraPreview"_s);
    m_preview->setAccessibleName(tr("Camera preview"));
    cameraLayout->addWidget(m_preview, 1);
    left->addWidget(cameraBox, 1);
    connect(m_cameraButton, &QPushButton::clicked, this, [this] {
        if (m_camera && m_camera->isActive())
            stopCamera();
        else
            startCamera();
    });
    connect(m_cameraCombo, &QComboBox::activated, this, [this] {
        if (m_camera && m_camera->isActive())
            startCamera(); // switch to the chosen camera
    });

    m_pipeline = new ScanPipeline(this);
    m_pipeline->setPreview(m_preview);
    connect(m_pipeline, &ScanPipeline::codeScanned, this,
            [this](const codes::FoundCode &code) { identify(code.text, Source::Camera); });

    // The result.
    auto *scroll = new QScrollArea(splitter);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_panel = new IdentifiedEquipmentPanel(context, scroll);
    m_panelState = new StateWidget(m_panel, scroll);
    m_panelState->setObjectName(u"identifiedEquipmentState"_s);
    scroll->setWidget(m_panelState);
    m_panelState->showEmpty(tr("Scan a label to see its equipment and open tickets here."));
    connect(m_panelState, &StateWidget::retryRequested, this, [this] {
        if (!m_lastPayload.isEmpty())
            identify(m_lastPayload, m_lastSource);
    });
    connect(m_panel, &IdentifiedEquipmentPanel::ticketActivated, this,
            &ScanView::ticketOpenRequested);

    splitter->addWidget(inputs);
    splitter->addWidget(scroll);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    setFocusProxy(m_field);
}

ScanView::~ScanView()
{
    if (m_camera)
        m_camera->stop();
}

ResourceFormDialog *ScanView::equipmentForm() const
{
    return m_equipmentForm;
}

QString ScanView::message() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

void ScanView::showMessage(const QString &text, bool error)
{
    QPalette palette = this->palette();
    if (error)
        palette.setColor(QPalette::WindowText, slaBadge(u"breached"_s).background);
    m_message->setPalette(palette);
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
}

void ScanView::identify(const QString &payload, Source source)
{
    if (payload.trimmed().isEmpty())
        return;
    if (source == Source::Camera) {
        // A poster's QR code or a barcode on a box in the background: say so, but keep
        // the equipment found and any lookup in flight.
        const domain::ScannedCode code = domain::ScannedCode::classify(payload);
        if (code.kind == domain::ScannedCode::Kind::Other) {
            showMessage(EquipmentLookup::notOursMessage(code), true);
            return;
        }
    }
    // The camera reports a code again once it was out of sight; while that very code is
    // being looked up or is shown, there is nothing new to do.
    if (source == Source::Camera && payload == m_lastPayload &&
        (m_lookup->isBusy() || (m_lastResult.outcome == LookupResult::Outcome::Found &&
                                !m_panel->equipmentId().isEmpty())))
        return;
    m_lastPayload = payload;
    m_lastSource = source;
    m_candidates->hide();
    m_candidates->clear();
    m_addEquipment->hide();
    showMessage(tr("Looking up the code…"), false);
    m_panelState->showLoading(tr("Identifying the equipment…"));
    m_lookup->lookup(payload);
}

void ScanView::lookupDone(const LookupResult &result)
{
    m_lastResult = result;
    const bool typed = m_lastSource == Source::Typed;
    switch (result.outcome) {
    case LookupResult::Outcome::Found:
        if (typed)
            m_field->clearInput(); // a code typed by hand is done with once it is found
        showMessage({}, false);
        showEquipment(result.equipment);
        break;
    case LookupResult::Outcome::NotFound:
    case LookupResult::Outcome::NotOurs:
        m_panel->clearEquipment();
        m_panelState->showEmpty(tr("No equipment identified."));
        showMessage(result.message, true);
        if (result.offersNewEquipment() && m_context.session &&
            m_context.session->may(Permission::EquipmentWrite))
            m_addEquipment->show();
        break;
    case LookupResult::Outcome::Ambiguous:
        m_panel->clearEquipment();
        m_panelState->showEmpty(tr("Choose one of the equipment listed."));
        showMessage(result.message, false);
        for (qsizetype i = 0; i < result.candidates.size(); ++i) {
            auto *item = new QListWidgetItem(candidateText(result.candidates.at(i)), m_candidates);
            item->setData(Qt::UserRole, int(i));
        }
        m_candidates->setVisible(!result.candidates.isEmpty());
        break;
    case LookupResult::Outcome::Failed:
        m_panel->clearEquipment();
        m_panelState->showError(result.message, true);
        showMessage(result.message, true);
        break;
    }
    Q_EMIT lookupFinished(result);
}

void ScanView::showEquipment(const QJsonObject &equipment)
{
    m_panel->setEquipment(equipment);
    m_panelState->showContent();
    Q_EMIT equipmentIdentified(equipment);
}

void ScanView::chooseImageFile()
{
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    const QString path = QFileDialog::getOpenFileName(this, tr("Open a photo of the label"), folder,
                                                      tr("Images (*.jpg *.jpeg *.png)"));
    if (!path.isEmpty())
        openImageFile(path);
    focusInput();
}

void ScanView::openImageFile(const QString &path)
{
    showMessage(tr("Reading the image…"), false);
    decode([path] { return codes::PhotoReader::readFile(path); }, Source::ImageFile);
}

void ScanView::pasteFromClipboard()
{
    const QMimeData *mime = QGuiApplication::clipboard()->mimeData();
    if (mime && mime->hasImage()) {
        const QImage image = qvariant_cast<QImage>(mime->imageData());
        if (image.isNull()) {
            showMessage(tr("The pasted image could not be read."), true);
            return;
        }
        if (qint64(image.width()) * image.height() > codes::PhotoLimits().maxPixels) {
            photoDecoded(codes::PhotoResult{codes::PhotoStatus::TooLarge, {}, image.size(), {}},
                         Source::Clipboard);
            return;
        }
        showMessage(tr("Reading the pasted image…"), false);
        decode([image] { return codes::PhotoReader::read(image); }, Source::Clipboard);
        return;
    }
    if (mime && mime->hasText() && !mime->text().trimmed().isEmpty()) {
        identify(mime->text(), Source::Clipboard);
        return;
    }
    showMessage(tr("The clipboard holds neither an image nor a code to identify."), true);
}

void ScanView::decode(std::function<codes::PhotoResult()> job, Source source)
{
    const quint64 generation = ++m_decodeGeneration;
    m_decoding = true;
    m_candidates->hide();
    m_addEquipment->hide();
    auto *watcher = new QFutureWatcher<codes::PhotoResult>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, source] {
        watcher->deleteLater();
        if (generation != m_decodeGeneration)
            return; // a newer image was chosen meanwhile
        m_decoding = false;
        photoDecoded(watcher->result(), source);
    });
    // The job owns copies of what it reads (a path, a shared QImage): nothing of the view
    // is touched off the UI thread.
    watcher->setFuture(QtConcurrent::run(std::move(job)));
}

void ScanView::photoDecoded(const codes::PhotoResult &result, Source source)
{
    if (result.status != codes::PhotoStatus::Found || result.codes.isEmpty()) {
        const QString problem = photoProblem(result, source);
        m_panel->clearEquipment();
        m_panelState->showEmpty(tr("No equipment identified."));
        showMessage(problem.isEmpty() ? tr("No code was found in this image.") : problem, true);
        return;
    }
    identify(result.codes.first().text, source);
}

void ScanView::addAsNewEquipment()
{
    if (!m_lastResult.offersNewEquipment() || !m_context.session ||
        !m_context.session->may(Permission::EquipmentWrite))
        return;
    if (m_equipmentForm) {
        m_equipmentForm->raise();
        m_equipmentForm->activateWindow();
        return;
    }
    if (!m_organizations)
        m_organizations = new OrganizationDirectory(m_context.api, this);
    auto *form = new ResourceFormDialog(m_context, equipmentDescriptor(), m_organizations,
                                        ResourceFormDialog::Mode::Create, {}, this);
    form->setAttribute(Qt::WA_DeleteOnClose);
    const domain::Gs1Udi &udi = m_lastResult.code.udi;
    form->setInitialValues(QJsonObject{{u"serial_number"_s, udi.serial}, {u"gtin"_s, udi.gtin}});
    connect(form, &ResourceFormDialog::saved, this,
            [this](const QJsonObject &equipment, bool created) {
                if (!created)
                    return;
                m_addEquipment->hide();
                showMessage(tr("The equipment was created; its label code is %1.")
                                .arg(equipment.value(u"qr_code"_s).toString()),
                            false);
                showEquipment(equipment);
            });
    m_equipmentForm = form;
    form->open();
}

// --- camera ---------------------------------------------------------------------------

void ScanView::ensureCamera()
{
    if (m_camera)
        return;
    // Made on first show: looking for cameras costs time a window that never shows this
    // view should not spend.
    m_camera = new CameraSource(this);
    connect(m_camera, &CameraSource::camerasChanged, this, &ScanView::updateCameras);
    connect(m_camera, &CameraSource::activeChanged, this, &ScanView::updateCameraControls);
    connect(m_camera, &CameraSource::errorOccurred, this, &ScanView::cameraFailed);
    updateCameras();
}

void ScanView::updateCameras()
{
    if (!m_camera)
        return;
    const QByteArray chosen = m_cameraCombo->currentData().toByteArray();
    m_cameraCombo->clear();
    for (const QCameraDevice &device : m_camera->cameras())
        m_cameraCombo->addItem(device.description(), device.id());
    const int index = m_cameraCombo->findData(chosen);
    if (index >= 0)
        m_cameraCombo->setCurrentIndex(index);
    updateCameraControls();
}

void ScanView::updateCameraControls()
{
    const bool any = m_camera && m_camera->hasCamera();
    const bool active = m_camera && m_camera->isActive();
    m_cameraCombo->setEnabled(any);
    m_cameraButton->setEnabled(any);
    m_cameraButton->setText(active ? tr("&Stop camera") : tr("&Start camera"));
    if (!any) {
        m_preview->clear();
        m_preview->setMessage(tr("No camera found. Use a handheld scanner, type the code, or "
                                 "open or paste a photo of the label."));
    } else if (!active && m_camera->errorString().isEmpty()) {
        m_preview->setMessage(tr("Press Start camera to scan with the camera."));
    }
}

void ScanView::cameraFailed(const QString &message)
{
    m_preview->clear();
    m_preview->setMessage(
        tr("%1 You can still use a handheld scanner, type the code, or open or paste a photo.")
            .arg(message));
    updateCameraControls();
    focusInput();
}

void ScanView::startCamera()
{
    ensureCamera();
    if (!m_camera->hasCamera()) {
        updateCameraControls();
        focusInput();
        return;
    }
    QCameraDevice device;
    const QByteArray id = m_cameraCombo->currentData().toByteArray();
    for (const QCameraDevice &candidate : m_camera->cameras())
        if (candidate.id() == id)
            device = candidate;
    m_preview->setMessage(tr("Starting the camera…"));
    m_pipeline->setVideoSink(m_camera->videoSink());
    m_pipeline->decoder()->setEnabled(true);
    m_camera->start(device);
    updateCameraControls();
}

void ScanView::stopCamera()
{
    if (m_camera)
        m_camera->stop();
    m_preview->clear();
    updateCameraControls();
}

void ScanView::setFrameSource(QVideoSink *sink)
{
    if (m_camera)
        m_camera->stop();
    m_pipeline->setVideoSink(sink);
    m_pipeline->decoder()->setEnabled(sink != nullptr);
}

void ScanView::focusInput()
{
    if (isVisible())
        m_field->setFocus(Qt::OtherFocusReason);
}

void ScanView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    ensureCamera();
    m_pipeline->decoder()->setEnabled(true);
    focusInput();
}

void ScanView::hideEvent(QHideEvent *event)
{
    // The camera's light must not stay on behind another view or a closed window.
    if (m_camera && m_camera->isActive())
        m_camera->stop();
    m_pipeline->decoder()->setEnabled(false);
    QWidget::hideEvent(event);
}

} // namespace md::ui
