// The "Assign engineer" dialog against a real server with the demo data: the ranked cards
// with their colour-coded score, the score breakdown, assigning, reassigning (refused
// without a reason, in place, with nothing sent), the server's refusal shown in place,
// and a ticket that does not exist.

#include "common/badges.h"
#include "common/statewidget.h"
#include "dispatch/engineerselectiondialog.h"
#include "dispatch/suggestionmodel.h"
#include "guitestsupport.h"

#include <QAbstractItemView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;
using md::ui::EngineerSelectionDialog;
using md::ui::StateWidget;
using md::ui::SuggestionModel;

namespace {

// The bands, written out here rather than taken from badges.cpp.
QString bandWord(int score)
{
    if (score >= 90)
        return u"Excellent"_s;
    if (score >= 75)
        return u"Good"_s;
    if (score >= 60)
        return u"Fair"_s;
    return u"Poor"_s;
}

bool looksLike(const QString &band, const QColor &c)
{
    const int r = c.red(), g = c.green(), b = c.blue();
    if (band == u"Excellent"_s) // green
        return g > r + 30 && g > b + 30;
    if (band == u"Good"_s) // blue
        return b > r + 60 && b > g + 30;
    if (band == u"Fair"_s) // yellow
        return r > 180 && g > 120 && b < 100;
    return std::abs(r - g) < 20 && std::abs(g - b) < 20; // grey
}

struct Dialog
{
    std::unique_ptr<EngineerSelectionDialog> dialog;
    QAbstractItemView *list = nullptr;
    StateWidget *state = nullptr;
    QPushButton *assign = nullptr;
    QLabel *message = nullptr;
};

} // namespace

