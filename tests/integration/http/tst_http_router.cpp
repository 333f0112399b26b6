// Route matching: {param} segments, literal segments winning over parameters, 405 with
// the allowed methods, and the body limit looked up before a body is read.

#include "router.h"

#include <QTest>

using namespace Qt::StringLiterals;
using md::server::HttpRequest;
using md::server::HttpResponse;
using md::server::RequestContext;
using md::server::RouteOptions;
using md::server::Router;

namespace {

md::server::Handler named(const QString &name)
{
    return [name](HttpRequest &, RequestContext &) {
        return HttpResponse::json(200, QJsonObject{{u"name"_s, name}});
    };
}

} // namespace

class TstHttpRouter final : public QObject
{
    Q_OBJECT

    Router m_router;

private Q_SLOTS:
    void initTestCase()
    {
        RouteOptions big;
        big.maxBodyBytes = 10 * 1024 * 1024;
        m_router.add("GET", u"/v1/engineers/{id}"_s, named(u"engineer"_s));
        m_router.add("GET", u"/v1/engineers/suggestions"_s, named(u"suggestions"_s));
        m_router.add("PATCH", u"/v1/engineers/{id}"_s, named(u"patch"_s));
        m_router.add("POST", u"/v1/equipment/identify"_s, named(u"identify"_s), big);
        m_router.add("GET", u"/v1/equipment/{id}"_s, named(u"equipment"_s));
        m_router.add("POST", u"/v1/tickets/{id}/assign"_s, named(u"assign"_s));
        m_router.add("get", u"/healthz"_s, named(u"health"_s));
    }

    void match_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("id");
        QTest::newRow("param") << QByteArray("GET") << u"/v1/engineers/e1"_s
                               << u"/v1/engineers/{id}"_s << u"e1"_s;
        QTest::newRow("literal wins, registered later")
            << QByteArray("GET") << u"/v1/engineers/suggestions"_s << u"/v1/engineers/suggestions"_s
            << QString();
        QTest::newRow("param for another method")
            << QByteArray("PATCH") << u"/v1/engineers/suggestions"_s << u"/v1/engineers/{id}"_s
            << u"suggestions"_s;
        QTest::newRow("nested") << QByteArray("POST") << u"/v1/tickets/t-9/assign"_s
                                << u"/v1/tickets/{id}/assign"_s << u"t-9"_s;
        QTest::newRow("method upper-cased")
            << QByteArray("GET") << u"/healthz"_s << u"/healthz"_s << QString();
    }

    void match()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QString, pattern);
        QFETCH(QString, id);
        const auto found = m_router.match(method, path);
        QVERIFY(found);
        QCOMPARE(found->route->pattern, pattern);
        QCOMPARE(found->params.value(u"id"_s), id);
    }

    void noMatch_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("pathExists");
        QTest::addColumn<QList<QByteArray>>("allowed");
        QTest::newRow("unknown") << QByteArray("GET") << u"/v1/nothing"_s << false
                                 << QList<QByteArray>{};
        QTest::newRow("empty param")
            << QByteArray("GET") << u"/v1/engineers/"_s << false << QList<QByteArray>{};
        QTest::newRow("trailing slash")
            << QByteArray("GET") << u"/healthz/"_s << false << QList<QByteArray>{};
        QTest::newRow("too deep") << QByteArray("GET") << u"/v1/engineers/e1/x"_s << false
                                  << QList<QByteArray>{};
        QTest::newRow("wrong method") << QByteArray("DELETE") << u"/v1/engineers/e1"_s << true
                                      << QList<QByteArray>{"GET", "PATCH"};
        QTest::newRow("method is case-sensitive")
            << QByteArray("get") << u"/healthz"_s << true << QList<QByteArray>{"GET"};
    }

    void noMatch()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(bool, pathExists);
        QFETCH(QList<QByteArray>, allowed);
        bool exists = !pathExists;
        QList<QByteArray> methods;
        QVERIFY(!m_router.match(method, path, &exists, &methods));
        QCOMPARE(exists, pathExists);
        QCOMPARE(methods, allowed);
    }

    void bodyLimits()
    {
        QCOMPARE(m_router.maxBodyBytesFor("POST", u"/v1/equipment/identify"_s), 10 * 1024 * 1024);
        QCOMPARE(m_router.maxBodyBytesFor("POST", u"/v1/tickets/x/assign"_s), 1024 * 1024);
        // a method the path does not serve: the largest limit on that path (405 follows)
        QCOMPARE(m_router.maxBodyBytesFor("PUT", u"/v1/equipment/identify"_s), 10 * 1024 * 1024);
        QCOMPARE(m_router.maxBodyBytesFor("POST", u"/nowhere"_s), 1024 * 1024);
    }
};

QTEST_GUILESS_MAIN(TstHttpRouter)
#include "tst_http_router.moc"
