#pragma once

#include "common/viewcontext.h"
#include "resourcedescriptor.h"

#include <QDialog>
#include <QJsonObject>
#include <memory>

namespace md::ui {

class OrganizationDirectory;

/// The create / edit form of one object, generated from its descriptor's fields
/// (QFormLayout; each editor is "<field>Field"). Creating POSTs every field that is set;
/// editing PATCHes only what changed. A 422 puts each field's problem in red under that
/// field ("<field>Error"), a 409, 403 or an unreachable server go to "formMessage", and
/// whatever was typed stays. Organization references are searchable combos over the
/// OrganizationDirectory. For a lockable object (users) an "Unlock" button
/// ("unlockButton") appears while the account is locked. View mode shows the object
/// read-only, for users who may not change it.
class ResourceFormDialog final : public QDialog
{
    Q_OBJECT
public:
    enum class Mode
    {
        Create,
        Edit,
        View
    };

    ResourceFormDialog(const ViewContext &context, const ResourceDescriptor &descriptor,
                       OrganizationDirectory *organizations, Mode mode,
                       const QJsonObject &object = {}, QWidget *parent = nullptr);
    ~ResourceFormDialog() override;

    Mode mode() const;
    /// The object as last loaded or saved (empty when creating).
    QJsonObject object() const;
    /// What Save would send: every set field when creating, the changed ones when editing.
    QJsonObject body() const;
    /// The editor of a field, null when the form shows none for it.
    QWidget *editor(const QString &field) const;
    bool isSaving() const;
    /// Create mode: starting values for fields the form shows (a new equipment prefilled
    /// from a scanned UDI: serial_number, gtin). Fields not named keep their defaults.
    void setInitialValues(const QJsonObject &values);

public Q_SLOTS:
    void save();
    /// PATCH {"locked": false} (lockable objects).
    void unlock();

Q_SIGNALS:
    /// The server stored the object (Save, or Unlock): its JSON as the server returned it.
    void saved(const QJsonObject &object, bool created);
    /// The object's current state arrived (GET of the object when editing or viewing).
    void detailLoaded();

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace md::ui
