// Interoperability: an independent JWT implementation (the npm library `jose`, run with
// node) verifies our access tokens through GET /.well-known/jwks.json, pinning RS256,
// the issuer and the audience, and refuses altered or foreign ones.

#include "apitestsupport.h"

#include "auth/authservice.h"
#include "security/jwt.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QProcess>
#include <QTest>

using namespace Qt::StringLiterals;
using md::test::TestServer;

namespace {

const QString kInterop = QStringLiteral(MEDDISPATCH_SOURCE_DIR "/tests/interop/jose");

struct Verdict
{
    int exitCode = -1;
    QJsonObject output;
    QString error;
};

} // namespace

class TestApiJose final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestServer> m_server;

    Verdict verify(const QByteArray &token)
    {
        const auto &codec = m_server->app().auth().codec();
        QProcess node;
        node.setWorkingDirectory(kInterop);
        node.start(u"node"_s, {u"verify.mjs"_s, m_server->url().toString(), codec.issuer(),
                               codec.audience(), QString::fromLatin1(token)});
        // The test's own event loop must run: the server answers node's JWKS request.
        QElapsedTimer timer;
        timer.start();
        while (node.state() != QProcess::NotRunning && timer.elapsed() < 30000)
            QTest::qWait(20);
        Verdict v;
        v.exitCode = node.exitStatus() == QProcess::NormalExit ? node.exitCode() : -1;
        v.output = QJsonDocument::fromJson(node.readAllStandardOutput()).object();
        v.error = QString::fromUtf8(node.readAllStandardError());
        return v;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!QDir(kInterop + u"/node_modules/jose"_s).exists()) {
            // Pinned by package-lock.json; npm's registry is reachable from our machines.
            QProcess npm;
            npm.setWorkingDirectory(kInterop);
            npm.start(u"npm"_s, {u"ci"_s, u"--no-audit"_s, u"--no-fund"_s});
            QVERIFY(npm.waitForFinished(180000));
            QVERIFY2(npm.exitCode() == 0, npm.readAllStandardError().constData());
        }
        m_server = std::make_unique<TestServer>(u"sqlite"_s);
        QVERIFY2(m_server->isRunning(), qPrintable(m_server->error()));
    }

    void joseAcceptsOurTokens()
    {
        const QByteArray token = m_server->tokenFor(m_server->admin());
        const Verdict v = verify(token);
        QVERIFY2(v.exitCode == 0, qPrintable(v.error));
        const QJsonObject payload = v.output.value(u"payload"_s).toObject();
        QCOMPARE(payload.value(u"sub"_s).toString(), m_server->admin().id);
        QCOMPARE(payload.value(u"role"_s).toString(), u"admin"_s);
        QCOMPARE(v.output.value(u"protectedHeader"_s).toObject().value(u"kid"_s).toString(),
                 m_server->app().auth().codec().keys().currentKeyId());
    }

    void joseRefusesAlteredAndForeignTokens()
    {
        const QByteArray token = m_server->tokenFor(m_server->admin());
        QList<QByteArray> parts = token.split('.');
        QByteArray payload = QByteArray::fromBase64(parts[1], QByteArray::Base64UrlEncoding);
        payload.replace("\"admin\"", "\"super_admin\"");
        parts[1] = payload.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        const Verdict altered = verify(parts.join('.'));
        QCOMPARE(altered.exitCode, 1);

        // Another key, even under the same issuer and audience.
        const auto &ours = m_server->app().auth().codec();
        md::security::JwtCodec foreign(md::security::JwtKeys::generate(), ours.issuer(),
                                       ours.audience());
        md::security::AccessClaims claims;
        claims.issuer = ours.issuer();
        claims.audience = ours.audience();
        claims.subject = m_server->admin().id;
        claims.role = u"admin"_s;
        claims.tokenId = u"foreign"_s;
        claims.issuedAt = claims.notBefore = QDateTime::currentDateTimeUtc();
        claims.expiresAt = claims.issuedAt.addSecs(600);
        QCOMPARE(verify(foreign.sign(claims)).exitCode, 1);

        // Expired beyond the leeway.
        claims.issuedAt = claims.notBefore = QDateTime::currentDateTimeUtc().addSecs(-7200);
        claims.expiresAt = claims.issuedAt.addSecs(900);
        QCOMPARE(verify(ours.sign(claims)).exitCode, 1);
    }

    void cleanupTestCase() { m_server.reset(); }
};

QTEST_MAIN(TestApiJose)
#include "tst_api_jose.moc"
