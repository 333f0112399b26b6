#include "resourceformdialog.h"

#include "apiclient.h"
#include "organizationdirectory.h"
#include "session.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QCoreApplication>
#include <QDateEdit>
#include <QDialogButtonBox>
#include <QDoubleValidator>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QToolButton>
#include <QUrlQuery>
#include <QVBoxLayout>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace md::ui {

namespace {

// The date editor's minimum stands for "not set" (shown as its special value text).
const QDate kNoDate(1900, 1, 1);
const char *const kPendingProperty = "md_pendingValue";

bool isTextKind(FieldKind kind)
{
    switch (kind) {
    case FieldKind::Text:
    case FieldKind::Multiline:
    case FieldKind::Password:
    case FieldKind::ReadOnlyText:
    case FieldKind::Enum:
    case FieldKind::Date:
    case FieldKind::Organization:
        return true;
    default:
        return false;
    }
}

// One spelling per value, so that "changed?" compares like with like: empty text is
// null, lists are sorted, a missing boolean is the field's default.
QJsonValue normalized(const ResourceField &field, const QJsonValue &value)
{
    if (isTextKind(field.kind)) {
        if (!value.isString() || value.toString().isEmpty())
            return QJsonValue::Null;
        if (field.kind == FieldKind::Organization)
            return value.toString().toLower();
        return value;
    }
    if (field.kind == FieldKind::Boolean)
        return value.isBool() ? value.toBool() : field.defaultValue == u"true"_s;
    if (field.kind == FieldKind::Number)
        return value.isDouble() ? value : QJsonValue(QJsonValue::Null);
    QStringList items;
    for (const QJsonValue &item : value.toArray())
        items.append(item.toString());
    items.sort();
    return QJsonArray::fromStringList(items);
}

// Red that reads on the light and on the dark palette.
QPalette errorPalette(const QWidget *widget)
{
    QPalette palette = widget->palette();
    const bool dark = palette.color(QPalette::Window).lightness() < 128;
    palette.setColor(QPalette::WindowText,
                     dark ? QColor(0xff, 0x8a, 0x80) : QColor(0xc6, 0x28, 0x28));
    return palette;
}

// "is required" -> "Name is required": the server's messages follow the field's name.
QString fieldProblem(const QString &label, const QString &message)
{
    return QCoreApplication::translate("md::ui::ResourceFormDialog", "%1 %2").arg(label, message);
}

} // namespace

class ResourceFormDialog::Private
{
public:
    struct Editor
    {
        ResourceField field;
        QWidget *widget = nullptr;
        QLabel *label = nullptr;
        QLabel *error = nullptr;
        QJsonValue baseline; // the object's value: what a PATCH compares against
    };
    struct Value
    {
        QJsonValue value;
        QString problem; // typed text that cannot be sent (an organization not in the list)
    };

    ResourceFormDialog *q;
    ViewContext context;
    ResourceDescriptor descriptor;
    OrganizationDirectory *organizations;
    Mode mode;
    QJsonObject object;
    QList<Editor> editors;
    QLabel *message = nullptr;
    QPushButton *saveButton = nullptr;
    QPushButton *unlockButton = nullptr;
    bool organizationsShown = false; // the organization editors hold the directory's list
    bool saving = false;

    Private(ResourceFormDialog *dialog, const ViewContext &c, const ResourceDescriptor &d,
            OrganizationDirectory *o, Mode m, const QJsonObject &obj)
        : q(dialog), context(c), descriptor(d), organizations(o), mode(m), object(obj)
    {}

    domain::Role actorRole() const
    {
        return context.session ? context.session->user().role : domain::Role::Customer;
    }
    QString objectId() const { return object.value(u"id"_s).toString(); }
    QString objectPath() const { return descriptor.path + u'/' + objectId(); }

    bool shows(const ResourceField &field) const
    {
        if (field.platformOnly && !domain::isPlatformRole(actorRole()))
            return false;
        if (field.kind == FieldKind::ReadOnlyText && mode == Mode::Create)
            return false; // server-owned: nothing to show before the server made it
        if (field.kind == FieldKind::Password && mode != Mode::Create)
            return false; // an initial password; changing one is the user's own business
        return true;
    }
    bool editable(const ResourceField &field) const
    {
        if (mode == Mode::View || field.kind == FieldKind::ReadOnlyText)
            return false;
        return !(field.createOnly && mode == Mode::Edit);
    }

