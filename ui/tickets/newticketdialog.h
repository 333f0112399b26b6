#pragma once

#include "common/viewcontext.h"

#include <QDialog>
#include <QHash>
#include <QJsonObject>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTimer;

namespace md::ui {

/// "New ticket": the equipment (searched on the server among what the caller may report
/// on), title, description, priority and the reporter's name and contact, sent as
/// POST /v1/tickets. The server's 422 field errors appear under their fields and every
/// value stays as typed; on success created() carries the stored ticket and the dialog
/// closes.
class NewTicketDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit NewTicketDialog(const ViewContext &context, QWidget *parent = nullptr);
    ~NewTicketDialog() override;

    /// Chooses this equipment (its GET /v1/equipment JSON, e.g. from a QR scan): searches
    /// for it by serial number (or name), so that it is among the results however much
    /// equipment the user may report on, and selects it when the results arrive.
    void preselectEquipment(const QJsonObject &equipment);

Q_SIGNALS:
    void created(const QJsonObject &ticket);

private:
    void searchEquipment();
    void submit();
    void showFieldErrors(const QJsonObject &fields);
    void clearErrors();
    QLabel *errorLabel(const QString &field);

    ViewContext m_context;
    QLineEdit *m_equipmentSearch = nullptr;
    QComboBox *m_equipment = nullptr;
    QLineEdit *m_title = nullptr;
    QPlainTextEdit *m_description = nullptr;
    QComboBox *m_priority = nullptr;
    QLineEdit *m_reporterName = nullptr;
    QLineEdit *m_reporterContact = nullptr;
    QLabel *m_error = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QPushButton *m_submit = nullptr;
    QTimer *m_searchDebounce = nullptr;
    QHash<QString, QLabel *> m_fieldErrors; // wire field name -> its label
    QHash<QString, QWidget *> m_fieldWidgets;
    QString m_wantedEquipment;
    quint64 m_searchGeneration = 0;
    bool m_submitting = false;
};

} // namespace md::ui
