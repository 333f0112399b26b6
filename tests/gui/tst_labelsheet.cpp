// Equipment QR label sheets written as PDF and read back with independent tools: every
// code decodes exactly once (zbarimg on pdftoppm's pages), names and serial numbers are
// text (pdftotext), the QR is vector (no image), pages match the stock, a start position
// leaves used labels blank, long text is elided inside its label and clear of the QR's
// quiet zone, and a cancelled or failed export never leaves or damages a file.

#include "codes/qrmatrix.h"
#include "domain/qrpayload.h"
#include "labelpdf.h"
#include "labels/equipmentlabel.h"
#include "labels/labeljob.h"
#include "labels/labellayout.h"
#include "labels/labelpainter.h"
#include "labels/labelsheet.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QPrinter>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using md::test::LabelPdf;
using md::ui::EquipmentLabel;
using md::ui::LabelBatch;
using md::ui::LabelJob;
using md::ui::LabelLayout;
using md::ui::LabelSheet;

namespace {

constexpr int Timeout = 15000;
constexpr qreal PointsPerMm = 72.0 / 25.4;

EquipmentLabel makeLabel(int i, const QString &name = {})
{
    EquipmentLabel label;
    label.code = md::domain::QrPayload::generateCode();
    label.payload = md::domain::QrPayload::encode(label.code);
    label.name = name.isEmpty() ? u"Infusion pump %1"_s.arg(i, 2, 10, QChar(u'0')) : name;
    label.model = u"Volumat Agilia %1"_s.arg(i);
    label.serialNumber = u"SN-LBL-%1"_s.arg(i, 4, 10, QChar(u'0'));
    label.owner = u"Klinikum Nord"_s;
    return label;
}

QList<EquipmentLabel> makeLabels(int count)
{
    QList<EquipmentLabel> labels;
    for (int i = 1; i <= count; ++i)
        labels.append(makeLabel(i));
    return labels;
}

QRectF scaled(const QRectF &r, qreal factor)
{
    return QRectF(r.left() * factor, r.top() * factor, r.width() * factor, r.height() * factor);
}

// The part of a page image under a rectangle in millimetres (never beyond the image:
// QImage::copy fills that with black).
QImage cropMm(const QImage &page, const QRectF &mm, int dpi)
{
    return page.copy(scaled(mm, dpi / 25.4).toAlignedRect().intersected(page.rect()));
}

// The words pdftotext finds inside each label, in its reading order.
QStringList textPerLabel(const LabelPdf &pdf, const LabelSheet &sheet)
{
    QStringList texts(sheet.labelCount());
    for (const LabelPdf::Word &word : pdf.words())
        for (int i = 0; i < sheet.labelCount(); ++i)
            if (sheet.pageOf(i) == word.page - 1 &&
                sheet.labelRect(i, PointsPerMm).contains(word.box.center()))
                texts[i] += (texts[i].isEmpty() ? QString() : u" "_s) + word.text;
    return texts;
}

} // namespace

