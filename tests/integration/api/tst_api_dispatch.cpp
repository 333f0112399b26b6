// The dispatch flow over real HTTP against a real server, once per backend:
// organizations, equipment, engineers, a ticket, suggestions across the four tiers,
// assignment, reassignment with a reason, the history, status changes and the counts.

#include "apitestsupport.h"

#include <QJsonArray>
#include <QTest>
#include <QWebSocket>

using namespace Qt::StringLiterals;
using md::test::HttpReply;
using md::test::TestServer;

class TestApiDispatch final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestServer> m_server;
    md::test::HttpClient &http() { return m_server->client(); }

    QString createOrganization(const QJsonObject &body)
    {
        const HttpReply r = http().post(u"/v1/organizations"_s, body);
        if (r.status != 201)
            qWarning() << r.status << r.body;
        return r.json.value(u"id"_s).toString();
    }
    QString createEngineer(const QJsonObject &body)
    {
        const HttpReply r = http().post(u"/v1/engineers"_s, body);
        if (r.status != 201)
            qWarning() << r.status << r.body;
        return r.json.value(u"id"_s).toString();
    }

    // A small world: one hospital with one MRI by Siemens, engineers of every tier.
    QString m_hospital, m_otherHospital, m_siemens, m_philips, m_partner, m_provider;
    QString m_equipment, m_qrCode;
    QString m_oemL3, m_oemL1, m_partnerL3, m_providerL2, m_bmeL2, m_bmeInactive, m_wrongCategory,
        m_otherHospitalBme;

