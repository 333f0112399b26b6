#include "security/secretfile.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <stdexcept>
#include <sys/stat.h>
#include <thread>
#include <vector>

using namespace md::security;
using namespace Qt::StringLiterals;

class TestSecuritySecretFile final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void createsWithOwnerOnlyPermissions();
    void reusesTheExistingFile();
    void createsMissingDirectories();
    void refusesFilesOthersCanReach_data();
    void refusesFilesOthersCanReach();
    void refusesNonRegularAndEmptyFiles();
    void followsSymlinksButChecksTheTarget();
    void aFailedCreateLeavesNoFile();
    void concurrentCreatorsAgreeOnOneSecret();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

namespace {

unsigned modeOf(const QString &path)
{
    struct stat st
    {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return 0xffff;
    return st.st_mode & 07777;
}

void writeFile(const QString &path, const QByteArray &data, unsigned mode)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(data);
    f.close();
    QCOMPARE(::chmod(QFile::encodeName(path).constData(), mode), 0);
}

/// The message of the std::runtime_error `f` throws, or empty when it does not throw.
template <typename F> QString errorOf(F &&f)
{
    try {
        f();
    } catch (const std::runtime_error &e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

} // namespace

void TestSecuritySecretFile::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestSecuritySecretFile::createsWithOwnerOnlyPermissions()
{
    // A permissive umask must not widen the file's permissions.
    const mode_t previous = ::umask(0);
    const QString path = m_dir->filePath(u"otp-hmac.key"_s);
    int calls = 0;
    const QByteArray secret = loadOrCreateSecretFile(path, [&] {
        ++calls;
        return "first-secret-value"_ba;
    });
    ::umask(previous);
    QCOMPARE(calls, 1);
    QCOMPARE(secret, "first-secret-value"_ba);
    QCOMPARE(modeOf(path), 0600u);
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), "first-secret-value"_ba);
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files | QDir::Hidden).size(), 1); // no temp
}

void TestSecuritySecretFile::reusesTheExistingFile()
{
    const QString path = m_dir->filePath(u"otp-hmac.key"_s);
    loadOrCreateSecretFile(path, [] { return "kept"_ba; });
    int calls = 0;
    const QByteArray again = loadOrCreateSecretFile(path, [&] {
        ++calls;
        return "replaced"_ba;
    });
    QCOMPARE(calls, 0);
    QCOMPARE(again, "kept"_ba);
    QCOMPARE(readSecretFile(path), "kept"_ba);
}

void TestSecuritySecretFile::createsMissingDirectories()
{
    const QString path = m_dir->filePath(u"a/b/secret"_s);
    QCOMPARE(loadOrCreateSecretFile(path, [] { return "x"_ba; }), "x"_ba);
    QCOMPARE(modeOf(path), 0600u);
    QCOMPARE(modeOf(m_dir->filePath(u"a/b"_s)), 0700u);
}

void TestSecuritySecretFile::refusesFilesOthersCanReach_data()
{
    QTest::addColumn<unsigned>("mode");
    QTest::newRow("0644 world-readable") << 0644u;
    QTest::newRow("0640 group-readable") << 0640u;
    QTest::newRow("0604 other-readable") << 0604u;
    QTest::newRow("0602 other-writable") << 0602u;
    QTest::newRow("0620 group-writable") << 0620u;
    QTest::newRow("0666") << 0666u;
}

void TestSecuritySecretFile::refusesFilesOthersCanReach()
{
    QFETCH(unsigned, mode);
    const QString path = m_dir->filePath(u"leaky.key"_s);
    writeFile(path, "do-not-print-me"_ba, mode);
    bool called = false;
    const QString error = errorOf([&] {
        loadOrCreateSecretFile(path, [&] {
            called = true;
            return "new"_ba;
        });
    });
    QVERIFY2(error.contains(path), qPrintable(error)); // says which file
    QVERIFY2(error.contains(u"chmod 600"_s), qPrintable(error));
    QVERIFY(!error.contains(u"do-not-print-me"_s)); // never the secret
    QVERIFY(!called);
    QVERIFY(!errorOf([&] { readSecretFile(path); }).isEmpty());
    QCOMPARE(modeOf(path), mode); // left alone for the administrator to fix
}

