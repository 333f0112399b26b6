#pragma once

#include "common/badges.h"
#include "domain/role.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QVariant>
#include <functional>
#include <optional>

namespace md::client {
struct SignedInUser;
}

namespace md::ui {

class ResourceView;

/// One value of an enumeration field or filter: the wire value and what the user reads.
struct ResourceOption
{
    QString value;
    QString label;
};

/// One column of a resource table. The text is, in order of preference, display(row),
/// the name of the organization whose id the field holds (organizationName), or the JSON
/// field written as text. Sorting uses sortValue(row) when given, otherwise the text.
struct ResourceColumn
{
    QString header;
    QString field;
    std::function<QString(const QJsonObject &)> display;
    std::function<QVariant(const QJsonObject &)> sortValue;
    /// Colours for the cell (level, status), from ui/common/badges.h.
    std::function<std::optional<BadgeStyle>(const QJsonObject &)> badge;
    bool organizationName = false;
    Qt::Alignment alignment = {};
};

/// What kind of editor a form field gets (ResourceFormDialog).
enum class FieldKind
{
    Text,
    Multiline,
    Password,
    Enum,          // options; a "not set" entry unless required
    Boolean,       // a check box
    Number,        // a decimal number, empty = not set
    Date,          // YYYY-MM-DD, "Not set" = null
    Organization,  // a searchable combo of organizations (organizationType narrows it)
    Organizations, // a checkable list of organizations: a list of ids
    StringList,    // a checkable list of options, or comma-separated text without options
    ReadOnlyText   // server-owned, shown when the object exists (the equipment's QR code)
};

/// One field of the create/edit form. The field's wire name is also its widgets' name:
/// the editor is "<name>Field" and the error label under it "<name>Error".
struct ResourceField
{
    QString name;
    QString label;
    FieldKind kind = FieldKind::Text;
    bool required = false;     // required on create (the server's read* functions say so)
    bool createOnly = false;   // shown but not editable once the object exists
    bool platformOnly = false; // only super_admin and admin see and set it
    QList<ResourceOption> options;
    QString defaultValue;     // Enum: preselected on create; Boolean: "true" checks it
    QString organizationType; // Organization(s): "hospital", "manufacturer", or any
    bool defaultsToOwnOrganization = false;
    /// Enum: may the signed-in role choose this value (users' roles: mayGrantRole)?
    std::function<bool(domain::Role actor, const QString &value)> optionAllowed;
    int maxLength = 0;
    QString placeholder;
};

/// A filter combo above the table: "All" plus the options, or the organizations (of a
/// type) when organization is set. Its value goes to the list endpoint as `param`.
struct ResourceFilter
{
    QString param;
    QString label;
    QString objectName;
    QList<ResourceOption> options;
    bool organization = false;
    QString organizationType;
    bool platformOnly = false;
};

/// A button beside New/Edit for something done with the selected rows, or with what the
/// view shows when none is selected (the equipment's "Print labels…"). Offered only to
/// roles holding the permission.
struct ResourceAction
{
    QString objectName;
    QString text; // with its mnemonic: "Print &labels…"
    QString toolTip;
    std::optional<domain::Permission> permission;
    /// `selected`: the selected rows' objects in the table's order (may be empty).
    std::function<void(ResourceView &view, const QList<QJsonObject> &selected)> trigger;
};

/// Everything the generic model, view and form need to know about one kind of object
/// served under API.md's list/create/get/patch pattern (see adminviews.cpp).
struct ResourceDescriptor
{
    QString key;      // "equipment": the objectName prefix ("equipmentTable", ...)
    QString path;     // "/v1/equipment"
    QString title;    // "Equipment"
    QString singular; // "equipment", "engineer": in "New engineer", "Edit engineer"
    QString searchPlaceholder;
    QString emptyMessage;   // nothing at all
    QString noMatchMessage; // nothing matches the search or filters
    /// Live events "<eventEntity>.created" / "<eventEntity>.updated"; empty: none.
    QString eventEntity;
    QList<ResourceColumn> columns;
    QList<ResourceField> fields;
    QList<ResourceFilter> filters;
    std::optional<domain::Permission> createPermission;
    std::optional<domain::Permission> editPermission;
    /// On top of editPermission: may this user change this row (their organization's)?
    std::function<bool(const client::SignedInUser &me, const QJsonObject &row)> mayEditRow;
    /// The object's detail carries "locked"; the form offers Unlock ({"locked": false}).
    bool lockable = false;
    /// The row's title in dialogs ("Edit engineer — Jane Doe").
    QString titleField = QStringLiteral("name");
    /// Buttons after New and Edit.
    QList<ResourceAction> actions;
    /// Several rows may be selected (Ctrl/Shift) for the actions; Edit still takes one.
    bool multiSelection = false;
};

} // namespace md::ui