private Q_SLOTS:
    void initTestCase_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("sqlite") << u"sqlite"_s;
        QTest::newRow("postgres") << u"postgres"_s;
    }

    void init()
    {
        QFETCH_GLOBAL(QString, backend);
        m_server = std::make_unique<TestServer>(backend);
        QVERIFY2(m_server->isRunning(), qPrintable(m_server->error()));

        m_hospital = createOrganization(
            {{u"name"_s, u"St. Mary's Hospital"_s},
             {u"type"_s, u"hospital"_s},
             {u"location"_s, QJsonObject{{u"latitude"_s, 52.52}, {u"longitude"_s, 13.405}}}});
        m_otherHospital =
            createOrganization({{u"name"_s, u"Charité"_s}, {u"type"_s, u"hospital"_s}});
        m_siemens = createOrganization(
            {{u"name"_s, u"Siemens Healthineers"_s}, {u"type"_s, u"manufacturer"_s}});
        m_philips = createOrganization({{u"name"_s, u"Philips"_s}, {u"type"_s, u"manufacturer"_s}});
        const QJsonArray mriScope{
            QJsonObject{{u"manufacturer_id"_s, m_siemens}, {u"category"_s, u"mri"_s}}};
        m_partner = createOrganization({{u"name"_s, u"MedTech Partner GmbH"_s},
                                        {u"type"_s, u"authorized_partner"_s},
                                        {u"service_scopes"_s, mriScope}});
        m_provider = createOrganization({{u"name"_s, u"Multi-Brand Service AG"_s},
                                         {u"type"_s, u"service_provider"_s},
                                         {u"service_scopes"_s, mriScope}});
        QVERIFY(!m_partner.isEmpty() && !m_provider.isEmpty());

        const HttpReply eq =
            http().post(u"/v1/equipment"_s, {{u"organization_id"_s, m_hospital},
                                             {u"manufacturer_id"_s, m_siemens},
                                             {u"name"_s, u"MAGNETOM Vida"_s},
                                             {u"model"_s, u"Vida 3T"_s},
                                             {u"serial_number"_s, u"SN-0001"_s},
                                             {u"category"_s, u"mri"_s},
                                             {u"warranty_end"_s, u"2000-01-01"_s}});
        QCOMPARE(eq.status, 201);
        m_equipment = eq.json.value(u"id"_s).toString();
        m_qrCode = eq.json.value(u"qr_code"_s).toString();

        const QJsonArray siemens{m_siemens};
        const QJsonArray mri{u"mri"_s};
        auto engineer = [&](const QString &name, const QString &org, const QString &level,
                            bool active = true,
                            const QJsonArray &categories = QJsonArray{u"mri"_s}) {
            return createEngineer({{u"name"_s, name},
                                   {u"organization_id"_s, org},
                                   {u"level"_s, level},
                                   {u"manufacturer_ids"_s, siemens},
                                   {u"categories"_s, categories},
                                   {u"active"_s, active}});
        };
        m_oemL3 = engineer(u"Anna OEM"_s, m_siemens, u"L3"_s);
        m_oemL1 = engineer(u"Ben OEM"_s, m_siemens, u"L1"_s);
        m_partnerL3 = engineer(u"Clara Partner"_s, m_partner, u"L3"_s);
        m_providerL2 = engineer(u"David Provider"_s, m_provider, u"L2"_s);
        m_bmeL2 = engineer(u"Eva BME"_s, m_hospital, u"L2"_s);
        m_bmeInactive = engineer(u"Frank Inactive"_s, m_hospital, u"L3"_s, false);
        m_wrongCategory = engineer(u"Gina CT"_s, m_siemens, u"L3"_s, true, QJsonArray{u"ct"_s});
        m_otherHospitalBme = engineer(u"Hans Elsewhere"_s, m_otherHospital, u"L3"_s);
        QVERIFY(!m_otherHospitalBme.isEmpty());
    }

    void cleanup() { m_server.reset(); }

    void openTicketAndSeeItInLists()
    {
        const HttpReply t = http().post(u"/v1/tickets"_s, {{u"equipment_id"_s, m_equipment},
                                                           {u"priority"_s, u"high"_s},
                                                           {u"title"_s, u"Helium pressure alarm"_s},
                                                           {u"channel"_s, u"desk"_s}});
        QCOMPARE(t.status, 201);
        QVERIFY(t.json.value(u"number"_s).toString().startsWith(u"TKT-"_s));
        QCOMPARE(t.json.value(u"status"_s).toString(), u"new"_s);
        QCOMPARE(t.json.value(u"organization_id"_s).toString(), m_hospital);
        QVERIFY(!t.json.value(u"response_due_at"_s).toString().isEmpty());

        const HttpReply list = http().get(u"/v1/tickets?status=new&priority=high"_s);
        QCOMPARE(list.status, 200);
        QCOMPARE(list.json.value(u"page"_s).toObject().value(u"total"_s).toInt(), 1);

        const HttpReply orgs = http().get(u"/v1/organizations?include_counts=true&type=hospital"_s);
        QCOMPARE(orgs.status, 200);
        bool seen = false;
        for (const QJsonValue &v : orgs.json.value(u"data"_s).toArray()) {
            const QJsonObject o = v.toObject();
            if (o.value(u"id"_s).toString() == m_hospital) {
                seen = true;
                QCOMPARE(o.value(u"equipment_count"_s).toInt(), 1);
                QCOMPARE(o.value(u"engineers_count"_s).toInt(), 2);
                QCOMPARE(o.value(u"active_tickets_count"_s).toInt(), 1);
            }
        }
        QVERIFY(seen);
        // Without include_counts the counts are not there.
        const HttpReply plain = http().get(u"/v1/organizations/"_s + m_hospital);
        QCOMPARE(plain.status, 200);
    }

    void suggestionsRankEligibleEngineersAcrossTiers()
    {
        const HttpReply t = http().post(u"/v1/tickets"_s, {{u"equipment_id"_s, m_equipment},
                                                           {u"priority"_s, u"high"_s},
                                                           {u"title"_s, u"No images"_s}});
        QCOMPARE(t.status, 201);
        const QString ticket = t.json.value(u"id"_s).toString();

        const HttpReply s = http().get(u"/v1/engineers/suggestions?ticket_id="_s + ticket);
        QCOMPARE(s.status, 200);
        const QJsonArray data = s.json.value(u"data"_s).toArray();
        QHash<QString, int> tierOf;
        int recommended = 0;
        int previousScore = 101;
        for (const QJsonValue &v : data) {
            const QJsonObject o = v.toObject();
            const QString id = o.value(u"engineer"_s).toObject().value(u"id"_s).toString();
            tierOf.insert(id, o.value(u"assignment_tier"_s).toInt());
            const int score = o.value(u"match_score"_s).toInt();
            QVERIFY(score >= 0 && score <= 100);
            QVERIFY2(score <= previousScore, "suggestions are ranked best first");
            previousScore = score;
            const QJsonObject b = o.value(u"score_breakdown"_s).toObject();
            QCOMPARE(b.value(u"tier"_s).toInt() + b.value(u"level"_s).toInt() +
                         b.value(u"certification"_s).toInt() + b.value(u"workload"_s).toInt() +
                         b.value(u"distance"_s).toInt(),
                     score);
            if (o.value(u"recommended"_s).toBool())
                ++recommended;
        }
        QCOMPARE(recommended, 1);
        QVERIFY(data.first().toObject().value(u"recommended"_s).toBool());
        // High priority needs L2 or above; inactive, wrong category and other hospitals' teams
        // never.
        QCOMPARE(tierOf.value(m_oemL3), 1);
        QCOMPARE(tierOf.value(m_partnerL3), 2);
        QCOMPARE(tierOf.value(m_providerL2), 3);
        QCOMPARE(tierOf.value(m_bmeL2), 4);
        QVERIFY(!tierOf.contains(m_oemL1));
        QVERIFY(!tierOf.contains(m_bmeInactive));
        QVERIFY(!tierOf.contains(m_wrongCategory));
        QVERIFY(!tierOf.contains(m_otherHospitalBme));
        QCOMPARE(data.size(), 4);
    }

    void assignReassignAndFollowTheHistory()
    {
        const HttpReply t = http().post(u"/v1/tickets"_s, {{u"equipment_id"_s, m_equipment},
                                                           {u"priority"_s, u"normal"_s},
                                                           {u"title"_s, u"Coil error"_s}});
        const QString ticket = t.json.value(u"id"_s).toString();
        const QString assignPath = u"/v1/tickets/%1/assign"_s.arg(ticket);

        // Ineligible engineer (wrong category) is refused with the field named.
        HttpReply r = http().post(assignPath, {{u"engineer_id"_s, m_wrongCategory}});
        QCOMPARE(r.status, 422);
        QVERIFY(r.errorFields().contains(u"engineer_id"_s));
        // A tier that is not the engineer's.
        r = http().post(assignPath, {{u"engineer_id"_s, m_bmeL2}, {u"assignment_tier"_s, 1}});
        QCOMPARE(r.status, 422);

        r = http().post(assignPath, {{u"engineer_id"_s, m_bmeL2}, {u"assignment_tier"_s, 4}});
        QCOMPARE(r.status, 201);
        QCOMPARE(r.json.value(u"status"_s).toString(), u"active"_s);
        QCOMPARE(r.json.value(u"ticket"_s).toObject().value(u"status"_s).toString(), u"assigned"_s);

        // Reassigning without a reason is refused and changes nothing.
        r = http().post(assignPath, {{u"engineer_id"_s, m_oemL3}});
        QCOMPARE(r.status, 422);
        QCOMPARE(r.errorCode(), u"validation_failed"_s);
        r = http().post(assignPath, {{u"engineer_id"_s, m_bmeL2}, {u"reason"_s, u"again"_s}});
        QCOMPARE(r.status, 409);
        QCOMPARE(r.errorCode(), u"already_assigned"_s);

        r = http().post(assignPath, {{u"engineer_id"_s, m_oemL3},
                                     {u"reason"_s, u"Needs the OEM's gradient coil tools"_s}});
        QCOMPARE(r.status, 201);

        HttpReply h = http().get(u"/v1/tickets/%1/assignments/history"_s.arg(ticket));
        QCOMPARE(h.status, 200);
        QJsonArray items = h.json.value(u"data"_s).toArray();
        QCOMPARE(items.size(), 2);
        const QJsonObject newest = items.at(0).toObject();
        const QJsonObject oldest = items.at(1).toObject();
        QCOMPARE(newest.value(u"engineer"_s).toObject().value(u"id"_s).toString(), m_oemL3);
        QCOMPARE(newest.value(u"engineer"_s).toObject().value(u"name"_s).toString(), u"Anna OEM"_s);
        QCOMPARE(newest.value(u"status"_s).toString(), u"active"_s);
        QCOMPARE(newest.value(u"assignment_tier"_s).toInt(), 1);
        QCOMPARE(newest.value(u"reason"_s).toString(), u"Needs the OEM's gradient coil tools"_s);
        QVERIFY(newest.value(u"match_score"_s).toInt() > 0);
        // Who assigned, by id and by name (the desktop's timeline shows the name).
        QCOMPARE(newest.value(u"assigned_by"_s).toString(), m_server->admin().id);
        QCOMPARE(newest.value(u"assigned_by_name"_s).toString(), m_server->admin().name);
        QCOMPARE(oldest.value(u"status"_s).toString(), u"reassigned"_s);
        QVERIFY(!oldest.value(u"ended_at"_s).toString().isEmpty());
        QCOMPARE(h.json.value(u"summary"_s).toObject().value(u"reassigned"_s).toInt(), 1);
        QCOMPARE(h.json.value(u"summary"_s).toObject().value(u"active"_s).toInt(), 1);

        // The engineer's workload counter follows the active assignment.
        QCOMPARE(
            http().get(u"/v1/engineers/"_s + m_oemL3).json.value(u"open_assignments"_s).toInt(), 1);
        QCOMPARE(
            http().get(u"/v1/engineers/"_s + m_bmeL2).json.value(u"open_assignments"_s).toInt(), 0);

        // Work, resolve, close: the assignment completes.
        QCOMPARE(http().patch(u"/v1/tickets/"_s + ticket, {{u"status"_s, u"in_progress"_s}}).status,
                 200);
        QCOMPARE(http().patch(u"/v1/tickets/"_s + ticket, {{u"status"_s, u"resolved"_s}}).status,
                 200);
        r = http().patch(u"/v1/tickets/"_s + ticket, {{u"status"_s, u"closed"_s}});
        QCOMPARE(r.status, 200);
        QVERIFY(!r.json.value(u"closed_at"_s).toString().isEmpty());
        h = http().get(u"/v1/tickets/%1/assignments/history"_s.arg(ticket));
        QCOMPARE(h.json.value(u"data"_s).toArray().at(0).toObject().value(u"status"_s).toString(),
                 u"completed"_s);
        // Closed is final.
        r = http().patch(u"/v1/tickets/"_s + ticket, {{u"status"_s, u"in_progress"_s}});
        QCOMPARE(r.status, 409);
        QCOMPARE(r.errorCode(), u"invalid_transition"_s);
        QCOMPARE(
            http().post(assignPath, {{u"engineer_id"_s, m_bmeL2}, {u"reason"_s, u"x"_s}}).status,
            409);

        // The ticket's own history tells the story in order; refused requests left no trace.
        const HttpReply life = http().get(u"/v1/tickets/%1/history"_s.arg(ticket));
        QCOMPARE(life.status, 200);
        QStringList story;
        for (const QJsonValue &v : life.json.value(u"data"_s).toArray()) {
            const QJsonObject o = v.toObject();
            story << o.value(u"kind"_s).toString() + u':' + o.value(u"to_status"_s).toString();
        }
        QCOMPARE(story, QStringList({u"created:new"_s, u"assigned:assigned"_s,
                                     u"reassigned:assigned"_s, u"status_changed:in_progress"_s,
                                     u"status_changed:resolved"_s, u"status_changed:closed"_s}));
        const QJsonObject reassigned = life.json.value(u"data"_s).toArray().at(2).toObject();
        QVERIFY2(reassigned.value(u"note"_s).toString().contains(u"gradient coil tools"_s),
                 qPrintable(reassigned.value(u"note"_s).toString()));
        QCOMPARE(
            http()
                .get(u"/v1/tickets/%1/history"_s.arg(u"6f1c2a52-4b7e-4d59-9d7e-0c8f9b1e2a3d"_s))
                .status,
            404);
    }

    void cancellingEndsTheAssignment()
    {
        const HttpReply t = http().post(u"/v1/tickets"_s, {{u"equipment_id"_s, m_equipment},
                                                           {u"priority"_s, u"low"_s},
                                                           {u"title"_s, u"Squeaky table"_s}});
        const QString ticket = t.json.value(u"id"_s).toString();
        QCOMPARE(http()
                     .post(u"/v1/tickets/%1/assign"_s.arg(ticket), {{u"engineer_id"_s, m_bmeL2}})
                     .status,
                 201);
        // "assigned" is reached only by assigning.
        QCOMPARE(http().patch(u"/v1/tickets/"_s + ticket, {{u"status"_s, u"assigned"_s}}).status,
                 200);
        const HttpReply c =
            http().patch(u"/v1/tickets/"_s + ticket, {{u"status"_s, u"cancelled"_s}});
        QCOMPARE(c.status, 200);
        const HttpReply h = http().get(u"/v1/tickets/%1/assignments/history"_s.arg(ticket));
        QCOMPARE(h.json.value(u"data"_s).toArray().at(0).toObject().value(u"status"_s).toString(),
                 u"cancelled"_s);
        const HttpReply orgs = http().get(u"/v1/organizations/"_s + m_hospital);
        QCOMPARE(orgs.json.value(u"active_tickets_count"_s).toInt(), 0);
    }

    void reopeningAndRepriorisingAreFollowed()
    {
        const HttpReply t = http().post(u"/v1/tickets"_s, {{u"equipment_id"_s, m_equipment},
                                                           {u"priority"_s, u"low"_s},
                                                           {u"title"_s, u"Table motor noisy"_s}});
        const QString ticket = t.json.value(u"id"_s).toString();
        const QString lowDue = t.json.value(u"resolution_due_at"_s).toString();
        QCOMPARE(http()
                     .post(u"/v1/tickets/%1/assign"_s.arg(ticket), {{u"engineer_id"_s, m_bmeL2}})
                     .status,
                 201);

        // Raising the priority moves the SLA targets and is written down.
        HttpReply r = http().patch(u"/v1/tickets/"_s + ticket, {{u"priority"_s, u"high"_s}});
        QCOMPARE(r.status, 200);
        QVERIFY(r.json.value(u"resolution_due_at"_s).toString() < lowDue);

        // Resolved ends the assignment; reopening gives the same engineer an active one.
        QCOMPARE(http().patch(u"/v1/tickets/"_s + ticket, {{u"status"_s, u"resolved"_s}}).status,
                 200);
        QCOMPARE(
            http().get(u"/v1/engineers/"_s + m_bmeL2).json.value(u"open_assignments"_s).toInt(), 0);
        r = http().patch(u"/v1/tickets/"_s + ticket, {{u"status"_s, u"in_progress"_s}});
        QCOMPARE(r.status, 200);
        QVERIFY(r.json.value(u"resolved_at"_s).isNull());
        QCOMPARE(r.json.value(u"assigned_engineer_id"_s).toString(), m_bmeL2);
        QCOMPARE(
            http().get(u"/v1/engineers/"_s + m_bmeL2).json.value(u"open_assignments"_s).toInt(), 1);

        const HttpReply h = http().get(u"/v1/tickets/%1/assignments/history"_s.arg(ticket));
        const QJsonArray assignments = h.json.value(u"data"_s).toArray();
        QCOMPARE(assignments.size(), 2);
        QCOMPARE(assignments.at(0).toObject().value(u"status"_s).toString(), u"active"_s);
        QCOMPARE(assignments.at(0).toObject().value(u"reason"_s).toString(), u"Reopened"_s);
        QCOMPARE(assignments.at(1).toObject().value(u"status"_s).toString(), u"completed"_s);

        QStringList story;
        for (const QJsonValue &v :
             http().get(u"/v1/tickets/%1/history"_s.arg(ticket)).json.value(u"data"_s).toArray()) {
            const QJsonObject o = v.toObject();
            story << o.value(u"kind"_s).toString() + u':' + o.value(u"note"_s).toString() +
                         o.value(u"to_status"_s).toString();
        }
        QCOMPARE(story,
                 QStringList({u"created:via apinew"_s,
                              u"assigned:Eva BME (St. Mary's Hospital)assigned"_s,
                              u"priority_changed:low -> high"_s, u"status_changed:resolved"_s,
                              u"status_changed:in_progress"_s}));
    }

    void equipmentByQrCodeAndFilters()
    {
        HttpReply r = http().get(u"/v1/equipment/by-qr/"_s + m_qrCode);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json.value(u"id"_s).toString(), m_equipment);
        QVERIFY(!r.json.value(u"under_coverage"_s).toBool());
        // The label's URL form names the same equipment; lower case too.
        r = http().get(u"/v1/equipment/by-qr/"_s +
                       QString::fromLatin1(QUrl::toPercentEncoding(u"https://md.example.org/e/"_s +
                                                                   m_qrCode.toLower())));
        QCOMPARE(r.status, 200);
        // Unknown and malformed codes look alike.
        r = http().get(u"/v1/equipment/by-qr/MD-0000-0000-0000-0000"_s);
        QCOMPARE(r.status, 404);
        const HttpReply bad = http().get(u"/v1/equipment/by-qr/%27%20OR%201%3D1--"_s);
        QCOMPARE(bad.status, 404);
        QCOMPARE(bad.body, r.body);

        r = http().get(u"/v1/equipment?category=mri&organization_id="_s + m_hospital);
        QCOMPARE(r.json.value(u"page"_s).toObject().value(u"total"_s).toInt(), 1);
        r = http().get(u"/v1/equipment?category=ct"_s);
        QCOMPARE(r.json.value(u"page"_s).toObject().value(u"total"_s).toInt(), 0);
        r = http().get(u"/v1/equipment?q=vida"_s);
        QCOMPARE(r.json.value(u"page"_s).toObject().value(u"total"_s).toInt(), 1);
    }

    void dashboardCountsFollowTickets()
    {
        HttpReply d = http().get(u"/v1/dashboard"_s);
        QCOMPARE(d.status, 200);
        QCOMPARE(d.json.value(u"open_tickets"_s).toInt(), 0);
        for (const QString &p : {u"critical"_s, u"critical"_s, u"low"_s})
            QCOMPARE(http()
                         .post(u"/v1/tickets"_s, {{u"equipment_id"_s, m_equipment},
                                                  {u"priority"_s, p},
                                                  {u"title"_s, u"Down"_s}})
                         .status,
                     201);
        d = http().get(u"/v1/dashboard"_s);
        QCOMPARE(d.json.value(u"open_tickets"_s).toInt(), 3);
        QCOMPARE(d.json.value(u"open_by_priority"_s).toObject().value(u"critical"_s).toInt(), 2);
        QCOMPARE(d.json.value(u"open_by_priority"_s).toObject().value(u"high"_s).toInt(), 0);
        QCOMPARE(d.json.value(u"equipment_count"_s).toInt(), 1);
    }

    void eventsArriveOverTheWebSocket()
    {
        QWebSocket socket;
        QList<QJsonObject> received;
        connect(&socket, &QWebSocket::textMessageReceived, this, [&](const QString &m) {
            received.append(QJsonDocument::fromJson(m.toUtf8()).object());
        });
        QUrl url = m_server->url();
        url.setScheme(u"ws"_s);
        url.setPath(u"/v1/events"_s);
        socket.open(url);
        QTRY_COMPARE(socket.state(), QAbstractSocket::ConnectedState);
        socket.sendTextMessage(QString::fromUtf8(
            QJsonDocument(QJsonObject{{u"type"_s, u"auth"_s},
                                      {u"token"_s, QString::fromLatin1(http().bearer())}})
                .toJson(QJsonDocument::Compact)));
        QTRY_VERIFY(!received.isEmpty());
        QCOMPARE(received.first().value(u"type"_s).toString(), u"ready"_s);

        const HttpReply t = http().post(u"/v1/tickets"_s, {{u"equipment_id"_s, m_equipment},
                                                           {u"priority"_s, u"critical"_s},
                                                           {u"title"_s, u"Quench"_s}});
        QCOMPARE(t.status, 201);
        auto has = [&](const QString &type) {
            return std::any_of(received.cbegin(), received.cend(), [&](const QJsonObject &o) {
                return o.value(u"type"_s).toString() == type;
            });
        };
        QTRY_VERIFY(has(u"ticket.created"_s));
        QTRY_VERIFY(has(u"counts.changed"_s));
        const auto created =
            std::find_if(received.cbegin(), received.cend(), [](const QJsonObject &o) {
                return o.value(u"type"_s).toString() == u"ticket.created"_s;
            });
        QCOMPARE(created->value(u"data"_s).toObject().value(u"id"_s).toString(),
                 t.json.value(u"id"_s).toString());
    }

    void changesAreAudited()
    {
        auto rowsFor = [&](const QString &entityId) {
            const HttpReply log = http().get(u"/v1/audit-logs?limit=500&entity_id="_s + entityId);
            QHash<QString, QJsonObject> byAction;
            for (const QJsonValue &v : log.json.value(u"data"_s).toArray())
                byAction.insert(v.toObject().value(u"action"_s).toString(), v.toObject());
            return byAction;
        };
        // The equipment's creation (in init) and a change, each with who, where, the
        // request id and the object before and after.
        const HttpReply r =
            http().send("PATCH", u"/v1/equipment/"_s + m_equipment, R"({"room":"MR-2"})",
                        "application/json", {{"X-Request-Id", "audit-check-1"}});
        QCOMPARE(r.status, 200);
        auto rows = rowsFor(m_equipment);
        QVERIFY2(rows.contains(u"equipment.create"_s), qPrintable(rows.keys().join(u',')));
        QVERIFY(rows.value(u"equipment.create"_s).value(u"before"_s).isNull());
        const QJsonObject update = rows.value(u"equipment.update"_s);
        QCOMPARE(update.value(u"request_id"_s).toString(), u"audit-check-1"_s);
        QCOMPARE(update.value(u"entity_type"_s).toString(), u"equipment"_s);
        QCOMPARE(update.value(u"organization_id"_s).toString(), m_hospital);
        QCOMPARE(update.value(u"actor_id"_s).toString(), m_server->admin().id);
        QCOMPARE(update.value(u"actor_role"_s).toString(), u"admin"_s);
        QVERIFY(update.value(u"before"_s).toObject().value(u"room"_s).toString().isEmpty());
        QCOMPARE(update.value(u"after"_s).toObject().value(u"room"_s).toString(), u"MR-2"_s);
        QCOMPARE(update.value(u"after"_s).toObject().value(u"id"_s).toString(), m_equipment);

        // A refused change and a change to nothing leave no row.
        QCOMPARE(http().patch(u"/v1/equipment/"_s + m_equipment, {{u"room"_s, 5}}).status, 422);
        QCOMPARE(http().patch(u"/v1/equipment/"_s + m_equipment, {{u"room"_s, u"MR-2"_s}}).status,
                 200);
        const HttpReply log = http().get(u"/v1/audit-logs?entity_id="_s + m_equipment);
        QCOMPARE(log.status, 200);
        QCOMPARE(log.json.value(u"page"_s).toObject().value(u"total"_s).toInt(), 2);

        // A ticket's life: created, assigned, its status changed, the assignment ended.
        const HttpReply t = http().post(u"/v1/tickets"_s, {{u"equipment_id"_s, m_equipment},
                                                           {u"priority"_s, u"normal"_s},
                                                           {u"title"_s, u"Audited"_s}});
        const QString ticket = t.json.value(u"id"_s).toString();
        const HttpReply a =
            http().post(u"/v1/tickets/%1/assign"_s.arg(ticket), {{u"engineer_id"_s, m_bmeL2}});
        QCOMPARE(a.status, 201);
        QCOMPARE(http().patch(u"/v1/tickets/"_s + ticket, {{u"status"_s, u"resolved"_s}}).status,
                 200);
        rows = rowsFor(ticket);
        QVERIFY(rows.contains(u"ticket.create"_s));
        QCOMPARE(rows.value(u"ticket.assign"_s)
                     .value(u"after"_s)
                     .toObject()
                     .value(u"assigned_engineer_id"_s)
                     .toString(),
                 m_bmeL2);
        const QJsonObject status = rows.value(u"ticket.status_change"_s);
        QCOMPARE(status.value(u"before"_s).toObject().value(u"status"_s).toString(), u"assigned"_s);
        QCOMPARE(status.value(u"after"_s).toObject().value(u"status"_s).toString(), u"resolved"_s);
        const QString assignment = a.json.value(u"id"_s).toString();
        rows = rowsFor(assignment);
        QVERIFY(rows.contains(u"assignment.create"_s));
        QCOMPARE(rows.value(u"assignment.end"_s)
                     .value(u"after"_s)
                     .toObject()
                     .value(u"status"_s)
                     .toString(),
                 u"completed"_s);
        QCOMPARE(rows.value(u"assignment.end"_s).value(u"organization_id"_s).toString(),
                 m_hospital);
    }

    void demoFlagSeedsARealisticDataSet()
    {
        QFETCH_GLOBAL(QString, backend);
        TestServer demo(backend, /*demo=*/true);
        QVERIFY2(demo.isRunning(), qPrintable(demo.error()));
        const HttpReply d = demo.client().get(u"/v1/dashboard"_s);
        QCOMPARE(d.status, 200);
        QVERIFY(d.json.value(u"organizations_count"_s).toInt() >= 20 + 8);
        QVERIFY(d.json.value(u"engineers_count"_s).toInt() >= 200);
        QVERIFY(d.json.value(u"equipment_count"_s).toInt() >= 1000);
        QVERIFY(d.json.value(u"open_tickets"_s).toInt() > 0);
        const HttpReply makers =
            demo.client().get(u"/v1/organizations?type=manufacturer&q=siemens"_s);
        QCOMPARE(
            makers.json.value(u"data"_s).toArray().first().toObject().value(u"name"_s).toString(),
            u"Siemens Healthineers"_s);
        // An open demo ticket has eligible engineers and a history to follow.
        const HttpReply open = demo.client().get(u"/v1/tickets?status=new&limit=1"_s);
        const QString ticket =
            open.json.value(u"data"_s).toArray().first().toObject().value(u"id"_s).toString();
        QVERIFY(!ticket.isEmpty());
        QCOMPARE(demo.client()
                     .get(u"/v1/tickets/%1/history"_s.arg(ticket))
                     .json.value(u"data"_s)
                     .toArray()
                     .size(),
                 1);
    }

    void healthReadinessAndOpenApi()
    {
        QCOMPARE(http().get(u"/healthz"_s).status, 200);
        const HttpReply ready = http().get(u"/readyz"_s);
        QCOMPARE(ready.status, 200);
        QVERIFY(ready.json.value(u"schema_version"_s).toInt() >= 1);
        const HttpReply doc = http().get(u"/v1/openapi.json"_s);
        QCOMPARE(doc.status, 200);
        QVERIFY(doc.json.value(u"openapi"_s).toString().startsWith(u"3."_s));
        const QJsonObject paths = doc.json.value(u"paths"_s).toObject();
        for (const QString &p : {u"/v1/tickets/{id}/assign"_s, u"/v1/engineers/suggestions"_s,
                                 u"/v1/equipment/by-qr/{code}"_s, u"/v1/dashboard"_s})
            QVERIFY2(paths.contains(p), qPrintable(p));

        // Prometheus text that counts what was just answered.
        const HttpReply metrics = http().get(u"/metrics"_s);
        QCOMPARE(metrics.status, 200);
        QVERIFY(metrics.header("Content-Type").startsWith("text/plain"));
        QVERIFY2(metrics.body.contains("meddispatch_http_responses_total{code=\"200\"} "),
                 metrics.body.constData());
        QVERIFY(metrics.body.contains("# TYPE meddispatch_http_requests_in_flight gauge"));
    }
};

QTEST_GUILESS_MAIN(TestApiDispatch)
#include "tst_api_dispatch.moc"