    QWidget *createEditor(const ResourceField &field);
    void fillEnum(QComboBox *combo, const ResourceField &field, const QString &current);
    void populateOrganizations();
    Value value(const Editor &editor) const;
    void setValue(Editor &editor, const QJsonValue &value);
    void applyObject(const QJsonObject &fresh, bool keepEdits);
    void loadDetail();
    void clearErrors();
    void showMessage(const QString &text, bool error);
    void showError(const client::ApiError &error);
    void setSaving(bool busy);
    Editor *editorFor(const QString &errorKey);
};

QWidget *ResourceFormDialog::Private::createEditor(const ResourceField &field)
{
    switch (field.kind) {
    case FieldKind::Text:
    case FieldKind::Password:
    case FieldKind::ReadOnlyText:
    case FieldKind::Number: {
        auto *edit = new QLineEdit(q);
        if (field.maxLength > 0)
            edit->setMaxLength(field.maxLength);
        edit->setPlaceholderText(field.placeholder);
        if (field.kind == FieldKind::Password)
            edit->setEchoMode(QLineEdit::Password);
        if (field.kind == FieldKind::ReadOnlyText)
            edit->setReadOnly(true);
        if (field.kind == FieldKind::Number)
            edit->setValidator(new QDoubleValidator(edit));
        return edit;
    }
    case FieldKind::Multiline: {
        auto *edit = new QPlainTextEdit(q);
        edit->setTabChangesFocus(true);
        edit->setPlaceholderText(field.placeholder);
        edit->setMaximumHeight(edit->fontMetrics().lineSpacing() * 5);
        return edit;
    }
    case FieldKind::Enum: {
        auto *combo = new QComboBox(q);
        fillEnum(combo, field, object.value(field.name).toString());
        return combo;
    }
    case FieldKind::Boolean: {
        auto *box = new QCheckBox(q);
        box->setAccessibleName(field.label);
        return box;
    }
    case FieldKind::Date: {
        auto *edit = new QDateEdit(q);
        edit->setDisplayFormat(u"yyyy-MM-dd"_s);
        edit->setCalendarPopup(true);
        edit->setMinimumDate(kNoDate);
        edit->setMaximumDate(QDate(2200, 12, 31));
        edit->setSpecialValueText(ResourceFormDialog::tr("Not set"));
        edit->setDate(kNoDate);
        return edit;
    }
    case FieldKind::Organization: {
        auto *combo = new QComboBox(q);
        combo->setEditable(true);
        combo->setInsertPolicy(QComboBox::NoInsert);
        combo->completer()->setFilterMode(Qt::MatchContains);
        combo->completer()->setCaseSensitivity(Qt::CaseInsensitive);
        combo->completer()->setCompletionMode(QCompleter::PopupCompletion);
        combo->lineEdit()->setPlaceholderText(ResourceFormDialog::tr("Type to search…"));
        return combo;
    }
    case FieldKind::Organizations:
    case FieldKind::StringList: {
        if (field.kind == FieldKind::StringList && field.options.isEmpty()) {
            auto *edit = new QLineEdit(q);
            edit->setPlaceholderText(field.placeholder.isEmpty()
                                         ? ResourceFormDialog::tr("Separate entries with commas")
                                         : field.placeholder);
            return edit;
        }
        auto *list = new QListWidget(q);
        list->setMaximumHeight(list->fontMetrics().lineSpacing() * 8);
        for (const ResourceOption &option : field.options) {
            auto *item = new QListWidgetItem(option.label, list);
            item->setData(Qt::UserRole, option.value);
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
            item->setCheckState(Qt::Unchecked);
        }
        return list;
    }
    }
    return nullptr;
}

void ResourceFormDialog::Private::fillEnum(QComboBox *combo, const ResourceField &field,
                                           const QString &current)
{
    if (!field.required && field.defaultValue.isEmpty())
        combo->addItem(ResourceFormDialog::tr("Not set"), QString());
    bool currentListed = current.isEmpty();
    for (const ResourceOption &option : field.options) {
        // Only what the signed-in role may choose; the view mode shows any value.
        const bool allowed = mode == Mode::View || !field.optionAllowed ||
                             field.optionAllowed(actorRole(), option.value);
        if (!allowed && option.value != current)
            continue;
        currentListed = currentListed || option.value == current;
        combo->addItem(option.label, option.value);
    }
    if (!currentListed)
        combo->addItem(current, current); // a value this client does not know
}