class TestLabelSheet final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_counter = 0;

    QString newPath(const QString &name)
    {
        return m_dir.filePath(u"%1-%2"_s.arg(++m_counter).arg(name));
    }

    QString m_problem;

    // Every label's place on its page, rendered at 300 dpi, decodes (zbarimg) to that
    // label's payload and nothing else.
    bool eachLabelDecodes(const LabelPdf &pdf, const LabelSheet &sheet)
    {
        const QStringList found = pdf.decodeEachLabel(sheet);
        if (found.size() != sheet.labelCount()) {
            m_problem = u"pages not rendered: "_s + pdf.lastError();
            return false;
        }
        for (int i = 0; i < sheet.labelCount(); ++i) {
            const QString expected = u"qr-code:"_s + sheet.labels().at(i).payload;
            if (found.at(i) != expected) {
                m_problem =
                    u"label %1: found [%2], expected [%3]"_s.arg(i).arg(found.at(i), expected);
                return false;
            }
        }
        return true;
    }

    // Runs a PDF job to the end; the finished() arguments.
    static QVariantList exportPdf(const LabelSheet &sheet, const QString &path)
    {
        LabelJob job;
        QSignalSpy finished(&job, &LabelJob::finished);
        if (!job.startPdf(sheet, path))
            return {};
        if (!finished.wait(60000))
            return {};
        return finished.takeFirst();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // To look at the PDFs and page images after a failure.
        if (qEnvironmentVariableIsSet("MD_KEEP_TEST_FILES")) {
            m_dir.setAutoRemove(false);
            qInfo("test files kept in %s", qPrintable(m_dir.path()));
        }
        const QString missing = LabelPdf::missingTools();
        if (!missing.isEmpty())
            QSKIP(qPrintable(u"not installed: "_s + missing));
    }

    void presetsMatchTheStock_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<int>("perPage");
        QTest::addColumn<QSizeF>("page");
        QTest::addColumn<QSizeF>("label");
        QTest::newRow("Avery 3474") << u"avery-3474"_s << 24 << QSizeF(210, 297) << QSizeF(70, 37);
        QTest::newRow("Avery L7163")
            << u"avery-l7163"_s << 14 << QSizeF(210, 297) << QSizeF(99.1, 38.1);
        QTest::newRow("Avery L7160")
            << u"avery-l7160"_s << 21 << QSizeF(210, 297) << QSizeF(63.5, 38.1);
        QTest::newRow("Avery 5160")
            << u"avery-5160"_s << 30 << QSizeF(215.9, 279.4) << QSizeF(66.675, 25.4);
        QTest::newRow("62 x 29 roll") << u"roll-62x29"_s << 1 << QSizeF(62, 29) << QSizeF(62, 29);
    }

    void presetsMatchTheStock()
    {
        QFETCH(QString, id);
        QFETCH(int, perPage);
        QFETCH(QSizeF, page);
        QFETCH(QSizeF, label);
        const auto layout = LabelLayout::preset(id);
        QVERIFY(layout);
        QVERIFY(layout->isValid());
        QCOMPARE(layout->labelsPerPage(), perPage);
        QVERIFY(qAbs(layout->pageMm().width() - page.width()) < 0.5);
        QVERIFY(qAbs(layout->pageMm().height() - page.height()) < 0.5);
        QCOMPARE(layout->labelMm, label);
        // The labels are centred on the sheet as the makers' templates put them.
        const QRectF first = layout->labelRectMm(0);
        const QRectF last = layout->labelRectMm(perPage - 1);
        QVERIFY2(
            qAbs(first.left() - (page.width() - last.right())) < 0.2,
            qPrintable(u"left %1, right %2"_s.arg(first.left()).arg(page.width() - last.right())));
        QVERIFY(qAbs(first.top() - (page.height() - last.bottom())) < 0.2);
        // Pages: 1..perPage labels fill one page; one more starts the next.
        QCOMPARE(layout->pageCount(perPage), 1);
        QCOMPARE(layout->pageCount(perPage + 1), 2);
        QCOMPARE(layout->pageCount(0), 0);
    }

    void labelsComeFromEquipmentJson()
    {
        const QString good = md::domain::QrPayload::generateCode();
        const QHash<QString, QString> names{{u"org-1"_s, u"St. Mary's Hospital"_s}};
        const auto row = [](std::initializer_list<std::pair<QString, QJsonValue>> fields) {
            QJsonObject o;
            for (const auto &[key, value] : fields)
                o.insert(key, value);
            return o;
        };
        const QList<QJsonObject> equipment{
            row({{u"name"_s, u"Ventilator  A"_s},
                 {u"model"_s, u"Hamilton C6"_s},
                 {u"serial_number"_s, u"HC6-0001"_s},
                 {u"organization_id"_s, u"org-1"_s},
                 {u"qr_code"_s, good}}),
            row({{u"name"_s, u"No code"_s}, {u"organization_id"_s, u"org-1"_s}}),
            row({{u"name"_s, u"Null code"_s}, {u"qr_code"_s, QJsonValue()}}),
            row({{u"name"_s, u"Bad code"_s}, {u"qr_code"_s, u"MD-1234"_s}}),
            row({{u"name"_s, u"Lower case"_s}, {u"qr_code"_s, good.toLower()}}),
            row({{u"name"_s, u"A link"_s},
                 {u"qr_code"_s, QString(u"https://evil.example/e/"_s + good)}}),
            row({{u"name"_s, u"Same code again"_s}, {u"qr_code"_s, good}}),
        };
        const LabelBatch batch = LabelBatch::fromEquipment(equipment, names);
        QCOMPARE(batch.labels.size(), 1);
        QCOMPARE(batch.skipped, 5);
        const EquipmentLabel &label = batch.labels.first();
        QCOMPARE(label.code, good);
        QCOMPARE(label.payload, md::domain::QrPayload::encode(good));
        QCOMPARE(md::domain::QrPayload::parse(label.payload), std::optional<QString>(good));
        QCOMPARE(label.name, u"Ventilator A"_s);
        QCOMPARE(label.model, u"Hamilton C6"_s);
        QCOMPARE(label.serialNumber, u"HC6-0001"_s);
        QCOMPARE(label.owner, u"St. Mary's Hospital"_s);
    }

    void sheetDecodesEveryCodeOnce_data()
    {
        QTest::addColumn<QString>("layoutId");
        QTest::addColumn<int>("count");
        QTest::newRow("Avery 3474, 30 labels") << u"avery-3474"_s << 30;
        QTest::newRow("Avery L7163, 30 labels") << u"avery-l7163"_s << 30;
        QTest::newRow("Avery 5160, 32 labels") << u"avery-5160"_s << 32;
        QTest::newRow("62 x 29 roll, 6 labels") << u"roll-62x29"_s << 6;
    }

    void sheetDecodesEveryCodeOnce()
    {
        QFETCH(QString, layoutId);
        QFETCH(int, count);
        const LabelLayout layout = *LabelLayout::preset(layoutId);
        const QList<EquipmentLabel> labels = makeLabels(count);
        const LabelSheet sheet(labels, layout);
        const QString path = newPath(layoutId + u".pdf"_s);
        const QVariantList finished = exportPdf(sheet, path);
        QVERIFY(!finished.isEmpty());
        QVERIFY2(finished.at(0).toBool(), qPrintable(finished.at(1).toString()));
        const int pages = (count + layout.labelsPerPage() - 1) / layout.labelsPerPage();
        QVERIFY2(
            finished.at(1).toString().contains(u"%1 labels on %2 page"_s.arg(count).arg(pages)),
            qPrintable(finished.at(1).toString()));

        const LabelPdf pdf(path, newPath(u"pages"_s));
        QCOMPARE(pdf.pageCount(), pages);
        QCOMPARE(pdf.imageCount(), 0); // vector QR and text, no raster

        // Each label carries its own code, read by zbar from that label's place on the
        // page rendered at 300 dpi.
        QVERIFY2(eachLabelDecodes(pdf, sheet), qPrintable(m_problem));
        // And the whole document: no symbol twice, nothing that is not one of the codes,
        // in any symbology zbar knows.
        const QStringList found = pdf.decode(300, true);
        QVERIFY2(!found.isEmpty(), qPrintable(pdf.lastError()));
        QSet<QString> expected;
        for (const EquipmentLabel &label : labels)
            expected.insert(u"qr-code:"_s + label.payload);
        QSet<QString> seen;
        for (const QString &symbol : found) {
            QVERIFY2(expected.contains(symbol), qPrintable(symbol));
            QVERIFY2(!seen.contains(symbol), qPrintable(symbol));
            seen.insert(symbol);
        }

        // Names, models, serial numbers, owners and the code under the QR are text a
        // person (and pdftotext) reads, on their own label.
        const QStringList texts = textPerLabel(pdf, sheet);
        for (int i = 0; i < labels.size(); ++i) {
            const EquipmentLabel &label = labels.at(i);
            const QStringList parts{label.name, label.model,
                                    QString(u"S/N "_s + label.serialNumber), label.owner,
                                    label.code};
            for (const QString &part : parts)
                QVERIFY2(texts.at(i).contains(part),
                         qPrintable(u"label %1: '%2' not in '%3'"_s.arg(i).arg(part, texts.at(i))));
        }
    }

    void startPositionLeavesUsedLabelsBlank()
    {
        const LabelLayout layout = *LabelLayout::preset(u"avery-3474"_s);
        const QList<EquipmentLabel> labels = makeLabels(21);
        const LabelSheet sheet(labels, layout, 5);
        QCOMPARE(sheet.pageCount(), 2); // 4 used + 21 > 24 positions
        const QString path = newPath(u"start5.pdf"_s);
        const QVariantList finished = exportPdf(sheet, path);
        QVERIFY(!finished.isEmpty() && finished.at(0).toBool());

        const LabelPdf pdf(path, newPath(u"start"_s));
        QCOMPARE(pdf.pageCount(), 2);
        constexpr int dpi = 200;
        const QImage page(pdf.renderPage(1, dpi));
        QVERIFY2(!page.isNull(), qPrintable(pdf.lastError()));
        const auto crop = [&](int position) {
            return cropMm(page, layout.labelRectMm(position), dpi);
        };
        // Positions 1-4 (0-3 here) are blank paper.
        for (int position = 0; position < 4; ++position) {
            const QImage blank = crop(position).convertToFormat(QImage::Format_Grayscale8);
            int dark = 0;
            for (int y = 0; y < blank.height(); ++y) {
                const uchar *line = blank.constScanLine(y);
                for (int x = 0; x < blank.width(); ++x)
                    dark += line[x] < 200;
            }
            QVERIFY2(dark == 0,
                     qPrintable(u"position %1 has %2 dark pixels"_s.arg(position + 1).arg(dark)));
        }
        // Position 5 carries the first code, position 6 the second.
        for (int i = 0; i < 2; ++i) {
            const QString file = newPath(u"pos%1.png"_s.arg(i + 5));
            QVERIFY(crop(4 + i).save(file));
            QCOMPARE(LabelPdf::decodeImage(file), QStringList{labels.at(i).payload});
        }
        // Page 2 starts at its first position with label 21 (index 20).
        const QImage second(pdf.renderPage(2, dpi));
        const QString file = newPath(u"page2-pos1.png"_s);
        QVERIFY(cropMm(second, layout.labelRectMm(0), dpi).save(file));
        QCOMPARE(LabelPdf::decodeImage(file), QStringList{labels.at(20).payload});
    }

    void longTextIsElidedInsideTheLabel_data()
    {
        QTest::addColumn<QString>("layoutId");
        QTest::newRow("Avery 3474") << u"avery-3474"_s;
        QTest::newRow("Avery 5160") << u"avery-5160"_s;
        QTest::newRow("62 x 29 roll") << u"roll-62x29"_s;
    }

    void longTextIsElidedInsideTheLabel()
    {
        QFETCH(QString, layoutId);
        const LabelLayout layout = *LabelLayout::preset(layoutId);
        QList<EquipmentLabel> labels;
        EquipmentLabel longName = makeLabel(
            1, u"Siemens Healthineers MAGNETOM Vida Fit Whole-Body Magnetic Resonance Imaging "
               u"System With Extended Bore Zyxwvut"_s);
        longName.model = u"MAGNETOM-Vida-Fit-3T-BioMatrix-Edition-With-Every-Option-Qponml"_s;
        longName.serialNumber = u"SN%1Kjihgf"_s.arg(QString(60, u'7'));
        longName.owner = u"Universitätsklinikum Hamburg-Eppendorf, Zentrum für Radiologie und "
                         u"Endoskopie, Gebäude Ost Lkjhgf"_s;
        labels.append(longName);
        labels.append(makeLabel(2, u"Unbreakable"_s + QString(80, u'W') + u"Edcba"_s));
        labels.append(makeLabel(3)); // short: printed in full
        const LabelSheet sheet(labels, layout);
        const QString path = newPath(u"long-"_s + layoutId + u".pdf"_s);
        const QVariantList finished = exportPdf(sheet, path);
        QVERIFY(!finished.isEmpty() && finished.at(0).toBool());

        const LabelPdf pdf(path, newPath(u"long"_s));
        const QString text = pdf.text();
        // The ends of the long lines were cut, with an ellipsis.
        for (const QString &tail :
             {u"Zyxwvut"_s, u"Qponml"_s, u"Kjihgf"_s, u"Lkjhgf"_s, u"Edcba"_s})
            QVERIFY2(!text.contains(tail), qPrintable(tail));
        QVERIFY(text.count(u'…') >= 5);
        const QStringList texts = textPerLabel(pdf, sheet);
        QVERIFY2(texts.at(0).contains(u"Siemens"_s), qPrintable(texts.at(0)));
        QVERIFY2(texts.at(1).contains(u"UnbreakableWW"_s), qPrintable(texts.at(1)));
        QVERIFY2(texts.at(2).contains(labels.at(2).name), qPrintable(texts.at(2)));
        // The code is never elided: it is what a person types when the QR is unreadable.
        for (int i = 0; i < labels.size(); ++i)
            QVERIFY2(texts.at(i).contains(labels.at(i).code), qPrintable(texts.at(i)));
        // Every code still decodes (text never covers a symbol).
        QVERIFY2(eachLabelDecodes(pdf, sheet), qPrintable(m_problem));

        // Every word lies inside its label and outside the QR's quiet zone.
        const QList<LabelPdf::Word> words = pdf.words();
        QVERIFY2(words.size() > 10, qPrintable(pdf.lastError()));
        constexpr qreal tolerance = 0.3; // points: pdftotext rounds glyph boxes
        for (const LabelPdf::Word &word : words) {
            const int page = word.page - 1;
            int index = -1;
            for (int i = 0; i < sheet.labelCount(); ++i)
                if (sheet.pageOf(i) == page &&
                    sheet.labelRect(i, PointsPerMm).contains(word.box.center()))
                    index = i;
            QVERIFY2(index >= 0, qPrintable(word.text));
            const QRectF label = sheet.labelRect(index, PointsPerMm);
            QVERIFY2(
                label.adjusted(-tolerance, -tolerance, tolerance, tolerance).contains(word.box),
                qPrintable(u"%1 outside its label"_s.arg(word.text)));
            const int modules = md::codes::QrMatrix::encode(labels.at(index).payload).size();
            const auto geometry = md::ui::LabelGeometry::compute(label, modules);
            QVERIFY2(!geometry.quietZone.adjusted(tolerance, tolerance, -tolerance, -tolerance)
                          .intersects(word.box),
                     qPrintable(u"%1 in the quiet zone"_s.arg(word.text)));
        }
    }

    void geometryKeepsTheQuietZoneClear_data()
    {
        QTest::addColumn<QString>("layoutId");
        for (const LabelLayout &layout : LabelLayout::presets())
            QTest::newRow(qPrintable(layout.id)) << layout.id;
    }

    void geometryKeepsTheQuietZoneClear()
    {
        QFETCH(QString, layoutId);
        const LabelLayout layout = *LabelLayout::preset(layoutId);
        const QRectF label = scaled(layout.labelRectMm(0), 600 / 25.4);
        const int modules = md::codes::QrMatrix::encode(makeLabel(1).payload).size();
        QVERIFY(modules >= 21);
        const auto g = md::ui::LabelGeometry::compute(label, modules);
        QVERIFY(label.contains(g.quietZone));
        QVERIFY(label.contains(g.codeText));
        QVERIFY(label.contains(g.textColumn));
        QVERIFY(g.codeText.top() >= g.quietZone.bottom() - 1e-6);
        QVERIFY(g.textColumn.left() > g.quietZone.right());
        QCOMPARE(g.symbol.width(), g.module * modules);
        QVERIFY(qFuzzyCompare(g.quietZone.width(), g.module * (modules + 8)));
        // As large as the label height allows: the quiet zone and the code line fill it
        // but for the padding.
        QVERIFY2(g.quietZone.height() + g.codeText.height() > 0.85 * label.height() ||
                     g.quietZone.width() >= 0.5 * label.width(),
                 qPrintable(u"%1 of %2"_s.arg(g.quietZone.height()).arg(label.height())));
        // At least 0.5 mm per module, so that phones and webcams read it.
        QVERIFY2(g.module >= 0.5 * 600 / 25.4, qPrintable(QString::number(g.module)));
    }

    void paintingIsBlackOnWhiteAndSafeOnTinyRects()
    {
        // A dark palette or a transparent image does not make a dark label.
        QImage image(700, 370, QImage::Format_ARGB32);
        image.fill(Qt::transparent);
        QPainter painter(&image);
        painter.setPen(Qt::white);
        painter.setBrush(Qt::darkBlue);
        const EquipmentLabel label = makeLabel(1);
        md::ui::paintEquipmentLabel(painter, QRectF(0, 0, 700, 370), label);
        md::ui::paintEquipmentLabel(painter, QRectF(0, 0, 0, 0), label);
        md::ui::paintEquipmentLabel(painter, QRectF(5, 5, 3, 2), label);
        md::ui::paintEquipmentLabel(painter, QRectF(10, 10, 1e-3, 1e-3), EquipmentLabel{});
        painter.end();
        int other = 0;
        const QImage gray = image.convertToFormat(QImage::Format_RGB32);
        for (int y = 0; y < gray.height(); ++y)
            for (int x = 0; x < gray.width(); ++x) {
                const QRgb c = gray.pixel(x, y);
                // Grey shades only (antialiased text), no colour.
                other += qRed(c) != qGreen(c) || qGreen(c) != qBlue(c);
            }
        QCOMPARE(other, 0);
        const QString file = newPath(u"label.png"_s);
        QVERIFY(image.save(file));
        QCOMPARE(LabelPdf::decodeImage(file), QStringList{label.payload});
    }

    void progressIsMonotonicAndReachesTotal()
    {
        const LabelLayout layout = *LabelLayout::preset(u"avery-3474"_s);
        const LabelSheet sheet(makeLabels(100), layout);
        LabelJob job;
        QList<QList<int>> steps;
        connect(&job, &LabelJob::progress, this, [&](int done, int total, int page, int pages) {
            steps.append({done, total, page, pages});
        });
        QSignalSpy finished(&job, &LabelJob::finished);
        const QString path = newPath(u"progress.pdf"_s);
        QVERIFY(job.startPdf(sheet, path));
        QVERIFY(job.isRunning());
        QVERIFY(!job.startPdf(sheet, newPath(u"second.pdf"_s))); // one run at a time
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().at(0).toBool(), true);
        QCOMPARE(finished.first().at(1).toString(),
                 u"100 labels on 5 pages written to %1."_s.arg(QDir::toNativeSeparators(path)));
        QVERIFY(!steps.isEmpty());
        for (qsizetype i = 1; i < steps.size(); ++i) {
            QVERIFY(steps.at(i).at(0) >= steps.at(i - 1).at(0));
            QVERIFY(steps.at(i).at(2) >= steps.at(i - 1).at(2));
        }
        QCOMPARE(steps.last(), (QList<int>{100, 100, 5, 5}));
        QCOMPARE(job.outcome().labels, 100);
        QCOMPARE(job.outcome().pages, 5);
        QVERIFY(QFile::exists(path));
    }

    void cancelLeavesNoFile_data()
    {
        QTest::addColumn<bool>("existing");
        QTest::newRow("new file") << false;
        QTest::newRow("existing file kept") << true;
    }

    void cancelLeavesNoFile()
    {
        QFETCH(bool, existing);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"labels.pdf"_s);
        const QByteArray before = "an earlier export, not to be touched\n";
        if (existing) {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(before);
        }
        const LabelSheet sheet(makeLabels(3000), *LabelLayout::preset(u"avery-3474"_s));
        LabelJob job;
        QSignalSpy progress(&job, &LabelJob::progress);
        QSignalSpy finished(&job, &LabelJob::finished);
        QVERIFY(job.startPdf(sheet, path));
        QVERIFY(progress.wait(Timeout));
        job.cancel();
        QVERIFY(finished.wait(Timeout));
        QCOMPARE(finished.first().at(0).toBool(), false);
        QCOMPARE(finished.first().at(1).toString(), u"Cancelled: no file was written."_s);
        QCOMPARE(job.outcome().status, LabelJob::Outcome::Status::Cancelled);
        QVERIFY(job.outcome().labels < 3000);
        // Nothing new in the folder: no PDF, no temporary file left behind.
        const QStringList files = QDir(dir.path()).entryList(QDir::Files | QDir::Hidden);
        QCOMPARE(files, existing ? QStringList{u"labels.pdf"_s} : QStringList{});
        if (existing) {
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadOnly));
            QCOMPARE(file.readAll(), before);
        }
        // The same job runs again to the end afterwards.
        finished.clear();
        QVERIFY(job.startPdf(LabelSheet(makeLabels(3), sheet.layout()), path));
        QVERIFY(finished.wait(Timeout));
        QCOMPARE(finished.first().at(0).toBool(), true);
        QCOMPARE(LabelPdf(path, dir.filePath(u"pages"_s)).pageCount(), 1);
    }

    void unwritablePathSaysWhy()
    {
        const LabelSheet sheet(makeLabels(2), *LabelLayout::preset(u"avery-3474"_s));
        const QString path = m_dir.filePath(u"no/such/folder/labels.pdf"_s);
        const QVariantList finished = exportPdf(sheet, path);
        QVERIFY(!finished.isEmpty());
        QCOMPARE(finished.at(0).toBool(), false);
        QVERIFY2(finished.at(1).toString().startsWith(u"The PDF was not written: "_s),
                 qPrintable(finished.at(1).toString()));
        QVERIFY(finished.at(1).toString().contains(QDir::toNativeSeparators(path)));
        QVERIFY(!QFile::exists(path));
        // Nothing to render: nothing starts.
        LabelJob job;
        QVERIFY(!job.startPdf(LabelSheet({}, sheet.layout()), newPath(u"empty.pdf"_s)));
        QVERIFY(!job.startPdf(sheet, QString()));
    }

    void printsOnAPrinter()
    {
        // A PDF printer stands in for a real one: the same QPrinter path, full page.
        const LabelLayout layout = *LabelLayout::preset(u"avery-l7163"_s);
        const QList<EquipmentLabel> labels = makeLabels(16);
        auto printer = std::make_shared<QPrinter>(QPrinter::HighResolution);
        printer->setOutputFormat(QPrinter::PdfFormat);
        const QString path = newPath(u"printer.pdf"_s);
        printer->setOutputFileName(path);
        LabelJob::preparePrinter(*printer, layout);
        LabelJob job;
        QSignalSpy finished(&job, &LabelJob::finished);
        QVERIFY(job.startPrint(LabelSheet(labels, layout, 3), printer));
        QVERIFY(finished.wait(60000));
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
        QCOMPARE(finished.first().at(1).toString(), u"16 labels on 2 pages sent to the printer."_s);
        const LabelPdf pdf(path, newPath(u"printer"_s));
        QCOMPARE(pdf.pageCount(), 2);
        QVERIFY2(eachLabelDecodes(pdf, LabelSheet(labels, layout, 3)), qPrintable(m_problem));
        // Position 3 on the paper, as on the PDF export: the first label's text lies in
        // the third label rectangle.
        bool placed = false;
        for (const LabelPdf::Word &word : pdf.words())
            if (word.page == 1 && word.text == labels.first().code)
                placed = scaled(layout.labelRectMm(2), PointsPerMm).contains(word.box.center());
        QVERIFY(placed);
    }
};

QTEST_MAIN(TestLabelSheet)
#include "tst_labelsheet.moc"
