#include "engineerselectiondialog.h"

#include "apiclient.h"
#include "common/badges.h"
#include "common/statewidget.h"
#include "session.h"
#include "suggestiondelegate.h"
#include "suggestionmodel.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QUrlQuery>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace md::ui {

class EngineerSelectionDialog::Private
{
public:
    Private(EngineerSelectionDialog *dialog, const ViewContext &ctx, const QString &id,
            bool reassign)
        : q(dialog), context(ctx), ticketId(id), reassigning(reassign)
    {}

    void build();
    void load();
    void loadTicket();
    void onLoaded();
    void onFailed(const client::ApiError &error);
    void updateHeader();
    void updateBreakdown();
    void updateAssignButton();
    void assign(const QModelIndex &index);
    void showMessage(const QString &text, bool problem);
    QString assignError(const client::ApiError &error) const;

    EngineerSelectionDialog *q;
    ViewContext context;
    QString ticketId;
    bool reassigning;
    bool mayAssign = false;
    bool busy = false;
    QJsonObject ticket;
    QString selectedEngineerId; // kept across reloads

    SuggestionModel *model = nullptr;
    QLabel *header = nullptr;
    QListView *list = nullptr;
    StateWidget *state = nullptr;
    QPushButton *breakdownButton = nullptr;
    QWidget *breakdownPanel = nullptr;
    QLabel *breakdownTitle = nullptr;
    QTableWidget *breakdownView = nullptr;
    QLineEdit *reasonEdit = nullptr;
    QLabel *message = nullptr;
    QPushButton *assignButton = nullptr;
};

