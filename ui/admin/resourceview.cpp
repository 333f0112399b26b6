#include "resourceview.h"

#include "common/statewidget.h"
#include "eventstream.h"
#include "organizationdirectory.h"
#include "resourceformdialog.h"
#include "resourcemodel.h"
#include "session.h"

#include <QApplication>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPainter>
#include <QPointer>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace md::ui {

namespace {

// Typing pauses this long before the server is asked; live events are gathered as long.
constexpr int kSearchDelayMs = 300;
constexpr int kLiveDelayMs = 500;

// Enter on the table opens the current row: QAbstractItemView's own "activated" depends
// on the style (single-click activation on some desktops), so it is not used.
class EnterFilter final : public QObject
{
public:
    EnterFilter(std::function<void()> onEnter, QObject *parent)
        : QObject(parent), m_onEnter(std::move(onEnter))
    {}

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::KeyPress) {
            const auto *key = static_cast<QKeyEvent *>(event);
            if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) &&
                key->modifiers() == Qt::NoModifier) {
                m_onEnter();
                return true;
            }
        }
        return QObject::eventFilter(watched, event);
    }

private:
    std::function<void()> m_onEnter;
};

// Cells of a column with badge colours (the engineer's level) as the product's pills.
class BadgeDelegate final : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override
    {
        const QColor background = index.data(Qt::BackgroundRole).value<QColor>();
        if (!background.isValid()) {
            QStyledItemDelegate::paint(painter, option, index);
            return;
        }
        QStyleOptionViewItem plain(option);
        initStyleOption(&plain, index);
        plain.text.clear();
        plain.backgroundBrush = QBrush(); // the pill carries the colour, not the cell
        const QWidget *widget = option.widget;
        QStyle *style = widget ? widget->style() : QApplication::style();
        style->drawControl(QStyle::CE_ItemViewItem, &plain, painter, widget);
        const BadgeStyle badge{index.data().toString(), background,
                               index.data(Qt::ForegroundRole).value<QColor>()};
        const int margin = option.fontMetrics.averageCharWidth() / 2 + 2;
        paintBadge(painter, option.rect.adjusted(margin, 1, -margin, -1), badge);
    }
};

} // namespace

class ResourceView::Private
{
public:
    ResourceView *q;
    ViewContext context;
    ResourceDescriptor descriptor;
    ResourceModel *model = nullptr;
    QSortFilterProxyModel *proxy = nullptr;
    OrganizationDirectory *organizations = nullptr;
    QLineEdit *search = nullptr;
    QTableView *table = nullptr;
    StateWidget *state = nullptr;
    QPushButton *newButton = nullptr;
    QPushButton *editButton = nullptr;
    QLabel *count = nullptr;
    QPushButton *retryButton = nullptr;
    QList<std::pair<ResourceFilter, QComboBox *>> filterCombos;
    QTimer searchTimer;
    QTimer liveTimer;
    QTimer organizationsTimer;
    QPointer<ResourceFormDialog> form;
    QString selectAfterLoad;
    bool columnsSized = false;

    Private(ResourceView *view, const ViewContext &c, const ResourceDescriptor &d)
        : q(view), context(c), descriptor(d)
    {}

    const client::SignedInUser *user() const
    {
        return context.session ? &context.session->user() : nullptr;
    }
    bool mayHave(const std::optional<domain::Permission> &permission) const
    {
        return permission && context.session && context.session->may(*permission);
    }
    bool needsOrganizations() const;
    void buildFilters(QHBoxLayout *row);
    void fillOrganizationFilters();
    void updateState();
    void updateButtons();
    QJsonObject currentObject() const;
    void openForm(ResourceFormDialog::Mode mode, const QJsonObject &object);
    void selectId(const QString &id);
};

bool ResourceView::Private::needsOrganizations() const
{
    for (const ResourceColumn &column : descriptor.columns)
        if (column.organizationName)
            return true;
    for (const ResourceFilter &filter : descriptor.filters)
        if (filter.organization)
            return true;
    for (const ResourceField &field : descriptor.fields)
        if (field.kind == FieldKind::Organization || field.kind == FieldKind::Organizations)
            return true;
    return false;
}

void ResourceView::Private::buildFilters(QHBoxLayout *row)
{
    const bool platform = user() && domain::isPlatformRole(user()->role);
    for (const ResourceFilter &filter : descriptor.filters) {
        if (filter.platformOnly && !platform)
            continue;
        auto *label = new QLabel(filter.label + u':', q);
        auto *combo = new QComboBox(q);
        combo->setObjectName(filter.objectName);
        combo->setAccessibleName(filter.label);
        // Long organization names must not squeeze the search field away.
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(filter.organization ? 18 : 9);
        combo->addItem(ResourceView::tr("All"), QString());
        for (const ResourceOption &option : filter.options)
            combo->addItem(option.label, option.value);
        label->setBuddy(combo);
        row->addWidget(label);
        row->addWidget(combo);
        const QString param = filter.param;
        QObject::connect(combo, &QComboBox::currentIndexChanged, q, [this, combo, param] {
            model->setFilter(param, combo->currentData().toString());
        });
        filterCombos.append({filter, combo});
    }
}

