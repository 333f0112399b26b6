#pragma once

#include "codereader.h"

#include <QByteArray>
#include <QList>
#include <QSize>
#include <QString>

class QImage;

namespace md::codes {

/// Limits for photos from outside (uploads, WhatsApp, files): a 10 MiB file can still
/// claim 100,000 × 100,000 pixels, so the size is checked before anything is decoded.
struct PhotoLimits
{
    qint64 maxBytes = 10 * 1024 * 1024;
    qint64 maxPixels = 64'000'000; // declared width × height beyond this: TooLarge
    /// Images whose longer side exceeds this are decoded scaled down (JPEG scales while
    /// decoding), which bounds memory and time; codes on a phone photo survive it.
    int maxDecodedEdge = 4000;
};

enum class PhotoStatus
{
    Found,      // codes holds at least one code
    NoCode,     // a readable image without any code we read
    Unreadable, // not a JPEG/PNG, truncated, corrupt, or the content does not match its type
    TooLarge,   // more bytes or pixels than the limits allow
};

struct PhotoResult
{
    PhotoStatus status = PhotoStatus::Unreadable;
    QList<FoundCode> codes; // best first
    QSize imageSize;        // as decoded (after any scaling)
    QString detail;         // for logs and messages: why Unreadable/TooLarge (no image data)
};

/// Finds codes in one still image. Shared by the server (POST /v1/equipment/identify,
/// the WhatsApp intake) and the desktop (an image file, the clipboard). Tries
/// ReadOptions::photos() and, when that finds nothing, further passes (scaled,
/// contrast-stretched) — a photo is decoded once, so it may spend tens of
/// milliseconds. Thread-safe; never throws.
class PhotoReader final
{
public:
    /// `format` is "jpeg" or "png" (from the Content-Type); the bytes must match it.
    /// Empty: sniffed from the magic bytes (JPEG or PNG only).
    static PhotoResult read(const QByteArray &bytes, const QByteArray &format = {},
                            const PhotoLimits &limits = {});
    static PhotoResult readFile(const QString &path, const PhotoLimits &limits = {});
    /// An image already in memory (the clipboard): only the decoding passes.
    static PhotoResult read(const QImage &image);
};

} // namespace md::codes
