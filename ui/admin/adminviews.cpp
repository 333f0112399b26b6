#include "adminviews.h"

#include "domain/enums.h"
#include "domain/equipment.h"
#include "labels/labelsheetdialog.h"
#include "resourcemodel.h"
#include "resourceview.h"
#include "session.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QLocale>

using namespace Qt::StringLiterals;
using namespace md::domain;

namespace md::ui {

namespace {

class AdminViews
{
    Q_DECLARE_TR_FUNCTIONS(AdminViews)
};

QString labelOf(const QList<ResourceOption> &options, const QString &value)
{
    for (const ResourceOption &option : options)
        if (option.value == value)
            return option.label;
    return value;
}

// The position of the value in the options: enumerations sort in their own order
// (criticality low → life support), not alphabetically.
QVariant rankOf(const QList<ResourceOption> &options, const QString &value)
{
    for (qsizetype i = 0; i < options.size(); ++i)
        if (options.at(i).value == value)
            return int(i);
    return int(options.size());
}

QList<ResourceOption> categoryOptions()
{
    // Labels for the wire names of domain::knownCategories(); an unknown one shows as is.
    const QHash<QString, QString> labels{
        {u"mri"_s, AdminViews::tr("MRI")},
        {u"ct"_s, AdminViews::tr("CT")},
        {u"xray"_s, AdminViews::tr("X-ray")},
        {u"ultrasound"_s, AdminViews::tr("Ultrasound")},
        {u"ventilator"_s, AdminViews::tr("Ventilator")},
        {u"patient_monitor"_s, AdminViews::tr("Patient monitor")},
        {u"infusion_pump"_s, AdminViews::tr("Infusion pump")},
        {u"defibrillator"_s, AdminViews::tr("Defibrillator")},
        {u"dialysis"_s, AdminViews::tr("Dialysis")},
        {u"anesthesia"_s, AdminViews::tr("Anesthesia")},
        {u"ecg"_s, AdminViews::tr("ECG")},
        {u"lab_analyzer"_s, AdminViews::tr("Lab analyzer")},
        {u"mammography"_s, AdminViews::tr("Mammography")},
        {u"c_arm"_s, AdminViews::tr("C-arm")},
        {u"endoscopy"_s, AdminViews::tr("Endoscopy")},
        {u"incubator"_s, AdminViews::tr("Incubator")},
    };
    QList<ResourceOption> options;
    for (const QString &category : knownCategories())
        options.append({category, labels.value(category, category)});
    return options;
}

QList<ResourceOption> equipmentStatusOptions()
{
    return {{u"operational"_s, AdminViews::tr("Operational")},
            {u"degraded"_s, AdminViews::tr("Degraded")},
            {u"down"_s, AdminViews::tr("Down")},
            {u"maintenance"_s, AdminViews::tr("Maintenance")},
            {u"retired"_s, AdminViews::tr("Retired")}};
}

QList<ResourceOption> criticalityOptions()
{
    return {{u"low"_s, AdminViews::tr("Low")},
            {u"medium"_s, AdminViews::tr("Medium")},
            {u"high"_s, AdminViews::tr("High")},
            {u"life_support"_s, AdminViews::tr("Life support")}};
}

QList<ResourceOption> levelOptions()
{
    return {{u"L1"_s, AdminViews::tr("L1")},
            {u"L2"_s, AdminViews::tr("L2")},
            {u"L3"_s, AdminViews::tr("L3")}};
}

QList<ResourceOption> organizationTypeOptions()
{
    return {{u"hospital"_s, AdminViews::tr("Hospital")},
            {u"manufacturer"_s, AdminViews::tr("Manufacturer")},
            {u"authorized_partner"_s, AdminViews::tr("Authorized partner")},
            {u"service_provider"_s, AdminViews::tr("Service provider")}};
}

QList<ResourceOption> roleOptions()
{
    return {{u"super_admin"_s, AdminViews::tr("Super administrator")},
            {u"admin"_s, AdminViews::tr("Administrator")},
            {u"org_admin"_s, AdminViews::tr("Organization administrator")},
            {u"engineer"_s, AdminViews::tr("Engineer")},
            {u"customer"_s, AdminViews::tr("Customer")}};
}

QList<ResourceOption> yesNoOptions()
{
    return {{u"true"_s, AdminViews::tr("Yes")}, {u"false"_s, AdminViews::tr("No")}};
}

// A column showing an enumeration by its label, sorted in the enumeration's order.
ResourceColumn enumColumn(const QString &header, const QString &field,
                          const QList<ResourceOption> &options)
{
    ResourceColumn column{header, field};
    column.display = [options, field](const QJsonObject &row) {
        return labelOf(options, row.value(field).toString());
    };
    column.sortValue = [options, field](const QJsonObject &row) {
        return rankOf(options, row.value(field).toString());
    };
    return column;
}

ResourceColumn organizationColumn(const QString &header, const QString &field)
{
    ResourceColumn column{header, field};
    column.organizationName = true;
    return column;
}

ResourceField textField(const QString &name, const QString &label, int maxLength,
                        bool required = false)
{
    ResourceField field{name, label, FieldKind::Text};
    field.maxLength = maxLength;
    field.required = required;
    return field;
}

ResourceField enumField(const QString &name, const QString &label,
                        const QList<ResourceOption> &options, const QString &defaultValue,
                        bool required)
{
    ResourceField field{name, label, FieldKind::Enum};
    field.options = options;
    field.defaultValue = defaultValue;
    field.required = required;
    return field;
}

ResourceField organizationField(const QString &name, const QString &label, const QString &type,
                                bool required)
{
    ResourceField field{name, label, FieldKind::Organization};
    field.organizationType = type;
    field.required = required;
    return field;
}

ResourceField booleanField(const QString &name, const QString &label, bool defaultValue)
{
    ResourceField field{name, label, FieldKind::Boolean};
    field.defaultValue = defaultValue ? u"true"_s : u"false"_s;
    return field;
}

ResourceField dateField(const QString &name, const QString &label)
{
    return ResourceField{name, label, FieldKind::Date};
}

ResourceFilter optionFilter(const QString &param, const QString &label, const QString &objectName,
                            const QList<ResourceOption> &options)
{
    ResourceFilter filter;
    filter.param = param;
    filter.label = label;
    filter.objectName = objectName;
    filter.options = options;
    return filter;
}

ResourceFilter organizationFilter(const QString &label, const QString &objectName,
                                  const QString &type, bool platformOnly)
{
    ResourceFilter filter;
    filter.param = u"organization_id"_s;
    filter.label = label;
    filter.objectName = objectName;
    filter.organization = true;
    filter.organizationType = type;
    filter.platformOnly = platformOnly;
    return filter;
}

// "Print labels…": the selected equipment, or every piece of the hospital the view is
// filtered to (the user's own, or the first, when it is not filtered). One dialog per
// view: a second click brings it back instead of opening another.
void openLabelSheet(ResourceView &view, const QList<QJsonObject> &selected)
{
    auto *dialog = view.findChild<LabelSheetDialog *>(QString(), Qt::FindDirectChildrenOnly);
    if (!dialog) {
        dialog = new LabelSheetDialog(view.context(), &view);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
    }
    if (!dialog->isBusy()) {
        if (selected.isEmpty())
            dialog->setHospital(view.model()->filter(u"organization_id"_s));
        else
            dialog->setEquipment(selected);
    }
    dialog->show();
    dialog->raise();
    dialog->activateWindow();
}

// Equipment and engineers belong to one organization: the platform roles change any,
// an org_admin only their own organization's (the controllers' authorizeChange).
bool ownsRow(const client::SignedInUser &me, const QJsonObject &row)
{
    return isPlatformRole(me.role) ||
           (!me.organizationId.isEmpty() &&
            row.value(u"organization_id"_s).toString() == me.organizationId);
}

} // namespace

ResourceDescriptor equipmentDescriptor()
{
    ResourceDescriptor d;
    d.key = u"equipment"_s;
    d.path = u"/v1/equipment"_s;
    d.title = AdminViews::tr("Equipment");
    d.singular = AdminViews::tr("equipment");
    d.searchPlaceholder = AdminViews::tr("Search name, model, serial number…");
    d.emptyMessage = AdminViews::tr("No equipment yet.");
    d.noMatchMessage = AdminViews::tr("No equipment matches the search or filters.");
    d.eventEntity = u"equipment"_s;

    const QList<ResourceOption> categories = categoryOptions();
    const QList<ResourceOption> statuses = equipmentStatusOptions();
    const QList<ResourceOption> criticalities = criticalityOptions();
    ResourceColumn covered{AdminViews::tr("Covered"), u"under_coverage"_s};
    covered.display = [](const QJsonObject &row) {
        return row.value(u"under_coverage"_s).toBool() ? AdminViews::tr("Warranty or contract")
                                                       : AdminViews::tr("Not covered");
    };
    d.columns = {
        ResourceColumn{AdminViews::tr("Name"), u"name"_s},
        ResourceColumn{AdminViews::tr("Model"), u"model"_s},
        ResourceColumn{AdminViews::tr("Serial number"), u"serial_number"_s},
        enumColumn(AdminViews::tr("Category"), u"category"_s, categories),
        organizationColumn(AdminViews::tr("Hospital"), u"organization_id"_s),
        organizationColumn(AdminViews::tr("Manufacturer"), u"manufacturer_id"_s),
        ResourceColumn{AdminViews::tr("Department"), u"department"_s},
        enumColumn(AdminViews::tr("Status"), u"status"_s, statuses),
        enumColumn(AdminViews::tr("Criticality"), u"criticality"_s, criticalities),
        covered,
    };

    ResourceField hospital =
        organizationField(u"organization_id"_s, AdminViews::tr("Hospital"), u"hospital"_s, true);
    hospital.defaultsToOwnOrganization = true;
    ResourceField qr{u"qr_code"_s, AdminViews::tr("QR label code"), FieldKind::ReadOnlyText};
    ResourceField gtin = textField(u"gtin"_s, AdminViews::tr("GTIN (UDI)"), 14);
    gtin.placeholder = AdminViews::tr("14 digits, optional");
    d.fields = {
        textField(u"name"_s, AdminViews::tr("Name"), 200, true),
        hospital,
        organizationField(u"manufacturer_id"_s, AdminViews::tr("Manufacturer"), u"manufacturer"_s,
                          true),
        textField(u"model"_s, AdminViews::tr("Model"), 200),
        textField(u"serial_number"_s, AdminViews::tr("Serial number"), 100, true),
        enumField(u"category"_s, AdminViews::tr("Category"), categories, {}, true),
        textField(u"department"_s, AdminViews::tr("Department"), 120),
        textField(u"room"_s, AdminViews::tr("Room"), 120),
        dateField(u"install_date"_s, AdminViews::tr("Installed on")),
        dateField(u"warranty_end"_s, AdminViews::tr("Warranty ends")),
        dateField(u"service_contract_end"_s, AdminViews::tr("Service contract ends")),
        enumField(u"criticality"_s, AdminViews::tr("Criticality"), criticalities, u"medium"_s,
                  false),
        enumField(u"status"_s, AdminViews::tr("Status"), statuses, u"operational"_s, false),
        gtin,
        qr,
    };
    d.filters = {
        organizationFilter(AdminViews::tr("Hospital"), u"equipmentOrganizationFilter"_s,
                           u"hospital"_s, true),
        optionFilter(u"category"_s, AdminViews::tr("Category"), u"equipmentCategoryFilter"_s,
                     categories),
        optionFilter(u"status"_s, AdminViews::tr("Status"), u"equipmentStatusFilter"_s, statuses),
    };
    d.createPermission = Permission::EquipmentWrite;
    d.editPermission = Permission::EquipmentWrite;
    d.mayEditRow = &ownsRow;

    ResourceAction labels;
    labels.objectName = u"equipmentPrintLabelsButton"_s;
    labels.text = AdminViews::tr("Print &labels…");
    labels.toolTip = AdminViews::tr("QR labels for the selected equipment, or for a whole "
                                    "hospital when nothing is selected");
    labels.permission = Permission::EquipmentRead; // everyone who sees the view
    labels.trigger = &openLabelSheet;
    d.actions = {labels};
    d.multiSelection = true;
    return d;
}

ResourceDescriptor engineersDescriptor()
{
    ResourceDescriptor d;
    d.key = u"engineers"_s;
    d.path = u"/v1/engineers"_s;
    d.title = AdminViews::tr("Engineers");
    d.singular = AdminViews::tr("engineer");
    d.searchPlaceholder = AdminViews::tr("Search engineers by name…");
    d.emptyMessage = AdminViews::tr("No engineers yet.");
    d.noMatchMessage = AdminViews::tr("No engineer matches the search or filters.");
    d.eventEntity = u"engineer"_s;

    const QList<ResourceOption> categories = categoryOptions();
    const QList<ResourceOption> levels = levelOptions();
    ResourceColumn level = enumColumn(AdminViews::tr("Level"), u"level"_s, levels);
    level.badge = [](const QJsonObject &row) -> std::optional<BadgeStyle> {
        if (const auto l = parseEngineerLevel(row.value(u"level"_s).toString()))
            return levelBadge(*l);
        return std::nullopt;
    };
    level.alignment = Qt::AlignHCenter;
    ResourceColumn kinds{AdminViews::tr("Equipment types"), u"categories"_s};
    kinds.display = [categories](const QJsonObject &row) {
        QStringList labels;
        for (const QJsonValue &c : row.value(u"categories"_s).toArray())
            labels.append(labelOf(categories, c.toString()));
        return labels.join(u", "_s);
    };
    ResourceColumn open{AdminViews::tr("Open assignments"), u"open_assignments"_s};
    open.sortValue = [](const QJsonObject &row) {
        return row.value(u"open_assignments"_s).toInt();
    };
    open.alignment = Qt::AlignRight;
    d.columns = {
        ResourceColumn{AdminViews::tr("Name"), u"name"_s},
        level,
        organizationColumn(AdminViews::tr("Organization"), u"organization_id"_s),
        kinds,
        ResourceColumn{AdminViews::tr("Phone"), u"phone"_s},
        ResourceColumn{AdminViews::tr("E-mail"), u"email"_s},
        open,
        ResourceColumn{AdminViews::tr("Active"), u"active"_s},
    };

    ResourceField organization =
        organizationField(u"organization_id"_s, AdminViews::tr("Organization"), QString(), true);
    organization.defaultsToOwnOrganization = true;
    ResourceField makers{u"manufacturer_ids"_s, AdminViews::tr("Manufacturers"),
                         FieldKind::Organizations};
    makers.organizationType = u"manufacturer"_s;
    ResourceField types{u"categories"_s, AdminViews::tr("Equipment types"), FieldKind::StringList};
    types.options = categories;
    d.fields = {
        textField(u"name"_s, AdminViews::tr("Name"), 200, true),
        organization,
        enumField(u"level"_s, AdminViews::tr("Level"), levels, u"L1"_s, true),
        makers,
        types,
        textField(u"phone"_s, AdminViews::tr("Phone"), 32),
        textField(u"email"_s, AdminViews::tr("E-mail"), 254),
        booleanField(u"active"_s, AdminViews::tr("Active"), true),
    };
    d.filters = {
        organizationFilter(AdminViews::tr("Organization"), u"engineersOrganizationFilter"_s,
                           QString(), false),
        optionFilter(u"level"_s, AdminViews::tr("Level"), u"engineersLevelFilter"_s, levels),
        optionFilter(u"category"_s, AdminViews::tr("Equipment type"), u"engineersCategoryFilter"_s,
                     categories),
        optionFilter(u"active"_s, AdminViews::tr("Active"), u"engineersActiveFilter"_s,
                     yesNoOptions()),
    };
    d.createPermission = Permission::EngineersWrite;
    d.editPermission = Permission::EngineersWrite;
    d.mayEditRow = &ownsRow;
    return d;
}

ResourceDescriptor organizationsDescriptor()
{
    ResourceDescriptor d;
    d.key = u"organizations"_s;
    d.path = u"/v1/organizations"_s;
    d.title = AdminViews::tr("Organizations");
    d.singular = AdminViews::tr("organization");
    d.searchPlaceholder = AdminViews::tr("Search organizations…");
    d.emptyMessage = AdminViews::tr("No organizations yet.");
    d.noMatchMessage = AdminViews::tr("No organization matches the search or filters.");
    d.eventEntity = u"organization"_s;

    const QList<ResourceOption> types = organizationTypeOptions();
    d.columns = {
        ResourceColumn{AdminViews::tr("Name"), u"name"_s},
        enumColumn(AdminViews::tr("Type"), u"type"_s, types),
        ResourceColumn{AdminViews::tr("City"), u"city"_s},
        ResourceColumn{AdminViews::tr("Country"), u"country"_s},
        ResourceColumn{AdminViews::tr("Phone"), u"phone"_s},
        ResourceColumn{AdminViews::tr("E-mail"), u"email"_s},
        ResourceColumn{AdminViews::tr("Active"), u"active"_s},
    };

    ResourceField type = enumField(u"type"_s, AdminViews::tr("Type"), types, u"hospital"_s, true);
    type.createOnly = true; // the server refuses to change it once the organization exists
    ResourceField address{u"address"_s, AdminViews::tr("Address"), FieldKind::Multiline};
    address.maxLength = 300;
    ResourceField country = textField(u"country"_s, AdminViews::tr("Country"), 2);
    country.placeholder = AdminViews::tr("Two-letter code, e.g. DE");
    d.fields = {
        textField(u"name"_s, AdminViews::tr("Name"), 200, true),
        type,
        address,
        textField(u"city"_s, AdminViews::tr("City"), 120),
        country,
        textField(u"phone"_s, AdminViews::tr("Phone"), 32),
        textField(u"email"_s, AdminViews::tr("E-mail"), 254),
        booleanField(u"active"_s, AdminViews::tr("Active"), true),
    };
    d.filters = {
        optionFilter(u"type"_s, AdminViews::tr("Type"), u"organizationsTypeFilter"_s, types),
    };
    d.createPermission = Permission::OrganizationsCreate;
    d.editPermission = Permission::OrganizationsUpdate;
    d.mayEditRow = [](const client::SignedInUser &me, const QJsonObject &row) {
        return isPlatformRole(me.role) ||
               (!me.organizationId.isEmpty() && row.value(u"id"_s).toString() == me.organizationId);
    };
    return d;
}

ResourceDescriptor usersDescriptor()
{
    ResourceDescriptor d;
    d.key = u"users"_s;
    d.path = u"/v1/users"_s;
    d.title = AdminViews::tr("Users");
    d.singular = AdminViews::tr("user");
    d.searchPlaceholder = AdminViews::tr("Search name, e-mail, phone…");
    d.emptyMessage = AdminViews::tr("No users yet.");
    d.noMatchMessage = AdminViews::tr("No user matches the search or filters.");
    d.lockable = true;

    const QList<ResourceOption> roles = roleOptions();
    ResourceColumn lastLogin{AdminViews::tr("Last sign-in"), u"last_login_at"_s};
    lastLogin.display = [](const QJsonObject &row) {
        const QDateTime at =
            QDateTime::fromString(row.value(u"last_login_at"_s).toString(), Qt::ISODateWithMs);
        return at.isValid() ? QLocale().toString(at.toLocalTime(), QLocale::ShortFormat)
                            : AdminViews::tr("Never");
    };
    lastLogin.sortValue = [](const QJsonObject &row) {
        return row.value(u"last_login_at"_s).toString(); // RFC 3339 UTC sorts as text
    };
    d.columns = {
        ResourceColumn{AdminViews::tr("Name"), u"name"_s},
        ResourceColumn{AdminViews::tr("E-mail"), u"email"_s},
        ResourceColumn{AdminViews::tr("Phone"), u"phone"_s},
        enumColumn(AdminViews::tr("Role"), u"role"_s, roles),
        organizationColumn(AdminViews::tr("Organization"), u"organization_id"_s),
        ResourceColumn{AdminViews::tr("Active"), u"active"_s},
        lastLogin,
    };

    ResourceField role = enumField(u"role"_s, AdminViews::tr("Role"), roles, u"customer"_s, true);
    role.optionAllowed = [](Role actor, const QString &value) {
        const auto granted = parseRole(value);
        return granted && mayGrantRole(actor, *granted);
    };
    // An org_admin's users are always of their own organization: the server places them.
    ResourceField organization =
        organizationField(u"organization_id"_s, AdminViews::tr("Organization"), QString(), false);
    organization.platformOnly = true;
    ResourceField email = textField(u"email"_s, AdminViews::tr("E-mail"), 254);
    ResourceField phone = textField(u"phone"_s, AdminViews::tr("Phone"), 32);
    phone.placeholder = AdminViews::tr("International format, e.g. +4930123456");
    ResourceField password{u"password"_s, AdminViews::tr("Initial password"), FieldKind::Password};
    password.placeholder = AdminViews::tr("Optional: the user can sign in with a code instead");
    d.fields = {
        textField(u"name"_s, AdminViews::tr("Name"), 200, true),
        email,
        phone,
        role,
        organization,
        booleanField(u"active"_s, AdminViews::tr("Active"), true),
        password,
    };
    d.filters = {
        organizationFilter(AdminViews::tr("Organization"), u"usersOrganizationFilter"_s, QString(),
                           true),
        optionFilter(u"role"_s, AdminViews::tr("Role"), u"usersRoleFilter"_s, roles),
        optionFilter(u"active"_s, AdminViews::tr("Active"), u"usersActiveFilter"_s, yesNoOptions()),
    };
    d.createPermission = Permission::UsersWrite;
    d.editPermission = Permission::UsersWrite;
    // Changing a user needs the right to give their role (the server's PATCH check).
    d.mayEditRow = [](const client::SignedInUser &me, const QJsonObject &row) {
        const auto rowRole = parseRole(row.value(u"role"_s).toString());
        return rowRole && mayGrantRole(me.role, *rowRole) && ownsRow(me, row);
    };
    return d;
}

ResourceView *createEquipmentView(const ViewContext &context, QWidget *parent)
{
    return new ResourceView(context, equipmentDescriptor(), parent);
}

ResourceView *createEngineersView(const ViewContext &context, QWidget *parent)
{
    return new ResourceView(context, engineersDescriptor(), parent);
}

ResourceView *createOrganizationsView(const ViewContext &context, QWidget *parent)
{
    return new ResourceView(context, organizationsDescriptor(), parent);
}

ResourceView *createUsersView(const ViewContext &context, QWidget *parent)
{
    return new ResourceView(context, usersDescriptor(), parent);
}

} // namespace md::ui