void ResourceView::Private::fillOrganizationFilters()
{
    for (auto &[filter, combo] : filterCombos) {
        if (!filter.organization)
            continue;
        const QString current = combo->currentData().toString();
        const QSignalBlocker blocker(combo); // the selection itself does not change
        combo->clear();
        combo->addItem(ResourceView::tr("All"), QString());
        for (const QJsonObject &org : organizations->organizations(filter.organizationType))
            combo->addItem(org.value(u"name"_s).toString(), org.value(u"id"_s).toString());
        combo->setCurrentIndex(std::max(0, combo->findData(current)));
    }
}

void ResourceView::Private::updateState()
{
    const int rows = model->rowCount();
    const bool failed = model->lastError().kind != client::ApiError::Kind::None;
    const QLocale locale;
    if (rows > 0) {
        state->showContent();
    } else if (failed) {
        state->showError(model->lastError().userMessage());
    } else if (model->isLoading() || !model->hasLoaded()) {
        state->showLoading(ResourceView::tr("Loading %1…").arg(descriptor.title));
    } else {
        bool filtered = !model->search().isEmpty();
        for (const auto &[filter, combo] : std::as_const(filterCombos))
            filtered = filtered || !combo->currentData().toString().isEmpty();
        state->showEmpty(filtered ? descriptor.noMatchMessage : descriptor.emptyMessage);
    }

    QString text;
    if (rows > 0 && failed) {
        text =
            ResourceView::tr("More could not be loaded: %1").arg(model->lastError().userMessage());
    } else if (rows > 0 && model->total() > rows) {
        text = ResourceView::tr("Showing %1 of %2 — scroll down for more")
                   .arg(locale.toString(rows), locale.toString(model->total()));
    } else if (rows > 0) {
        text = ResourceView::tr("%1 shown").arg(locale.toString(rows));
    }
    if (model->isLoading() && rows > 0)
        text = ResourceView::tr("Loading…");
    count->setText(text);
    retryButton->setVisible(rows > 0 && failed);
}

void ResourceView::Private::updateButtons()
{
    const QJsonObject current = currentObject();
    editButton->setEnabled(!current.isEmpty() && q->mayEdit(current));
    editButton->setToolTip(
        !current.isEmpty() && !q->mayEdit(current)
            ? ResourceView::tr("You may not change this %1.").arg(descriptor.singular)
            : QString());
}

QJsonObject ResourceView::Private::currentObject() const
{
    const QModelIndex index = table->currentIndex();
    if (!index.isValid() || !table->selectionModel()->isRowSelected(index.row(), {}))
        return {};
    // Several rows selected (for an action): none of them is "the" row to edit.
    if (table->selectionModel()->selectedRows().size() > 1)
        return {};
    return model->object(proxy->mapToSource(index).row());
}

void ResourceView::Private::openForm(ResourceFormDialog::Mode mode, const QJsonObject &object)
{
    if (form) {
        form->raise();
        form->activateWindow();
        return;
    }
    form = new ResourceFormDialog(context, descriptor, organizations, mode, object, q);
    form->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(form, &ResourceFormDialog::saved, q,
                     [this](const QJsonObject &saved, bool created) {
                         const QString id = saved.value(u"id"_s).toString();
                         if (created || !model->updateObject(saved)) {
                             selectAfterLoad = id;
                             model->reload();
                         }
                         if (descriptor.key == u"organizations"_s && organizations)
                             organizations->reload();
                         updateButtons();
                         Q_EMIT q->saved(saved, created);
                     });
    form->open();
}

void ResourceView::Private::selectId(const QString &id)
{
    const int row = model->rowOf(id);
    if (row < 0)
        return;
    const QModelIndex index = proxy->mapFromSource(model->index(row, 0));
    table->setCurrentIndex(index);
    table->selectRow(index.row());
    table->scrollTo(index);
}