void ResourceFormDialog::Private::populateOrganizations()
{
    if (!organizations || !organizations->isLoaded())
        return;
    organizationsShown = true;
    for (Editor &editor : editors) {
        if (editor.field.kind == FieldKind::Organization) {
            auto *combo = static_cast<QComboBox *>(editor.widget);
            // What the user picked or typed survives a reload of the list.
            const Value before = value(editor);
            const QVariant pending = combo->property(kPendingProperty);
            const QString wanted = before.problem.isEmpty() && before.value.isString()
                                       ? before.value.toString()
                                       : pending.toString();
            const QString typed = combo->currentText();
            combo->clear();
            combo->addItem(QString(), QString());
            for (const QJsonObject &org :
                 organizations->organizations(editor.field.organizationType))
                combo->addItem(org.value(u"name"_s).toString(), org.value(u"id"_s).toString());
            int index = wanted.isEmpty() ? 0 : combo->findData(wanted);
            if (index < 0) {
                combo->addItem(wanted, wanted); // not visible to this user: keep it as it is
                index = combo->count() - 1;
            }
            combo->setCurrentIndex(index);
            if (!before.problem.isEmpty())
                combo->setEditText(typed);
            combo->setProperty(kPendingProperty, QVariant());
            combo->setEnabled(editable(editor.field));
        } else if (editor.field.kind == FieldKind::Organizations) {
            auto *list = static_cast<QListWidget *>(editor.widget);
            QStringList checked = list->property(kPendingProperty).toStringList();
            for (int i = 0; i < list->count(); ++i)
                if (list->item(i)->checkState() == Qt::Checked)
                    checked.append(list->item(i)->data(Qt::UserRole).toString());
            list->clear();
            for (const QJsonObject &org :
                 organizations->organizations(editor.field.organizationType)) {
                auto *item = new QListWidgetItem(org.value(u"name"_s).toString(), list);
                const QString id = org.value(u"id"_s).toString();
                item->setData(Qt::UserRole, id);
                item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
                item->setCheckState(checked.contains(id) ? Qt::Checked : Qt::Unchecked);
            }
            list->setProperty(kPendingProperty, QVariant());
        }
    }
}

ResourceFormDialog::Private::Value ResourceFormDialog::Private::value(const Editor &editor) const
{
    const ResourceField &field = editor.field;
    QWidget *w = editor.widget;
    switch (field.kind) {
    case FieldKind::Text:
    case FieldKind::Password:
    case FieldKind::ReadOnlyText: {
        const QString text = static_cast<QLineEdit *>(w)->text();
        return {text.trimmed().isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text), {}};
    }
    case FieldKind::Number: {
        const QString text = static_cast<QLineEdit *>(w)->text().trimmed();
        if (text.isEmpty())
            return {QJsonValue::Null, {}};
        bool ok = false;
        const double number = QLocale().toDouble(text, &ok);
        if (!ok)
            return {QJsonValue::Null, ResourceFormDialog::tr("Enter a number.")};
        return {number, {}};
    }
    case FieldKind::Multiline: {
        const QString text = static_cast<QPlainTextEdit *>(w)->toPlainText();
        return {text.trimmed().isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text), {}};
    }
    case FieldKind::Enum: {
        const QString v = static_cast<QComboBox *>(w)->currentData().toString();
        return {v.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(v), {}};
    }
    case FieldKind::Boolean:
        return {static_cast<QCheckBox *>(w)->isChecked(), {}};
    case FieldKind::Date: {
        const QDate date = static_cast<QDateEdit *>(w)->date();
        return {date == kNoDate ? QJsonValue(QJsonValue::Null)
                                : QJsonValue(date.toString(Qt::ISODate)),
                {}};
    }
    case FieldKind::Organization: {
        auto *combo = static_cast<QComboBox *>(w);
        const QVariant pending = combo->property(kPendingProperty);
        if (pending.isValid()) // the list has not arrived yet
            return {pending.toString().isEmpty() ? QJsonValue(QJsonValue::Null)
                                                 : QJsonValue(pending.toString()),
                    {}};
        const QString text = combo->currentText().trimmed();
        if (text.isEmpty())
            return {QJsonValue::Null, {}};
        int index = combo->currentIndex();
        if (index < 0 || combo->itemText(index) != text)
            index = combo->findText(text, Qt::MatchFixedString);
        if (index < 0)
            return {QJsonValue::Null,
                    ResourceFormDialog::tr("Choose an organization from the list.")};
        const QString id = combo->itemData(index).toString();
        return {id.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(id), {}};
    }
    case FieldKind::Organizations:
    case FieldKind::StringList: {
        if (auto *edit = qobject_cast<QLineEdit *>(w)) {
            QStringList items;
            for (const QString &part : edit->text().split(u',', Qt::SkipEmptyParts))
                if (!part.trimmed().isEmpty())
                    items.append(part.trimmed());
            return {QJsonArray::fromStringList(items), {}};
        }
        auto *list = static_cast<QListWidget *>(w);
        QStringList items = list->property(kPendingProperty).toStringList();
        for (int i = 0; i < list->count(); ++i)
            if (list->item(i)->checkState() == Qt::Checked)
                items.append(list->item(i)->data(Qt::UserRole).toString());
        return {QJsonArray::fromStringList(items), {}};
    }
    }
    return {};
}

