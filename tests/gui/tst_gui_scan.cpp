// The Scan view against a real server with the demo data, driven like a user: a
// keyboard-wedge scanner types a label code into the scan field and the equipment opens
// with its open tickets; "Report a problem" creates a ticket that then appears in the
// list; a photo file made by qrencode, the clipboard and fake camera frames open the same
// equipment; without a camera the view says so and the other inputs stay usable; hostile
// payloads get an in-place message and open nothing; a GS1 UDI whose serial is unknown
// offers the equipment form prefilled.

#include "admin/resourceformdialog.h"
#include "codeimages.h"
#include "common/statewidget.h"
#include "domain/qrpayload.h"
#include "fakeframesource.h"
#include "guitestsupport.h"
#include "labels/labelsheetdialog.h"
#include "mainwindow.h"
#include "scan/camerapreview.h"
#include "scan/camerasource.h"
#include "scan/framedecoder.h"
#include "scan/identifiedequipmentpanel.h"
#include "scan/openticketsmodel.h"
#include "scan/scanfield.h"
#include "scan/scanpipeline.h"
#include "scan/scanview.h"
#include "tickets/newticketdialog.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDesktopServices>
#include <QFile>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace Qt::StringLiterals;
using md::test::GuiFixture;
using md::ui::IdentifiedEquipmentPanel;
using md::ui::LookupResult;
using md::ui::ScanField;
using md::ui::ScanView;