ResourceView::ResourceView(const ViewContext &context, const ResourceDescriptor &descriptor,
                           QWidget *parent)
    : QWidget(parent), d(std::make_unique<Private>(this, context, descriptor))
{
    setObjectName(descriptor.key + u"View"_s);
    setAccessibleName(descriptor.title);

    d->model = new ResourceModel(context.api, descriptor, this);
    d->proxy = new QSortFilterProxyModel(this);
    d->proxy->setSourceModel(d->model);
    d->proxy->setSortRole(ResourceModel::SortRole);
    d->proxy->setSortCaseSensitivity(Qt::CaseInsensitive);
    d->proxy->setSortLocaleAware(true);

    auto *layout = new QVBoxLayout(this);
    // Search and the actions on top, the filters under them: long organization names in
    // a filter never squeeze the search field.
    auto *bar = new QHBoxLayout;
    d->search = new QLineEdit(this);
    d->search->setObjectName(descriptor.key + u"Search"_s);
    d->search->setPlaceholderText(descriptor.searchPlaceholder);
    d->search->setClearButtonEnabled(true);
    d->search->setAccessibleName(tr("Search %1").arg(descriptor.title));
    bar->addWidget(d->search, 1);
    d->newButton = new QPushButton(tr("&New %1…").arg(descriptor.singular), this);
    d->newButton->setObjectName(descriptor.key + u"NewButton"_s);
    d->editButton = new QPushButton(tr("Ed&it…"), this);
    d->editButton->setObjectName(descriptor.key + u"EditButton"_s);
    d->editButton->setEnabled(false);
    bar->addWidget(d->newButton);
    bar->addWidget(d->editButton);
    for (const ResourceAction &action : descriptor.actions) {
        if (!d->mayHave(action.permission) || !action.trigger)
            continue; // what the role may not do is not offered
        auto *button = new QPushButton(action.text, this);
        button->setObjectName(action.objectName);
        button->setToolTip(action.toolTip);
        bar->addWidget(button);
        const auto trigger = action.trigger;
        connect(button, &QPushButton::clicked, this,
                [this, trigger] { trigger(*this, selectedObjects()); });
    }
    layout->addLayout(bar);
    auto *filters = new QHBoxLayout;
    d->buildFilters(filters);
    filters->addStretch(1);
    if (filters->count() > 1)
        layout->addLayout(filters);
    else
        delete filters;

    // What the role may not do is not offered at all.
    d->newButton->setVisible(mayCreate());
    d->editButton->setVisible(d->mayHave(descriptor.editPermission));

    d->table = new QTableView(this);
    d->table->setObjectName(descriptor.key + u"Table"_s);
    d->table->setAccessibleName(descriptor.title);
    d->table->setModel(d->proxy);
    d->table->setSelectionBehavior(QAbstractItemView::SelectRows);
    d->table->setSelectionMode(descriptor.multiSelection ? QAbstractItemView::ExtendedSelection
                                                         : QAbstractItemView::SingleSelection);
    d->table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    d->table->setAlternatingRowColors(true);
    d->table->setWordWrap(false);
    d->table->verticalHeader()->hide();
    // Fixed row heights: no per-row measuring as pages arrive (FACTS.md).
    d->table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    d->table->horizontalHeader()->setStretchLastSection(true);
    d->table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder); // server order
    d->table->setSortingEnabled(true);
    d->table->installEventFilter(new EnterFilter([this] { openCurrent(); }, this));
    auto *badges = new BadgeDelegate(d->table);
    for (int c = 0; c < descriptor.columns.size(); ++c)
        if (descriptor.columns.at(c).badge)
            d->table->setItemDelegateForColumn(c, badges);
    d->state = new StateWidget(d->table, this);
    layout->addWidget(d->state, 1);

    auto *status = new QHBoxLayout;
    d->count = new QLabel(this);
    d->count->setObjectName(descriptor.key + u"Count"_s);
    status->addWidget(d->count, 1);
    d->retryButton = new QPushButton(tr("&Retry"), this);
    d->retryButton->setObjectName(descriptor.key + u"RetryButton"_s);
    d->retryButton->hide();
    status->addWidget(d->retryButton);
    layout->addLayout(status);

    setFocusProxy(d->search);

    d->searchTimer.setSingleShot(true);
    d->searchTimer.setInterval(kSearchDelayMs);
    connect(d->search, &QLineEdit::textChanged, this, [this] { d->searchTimer.start(); });
    connect(d->search, &QLineEdit::returnPressed, this, [this] {
        d->searchTimer.stop();
        d->model->setSearch(d->search->text());
    });
    connect(&d->searchTimer, &QTimer::timeout, this,
            [this] { d->model->setSearch(d->search->text()); });

    connect(d->newButton, &QPushButton::clicked, this, &ResourceView::createNew);
    connect(d->editButton, &QPushButton::clicked, this, &ResourceView::openCurrent);
    connect(d->table, &QTableView::doubleClicked, this, [this] { openCurrent(); });
    connect(d->table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { d->updateButtons(); });
    connect(d->table->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this] { d->updateButtons(); });
    connect(d->state, &StateWidget::retryRequested, this, [this] { d->model->retry(); });
    connect(d->retryButton, &QPushButton::clicked, this, [this] { d->model->retry(); });

    connect(d->model, &ResourceModel::loadingChanged, this, [this] { d->updateState(); });
    connect(d->model, &ResourceModel::loadFailed, this, [this] { d->updateState(); });
    // A reset (a refresh, a new search) drops the selection: it comes back once the row
    // with the same id is loaded again.
    connect(d->model, &QAbstractItemModel::modelAboutToBeReset, this, [this] {
        const QJsonObject current = d->currentObject();
        if (d->selectAfterLoad.isEmpty() && !current.isEmpty())
            d->selectAfterLoad = current.value(u"id"_s).toString();
    });
    connect(d->model, &QAbstractItemModel::modelReset, this, [this] {
        d->updateState();
        d->updateButtons();
    });
    connect(d->model, &ResourceModel::pageLoaded, this, [this] {
        d->updateState();
        if (!d->columnsSized && d->model->rowCount() > 0) {
            d->columnsSized = true;
            d->table->resizeColumnsToContents();
            const int widest = fontMetrics().averageCharWidth() * 40;
            for (int c = 0; c < d->model->columnCount(); ++c)
                d->table->setColumnWidth(c, std::min(d->table->columnWidth(c), widest));
        }
        // Only the answer right after the reset may select: later pages never jump.
        const QString wanted = std::exchange(d->selectAfterLoad, {});
        if (!wanted.isEmpty())
            d->selectId(wanted);
    });

    if (d->needsOrganizations()) {
        d->organizations = new OrganizationDirectory(context.api, this);
        connect(d->organizations, &OrganizationDirectory::loaded, this, [this] {
            d->model->setOrganizationNames(d->organizations->names());
            d->fillOrganizationFilters();
        });
        d->organizations->load();
    }

    if (context.events) {
        d->liveTimer.setSingleShot(true);
        d->liveTimer.setInterval(kLiveDelayMs);
        connect(&d->liveTimer, &QTimer::timeout, this, [this] { d->model->refresh(); });
        d->organizationsTimer.setSingleShot(true);
        d->organizationsTimer.setInterval(kLiveDelayMs);
        connect(&d->organizationsTimer, &QTimer::timeout, this, [this] {
            if (d->organizations)
                d->organizations->reload();
        });
        connect(context.events, &client::EventStream::eventReceived, this,
                [this](const QString &type, const QJsonObject &object) {
                    const QString &entity = d->descriptor.eventEntity;
                    if (!entity.isEmpty() && type == entity + u".updated"_s) {
                        // In place when loaded: no request, no lost scroll position.
                        if (!d->model->updateObject(object))
                            d->liveTimer.start();
                    } else if (!entity.isEmpty() && type == entity + u".created"_s) {
                        d->liveTimer.start();
                    }
                    if (d->organizations && type.startsWith(u"organization."_s))
                        d->organizationsTimer.start();
                });
    }

    d->updateState();
    d->model->reload();
}