void ResourceFormDialog::Private::setValue(Editor &editor, const QJsonValue &value)
{
    const ResourceField &field = editor.field;
    QWidget *w = editor.widget;
    switch (field.kind) {
    case FieldKind::Text:
    case FieldKind::Password:
    case FieldKind::ReadOnlyText:
        static_cast<QLineEdit *>(w)->setText(value.toString());
        return;
    case FieldKind::Number:
        static_cast<QLineEdit *>(w)->setText(value.isDouble() ? QLocale().toString(value.toDouble())
                                                              : QString());
        return;
    case FieldKind::Multiline:
        static_cast<QPlainTextEdit *>(w)->setPlainText(value.toString());
        return;
    case FieldKind::Enum: {
        auto *combo = static_cast<QComboBox *>(w);
        int index = combo->findData(value.toString());
        if (index < 0 && !value.toString().isEmpty()) {
            combo->addItem(value.toString(), value.toString());
            index = combo->count() - 1;
        }
        combo->setCurrentIndex(std::max(index, 0));
        return;
    }
    case FieldKind::Boolean:
        static_cast<QCheckBox *>(w)->setChecked(value.isBool() ? value.toBool()
                                                               : field.defaultValue == u"true"_s);
        return;
    case FieldKind::Date: {
        const QDate date = QDate::fromString(value.toString(), Qt::ISODate);
        static_cast<QDateEdit *>(w)->setDate(date.isValid() ? date : kNoDate);
        return;
    }
    case FieldKind::Organization: {
        auto *combo = static_cast<QComboBox *>(w);
        const QString id = value.toString().toLower();
        if (!organizationsShown) {
            combo->setProperty(kPendingProperty, id);
            return;
        }
        int index = id.isEmpty() ? 0 : combo->findData(id);
        if (index < 0) {
            combo->addItem(id, id);
            index = combo->count() - 1;
        }
        combo->setCurrentIndex(index);
        return;
    }
    case FieldKind::Organizations:
    case FieldKind::StringList: {
        QStringList items;
        for (const QJsonValue &item : value.toArray())
            items.append(item.toString());
        if (auto *edit = qobject_cast<QLineEdit *>(w)) {
            edit->setText(items.join(u", "_s));
            return;
        }
        auto *list = static_cast<QListWidget *>(w);
        if (field.kind == FieldKind::Organizations && !organizationsShown) {
            list->setProperty(kPendingProperty, items);
            return;
        }
        for (int i = 0; i < list->count(); ++i)
            list->item(i)->setCheckState(
                items.contains(list->item(i)->data(Qt::UserRole).toString()) ? Qt::Checked
                                                                             : Qt::Unchecked);
        return;
    }
    }
}

void ResourceFormDialog::Private::applyObject(const QJsonObject &fresh, bool keepEdits)
{
    object = fresh;
    for (Editor &editor : editors) {
        const QJsonValue value = fresh.value(editor.field.name);
        // A field the user has already changed keeps what they typed; the rest follow
        // the server's current state.
        const bool edited = keepEdits && normalized(editor.field, this->value(editor).value) !=
                                             normalized(editor.field, editor.baseline);
        if (!edited)
            setValue(editor, value);
        editor.baseline = value;
    }
    if (unlockButton)
        unlockButton->setVisible(mode == Mode::Edit && fresh.value(u"locked"_s).toBool());
    if (mode != Mode::Create) {
        const QString name = fresh.value(descriptor.titleField).toString();
        q->setWindowTitle(
            mode == Mode::Edit
                ? ResourceFormDialog::tr("Edit %1 — %2").arg(descriptor.singular, name)
                : ResourceFormDialog::tr("%1 — %2").arg(descriptor.title, name));
    }
}

