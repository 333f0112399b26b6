#include "otpcodeinput.h"

#include <QApplication>
#include <QClipboard>
#include <QEvent>
#include <QFocusEvent>
#include <QFontMetrics>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QKeySequence>
#include <QLineEdit>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace md::ui {

namespace {

bool isAsciiDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

QString digitsOf(const QString &text)
{
    QString digits;
    for (const QChar c : text)
        if (isAsciiDigit(c))
            digits.append(c);
    return digits;
}

} // namespace

OtpCodeInput::OtpCodeInput(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    QFont digitFont = font();
    if (digitFont.pointSizeF() > 0)
        digitFont.setPointSizeF(digitFont.pointSizeF() * 1.6);
    else if (digitFont.pixelSize() > 0)
        digitFont.setPixelSize(digitFont.pixelSize() * 8 / 5);
    const QFontMetrics metrics(digitFont);
    // Room for one digit and the frame, from the font: right at any DPI.
    const int boxWidth = metrics.horizontalAdvance(u'0') + metrics.height();

    layout->addStretch(1);
    for (int i = 0; i < kLength; ++i) {
        auto *box = new QLineEdit(this);
        box->setObjectName(u"otpDigit%1"_s.arg(i));
        box->setFont(digitFont);
        box->setAlignment(Qt::AlignCenter);
        box->setFixedWidth(boxWidth);
        box->setInputMethodHints(Qt::ImhDigitsOnly | Qt::ImhNoPredictiveText);
        box->installEventFilter(this);
        // No maxLength: a paste must arrive whole so that it can fill every box.
        connect(box, &QLineEdit::textChanged, this,
                [this, i](const QString &text) { boxTextChanged(i, text); });
        m_boxes.append(box);
        if (i == kLength / 2)
            layout->addSpacing(metrics.horizontalAdvance(u'0') / 2);
        layout->addWidget(box);
    }
    layout->addStretch(1);
    for (int i = 0; i + 1 < kLength; ++i)
        setTabOrder(m_boxes[i], m_boxes[i + 1]);
    setFocusProxy(m_boxes.first());
    retranslate();
}

QString OtpCodeInput::code() const
{
    QString code;
    for (const QLineEdit *box : m_boxes)
        code += box->text();
    return code;
}

bool OtpCodeInput::isComplete() const
{
    for (const QLineEdit *box : m_boxes)
        if (box->text().size() != 1)
            return false;
    return true;
}

void OtpCodeInput::clear()
{
    m_updating = true;
    for (QLineEdit *box : m_boxes)
        box->clear();
    m_updating = false;
    m_lastCompleted.clear();
    afterChange();
}

void OtpCodeInput::setCode(const QString &code)
{
    m_updating = true;
    for (QLineEdit *box : m_boxes)
        box->clear();
    m_updating = false;
    fill(code, 0);
}

void OtpCodeInput::setBoxNamePrefix(const QString &prefix)
{
    for (int i = 0; i < kLength; ++i)
        m_boxes[i]->setObjectName(prefix + QString::number(i));
}

void OtpCodeInput::focusFirstEmpty()
{
    for (int i = 0; i < kLength; ++i) {
        if (m_boxes[i]->text().isEmpty()) {
            focusBox(i);
            return;
        }
    }
    focusBox(kLength - 1);
}

int OtpCodeInput::indexOf(QObject *box) const
{
    for (int i = 0; i < kLength; ++i)
        if (m_boxes[i] == box)
            return i;
    return -1;
}

void OtpCodeInput::focusBox(int index)
{
    if (index < 0 || index >= kLength)
        return;
    QLineEdit *box = m_boxes[index];
    box->setFocus(Qt::OtherFocusReason);
    box->selectAll();
}

void OtpCodeInput::setDigit(int index, QChar digit)
{
    m_updating = true;
    m_boxes[index]->setText(digit.isNull() ? QString() : QString(digit));
    m_updating = false;
    afterChange();
}