void EngineerSelectionDialog::Private::build()
{
    q->setWindowTitle(reassigning ? tr("Reassign engineer") : tr("Assign engineer"));
    auto *layout = new QVBoxLayout(q);

    header = new QLabel(q);
    header->setObjectName(u"selectionHeader"_s);
    header->setWordWrap(true);
    header->setTextFormat(Qt::RichText);
    layout->addWidget(header);

    model = new SuggestionModel(context.api, q);
    list = new QListView(q);
    list->setObjectName(u"suggestionList"_s);
    list->setAccessibleName(tr("Suggested engineers, best match first"));
    list->setModel(model);
    list->setItemDelegate(new SuggestionDelegate(list));
    list->setSelectionMode(QAbstractItemView::SingleSelection);
    list->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    list->setResizeMode(QListView::Adjust);
    list->setUniformItemSizes(true);
    list->setMouseTracking(true); // hover highlight on the cards
    list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    const QFontMetrics fm = q->fontMetrics();
    list->setMinimumSize(fm.averageCharWidth() * 60, fm.lineSpacing() * 12);
    state = new StateWidget(list, q);
    state->setObjectName(u"selectionState"_s);
    layout->addWidget(state, 1);

    breakdownPanel = new QWidget(q);
    breakdownPanel->setObjectName(u"breakdownPanel"_s);
    auto *breakdownLayout = new QVBoxLayout(breakdownPanel);
    breakdownLayout->setContentsMargins(0, 0, 0, 0);
    breakdownTitle = new QLabel(breakdownPanel);
    breakdownTitle->setObjectName(u"breakdownTitle"_s);
    breakdownTitle->setWordWrap(true);
    breakdownLayout->addWidget(breakdownTitle);
    breakdownView = new QTableWidget(0, 4, breakdownPanel);
    breakdownView->setObjectName(u"breakdownView"_s);
    breakdownView->setAccessibleName(tr("Score breakdown"));
    breakdownView->setHorizontalHeaderLabels({tr("Factor"), tr("Points"), tr("Out of"), tr("Why")});
    breakdownView->verticalHeader()->hide();
    breakdownView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    breakdownView->setSelectionBehavior(QAbstractItemView::SelectRows);
    breakdownView->setTabKeyNavigation(false);
    breakdownView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    breakdownView->horizontalHeader()->setStretchLastSection(true);
    breakdownView->setWordWrap(false);
    breakdownView->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    breakdownView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    breakdownView->verticalHeader()->setDefaultSectionSize(fm.lineSpacing() + fm.height() / 3);
    breakdownLayout->addWidget(breakdownView);
    breakdownPanel->hide();
    layout->addWidget(breakdownPanel);

    if (reassigning) {
        auto *form = new QFormLayout;
        reasonEdit = new QLineEdit(q);
        reasonEdit->setObjectName(u"reassignReasonEdit"_s);
        reasonEdit->setMaxLength(1000);
        reasonEdit->setPlaceholderText(tr("Why the ticket changes hands, e.g. engineer on leave"));
        reasonEdit->setAccessibleName(tr("Reason for the reassignment"));
        form->addRow(tr("&Reason for reassignment:"), reasonEdit);
        layout->addLayout(form);
        QObject::connect(reasonEdit, &QLineEdit::textEdited, q, [this] {
            if (!busy)
                message->clear();
        });
    }

    message = new QLabel(q);
    message->setObjectName(u"selectionMessage"_s);
    message->setWordWrap(true);
    message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(message);

    auto *buttons = new QDialogButtonBox(q);
    breakdownButton = buttons->addButton(tr("Show score &breakdown"), QDialogButtonBox::ResetRole);
    breakdownButton->setObjectName(u"breakdownButton"_s);
    breakdownButton->setCheckable(true);
    breakdownButton->setAutoDefault(false);
    assignButton = buttons->addButton(reassigning ? tr("Re&assign") : tr("&Assign"),
                                      QDialogButtonBox::ActionRole);
    assignButton->setObjectName(u"assignSelectedButton"_s);
    assignButton->setDefault(true);
    QPushButton *cancel = buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setObjectName(u"cancelButton"_s);
    cancel->setAutoDefault(false);
    layout->addWidget(buttons);

    QObject::connect(cancel, &QPushButton::clicked, q, &QDialog::reject);
    QObject::connect(assignButton, &QPushButton::clicked, q,
                     [this] { assign(list->currentIndex()); });
    // A double click assigns that engineer; Enter on a row reaches the default button.
    QObject::connect(list, &QAbstractItemView::doubleClicked, q,
                     [this](const QModelIndex &index) { assign(index); });
    QObject::connect(breakdownButton, &QPushButton::toggled, q, [this](bool shown) {
        breakdownButton->setText(shown ? tr("Hide score &breakdown") : tr("Show score &breakdown"));
        breakdownPanel->setVisible(shown);
        updateBreakdown();
        // Grow rather than squeeze the cards when the table appears.
        if (shown && q->height() < q->sizeHint().height())
            q->resize(q->width(), q->sizeHint().height());
    });
    QObject::connect(list->selectionModel(), &QItemSelectionModel::currentChanged, q,
                     [this](const QModelIndex &current) {
                         if (const auto *s = model->suggestionAt(current.row()))
                             selectedEngineerId = s->engineerId;
                         updateBreakdown();
                         updateAssignButton();
                     });
    QObject::connect(model, &SuggestionModel::loaded, q, [this] { onLoaded(); });
    QObject::connect(model, &SuggestionModel::failed, q,
                     [this](const client::ApiError &error) { onFailed(error); });
    QObject::connect(state, &StateWidget::retryRequested, q, [this] { load(); });

    updateHeader();
    updateAssignButton();
    q->resize(fm.averageCharWidth() * 96, fm.lineSpacing() * 40);
}

void EngineerSelectionDialog::Private::load()
{
    if (!mayAssign) {
        state->showError(tr("Your role may not assign engineers to tickets."), false);
        return;
    }
    state->showLoading(tr("Finding engineers…"));
    updateAssignButton();
    model->load(ticketId);
    if (ticket.isEmpty())
        loadTicket();
}

void EngineerSelectionDialog::Private::loadTicket()
{
    context.api->get(u"/v1/tickets/"_s + ticketId, {}, q, [this](const client::ApiResult &result) {
        if (!result.ok())
            return; // the suggestions' own error state says what went wrong
        ticket = result.json;
        model->setCurrentEngineerId(ticket.value(u"assigned_engineer_id"_s).toString());
        updateHeader();
    });
}

void EngineerSelectionDialog::Private::onLoaded()
{
    updateHeader();
    if (model->rowCount() == 0) {
        state->showEmpty(tr("No eligible engineer: nobody active services this manufacturer "
                            "and category at the level this priority needs."));
        updateBreakdown();
        updateAssignButton();
        return;
    }
    state->showContent();
    // Keep the user's choice across a reload; otherwise start on the recommended one so
    // that Enter assigns it.
    int row = model->rowOf(selectedEngineerId);
    if (row < 0)
        row = 0;
    list->setCurrentIndex(model->index(row));
    list->scrollTo(model->index(row));
    list->setFocus(Qt::OtherFocusReason);
    updateBreakdown();
    updateAssignButton();
}

