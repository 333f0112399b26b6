#include "labelpdf.h"

#include "labels/labelsheet.h"

#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;

namespace md::test {

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QString error;
};

Run run(const QString &program, const QStringList &arguments)
{
    Run r;
    QProcess process;
    process.start(program, arguments);
    if (!process.waitForStarted(10000)) {
        r.error = program + u": "_s + process.errorString();
        return r;
    }
    process.closeWriteChannel();
    if (!process.waitForFinished(120000)) {
        process.kill();
        process.waitForFinished();
        r.error = program + u": timed out"_s;
        return r;
    }
    r.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    r.out = process.readAllStandardOutput();
    if (r.exitCode != 0)
        r.error = program + u": "_s + QString::fromUtf8(process.readAllStandardError());
    return r;
}

} // namespace

QString LabelPdf::missingTools()
{
    QStringList missing;
    for (const QString &tool :
         {u"pdftoppm"_s, u"pdftotext"_s, u"pdfinfo"_s, u"pdfimages"_s, u"zbarimg"_s})
        if (QStandardPaths::findExecutable(tool).isEmpty())
            missing.append(tool);
    return missing.join(u", "_s);
}

LabelPdf::LabelPdf(const QString &pdfPath, const QString &workDirectory)
    : m_pdf(pdfPath), m_dir(workDirectory)
{
    QDir().mkpath(m_dir);
}

int LabelPdf::pageCount() const
{
    const Run r = run(u"pdfinfo"_s, {m_pdf});
    if (r.exitCode != 0) {
        m_lastError = r.error;
        return -1;
    }
    const auto match =
        QRegularExpression(u"^Pages:\\s+(\\d+)"_s, QRegularExpression::MultilineOption)
            .match(QString::fromUtf8(r.out));
    return match.hasMatch() ? match.captured(1).toInt() : -1;
}

int LabelPdf::imageCount() const
{
    const Run r = run(u"pdfimages"_s, {u"-list"_s, m_pdf});
    if (r.exitCode != 0) {
        m_lastError = r.error;
        return -1;
    }
    // Two header lines, then one line per image.
    const QStringList lines = QString::fromUtf8(r.out).split(u'\n', Qt::SkipEmptyParts);
    return std::max<int>(0, int(lines.size()) - 2);
}

QStringList LabelPdf::decodeImage(const QString &imagePath, bool withType)
{
    QStringList arguments{u"-q"_s, u"--nodbus"_s};
    if (!withType)
        arguments.append(u"--raw"_s);
    arguments.append(imagePath);
    const Run r = run(u"zbarimg"_s, arguments);
    // Exit code 4: no symbol found, which is an answer too.
    if (r.exitCode != 0 && r.exitCode != 4)
        return {};
    QStringList found;
    for (const QString &line : QString::fromUtf8(r.out).split(u'\n', Qt::SkipEmptyParts))
        found.append(withType ? line.section(u':', 0, 0).toLower() + u':' + line.section(u':', 1)
                              : line);
    return found;
}

QStringList LabelPdf::decode(int dpi, bool withType) const
{
    const QString prefix = QDir(m_dir).filePath(u"page"_s);
    const Run r =
        run(u"pdftoppm"_s, {u"-r"_s, QString::number(dpi), u"-png"_s, u"-gray"_s, m_pdf, prefix});
    if (r.exitCode != 0) {
        m_lastError = r.error;
        return {};
    }
    QStringList found;
    const QStringList pages = QDir(m_dir).entryList({u"page-*.png"_s}, QDir::Files, QDir::Name);
    for (const QString &page : pages) {
        found += decodeImage(QDir(m_dir).filePath(page), withType);
        QFile::remove(QDir(m_dir).filePath(page));
    }
    return found;
}

QStringList LabelPdf::decodeEachLabel(const md::ui::LabelSheet &sheet, int dpi) const
{
    QStringList found(sheet.labelCount());
    const qreal pxPerMm = dpi / 25.4;
    for (int page = 1; page <= sheet.pageCount(); ++page) {
        const QString file = renderPage(page, dpi);
        const QImage image(file);
        QFile::remove(file);
        if (image.isNull())
            return {};
        const auto [first, last] = sheet.labelsOnPage(page - 1);
        for (int i = first; i < last; ++i) {
            const QRectF mm = sheet.layout().labelRectMm(
                sheet.layout().slotOf(i, sheet.startPosition()).position);
            const QRectF px(mm.left() * pxPerMm, mm.top() * pxPerMm, mm.width() * pxPerMm,
                            mm.height() * pxPerMm);
            // Never beyond the image: QImage::copy fills that with black.
            const QString crop = QDir(m_dir).filePath(u"label-%1.png"_s.arg(i));
            if (!image.copy(px.toAlignedRect().intersected(image.rect())).save(crop))
                return {};
            found[i] = decodeImage(crop, true).join(u'\n');
            QFile::remove(crop);
        }
    }
    return found;
}

QString LabelPdf::renderPage(int page, int dpi) const
{
    const QString prefix = QDir(m_dir).filePath(u"single-%1"_s.arg(page));
    const Run r = run(u"pdftoppm"_s, {u"-r"_s, QString::number(dpi), u"-png"_s, u"-gray"_s,
                                      u"-singlefile"_s, u"-f"_s, QString::number(page), u"-l"_s,
                                      QString::number(page), m_pdf, prefix});
    if (r.exitCode != 0) {
        m_lastError = r.error;
        return {};
    }
    const QString file = prefix + u".png"_s;
    return QFileInfo::exists(file) ? file : QString();
}

QString LabelPdf::text() const
{
    const Run r = run(u"pdftotext"_s, {u"-enc"_s, u"UTF-8"_s, m_pdf, u"-"_s});
    if (r.exitCode != 0)
        m_lastError = r.error;
    return QString::fromUtf8(r.out);
}

QList<LabelPdf::Word> LabelPdf::words() const
{
    const Run r = run(u"pdftotext"_s, {u"-bbox"_s, u"-enc"_s, u"UTF-8"_s, m_pdf, u"-"_s});
    if (r.exitCode != 0) {
        m_lastError = r.error;
        return {};
    }
    QList<Word> words;
    QXmlStreamReader xml(r.out);
    int page = 0;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        if (xml.name() == u"page"_s) {
            ++page;
        } else if (xml.name() == u"word"_s) {
            const auto a = xml.attributes();
            Word word;
            word.page = page;
            const qreal x0 = a.value(u"xMin"_s).toDouble();
            const qreal y0 = a.value(u"yMin"_s).toDouble();
            const qreal x1 = a.value(u"xMax"_s).toDouble();
            const qreal y1 = a.value(u"yMax"_s).toDouble();
            word.box = QRectF(QPointF(x0, y0), QPointF(x1, y1));
            word.text = xml.readElementText();
            words.append(word);
        }
    }
    if (xml.hasError())
        m_lastError = xml.errorString();
    return words;
}

} // namespace md::test
