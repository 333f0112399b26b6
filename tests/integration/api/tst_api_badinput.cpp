// Bad input of every kind, for every endpoint, against a real server on both backends:
// the right 4xx with the API.md error envelope, never a 500, and odd but valid strings
// stored and returned verbatim. Prints how many bad inputs it tried.

#include "apitestsupport.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using md::test::HttpReply;

namespace {

struct Endpoint
{
    QByteArray method;
    QString path;      // with {hospital}, {siemens}, {equipment}, {ticket}, {engineer} placeholders
    QJsonObject valid; // a valid body (for POST/PATCH)
    QStringList required;
};

const QString kUnknownId = u"6f1c2a52-4b7e-4d59-9d7e-0c8f9b1e2a3d"_s;

} // namespace

class TestApiBadInput final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<md::test::TestServer> m_server;
    QHash<QString, QString> m_ids;
    int m_tried = 0;

    QString fill(QString path) const
    {
        for (auto it = m_ids.cbegin(); it != m_ids.cend(); ++it)
            path.replace(u'{' + it.key() + u'}', it.value());
        return path;
    }
    QJsonObject fill(const QJsonObject &body) const
    {
        const QByteArray json = QJsonDocument(body).toJson(QJsonDocument::Compact);
        return QJsonDocument::fromJson(fill(QString::fromUtf8(json)).toUtf8()).object();
    }

    QList<Endpoint> endpoints() const
    {
        const QJsonObject org{{u"name"_s, u"Org"_s}, {u"type"_s, u"hospital"_s}};
        const QJsonObject equipment{{u"organization_id"_s, u"{hospital}"_s},
                                    {u"manufacturer_id"_s, u"{siemens}"_s},
                                    {u"name"_s, u"CT"_s},
                                    {u"model"_s, u"X"_s},
                                    {u"serial_number"_s, u"S1"_s},
                                    {u"category"_s, u"ct"_s}};
        const QJsonObject engineer{
            {u"name"_s, u"Eng"_s}, {u"organization_id"_s, u"{hospital}"_s}, {u"level"_s, u"L2"_s}};
        const QJsonObject ticket{{u"equipment_id"_s, u"{equipment}"_s},
                                 {u"priority"_s, u"normal"_s},
                                 {u"title"_s, u"Broken"_s}};
        return {
            {"POST", u"/v1/organizations"_s, org, {u"name"_s, u"type"_s}},
            {"PATCH", u"/v1/organizations/{hospital}"_s, {{u"name"_s, u"Renamed"_s}}, {}},
            {"POST",
             u"/v1/equipment"_s,
             equipment,
             {u"organization_id"_s, u"manufacturer_id"_s, u"name"_s, u"serial_number"_s,
              u"category"_s}},
            {"PATCH", u"/v1/equipment/{equipment}"_s, {{u"room"_s, u"B2"_s}}, {}},
            {"POST", u"/v1/engineers"_s, engineer, {u"name"_s, u"organization_id"_s, u"level"_s}},
            {"PATCH", u"/v1/engineers/{engineer}"_s, {{u"level"_s, u"L3"_s}}, {}},
            {"POST", u"/v1/tickets"_s, ticket, {u"equipment_id"_s, u"priority"_s, u"title"_s}},
            {"PATCH", u"/v1/tickets/{ticket}"_s, {{u"title"_s, u"Still broken"_s}}, {}},
            {"POST",
             u"/v1/tickets/{ticket}/assign"_s,
             {{u"engineer_id"_s, u"{engineer}"_s}},
             {u"engineer_id"_s}},
        };
    }

    void expectError(const HttpReply &r, int status, const QByteArray &what)
    {
        ++m_tried;
        QVERIFY2(r.status == status,
                 QByteArray(what + " -> " + QByteArray::number(r.status) + " " + r.body.left(300))
                     .constData());
        QVERIFY2(r.isErrorEnvelope(),
                 QByteArray(what + ": not an error envelope: " + r.body.left(300)).constData());
    }