void EngineerSelectionDialog::Private::onFailed(const client::ApiError &error)
{
    QString text = error.userMessage();
    if (error.kind == client::ApiError::Kind::Http && error.status == 404)
        text = tr("This ticket does not exist, or you may not see it.");
    else if (error.kind == client::ApiError::Kind::Http && error.status == 403)
        text = tr("You may not assign engineers to this ticket.");
    state->showError(text, true);
    updateAssignButton();
}

void EngineerSelectionDialog::Private::updateHeader()
{
    QString title;
    if (!ticket.isEmpty()) {
        title = QString(u"<b>"_s + ticket.value(u"number"_s).toString().toHtmlEscaped() +
                        u"</b> — "_s + ticket.value(u"title"_s).toString().toHtmlEscaped());
    } else {
        title = tr("<b>Choose an engineer for this ticket</b>");
    }
    QStringList facts;
    if (!model->requiredLevel().isEmpty())
        facts << tr("needs an engineer of level %1 or above").arg(model->requiredLevel());
    if (!model->isLoading() && !model->ticketId().isEmpty() && model->total() > 0)
        facts << (model->total() == 1 ? tr("1 eligible engineer")
                                      : tr("%1 eligible engineers").arg(model->total()));
    if (reassigning)
        facts << tr("reassigning: the current engineer's assignment ends");
    QString text = title;
    if (!facts.isEmpty())
        text += u"<br>"_s + facts.join(u" · "_s).toHtmlEscaped();
    header->setText(text);
    header->setAccessibleName(QString(ticket.value(u"number"_s).toString() + u' ' +
                                      ticket.value(u"title"_s).toString() + u", "_s +
                                      facts.join(u", "_s)));
}

void EngineerSelectionDialog::Private::updateBreakdown()
{
    const SuggestionModel::Suggestion *s = model->suggestionAt(list->currentIndex().row());
    if (!breakdownButton->isChecked())
        return;
    breakdownView->setRowCount(0);
    if (!s) {
        breakdownTitle->setText(tr("Choose an engineer to see how the score is made up."));
        return;
    }
    breakdownTitle->setText(tr("How %1 scores %2").arg(s->name, matchScoreBadge(s->score).text));

    struct Factor
    {
        QString key;
        QString label;
        int max;
        QString why;
    };
    const QLocale locale;
    const int open = s->openAssignments;
    const QList<Factor> factors{
        {u"tier"_s, tr("Tier"), 35, tierBadge(s->tier).text},
        {u"level"_s, tr("Level fit"), 20,
         model->requiredLevel().isEmpty()
             ? levelBadge(s->level).text
             : tr("%1 engineer; the ticket needs %2")
                   .arg(levelBadge(s->level).text, model->requiredLevel())},
        {u"certification"_s, tr("Certification"), 20,
         s->certified ? tr("A valid certification covers this manufacturer and category")
                      : tr("No valid certification for this manufacturer and category")},
        {u"workload"_s, tr("Workload"), 15, SuggestionModel::openAssignmentsText(open)},
        {u"distance"_s, tr("Distance"), 10,
         s->distanceKm ? tr("%1 km from the hospital").arg(locale.toString(*s->distanceKm, 'f', 1))
                       : tr("Location unknown: neutral points")},
    };
    const auto addRow = [this](const QString &label, const QString &points, const QString &max,
                               const QString &why) {
        const int row = breakdownView->rowCount();
        breakdownView->insertRow(row);
        const QStringList cells{label, points, max, why};
        for (int column = 0; column < cells.size(); ++column) {
            auto *item = new QTableWidgetItem(cells.at(column));
            if (column == 1 || column == 2)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            breakdownView->setItem(row, column, item);
        }
    };
    QStringList known;
    for (const Factor &f : factors) {
        known << f.key;
        addRow(f.label, QString::number(s->breakdown.value(f.key).toInt()), QString::number(f.max),
               f.why);
    }
    // Factors a newer server adds still show, under their wire name.
    for (auto it = s->breakdown.constBegin(); it != s->breakdown.constEnd(); ++it) {
        if (known.contains(it.key()) || it.key() == u"distance_km"_s || !it.value().isDouble())
            continue;
        QString label = it.key();
        label.replace(u'_', u' ');
        label[0] = label.at(0).toUpper();
        addRow(label, QString::number(it.value().toInt()), QString(), QString());
    }
    addRow(tr("Match score"), QString::number(s->score), QString::number(100),
           matchScoreBadge(s->score).text);
    QFont bold = breakdownView->font();
    bold.setBold(true);
    for (int column = 0; column < breakdownView->columnCount(); ++column)
        breakdownView->item(breakdownView->rowCount() - 1, column)->setFont(bold);
    // Every factor in view at once: the table is as tall as its rows.
    const int frame = 2 * breakdownView->frameWidth();
    breakdownView->setFixedHeight(breakdownView->horizontalHeader()->sizeHint().height() +
                                  breakdownView->verticalHeader()->length() + frame);
}