void ResourceFormDialog::Private::loadDetail()
{
    // The list's row can be older than the object and lacks what only the detail
    // carries (a user's "locked").
    context.api->get(objectPath(), {}, q, [this](const client::ApiResult &result) {
        if (!result.ok()) {
            if (!saving && message->isHidden())
                showMessage(ResourceFormDialog::tr("The latest version could not be loaded: %1")
                                .arg(result.error.userMessage()),
                            true);
            return;
        }
        applyObject(result.json, true);
        Q_EMIT q->detailLoaded();
    });
}

void ResourceFormDialog::Private::clearErrors()
{
    for (Editor &editor : editors) {
        editor.error->clear();
        editor.error->hide();
    }
    message->clear();
    message->hide();
}

void ResourceFormDialog::Private::showMessage(const QString &text, bool error)
{
    message->setPalette(error ? errorPalette(q) : q->palette());
    message->setText(text);
    message->setVisible(!text.isEmpty());
}

ResourceFormDialog::Private::Editor *ResourceFormDialog::Private::editorFor(const QString &key)
{
    // "location.latitude", "certifications[0].name": the problem of a part of a field.
    for (Editor &editor : editors) {
        const QString &name = editor.field.name;
        if (key == name || key.startsWith(name + u'.') || key.startsWith(name + u'['))
            return &editor;
    }
    return nullptr;
}

void ResourceFormDialog::Private::showError(const client::ApiError &error)
{
    const QJsonObject fields = error.fields();
    if (error.status == 422 && !fields.isEmpty()) {
        QStringList elsewhere;
        QWidget *first = nullptr;
        for (auto it = fields.constBegin(); it != fields.constEnd(); ++it) {
            const QString problem = it.value().toString();
            if (Editor *editor = editorFor(it.key())) {
                editor->error->setText(fieldProblem(editor->field.label, problem));
                editor->error->show();
                if (!first)
                    first = editor->widget;
            } else {
                elsewhere.append(it.key() + u' ' + problem);
            }
        }
        showMessage(elsewhere.isEmpty()
                        ? ResourceFormDialog::tr("Please correct the marked fields.")
                        : ResourceFormDialog::tr("Please correct: %1").arg(elsewhere.join(u"; "_s)),
                    true);
        if (first)
            first->setFocus(Qt::OtherFocusReason);
        return;
    }
    showMessage(error.userMessage(), true);
}

void ResourceFormDialog::Private::setSaving(bool busy)
{
    saving = busy;
    if (saveButton)
        saveButton->setEnabled(!busy);
    if (unlockButton)
        unlockButton->setEnabled(!busy);
}

