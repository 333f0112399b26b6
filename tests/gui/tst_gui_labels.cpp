// "Print labels…" from the equipment view, against a real server with the demo data:
// the selected rows or a whole hospital exported as PDF and read back with zbar
// (independent decoder), cancel leaving no file, the UI thread kept free while labels
// render, the fetch of a hospital cancelled and retried, and the entry point offered to
// every role that sees the view and reachable by keyboard.

#include "admin/adminviews.h"
#include "admin/resourcemodel.h"
#include "guitestsupport.h"
#include "labelpdf.h"
#include "labels/labeljob.h"
#include "labels/labelsheetdialog.h"

#include <QComboBox>
#include <QFile>
#include <QJsonArray>
#include <QLabel>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSet>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>

using namespace Qt::StringLiterals;
using md::domain::Role;
using md::test::GuiFixture;
using md::test::LabelPdf;
using md::ui::LabelSheetDialog;
using md::ui::ResourceView;

namespace {

constexpr int Timeout = 15000;

template <typename T> T *child(QObject *parent, const QString &name)
{
    return parent ? parent->findChild<T *>(name) : nullptr;
}

} // namespace

class TestGuiLabels final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<GuiFixture> m_fixture;
    QTemporaryDir m_dir;
    QString m_hospitalId;
    QString m_otherHospitalId;

    // Every qr_code of the organization's equipment, as the server lists them to an admin.
    QStringList serverCodes(const QString &organizationId)
    {
        QStringList codes;
        qint64 total = -1;
        for (int offset = 0; total < 0 || offset < total; offset += 500) {
            const auto reply = m_fixture->server().client().get(
                u"/v1/equipment?organization_id=%1&limit=500&offset=%2"_s.arg(organizationId)
                    .arg(offset));
            if (reply.status != 200)
                return {};
            total = reply.json.value(u"page"_s).toObject().value(u"total"_s).toInteger();
            const QJsonArray data = reply.json.value(u"data"_s).toArray();
            for (const QJsonValue &e : data)
                codes.append(e.toObject().value(u"qr_code"_s).toString());
            if (data.isEmpty())
                break;
        }
        return codes;
    }

    static bool waitLoaded(ResourceView *view)
    {
        view->resize(1200, 700);
        view->show();
        return QTest::qWaitFor(
            [&] { return view->model()->hasLoaded() && !view->model()->isLoading(); }, Timeout);
    }

    static LabelSheetDialog *openedDialog(ResourceView *view)
    {
        LabelSheetDialog *dialog = nullptr;
        const bool opened = QTest::qWaitFor(
            [&] {
                dialog = view->findChild<LabelSheetDialog *>(u"labelSheetDialog"_s);
                return dialog && dialog->isVisible() && dialog->isReady();
            },
            Timeout);
        return opened ? dialog : nullptr;
    }

    // The payloads found on each label of the exported sheet (zbarimg).
    QStringList decoded(const QString &path, const LabelSheetDialog *dialog)
    {
        return LabelPdf(path, m_dir.filePath(u"pages"_s)).decodeEachLabel(dialog->sheet());
    }

    static QStringList qrPayloads(const QStringList &codes)
    {
        QStringList out;
        for (const QString &code : codes)
            out.append(u"qr-code:"_s + code); // the payload is the bare code
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString missing = LabelPdf::missingTools();
        if (!missing.isEmpty())
            QSKIP(qPrintable(u"not installed: "_s + missing));
        QVERIFY(m_dir.isValid());
        // To look at the PDFs after a failure (or take page 1 for the README).
        if (qEnvironmentVariableIsSet("MD_KEEP_TEST_FILES")) {
            m_dir.setAutoRemove(false);
            qInfo("test files kept in %s", qPrintable(m_dir.path()));
        }
        m_fixture = std::make_unique<GuiFixture>();
        QVERIFY2(m_fixture->isRunning(), qPrintable(m_fixture->error()));
        m_hospitalId = m_fixture->firstOrganizationId(u"hospital"_s);
        QVERIFY(!m_hospitalId.isEmpty());
        const auto reply =
            m_fixture->server().client().get(u"/v1/organizations?type=hospital&limit=2"_s);
        m_otherHospitalId =
            reply.json.value(u"data"_s).toArray().at(1).toObject().value(u"id"_s).toString();
        QVERIFY(!m_otherHospitalId.isEmpty() && m_otherHospitalId != m_hospitalId);
    }

    void selectedRowsBecomeLabels()
    {
        QVERIFY(m_fixture->signInDemo(u"admin@meddispatch.example"_s));
        std::unique_ptr<ResourceView> view(md::ui::createEquipmentView(m_fixture->context()));
        QVERIFY(waitLoaded(view.get()));
        auto *table = child<QTableView>(view.get(), u"equipmentTable"_s);
        auto *button = child<QPushButton>(view.get(), u"equipmentPrintLabelsButton"_s);
        auto *edit = child<QPushButton>(view.get(), u"equipmentEditButton"_s);
        QVERIFY(table && button && edit);
        QVERIFY(button->isVisible() && button->isEnabled());

        // Three rows, picked with Ctrl+click as a user does.
        for (int row : {1, 4, 6}) {
            const QRect cell = table->visualRect(table->model()->index(row, 0));
            QTest::mouseClick(table->viewport(), Qt::LeftButton, Qt::ControlModifier,
                              cell.center());
        }
        const QList<QJsonObject> selected = view->selectedObjects();
        QCOMPARE(selected.size(), 3);
        QVERIFY(!edit->isEnabled()); // Edit takes one row
        QStringList codes;
        for (const QJsonObject &e : selected)
            codes.append(e.value(u"qr_code"_s).toString());

        QTest::mouseClick(button, Qt::LeftButton);
        LabelSheetDialog *dialog = openedDialog(view.get());
        QVERIFY(dialog);
        QVERIFY(child<QRadioButton>(dialog, u"labelSourceSelection"_s)->isChecked());
        auto *summary = child<QLabel>(dialog, u"labelSummary"_s);
        QCOMPARE(summary->text(), u"3 labels on 1 page."_s);
        // The preview shows the first page, in the paper's proportions (A4).
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->previewImage().isNull(), Timeout);
        const QImage preview = dialog->previewImage();
        QVERIFY(qAbs(qreal(preview.height()) / preview.width() - 297.0 / 210.0) < 0.01);

        const QString path = m_dir.filePath(u"selected.pdf"_s);
        dialog->setPdfPath(path);
        QSignalSpy finished(dialog, &LabelSheetDialog::jobFinished);
        auto *exportButton = child<QPushButton>(dialog, u"labelExportButton"_s);
        QVERIFY(exportButton->isEnabled());
        QTest::mouseClick(exportButton, Qt::LeftButton);
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().at(0).toBool(), true);
        auto *result = child<QLabel>(dialog, u"labelResult"_s);
        QCOMPARE(result->text(), u"3 labels on 1 page written to %1."_s.arg(path));

        // Exactly those three codes, on the first three labels, in the table's order.
        QCOMPARE(decoded(path, dialog), qrPayloads(codes));
        QCOMPARE(LabelPdf(path, m_dir.filePath(u"p"_s)).pageCount(), 1);
    }

    void wholeHospitalWithoutBlockingTheUi()
    {
        QVERIFY(m_fixture->signInDemo(u"admin@meddispatch.example"_s));
        std::unique_ptr<ResourceView> view(md::ui::createEquipmentView(m_fixture->context()));
        QVERIFY(waitLoaded(view.get()));
        const QStringList codes = serverCodes(m_hospitalId);
        QVERIFY(codes.size() > 24); // more than one sheet

        // Filter the view to the hospital; with nothing selected the labels are for all of
        // its equipment, not only the rows loaded so far.
        auto *filter = child<QComboBox>(view.get(), u"equipmentOrganizationFilter"_s);
        QVERIFY(filter);
        QTRY_VERIFY_WITH_TIMEOUT(filter->findData(m_hospitalId) >= 0, Timeout);
        filter->setCurrentIndex(filter->findData(m_hospitalId));
        QTRY_VERIFY_WITH_TIMEOUT(view->model()->hasLoaded() && !view->model()->isLoading(),
                                 Timeout);
        QVERIFY(view->selectedObjects().isEmpty());
        QTest::mouseClick(child<QPushButton>(view.get(), u"equipmentPrintLabelsButton"_s),
                          Qt::LeftButton);
        LabelSheetDialog *dialog = openedDialog(view.get());
        QVERIFY(dialog);
        QVERIFY(child<QRadioButton>(dialog, u"labelSourceHospital"_s)->isChecked());
        QCOMPARE(child<QComboBox>(dialog, u"labelHospitalCombo"_s)->currentData().toString(),
                 m_hospitalId);
        QCOMPARE(dialog->sheet().labelCount(), codes.size());
        QCOMPARE(dialog->skippedCount(), 0);
        const int pages = (int(codes.size()) + 23) / 24;
        QCOMPARE(child<QLabel>(dialog, u"labelSummary"_s)->text(),
                 u"%1 labels on %2 pages."_s.arg(codes.size()).arg(pages));

        // A timer keeps firing while the labels render: the UI thread is not blocked.
        int ticks = 0;
        QTimer ticker;
        ticker.setInterval(0);
        connect(&ticker, &QTimer::timeout, this, [&] { ++ticks; });
        int ticksBeforeFinish = -1;
        bool progressShown = false;
        connect(dialog->job(), &md::ui::LabelJob::progress, this, [&] {
            progressShown =
                progressShown || child<QProgressBar>(dialog, u"labelProgress"_s)->isVisible();
        });
        connect(dialog, &LabelSheetDialog::jobFinished, this, [&] { ticksBeforeFinish = ticks; });
        QSignalSpy finished(dialog, &LabelSheetDialog::jobFinished);
        const QString path = m_dir.filePath(u"hospital.pdf"_s);
        dialog->setPdfPath(path);
        ticker.start();
        QTest::mouseClick(child<QPushButton>(dialog, u"labelExportButton"_s), Qt::LeftButton);
        QVERIFY(dialog->isBusy());
        QVERIFY(!child<QPushButton>(dialog, u"labelExportButton"_s)->isEnabled());
        QVERIFY(finished.wait(120000));
        ticker.stop();
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
        QVERIFY2(ticksBeforeFinish > 0, "the UI thread was blocked while rendering");
        QVERIFY(progressShown);
        QVERIFY(!dialog->isBusy());

        // That many codes in the PDF: the hospital's, each once.
        const QStringList found = decoded(path, dialog);
        QCOMPARE(found.size(), codes.size());
        QCOMPARE(QSet<QString>(found.begin(), found.end()).size(), codes.size());
        const QStringList expected = qrPayloads(codes);
        QCOMPARE(QSet<QString>(found.begin(), found.end()),
                 QSet<QString>(expected.begin(), expected.end()));
        QCOMPARE(LabelPdf(path, m_dir.filePath(u"p"_s)).pageCount(), pages);
    }

    void cancelledRunLeavesNoFileAndTheDialogUsable()
    {
        QVERIFY(m_fixture->signInDemo(u"admin@meddispatch.example"_s));
        std::unique_ptr<ResourceView> view(md::ui::createEquipmentView(m_fixture->context()));
        QVERIFY(waitLoaded(view.get()));
        QTest::mouseClick(child<QPushButton>(view.get(), u"equipmentPrintLabelsButton"_s),
                          Qt::LeftButton);
        LabelSheetDialog *dialog = openedDialog(view.get());
        QVERIFY(dialog);
        dialog->setHospital(m_hospitalId);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->isReady() && !dialog->isBusy(), Timeout);
        // The roll layout: one label per page, the longest run for this hospital.
        dialog->setLabelLayout(u"roll-62x29"_s);
        QCOMPARE(dialog->sheet().pageCount(), dialog->sheet().labelCount());

        const QString path = m_dir.filePath(u"cancelled.pdf"_s);
        dialog->setPdfPath(path);
        QSignalSpy finished(dialog, &LabelSheetDialog::jobFinished);
        auto *cancel = child<QPushButton>(dialog, u"labelCancelButton"_s);
        QTest::mouseClick(child<QPushButton>(dialog, u"labelExportButton"_s), Qt::LeftButton);
        QVERIFY(cancel->isVisible() && cancel->isEnabled());
        QTest::mouseClick(cancel, Qt::LeftButton);
        QVERIFY(finished.wait(Timeout));
        QCOMPARE(finished.first().at(0).toBool(), false);
        QCOMPARE(child<QLabel>(dialog, u"labelResult"_s)->text(),
                 u"Cancelled: no file was written."_s);
        QVERIFY(!QFile::exists(path));
        QCOMPARE(QDir(m_dir.path()).entryList({u"cancelled*"_s}, QDir::Files | QDir::Hidden),
                 QStringList());
        QVERIFY(!cancel->isVisible());

        // Still usable: a smaller run right after goes through.
        dialog->setLabelLayout(u"avery-l7163"_s);
        dialog->setStartPosition(3);
        QVERIFY(child<QPushButton>(dialog, u"labelExportButton"_s)->isEnabled());
        finished.clear();
        QTest::mouseClick(child<QPushButton>(dialog, u"labelExportButton"_s), Qt::LeftButton);
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().at(0).toBool(), true);
        QVERIFY(QFile::exists(path));
        const QStringList found = decoded(path, dialog);
        QCOMPARE(found.size(), dialog->sheet().labelCount());
        QVERIFY(!found.contains(QString()));
    }

    void closingWhileRenderingStopsIt()
    {
        QVERIFY(m_fixture->signInDemo(u"admin@meddispatch.example"_s));
        std::unique_ptr<ResourceView> view(md::ui::createEquipmentView(m_fixture->context()));
        QVERIFY(waitLoaded(view.get()));
        QTest::mouseClick(child<QPushButton>(view.get(), u"equipmentPrintLabelsButton"_s),
                          Qt::LeftButton);
        QPointer<LabelSheetDialog> dialog = openedDialog(view.get());
        QVERIFY(dialog);
        dialog->setHospital(m_hospitalId);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->isReady() && !dialog->isBusy(), Timeout);
        dialog->setLabelLayout(u"roll-62x29"_s);
        const QString path = m_dir.filePath(u"closed.pdf"_s);
        dialog->setPdfPath(path);
        QTest::mouseClick(child<QPushButton>(dialog, u"labelExportButton"_s), Qt::LeftButton);
        QVERIFY(dialog->isBusy());
        // Escape while it renders: the dialog goes, the run stops, no file is left.
        QTest::keyClick(dialog, Qt::Key_Escape);
        QTRY_VERIFY_WITH_TIMEOUT(dialog.isNull(), Timeout);
        QTest::qWait(200);
        QVERIFY(!QFile::exists(path));
        QCOMPARE(QDir(m_dir.path()).entryList({u"closed*"_s}, QDir::Files | QDir::Hidden),
                 QStringList());
    }

    void fetchingAHospitalCanBeCancelledAndRetried()
    {
        QVERIFY(m_fixture->signInDemo(u"admin@meddispatch.example"_s));
        std::unique_ptr<ResourceView> view(md::ui::createEquipmentView(m_fixture->context()));
        QVERIFY(waitLoaded(view.get()));
        QTest::mouseClick(child<QPushButton>(view.get(), u"equipmentPrintLabelsButton"_s),
                          Qt::LeftButton);
        LabelSheetDialog *dialog = openedDialog(view.get());
        QVERIFY(dialog);
        dialog->setHospital(m_otherHospitalId);
        QVERIFY(dialog->isBusy()); // fetching
        QVERIFY(!dialog->isReady());
        QVERIFY(!child<QPushButton>(dialog, u"labelExportButton"_s)->isEnabled());
        auto *cancel = child<QPushButton>(dialog, u"labelCancelButton"_s);
        QVERIFY(cancel->isVisible());
        QTest::mouseClick(cancel, Qt::LeftButton);
        QVERIFY(!dialog->isBusy());
        QCOMPARE(child<QLabel>(dialog, u"labelSummary"_s)->text(), u"Loading cancelled."_s);
        QTest::qWait(300); // the answer that was on its way is dropped
        QVERIFY(!dialog->isReady());
        auto *retry = child<QPushButton>(dialog, u"labelRetryButton"_s);
        QVERIFY(retry->isVisible());
        QTest::mouseClick(retry, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->isReady() && !dialog->isBusy(), Timeout);
        QCOMPARE(dialog->sheet().labelCount(), serverCodes(m_otherHospitalId).size());
    }

    void offeredToEveryRoleAndByKeyboard()
    {
        // A hospital's customer: the view shows only their hospital's equipment, and the
        // labels of "the whole hospital" are theirs.
        QVERIFY(m_fixture->signIn(Role::Customer, m_hospitalId));
        std::unique_ptr<ResourceView> view(md::ui::createEquipmentView(m_fixture->context()));
        QVERIFY(waitLoaded(view.get()));
        auto *button = child<QPushButton>(view.get(), u"equipmentPrintLabelsButton"_s);
        QVERIFY(button && button->isVisible());
        QVERIFY(button->focusPolicy() & Qt::TabFocus);
        QVERIFY(button->text().contains(u'&')); // Alt+L
        button->setFocus();
        QTest::keyClick(button, Qt::Key_Space);
        LabelSheetDialog *dialog = openedDialog(view.get());
        QVERIFY(dialog);
        QCOMPARE(child<QComboBox>(dialog, u"labelHospitalCombo"_s)->currentData().toString(),
                 m_hospitalId);
        QCOMPARE(dialog->sheet().labelCount(), serverCodes(m_hospitalId).size());
        // A second click brings the same dialog back rather than another one.
        QTest::mouseClick(button, Qt::LeftButton);
        QCOMPARE(view->findChildren<LabelSheetDialog *>().size(), 1);
        // Escape closes it.
        QTest::keyClick(dialog, Qt::Key_Escape);
        QTRY_VERIFY_WITH_TIMEOUT(view->findChildren<LabelSheetDialog *>().isEmpty(), Timeout);
    }
};

QTEST_MAIN(TestGuiLabels)
#include "tst_gui_labels.moc"
