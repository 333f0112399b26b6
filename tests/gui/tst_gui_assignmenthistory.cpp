// The assignment history timeline against a real server with the demo data: a ticket
// assigned and reassigned through the API shows both entries newest first with their
// status colours, the reason and the summary; a further reassignment appears live from
// the event stream without a reload; a ticket never assigned shows the empty state.

#include "common/statewidget.h"
#include "dispatch/assignmenthistorymodel.h"
#include "dispatch/assignmenthistoryview.h"
#include "guitestsupport.h"

#include <QAbstractItemView>
#include <QJsonArray>
#include <QLabel>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using md::domain::AssignmentStatus;
using md::ui::AssignmentHistoryModel;
using md::ui::AssignmentHistoryView;
using md::ui::StateWidget;

namespace {

// Written out here rather than taken from badges.cpp: active green, reassigned yellow.
bool isGreen(const QColor &c)
{
    return c.green() > c.red() + 30 && c.green() > c.blue() + 30;
}

bool isYellow(const QColor &c)
{
    return c.red() > 180 && c.green() > 120 && c.blue() < 100;
}

// Whether the timeline column (left of the text) of a row holds a pixel of that colour:
// the column holds only the connecting lines and the status dot.
bool dotMatches(QAbstractItemView *list, int row, bool (*colour)(const QColor &))
{
    const QImage image = list->viewport()->grab().toImage();
    const QRect rect = list->visualRect(list->model()->index(row, 0));
    const int gutter = list->fontMetrics().height() * 2;
    const qreal dpr = image.devicePixelRatio();
    for (int y = rect.top(); y <= rect.bottom(); ++y) {
        for (int x = rect.left(); x < rect.left() + gutter; ++x) {
            if (colour(image.pixelColor(int(x * dpr), int(y * dpr))))
                return true;
        }
    }
    return false;
}

} // namespace