class TestGuiEngineerSelection final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_fixture = std::make_unique<md::test::GuiFixture>();
        QVERIFY2(m_fixture->isRunning(), qPrintable(m_fixture->error()));
        QVERIFY(m_fixture->signInDemo(u"admin@meddispatch.example"_s));
        for (const auto &ticket : m_fixture->newTickets()) {
            if (ticket.engineerIds.size() >= 3) {
                m_ticket = ticket.ticket;
                break;
            }
        }
        QVERIFY2(!m_ticket.isEmpty(), "a new demo ticket with three or more suggestions");
    }

    void showsRankedCards()
    {
        Dialog d = open(ticketId(), false);
        QVERIFY(d.list);
        const QAbstractItemModel *model = d.list->model();
        QVERIFY(model->rowCount() >= 3);

        // Best first, exactly one recommended, at the top and selected.
        int recommended = 0;
        for (int row = 0; row < model->rowCount(); ++row) {
            const QModelIndex index = model->index(row, 0);
            if (row > 0)
                QVERIFY(index.data(SuggestionModel::ScoreRole).toInt() <=
                        model->index(row - 1, 0).data(SuggestionModel::ScoreRole).toInt());
            if (index.data(SuggestionModel::RecommendedRole).toBool()) {
                ++recommended;
                QCOMPARE(row, 0);
            }
            // The score badge of every real row follows the bands.
            const int score = index.data(SuggestionModel::ScoreRole).toInt();
            const md::ui::BadgeStyle badge = md::ui::matchScoreBadge(score);
            QVERIFY2(badge.text.endsWith(bandWord(score)), qPrintable(badge.text));
            QVERIFY2(badge.text.startsWith(QString::number(score)), qPrintable(badge.text));
            QVERIFY2(looksLike(bandWord(score), badge.background),
                     qPrintable(badge.background.name()));
        }
        QCOMPARE(recommended, 1);
        QCOMPARE(d.list->currentIndex().row(), 0);
        QVERIFY(
            model->index(0, 0).data(Qt::AccessibleTextRole).toString().contains(u"recommended"_s));
        QVERIFY(!d.list->accessibleName().isEmpty());

        // The top card shows the score in its band's colour, at its top right (where no
        // other badge is).
        const int topScore = model->index(0, 0).data(SuggestionModel::ScoreRole).toInt();
        const QColor topColour = md::ui::matchScoreBadge(topScore).background;
        const QImage image = d.list->viewport()->grab().toImage();
        const QRect card = d.list->visualRect(model->index(0, 0));
        QVERIFY(card.height() >= d.list->fontMetrics().lineSpacing() * 5);
        const QRect corner(card.right() - card.width() / 4, card.top(), card.width() / 4,
                           card.height() / 4);
        bool painted = false;
        for (int y = corner.top(); y <= corner.bottom() && !painted; ++y) {
            for (int x = corner.left(); x <= corner.right() && !painted; ++x)
                painted = image.pixelColor(x * image.devicePixelRatio(),
                                           y * image.devicePixelRatio()) == topColour;
        }
        QVERIFY2(painted, "the match score badge colour appears on the top card");

        // The header names the ticket and the level its priority needs.
        auto *header = d.dialog->findChild<QLabel *>(u"selectionHeader"_s);
        QVERIFY(header);
        QTRY_VERIFY(header->text().contains(m_ticket.value(u"number"_s).toString()));
        QVERIFY(header->text().contains(u"level L"_s));
    }

    void breakdownOnDemand()
    {
        Dialog d = open(ticketId(), false);
        auto *button = d.dialog->findChild<QPushButton *>(u"breakdownButton"_s);
        auto *view = d.dialog->findChild<QTableWidget *>(u"breakdownView"_s);
        QVERIFY(button && view);
        QVERIFY(!view->isVisible());

        QTest::mouseClick(button, Qt::LeftButton);
        QVERIFY(view->isVisible());
        QStringList factors;
        for (int row = 0; row < view->rowCount(); ++row)
            factors << view->item(row, 0)->text();
        for (const QString &factor : {u"Tier"_s, u"Level fit"_s, u"Certification"_s, u"Workload"_s,
                                      u"Distance"_s, u"Match score"_s})
            QVERIFY2(factors.contains(factor), qPrintable(factors.join(u", "_s)));
        // The factors add up to the score on the card.
        int sum = 0;
        for (int row = 0; row < view->rowCount() - 1; ++row)
            sum += view->item(row, 1)->text().toInt();
        const int score = d.list->model()->index(0, 0).data(SuggestionModel::ScoreRole).toInt();
        QCOMPARE(sum, score);
        QCOMPARE(view->item(view->rowCount() - 1, 1)->text().toInt(), score);

        // It follows the selection.
        d.list->setCurrentIndex(d.list->model()->index(2, 0));
        const int third = d.list->model()->index(2, 0).data(SuggestionModel::ScoreRole).toInt();
        QCOMPARE(view->item(view->rowCount() - 1, 1)->text().toInt(), third);

        QTest::mouseClick(button, Qt::LeftButton);
        QVERIFY(!view->isVisible());
    }

    void assignsTheChosenEngineer()
    {
        Dialog d = open(ticketId(), false);
        // Not the recommended one: the choice is what gets assigned.
        const QModelIndex chosen = d.list->model()->index(1, 0);
        const QString engineerId = chosen.data(SuggestionModel::EngineerIdRole).toString();
        QSignalSpy assigned(d.dialog.get(), &EngineerSelectionDialog::assigned);
        QVERIFY(d.assign->isEnabled());
        // One action: a double click on the card assigns that engineer.
        const QPoint card = d.list->visualRect(chosen).center();
        QTest::mouseClick(d.list->viewport(), Qt::LeftButton, {}, card);
        QTest::mouseDClick(d.list->viewport(), Qt::LeftButton, {}, card);
        QTRY_COMPARE_WITH_TIMEOUT(assigned.size(), 1, 15000);
        QTest::qWait(200);
        QCOMPARE(assigned.size(), 1); // once, however the click is delivered
        const QJsonObject json = assigned.at(0).at(0).toJsonObject();
        QCOMPARE(json.value(u"engineer_id"_s).toString(), engineerId);
        QCOMPARE(json.value(u"ticket"_s).toObject().value(u"status"_s).toString(), u"assigned"_s);
        QCOMPARE(d.dialog->result(), int(QDialog::Accepted));
        QVERIFY(!d.dialog->isVisible());

        const QJsonObject ticket = serverTicket();
        QCOMPARE(ticket.value(u"status"_s).toString(), u"assigned"_s);
        QCOMPARE(ticket.value(u"assigned_engineer_id"_s).toString(), engineerId);
    }

    void reassigningNeedsAReason()
    {
        const QString before = serverTicket().value(u"assigned_engineer_id"_s).toString();
        QVERIFY(!before.isEmpty());
        Dialog d = open(ticketId(), true);
        auto *reason = d.dialog->findChild<QLineEdit *>(u"reassignReasonEdit"_s);
        QVERIFY(reason);
        // The current engineer is marked on its card.
        QTRY_VERIFY(rowOf(d, before) >= 0 && d.list->model()
                                                 ->index(rowOf(d, before), 0)
                                                 .data(SuggestionModel::CurrentRole)
                                                 .toBool());
        const int target = rowOf(d, before) == 0 ? 1 : 0;
        const QString engineerId =
            d.list->model()->index(target, 0).data(SuggestionModel::EngineerIdRole).toString();
        d.list->setCurrentIndex(d.list->model()->index(target, 0));

        QSignalSpy requests(m_fixture->api().network(), &QNetworkAccessManager::finished);
        QSignalSpy assigned(d.dialog.get(), &EngineerSelectionDialog::assigned);
        QTest::mouseClick(d.assign, Qt::LeftButton);
        QCOMPARE(d.message->text(), u"Give a reason for the reassignment."_s);
        QVERIFY(d.dialog->isVisible());
        QTest::qWait(500);
        QCOMPARE(requests.size(), 0); // refused here, nothing sent
        QCOMPARE(assigned.size(), 0);
        QCOMPARE(serverTicket().value(u"assigned_engineer_id"_s).toString(), before);
        QCOMPARE(d.list->currentIndex().row(), target);

        QTest::keyClicks(reason, u"Engineer on leave"_s);
        // From the keyboard: Enter on the chosen card assigns it.
        d.list->setFocus();
        QTest::keyClick(d.list, Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(assigned.size(), 1, 15000);
        QTest::qWait(200);
        QCOMPARE(assigned.size(), 1);
        QVERIFY(!d.dialog->isVisible());
        QCOMPARE(serverTicket().value(u"assigned_engineer_id"_s).toString(), engineerId);
        const QJsonArray history =
            m_fixture->server()
                .client()
                .get(u"/v1/tickets/"_s + ticketId() + u"/assignments/history"_s)
                .json.value(u"data"_s)
                .toArray();
        QCOMPARE(history.first().toObject().value(u"reason"_s).toString(), u"Engineer on leave"_s);
    }

    void serverRefusalShownInPlace()
    {
        // Reassigning to the engineer who has the ticket now: the server says 409.
        const QString current = serverTicket().value(u"assigned_engineer_id"_s).toString();
        Dialog d = open(ticketId(), true);
        QTRY_VERIFY(rowOf(d, current) >= 0);
        d.list->setCurrentIndex(d.list->model()->index(rowOf(d, current), 0));
        auto *reason = d.dialog->findChild<QLineEdit *>(u"reassignReasonEdit"_s);
        QTest::keyClicks(reason, u"Swap back"_s);
        QSignalSpy assigned(d.dialog.get(), &EngineerSelectionDialog::assigned);
        QTest::mouseClick(d.assign, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(d.message->text().contains(u"already assigned"_s), 15000);
        QTRY_VERIFY(d.assign->isEnabled());
        QCOMPARE(assigned.size(), 0);
        QVERIFY(d.dialog->isVisible());
        QCOMPARE(reason->text(), u"Swap back"_s); // nothing typed is lost
        QCOMPARE(d.list->currentIndex().data(SuggestionModel::EngineerIdRole).toString(), current);
    }

    void unknownTicketShowsErrorWithRetry()
    {
        EngineerSelectionDialog dialog(m_fixture->context(),
                                       QUuid::createUuid().toString(QUuid::WithoutBraces), false);
        dialog.show();
        auto *state = dialog.findChild<StateWidget *>(u"selectionState"_s);
        QVERIFY(state);
        QTRY_COMPARE_WITH_TIMEOUT(state->state(), StateWidget::State::Error, 15000);
        auto *retry = state->findChild<QPushButton *>(u"stateRetryButton"_s);
        QVERIFY(retry && retry->isVisible());
        QVERIFY(!dialog.findChild<QPushButton *>(u"assignSelectedButton"_s)->isEnabled());

        QSignalSpy requests(m_fixture->api().network(), &QNetworkAccessManager::finished);
        QTest::mouseClick(retry, Qt::LeftButton);
        QCOMPARE(state->state(), StateWidget::State::Loading);
        QCOMPARE(state->message(), u"Finding engineers…"_s);
        QTRY_COMPARE_WITH_TIMEOUT(state->state(), StateWidget::State::Error, 15000);
        QVERIFY(requests.size() >= 1); // Retry asked the server again
    }

    // Last: it signs the session in as a customer, who may not assign.
    void customerMayNotAssign()
    {
        QVERIFY(m_fixture->signIn(md::domain::Role::Customer,
                                  m_ticket.value(u"organization_id"_s).toString()));
        QSignalSpy requests(m_fixture->api().network(), &QNetworkAccessManager::finished);
        EngineerSelectionDialog dialog(m_fixture->context(), ticketId(), false);
        dialog.show();
        auto *state = dialog.findChild<StateWidget *>(u"selectionState"_s);
        QCOMPARE(state->state(), StateWidget::State::Error);
        QVERIFY(!state->findChild<QPushButton *>(u"stateRetryButton"_s)->isVisible());
        QVERIFY(!dialog.findChild<QPushButton *>(u"assignSelectedButton"_s)->isEnabled());
        QTest::qWait(300);
        QCOMPARE(requests.size(), 0);
    }

private:
    QString ticketId() const { return m_ticket.value(u"id"_s).toString(); }

    QJsonObject serverTicket()
    {
        return m_fixture->server().client().get(u"/v1/tickets/"_s + ticketId()).json;
    }

    static int rowOf(const Dialog &d, const QString &engineerId)
    {
        const QAbstractItemModel *model = d.list->model();
        for (int row = 0; row < model->rowCount(); ++row) {
            if (model->index(row, 0).data(SuggestionModel::EngineerIdRole).toString() == engineerId)
                return row;
        }
        return -1;
    }

    Dialog open(const QString &ticket, bool reassigning)
    {
        Dialog d;
        d.dialog =
            std::make_unique<EngineerSelectionDialog>(m_fixture->context(), ticket, reassigning);
        d.dialog->show();
        d.list = d.dialog->findChild<QAbstractItemView *>(u"suggestionList"_s);
        d.state = d.dialog->findChild<StateWidget *>(u"selectionState"_s);
        d.assign = d.dialog->findChild<QPushButton *>(u"assignSelectedButton"_s);
        d.message = d.dialog->findChild<QLabel *>(u"selectionMessage"_s);
        if (!d.list || !d.state || !d.assign || !d.message)
            return d;
        // Loading first, then the cards.
        if (!QTest::qWaitFor([&] { return d.state->state() == StateWidget::State::Content; },
                             15000))
            qWarning("suggestions did not load: %s", qPrintable(d.state->message()));
        // And the ticket for the header, so no answer is still on its way afterwards.
        auto *header = d.dialog->findChild<QLabel *>(u"selectionHeader"_s);
        const QString number = m_ticket.value(u"number"_s).toString();
        if (!QTest::qWaitFor([&] { return header && header->text().contains(number); }, 15000))
            qWarning("the ticket did not load");
        return d;
    }

    std::unique_ptr<md::test::GuiFixture> m_fixture;
    QJsonObject m_ticket;
};

QTEST_MAIN(TestGuiEngineerSelection)
#include "tst_gui_engineerselection.moc"