void TestSecuritySecretFile::refusesNonRegularAndEmptyFiles()
{
    const QString dirPath = m_dir->filePath(u"a-directory"_s);
    QVERIFY(QDir().mkdir(dirPath));
    QFile::setPermissions(dirPath, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QVERIFY(!errorOf([&] { loadOrCreateSecretFile(dirPath, [] { return "x"_ba; }); }).isEmpty());

    const QString empty = m_dir->filePath(u"empty.key"_s);
    writeFile(empty, QByteArray(), 0600);
    QVERIFY(!errorOf([&] { loadOrCreateSecretFile(empty, [] { return "x"_ba; }); }).isEmpty());

    QVERIFY(!errorOf([&] { readSecretFile(m_dir->filePath(u"missing"_s)); }).isEmpty());
}

void TestSecuritySecretFile::followsSymlinksButChecksTheTarget()
{
    const QString privateTarget = m_dir->filePath(u"private-target"_s);
    const QString publicTarget = m_dir->filePath(u"public-target"_s);
    writeFile(privateTarget, "mounted-secret"_ba, 0600);
    writeFile(publicTarget, "mounted-secret"_ba, 0644);
    const QString toPrivate = m_dir->filePath(u"to-private"_s);
    const QString toPublic = m_dir->filePath(u"to-public"_s);
    QVERIFY(QFile::link(privateTarget, toPrivate));
    QVERIFY(QFile::link(publicTarget, toPublic));
    QCOMPARE(loadOrCreateSecretFile(toPrivate, [] { return "x"_ba; }), "mounted-secret"_ba);
    QVERIFY(!errorOf([&] { loadOrCreateSecretFile(toPublic, [] { return "x"_ba; }); }).isEmpty());
}

void TestSecuritySecretFile::aFailedCreateLeavesNoFile()
{
    const QString path = m_dir->filePath(u"secret"_s);
    QVERIFY(!errorOf([&] { loadOrCreateSecretFile(path, [] { return QByteArray(); }); }).isEmpty());
    QVERIFY_THROWS_EXCEPTION(std::logic_error, loadOrCreateSecretFile(path, []() -> QByteArray {
                                 throw std::logic_error("generator broke");
                             }));
    QVERIFY(QDir(m_dir->path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
    QCOMPARE(loadOrCreateSecretFile(path, [] { return "third time"_ba; }), "third time"_ba);
}

void TestSecuritySecretFile::concurrentCreatorsAgreeOnOneSecret()
{
    // Several processes starting together (threads here: the same system calls) must all
    // end up with the one secret that reached the disk.
    for (int round = 0; round < 20; ++round) {
        const QString path = m_dir->filePath(u"race-%1.key"_s.arg(round));
        constexpr int kThreads = 6;
        std::vector<QByteArray> results(kThreads);
        std::atomic<int> failures{0};
        std::atomic<bool> go{false};
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                while (!go.load())
                    std::this_thread::yield();
                try {
                    results[t] = loadOrCreateSecretFile(
                        path, [t] { return QByteArray("secret-from-" + QByteArray::number(t)); });
                } catch (...) {
                    ++failures;
                }
            });
        }
        go = true;
        for (auto &thread : threads)
            thread.join();
        QCOMPARE(failures.load(), 0);
        const QByteArray onDisk = readSecretFile(path);
        for (const QByteArray &r : results)
            QCOMPARE(r, onDisk);
    }
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files | QDir::Hidden).size(), 20);
}

QTEST_GUILESS_MAIN(TestSecuritySecretFile)
#include "tst_security_secretfile.moc"