private Q_SLOTS:
    void initTestCase_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("sqlite") << u"sqlite"_s;
        QTest::newRow("postgres") << u"postgres"_s;
    }

    void initTestCase() {}

    void init()
    {
        QFETCH_GLOBAL(QString, backend);
        m_server = std::make_unique<md::test::TestServer>(backend);
        QVERIFY2(m_server->isRunning(), qPrintable(m_server->error()));
        auto &http = m_server->client();
        m_ids[u"hospital"_s] =
            http.post(u"/v1/organizations"_s, {{u"name"_s, u"H"_s}, {u"type"_s, u"hospital"_s}})
                .json.value(u"id"_s)
                .toString();
        m_ids[u"siemens"_s] = http.post(u"/v1/organizations"_s,
                                        {{u"name"_s, u"Siemens"_s}, {u"type"_s, u"manufacturer"_s}})
                                  .json.value(u"id"_s)
                                  .toString();
        m_ids[u"equipment"_s] = http.post(u"/v1/equipment"_s, fill(endpoints().at(2).valid))
                                    .json.value(u"id"_s)
                                    .toString();
        m_ids[u"engineer"_s] =
            http.post(u"/v1/engineers"_s,
                      fill(QJsonObject{{u"name"_s, u"E"_s},
                                       {u"organization_id"_s, u"{hospital}"_s},
                                       {u"level"_s, u"L2"_s},
                                       {u"manufacturer_ids"_s, QJsonArray{u"{siemens}"_s}},
                                       {u"categories"_s, QJsonArray{u"ct"_s}}}))
                .json.value(u"id"_s)
                .toString();
        m_ids[u"ticket"_s] = http.post(u"/v1/tickets"_s, fill(endpoints().at(6).valid))
                                 .json.value(u"id"_s)
                                 .toString();
        for (const QString &v : m_ids)
            QVERIFY(!v.isEmpty());
    }

    void cleanup() { m_server.reset(); }

    void cleanupTestCase()
    {
        qInfo("bad inputs tried: %d (all answered with the right 4xx and the error envelope)",
              m_tried);
    }

    void malformedBodies()
    {
        auto &http = m_server->client();
        const QList<QByteArray> malformed = {"",
                                             "{",
                                             "{\"name\":",
                                             "[]",
                                             "\"text\"",
                                             "42",
                                             "null",
                                             "{\"a\":1,}",
                                             "{'name':'x'}",
                                             QByteArray("{\"name\":\"\xff\xfe\"}"),
                                             "{\"name\":\"x\"} trailing",
                                             QByteArray(100000, '[')};
        for (const Endpoint &e : endpoints()) {
            for (const QByteArray &body : malformed)
                expectError(http.send(e.method, fill(e.path), body), 400,
                            e.method + ' ' + e.path.toUtf8() + " malformed " + body.left(20));
        }
    }

    void wrongContentType()
    {
        auto &http = m_server->client();
        for (const Endpoint &e : endpoints()) {
            const QByteArray json = QJsonDocument(fill(e.valid)).toJson();
            for (const QByteArray &type :
                 {QByteArray("text/plain"), QByteArray("application/x-www-form-urlencoded"),
                  QByteArray("multipart/form-data; boundary=x"), QByteArray("application/xml"),
                  QByteArray()})
                expectError(http.send(e.method, fill(e.path), json, type), 415,
                            e.method + ' ' + e.path.toUtf8() + " type " + type);
        }
    }

    void bodyOverTheLimit()
    {
        auto &http = m_server->client();
        QByteArray big = "{\"name\":\"" + QByteArray(1024 * 1024 + 10, 'a') + "\"}";
        for (const Endpoint &e : endpoints())
            expectError(http.send(e.method, fill(e.path), big), 413,
                        e.method + ' ' + e.path.toUtf8() + " 1 MiB");
        // The server is still there.
        QCOMPARE(http.get(u"/healthz"_s).status, 200);
    }

    void missingWrongTypedAndUnknownFields()
    {
        auto &http = m_server->client();
        const QList<QJsonValue> wrongValues = {QJsonValue(12345),
                                               QJsonValue(true),
                                               QJsonValue(QJsonArray{1, 2}),
                                               QJsonValue(QJsonObject{{u"x"_s, 1}}),
                                               QJsonValue(u"\u0000"_s),
                                               QJsonValue(QString(5000, u'x'))};
        for (const Endpoint &e : endpoints()) {
            const QJsonObject valid = fill(e.valid);
            const QByteArray name = e.method + ' ' + e.path.toUtf8();
            for (const QString &field : e.required) {
                QJsonObject body = valid;
                body.remove(field);
                HttpReply r = http.send(e.method, fill(e.path), QJsonDocument(body).toJson());
                expectError(r, 422, name + " missing " + field.toUtf8());
                QVERIFY2(r.errorFields().contains(field), qPrintable(field));
            }
            for (auto it = valid.constBegin(); it != valid.constEnd(); ++it) {
                for (const QJsonValue &wrong : wrongValues) {
                    if (wrong.isString() && it.key() == u"title"_s && wrong.toString().size() < 200)
                        continue; // a NUL-free short string is a fine title
                    QJsonObject body = valid;
                    body.insert(it.key(), wrong);
                    const HttpReply r =
                        http.send(e.method, fill(e.path), QJsonDocument(body).toJson());
                    ++m_tried;
                    QVERIFY2(r.status == 422 || r.status == 409,
                             QByteArray(name + " " + it.key().toUtf8() + " -> " + r.body.left(200))
                                 .constData());
                    QVERIFY(r.isErrorEnvelope());
                }
            }
            QJsonObject unknown = valid;
            unknown.insert(u"colour"_s, u"blue"_s);
            const HttpReply r = http.send(e.method, fill(e.path), QJsonDocument(unknown).toJson());
            expectError(r, 422, name + " unknown field");
            QVERIFY(r.errorFields().contains(u"colour"_s));
            for (const QString &serverOwned : {u"created_at"_s, u"qr_code"_s, u"number"_s}) {
                QJsonObject body = valid;
                body.insert(serverOwned, u"2026-01-01T00:00:00Z"_s);
                expectError(http.send(e.method, fill(e.path), QJsonDocument(body).toJson()), 422,
                            name + " server-owned " + serverOwned.toUtf8());
            }
        }
    }

    void unknownAndMalformedIds()
    {
        auto &http = m_server->client();
        const QStringList badIds = {kUnknownId,
                                    u"not-a-uuid"_s,
                                    u"1"_s,
                                    u"%27%20OR%20%271%27%3D%271"_s,
                                    u"..%2F..%2Fetc%2Fpasswd"_s,
                                    QString(300, u'a'),
                                    u"%F0%9F%92%A5"_s};
        for (const QString &id : badIds) {
            for (const QString &path : {u"/v1/organizations/"_s, u"/v1/equipment/"_s,
                                        u"/v1/engineers/"_s, u"/v1/tickets/"_s})
                expectError(http.get(path + id), 404, (u"GET "_s + path + id).toUtf8());
            expectError(http.get(u"/v1/tickets/%1/assignments/history"_s.arg(id)), 404,
                        "history " + id.toUtf8());
            expectError(http.patch(u"/v1/tickets/"_s + id, {{u"title"_s, u"x"_s}}), 404,
                        "patch ticket " + id.toUtf8());
            expectError(http.post(u"/v1/tickets/%1/assign"_s.arg(id),
                                  fill(QJsonObject{{u"engineer_id"_s, u"{engineer}"_s}})),
                        404, "assign " + id.toUtf8());
        }
        // Ids inside bodies that name nothing are validation errors on that field.
        HttpReply r = http.post(
            u"/v1/tickets"_s,
            {{u"equipment_id"_s, kUnknownId}, {u"priority"_s, u"low"_s}, {u"title"_s, u"x"_s}});
        expectError(r, 422, "ticket for unknown equipment");
        r = http.post(u"/v1/equipment"_s, fill(QJsonObject{{u"organization_id"_s, u"{siemens}"_s},
                                                           {u"manufacturer_id"_s, u"{hospital}"_s},
                                                           {u"name"_s, u"x"_s},
                                                           {u"model"_s, u"x"_s},
                                                           {u"serial_number"_s, u"x"_s},
                                                           {u"category"_s, u"ct"_s}}));
        expectError(r, 422, "equipment with owner and manufacturer swapped");
        r = http.post(u"/v1/tickets/{ticket}/assign"_s.replace(u"{ticket}"_s, m_ids[u"ticket"_s]),
                      {{u"engineer_id"_s, kUnknownId}});
        expectError(r, 422, "assign unknown engineer");
        expectError(http.get(u"/v1/engineers/suggestions?ticket_id="_s + kUnknownId), 404,
                    "suggestions unknown ticket");
        expectError(http.get(u"/v1/engineers/suggestions"_s), 400, "suggestions without ticket");
        expectError(http.get(u"/v1/engineers/suggestions?ticket_id=abc"_s), 400,
                    "suggestions malformed ticket");
    }

    void badQueryParameters()
    {
        auto &http = m_server->client();
        const QStringList lists = {u"/v1/organizations"_s, u"/v1/equipment"_s, u"/v1/engineers"_s,
                                   u"/v1/tickets"_s};
        const QStringList bad = {u"limit=0"_s,   u"limit=501"_s, u"limit=abc"_s,
                                 u"limit=-1"_s,  u"offset=-5"_s, u"limit=99999999999999999999"_s,
                                 u"offset=1e3"_s};
        for (const QString &path : lists) {
            for (const QString &q : bad)
                expectError(http.get(path + u'?' + q), 400, (path + u'?' + q).toUtf8());
        }
        for (const QString &q :
             {u"/v1/equipment?category=toaster"_s, u"/v1/equipment?status=broken"_s,
              u"/v1/equipment?organization_id=xyz"_s, u"/v1/engineers?level=L9"_s,
              u"/v1/engineers?active=maybe"_s, u"/v1/tickets?status=new,lost"_s,
              u"/v1/tickets?priority=urgent"_s, u"/v1/tickets?tier=5"_s,
              u"/v1/organizations?type=club"_s, u"/v1/organizations?include_counts=perhaps"_s})
            expectError(http.get(q), 400, q.toUtf8());
        // Unknown paths and methods.
        expectError(http.get(u"/v1/nothing-here"_s), 404, "unknown path");
        expectError(http.send("DELETE", u"/v1/tickets"_s, {}, {}), 405, "DELETE tickets");
        expectError(http.send("PUT", u"/v1/organizations/"_s + m_ids[u"hospital"_s], "{}"), 405,
                    "PUT organization");
    }

    void oddStringsAreStoredVerbatim_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("sql quote") << u"O'Brien'); DROP TABLE tickets;--"_s;
        QTest::newRow("like wildcards") << u"100% _sure_ \\ back\\slash"_s;
        QTest::newRow("emoji") << u"Pump 💉 leaking 🚨"_s;
        QTest::newRow("rtl") << u"جهاز التنفس الصناعي"_s;
        QTest::newRow("combining") << u"Cafe\u0301 Zürich ß"_s;
        QTest::newRow("cjk") << u"超声波诊断仪"_s;
        QTest::newRow("html") << u"<script>alert(1)</script>&amp;"_s;
        QTest::newRow("json-ish") << u"{\"a\": [1, 2]} \\n \\u0000"_s;
        QTest::newRow("whitespace inside") << u"tab\there\nnewline"_s;
        QTest::newRow("zero width") << u"a\u200Bb\uFEFFc"_s;
    }

    void oddStringsAreStoredVerbatim()
    {
        QFETCH(QString, text);
        auto &http = m_server->client();
        HttpReply r = http.post(u"/v1/tickets"_s, {{u"equipment_id"_s, m_ids[u"equipment"_s]},
                                                   {u"priority"_s, u"low"_s},
                                                   {u"title"_s, u"t"_s},
                                                   {u"description"_s, text}});
        QCOMPARE(r.status, 201);
        const QString id = r.json.value(u"id"_s).toString();
        QCOMPARE(http.get(u"/v1/tickets/"_s + id).json.value(u"description"_s).toString(), text);
        r = http.post(u"/v1/organizations"_s,
                      {{u"name"_s, text}, {u"type"_s, u"service_provider"_s}});
        QCOMPARE(r.status, 201);
        QCOMPARE(http.get(u"/v1/organizations/"_s + r.json.value(u"id"_s).toString())
                     .json.value(u"name"_s)
                     .toString(),
                 text.trimmed());
        // Searching for it finds exactly what contains it, wildcards taken literally.
        const HttpReply found =
            http.get(u"/v1/tickets?q="_s + QString::fromLatin1(QUrl::toPercentEncoding(text)));
        QCOMPARE(found.status, 200);
        QCOMPARE(found.json.value(u"page"_s).toObject().value(u"total"_s).toInt(), 1);
    }
};

QTEST_GUILESS_MAIN(TestApiBadInput)
#include "tst_api_badinput.moc"