void EngineerSelectionDialog::Private::updateAssignButton()
{
    const bool ready = state->state() == StateWidget::State::Content &&
                       model->suggestionAt(list->currentIndex().row()) != nullptr;
    assignButton->setEnabled(mayAssign && ready && !busy);
}

QString EngineerSelectionDialog::Private::assignError(const client::ApiError &error) const
{
    if (error.kind == client::ApiError::Kind::Http && error.status == 422) {
        QStringList problems;
        const QString reason = error.fieldError(u"reason"_s);
        if (!reason.isEmpty())
            problems << tr("Reason: %1").arg(reason);
        const QString engineer = error.fieldError(u"engineer_id"_s);
        if (!engineer.isEmpty())
            problems << tr("Engineer: %1").arg(engineer);
        const QString tier = error.fieldError(u"assignment_tier"_s);
        if (!tier.isEmpty())
            problems << tr("Tier: %1").arg(tier);
        if (!problems.isEmpty())
            return problems.join(u'\n');
    }
    return error.userMessage();
}

void EngineerSelectionDialog::Private::showMessage(const QString &text, bool problem)
{
    QFont font = message->font();
    font.setBold(problem);
    message->setFont(font);
    message->setText(text);
    message->setAccessibleDescription(text);
}

void EngineerSelectionDialog::Private::assign(const QModelIndex &index)
{
    if (busy || !mayAssign)
        return;
    const SuggestionModel::Suggestion *s = model->suggestionAt(index.row());
    if (!s) {
        showMessage(tr("Choose an engineer first."), true);
        list->setFocus(Qt::OtherFocusReason);
        return;
    }
    if (index != list->currentIndex())
        list->setCurrentIndex(index);
    const QString reason = reasonEdit ? reasonEdit->text().trimmed() : QString();
    if (reassigning && reason.isEmpty()) {
        showMessage(tr("Give a reason for the reassignment."), true);
        reasonEdit->setFocus(Qt::OtherFocusReason);
        return;
    }
    busy = true;
    updateAssignButton();
    showMessage(tr("Assigning %1…").arg(s->name), false);
    QJsonObject body{{u"engineer_id"_s, s->engineerId}, {u"assignment_tier"_s, int(s->tier)}};
    if (!reason.isEmpty())
        body.insert(u"reason"_s, reason);
    context.api->post(u"/v1/tickets/"_s + ticketId + u"/assign"_s, body, q,
                      [this](const client::ApiResult &result) {
                          busy = false;
                          updateAssignButton();
                          if (result.ok()) {
                              message->clear();
                              Q_EMIT q->assigned(result.json);
                              q->accept();
                              return;
                          }
                          // The selection and the reason stay as they were: fix and retry.
                          showMessage(assignError(result.error), true);
                          if (reasonEdit && !result.error.fieldError(u"reason"_s).isEmpty())
                              reasonEdit->setFocus(Qt::OtherFocusReason);
                      });
}

EngineerSelectionDialog::EngineerSelectionDialog(const ViewContext &context,
                                                 const QString &ticketId, bool reassigning,
                                                 QWidget *parent)
    : QDialog(parent), d(std::make_unique<Private>(this, context, ticketId, reassigning))
{
    setObjectName(u"engineerSelectionDialog"_s);
    d->mayAssign =
        context.api && context.session && context.session->may(domain::Permission::TicketsAssign);
    d->build();
    d->load();
}

EngineerSelectionDialog::~EngineerSelectionDialog() = default;

} // namespace md::ui
