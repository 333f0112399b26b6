#include "assignmenthistoryview.h"

#include "assignmenthistorymodel.h"
#include "common/statewidget.h"
#include "eventstream.h"
#include "session.h"
#include "timelinedelegate.h"

#include <QLabel>
#include <QListView>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace md::ui {

class AssignmentHistoryView::Private
{
public:
    explicit Private(const ViewContext &ctx) : context(ctx) {}

    void onLoaded();
    void onFailed(const client::ApiError &error);
    void onEvent(const QString &type, const QJsonObject &data);

    ViewContext context;
    AssignmentHistoryModel *model = nullptr;
    QLabel *summary = nullptr;
    QListView *list = nullptr;
    StateWidget *state = nullptr;
    QTimer reloadTimer; // live events come in bursts: one reload per burst
};

void AssignmentHistoryView::Private::onLoaded()
{
    summary->setText(model->summaryText());
    summary->setAccessibleName(model->summaryText());
    summary->setVisible(model->rowCount() > 0);
    if (model->rowCount() == 0)
        state->showEmpty(tr("Not assigned yet."));
    else
        state->showContent();
}

void AssignmentHistoryView::Private::onFailed(const client::ApiError &error)
{
    if (model->hasLoaded() && error.isOffline())
        return; // a live refresh that could not reach the server: keep what is shown
    QString text = error.userMessage();
    if (error.kind == client::ApiError::Kind::Http && error.status == 404)
        text = tr("This ticket does not exist, or you may not see it.");
    summary->hide();
    state->showError(text, true);
}

void AssignmentHistoryView::Private::onEvent(const QString &type, const QJsonObject &data)
{
    const QString shown = model->ticketId();
    if (shown.isEmpty())
        return;
    const bool aboutShown =
        ((type == u"assignment.created"_s || type == u"assignment.updated"_s) &&
         data.value(u"ticket_id"_s).toString() == shown) ||
        (type == u"ticket.updated"_s && data.value(u"id"_s).toString() == shown);
    if (aboutShown)
        reloadTimer.start();
}

AssignmentHistoryView::AssignmentHistoryView(const ViewContext &context, QWidget *parent)
    : QWidget(parent), d(std::make_unique<Private>(context))
{
    setObjectName(u"assignmentHistoryView"_s);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    d->summary = new QLabel(this);
    d->summary->setObjectName(u"historySummary"_s);
    d->summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    d->summary->setContentsMargins(0, fontMetrics().height() / 4, 0, fontMetrics().height() / 4);
    d->summary->hide();
    layout->addWidget(d->summary);

    d->model = new AssignmentHistoryModel(context.api, this);
    if (context.session)
        d->model->setCurrentUserId(context.session->user().id);
    d->list = new QListView(this);
    d->list->setObjectName(u"historyList"_s);
    d->list->setAccessibleName(tr("Assignment history, newest first"));
    d->list->setModel(d->model);
    d->list->setItemDelegate(new TimelineDelegate(d->list));
    d->list->setSelectionMode(QAbstractItemView::SingleSelection);
    d->list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    d->list->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    d->list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    d->list->setResizeMode(QListView::Adjust);
    d->list->setSpacing(0); // the connecting lines run from one entry into the next
    d->state = new StateWidget(d->list, this);
    d->state->setObjectName(u"historyState"_s);
    layout->addWidget(d->state, 1);
    d->state->showEmpty(tr("Not assigned yet."));

    d->reloadTimer.setSingleShot(true);
    d->reloadTimer.setInterval(200);
    connect(&d->reloadTimer, &QTimer::timeout, this, [this] { reload(); });
    connect(d->model, &AssignmentHistoryModel::loaded, this, [this] {
        d->onLoaded();
        Q_EMIT loaded();
    });
    connect(d->model, &AssignmentHistoryModel::failed, this,
            [this](const client::ApiError &error) { d->onFailed(error); });
    connect(d->state, &StateWidget::retryRequested, this, [this] { reload(); });
    if (context.events) {
        connect(context.events, &client::EventStream::eventReceived, this,
                [this](const QString &type, const QJsonObject &json) { d->onEvent(type, json); });
    }
    if (context.session) {
        connect(context.session, &client::Session::userChanged, this,
                [this] { d->model->setCurrentUserId(d->context.session->user().id); });
    }
}

AssignmentHistoryView::~AssignmentHistoryView() = default;

void AssignmentHistoryView::showTicket(const QString &ticketId)
{
    d->reloadTimer.stop();
    if (ticketId.isEmpty()) {
        d->model->load(QString());
        d->summary->hide();
        d->state->showEmpty(tr("Not assigned yet."));
        return;
    }
    if (ticketId != d->model->ticketId() || !d->model->hasLoaded()) {
        d->summary->hide();
        d->state->showLoading(tr("Loading the assignment history…"));
    }
    d->model->load(ticketId);
}

void AssignmentHistoryView::reload()
{
    d->reloadTimer.stop();
    if (d->model->ticketId().isEmpty())
        return;
    // A refresh keeps the timeline on screen; only a first load shows the loading state.
    if (!d->model->hasLoaded())
        d->state->showLoading(tr("Loading the assignment history…"));
    d->model->reload();
}

QString AssignmentHistoryView::ticketId() const
{
    return d->model->ticketId();
}

} // namespace md::ui
