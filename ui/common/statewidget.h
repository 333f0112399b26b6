#pragma once

#include <QStackedWidget>

class QLabel;
class QPushButton;

namespace md::ui {

/// Wraps a view's content with its loading, empty and error states:
///
///   auto *state = new StateWidget(table, this);
///   state->showLoading(tr("Loading tickets…"));
///   ... state->showContent(); / state->showEmpty(tr("No tickets match.")); /
///   state->showError(error.userMessage());   // with a Retry button -> retryRequested()
///
/// objectNames: "stateLoading", "stateEmpty", "stateError", "stateRetryButton",
/// "stateMessage" (the label of the current non-content page).
class StateWidget final : public QStackedWidget
{
    Q_OBJECT
public:
    enum class State
    {
        Content,
        Loading,
        Empty,
        Error
    };

    explicit StateWidget(QWidget *content, QWidget *parent = nullptr);

    void showContent();
    void showLoading(const QString &message = {});
    void showEmpty(const QString &message);
    void showError(const QString &message, bool retryable = true);
    State state() const { return m_state; }
    QString message() const;
    QWidget *content() const { return m_content; }

Q_SIGNALS:
    void retryRequested();

private:
    QWidget *m_content;
    QLabel *m_loadingLabel;
    QLabel *m_emptyLabel;
    QLabel *m_errorLabel;
    QPushButton *m_retryButton;
    State m_state = State::Content;
};

} // namespace md::ui