class TestGuiAssignmentHistory final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_fixture = std::make_unique<md::test::GuiFixture>();
        QVERIFY2(m_fixture->isRunning(), qPrintable(m_fixture->error()));
        QVERIFY(m_fixture->signInDemo(u"admin@meddispatch.example"_s));
        for (const auto &ticket : m_fixture->newTickets()) {
            if (m_ticket.isEmpty() && ticket.engineerIds.size() >= 3) {
                m_ticket = ticket.id();
                m_engineers = ticket.engineerIds.mid(0, 3);
            } else if (m_neverAssigned.isEmpty()) {
                m_neverAssigned = ticket.id();
            }
        }
        QVERIFY(!m_ticket.isEmpty() && !m_neverAssigned.isEmpty());
        QCOMPARE(assign(m_engineers.at(0), {}), 201);
        QCOMPARE(assign(m_engineers.at(1), u"Engineer on leave"_s), 201);
        // The live test needs the stream before the view is built.
        QTRY_VERIFY_WITH_TIMEOUT(m_fixture->events().isLive(), 15000);
    }

    void showsTheTimeline()
    {
        AssignmentHistoryView view(m_fixture->context());
        view.resize(700, 500);
        view.show();
        QSignalSpy loaded(&view, &AssignmentHistoryView::loaded);
        view.showTicket(m_ticket);
        QCOMPARE(view.ticketId(), m_ticket);
        auto *state = view.findChild<StateWidget *>(u"historyState"_s);
        QVERIFY(state);
        QCOMPARE(state->state(), StateWidget::State::Loading);
        QVERIFY(loaded.wait(15000));
        QCOMPARE(state->state(), StateWidget::State::Content);

        auto *list = view.findChild<QAbstractItemView *>(u"historyList"_s);
        QVERIFY(list && list->isVisible());
        QCOMPARE(list->model()->rowCount(), 2);
        const QModelIndex newest = list->model()->index(0, 0);
        const QModelIndex older = list->model()->index(1, 0);
        QCOMPARE(newest.data(AssignmentHistoryModel::StatusRole).toInt(),
                 int(AssignmentStatus::Active));
        QCOMPARE(newest.data(AssignmentHistoryModel::EngineerIdRole).toString(), m_engineers.at(1));
        QCOMPARE(older.data(AssignmentHistoryModel::StatusRole).toInt(),
                 int(AssignmentStatus::Reassigned));
        QCOMPARE(newest.data(AssignmentHistoryModel::ReasonRole).toString(),
                 u"Engineer on leave"_s);
        QVERIFY(newest.data(Qt::AccessibleTextRole).toString().contains(u"Engineer on leave"_s));
        QVERIFY(newest.data(Qt::AccessibleTextRole).toString().startsWith(u"Active"_s));
        QVERIFY(older.data(Qt::AccessibleTextRole).toString().startsWith(u"Reassigned"_s));

        // Drawn: a green dot for the active entry, a yellow one for the reassigned.
        QVERIFY(dotMatches(list, 0, isGreen));
        QVERIFY(!dotMatches(list, 0, isYellow));
        QVERIFY(dotMatches(list, 1, isYellow));
        QVERIFY(!dotMatches(list, 1, isGreen));
        // With the reason, the entry is a line taller than one without.
        QVERIFY(list->visualRect(newest).height() > list->visualRect(older).height());

        auto *summary = view.findChild<QLabel *>(u"historySummary"_s);
        QVERIFY(summary && summary->isVisible());
        QCOMPARE(summary->text(), u"2 assignments · 1 active · 1 reassigned"_s);
    }

    void updatesLive()
    {
        AssignmentHistoryView view(m_fixture->context());
        view.show();
        QSignalSpy loaded(&view, &AssignmentHistoryView::loaded);
        view.showTicket(m_ticket);
        QVERIFY(loaded.wait(15000));
        auto *list = view.findChild<QAbstractItemView *>(u"historyList"_s);
        auto *summary = view.findChild<QLabel *>(u"historySummary"_s);
        QCOMPARE(list->model()->rowCount(), 2);

        // Someone else reassigns: the view follows from the event stream alone.
        QCOMPARE(assign(m_engineers.at(2), u"Closer to the hospital"_s), 201);
        QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), 3, 15000);
        QCOMPARE(list->model()->index(0, 0).data(AssignmentHistoryModel::EngineerIdRole).toString(),
                 m_engineers.at(2));
        QTRY_COMPARE(summary->text(), u"3 assignments · 1 active · 2 reassigned"_s);
        auto *state = view.findChild<StateWidget *>(u"historyState"_s);
        QCOMPARE(state->state(), StateWidget::State::Content);

        // Events about other tickets leave it alone.
        loaded.clear();
        QCOMPARE(m_fixture->server()
                     .client()
                     .patch(u"/v1/tickets/"_s + m_neverAssigned, {{u"priority"_s, u"high"_s}})
                     .status,
                 200);
        QTest::qWait(1000);
        QCOMPARE(loaded.size(), 0);
    }

    void neverAssignedIsEmpty()
    {
        AssignmentHistoryView view(m_fixture->context());
        view.show();
        QSignalSpy loaded(&view, &AssignmentHistoryView::loaded);
        view.showTicket(m_neverAssigned);
        QVERIFY(loaded.wait(15000));
        auto *state = view.findChild<StateWidget *>(u"historyState"_s);
        QCOMPARE(state->state(), StateWidget::State::Empty);
        QCOMPARE(state->message(), u"Not assigned yet."_s);
        QVERIFY(!view.findChild<QLabel *>(u"historySummary"_s)->isVisible());

        // And back to a ticket with a history.
        view.showTicket(m_ticket);
        QVERIFY(loaded.wait(15000));
        QCOMPARE(state->state(), StateWidget::State::Content);
    }

private:
    int assign(const QString &engineerId, const QString &reason)
    {
        QJsonObject body{{u"engineer_id"_s, engineerId}};
        if (!reason.isEmpty())
            body.insert(u"reason"_s, reason);
        return m_fixture->server()
            .client()
            .post(u"/v1/tickets/"_s + m_ticket + u"/assign"_s, body)
            .status;
    }

    std::unique_ptr<md::test::GuiFixture> m_fixture;
    QString m_ticket;
    QString m_neverAssigned;
    QStringList m_engineers;
};

QTEST_MAIN(TestGuiAssignmentHistory)
#include "tst_gui_assignmenthistory.moc"
