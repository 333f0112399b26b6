// The tickets view against a real server with the demo data, driven like a user: the
// table loads, filters and search narrow it, a selected ticket shows its detail, a status
// button moves it on, "New ticket" (Ctrl+N) creates one and shows the server's field
// errors in place, live events add rows, and a hospital customer gets no assign button.

#include "common/badges.h"
#include "common/statewidget.h"
#include "dispatch/engineerselectiondialog.h"
#include "guitestsupport.h"
#include "tickets/newticketdialog.h"
#include "tickets/ticketdetailview.h"
#include "tickets/ticketfiltermodel.h"
#include "tickets/ticketmodel.h"
#include "tickets/ticketsview.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;
using md::test::GuiFixture;
using md::ui::BadgeLabel;
using md::ui::NewTicketDialog;
using md::ui::TicketDetailView;
using md::ui::TicketModel;
using md::ui::TicketsView;

namespace {

constexpr int TimeoutMs = 15000;

template <typename T> T *child(QObject *parent, const QString &name)
{
    return parent->findChild<T *>(name);
}

} // namespace

class TestGuiTickets final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<GuiFixture> m_fixture;
    std::unique_ptr<TicketsView> m_view;

    md::test::HttpClient &http() { return m_fixture->server().client(); }

    qint64 serverTotal(const QString &query = {})
    {
        const auto reply = http().get(u"/v1/tickets?limit=1&"_s + query);
        return reply.json.value(u"page"_s).toObject().value(u"total"_s).toInteger(-1);
    }

    QJsonObject serverTicket(const QString &query)
    {
        const auto reply = http().get(u"/v1/tickets?limit=1&"_s + query);
        const QJsonArray data = reply.json.value(u"data"_s).toArray();
        return data.isEmpty() ? QJsonObject() : data.first().toObject();
    }

    QJsonObject firstOf(const QString &pathAndQuery)
    {
        const QJsonArray data = http().get(pathAndQuery).json.value(u"data"_s).toArray();
        return data.isEmpty() ? QJsonObject() : data.first().toObject();
    }

    static bool loaded(TicketsView *view)
    {
        return !view->model()->isLoading() && view->model()->total() >= 0;
    }

    std::unique_ptr<TicketsView> openView()
    {
        auto view = std::make_unique<TicketsView>(m_fixture->context());
        view->resize(1400, 900);
        view->show();
        QApplication::setActiveWindow(view.get());
        if (!QTest::qWaitForWindowActive(view.get()))
            qWarning("the tickets view did not become active");
        return view;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_fixture = std::make_unique<GuiFixture>();
        QVERIFY2(m_fixture->isRunning(), qPrintable(m_fixture->error()));
        QVERIFY(m_fixture->signInDemo(u"admin@meddispatch.example"_s));
        // Live events, so that the view follows changes made elsewhere.
        QTRY_VERIFY_WITH_TIMEOUT(m_fixture->events().isLive(), TimeoutMs);
        m_view = openView();
    }

    void cleanupTestCase()
    {
        m_view.reset();
        m_fixture.reset();
    }

    void loadsEveryTicket()
    {
        QAbstractItemModelTester tester(m_view->proxy(),
                                        QAbstractItemModelTester::FailureReportingMode::Fatal);
        QTRY_VERIFY_WITH_TIMEOUT(loaded(m_view.get()), TimeoutMs);
        const qint64 total = serverTotal();
        QCOMPARE(m_view->table()->model()->rowCount(), int(total));
        auto *state = child<md::ui::StateWidget>(m_view.get(), u"ticketTableState"_s);
        QVERIFY(state);
        QCOMPARE(state->state(), md::ui::StateWidget::State::Content);
        const QString progress = child<QLabel>(m_view.get(), u"ticketProgressLabel"_s)->text();
        QVERIFY2(progress.contains(QLocale().toString(total)), qPrintable(progress));
        // Newest first, organization names filled in.
        const QModelIndex first = m_view->table()->model()->index(0, TicketModel::NumberColumn);
        QCOMPARE(first.data().toString(), serverTicket({}).value(u"number"_s).toString());
        QTRY_VERIFY_WITH_TIMEOUT(!m_view->table()
                                      ->model()
                                      ->index(0, TicketModel::OrganizationColumn)
                                      .data()
                                      .toString()
                                      .isEmpty(),
                                 TimeoutMs);
    }

    void filtersByPriorityOnTheServer()
    {
        auto *priority = child<QComboBox>(m_view.get(), u"priorityFilter"_s);
        QVERIFY(priority);
        priority->setCurrentIndex(priority->findData(u"critical"_s));
        QTRY_VERIFY_WITH_TIMEOUT(loaded(m_view.get()), TimeoutMs);
        const qint64 critical = serverTotal(u"priority=critical"_s);
        QVERIFY(critical > 0);
        QAbstractItemModel *table = m_view->table()->model();
        QCOMPARE(table->rowCount(), int(critical));
        for (int r = 0; r < table->rowCount(); ++r)
            QCOMPARE(table->index(r, TicketModel::PriorityColumn).data().toString(), u"Critical"_s);
        priority->setCurrentIndex(0);
        QTRY_VERIFY_WITH_TIMEOUT(loaded(m_view.get()), TimeoutMs);
        QCOMPARE(table->rowCount(), int(serverTotal()));
    }

    void searchFindsATicketByNumber()
    {
        auto *search = child<QLineEdit>(m_view.get(), u"ticketSearchEdit"_s);
        QVERIFY(search);
        // Ctrl+F from the table puts the cursor in the search field.
        m_view->table()->setFocus();
        QTest::keyClick(m_view->table(), Qt::Key_F, Qt::ControlModifier);
        QTRY_VERIFY(search->hasFocus());
        const QJsonObject older = firstOf(u"/v1/tickets?limit=1&offset=1234"_s);
        const QString number = older.value(u"number"_s).toString();
        QVERIFY(!number.isEmpty());
        QTest::keyClicks(search, number.toLower());
        QAbstractItemModel *table = m_view->table()->model();
        QTRY_COMPARE_WITH_TIMEOUT(table->rowCount(), 1, TimeoutMs);
        QCOMPARE(table->index(0, TicketModel::NumberColumn).data().toString(), number);
        search->clear();
        QTRY_COMPARE_WITH_TIMEOUT(table->rowCount(), int(serverTotal()), TimeoutMs);
    }

    void selectingShowsTheDetail()
    {
        QTableView *table = m_view->table();
        const QModelIndex index = table->model()->index(3, TicketModel::TitleColumn);
        const QString number =
            table->model()->index(3, TicketModel::NumberColumn).data().toString();
        QSignalSpy selected(m_view.get(), &TicketsView::ticketSelected);
        table->scrollTo(index);
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(index).center());
        QCOMPARE(selected.size(), 1);
        TicketDetailView *detail = m_view->detailView();
        QTRY_COMPARE_WITH_TIMEOUT(child<QLabel>(detail, u"ticketNumberLabel"_s)->text(), number,
                                  TimeoutMs);
        QCOMPARE(child<QLabel>(detail, u"ticketTitleLabel"_s)->text(), index.data().toString());
        // The equipment arrives with its own request.
        QTRY_VERIFY_WITH_TIMEOUT(child<QLabel>(detail, u"equipmentSerialLabel"_s)->text() !=
                                     QStringLiteral("—"),
                                 TimeoutMs);
        QVERIFY(child<QLabel>(detail, u"equipmentNameLabel"_s)->text().size() > 1);
    }

    void statusButtonMovesTheTicketOn()
    {
        const QJsonObject assigned = serverTicket(u"status=assigned"_s);
        const QString id = assigned.value(u"id"_s).toString();
        QVERIFY(!id.isEmpty());
        TicketDetailView *detail = m_view->detailView();
        QSignalSpy detailLoaded(detail, &TicketDetailView::loaded);
        m_view->selectTicket(id);
        QVERIFY(detailLoaded.wait(TimeoutMs));
        QCOMPARE(detail->ticketId(), id);
        auto *statusBadge = child<BadgeLabel>(detail, u"ticketStatusBadge"_s);
        QCOMPARE(statusBadge->text(), u"Assigned"_s);
        // An assigned ticket may start, pause, resolve or be cancelled, not close.
        QVERIFY(child<QPushButton>(detail, u"statusButton_on_hold"_s));
        QVERIFY(!child<QPushButton>(detail, u"statusButton_closed"_s));
        auto *start = child<QPushButton>(detail, u"statusButton_in_progress"_s);
        QVERIFY(start && start->isVisible());
        QTest::mouseClick(start, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(statusBadge->text(), u"In progress"_s, TimeoutMs);
        // The table's badge follows, and the server agrees.
        const int row = m_view->model()->rowForId(id);
        QTRY_COMPARE_WITH_TIMEOUT(
            m_view->model()->index(row, TicketModel::StatusColumn).data().toString(),
            u"In progress"_s, TimeoutMs);
        QCOMPARE(http().get(u"/v1/tickets/"_s + id).json.value(u"status"_s).toString(),
                 u"in_progress"_s);
        // From in progress the buttons are those of the new status.
        QTRY_VERIFY_WITH_TIMEOUT(child<QPushButton>(detail, u"statusButton_resolved"_s), TimeoutMs);
        QVERIFY(!child<QPushButton>(detail, u"statusButton_in_progress"_s));
    }

    void assignShortcutOpensTheEngineerSelection()
    {
        // The in-progress ticket of the test before: dispatchers may (re)assign it.
        TicketDetailView *detail = m_view->detailView();
        auto *assign = child<QPushButton>(detail, u"assignButton"_s);
        QVERIFY(assign);
        QTRY_VERIFY(assign->isVisible() && assign->isEnabled());
        QApplication::setActiveWindow(m_view.get());
        QTRY_VERIFY_WITH_TIMEOUT(QApplication::activeWindow() == m_view.get(), TimeoutMs);
        m_view->table()->setFocus();
        QTest::keyClick(m_view->table(), Qt::Key_A, Qt::ControlModifier | Qt::ShiftModifier);
        md::ui::EngineerSelectionDialog *dialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(
            (dialog = detail->findChild<md::ui::EngineerSelectionDialog *>()) &&
                dialog->isVisible(),
            TimeoutMs);
        dialog->reject();
        QTRY_VERIFY(!detail->findChild<md::ui::EngineerSelectionDialog *>());
    }

    void cancellingAsksFirst()
    {
        const QString id = serverTicket(u"status=new"_s).value(u"id"_s).toString();
        TicketDetailView *detail = m_view->detailView();
        QSignalSpy detailLoaded(detail, &TicketDetailView::loaded);
        m_view->selectTicket(id);
        QVERIFY(detailLoaded.wait(TimeoutMs));
        auto *cancel = child<QPushButton>(detail, u"statusButton_cancelled"_s);
        QVERIFY(cancel);
        QTest::mouseClick(cancel, Qt::LeftButton);
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = child<QMessageBox>(detail, u"cancelTicketConfirmation"_s)));
        box->button(QMessageBox::No)->click();
        QTest::qWait(300);
        QCOMPARE(http().get(u"/v1/tickets/"_s + id).json.value(u"status"_s).toString(), u"new"_s);
    }

    void ctrlNOpensTheNewTicketDialog()
    {
        // Shortcuts go to the active window (a message box may have been it last).
        QApplication::setActiveWindow(m_view.get());
        QTRY_VERIFY_WITH_TIMEOUT(QApplication::activeWindow() == m_view.get(), TimeoutMs);
        QVERIFY(!m_view->findChild<NewTicketDialog *>());
        m_view->table()->setFocus();
        QTest::keyClick(m_view->table(), Qt::Key_N, Qt::ControlModifier);
        NewTicketDialog *dialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(
            (dialog = m_view->findChild<NewTicketDialog *>()) && dialog->isVisible(), TimeoutMs);
        QVERIFY(child<QLineEdit>(dialog, u"newTicketTitle"_s));
        dialog->reject();
        QTRY_VERIFY(!m_view->findChild<NewTicketDialog *>());
    }

    void newTicketShowsFieldErrorsAndCreates()
    {
        auto *button = child<QPushButton>(m_view.get(), u"newTicketButton"_s);
        QVERIFY(button && button->isVisible());
        QTest::mouseClick(button, Qt::LeftButton);
        NewTicketDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = m_view->findChild<NewTicketDialog *>()) && dialog->isVisible());
        auto *equipment = child<QComboBox>(dialog, u"newTicketEquipment"_s);
        QTRY_VERIFY_WITH_TIMEOUT(equipment->count() > 0, TimeoutMs);
        equipment->setCurrentIndex(0);
        auto *description = child<QPlainTextEdit>(dialog, u"newTicketDescription"_s);
        QTest::keyClicks(description, u"Display flickers after the 10 min self-test."_s);
        auto *priority = child<QComboBox>(dialog, u"newTicketPriority"_s);
        priority->setCurrentIndex(priority->findData(u"high"_s));

        // No title: the server's answer appears under the title, nothing is lost.
        auto *submit = child<QPushButton>(dialog, u"newTicketSubmit"_s);
        QTest::mouseClick(submit, Qt::LeftButton);
        auto *titleError = child<QLabel>(dialog, u"newTicketTitleError"_s);
        QTRY_VERIFY_WITH_TIMEOUT(titleError->isVisible(), TimeoutMs);
        QVERIFY(!titleError->text().isEmpty());
        QVERIFY(dialog->isVisible());
        QCOMPARE(description->toPlainText(), u"Display flickers after the 10 min self-test."_s);
        QCOMPARE(priority->currentData().toString(), u"high"_s);
        QCOMPARE(equipment->currentIndex(), 0);

        // With a title it is created, listed and selected.
        auto *title = child<QLineEdit>(dialog, u"newTicketTitle"_s);
        QTest::keyClicks(title, u"Patient monitor display flickers"_s);
        QSignalSpy created(dialog, &NewTicketDialog::created);
        QTest::mouseClick(submit, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(created.size(), 1, TimeoutMs);
        const QJsonObject ticket = created.first().first().toJsonObject();
        const QString id = ticket.value(u"id"_s).toString();
        QCOMPARE(ticket.value(u"title"_s).toString(), u"Patient monitor display flickers"_s);
        QTRY_VERIFY(!m_view->findChild<NewTicketDialog *>());
        const int row = m_view->model()->rowForId(id);
        QVERIFY(row >= 0);
        QCOMPARE(m_view->model()->rowCount(), int(serverTotal()));
        QTRY_COMPARE_WITH_TIMEOUT(m_view->detailView()->ticketId(), id, TimeoutMs);
        // The newest ticket is at the top of the table.
        QCOMPARE(m_view->table()
                     ->model()
                     ->index(0, TicketModel::NumberColumn)
                     .data(TicketModel::TicketIdRole)
                     .toString(),
                 id);
    }

    void ticketsCreatedElsewhereAppearLive()
    {
        const QString equipmentId =
            firstOf(u"/v1/equipment?limit=1&offset=7"_s).value(u"id"_s).toString();
        const auto created =
            http().post(u"/v1/tickets"_s, {{u"equipment_id"_s, equipmentId},
                                           {u"title"_s, u"Defibrillator self-test failed"_s},
                                           {u"priority"_s, u"critical"_s}});
        QCOMPARE(created.status, 201);
        const QString id = created.json.value(u"id"_s).toString();
        QTRY_VERIFY_WITH_TIMEOUT(m_view->model()->rowForId(id) >= 0, TimeoutMs);
        QCOMPARE(m_view->model()->rowCount(), int(serverTotal()));
    }

    void customerSeesNoAssignButton()
    {
        m_view.reset();
        const QString hospital = m_fixture->firstOrganizationId(u"hospital"_s);
        QVERIFY(!hospital.isEmpty());
        QVERIFY(m_fixture->signIn(md::domain::Role::Customer, hospital));
        m_view = openView();
        QTRY_VERIFY_WITH_TIMEOUT(loaded(m_view.get()), TimeoutMs);
        const qint64 ours = serverTotal(u"organization_id="_s + hospital);
        QVERIFY(ours > 0);
        QCOMPARE(m_view->model()->rowCount(), int(ours));
        // Customers report tickets but do not dispatch or move them.
        QVERIFY(child<QPushButton>(m_view.get(), u"newTicketButton"_s));
        TicketDetailView *detail = m_view->detailView();
        QSignalSpy detailLoaded(detail, &TicketDetailView::loaded);
        const QString id = m_view->model()->ticketId(0);
        m_view->selectTicket(id);
        QVERIFY(detailLoaded.wait(TimeoutMs));
        QCOMPARE(detail->ticketId(), id);
        auto *assign = child<QPushButton>(detail, u"assignButton"_s);
        QVERIFY(!assign || !assign->isVisible());
        const auto buttons = detail->findChildren<QPushButton *>();
        for (QPushButton *button : buttons)
            QVERIFY2(!button->objectName().startsWith(u"statusButton_"_s),
                     qPrintable(button->objectName()));
    }
};

QTEST_MAIN(TestGuiTickets)
#include "tst_gui_tickets.moc"
