// POST /v1/equipment/identify over real HTTP against a real server, once per backend:
// photos of our QR labels (made by qrencode, placed in camera-like scenes by
// ImageMagick) and of GS1 UDI codes (made by zint), scanned payloads sent as
// text/plain, other tenants' and unknown codes (answered alike), codes that are not
// ours, broken and hostile images, the body and content-type guards, and the exact
// serial_number / gtin filters of GET /v1/equipment.

#include "apitestsupport.h"
#include "codeimages.h"

#include "domain/qrpayload.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QScopeGuard>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>

using namespace Qt::StringLiterals;
using md::domain::Role;
using md::test::CodeImages;
using md::test::HttpClient;
using md::test::HttpReply;
using md::test::TestServer;

namespace {

const QString kIdentify = u"/v1/equipment/identify"_s;
const QString kGtin = u"04012345678901"_s;      // valid check digit
const QString kOtherGtin = u"07612345678900"_s; // valid check digit, another product
const QString kSerial = u"SN-ID-0001"_s;
// Camera-like scenes: big enough to be photos, small enough for ImageMagick to draw
// quickly (a 12-megapixel one is scaled up from it).
const QSize kScene(1280, 960);

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// CRC-32 (ISO-HDLC) of PNG chunks, so that a hand-made header is well-formed and only
// its declared size is hostile.
quint32 crc32(const QByteArray &bytes)
{
    quint32 crc = 0xFFFFFFFFu;
    for (const char byte : bytes) {
        crc ^= quint8(byte);
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

QByteArray pngChunk(const QByteArray &type, const QByteArray &data)
{
    QByteArray chunk(4, '\0');
    qToBigEndian<quint32>(quint32(data.size()), chunk.data());
    const QByteArray body = type + data;
    QByteArray crc(4, '\0');
    qToBigEndian<quint32>(crc32(body), crc.data());
    return chunk + body + crc;
}

// A valid PNG signature and IHDR declaring width × height RGB pixels, with a tiny IDAT.
QByteArray pngClaiming(quint32 width, quint32 height)
{
    QByteArray ihdr(13, '\0');
    qToBigEndian<quint32>(width, ihdr.data());
    qToBigEndian<quint32>(height, ihdr.data() + 4);
    ihdr[8] = 8;                                                    // bit depth
    ihdr[9] = 2;                                                    // RGB
    const QByteArray zlib = qCompress(QByteArray(64, '\0')).mid(4); // qCompress adds a length
    return QByteArray("\x89PNG\r\n\x1a\n", 8) + pngChunk("IHDR", ihdr) + pngChunk("IDAT", zlib) +
           pngChunk("IEND", {});
}

QStringList idsOf(const QJsonArray &array)
{
    QStringList ids;
    for (const QJsonValue &v : array)
        ids << v.toString();
    return ids;
}

} // namespace

class TestApiIdentify final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<QTemporaryDir> m_images;
    std::unique_ptr<CodeImages> m_codes;
    // Images that name no equipment of a particular server, made once for both backends.
    std::unique_ptr<QTemporaryDir> m_sharedImages;
    std::unique_ptr<CodeImages> m_sharedCodes;
    std::unique_ptr<HttpClient> m_customerA; // a hospital user of the equipment's hospital
    std::unique_ptr<HttpClient> m_customerB; // a hospital user of another hospital
    QString m_hospitalA, m_hospitalB, m_maker;
    QString m_equipment, m_qrCode; // in hospital A, serial kSerial, GTIN kGtin

    HttpClient &admin() { return m_server->client(); }

    QString createEquipment(const QString &hospital, const QString &serial,
                            const QString &gtin = {}, QString *qrCode = nullptr)
    {
        QJsonObject body{{u"organization_id"_s, hospital},
                         {u"manufacturer_id"_s, m_maker},
                         {u"name"_s, QString(u"Evita V800 "_s + serial)},
                         {u"model"_s, u"V800"_s},
                         {u"serial_number"_s, serial},
                         {u"category"_s, u"ventilator"_s}};
        if (!gtin.isEmpty())
            body.insert(u"gtin"_s, gtin);
        const HttpReply r = admin().post(u"/v1/equipment"_s, body);
        if (r.status != 201)
            qWarning() << r.status << r.body;
        if (qrCode)
            *qrCode = r.json.value(u"qr_code"_s).toString();
        return r.json.value(u"id"_s).toString();
    }

    static HttpReply identify(HttpClient &client, const QByteArray &body,
                              const QByteArray &contentType)
    {
        return client.send("POST", kIdentify, body, contentType);
    }
    static HttpReply identifyFile(HttpClient &client, const QString &path)
    {
        const QByteArray type = path.endsWith(u".png"_s) ? "image/png" : "image/jpeg";
        return identify(client, readAll(path), type);
    }
    static HttpReply identifyText(HttpClient &client, const QString &payload)
    {
        return identify(client, payload.toUtf8(), "text/plain; charset=utf-8");
    }

    // A label photographed on a grey surface, as a phone would.
    static QString labelScene(CodeImages &codes, const QString &payload, const QString &name,
                              double rotation = 7)
    {
        const QString label = codes.qrPng(payload, 8, name + u".label.png"_s);
        if (label.isEmpty())
            return {};
        return codes.scene(label, kScene, 360, QPoint(440, 280), rotation, name);
    }
    QString labelScene(const QString &payload, const QString &name, double rotation = 7)
    {
        return labelScene(*m_codes, payload, name, rotation);
    }
    // A scene of a label whose payload does not depend on the server, made once.
    QString sharedLabelScene(const QString &payload)
    {
        const QString name = u"shared-%1.jpg"_s.arg(qHash(payload), 0, 16);
        const QString path = QDir(m_sharedCodes->directory()).filePath(name);
        return QFileInfo::exists(path) ? path : labelScene(*m_sharedCodes, payload, name);
    }

    static bool isError(const HttpReply &r, int status, const QString &code)
    {
        if (r.status != status || !r.isErrorEnvelope() || r.errorCode() != code) {
            qWarning() << "expected" << status << code << "got" << r.status << r.body.left(300);
            return false;
        }
        return true;
    }

    // 200 with exactly what GET /v1/equipment/{id} answers for that caller.
    bool identifies(HttpClient &client, const HttpReply &r, const QString &id)
    {
        if (r.status != 200 || r.json.value(u"id"_s).toString() != id) {
            qWarning() << "expected 200 with" << id << "got" << r.status << r.body.left(300);
            return false;
        }
        const HttpReply get = client.get(u"/v1/equipment/"_s + id);
        if (get.json != r.json) {
            qWarning() << "differs from GET:" << r.body << get.body;
            return false;
        }
        return true;
    }

private Q_SLOTS:
    void initTestCase_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("sqlite") << u"sqlite"_s;
        QTest::newRow("postgres") << u"postgres"_s;
    }

