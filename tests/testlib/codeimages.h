#pragma once

#include <QImage>
#include <QPoint>
#include <QRectF>
#include <QSize>
#include <QString>
#include <QStringList>

namespace md::test {

/// Images of codes made by independent tools — Debian's qrencode (QR), zint (GS1
/// DataMatrix and GS1-128) and ImageMagick (distortions, camera-like scenes) — never by
/// our own encoder, so that a test of our reader cannot pass because both sides share
/// a mistake. Files go into `directory`; every function returns the file's path, or
/// an empty string with lastError() set.
class CodeImages final
{
public:
    explicit CodeImages(const QString &directory);

    /// The tools that are not installed ("qrencode", "zint", "convert"), comma-separated;
    /// empty when all are there (installer/install-deps.sh --test installs them).
    static QString missingTools();

    /// qrencode -l Q -s moduleSize -m 4: a clean label, `moduleSize` pixels per module.
    QString qrPng(const QString &payload, int moduleSize = 8, const QString &name = {});
    /// zint --gs1: symbology "datamatrix" or "gs1-128"; data in zint's bracket form,
    /// e.g. "[01]04012345678901[17]271231[10]LOT42[21]SN123456". A white quiet zone
    /// is added around it.
    QString gs1Png(const QString &symbology, const QString &bracketData, int scale = 4,
                   const QString &name = {});
    /// ImageMagick: `convert input <args...> directory/outputName`.
    QString magick(const QString &input, const QStringList &args, const QString &outputName);
    /// A camera-like frame (size), a textured grey background made from `seed`, with the
    /// image `code` (may be empty: no code) scaled to `codeSide` pixels, rotated by
    /// `rotation` degrees and pasted with its top-left at `at`. Written as JPEG quality
    /// 85 (outputName ending in .jpg) or PNG.
    QString scene(const QString &code, QSize size, int codeSide, QPoint at, double rotation,
                  const QString &outputName, int seed = 1);

    /// A qrencode label of `payload` (`moduleSize` px per module, 4-module quiet zone)
    /// pasted unrotated as a `codeSide` square at `at` into a scene of `size`, the same
    /// scene without it, and where the symbol (quiet zone excluded) lies in scene pixels.
    /// Null images when a tool failed (lastError()).
    struct LabelScene
    {
        QImage scene;
        QImage empty;
        QRectF symbolRect;
    };
    LabelScene labelScene(const QString &payload, int moduleSize, QSize size, int codeSide,
                          QPoint at, int seed);

    QString directory() const { return m_directory; }
    QString lastError() const { return m_lastError; }

private:
    QString run(const QString &program, const QStringList &arguments, const QString &output);

    QString m_directory;
    QString m_lastError;
    int m_counter = 0;
};

} // namespace md::test