ResourceFormDialog::ResourceFormDialog(const ViewContext &context,
                                       const ResourceDescriptor &descriptor,
                                       OrganizationDirectory *organizations, Mode mode,
                                       const QJsonObject &object, QWidget *parent)
    : QDialog(parent),
      d(std::make_unique<Private>(this, context, descriptor, organizations, mode, object))
{
    setObjectName(descriptor.key + u"Form"_s);
    setWindowTitle(mode == Mode::Create ? tr("New %1").arg(descriptor.singular) : descriptor.title);
    setSizeGripEnabled(true);

    auto *outer = new QVBoxLayout(this);
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *page = new QWidget(scroll);
    auto *form = new QFormLayout(page);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    scroll->setWidget(page);
    outer->addWidget(scroll, 1);

    const bool platform = domain::isPlatformRole(d->actorRole());
    const QString ownOrganization =
        context.session ? context.session->user().organizationId : QString();
    for (const ResourceField &field : descriptor.fields) {
        if (!d->shows(field))
            continue;
        Private::Editor editor;
        editor.field = field;
        editor.widget = d->createEditor(field);
        editor.widget->setParent(page);
        editor.widget->setObjectName(field.name + u"Field"_s);
        editor.widget->setAccessibleName(field.label);
        editor.widget->setEnabled(d->editable(field) ||
                                  field.kind == FieldKind::ReadOnlyText); // copyable
        if (field.kind == FieldKind::Organization)
            editor.widget->setEnabled(false); // until the organizations arrive

        auto *cell = new QWidget(page);
        auto *cellLayout = new QVBoxLayout(cell);
        cellLayout->setContentsMargins(0, 0, 0, 0);
        cellLayout->setSpacing(2);
        editor.widget->setParent(cell);
        if (field.kind == FieldKind::Date && d->editable(field)) {
            // A date editor cannot be emptied by typing: "Clear" sets it back to not set.
            auto *row = new QHBoxLayout;
            row->addWidget(editor.widget, 1);
            auto *clear = new QToolButton(cell);
            clear->setText(tr("Clear"));
            clear->setObjectName(field.name + u"Clear"_s);
            clear->setAccessibleName(tr("Clear %1").arg(field.label));
            auto *dateEdit = static_cast<QDateEdit *>(editor.widget);
            connect(clear, &QToolButton::clicked, dateEdit,
                    [dateEdit] { dateEdit->setDate(dateEdit->minimumDate()); });
            row->addWidget(clear);
            cellLayout->addLayout(row);
        } else {
            cellLayout->addWidget(editor.widget);
        }
        editor.error = new QLabel(cell);
        editor.error->setObjectName(field.name + u"Error"_s);
        editor.error->setWordWrap(true);
        editor.error->setPalette(errorPalette(this));
        editor.error->hide();
        cellLayout->addWidget(editor.error);

        const QString labelText =
            field.required && d->editable(field) ? tr("%1 *").arg(field.label) : field.label;
        editor.label = new QLabel(labelText + u':', page);
        editor.label->setBuddy(editor.widget);
        if (field.required && d->editable(field))
            editor.label->setToolTip(tr("Required"));
        form->addRow(editor.label, cell);

        // Starting values: the object's, or the defaults of a new one.
        if (mode == Mode::Create) {
            QJsonValue initial;
            if (field.kind == FieldKind::Enum && !field.defaultValue.isEmpty())
                initial = field.defaultValue;
            else if (field.kind == FieldKind::Boolean)
                initial = field.defaultValue == u"true"_s;
            else if (field.kind == FieldKind::Organization && field.defaultsToOwnOrganization &&
                     !platform && !ownOrganization.isEmpty())
                initial = ownOrganization;
            d->editors.append(editor);
            d->setValue(d->editors.last(), initial);
        } else {
            d->editors.append(editor);
        }
    }
    if (mode != Mode::Create)
        d->applyObject(object, false);

    d->message = new QLabel(this);
    d->message->setObjectName(u"formMessage"_s);
    d->message->setWordWrap(true);
    d->message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    d->message->hide();
    outer->addWidget(d->message);

    auto *buttons = new QDialogButtonBox(this);
    if (mode == Mode::View) {
        QPushButton *close = buttons->addButton(QDialogButtonBox::Close);
        close->setObjectName(u"formCloseButton"_s);
        close->setDefault(true);
    } else {
        d->saveButton = buttons->addButton(QDialogButtonBox::Save);
        d->saveButton->setObjectName(u"formSaveButton"_s);
        d->saveButton->setText(mode == Mode::Create ? tr("&Create") : tr("&Save"));
        d->saveButton->setDefault(true);
        QPushButton *cancel = buttons->addButton(QDialogButtonBox::Cancel);
        cancel->setObjectName(u"formCancelButton"_s);
        if (mode == Mode::Edit && descriptor.lockable) {
            d->unlockButton = new QPushButton(tr("&Unlock account"), this);
            d->unlockButton->setObjectName(u"unlockButton"_s);
            d->unlockButton->setToolTip(
                tr("The account is locked after too many failed sign-ins."));
            d->unlockButton->setVisible(object.value(u"locked"_s).toBool());
            buttons->addButton(d->unlockButton, QDialogButtonBox::ActionRole);
            connect(d->unlockButton, &QPushButton::clicked, this, &ResourceFormDialog::unlock);
        }
        connect(d->saveButton, &QPushButton::clicked, this, &ResourceFormDialog::save);
    }
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    outer->addWidget(buttons);

    if (organizations) {
        connect(organizations, &OrganizationDirectory::loaded, this,
                [this] { d->populateOrganizations(); });
        connect(organizations, &OrganizationDirectory::loadFailed, this,
                [this](const client::ApiError &error) {
                    d->showMessage(
                        tr("The organizations could not be loaded: %1").arg(error.userMessage()),
                        true);
                });
        if (organizations->isLoaded())
            d->populateOrganizations();
        else
            organizations->load();
    }
    if (mode != Mode::Create && !d->objectId().isEmpty())
        d->loadDetail();

    // Tall enough for the whole form where the screen allows, wide enough for names.
    const QSize pageHint = page->sizeHint();
    const int chrome = fontMetrics().lineSpacing() * 6;
    int height = pageHint.height() + chrome;
    if (const QScreen *screen = this->screen())
        height = std::min(height, screen->availableGeometry().height() * 85 / 100);
    resize(std::max(pageHint.width() + fontMetrics().averageCharWidth() * 4,
                    fontMetrics().averageCharWidth() * 90),
           height);
}

