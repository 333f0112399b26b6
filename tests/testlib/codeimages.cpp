#include "codeimages.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace md::test {

CodeImages::CodeImages(const QString &directory) : m_directory(directory)
{
    QDir().mkpath(directory);
}

QString CodeImages::missingTools()
{
    QStringList missing;
    for (const QString &tool : {u"qrencode"_s, u"zint"_s, u"convert"_s}) {
        if (QStandardPaths::findExecutable(tool).isEmpty())
            missing << tool;
    }
    return missing.join(u", "_s);
}

QString CodeImages::run(const QString &program, const QStringList &arguments, const QString &output)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, arguments);
    if (!process.waitForFinished(60000) || process.exitStatus() != QProcess::NormalExit ||
        process.exitCode() != 0 || !QFileInfo(output).isFile()) {
        m_lastError = u"%1 %2 failed: %3"_s.arg(program, arguments.join(u' '),
                                                QString::fromLocal8Bit(process.readAll()));
        return {};
    }
    return output;
}

QString CodeImages::qrPng(const QString &payload, int moduleSize, const QString &name)
{
    const QString output =
        QDir(m_directory).filePath(name.isEmpty() ? u"qr-%1.png"_s.arg(++m_counter) : name);
    return run(u"qrencode"_s,
               {u"-l"_s, u"Q"_s, u"-s"_s, QString::number(moduleSize), u"-m"_s, u"4"_s, u"-o"_s,
                output, u"--"_s, payload},
               output);
}

QString CodeImages::gs1Png(const QString &symbology, const QString &bracketData, int scale,
                           const QString &name)
{
    const QString output =
        QDir(m_directory).filePath(name.isEmpty() ? u"gs1-%1.png"_s.arg(++m_counter) : name);
    const QString barcode = symbology == u"datamatrix"_s ? u"DATAMATRIX"_s : u"GS1_128"_s;
    const QString raw = output + u".raw.png"_s;
    if (run(u"zint"_s,
            {u"-b"_s, barcode, u"--gs1"_s, u"--scale"_s, QString::number(scale), u"-o"_s, raw,
             u"-d"_s, bracketData},
            raw)
            .isEmpty()) {
        return {};
    }
    // zint leaves no quiet zone around a DataMatrix; a printed label has one.
    // GS1-128 needs 10 modules of white on each side, a DataMatrix one.
    const QString border =
        QString::number(barcode == u"GS1_128"_s ? scale * 10 : std::max(8, scale * 4));
    const QString result = run(
        u"convert"_s, {raw, u"-bordercolor"_s, u"white"_s, u"-border"_s, border, output}, output);
    QFile::remove(raw);
    return result;
}

QString CodeImages::magick(const QString &input, const QStringList &args, const QString &outputName)
{
    const QString output = QDir(m_directory).filePath(outputName);
    return run(u"convert"_s, QStringList{input} + args + QStringList{output}, output);
}

QString CodeImages::scene(const QString &code, QSize size, int codeSide, QPoint at, double rotation,
                          const QString &outputName, int seed)
{
    const QString output = QDir(m_directory).filePath(outputName);
    const QString geometry = u"%1x%2"_s.arg(size.width()).arg(size.height());
    QStringList args{u"-seed"_s, QString::number(seed), u"-size"_s,
                     geometry,   u"plasma:fractal"_s,   u"-blur"_s,
                     u"0x2"_s,   u"-colorspace"_s,      u"gray"_s};
    if (!code.isEmpty()) {
        args << u"("_s << code << u"-resize"_s << u"%1x%1"_s.arg(codeSide) << u"-background"_s
             << u"white"_s << u"-rotate"_s << QString::number(rotation) << u")"_s << u"-geometry"_s
             << u"+%1+%2"_s.arg(at.x()).arg(at.y()) << u"-composite"_s;
    }
    args << u"-quality"_s << u"85"_s << output;
    return run(u"convert"_s, args, output);
}

CodeImages::LabelScene CodeImages::labelScene(const QString &payload, int moduleSize, QSize size,
                                              int codeSide, QPoint at, int seed)
{
    const QString label = qrPng(payload, moduleSize);
    const QString scenePath =
        label.isEmpty() ? QString()
                        : scene(label, size, codeSide, at, 0, u"scene-%1.jpg"_s.arg(seed), seed);
    const QString emptyPath = scenePath.isEmpty()
                                  ? QString()
                                  : scene({}, size, 0, {}, 0, u"empty-%1.jpg"_s.arg(seed), seed);
    if (emptyPath.isEmpty())
        return {};
    const QImage png(label);
    const double quiet = 4.0 * moduleSize * codeSide / png.width();
    return {QImage(scenePath), QImage(emptyPath),
            QRectF(at.x() + quiet, at.y() + quiet, codeSide - 2 * quiet, codeSide - 2 * quiet)};
}

} // namespace md::test
