#include "newticketdialog.h"

#include "apiclient.h"
#include "common/badges.h"
#include "session.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using namespace md::domain;

namespace md::ui {

namespace {

constexpr int SearchDebounceMs = 250;
constexpr int EquipmentResults = 50;

QString equipmentText(const QJsonObject &e)
{
    QString text = e.value("name"_L1).toString();
    const QString model = e.value("model"_L1).toString();
    const QString serial = e.value("serial_number"_L1).toString();
    if (!model.isEmpty())
        text = QString(text % u" · "_s % model);
    if (!serial.isEmpty())
        text = NewTicketDialog::tr("%1 (serial %2)").arg(text, serial);
    return text;
}

} // namespace

NewTicketDialog::NewTicketDialog(const ViewContext &context, QWidget *parent)
    : QDialog(parent), m_context(context)
{
    setWindowTitle(tr("New ticket"));
    setObjectName(u"newTicketDialog"_s);
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);

    // A field with its error line under it.
    const auto addField = [&](const QString &label, QWidget *field, const QString &wire,
                              QWidget *extra = nullptr) {
        auto *box = new QWidget(this);
        auto *boxLayout = new QVBoxLayout(box);
        boxLayout->setContentsMargins(0, 0, 0, 0);
        boxLayout->setSpacing(2);
        if (extra)
            boxLayout->addWidget(extra);
        boxLayout->addWidget(field);
        auto *error = new QLabel(box);
        error->setObjectName(field->objectName() + u"Error"_s);
        error->setWordWrap(true);
        QPalette palette = error->palette();
        palette.setColor(QPalette::WindowText, slaBadge(u"breached"_s).background);
        error->setPalette(palette);
        error->hide();
        boxLayout->addWidget(error);
        auto *caption = new QLabel(label, this);
        caption->setBuddy(extra ? extra : field);
        form->addRow(caption, box);
        m_fieldErrors.insert(wire, error);
        m_fieldWidgets.insert(wire, field);
    };

    m_equipmentSearch = new QLineEdit(this);
    m_equipmentSearch->setObjectName(u"newTicketEquipmentSearch"_s);
    m_equipmentSearch->setPlaceholderText(tr("Search by name, model or serial number"));
    m_equipmentSearch->setAccessibleName(tr("Search equipment"));
    m_equipmentSearch->setClearButtonEnabled(true);
    m_equipment = new QComboBox(this);
    m_equipment->setObjectName(u"newTicketEquipment"_s);
    m_equipment->setAccessibleName(tr("Equipment"));
    m_equipment->setPlaceholderText(tr("Choose the equipment"));
    m_equipment->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_equipment->setMinimumContentsLength(40);
    addField(tr("&Equipment:"), m_equipment, u"equipment_id"_s, m_equipmentSearch);

    m_title = new QLineEdit(this);
    m_title->setObjectName(u"newTicketTitle"_s);
    m_title->setAccessibleName(tr("Title"));
    m_title->setMaxLength(200);
    m_title->setPlaceholderText(tr("What is wrong, in a few words"));
    addField(tr("&Title:"), m_title, u"title"_s);

    m_description = new QPlainTextEdit(this);
    m_description->setObjectName(u"newTicketDescription"_s);
    m_description->setAccessibleName(tr("Description"));
    m_description->setTabChangesFocus(true);
    m_description->setPlaceholderText(tr("What happened, error codes, what was tried"));
    addField(tr("&Description:"), m_description, u"description"_s);

    m_priority = new QComboBox(this);
    m_priority->setObjectName(u"newTicketPriority"_s);
    m_priority->setAccessibleName(tr("Priority"));
    for (int i = 0; i <= int(Priority::Low); ++i)
        m_priority->addItem(priorityBadge(Priority(i)).text, toString(Priority(i)));
    m_priority->setCurrentIndex(int(Priority::Normal));
    addField(tr("&Priority:"), m_priority, u"priority"_s);

    m_reporterName = new QLineEdit(this);
    m_reporterName->setObjectName(u"newTicketReporterName"_s);
    m_reporterName->setAccessibleName(tr("Reporter name"));
    m_reporterContact = new QLineEdit(this);
    m_reporterContact->setObjectName(u"newTicketReporterContact"_s);
    m_reporterContact->setAccessibleName(tr("Reporter contact"));
    m_reporterContact->setPlaceholderText(tr("Phone or e-mail"));
    if (context.session) {
        const client::SignedInUser &user = context.session->user();
        m_reporterName->setText(user.name);
        m_reporterContact->setText(user.phone.isEmpty() ? user.email : user.phone);
    }
    addField(tr("&Reported by:"), m_reporterName, u"reporter_name"_s);
    addField(tr("&Contact:"), m_reporterContact, u"reporter_contact"_s);
    layout->addLayout(form);

    m_error = new QLabel(this);
    m_error->setObjectName(u"newTicketError"_s);
    m_error->setWordWrap(true);
    QPalette palette = m_error->palette();
    palette.setColor(QPalette::WindowText, slaBadge(u"breached"_s).background);
    m_error->setPalette(palette);
    m_error->hide();
    layout->addWidget(m_error);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_submit = m_buttons->addButton(tr("&Create ticket"), QDialogButtonBox::AcceptRole);
    m_submit->setObjectName(u"newTicketSubmit"_s);
    m_submit->setDefault(true);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &NewTicketDialog::submit);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    m_searchDebounce = new QTimer(this);
    m_searchDebounce->setSingleShot(true);
    m_searchDebounce->setInterval(SearchDebounceMs);
    connect(m_equipmentSearch, &QLineEdit::textChanged, m_searchDebounce,
            qOverload<>(&QTimer::start));
    connect(m_searchDebounce, &QTimer::timeout, this, &NewTicketDialog::searchEquipment);

    m_equipmentSearch->setFocus();
    searchEquipment();
}

