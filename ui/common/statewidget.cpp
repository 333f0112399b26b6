#include "statewidget.h"

#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace md::ui {

namespace {

QLabel *messageLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setAlignment(Qt::AlignCenter);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setObjectName(u"stateMessage"_s);
    return label;
}

QWidget *centredPage(const QString &objectName, QWidget *parent)
{
    auto *page = new QWidget(parent);
    page->setObjectName(objectName);
    return page;
}

} // namespace

StateWidget::StateWidget(QWidget *content, QWidget *parent)
    : QStackedWidget(parent), m_content(content)
{
    addWidget(content);

    QWidget *loading = centredPage(u"stateLoading"_s, this);
    auto *loadingLayout = new QVBoxLayout(loading);
    loadingLayout->addStretch();
    m_loadingLabel = messageLabel(loading);
    loadingLayout->addWidget(m_loadingLabel);
    auto *busy = new QProgressBar(loading);
    busy->setRange(0, 0); // indeterminate
    busy->setTextVisible(false);
    busy->setMaximumWidth(240);
    busy->setAccessibleName(tr("Loading"));
    loadingLayout->addWidget(busy, 0, Qt::AlignHCenter);
    loadingLayout->addStretch();
    addWidget(loading);

    QWidget *empty = centredPage(u"stateEmpty"_s, this);
    auto *emptyLayout = new QVBoxLayout(empty);
    emptyLayout->addStretch();
    m_emptyLabel = messageLabel(empty);
    emptyLayout->addWidget(m_emptyLabel);
    emptyLayout->addStretch();
    addWidget(empty);

    QWidget *error = centredPage(u"stateError"_s, this);
    auto *errorLayout = new QVBoxLayout(error);
    errorLayout->addStretch();
    m_errorLabel = messageLabel(error);
    errorLayout->addWidget(m_errorLabel);
    m_retryButton = new QPushButton(tr("&Retry"), error);
    m_retryButton->setObjectName(u"stateRetryButton"_s);
    errorLayout->addWidget(m_retryButton, 0, Qt::AlignHCenter);
    errorLayout->addStretch();
    addWidget(error);
    connect(m_retryButton, &QPushButton::clicked, this, &StateWidget::retryRequested);
}

void StateWidget::showContent()
{
    m_state = State::Content;
    setCurrentIndex(0);
}

void StateWidget::showLoading(const QString &message)
{
    m_state = State::Loading;
    m_loadingLabel->setText(message.isEmpty() ? tr("Loading…") : message);
    setCurrentIndex(1);
}

void StateWidget::showEmpty(const QString &message)
{
    m_state = State::Empty;
    m_emptyLabel->setText(message);
    setCurrentIndex(2);
}

void StateWidget::showError(const QString &message, bool retryable)
{
    m_state = State::Error;
    m_errorLabel->setText(message);
    m_retryButton->setVisible(retryable);
    setCurrentIndex(3);
}

QString StateWidget::message() const
{
    switch (m_state) {
    case State::Loading:
        return m_loadingLabel->text();
    case State::Empty:
        return m_emptyLabel->text();
    case State::Error:
        return m_errorLabel->text();
    case State::Content:
        break;
    }
    return {};
}

} // namespace md::ui