ResourceView::~ResourceView() = default;

const ResourceDescriptor &ResourceView::descriptor() const
{
    return d->descriptor;
}

const ViewContext &ResourceView::context() const
{
    return d->context;
}

QList<QJsonObject> ResourceView::selectedObjects() const
{
    QModelIndexList rows = d->table->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(),
              [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    QList<QJsonObject> objects;
    objects.reserve(rows.size());
    for (const QModelIndex &index : std::as_const(rows))
        objects.append(d->model->object(d->proxy->mapToSource(index).row()));
    return objects;
}

ResourceModel *ResourceView::model() const
{
    return d->model;
}

QTableView *ResourceView::table() const
{
    return d->table;
}

OrganizationDirectory *ResourceView::organizations() const
{
    return d->organizations;
}

ResourceFormDialog *ResourceView::openForm() const
{
    return d->form;
}

bool ResourceView::mayCreate() const
{
    return d->mayHave(d->descriptor.createPermission);
}

bool ResourceView::mayEdit(const QJsonObject &row) const
{
    if (!d->mayHave(d->descriptor.editPermission))
        return false;
    return !d->descriptor.mayEditRow || (d->user() && d->descriptor.mayEditRow(*d->user(), row));
}

void ResourceView::focusSearch()
{
    d->search->setFocus(Qt::ShortcutFocusReason);
    d->search->selectAll();
}

void ResourceView::reload()
{
    d->model->reload();
}

void ResourceView::createNew()
{
    if (mayCreate())
        d->openForm(ResourceFormDialog::Mode::Create, {});
}

void ResourceView::openCurrent()
{
    const QJsonObject current = d->currentObject();
    if (current.isEmpty())
        return;
    d->openForm(mayEdit(current) ? ResourceFormDialog::Mode::Edit : ResourceFormDialog::Mode::View,
                current);
}

} // namespace md::ui