namespace {

constexpr int TimeoutMs = 15000;

template <typename T> T *child(QObject *parent, const QString &name)
{
    return parent->findChild<T *>(name);
}

// A GTIN-14 with its GS1 mod-10 check digit.
QString gtinFrom(const QString &thirteenDigits)
{
    int sum = 0;
    for (qsizetype i = 0; i < thirteenDigits.size(); ++i)
        sum += thirteenDigits.at(thirteenDigits.size() - 1 - i).digitValue() * (i % 2 ? 1 : 3);
    return thirteenDigits + QString::number((10 - sum % 10) % 10);
}

quint32 crc32(const QByteArray &data)
{
    quint32 crc = 0xffffffffu;
    for (const char byte : data) {
        crc ^= quint8(byte);
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

// A PNG whose header claims 100,000 × 100,000 pixels: refused before anything is decoded.
QByteArray hugePngHeader()
{
    QByteArray ihdr("IHDR");
    const auto be32 = [](QByteArray &out, quint32 v) {
        for (int shift = 24; shift >= 0; shift -= 8)
            out.append(char((v >> shift) & 0xff));
    };
    be32(ihdr, 100000);
    be32(ihdr, 100000);
    ihdr.append(char(8)).append(char(2)).append(char(0)).append(char(0)).append(char(0));
    QByteArray png("\x89PNG\r\n\x1a\n", 8);
    be32(png, 13);
    png.append(ihdr);
    be32(png, crc32(ihdr));
    be32(png, 0);
    png.append("IEND");
    be32(png, crc32("IEND"));
    return png;
}

/// Stands in for the desktop's URL openers: a payload must never reach one.
class UrlRecorder final : public QObject
{
    Q_OBJECT
public:
    QList<QUrl> opened;
public Q_SLOTS:
    void open(const QUrl &url) { opened.append(url); }
};

} // namespace

class TestGuiScan final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<GuiFixture> m_fixture;
    std::unique_ptr<ScanView> m_view;
    QJsonObject m_equipment; // demo equipment with open tickets
    QTemporaryDir m_dir;
    QString m_labelPng; // its label, made by qrencode
    UrlRecorder m_urls;
    // The scan field's clock: each key moves it by m_step ms (5: a scanner, 200: a person).
    qint64 m_now = 0;
    int m_step = 200;

    md::test::HttpClient &http() { return m_fixture->server().client(); }
    ScanField *field() const { return m_view->scanField(); }
    IdentifiedEquipmentPanel *panel() const { return m_view->panel(); }
    QString code() const { return m_equipment.value(u"qr_code"_s).toString(); }
    QString equipmentId() const { return m_equipment.value(u"id"_s).toString(); }

    QStringList serverOpenTicketIds(const QString &equipmentId)
    {
        QUrlQuery query;
        query.addQueryItem(u"equipment_id"_s, equipmentId);
        query.addQueryItem(u"status"_s, u"new,assigned,in_progress,on_hold"_s);
        query.addQueryItem(u"limit"_s, u"100"_s);
        QStringList ids;
        for (const QJsonValue &t :
             http().get(u"/v1/tickets?"_s + query.toString()).json.value(u"data"_s).toArray())
            ids.append(t.toObject().value(u"id"_s).toString());
        return ids;
    }

    QStringList panelTicketIds() const
    {
        QStringList ids;
        const auto *model = panel()->openTickets();
        for (int row = 0; row < model->rowCount(); ++row)
            ids.append(model->ticket(row).value(u"id"_s).toString());
        return ids;
    }

    void useSimulatedClock()
    {
        field()->setClock([this] { return m_now += m_step; });
    }

    // Types like a person (200 ms between keys) and presses Enter.
    void typeByHand(const QString &text)
    {
        useSimulatedClock();
        m_step = 200;
        QTest::keyClicks(field(), text);
        QTest::keyClick(field(), Qt::Key_Return);
    }

    // Waits until the view has shown a lookup's outcome, or an image's problem.
    bool waitForOutcome(QSignalSpy &spy)
    {
        return QTest::qWaitFor([&] { return !spy.isEmpty() && !m_view->isDecoding(); }, TimeoutMs);
    }

    // Shows something else than the demo equipment, so that the next identification of
    // it is a change a user would see.
    void showNothing()
    {
        QSignalSpy done(m_view.get(), &ScanView::lookupFinished);
        m_view->identify(md::domain::QrPayload::generateCode(), ScanView::Source::Typed);
        QVERIFY(done.wait(TimeoutMs));
        QVERIFY(panel()->equipmentId().isEmpty());
    }

    std::unique_ptr<ScanView> openView()
    {
        auto view = std::make_unique<ScanView>(m_fixture->context());
        view->resize(1300, 850);
        view->show();
        QApplication::setActiveWindow(view.get());
        if (!QTest::qWaitForWindowActive(view.get()))
            qWarning("the scan view did not become active");
        return view;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        for (const char *scheme : {"http", "https", "file", "javascript", "mailto"})
            QDesktopServices::setUrlHandler(QString::fromLatin1(scheme), &m_urls, "open");
        m_fixture = std::make_unique<GuiFixture>();
        QVERIFY2(m_fixture->isRunning(), qPrintable(m_fixture->error()));
        QVERIFY(m_fixture->signInDemo(u"admin@meddispatch.example"_s));

        // Equipment with open tickets, so that the list has something to show.
        const QJsonArray tickets =
            http().get(u"/v1/tickets?status=new&limit=1"_s).json.value(u"data"_s).toArray();
        QVERIFY(!tickets.isEmpty());
        const QString id = tickets.first().toObject().value(u"equipment_id"_s).toString();
        m_equipment = http().get(u"/v1/equipment/"_s + id).json;
        QVERIFY(!code().isEmpty());
        QVERIFY(!serverOpenTicketIds(id).isEmpty());

        if (md::test::CodeImages::missingTools().isEmpty()) {
            md::test::CodeImages images(m_dir.path());
            m_labelPng = images.qrPng(code(), 6, u"label.png"_s);
            QVERIFY2(!m_labelPng.isEmpty(), qPrintable(images.lastError()));
        }
        m_view = openView();
    }

    void cleanupTestCase()
    {
        QVERIFY2(m_urls.opened.isEmpty(), "a payload was handed to a URL opener");
        for (const char *scheme : {"http", "https", "file", "javascript", "mailto"})
            QDesktopServices::unsetUrlHandler(QString::fromLatin1(scheme));
        m_view.reset();
        m_fixture.reset();
    }

    void noCameraSaysSoAndKeepsTheOtherInputs()
    {
        QVERIFY(m_view->camera());
        if (m_view->camera()->hasCamera())
            QSKIP("this machine has a camera");
        QVERIFY2(m_view->preview()->message().contains(u"No camera found"_s),
                 qPrintable(m_view->preview()->message()));
        auto *cameraButton = child<QPushButton>(m_view.get(), u"cameraButton"_s);
        QVERIFY(cameraButton);
        QVERIFY(!cameraButton->isEnabled());
        QVERIFY(!child<QComboBox>(m_view.get(), u"cameraCombo"_s)->isEnabled());
        QVERIFY(field()->isEnabled());
        QVERIFY(child<QPushButton>(m_view.get(), u"openImageButton"_s)->isEnabled());
        QVERIFY(child<QPushButton>(m_view.get(), u"pasteButton"_s)->isEnabled());
        // Ready for a handheld scanner at once.
        QTRY_COMPARE_WITH_TIMEOUT(QApplication::focusWidget(), static_cast<QWidget *>(field()),
                                  TimeoutMs);
        // Start anyway (a keyboard shortcut, a stale button): nothing breaks, focus stays.
        m_view->startCamera();
        QVERIFY(!m_view->camera()->isActive());
        QVERIFY(m_view->preview()->message().contains(u"No camera found"_s));
        QCOMPARE(QApplication::focusWidget(), static_cast<QWidget *>(field()));
    }

    void scannerOpensTheEquipmentAndItsOpenTickets()
    {
        QAbstractItemModelTester tester(panel()->openTickets(),
                                        QAbstractItemModelTester::FailureReportingMode::Fatal);
        QSignalSpy identified(m_view.get(), &ScanView::equipmentIdentified);
        // As a USB scanner types: fast keys, then Enter (the real clock).
        field()->setClock({});
        field()->setFocus();
        QTest::keyClicks(field(), code(), Qt::NoModifier, 5);
        QTest::keyClick(field(), Qt::Key_Return);
        QVERIFY(identified.wait(TimeoutMs));
        QCOMPARE(panel()->equipmentId(), equipmentId());
        QCOMPARE(child<QLabel>(panel(), u"equipmentName"_s)->text(),
                 m_equipment.value(u"name"_s).toString());
        QCOMPARE(child<QLabel>(panel(), u"equipmentSerial"_s)->text(),
                 m_equipment.value(u"serial_number"_s).toString());
        QCOMPARE(m_view->panelState()->state(), md::ui::StateWidget::State::Content);
        QTRY_VERIFY_WITH_TIMEOUT(!panel()->isLoadingTickets(), TimeoutMs);
        QCOMPARE(panelTicketIds(), serverOpenTicketIds(equipmentId()));
        // The owner hospital by name.
        const QString hospital =
            http()
                .get(u"/v1/organizations/"_s + m_equipment.value(u"organization_id"_s).toString())
                .json.value(u"name"_s)
                .toString();
        QTRY_COMPARE_WITH_TIMEOUT(child<QLabel>(panel(), u"equipmentHospital"_s)->text(), hospital,
                                  TimeoutMs);
        QVERIFY(field()->text().isEmpty()); // ready for the next scan
        QCOMPARE(QApplication::focusWidget(), static_cast<QWidget *>(field()));
    }

    // A scanned device's label can be reprinted from the panel: the sheet dialog opens
    // with exactly that one piece of equipment.
    void printLabelOffersThisEquipmentsLabel()
    {
        auto *print = child<QPushButton>(panel(), u"printLabelButton"_s);
        QVERIFY(print && print->isVisible());
        QTest::mouseClick(print, Qt::LeftButton);
        auto *dialog = panel()->findChild<md::ui::LabelSheetDialog *>();
        QVERIFY(dialog);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->isVisible(), TimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(child<QLabel>(dialog, u"labelSummary"_s)->text(),
                                  u"1 label on 1 page."_s, TimeoutMs);
        dialog->close();
    }

    void reportAProblemCreatesATicket()
    {
        QCOMPARE(panel()->equipmentId(), equipmentId());
        auto *report = child<QPushButton>(panel(), u"reportProblemButton"_s);
        QVERIFY(report && report->isVisible());
        QTest::mouseClick(report, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(panel()->newTicketDialog(), TimeoutMs);
        md::ui::NewTicketDialog *dialog = panel()->newTicketDialog();
        QTRY_VERIFY_WITH_TIMEOUT(dialog->isVisible(), TimeoutMs);
        auto *equipment = child<QComboBox>(dialog, u"newTicketEquipment"_s);
        QTRY_COMPARE_WITH_TIMEOUT(equipment->currentData().toString(), equipmentId(), TimeoutMs);

        const QString title = u"Scanned: display flickers"_s;
        QTest::keyClicks(child<QLineEdit>(dialog, u"newTicketTitle"_s), title);
        QTest::keyClicks(child<QPlainTextEdit>(dialog, u"newTicketDescription"_s),
                         u"Found by scanning its label at the bedside."_s);
        QSignalSpy created(panel(), &IdentifiedEquipmentPanel::ticketCreated);
        QTest::mouseClick(child<QPushButton>(dialog, u"newTicketSubmit"_s), Qt::LeftButton);
        QVERIFY(created.wait(TimeoutMs));
        const QJsonObject ticket = created.first().first().toJsonObject();
        QCOMPARE(ticket.value(u"equipment_id"_s).toString(), equipmentId());

        // The server has it, the confirmation names it, the list shows it.
        const QJsonObject stored =
            http().get(u"/v1/tickets/"_s + ticket.value(u"id"_s).toString()).json;
        QCOMPARE(stored.value(u"title"_s).toString(), title);
        QCOMPARE(stored.value(u"equipment_id"_s).toString(), equipmentId());
        QVERIFY2(panel()->confirmation().contains(stored.value(u"number"_s).toString()),
                 qPrintable(panel()->confirmation()));
        QTRY_VERIFY_WITH_TIMEOUT(
            panel()->openTickets()->rowOf(stored.value(u"id"_s).toString()) >= 0, TimeoutMs);
        QCOMPARE(panelTicketIds(), serverOpenTicketIds(equipmentId()));
    }

    void anOpenTicketOpensInTheTicketsView()
    {
        QVERIFY(panel()->openTickets()->rowCount() > 0);
        QSignalSpy open(m_view.get(), &ScanView::ticketOpenRequested);
        QListView *list = panel()->openTicketsView();
        list->setFocus();
        list->setCurrentIndex(panel()->openTickets()->index(0));
        QTest::keyClick(list, Qt::Key_Return);
        QCOMPARE(open.size(), 1);
        QCOMPARE(open.first().first().toString(),
                 panel()->openTickets()->ticket(0).value(u"id"_s).toString());
    }

    void scanInTheMiddleOfTypingKeepsTheTypedText()
    {
        showNothing();
        field()->clearInput();
        field()->setFocus();
        useSimulatedClock();
        m_step = 200; // a person starts typing ...
        QTest::keyClicks(field(), u"room 12"_s);
        m_now += 150; // ... pauses ...
        m_step = 5;   // ... and a scanner fires into the same field
        QSignalSpy identified(m_view.get(), &ScanView::equipmentIdentified);
        QTest::keyClicks(field(), code());
        QTest::keyClick(field(), Qt::Key_Return);
        QVERIFY(identified.wait(TimeoutMs));
        QCOMPARE(panel()->equipmentId(), equipmentId());
        QCOMPARE(field()->text(), u"room 12"_s); // what the person typed is still there
        field()->clearInput();
    }

    void typedCodeIsKeptOnErrorAndClearedOnSuccess()
    {
        field()->clearInput();
        field()->setFocus();
        QString unknown;
        do {
            unknown = md::domain::QrPayload::generateCode();
        } while (unknown == code());
        QSignalSpy done(m_view.get(), &ScanView::lookupFinished);
        typeByHand(unknown);
        QVERIFY(waitForOutcome(done));
        QCOMPARE(m_view->message(), u"No equipment in your organization has this label."_s);
        QCOMPARE(field()->text(), unknown); // kept, to correct a typo
        QVERIFY(panel()->equipmentId().isEmpty());
        QVERIFY(child<QPushButton>(m_view.get(), u"addEquipmentButton"_s)->isHidden());

        field()->clearInput();
        done.clear();
        typeByHand(code().toLower().remove(u'-')); // the lenient hand-typed form
        QVERIFY(waitForOutcome(done));
        QCOMPARE(panel()->equipmentId(), equipmentId());
        QVERIFY(field()->text().isEmpty());
        QVERIFY(m_view->message().isEmpty());
    }

    void hostilePayloadsStayInPlace_data()
    {
        QTest::addColumn<QString>("payload");
        QTest::newRow("web link") << u"https://evil.example/steal?session=1"_s;
        QTest::newRow("javascript") << u"javascript:alert(1)"_s;
        QTest::newRow("file") << u"file:///etc/shadow"_s;
        QTest::newRow("markup") << u"<a href=\"https://evil.example\">Open me</a>"_s;
        QTest::newRow("4,000 characters") << QString(4000, u'Z');
    }

    void hostilePayloadsStayInPlace()
    {
        QFETCH(QString, payload);
        field()->clearInput();
        field()->setFocus();
        const int requests = m_view->lookup()->requestsSent();
        QSet<QWidget *> windowsBefore;
        for (QWidget *w : QApplication::topLevelWidgets())
            if (w->isVisible())
                windowsBefore.insert(w);
        QSignalSpy done(m_view.get(), &ScanView::lookupFinished);
        if (payload.size() > 200) {
            // Pasted as text: the same path as a payload, without 4,000 key events.
            field()->setText(payload);
            QTest::keyClick(field(), Qt::Key_Return);
        } else {
            typeByHand(payload);
        }
        QVERIFY(waitForOutcome(done));
        const QString message = m_view->message();
        QVERIFY2(message.startsWith(u"This code is not a MedDispatch label or a GS1 UDI: «"_s),
                 qPrintable(message));
        QVERIFY(message.size() < 200);
        auto *label = child<QLabel>(m_view.get(), u"scanMessage"_s);
        QCOMPARE(label->textFormat(), Qt::PlainText);
        QVERIFY(!label->openExternalLinks());
        QCOMPARE(field()->text(), payload); // hand-typed text stays to be corrected
        QCOMPARE(m_view->lookup()->requestsSent(), requests); // never sent
        QVERIFY(m_urls.opened.isEmpty());                     // never opened
        QVERIFY(panel()->equipmentId().isEmpty());
        for (QWidget *w : QApplication::topLevelWidgets())
            QVERIFY2(!w->isVisible() || windowsBefore.contains(w), "a window was opened");
        field()->clearInput();
    }

    void groupSeparatorIsKeptAndShown()
    {
        field()->clearInput();
        field()->setFocus();
        useSimulatedClock();
        m_step = 200;
        QTest::keyClicks(field(), u"AB"_s);
        QTest::keyClick(field(), Qt::Key_BracketRight, Qt::ControlModifier);
        QTest::keyClicks(field(), u"CD"_s);
        QCOMPARE(field()->text(), u"AB"_s + QChar(0x241d) + u"CD"_s);
        QCOMPARE(field()->payload(), u"AB"_s + QChar(0x1d) + u"CD"_s);
        field()->clearInput();
    }

    void unknownUdiOffersTheEquipmentFormPrefilled()
    {
        const QString gtin = gtinFrom(u"0761234567890"_s);
        const QString serial = u"SCAN-NEW-0042"_s;
        field()->clearInput();
        field()->setFocus();
        useSimulatedClock();
        m_step = 4; // a GS1 scanner: FNC1 as Ctrl+] between the variable-length fields
        QSignalSpy done(m_view.get(), &ScanView::lookupFinished);
        QTest::keyClicks(field(), u"01"_s + gtin + u"21"_s + serial);
        QTest::keyClick(field(), Qt::Key_BracketRight, Qt::ControlModifier);
        QTest::keyClicks(field(), u"10LOT7"_s);
        QTest::keyClick(field(), Qt::Key_Return);
        QVERIFY(waitForOutcome(done));
        const auto result = done.last().first().value<LookupResult>();
        QCOMPARE(result.outcome, LookupResult::Outcome::NotFound);
        QCOMPARE(result.code.udi.serial, serial);
        QCOMPARE(result.code.udi.lot, u"LOT7"_s);
        QVERIFY2(m_view->message().startsWith(u"No equipment with serial number "_s + serial),
                 qPrintable(m_view->message()));
        QVERIFY(m_view->message().contains(u"LOT7"_s));
        QVERIFY(field()->text().isEmpty()); // a scan is taken out of the field

        auto *add = child<QPushButton>(m_view.get(), u"addEquipmentButton"_s);
        QVERIFY(add->isVisible());
        QTest::mouseClick(add, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(m_view->equipmentForm(), TimeoutMs);
        md::ui::ResourceFormDialog *form = m_view->equipmentForm();
        QCOMPARE(form->mode(), md::ui::ResourceFormDialog::Mode::Create);
        QCOMPARE(child<QLineEdit>(form, u"serial_numberField"_s)->text(), serial);
        QCOMPARE(child<QLineEdit>(form, u"gtinField"_s)->text(), gtin);

        // Completing the form creates it, and the panel shows the new equipment.
        QTest::keyClicks(child<QLineEdit>(form, u"nameField"_s), u"Scanned infusion pump"_s);
        auto *hospital = child<QComboBox>(form, u"organization_idField"_s);
        auto *maker = child<QComboBox>(form, u"manufacturer_idField"_s);
        auto *category = child<QComboBox>(form, u"categoryField"_s);
        QTRY_VERIFY_WITH_TIMEOUT(hospital->isEnabled() && maker->isEnabled(), TimeoutMs);
        hospital->setCurrentIndex(
            hospital->findData(m_equipment.value(u"organization_id"_s).toString()));
        maker->setCurrentIndex(maker->findData(m_equipment.value(u"manufacturer_id"_s).toString()));
        QVERIFY(hospital->currentIndex() > 0 && maker->currentIndex() > 0);
        category->setCurrentIndex(category->findData(u"infusion_pump"_s));
        QSignalSpy identified(m_view.get(), &ScanView::equipmentIdentified);
        QTest::mouseClick(child<QPushButton>(form, u"formSaveButton"_s), Qt::LeftButton);
        if (!identified.wait(TimeoutMs)) {
            QStringList problems{child<QLabel>(form, u"formMessage"_s)->text()};
            for (QLabel *error : form->findChildren<QLabel *>())
                if (error->objectName().endsWith(u"Error"_s) && !error->text().isEmpty())
                    problems.append(error->objectName() + u": "_s + error->text());
            QFAIL(qPrintable(problems.join(u"; "_s)));
        }
        const QJsonObject created = identified.first().first().toJsonObject();
        QCOMPARE(created.value(u"serial_number"_s).toString(), serial);
        QCOMPARE(created.value(u"gtin"_s).toString(), gtin);
        QCOMPARE(panel()->equipmentId(), created.value(u"id"_s).toString());
        QVERIFY(add->isHidden());

        // The same UDI now names it.
        done.clear();
        m_view->identify(u"(01)"_s + gtin + u"(21)"_s + serial, ScanView::Source::Scanner);
        QVERIFY(waitForOutcome(done));
        QCOMPARE(done.last().first().value<LookupResult>().outcome, LookupResult::Outcome::Found);
        QCOMPARE(panel()->equipmentId(), created.value(u"id"_s).toString());
    }

    void sharedSerialLetsTheUserChoose()
    {
        const QString serial = u"GUI-TWIN-0815"_s;
        QStringList ids;
        for (const QString &name : {u"Twin ventilator A"_s, u"Twin ventilator B"_s}) {
            const auto reply = http().post(
                u"/v1/equipment"_s,
                QJsonObject{{u"name"_s, name},
                            {u"organization_id"_s, m_equipment.value(u"organization_id"_s)},
                            {u"manufacturer_id"_s, m_equipment.value(u"manufacturer_id"_s)},
                            {u"serial_number"_s, serial},
                            {u"category"_s, m_equipment.value(u"category"_s)}});
            QVERIFY2(reply.status == 201, reply.body.constData());
            ids.append(reply.json.value(u"id"_s).toString());
        }
        QSignalSpy done(m_view.get(), &ScanView::lookupFinished);
        m_view->identify(u"(01)"_s + gtinFrom(u"0761234567890"_s) + u"(21)"_s + serial,
                         ScanView::Source::Scanner);
        QVERIFY(waitForOutcome(done));
        QVERIFY2(m_view->message().contains(serial), qPrintable(m_view->message()));
        auto *list = child<QListWidget>(m_view.get(), u"ambiguousList"_s);
        QVERIFY(list->isVisible());
        QCOMPARE(list->count(), 2);
        QVERIFY(list->item(0)->text().startsWith(u"Twin ventilator A"_s));
        QVERIFY(panel()->equipmentId().isEmpty()); // nothing chosen for the user

        QSignalSpy identified(m_view.get(), &ScanView::equipmentIdentified);
        list->setFocus();
        list->setCurrentRow(1);
        QTest::keyClick(list, Qt::Key_Return);
        QCOMPARE(identified.size(), 1);
        QCOMPARE(panel()->equipmentId(), ids.at(1));
    }

    void imageFileFindsTheEquipment()
    {
        if (m_labelPng.isEmpty())
            QSKIP(qPrintable(u"missing: "_s + md::test::CodeImages::missingTools()));
        showNothing();
        QSignalSpy identified(m_view.get(), &ScanView::equipmentIdentified);
        m_view->openImageFile(m_labelPng);
        QVERIFY(identified.wait(TimeoutMs));
        QCOMPARE(panel()->equipmentId(), equipmentId());
    }

    void unusableImageFilesSaySo_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not an image")
            << QByteArray("this is not a PNG at all") << u"could not be read"_s;
        QTest::newRow("truncated PNG")
            << QByteArray("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16) << u"could not be read"_s;
        QTest::newRow("100,000 × 100,000 pixels claimed") << hugePngHeader() << u"too large"_s;
    }

    void unusableImageFilesSaySo()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        static int files = 0;
        const QString path = m_dir.filePath(u"bad-%1.png"_s.arg(++files));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(bytes);
        file.close();
        m_view->openImageFile(path);
        QVERIFY(m_view->isDecoding());
        QTRY_VERIFY_WITH_TIMEOUT(!m_view->isDecoding(), TimeoutMs);
        QVERIFY2(m_view->message().contains(expected), qPrintable(m_view->message()));
        QVERIFY(field()->isEnabled());
    }

    void imageWithoutACodeSaysSo()
    {
        if (m_labelPng.isEmpty())
            QSKIP("ImageMagick is missing");
        md::test::CodeImages images(m_dir.path());
        const QString blank = images.magick(
            m_labelPng, {u"-fill"_s, u"white"_s, u"-colorize"_s, u"100"_s}, u"blank.png"_s);
        QVERIFY2(!blank.isEmpty(), qPrintable(images.lastError()));
        m_view->openImageFile(blank);
        QTRY_VERIFY_WITH_TIMEOUT(!m_view->isDecoding(), TimeoutMs);
        QVERIFY2(m_view->message().startsWith(u"No QR label or UDI code was found"_s),
                 qPrintable(m_view->message()));
    }

    void clipboardImageFindsTheEquipment()
    {
        if (m_labelPng.isEmpty())
            QSKIP("qrencode is missing");
        showNothing();
        QImage image;
        QVERIFY(image.load(m_labelPng));
        QGuiApplication::clipboard()->setImage(image);
        QSignalSpy identified(m_view.get(), &ScanView::equipmentIdentified);
        field()->setFocus();
        QTest::keySequence(field(), QKeySequence::Paste); // Ctrl+V in the scan field
        QVERIFY(identified.wait(TimeoutMs));
        QCOMPARE(panel()->equipmentId(), equipmentId());
        QVERIFY(field()->text().isEmpty()); // an image is not pasted as text
    }

    void clipboardTextIsTakenAsTheCode()
    {
        showNothing();
        QGuiApplication::clipboard()->setText(code());
        QSignalSpy identified(m_view.get(), &ScanView::equipmentIdentified);
        QTest::mouseClick(child<QPushButton>(m_view.get(), u"pasteButton"_s), Qt::LeftButton);
        QVERIFY(identified.wait(TimeoutMs));
        QCOMPARE(panel()->equipmentId(), equipmentId());

        // A pasted link is shown, not followed, and not sent.
        const int requests = m_view->lookup()->requestsSent();
        QGuiApplication::clipboard()->setText(u"https://evil.example/phish"_s);
        QTest::mouseClick(child<QPushButton>(m_view.get(), u"pasteButton"_s), Qt::LeftButton);
        QVERIFY2(m_view->message().contains(u"https://evil.example/phish"_s),
                 qPrintable(m_view->message()));
        QCOMPARE(m_view->lookup()->requestsSent(), requests);
        QVERIFY(m_urls.opened.isEmpty());
    }

    void cameraFramesOpenTheEquipmentOnce()
    {
        if (m_labelPng.isEmpty())
            QSKIP("qrencode or ImageMagick is missing");
        md::test::CodeImages images(m_dir.path());
        const QString scenePath =
            images.scene(m_labelPng, QSize(640, 480), 240, QPoint(200, 120), 0, u"scene.jpg"_s, 3);
        QVERIFY2(!scenePath.isEmpty(), qPrintable(images.lastError()));
        QImage scene;
        QVERIFY(scene.load(scenePath));
        showNothing();

        md::test::FakeFrameSource source;
        QVERIFY(source.append(scene, 30));
        source.setFrameRate(30);
        source.setLooping(true);
        QSignalSpy identified(m_view.get(), &ScanView::equipmentIdentified);
        m_view->setFrameSource(&source);
        source.start();
        const auto detach = qScopeGuard([&] {
            source.stop();
            m_view->setFrameSource(nullptr);
        });
        QVERIFY(identified.wait(TimeoutMs));
        QCOMPARE(panel()->equipmentId(), equipmentId());
        // The label stays in front of the camera: it was opened once, not once a frame.
        const quint64 sentBefore = source.framesSent();
        QTRY_VERIFY_WITH_TIMEOUT(source.framesSent() > sentBefore + 30, TimeoutMs);
        QCOMPARE(identified.size(), 1);
        QVERIFY(m_view->preview()->framesPainted() > 0);
    }

    void cameraSeesAForeignCodeAndKeepsTheEquipment()
    {
        if (m_labelPng.isEmpty())
            QSKIP("qrencode is missing");
        QCOMPARE(panel()->equipmentId(), equipmentId()); // from the previous test
        md::test::CodeImages images(m_dir.path());
        const QString poster =
            images.qrPng(u"https://evil.example/win-a-prize"_s, 6, u"poster.png"_s);
        QVERIFY2(!poster.isEmpty(), qPrintable(images.lastError()));
        QImage image;
        QVERIFY(image.load(poster));
        md::test::FakeFrameSource source;
        QVERIFY(source.append(image.convertToFormat(QImage::Format_RGB32), 10));
        const int requests = m_view->lookup()->requestsSent();
        m_view->setFrameSource(&source);
        const auto detach = qScopeGuard([&] {
            source.stop();
            m_view->setFrameSource(nullptr);
        });
        source.start();
        QTRY_VERIFY_WITH_TIMEOUT(m_view->message().contains(u"evil.example"_s), TimeoutMs);
        QVERIFY(m_view->message().startsWith(u"This code is not a MedDispatch label"_s));
        QCOMPARE(panel()->equipmentId(), equipmentId()); // still shown
        QCOMPARE(m_view->lookup()->requestsSent(), requests);
        QVERIFY(m_urls.opened.isEmpty());
    }

    void hiddenViewDecodesNothing()
    {
        if (m_labelPng.isEmpty())
            QSKIP("qrencode is missing");
        showNothing();
        QImage label;
        QVERIFY(label.load(m_labelPng));
        md::test::FakeFrameSource source;
        QVERIFY(source.append(label.convertToFormat(QImage::Format_RGB32), 10));
        // The previous test showed this label to the camera moments ago: without this the
        // pipeline would rightly take it for the same sighting.
        const int repeatInterval = m_view->pipeline()->repeatInterval();
        m_view->pipeline()->setRepeatInterval(100);
        const auto restore = qScopeGuard([&] {
            source.stop();
            m_view->setFrameSource(nullptr);
            m_view->pipeline()->setRepeatInterval(repeatInterval);
        });
        m_view->setFrameSource(&source);
        m_view->hide();
        QVERIFY(!m_view->pipeline()->decoder()->isEnabled());
        QSignalSpy identified(m_view.get(), &ScanView::equipmentIdentified);
        source.start();
        QTRY_VERIFY_WITH_TIMEOUT(source.framesSent() > 20, TimeoutMs);
        QTest::qWait(200);
        QCOMPARE(identified.size(), 0);

        m_view->show();
        QVERIFY(m_view->pipeline()->decoder()->isEnabled());
        QVERIFY(identified.wait(TimeoutMs)); // shown again: the label is read
    }

    void mainWindowAddsTheScanViewLast()
    {
        md::ui::MainWindow window(m_fixture->context());
        window.showWorkspace();
        auto *navigation = child<QListWidget>(&window, u"navigation"_s);
        QVERIFY(navigation && navigation->count() > 1);
        QCOMPARE(navigation->item(navigation->count() - 1)->text(), u"Scan"_s);
        QVERIFY(window.view(u"scanView"_s));
        // The views before it keep their numbers: Ctrl+1 is still the first one.
        QCOMPARE(navigation->item(0)->data(Qt::UserRole).toString(), u"dashboardView"_s);
        QAction *identify = child<QAction>(&window, u"identifyEquipmentAction"_s);
        QVERIFY(identify);
        identify->trigger();
        auto *views = child<QStackedWidget>(&window, u"views"_s);
        QCOMPARE(views->currentWidget()->objectName(), u"scanView"_s);
        // An open ticket chosen in the panel shows the tickets view.
        auto *scan = qobject_cast<ScanView *>(window.view(u"scanView"_s));
        QVERIFY(scan);
        Q_EMIT scan->ticketOpenRequested(serverOpenTicketIds(equipmentId()).value(0, QString()));
        QCOMPARE(views->currentWidget()->objectName(), u"ticketsView"_s);
    }

    void rolesSeeOnlyWhatTheyMay()
    {
        m_view.reset();
        // An engineer may not report: no "Report a problem".
        QVERIFY(m_fixture->signIn(md::domain::Role::Engineer,
                                  m_equipment.value(u"organization_id"_s).toString()));
        {
            ScanView view(m_fixture->context());
            QVERIFY(child<QPushButton>(view.panel(), u"reportProblemButton"_s)->isHidden());
        }
        // Hospital staff report, but may not create equipment from an unknown UDI.
        QVERIFY(m_fixture->signIn(md::domain::Role::Customer,
                                  m_equipment.value(u"organization_id"_s).toString()));
        ScanView view(m_fixture->context());
        view.show();
        QVERIFY(!child<QPushButton>(view.panel(), u"reportProblemButton"_s)->isHidden());
        QSignalSpy done(&view, &ScanView::lookupFinished);
        view.identify(u"(01)"_s + gtinFrom(u"0761234567890"_s) + u"(21)NOT-HERE-1"_s,
                      ScanView::Source::Scanner);
        QVERIFY(done.wait(TimeoutMs));
        QVERIFY(done.first().first().value<LookupResult>().offersNewEquipment());
        QVERIFY(child<QPushButton>(&view, u"addEquipmentButton"_s)->isHidden());
        view.addAsNewEquipment();
        QVERIFY(!view.equipmentForm());
    }
};

QTEST_MAIN(TestGuiScan)
#include "tst_gui_scan.moc"