    void initTestCase()
    {
        const QString missing = CodeImages::missingTools();
        QVERIFY2(missing.isEmpty(),
                 qPrintable(u"install "_s + missing + u" (installer/install-deps.sh --test)"_s));
        m_sharedImages = std::make_unique<QTemporaryDir>();
        QVERIFY(m_sharedImages->isValid());
        m_sharedCodes = std::make_unique<CodeImages>(m_sharedImages->path());
    }

    void init()
    {
        QFETCH_GLOBAL(QString, backend);
        m_server = std::make_unique<TestServer>(backend);
        QVERIFY2(m_server->isRunning(), qPrintable(m_server->error()));
        m_images = std::make_unique<QTemporaryDir>();
        QVERIFY(m_images->isValid());
        m_codes = std::make_unique<CodeImages>(m_images->path());

        auto organization = [&](const QString &name, const QString &type) {
            const HttpReply r =
                admin().post(u"/v1/organizations"_s, {{u"name"_s, name}, {u"type"_s, type}});
            return r.json.value(u"id"_s).toString();
        };
        m_hospitalA = organization(u"Klinikum Nord"_s, u"hospital"_s);
        m_hospitalB = organization(u"Klinikum Süd"_s, u"hospital"_s);
        m_maker = organization(u"Drägerwerk"_s, u"manufacturer"_s);
        QVERIFY(!m_hospitalA.isEmpty() && !m_hospitalB.isEmpty() && !m_maker.isEmpty());
        m_equipment = createEquipment(m_hospitalA, kSerial, kGtin, &m_qrCode);
        QVERIFY(md::domain::QrPayload::isValidCode(m_qrCode));
        m_customerA = m_server->signIn(Role::Customer, m_hospitalA);
        m_customerB = m_server->signIn(Role::Customer, m_hospitalB);
    }