NewTicketDialog::~NewTicketDialog() = default;

void NewTicketDialog::preselectEquipment(const QJsonObject &equipment)
{
    m_wantedEquipment = equipment.value("id"_L1).toString();
    const int at = m_equipment->findData(m_wantedEquipment);
    if (at >= 0)
        m_equipment->setCurrentIndex(at);
    const QString serial = equipment.value("serial_number"_L1).toString();
    m_equipmentSearch->setText(serial.isEmpty() ? equipment.value("name"_L1).toString() : serial);
}

void NewTicketDialog::searchEquipment()
{
    if (!m_context.api)
        return;
    QUrlQuery query;
    const QString q = m_equipmentSearch->text().trimmed();
    if (!q.isEmpty())
        query.addQueryItem(u"q"_s, q);
    // Below the platform roles a ticket may only name the caller's own equipment.
    if (m_context.session && !isPlatformRole(m_context.session->user().role) &&
        !m_context.session->user().organizationId.isEmpty())
        query.addQueryItem(u"organization_id"_s, m_context.session->user().organizationId);
    query.addQueryItem(u"limit"_s, QString::number(EquipmentResults));
    const quint64 generation = ++m_searchGeneration;
    m_context.api->get(
        u"/v1/equipment"_s, query, this, [this, generation](const client::ApiResult &result) {
            if (generation != m_searchGeneration)
                return;
            if (!result.ok()) {
                QLabel *error = errorLabel(u"equipment_id"_s);
                error->setText(tr("The equipment list could not be loaded: %1")
                                   .arg(result.error.userMessage()));
                error->show();
                return;
            }
            // Keep the chosen equipment when it is among the new results.
            const QString chosen = m_equipment->currentData().toString();
            const QString wanted = m_wantedEquipment.isEmpty() ? chosen : m_wantedEquipment;
            m_equipment->clear();
            for (const QJsonValue &value : result.json.value("data"_L1).toArray()) {
                const QJsonObject e = value.toObject();
                m_equipment->addItem(equipmentText(e), e.value("id"_L1).toString());
            }
            m_equipment->setCurrentIndex(wanted.isEmpty() ? -1 : m_equipment->findData(wanted));
            if (m_equipment->currentIndex() >= 0)
                m_wantedEquipment.clear();
        });
}

QLabel *NewTicketDialog::errorLabel(const QString &field)
{
    return m_fieldErrors.value(field, m_error);
}

void NewTicketDialog::clearErrors()
{
    for (QLabel *label : std::as_const(m_fieldErrors)) {
        label->clear();
        label->hide();
    }
    m_error->clear();
    m_error->hide();
}

void NewTicketDialog::showFieldErrors(const QJsonObject &fields)
{
    QWidget *first = nullptr;
    QStringList other;
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        const QString problem = it.value().toString();
        if (QLabel *label = m_fieldErrors.value(it.key())) {
            label->setText(problem);
            label->show();
            if (!first)
                first = m_fieldWidgets.value(it.key());
        } else {
            other.append(tr("%1: %2").arg(it.key(), problem));
        }
    }
    if (!other.isEmpty()) {
        m_error->setText(other.join(u'\n'));
        m_error->show();
    }
    if (first)
        first->setFocus(Qt::OtherFocusReason);
}

void NewTicketDialog::submit()
{
    if (m_submitting || !m_context.api)
        return;
    clearErrors();
    QJsonObject body{{u"title"_s, m_title->text()},
                     {u"description"_s, m_description->toPlainText()},
                     {u"priority"_s, m_priority->currentData().toString()},
                     {u"channel"_s, u"desk"_s}};
    const QString equipmentId = m_equipment->currentData().toString();
    if (!equipmentId.isEmpty())
        body.insert(u"equipment_id"_s, equipmentId);
    if (!m_reporterName->text().trimmed().isEmpty())
        body.insert(u"reporter_name"_s, m_reporterName->text().trimmed());
    if (!m_reporterContact->text().trimmed().isEmpty())
        body.insert(u"reporter_contact"_s, m_reporterContact->text().trimmed());
    m_submitting = true;
    m_submit->setEnabled(false);
    m_submit->setText(tr("Creating…"));
    m_context.api->post(u"/v1/tickets"_s, body, this, [this](const client::ApiResult &result) {
        m_submitting = false;
        m_submit->setEnabled(true);
        m_submit->setText(tr("&Create ticket"));
        if (result.ok()) {
            Q_EMIT created(result.json);
            accept();
            return;
        }
        // Everything typed stays; the problems appear where they are.
        const QJsonObject fields = result.error.fields();
        if (result.error.status == 422 && !fields.isEmpty()) {
            showFieldErrors(fields);
        } else {
            m_error->setText(result.error.userMessage());
            m_error->show();
        }
    });
}

} // namespace md::ui
