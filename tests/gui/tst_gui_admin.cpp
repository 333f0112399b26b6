// The equipment, engineers, organizations and users views driven as a user would, against
// a real server with the demo data: searching, creating and editing through the generated
// form (with the server's field errors in place), and what each role is offered.

#include "admin/adminviews.h"
#include "admin/resourceformdialog.h"
#include "admin/resourcemodel.h"
#include "common/statewidget.h"
#include "guitestsupport.h"

#include <QCheckBox>
#include <QComboBox>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QUrlQuery>

using namespace Qt::StringLiterals;
using md::domain::Role;
using md::test::GuiFixture;
using md::ui::ResourceFormDialog;
using md::ui::ResourceModel;
using md::ui::ResourceView;

namespace {

constexpr int Timeout = 15000;

template <typename T> T *child(QWidget *parent, const QString &name)
{
    return parent ? parent->findChild<T *>(name) : nullptr;
}

} // namespace

class TestGuiAdmin final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<GuiFixture> m_fixture;
    QString m_hospitalId;

    md::test::HttpClient &http() { return m_fixture->server().client(); }

    QJsonObject serverList(const QString &path, const QUrlQuery &query)
    {
        const auto reply = http().get(path + u'?' + query.toString(QUrl::FullyEncoded));
        return reply.status == 200 ? reply.json : QJsonObject();
    }

    static qint64 totalOf(const QJsonObject &list)
    {
        return list.value(u"page"_s).toObject().value(u"total"_s).toInteger(-1);
    }

    // A shown view whose first page has arrived.
    static bool waitLoaded(ResourceView *view)
    {
        view->resize(1100, 700);
        view->show();
        return QTest::qWaitFor(
            [&] { return view->model()->hasLoaded() && !view->model()->isLoading(); }, Timeout);
    }

    static ResourceFormDialog *waitForm(ResourceView *view)
    {
        const bool open = QTest::qWaitFor(
            [&] { return view->openForm() && view->openForm()->isVisible(); }, Timeout);
        return open ? view->openForm() : nullptr;
    }

    static int rowNamed(const ResourceModel *model, const QString &name)
    {
        for (int row = 0; row < model->rowCount(); ++row)
            if (model->object(row).value(u"name"_s).toString() == name)
                return row;
        return -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_fixture = std::make_unique<GuiFixture>();
        QVERIFY2(m_fixture->isRunning(), qPrintable(m_fixture->error()));
        m_hospitalId = m_fixture->firstOrganizationId(u"hospital"_s);
        QVERIFY(!m_hospitalId.isEmpty());
    }

    void searchNarrowsEquipment()
    {
        QVERIFY(m_fixture->signInDemo(u"admin@meddispatch.example"_s));
        std::unique_ptr<ResourceView> view(md::ui::createEquipmentView(m_fixture->context()));
        QVERIFY(waitLoaded(view.get()));
        auto *table = child<QTableView>(view.get(), u"equipmentTable"_s);
        QVERIFY(table);
        const qint64 everything = view->model()->total();
        QCOMPARE(everything, totalOf(serverList(u"/v1/equipment"_s, QUrlQuery(u"limit=1"_s))));
        QCOMPARE(table->model()->rowCount(), ResourceModel::PageSize);

        // Search for the model name of one device: fewer rows, exactly the server's count.
        const QString query = view->model()->object(5).value(u"model"_s).toString();
        QVERIFY(!query.isEmpty());
        QUrlQuery q;
        q.addQueryItem(u"q"_s, query);
        q.addQueryItem(u"limit"_s, u"1"_s);
        const qint64 expected = totalOf(serverList(u"/v1/equipment"_s, q));
        QVERIFY(expected > 0 && expected < everything);

        auto *search = child<QLineEdit>(view.get(), u"equipmentSearch"_s);
        QVERIFY(search);
        QTest::keyClicks(search, query);
        QTRY_COMPARE_WITH_TIMEOUT(view->model()->total(), expected, Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(!view->model()->isLoading(), Timeout);
        QCOMPARE(table->model()->rowCount(), std::min<qint64>(expected, ResourceModel::PageSize));
        for (int row = 0; row < view->model()->rowCount(); ++row) {
            const QJsonObject e = view->model()->object(row);
            const QString text = e.value(u"name"_s).toString() + u' ' +
                                 e.value(u"model"_s).toString() + u' ' +
                                 e.value(u"serial_number"_s).toString();
            QVERIFY2(text.contains(query, Qt::CaseInsensitive), qPrintable(text));
        }

        // A search that matches nothing says so instead of showing an empty table.
        search->clear();
        QTest::keyClicks(search, u"no-such-device-xyz"_s);
        auto *state = view->findChild<md::ui::StateWidget *>();
        QVERIFY(state);
        QTRY_COMPARE_WITH_TIMEOUT(state->state(), md::ui::StateWidget::State::Empty, Timeout);
        QCOMPARE(view->model()->total(), 0);
    }

    void createOrganizationAppearsInTable()
    {
        QVERIFY(m_fixture->signInDemo(u"admin@meddispatch.example"_s));
        std::unique_ptr<ResourceView> view(md::ui::createOrganizationsView(m_fixture->context()));
        QVERIFY(waitLoaded(view.get()));
        const QString name = u"Klinikum Gui-Test Nord"_s;
        QCOMPARE(rowNamed(view->model(), name), -1);

        auto *newButton = child<QPushButton>(view.get(), u"organizationsNewButton"_s);
        QVERIFY(newButton && newButton->isVisible());
        QTest::mouseClick(newButton, Qt::LeftButton);
        ResourceFormDialog *form = waitForm(view.get());
        QVERIFY(form);
        QTest::keyClicks(child<QLineEdit>(form, u"nameField"_s), name);
        QTest::keyClicks(child<QLineEdit>(form, u"cityField"_s), u"Hamburg"_s);
        QTest::keyClicks(child<QLineEdit>(form, u"countryField"_s), u"DE"_s);
        auto *type = child<QComboBox>(form, u"typeField"_s);
        QVERIFY(type);
        type->setCurrentIndex(type->findData(u"service_provider"_s));
        QTest::mouseClick(child<QPushButton>(form, u"formSaveButton"_s), Qt::LeftButton);

        QTRY_VERIFY_WITH_TIMEOUT(!view->openForm(), Timeout); // closed and gone
        QTRY_VERIFY_WITH_TIMEOUT(rowNamed(view->model(), name) >= 0, Timeout);
        const QJsonObject row = view->model()->object(rowNamed(view->model(), name));
        QCOMPARE(row.value(u"city"_s).toString(), u"Hamburg"_s);
        QCOMPARE(row.value(u"type"_s).toString(), u"service_provider"_s);
        // The new row is selected, and the server has it.
        auto *table = child<QTableView>(view.get(), u"organizationsTable"_s);
        QTRY_COMPARE_WITH_TIMEOUT(table->currentIndex().data(ResourceModel::IdRole).toString(),
                                  row.value(u"id"_s).toString(), Timeout);
        QUrlQuery q;
        q.addQueryItem(u"q"_s, name);
        QCOMPARE(totalOf(serverList(u"/v1/organizations"_s, q)), 1);
    }

    void missingNameIsShownAtTheFieldAndInputKept()
    {
        QVERIFY(m_fixture->signInDemo(u"admin@meddispatch.example"_s));
        std::unique_ptr<ResourceView> view(md::ui::createOrganizationsView(m_fixture->context()));
        QVERIFY(waitLoaded(view.get()));
        const qint64 before = view->model()->total();
        view->createNew();
        ResourceFormDialog *form = waitForm(view.get());
        QVERIFY(form);
        auto *nameError = child<QLabel>(form, u"nameError"_s);
        QVERIFY(nameError && !nameError->isVisible());
        QTest::keyClicks(child<QLineEdit>(form, u"cityField"_s), u"Musterstadt"_s);
        QTest::keyClicks(child<QLineEdit>(form, u"phoneField"_s), u"+4940123456"_s);
        QTest::mouseClick(child<QPushButton>(form, u"formSaveButton"_s), Qt::LeftButton);

        QTRY_VERIFY_WITH_TIMEOUT(nameError->isVisible(), Timeout);
        QVERIFY(nameError->text().contains(u"Name"_s));
        QVERIFY(form->isVisible()); // still open, nothing lost
        QCOMPARE(child<QLineEdit>(form, u"cityField"_s)->text(), u"Musterstadt"_s);
        QCOMPARE(child<QLineEdit>(form, u"phoneField"_s)->text(), u"+4940123456"_s);
        QVERIFY(!child<QLabel>(form, u"cityError"_s)->isVisible());
        QVERIFY(child<QLabel>(form, u"formMessage"_s)->isVisible());

        // Fixing the name saves it with what was typed before.
        QTest::keyClicks(child<QLineEdit>(form, u"nameField"_s), u"Praxis Musterstadt"_s);
        QTest::mouseClick(child<QPushButton>(form, u"formSaveButton"_s), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!view->openForm(), Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(view->model()->total(), before + 1, Timeout);
        QUrlQuery q;
        q.addQueryItem(u"q"_s, u"Praxis Musterstadt"_s);
        const QJsonArray found = serverList(u"/v1/organizations"_s, q).value(u"data"_s).toArray();
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.first().toObject().value(u"city"_s).toString(), u"Musterstadt"_s);
    }

    void editEngineerLevel()
    {
        QVERIFY(m_fixture->signInDemo(u"admin@meddispatch.example"_s));
        std::unique_ptr<ResourceView> view(md::ui::createEngineersView(m_fixture->context()));
        QVERIFY(waitLoaded(view.get()));
        auto *table = child<QTableView>(view.get(), u"engineersTable"_s);
        auto *edit = child<QPushButton>(view.get(), u"engineersEditButton"_s);
        QVERIFY(table && edit && edit->isVisible());
        QVERIFY(!edit->isEnabled()); // nothing selected yet

        table->setFocus();
        table->selectRow(2);
        QTRY_VERIFY(edit->isEnabled());
        const QString id = table->currentIndex().data(ResourceModel::IdRole).toString();
        const QJsonObject before = http().get(u"/v1/engineers/"_s + id).json;
        const QString oldLevel = before.value(u"level"_s).toString();
        const QString newLevel = oldLevel == u"L3"_s ? u"L1"_s : u"L3"_s;

        QTest::keyClick(table, Qt::Key_Return); // Enter edits
        ResourceFormDialog *form = waitForm(view.get());
        QVERIFY(form);
        QCOMPARE(form->mode(), ResourceFormDialog::Mode::Edit);
        auto *level = child<QComboBox>(form, u"levelField"_s);
        QVERIFY(level);
        QCOMPARE(level->currentData().toString(), oldLevel);
        level->setCurrentIndex(level->findData(newLevel));
        // Only what changed goes to the server.
        QCOMPARE(form->body(), (QJsonObject{{u"level"_s, newLevel}}));
        QTest::mouseClick(child<QPushButton>(form, u"formSaveButton"_s), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!view->openForm(), Timeout);

        const QJsonObject after = http().get(u"/v1/engineers/"_s + id).json;
        QCOMPARE(after.value(u"level"_s).toString(), newLevel);
        QCOMPARE(after.value(u"name"_s), before.value(u"name"_s));
        QCOMPARE(after.value(u"categories"_s), before.value(u"categories"_s));
        const int row = view->model()->rowOf(id);
        QCOMPARE(view->model()->object(row).value(u"level"_s).toString(), newLevel);
    }

    void equipmentFormShowsQrCodeAndSendsOnlyChanges()
    {
        QVERIFY(m_fixture->signInDemo(u"admin@meddispatch.example"_s));
        std::unique_ptr<ResourceView> view(md::ui::createEquipmentView(m_fixture->context()));
        QVERIFY(waitLoaded(view.get()));
        auto *table = child<QTableView>(view.get(), u"equipmentTable"_s);
        table->selectRow(3);
        const QJsonObject device = view->model()->object(3);
        QTest::mouseClick(child<QPushButton>(view.get(), u"equipmentEditButton"_s), Qt::LeftButton);
        ResourceFormDialog *form = waitForm(view.get());
        QVERIFY(form);
        QSignalSpy detail(form, &ResourceFormDialog::detailLoaded);
        QVERIFY(detail.wait(Timeout) || detail.size() == 1);

        // The label code is the server's: shown, copyable, not editable, never sent.
        auto *qr = child<QLineEdit>(form, u"qr_codeField"_s);
        QVERIFY(qr && qr->isReadOnly());
        QCOMPARE(qr->text(), device.value(u"qr_code"_s).toString());
        auto *hospital = child<QComboBox>(form, u"organization_idField"_s);
        QVERIFY(hospital);
        QTRY_VERIFY_WITH_TIMEOUT(hospital->isEnabled(), Timeout); // the organizations arrived
        QCOMPARE(hospital->currentData().toString(), device.value(u"organization_id"_s).toString());
        QVERIFY(!hospital->currentText().isEmpty());
        QCOMPARE(form->body(), QJsonObject()); // nothing changed, nothing to send

        auto *room = child<QLineEdit>(form, u"roomField"_s);
        room->clear();
        QTest::keyClicks(room, u"OR 7"_s);
        QCOMPARE(form->body(), (QJsonObject{{u"room"_s, u"OR 7"_s}}));
        QTest::mouseClick(child<QPushButton>(form, u"formSaveButton"_s), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!view->openForm(), Timeout);
        const QJsonObject stored =
            http().get(u"/v1/equipment/"_s + device.value(u"id"_s).toString()).json;
        QCOMPARE(stored.value(u"room"_s).toString(), u"OR 7"_s);
        QCOMPARE(stored.value(u"qr_code"_s), device.value(u"qr_code"_s));
        QCOMPARE(stored.value(u"organization_id"_s), device.value(u"organization_id"_s));
    }

    void liveEventsUpdateTheTable()
    {
        QVERIFY(m_fixture->signInDemo(u"admin@meddispatch.example"_s));
        md::client::EventStream &events = m_fixture->events();
        QTRY_VERIFY_WITH_TIMEOUT(events.isLive(), Timeout);
        std::unique_ptr<ResourceView> view(md::ui::createEngineersView(m_fixture->context()));
        QVERIFY(waitLoaded(view.get()));

        // Someone else renames a loaded engineer: the row follows in place.
        const QJsonObject engineer = view->model()->object(1);
        const QString id = engineer.value(u"id"_s).toString();
        QCOMPARE(http()
                     .patch(u"/v1/engineers/"_s + id, QJsonObject{{u"name"_s, u"Aaron Live"_s}})
                     .status,
                 200);
        QTRY_COMPARE_WITH_TIMEOUT(
            view->model()->object(view->model()->rowOf(id)).value(u"name"_s).toString(),
            u"Aaron Live"_s, Timeout);

        // Someone else adds one: it appears after a refresh of the list.
        const QJsonObject created =
            http()
                .post(u"/v1/engineers"_s,
                      QJsonObject{{u"name"_s, u"Aaaron Newcomer"_s},
                                  {u"level"_s, u"L2"_s},
                                  {u"organization_id"_s, engineer.value(u"organization_id"_s)}})
                .json;
        QVERIFY(created.contains(u"id"_s));
        QTRY_VERIFY_WITH_TIMEOUT(view->model()->rowOf(created.value(u"id"_s).toString()) >= 0,
                                 Timeout);
    }

    void customerMayNotCreateOrEdit()
    {
        QVERIFY(m_fixture->signIn(Role::Customer, m_hospitalId));
        for (const QString &key : {u"equipment"_s, u"engineers"_s}) {
            std::unique_ptr<ResourceView> view(
                key == u"equipment"_s ? md::ui::createEquipmentView(m_fixture->context())
                                      : md::ui::createEngineersView(m_fixture->context()));
            QVERIFY(waitLoaded(view.get()));
            QVERIFY(view->model()->rowCount() > 0);
            QVERIFY(child<QPushButton>(view.get(), key + u"NewButton"_s)->isHidden());
            QVERIFY(child<QPushButton>(view.get(), key + u"EditButton"_s)->isHidden());

            // Opening a row shows it read-only: no Save.
            auto *table = child<QTableView>(view.get(), key + u"Table"_s);
            table->selectRow(0);
            view->openCurrent();
            ResourceFormDialog *form = waitForm(view.get());
            QVERIFY(form);
            QCOMPARE(form->mode(), ResourceFormDialog::Mode::View);
            QVERIFY(!child<QPushButton>(form, u"formSaveButton"_s));
            QVERIFY(!form->editor(u"name"_s)->isEnabled());
            form->reject();
            QTRY_VERIFY(!view->openForm());
        }
        // The customer's equipment is their hospital's only.
        std::unique_ptr<ResourceView> equipment(md::ui::createEquipmentView(m_fixture->context()));
        QVERIFY(waitLoaded(equipment.get()));
        for (int row = 0; row < equipment->model()->rowCount(); ++row)
            QCOMPARE(equipment->model()->object(row).value(u"organization_id"_s).toString(),
                     m_hospitalId);
    }

    void orgAdminManagesOwnUsersOnly()
    {
        QVERIFY(m_fixture->signIn(Role::OrgAdmin, m_hospitalId));
        std::unique_ptr<ResourceView> view(md::ui::createUsersView(m_fixture->context()));
        QVERIFY(waitLoaded(view.get()));
        QVERIFY(view->model()->rowCount() >= 1); // at least the org_admin themself
        for (int row = 0; row < view->model()->rowCount(); ++row)
            QCOMPARE(view->model()->object(row).value(u"organization_id"_s).toString(),
                     m_hospitalId);
        // The server holds users of other organizations that this table does not show.
        QVERIFY(totalOf(serverList(u"/v1/users"_s, QUrlQuery(u"limit=1"_s))) >
                view->model()->total());
        QVERIFY(!child<QComboBox>(view.get(), u"usersOrganizationFilter"_s));

        auto *newButton = child<QPushButton>(view.get(), u"usersNewButton"_s);
        QVERIFY(newButton && newButton->isVisible());
        QTest::mouseClick(newButton, Qt::LeftButton);
        ResourceFormDialog *form = waitForm(view.get());
        QVERIFY(form);
        auto *role = child<QComboBox>(form, u"roleField"_s);
        QVERIFY(role);
        QStringList offered;
        for (int i = 0; i < role->count(); ++i)
            offered.append(role->itemData(i).toString());
        QVERIFY2(!offered.contains(u"admin"_s), qPrintable(offered.join(u',')));
        QVERIFY(!offered.contains(u"super_admin"_s));
        QVERIFY(offered.contains(u"org_admin"_s));
        QVERIFY(offered.contains(u"engineer"_s));
        QVERIFY(offered.contains(u"customer"_s));
        // Their users are placed in their organization by the server: no picker.
        QVERIFY(!form->editor(u"organization_id"_s));

        // A user created here lands in the org_admin's organization and in the table.
        QTest::keyClicks(child<QLineEdit>(form, u"nameField"_s), u"Schwester Gui-Test"_s);
        QTest::keyClicks(child<QLineEdit>(form, u"emailField"_s), u"gui-nurse@test.example"_s);
        role->setCurrentIndex(role->findData(u"customer"_s));
        QTest::mouseClick(child<QPushButton>(form, u"formSaveButton"_s), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!view->openForm(), Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(rowNamed(view->model(), u"Schwester Gui-Test"_s) >= 0, Timeout);
        const QJsonObject created =
            view->model()->object(rowNamed(view->model(), u"Schwester Gui-Test"_s));
        QCOMPARE(created.value(u"organization_id"_s).toString(), m_hospitalId);
        QCOMPARE(created.value(u"role"_s).toString(), u"customer"_s);
    }

    void lockedUserCanBeUnlocked()
    {
        // Five wrong passwords lock the account (the server's login throttle).
        const md::domain::User target =
            m_fixture->server().createUser(Role::Customer, m_hospitalId, {}, u"Right-Pass-4242"_s);
        auto anonymous = m_fixture->server().anonymousClient();
        for (int i = 0; i < 12; ++i) {
            const auto reply =
                anonymous->post(u"/v1/auth/login"_s, QJsonObject{{u"identifier"_s, target.email},
                                                                 {u"password"_s, u"wrong-pass"_s}});
            if (reply.status == 423)
                break;
        }
        const QJsonObject locked = http().get(u"/v1/users/"_s + target.id).json;
        if (!locked.value(u"locked"_s).toBool())
            QSKIP("the login throttle did not lock the account");

        QVERIFY(m_fixture->signInDemo(u"admin@meddispatch.example"_s));
        std::unique_ptr<ResourceView> view(md::ui::createUsersView(m_fixture->context()));
        QVERIFY(waitLoaded(view.get()));
        auto *search = child<QLineEdit>(view.get(), u"usersSearch"_s);
        QTest::keyClicks(search, target.email);
        QTRY_VERIFY_WITH_TIMEOUT(
            view->model()->rowOf(target.id) >= 0 && !view->model()->isLoading(), Timeout);
        auto *table = child<QTableView>(view.get(), u"usersTable"_s);
        table->selectRow(view->model()->rowOf(target.id)); // the table is in server order
        view->openCurrent();
        ResourceFormDialog *form = waitForm(view.get());
        QVERIFY(form);
        auto *unlock = child<QPushButton>(form, u"unlockButton"_s);
        QVERIFY(unlock);
        QTRY_VERIFY_WITH_TIMEOUT(unlock->isVisible(), Timeout); // from the user's detail
        QTest::mouseClick(unlock, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!unlock->isVisible(), Timeout);
        QVERIFY(!http().get(u"/v1/users/"_s + target.id).json.value(u"locked"_s).toBool());
        const auto login = anonymous->post(
            u"/v1/auth/login"_s,
            QJsonObject{{u"identifier"_s, target.email}, {u"password"_s, u"Right-Pass-4242"_s}});
        QCOMPARE(login.status, 200);
        form->reject();
    }
};

QTEST_MAIN(TestGuiAdmin)
#include "tst_gui_admin.moc"