void OtpCodeInput::fill(const QString &text, int from)
{
    QString digits = digitsOf(text);
    if (digits.isEmpty())
        return;
    // A whole code belongs in all six boxes, wherever it was pasted.
    if (digits.size() >= kLength) {
        from = 0;
        digits.truncate(kLength);
    }
    from = qBound(0, from, kLength - 1);
    m_updating = true;
    int next = from;
    for (const QChar c : std::as_const(digits)) {
        if (next >= kLength)
            break;
        m_boxes[next++]->setText(QString(c));
    }
    m_updating = false;
    if (hasFocus() || isAncestorOf(QApplication::focusWidget()))
        focusBox(qMin(next, kLength - 1));
    afterChange();
}

void OtpCodeInput::boxTextChanged(int index, const QString &text)
{
    if (m_updating)
        return;
    const QString digits = digitsOf(text);
    if (digits.size() > 1) {
        fill(digits, index);
        return;
    }
    if (text != digits) { // a letter typed through an input method, or a paste of "a"
        m_updating = true;
        m_boxes[index]->setText(digits);
        m_updating = false;
    }
    afterChange();
}

void OtpCodeInput::afterChange()
{
    const QString current = code();
    if (current != m_lastCode) {
        m_lastCode = current;
        Q_EMIT codeChanged();
    }
    if (!isComplete()) {
        m_lastCompleted.clear();
        return;
    }
    if (current != m_lastCompleted) {
        m_lastCompleted = current;
        Q_EMIT completed(current);
    }
}

bool OtpCodeInput::eventFilter(QObject *watched, QEvent *event)
{
    const int index = indexOf(watched);
    if (index < 0)
        return QWidget::eventFilter(watched, event);

    if (event->type() == QEvent::FocusIn) {
        // Select the digit so that typing replaces it (after the mouse press placed the
        // cursor, hence the queued call).
        QLineEdit *box = m_boxes[index];
        QTimer::singleShot(0, box, [box] { box->selectAll(); });
        return false;
    }
    if (event->type() != QEvent::KeyPress || !m_boxes[index]->isEnabled())
        return false;

    auto *key = static_cast<QKeyEvent *>(event);
    if (key->matches(QKeySequence::Paste)) {
        if (const QClipboard *clipboard = QGuiApplication::clipboard())
            fill(clipboard->text(), index);
        return true;
    }
    switch (key->key()) {
    case Qt::Key_Backspace:
        if (!m_boxes[index]->text().isEmpty()) {
            setDigit(index, QChar());
        } else if (index > 0) {
            setDigit(index - 1, QChar());
            focusBox(index - 1);
        }
        return true;
    case Qt::Key_Delete:
        setDigit(index, QChar());
        return true;
    case Qt::Key_Left:
        focusBox(index - 1);
        return true;
    case Qt::Key_Right:
        focusBox(index + 1);
        return true;
    case Qt::Key_Home:
        focusBox(0);
        return true;
    case Qt::Key_End:
        focusBox(kLength - 1);
        return true;
    default:
        break;
    }
    const QString text = key->text();
    if (text.size() == 1 && isAsciiDigit(text.front())) {
        setDigit(index, text.front());
        if (index + 1 < kLength)
            focusBox(index + 1);
        else
            m_boxes[index]->selectAll();
        return true;
    }
    // Other printable characters are not part of a code: swallow them. Shortcuts (Ctrl+A,
    // Ctrl+C), Tab, Enter and Escape go on as usual.
    const bool command = key->modifiers() & (Qt::ControlModifier | Qt::MetaModifier);
    if (!command && !text.isEmpty() && text.front().isPrint())
        return true;
    return false;
}

void OtpCodeInput::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void OtpCodeInput::retranslate()
{
    setAccessibleName(tr("One-time code"));
    setAccessibleDescription(tr("Six digits; a pasted code fills every box."));
    for (int i = 0; i < kLength; ++i)
        m_boxes[i]->setAccessibleName(tr("Digit %1 of %2").arg(i + 1).arg(kLength));
}

} // namespace md::ui
