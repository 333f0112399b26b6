#pragma once

#include "common/viewcontext.h"

#include <QDialog>
#include <QJsonObject>
#include <memory>

namespace md::ui {

/// "Assign engineer": the ranked suggestions for one ticket
/// (GET /v1/engineers/suggestions?ticket_id=), each with its colour-coded match score,
/// level and tier badges, certification indicator, "Recommended" on the top match,
/// organization, contact, equipment types and the score breakdown on demand. One click
/// assigns (POST /v1/tickets/{id}/assign); when the ticket already has an engineer the
/// dialog asks for a reason first. Loading, empty and error (with retry) states.
class EngineerSelectionDialog final : public QDialog
{
    Q_OBJECT
public:
    /// reassigning: the ticket has an active assignment (a reason is required).
    EngineerSelectionDialog(const ViewContext &context, const QString &ticketId, bool reassigning,
                            QWidget *parent = nullptr);
    ~EngineerSelectionDialog() override;

Q_SIGNALS:
    /// The server accepted the assignment: its JSON (with "ticket": the updated ticket).
    void assigned(const QJsonObject &assignment);

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace md::ui