ResourceFormDialog::~ResourceFormDialog() = default;

ResourceFormDialog::Mode ResourceFormDialog::mode() const
{
    return d->mode;
}

QJsonObject ResourceFormDialog::object() const
{
    return d->object;
}

QWidget *ResourceFormDialog::editor(const QString &field) const
{
    for (const Private::Editor &editor : d->editors)
        if (editor.field.name == field)
            return editor.widget;
    return nullptr;
}

bool ResourceFormDialog::isSaving() const
{
    return d->saving;
}

void ResourceFormDialog::setInitialValues(const QJsonObject &values)
{
    if (d->mode != Mode::Create)
        return;
    for (Private::Editor &editor : d->editors) {
        if (values.contains(editor.field.name) && d->editable(editor.field))
            d->setValue(editor, values.value(editor.field.name));
    }
}

QJsonObject ResourceFormDialog::body() const
{
    QJsonObject body;
    for (const Private::Editor &editor : d->editors) {
        if (!d->editable(editor.field))
            continue;
        const QJsonValue value = d->value(editor).value;
        if (d->mode == Mode::Create) {
            const bool unset = value.isNull() || (value.isArray() && value.toArray().isEmpty());
            if (!unset)
                body.insert(editor.field.name, value);
        } else if (normalized(editor.field, value) != normalized(editor.field, editor.baseline)) {
            body.insert(editor.field.name, value); // null clears
        }
    }
    return body;
}

void ResourceFormDialog::save()
{
    if (d->saving || d->mode == Mode::View)
        return;
    d->clearErrors();
    // Text that names no organization cannot be sent: say so where it was typed.
    bool local = false;
    for (Private::Editor &editor : d->editors) {
        if (!d->editable(editor.field))
            continue;
        const QString problem = d->value(editor).problem;
        if (!problem.isEmpty()) {
            editor.error->setText(problem);
            editor.error->show();
            if (!local)
                editor.widget->setFocus(Qt::OtherFocusReason);
            local = true;
        }
    }
    if (local)
        return;
    const QJsonObject request = body();
    if (d->mode == Mode::Edit && request.isEmpty()) {
        accept(); // nothing changed
        return;
    }
    d->setSaving(true);
    d->showMessage(tr("Saving…"), false);
    const bool creating = d->mode == Mode::Create;
    auto done = [this, creating](const client::ApiResult &result) {
        d->setSaving(false);
        if (!result.ok()) {
            d->showError(result.error); // everything typed stays in place
            return;
        }
        d->showMessage({}, false);
        d->object = result.json;
        Q_EMIT saved(result.json, creating);
        accept();
    };
    if (creating)
        d->context.api->post(d->descriptor.path, request, this, done);
    else
        d->context.api->patch(d->objectPath(), request, this, done);
}

void ResourceFormDialog::unlock()
{
    if (d->saving || d->mode != Mode::Edit || !d->descriptor.lockable)
        return;
    d->setSaving(true);
    d->showMessage(tr("Unlocking…"), false);
    d->context.api->patch(d->objectPath(), QJsonObject{{u"locked"_s, false}}, this,
                          [this](const client::ApiResult &result) {
                              d->setSaving(false);
                              if (!result.ok()) {
                                  d->showError(result.error);
                                  return;
                              }
                              d->applyObject(result.json, true);
                              d->showMessage(tr("The account is unlocked."), false);
                              Q_EMIT saved(result.json, false);
                          });
}

} // namespace md::ui