    void cleanup()
    {
        m_customerA.reset();
        m_customerB.reset();
        m_server.reset();
        m_codes.reset();
        m_images.reset();
    }

    void photoOfLabelIdentifiesEquipment_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("clean PNG label") << u"label"_s;
        QTest::newRow("PNG scene") << u"scene.png"_s;
        QTest::newRow("JPEG scene") << u"scene.jpg"_s;
        QTest::newRow("JPEG scene, tilted 25 degrees") << u"tilted.jpg"_s;
        QTest::newRow("JPEG scene, label carries a link") << u"link.jpg"_s;
        QTest::newRow("12-megapixel JPEG") << u"big.jpg"_s;
    }
    void photoOfLabelIdentifiesEquipment()
    {
        QFETCH(QString, kind);
        QString photo;
        if (kind == u"label"_s)
            photo = m_codes->qrPng(m_qrCode, 6, u"label.png"_s);
        else if (kind == u"tilted.jpg"_s)
            photo = labelScene(m_qrCode, kind, 25);
        else if (kind == u"big.jpg"_s)
            photo = m_codes->magick(labelScene(m_qrCode, u"small.jpg"_s),
                                    {u"-resize"_s, u"4000x3000"_s}, kind);
        else if (kind == u"link.jpg"_s)
            photo = labelScene(md::domain::QrPayload::encode(m_qrCode, u"https://md.example.org"_s),
                               kind);
        else
            photo = labelScene(m_qrCode, kind);
        QVERIFY2(!photo.isEmpty(), qPrintable(m_codes->lastError()));

        QVERIFY(identifies(admin(), identifyFile(admin(), photo), m_equipment));
        // A user of the equipment's own hospital finds it too.
        QVERIFY(identifies(*m_customerA, identifyFile(*m_customerA, photo), m_equipment));
    }

    void otherTenantsLabelReadsLikeAnUnknownOne()
    {
        const QString ours = labelScene(m_qrCode, u"ours.jpg"_s);
        const QString neverIssued = md::domain::QrPayload::generateCode();
        const QString unknown = sharedLabelScene(neverIssued);
        QVERIFY2(!ours.isEmpty() && !unknown.isEmpty(), qPrintable(m_codes->lastError()));

        const HttpReply foreign = identifyFile(*m_customerB, ours);
        const HttpReply missing = identifyFile(*m_customerB, unknown);
        QVERIFY(isError(foreign, 404, u"not_found"_s));
        QCOMPARE(missing.status, foreign.status);
        QCOMPARE(missing.body, foreign.body);
        // The same answer the admin gets for a code that names nothing, and the same as
        // GET /v1/equipment/by-qr/{code} gives: the label reveals nothing.
        QCOMPARE(identifyFile(admin(), unknown).body, foreign.body);
        QCOMPARE(m_customerB->get(u"/v1/equipment/by-qr/"_s + m_qrCode).body, foreign.body);
        QVERIFY(!foreign.body.contains(m_qrCode.toUtf8()));

        // Scanned instead of photographed: alike as well.
        const HttpReply scannedForeign = identifyText(*m_customerB, m_qrCode);
        const HttpReply scannedMissing = identifyText(*m_customerB, neverIssued);
        QVERIFY(isError(scannedForeign, 404, u"not_found"_s));
        QCOMPARE(scannedMissing.body, scannedForeign.body);
        QCOMPARE(scannedForeign.body, foreign.body);
    }

    void udiIdentifiesBySerialAndGtin_data()
    {
        QTest::addColumn<QString>("symbology");
        QTest::addColumn<QString>("data");
        QTest::newRow("GS1 DataMatrix, GTIN + serial")
            << u"datamatrix"_s << u"[01]%1[21]%2"_s.arg(kGtin, kSerial);
        QTest::newRow("GS1 DataMatrix, GTIN + expiry + lot + serial")
            << u"datamatrix"_s << u"[01]%1[17]291231[10]LOT-7A[21]%2"_s.arg(kGtin, kSerial);
        QTest::newRow("GS1-128, GTIN + serial")
            << u"gs1-128"_s << u"[01]%1[21]%2"_s.arg(kGtin, kSerial);
    }
    void udiIdentifiesBySerialAndGtin()
    {
        QFETCH(QString, symbology);
        QFETCH(QString, data);
        const QString symbol = m_codes->gs1Png(symbology, data, 4);
        QVERIFY2(!symbol.isEmpty(), qPrintable(m_codes->lastError()));
        QVERIFY(identifies(admin(), identifyFile(admin(), symbol), m_equipment));
        QVERIFY(identifies(*m_customerA, identifyFile(*m_customerA, symbol), m_equipment));
        // Another hospital's user: as if the serial were unknown.
        QVERIFY(isError(identifyFile(*m_customerB, symbol), 404, u"not_found"_s));
    }

    void udiWithAnotherGtinReadsLikeAnUnknownSerial()
    {
        const QString otherProduct = m_codes->gs1Png(
            u"datamatrix"_s, u"[01]%1[21]%2"_s.arg(kOtherGtin, kSerial), 4, u"gtin.png"_s);
        const QString unknownSerial = m_codes->gs1Png(
            u"datamatrix"_s, u"[01]%1[21]SN-NEVER-MADE"_s.arg(kGtin), 4, u"serial.png"_s);
        QVERIFY2(!otherProduct.isEmpty() && !unknownSerial.isEmpty(),
                 qPrintable(m_codes->lastError()));
        const HttpReply mismatch = identifyFile(admin(), otherProduct);
        QVERIFY(isError(mismatch, 404, u"not_found"_s));
        QCOMPARE(identifyFile(admin(), unknownSerial).body, mismatch.body);
        QCOMPARE(identifyFile(*m_customerB, otherProduct).body, mismatch.body);
        QVERIFY(!mismatch.body.contains(kSerial.toUtf8()));
    }

    void sharedSerialIsAmbiguousAmongVisibleEquipment()
    {
        const QString twin1 = createEquipment(m_hospitalA, u"SN-TWIN"_s);
        const QString twin2 = createEquipment(m_hospitalA, u"SN-TWIN"_s);
        const QString elsewhere = createEquipment(m_hospitalB, u"SN-TWIN"_s);
        const QString photo = m_codes->gs1Png(
            u"datamatrix"_s, u"[01]%1[21]SN-TWIN"_s.arg(kOtherGtin), 4, u"twin.png"_s);
        QVERIFY2(!photo.isEmpty(), qPrintable(m_codes->lastError()));

        const HttpReply all = identifyFile(admin(), photo);
        QVERIFY(isError(all, 409, u"ambiguous_code"_s));
        const QStringList allIds =
            idsOf(all.json[u"error"_s][u"details"_s][u"equipment_ids"_s].toArray());
        QCOMPARE(QSet<QString>(allIds.cbegin(), allIds.cend()),
                 (QSet<QString>{twin1, twin2, elsewhere}));

        // A hospital user hears only of its own equipment.
        const HttpReply mine = identifyFile(*m_customerA, photo);
        QVERIFY(isError(mine, 409, u"ambiguous_code"_s));
        const QStringList mineIds =
            idsOf(mine.json[u"error"_s][u"details"_s][u"equipment_ids"_s].toArray());
        QCOMPARE(QSet<QString>(mineIds.cbegin(), mineIds.cend()), (QSet<QString>{twin1, twin2}));
        // ... and the other hospital's user sees just one: theirs.
        QVERIFY(identifies(*m_customerB, identifyFile(*m_customerB, photo), elsewhere));

        // One of them records the UDI's GTIN: that one is meant.
        const HttpReply patched =
            admin().patch(u"/v1/equipment/"_s + twin2, {{u"gtin"_s, kOtherGtin}});
        QCOMPARE(patched.status, 200);
        QVERIFY(identifies(admin(), identifyFile(admin(), photo), twin2));
        QVERIFY(identifies(*m_customerA, identifyFile(*m_customerA, photo), twin2));
    }

    void photoWithoutCodeIsNoCodeFound()
    {
        const QString emptyPath = QDir(m_sharedCodes->directory()).filePath(u"empty.jpg"_s);
        const QString empty = QFileInfo::exists(emptyPath)
                                  ? emptyPath
                                  : m_sharedCodes->scene({}, kScene, 0, {}, 0, u"empty.jpg"_s);
        QVERIFY2(!empty.isEmpty(), qPrintable(m_codes->lastError()));
        QVERIFY(isError(identifyFile(admin(), empty), 422, u"no_code_found"_s));
    }

    void codesThatAreNotOursAreNoCodeFound_data()
    {
        QTest::addColumn<QString>("payload");
        QTest::newRow("URL") << u"https://example.com/login?next=/admin&token=abc"_s;
        QTest::newRow("link to a code on another path")
            << u"https://example.com/x/MD-7K3M-9QXT-2HVB-CW4P"_s;
        QTest::newRow("long text") << QString(QString(1500, u'A') + u"-TAIL-OF-LONG-TEXT"_s);
        QTest::newRow("a near miss") << u"MD-7K3M-9QXT-2HVB"_s;
        QTest::newRow("a GTIN without a valid check digit") << u"(01)04012345678902(21)SN"_s;
    }
    void codesThatAreNotOursAreNoCodeFound()
    {
        QFETCH(QString, payload);
        const QString photo = sharedLabelScene(payload);
        QVERIFY2(!photo.isEmpty(), qPrintable(m_codes->lastError()));
        const HttpReply r = identifyFile(admin(), photo);
        QVERIFY(isError(r, 422, u"no_code_found"_s));
        // Never echoed.
        QVERIFY(!r.body.contains(payload.right(18).toUtf8()));
    }

    void scannedPayloads_data()
    {
        // {code} stands for the equipment's label code, {GS} for the FNC1 separator.
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("error");
        QTest::newRow("label code") << "{code}"_ba << 200 << QString();
        QTest::newRow("label code, lower case, Enter") << "{lower}\r\n"_ba << 200 << QString();
        QTest::newRow("label link") << "https://md.example.org/e/{code}"_ba << 200 << QString();
        QTest::newRow("UDI with GS separators") << "]d20104012345678901"
                                                   "10LOT42{GS}17291231"
                                                   "21SN-ID-0001"_ba
                                                << 200 << QString();
        QTest::newRow("UDI, human-readable")
            << "(01)04012345678901(21)SN-ID-0001"_ba << 200 << QString();
        QTest::newRow("UDI, other GTIN")
            << "(01)07612345678900(21)SN-ID-0001"_ba << 404 << u"not_found"_s;
        QTest::newRow("UDI without serial") << "(01)04012345678901"_ba << 404 << u"not_found"_s;
        QTest::newRow("never-issued code") << "MD-0000-0000-0000-0000"_ba << 404 << u"not_found"_s;
        QTest::newRow("junk") << "hello <script>alert(1)</script>"_ba << 422 << u"no_code_found"_s;
        QTest::newRow("5,000 bytes") << QByteArray(5000, 'A') << 422 << u"no_code_found"_s;
        QTest::newRow("the code padded to 5,000 bytes")
            << QByteArray("{code}"_ba + QByteArray(5000, ' ')) << 422 << u"no_code_found"_s;
        QTest::newRow("not UTF-8") << "\xff\xfe{code}"_ba << 422 << u"no_code_found"_s;
        QTest::newRow("code with a NUL") << "{code}\0x"_ba << 422 << u"no_code_found"_s;
        QTest::newRow("empty") << QByteArray() << 422 << u"no_code_found"_s;
    }
    void scannedPayloads()
    {
        QFETCH(QByteArray, payload);
        QFETCH(int, status);
        QFETCH(QString, error);
        payload.replace("{code}", m_qrCode.toUtf8());
        payload.replace("{lower}", m_qrCode.toLower().toUtf8());
        payload.replace("{GS}", "\x1d");
        const HttpReply r = identify(admin(), payload, "text/plain");
        if (status == 200) {
            QVERIFY(identifies(admin(), r, m_equipment));
        } else {
            QVERIFY(isError(r, status, error));
            QVERIFY(!r.body.contains(m_qrCode.toUtf8()));
            QVERIFY(!r.body.contains("SN-ID"));
        }
    }

    void brokenImagesAreClientErrors_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<int>("status");
        QTest::addColumn<QStringList>("errors");
        const QStringList invalid{u"invalid_image"_s};
        QTest::newRow("garbage as PNG") << u"garbage"_s << "image/png"_ba << 422 << invalid;
        QTest::newRow("garbage as JPEG") << u"garbage"_s << "image/jpeg"_ba << 422 << invalid;
        QTest::newRow("empty PNG") << u"empty"_s << "image/png"_ba << 422 << invalid;
        QTest::newRow("a PNG sent as JPEG") << u"png"_s << "image/jpeg"_ba << 422 << invalid;
        QTest::newRow("a JPEG sent as PNG") << u"jpeg"_s << "image/png"_ba << 422 << invalid;
        QTest::newRow("PNG signature, nothing else")
            << u"signature"_s << "image/png"_ba << 422 << invalid;
        // Truncated: the decoder may give up or show the top of the photo (no code there).
        QTest::newRow("truncated JPEG") << u"truncated"_s << "image/jpeg"_ba << 422
                                        << QStringList{u"invalid_image"_s, u"no_code_found"_s};
        QTest::newRow("PNG claiming 100000 x 100000 pixels")
            << u"huge"_s << "image/png"_ba << 413 << QStringList{u"payload_too_large"_s};
    }
    void brokenImagesAreClientErrors()
    {
        QFETCH(QString, kind);
        QFETCH(QByteArray, contentType);
        QFETCH(int, status);
        QFETCH(QStringList, errors);
        QByteArray body;
        if (kind == u"garbage"_s) {
            for (int i = 0; i < 200000; ++i)
                body.append(char((i * 7919 + 13) % 251));
        } else if (kind == u"png"_s) {
            body = readAll(m_codes->qrPng(m_qrCode, 6, u"plain.png"_s));
        } else if (kind == u"jpeg"_s || kind == u"truncated"_s) {
            // The label low in the frame, so that the top half alone holds no code.
            const QString label = m_codes->qrPng(m_qrCode, 8, u"low.png"_s);
            body = readAll(m_codes->scene(label, kScene, 260, QPoint(520, 660), 0, u"low.jpg"_s));
            if (kind == u"truncated"_s)
                body.truncate(body.size() * 2 / 5);
        } else if (kind == u"signature"_s) {
            body = QByteArray("\x89PNG\r\n\x1a\n", 8);
        } else if (kind == u"huge"_s) {
            body = pngClaiming(100000, 100000);
        }
        QVERIFY(kind == u"empty"_s || !body.isEmpty());
        const HttpReply r = identify(admin(), body, contentType);
        QVERIFY2(r.status == status && r.isErrorEnvelope() && errors.contains(r.errorCode()),
                 qPrintable(u"%1 %2"_s.arg(r.status).arg(QString::fromUtf8(r.body.left(300)))));
        // The server is still there.
        QCOMPARE(admin().get(u"/healthz"_s).status, 200);
    }

    void wrongContentTypeIs415_data()
    {
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("body");
        const QByteArray png = QByteArray("\x89PNG\r\n\x1a\n", 8) + QByteArray(100, '\0');
        QTest::newRow("application/json") << "application/json"_ba
                                          << "{\"code\":\"x\"}"_ba;
        QTest::newRow("image/gif") << "image/gif"_ba
                                   << "GIF89a...."_ba;
        QTest::newRow("octet-stream") << "application/octet-stream"_ba << png;
        QTest::newRow("multipart") << "multipart/form-data; boundary=x"_ba << png;
        QTest::newRow("no content type") << QByteArray() << png;
        QTest::newRow("no content type, no body") << QByteArray() << QByteArray();
    }
    void wrongContentTypeIs415()
    {
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, body);
        const HttpReply r = identify(admin(), body, contentType);
        QVERIFY(isError(r, 415, u"unsupported_media_type"_s));
    }

    void bodyLimitIsTenMiB()
    {
        const qint64 limit = 10 * 1024 * 1024;
        QByteArray body(limit + 1, 'x');
        body.replace(0, 3, "\xff\xd8\xff");
        QVERIFY(isError(identify(admin(), body, "image/jpeg"), 413, u"payload_too_large"_s));
        // Exactly 10 MiB is read (and is no image).
        body.chop(1);
        QVERIFY(isError(identify(admin(), body, "image/jpeg"), 422, u"invalid_image"_s));
        QCOMPARE(admin().get(u"/healthz"_s).status, 200);
    }

    void signInIsRequired()
    {
        const QString label = m_codes->qrPng(m_qrCode, 6, u"anon.png"_s);
        QVERIFY2(!label.isEmpty(), qPrintable(m_codes->lastError()));
        auto anonymous = m_server->anonymousClient();
        const HttpReply r = identifyFile(*anonymous, label);
        QVERIFY(isError(r, 401, u"unauthenticated"_s));
        QVERIFY(!r.body.contains(m_equipment.toUtf8()));
        // Every role may read equipment (docs/security.md), so there is no 403 case.
    }

    void logsTheOutcomeNeverThePayload()
    {
        auto sink = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(64);
        spdlog::default_logger()->sinks().push_back(sink);
        const auto removeSink = qScopeGuard([&] {
            auto &sinks = spdlog::default_logger()->sinks();
            sinks.erase(std::remove(sinks.begin(), sinks.end(), sink), sinks.end());
        });
        QCOMPARE(identifyText(admin(), m_qrCode).status, 200);
        QCOMPARE(identifyText(admin(), u"SECRET-MARKER-4711 https://evil.example/"_s).status, 422);
        QCOMPARE(identifyText(admin(), u"(01)04012345678901(21)SN-ID-0001"_s).status, 200);
        const QString label = m_codes->qrPng(m_qrCode, 6, u"logged.png"_s);
        QCOMPARE(identifyFile(admin(), label).status, 200);

        const std::vector<std::string> lines = sink->last_formatted();
        QString log;
        for (const std::string &line : lines)
            log += QString::fromStdString(line);
        QVERIFY2(log.count(u"identify"_s) >= 4, qPrintable(log));
        QVERIFY2(log.contains(u"identified"_s) && log.contains(u"not_ours"_s), qPrintable(log));
        QVERIFY2(log.contains(u"QR code"_s), qPrintable(log));
        for (const QString &secret : {m_qrCode, u"SECRET-MARKER"_s, u"evil.example"_s,
                                      u"SN-ID-0001"_s, u"04012345678901"_s})
            QVERIFY2(!log.contains(secret), qPrintable(secret + u" in: "_s + log));
    }

    void listFiltersBySerialNumberAndGtin()
    {
        const QString sameSerialElsewhere = createEquipment(m_hospitalB, kSerial);
        const QString similar = createEquipment(m_hospitalA, kSerial + u"-B"_s, kOtherGtin);
        auto ids = [](const HttpReply &r) {
            QStringList found;
            for (const QJsonValue &v : r.json.value(u"data"_s).toArray())
                found << v.toObject().value(u"id"_s).toString();
            return found;
        };

        HttpReply r = admin().get(u"/v1/equipment?serial_number="_s + kSerial);
        QCOMPARE(r.status, 200);
        const QStringList both = ids(r);
        QCOMPARE(QSet<QString>(both.cbegin(), both.cend()),
                 (QSet<QString>{m_equipment, sameSerialElsewhere}));
        QCOMPARE(r.json[u"page"_s][u"total"_s].toInt(), 2);
        // Exact, not a substring (q is the substring search).
        QCOMPARE(ids(admin().get(u"/v1/equipment?serial_number=SN-ID-000"_s)), QStringList());
        QCOMPARE(ids(admin().get(u"/v1/equipment?serial_number=sn-id-0001"_s)), QStringList());
        // Scoped: each hospital sees its own.
        QCOMPARE(ids(m_customerA->get(u"/v1/equipment?serial_number="_s + kSerial)),
                 QStringList{m_equipment});
        QCOMPARE(ids(m_customerB->get(u"/v1/equipment?serial_number="_s + kSerial)),
                 QStringList{sameSerialElsewhere});

        QCOMPARE(ids(admin().get(u"/v1/equipment?gtin="_s + kGtin)), QStringList{m_equipment});
        QCOMPARE(ids(admin().get(u"/v1/equipment?gtin="_s + kOtherGtin)), QStringList{similar});
        QCOMPARE(ids(m_customerB->get(u"/v1/equipment?gtin="_s + kGtin)), QStringList());
        QCOMPARE(
            ids(admin().get(u"/v1/equipment?gtin=%1&serial_number=%2"_s.arg(kOtherGtin, kSerial))),
            QStringList());
        QCOMPARE(ids(admin().get(u"/v1/equipment?gtin=%1&serial_number=%2"_s.arg(kGtin, kSerial))),
                 QStringList{m_equipment});

        for (const QString &bad :
             {u"gtin=0401234567890"_s, u"gtin=0401234567890X"_s, u"gtin=040123456789012"_s,
              QString(u"serial_number="_s + QString(101, u'S'))}) {
            r = admin().get(u"/v1/equipment?"_s + bad);
            QVERIFY2(isError(r, 400, u"invalid_parameter"_s), qPrintable(bad));
        }
    }

    void openApiDocumentsTheRouteAndTheFilters()
    {
        const HttpReply doc = admin().get(u"/v1/openapi.json"_s);
        QCOMPARE(doc.status, 200);
        const QJsonObject paths = doc.json.value(u"paths"_s).toObject();
        const QJsonObject identify = paths.value(kIdentify).toObject().value(u"post"_s).toObject();
        const QJsonObject body =
            identify.value(u"requestBody"_s).toObject().value(u"content"_s).toObject();
        QCOMPARE(body.keys(), (QStringList{u"image/jpeg"_s, u"image/png"_s, u"text/plain"_s}));
        const QJsonObject responses = identify.value(u"responses"_s).toObject();
        for (const QString &status :
             {u"200"_s, u"401"_s, u"404"_s, u"409"_s, u"413"_s, u"415"_s, u"422"_s})
            QVERIFY2(responses.contains(status), qPrintable(status));
        QStringList listParameters;
        for (const QJsonValue &p : paths.value(u"/v1/equipment"_s)
                                       .toObject()
                                       .value(u"get"_s)
                                       .toObject()
                                       .value(u"parameters"_s)
                                       .toArray())
            listParameters << p.toObject().value(u"name"_s).toString();
        QVERIFY(listParameters.contains(u"serial_number"_s));
        QVERIFY(listParameters.contains(u"gtin"_s));
    }
};

QTEST_GUILESS_MAIN(TestApiIdentify)
#include "tst_api_identify.moc"
