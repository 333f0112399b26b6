#pragma once

#include "common/viewcontext.h"
#include "resourcedescriptor.h"

#include <QJsonObject>
#include <QWidget>
#include <memory>

class QTableView;

namespace md::ui {

class OrganizationDirectory;
class ResourceFormDialog;
class ResourceModel;

/// Browse, search, create and edit one kind of object (equipment, engineers,
/// organizations, users), generated from its ResourceDescriptor: a search field
/// ("<key>Search", searched on the server after a short pause), filter combos, the table
/// ("<key>Table", more rows load as it scrolls), "New…" ("<key>NewButton") and "Edit…"
/// ("<key>EditButton") — hidden when the role lacks the permission, Edit disabled for a
/// row the user may not change (or when several rows are selected) — the descriptor's
/// actions (their own objectNames), and the loading, empty and error states. Double-click
/// or Enter edits the row (or shows it read-only). With an event stream the table
/// follows "<entity>.created" / "<entity>.updated" live.
class ResourceView final : public QWidget
{
    Q_OBJECT
public:
    ResourceView(const ViewContext &context, const ResourceDescriptor &descriptor,
                 QWidget *parent = nullptr);
    ~ResourceView() override;

    const ResourceDescriptor &descriptor() const;
    const ViewContext &context() const;
    ResourceModel *model() const;
    QTableView *table() const;
    OrganizationDirectory *organizations() const;
    /// The form currently open, if any.
    ResourceFormDialog *openForm() const;

    /// The selected rows' objects, in the table's (sorted) order.
    QList<QJsonObject> selectedObjects() const;

    bool mayCreate() const;
    bool mayEdit(const QJsonObject &row) const;

public Q_SLOTS:
    void focusSearch();
    void reload();
    /// Opens the form for a new object (when the role may create).
    void createNew();
    /// Opens the form for the current row: editable when the user may change it,
    /// read-only otherwise.
    void openCurrent();

Q_SIGNALS:
    /// A form saved an object (tests and the main window's status bar).
    void saved(const QJsonObject &object, bool created);

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace md::ui
