#pragma once

#include "common/viewcontext.h"
#include "equipmentlookup.h"

#include <QPointer>
#include <QWidget>
#include <functional>

class QComboBox;
class QLabel;
class QListWidget;
class QPushButton;
class QVideoSink;

namespace md::codes {
struct PhotoResult;
}

namespace md::ui {

class CameraPreview;
class CameraSource;
class IdentifiedEquipmentPanel;
class OrganizationDirectory;
class ResourceFormDialog;
class ScanField;
class ScanPipeline;
class StateWidget;

/// The Scan view ("scanView"): identifies equipment from its QR label or a
/// manufacturer's GS1 UDI code, read by a keyboard-wedge scanner or typed (ScanField),
/// from an image file ("Open image…"), from the clipboard ("Paste", Ctrl+V: an image is
/// decoded, text is taken as the code) or from the webcam (camera choice, Start/Stop,
/// live preview with the codes outlined). Images are decoded on a worker thread; every
/// code goes through EquipmentLookup; the equipment appears in the result panel with its
/// open tickets and "Report a problem". Messages about what was read appear in place,
/// as plain text: a payload is never opened, not even a URL.
///
/// Without a camera, or when it fails (access denied, busy), the preview says so and
/// the scanner field, file and paste stay usable and focused. The camera stops whenever
/// the view is hidden (another view, the window closed).
class ScanView final : public QWidget
{
    Q_OBJECT
public:
    enum class Source
    {
        Scanner,
        Typed,
        ImageFile,
        Clipboard,
        Camera
    };

    explicit ScanView(const ViewContext &context, QWidget *parent = nullptr);
    ~ScanView() override;

    ScanField *scanField() const { return m_field; }
    EquipmentLookup *lookup() const { return m_lookup; }
    IdentifiedEquipmentPanel *panel() const { return m_panel; }
    StateWidget *panelState() const { return m_panelState; }
    CameraPreview *preview() const { return m_preview; }
    ScanPipeline *pipeline() const { return m_pipeline; }
    /// Null until the view was first shown.
    CameraSource *camera() const { return m_camera; }
    /// The in-place message ("scanMessage"): what was read, or why nothing was.
    QString message() const;
    /// The "new equipment" form opened by "Add as new equipment…", while open.
    ResourceFormDialog *equipmentForm() const;
    /// An image is being decoded.
    bool isDecoding() const { return m_decoding; }
    /// The outcome of the last lookup.
    const LookupResult &lastResult() const { return m_lastResult; }

    /// Identifies one payload as read from `source`.
    void identify(const QString &payload, Source source);
    /// Decodes the image file (JPEG or PNG) on a worker thread, then identifies its code.
    void openImageFile(const QString &path);
    /// Feeds the camera pipeline from another video sink (tests' frame source); the
    /// webcam stops. Null detaches.
    void setFrameSource(QVideoSink *sink);

public Q_SLOTS:
    /// "Open image…": a file dialog, then openImageFile().
    void chooseImageFile();
    /// "Paste": the clipboard's image, else its text.
    void pasteFromClipboard();
    void startCamera();
    void stopCamera();
    /// "Add as new equipment…": the equipment form prefilled from the UDI just read.
    void addAsNewEquipment();

Q_SIGNALS:
    /// An open ticket was chosen in the result panel: the window shows it.
    void ticketOpenRequested(const QString &ticketId);
    /// The panel shows this equipment (a lookup found it, or a candidate was chosen).
    void equipmentIdentified(const QJsonObject &equipment);
    void lookupFinished(const md::ui::LookupResult &result);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void decode(std::function<codes::PhotoResult()> job, Source source);
    void photoDecoded(const codes::PhotoResult &result, Source source);
    void lookupDone(const LookupResult &result);
    void showEquipment(const QJsonObject &equipment);
    void showMessage(const QString &text, bool error);
    void ensureCamera();
    void updateCameras();
    void updateCameraControls();
    void cameraFailed(const QString &message);
    void focusInput();

    ViewContext m_context;
    ScanField *m_field = nullptr;
    QPushButton *m_openImage = nullptr;
    QPushButton *m_paste = nullptr;
    QLabel *m_message = nullptr;
    QListWidget *m_candidates = nullptr;
    QPushButton *m_addEquipment = nullptr;
    QComboBox *m_cameraCombo = nullptr;
    QPushButton *m_cameraButton = nullptr;
    CameraPreview *m_preview = nullptr;
    CameraSource *m_camera = nullptr;
    ScanPipeline *m_pipeline = nullptr;
    EquipmentLookup *m_lookup = nullptr;
    IdentifiedEquipmentPanel *m_panel = nullptr;
    StateWidget *m_panelState = nullptr;
    OrganizationDirectory *m_organizations = nullptr;
    QPointer<ResourceFormDialog> m_equipmentForm;
    LookupResult m_lastResult;
    QString m_lastPayload;
    Source m_lastSource = Source::Typed;
    quint64 m_decodeGeneration = 0;
    bool m_decoding = false;
};

} // namespace md::ui
