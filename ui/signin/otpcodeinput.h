#pragma once

#include <QList>
#include <QString>
#include <QWidget>

class QLineEdit;

namespace md::ui {

/// The six-box one-time code input. Each box holds one digit: typing a digit moves on,
/// Backspace in an empty box goes back and clears the previous one, Left/Right move, and a
/// pasted code ("123456", "123 456", "123-456") fills the boxes wherever it is pasted
/// (Ctrl+V, the context menu, or setText on a box). Anything that is not a digit is
/// ignored. completed() fires once each time a new complete code appears.
///
/// objectNames "otpDigit0".."otpDigit5"; accessible names "Digit 1 of 6"...
class OtpCodeInput final : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kLength = 6;

    explicit OtpCodeInput(QWidget *parent = nullptr);

    QString code() const;
    bool isComplete() const;
    void clear();
    /// Fills the boxes from the digits of `code` (others ignored), from the first box.
    void setCode(const QString &code);
    /// Moves the keyboard focus to the first empty box (the last one when complete).
    void focusFirstEmpty();
    QLineEdit *box(int index) const { return m_boxes.value(index); }
    /// Renames the boxes "<prefix>0".."<prefix>5", for a second input in the same window
    /// (tests find boxes by name; the default prefix is "otpDigit").
    void setBoxNamePrefix(const QString &prefix);

Q_SIGNALS:
    void completed(const QString &code);
    void codeChanged();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    int indexOf(QObject *box) const;
    void setDigit(int index, QChar digit);
    /// Writes digits into the boxes from `from` on; a whole code always starts at box 0.
    void fill(const QString &text, int from);
    void boxTextChanged(int index, const QString &text);
    void focusBox(int index);
    void afterChange();
    void retranslate();

    QList<QLineEdit *> m_boxes;
    QString m_lastCompleted; // the code completed() last announced; empty after a change
    QString m_lastCode;
    bool m_updating = false;
};

} // namespace md::ui
