#include "security/passwordpolicy.h"

#include <QFile>
#include <QSet>
#include <QTest>

using namespace md::security;
using namespace Qt::StringLiterals;

class TestSecurityPasswordPolicy final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void problem_data();
    void problem();
    void everyListedPasswordIsRefused();
    void listHasTenThousandCleanEntries();
};

void TestSecurityPasswordPolicy::initTestCase()
{
    QVERIFY(commonPasswordCount() > 0); // loads the compiled-in list
}

void TestSecurityPasswordPolicy::problem_data()
{
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("email");
    QTest::addColumn<bool>("acceptable");

    const QString name = u"Margaret O'Neil Thompson"_s;
    const QString email = u"dr.house+md@clinic.example"_s;

    QTest::newRow("good passphrase") << u"ventilator calibrates at dawn"_s << name << email << true;
    QTest::newRow("good without user details")
        << u"Kettle-Orbit-Lantern-42"_s << QString() << QString() << true;
    QTest::newRow("empty") << QString() << name << email << false;
    QTest::newRow("nine characters") << u"xq7#vLm2z"_s << QString() << QString() << false;
    QTest::newRow("exactly ten characters") << u"xq7#vLm2zT"_s << QString() << QString() << true;
    // Characters, not UTF-16 units or bytes: 10 emoji are 10 characters.
    QTest::newRow("ten astral characters")
        << QString::fromUcs4(U"\U0001F511\U0001F6D1\U0001F3E5\U0001F691\U0001F489"
                             U"\U0001F52C\U0001F9EA\U0001F9EC\U0001F4A1\U0001F50B")
        << QString() << QString() << true;
    QTest::newRow("five astral characters are ten UTF-16 units")
        << QString::fromUcs4(U"\U0001F511\U0001F6D1\U0001F3E5\U0001F691\U0001F489") << QString()
        << QString() << false;

    QTest::newRow("common") << u"1234567890"_s << QString() << QString() << false;
    QTest::newRow("common upper case") << u"QWERTYUIOP"_s << QString() << QString() << false;
    QTest::newRow("common mixed case") << u"PassWord123"_s << QString() << QString() << false;
    QTest::newRow("common with other words is fine")
        << u"password123 is not my password"_s << QString() << QString() << true;

    QTest::newRow("surname") << u"thompson-likes-tea"_s << name << email << false;
    QTest::newRow("first name upper case") << u"MARGARET rides horses"_s << name << email << false;
    QTest::newRow("part after apostrophe") << u"blue neil sky 2024"_s << name << email << false;
    QTest::newRow("short name part is not checked")
        << u"o is for orange!"_s << name << email << true;
    QTest::newRow("e-mail local part") << u"my dr.house+md rocks"_s << name << email << false;
    QTest::newRow("e-mail local part before tag")
        << u"call DR.HOUSE now!"_s << name << email << false;
    QTest::newRow("e-mail domain is fine") << u"clinic.example rocks"_s << name << email << true;

    QTest::newRow("72 ASCII bytes") << QString(72, u'z') << QString() << QString() << true;
    QTest::newRow("73 ASCII bytes") << QString(73, u'z') << QString() << QString() << false;
    QTest::newRow("24 euro signs are 72 bytes")
        << QString(24, QChar(0x20ac)) << QString() << QString() << true;
    QTest::newRow("25 euro signs are 75 bytes")
        << QString(25, QChar(0x20ac)) << QString() << QString() << false;
    QTest::newRow("control character")
        << u"ventilator\ncalibrates"_s << QString() << QString() << false;
    QTest::newRow("NUL") << QString(u"ventilator"_s + QChar(0) + u"calibrates"_s) << QString()
                         << QString() << false;
}

void TestSecurityPasswordPolicy::problem()
{
    QFETCH(QString, password);
    QFETCH(QString, name);
    QFETCH(QString, email);
    QFETCH(bool, acceptable);
    const QString problem = passwordProblem(password, name, email);
    if (acceptable) {
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    } else {
        QVERIFY(!problem.isEmpty());
        QVERIFY2(problem.endsWith(u'.'), qPrintable(problem)); // a sentence for the user
    }
}

void TestSecurityPasswordPolicy::everyListedPasswordIsRefused()
{
    QFile file(u":/md/security/common-passwords.txt"_s);
    QVERIFY(file.open(QIODevice::ReadOnly));
    int checked = 0;
    for (const QByteArray &line : file.readAll().split('\n')) {
        const QString entry = QString::fromUtf8(line);
        if (entry.size() < 10 || entry.toUtf8().size() > 72)
            continue; // refused for their length already
        QVERIFY2(!passwordProblem(entry).isEmpty(), qPrintable(entry));
        QVERIFY2(!passwordProblem(entry.toUpper()).isEmpty(), qPrintable(entry));
        ++checked;
    }
    QVERIFY(checked > 500);
}

void TestSecurityPasswordPolicy::listHasTenThousandCleanEntries()
{
    QVERIFY(commonPasswordCount() >= 10000);
    QFile file(u":/md/security/common-passwords.txt"_s);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QSet<QByteArray> seen;
    const QList<QByteArray> lines = file.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.isEmpty())
            continue;
        QCOMPARE(line, line.trimmed());
        QCOMPARE(QString::fromUtf8(line), QString::fromUtf8(line).toLower());
        QVERIFY2(!seen.contains(line), line.constData());
        seen.insert(line);
    }
    QCOMPARE(int(seen.size()), commonPasswordCount());
}

QTEST_GUILESS_MAIN(TestSecurityPasswordPolicy)
#include "tst_security_passwordpolicy.moc"
