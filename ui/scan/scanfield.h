#pragma once

#include "wedgescandetector.h"

#include <QLineEdit>

namespace md::ui {

/// The scan field ("scanField"): a line edit for codes typed by hand and for
/// keyboard-wedge USB scanners. A scanner's burst ending in Enter is submitted at once
/// as scanned — even when it arrived in the middle of hand-typed text — and taken out
/// of the field, so the hand-typed text stays; Enter after hand typing submits the whole
/// text, which stays until the view clears it after a successful lookup.
///
/// GS1 scanners send FNC1 as the GS control character (Ctrl+], U+001D), which QLineEdit
/// would drop: it is kept, shown as the visible sign U+241D ("␝") and given back as
/// U+001D in payload(). Ctrl+V is not a text paste here: pasteRequested() lets the view
/// read the clipboard (an image is decoded, text is identified).
class ScanField final : public QLineEdit
{
    Q_OBJECT
public:
    explicit ScanField(QWidget *parent = nullptr);
    ~ScanField() override;

    /// The text with the visible GS sign turned back into U+001D.
    QString payload() const;
    /// Empties the field and forgets pending keystrokes.
    void clearInput();

    static QString visibleForm(const QString &payload);
    static QString payloadForm(const QString &visible);

    WedgeScanDetector &detector() { return m_detector; }
    /// Tests: the clock the keystrokes are timed with.
    void setClock(WedgeScanDetector::Clock clock);

Q_SIGNALS:
    /// Enter: `payload` as scanned (the burst alone) or as typed (the whole field).
    void submitted(const QString &payload, bool scanned);
    void pasteRequested();

protected:
    bool event(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    void submit();
    void insertGroupSeparator();

    WedgeScanDetector m_detector;
};

} // namespace md::ui
