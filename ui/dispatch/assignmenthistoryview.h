#pragma once

#include "common/viewcontext.h"

#include <QWidget>
#include <memory>

namespace md::ui {

/// A ticket's assignment history (GET /v1/tickets/{id}/assignments/history) as a
/// timeline: connecting lines, status badges (active green, completed blue, reassigned
/// yellow, cancelled red), tier badges, times, reasons, who assigned, and the summary
/// counts; loading, empty and error states. Reloads itself on live events about the
/// ticket ("assignment.created", "assignment.updated", "ticket.updated").
class AssignmentHistoryView final : public QWidget
{
    Q_OBJECT
public:
    explicit AssignmentHistoryView(const ViewContext &context, QWidget *parent = nullptr);
    ~AssignmentHistoryView() override;

    void showTicket(const QString &ticketId);
    void reload();
    QString ticketId() const;

Q_SIGNALS:
    /// Emitted after each load completes (tests wait on it).
    void loaded();

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace md::ui
