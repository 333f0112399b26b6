// bench_bare_server: the yardstick of the light-read throughput benchmark. A bare
// QHttpServer whose routes answer fixed bytes (the body meddispatch-server returned for
// the same path), so that wrk measures the cost of QtHttpServer alone beside the real
// server in the same run. See docs/benchmarks.md.
//
//   bench_bare_server --listen 127.0.0.1:0 --route /v1/organizations/ID=body.json
//                     --route /healthz=healthz.json
//   bench_bare_server --self-test     (CTest smoke: serves, fetches, compares bytes)

#include "benchsupport.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QHostAddress>
#include <QHttpServer>
#include <QHttpServerResponse>
#include <QTemporaryDir>
#include <QTimer>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

struct Route
{
    QString path;
    QByteArray body;
};

void addRoute(QHttpServer &server, const Route &route, const QByteArray &contentType)
{
    // One fixed path; the body and content type are copied into the handler once.
    server.route(route.path, [body = route.body, contentType]() {
        return QHttpServerResponse(contentType, body);
    });
}

int selfTest(const QByteArray &contentType)
{
    const Route route{
        u"/v1/organizations/0b9a3c8e-5d1f-4a7e-9c2b-1f2e3d4c5b6a"_s,
        QByteArrayLiteral("{\"id\":\"0b9a3c8e-5d1f-4a7e-9c2b-1f2e3d4c5b6a\","
                          "\"name\":\"Hôpital Saint-Éloi\",\"equipment_count\":314}")};
    QHttpServer server;
    addRoute(server, route, contentType);
    const quint16 port = server.listen(QHostAddress::LocalHost, 0);
    if (port == 0) {
        std::fprintf(stderr, "bench_bare_server: cannot listen\n");
        return 1;
    }
    md::bench::Report report(u"bench_bare_server"_s);
    md::bench::SyncHttpClient client(QUrl(u"http://127.0.0.1:%1"_s.arg(port)));
    QList<qint64> nanos;
    for (int i = 0; i < 50; ++i) {
        const md::bench::TimedReply r = client.get(route.path);
        nanos << r.nanos;
        if (r.status != 200 || r.body != route.body)
            report.fail(
                u"reply %1: status %2, %3 bytes (expected 200 and the route's %4 bytes)"_s.arg(i)
                    .arg(r.status)
                    .arg(r.body.size())
                    .arg(route.body.size()));
    }
    const md::bench::TimedReply missing = client.get(u"/nothing-here"_s);
    if (missing.status != 404)
        report.fail(u"an unknown path answered %1, not 404"_s.arg(missing.status));
    report.info(u"self-test"_s, u"sequential GET of the fixed route"_s,
                md::bench::LatencyStats::of(nanos).describe());
    return report.finish({});
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication application(argc, argv);
    QCoreApplication::setApplicationName(u"bench_bare_server"_s);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"A bare QHttpServer answering fixed bytes."_s);
    parser.addHelpOption();
    const QCommandLineOption listen(u"listen"_s, u"address:port (port 0: any free port)"_s,
                                    u"address"_s, u"127.0.0.1:0"_s);
    const QCommandLineOption route(u"route"_s, u"PATH=FILE: answer GET PATH with FILE's bytes"_s,
                                   u"route"_s);
    const QCommandLineOption contentType(u"content-type"_s, u"of every answer"_s, u"type"_s,
                                         u"application/json"_s);
    const QCommandLineOption selfTestOption(u"self-test"_s,
                                            u"serve a built-in route, fetch it, compare, exit"_s);
    parser.addOptions({listen, route, contentType, selfTestOption});
    parser.process(application);

    const QByteArray type = parser.value(contentType).toUtf8();
    if (parser.isSet(selfTestOption))
        return selfTest(type);

    QList<Route> routes;
    for (const QString &spec : parser.values(route)) {
        const qsizetype eq = spec.indexOf(u'=');
        QFile f(spec.mid(eq + 1));
        if (eq <= 0 || !spec.startsWith(u'/') || !f.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "bench_bare_server: bad --route %s (PATH=FILE, readable file)\n",
                         qUtf8Printable(spec));
            return 2;
        }
        routes.append({spec.left(eq), f.readAll()});
    }
    if (routes.isEmpty()) {
        std::fprintf(stderr, "bench_bare_server: give at least one --route PATH=FILE\n");
        return 2;
    }
    const QString listenText = parser.value(listen);
    const qsizetype colon = listenText.lastIndexOf(u':');
    const QHostAddress address(listenText.left(colon));
    bool portOk = false;
    const uint requested = listenText.mid(colon + 1).toUInt(&portOk);
    if (colon <= 0 || address.isNull() || !portOk || requested > 65535) {
        std::fprintf(stderr, "bench_bare_server: bad --listen %s\n", qUtf8Printable(listenText));
        return 2;
    }

    QHttpServer server;
    for (const Route &r : std::as_const(routes))
        addRoute(server, r, type);
    const quint16 port = server.listen(address, quint16(requested));
    if (port == 0) {
        std::fprintf(stderr, "bench_bare_server: cannot listen on %s\n",
                     qUtf8Printable(listenText));
        return 1;
    }
    // run-benchmarks.sh reads the port from this line.
    std::printf("bench_bare_server listening on http://%s:%u\n", qUtf8Printable(address.toString()),
                unsigned(port));
    std::fflush(stdout);
    return QCoreApplication::exec();
}
