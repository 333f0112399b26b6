#include "scanfield.h"

#include <QKeyEvent>

using namespace Qt::StringLiterals;

namespace md::ui {

namespace {

constexpr QChar kGroupSeparator(0x1d);
constexpr QChar kVisibleGroupSeparator(0x241d); // SYMBOL FOR GROUP SEPARATOR

// FNC1 from a GS1 scanner: Ctrl+] on a keyboard layout, or the control character itself.
bool isGroupSeparator(const QKeyEvent *event)
{
    if (event->text() == QString(kGroupSeparator))
        return true;
    return event->key() == Qt::Key_BracketRight && (event->modifiers() & Qt::ControlModifier) &&
           !(event->modifiers() & (Qt::AltModifier | Qt::MetaModifier));
}

bool isModifierKey(int key)
{
    switch (key) {
    case Qt::Key_Shift:
    case Qt::Key_Control:
    case Qt::Key_Alt:
    case Qt::Key_AltGr:
    case Qt::Key_Meta:
    case Qt::Key_CapsLock:
    case Qt::Key_NumLock:
    case Qt::Key_unknown:
        return true;
    default:
        return false;
    }
}

bool isPrintable(const QString &text)
{
    if (text.isEmpty())
        return false;
    for (const QChar c : text)
        if (!c.isPrint())
            return false;
    return true;
}

} // namespace

ScanField::ScanField(QWidget *parent) : QLineEdit(parent)
{
    setObjectName(u"scanField"_s);
    setAccessibleName(tr("Scan or type a code"));
    setPlaceholderText(
        tr("Scan a label with a handheld scanner, or type its code and press Enter"));
    setClearButtonEnabled(true);
    // A QR label code or UDI is at most a few hundred characters; hostile input beyond
    // this is refused by the classification anyway, so do not let it grow without end.
    setMaxLength(8192);
}

ScanField::~ScanField() = default;

QString ScanField::visibleForm(const QString &payload)
{
    QString visible = payload;
    visible.replace(kGroupSeparator, kVisibleGroupSeparator);
    return visible;
}

QString ScanField::payloadForm(const QString &visible)
{
    QString payload = visible;
    payload.replace(kVisibleGroupSeparator, kGroupSeparator);
    return payload;
}

QString ScanField::payload() const
{
    return payloadForm(text());
}

void ScanField::clearInput()
{
    m_detector.reset();
    clear();
}

void ScanField::setClock(WedgeScanDetector::Clock clock)
{
    m_detector.setClock(std::move(clock));
}

bool ScanField::event(QEvent *event)
{
    // Keep Ctrl+] (FNC1) and Ctrl+V from any window shortcut: they belong to the field.
    if (event->type() == QEvent::ShortcutOverride) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (isGroupSeparator(key) || key->matches(QKeySequence::Paste)) {
            event->accept();
            return true;
        }
    }
    return QLineEdit::event(event);
}

void ScanField::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) {
        event->accept();
        submit();
        return;
    }
    if (event->matches(QKeySequence::Paste)) {
        event->accept();
        m_detector.reset();
        Q_EMIT pasteRequested();
        return;
    }
    if (isGroupSeparator(event)) {
        event->accept();
        insertGroupSeparator();
        return;
    }
    const QString text = event->text();
    if (isPrintable(text) && !(event->modifiers() & (Qt::ControlModifier | Qt::MetaModifier)) &&
        !isReadOnly()) {
        // Where QLineEdit will put the characters: over the selection, else at the cursor.
        const int position = hasSelectedText() ? selectionStart() : cursorPosition();
        for (qsizetype i = 0; i < text.size(); ++i)
            m_detector.keyTyped(text.at(i), position + int(i));
        QLineEdit::keyPressEvent(event);
        return;
    }
    // Backspace, arrows, Home, shortcuts: whatever comes next is not the same burst.
    if (!isModifierKey(event->key()))
        m_detector.reset();
    QLineEdit::keyPressEvent(event);
}

void ScanField::insertGroupSeparator()
{
    if (isReadOnly())
        return;
    const int position = hasSelectedText() ? selectionStart() : cursorPosition();
    m_detector.keyTyped(kGroupSeparator, position);
    insert(QString(kVisibleGroupSeparator));
}

void ScanField::submit()
{
    const WedgeScanDetector::Verdict verdict = m_detector.enter();
    if (verdict.scanned) {
        // The burst went in as one contiguous run where it started: take it out and
        // leave whatever the user had typed around it.
        const QString burst = visibleForm(verdict.text);
        QString shown = text();
        if (verdict.position >= 0 && shown.mid(verdict.position, burst.size()) == burst) {
            shown.remove(verdict.position, burst.size());
            setText(shown);
            setCursorPosition(verdict.position);
        }
        Q_EMIT submitted(verdict.text, true);
        return;
    }
    const QString typed = payload();
    if (typed.trimmed().isEmpty())
        return;
    Q_EMIT submitted(typed, false);
}

} // namespace md::ui
