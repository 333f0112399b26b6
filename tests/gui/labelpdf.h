#pragma once

#include <QList>
#include <QRectF>
#include <QString>
#include <QStringList>

namespace md::ui {
class LabelSheet;
}

namespace md::test {

/// Reads a label PDF back with independent tools — poppler (pdftoppm, pdftotext,
/// pdfinfo, pdfimages) and zbar (zbarimg) — so a test of our labels cannot pass because
/// our own code reads what our own code wrote.
class LabelPdf final
{
public:
    /// The tools that are not installed, comma-separated; empty when all are there.
    static QString missingTools();

    /// `workDirectory` receives the page images.
    LabelPdf(const QString &pdfPath, const QString &workDirectory);

    int pageCount() const;
    /// Raster images embedded in the PDF (pdfimages -list): a vector label has none.
    int imageCount() const;
    /// Every symbol zbarimg finds on every page rendered at `dpi` (pdftoppm), as
    /// "symbology:payload" when `withType`, else the payloads; duplicates are kept.
    QStringList decode(int dpi = 300, bool withType = false) const;
    /// For each label of `sheet` (as this PDF was written from it): what zbarimg finds
    /// in that label's rectangle of its page rendered at `dpi`, as "symbology:payload"
    /// joined by newlines (empty: nothing). Per label, because zbar misses some symbols of
    /// a whole page when many QR codes stand in a grid, though each one alone decodes.
    QStringList decodeEachLabel(const md::ui::LabelSheet &sheet, int dpi = 300) const;
    /// The page (1-based) rendered at `dpi` as a PNG file; empty on failure.
    QString renderPage(int page, int dpi) const;
    /// pdftotext's plain text of the whole document.
    QString text() const;

    struct Word
    {
        int page = 0; // 1-based
        QRectF box;   // points from the page's top-left corner
        QString text;
    };
    /// pdftotext -bbox: every word with its box.
    QList<Word> words() const;

    QString lastError() const { return m_lastError; }

    /// zbarimg on one image: "symbology:payload" when `withType`, else payloads.
    static QStringList decodeImage(const QString &imagePath, bool withType = false);

private:
    QString m_pdf;
    QString m_dir;
    mutable QString m_lastError;
};

} // namespace md::test
