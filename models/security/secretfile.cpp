#include "secretfile.h"

#include "random.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <openssl/crypto.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace md::security {

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kMaxSecretBytes = 1 << 20;

std::string describe(const QString &path)
{
    return QDir::toNativeSeparators(path).toStdString();
}

[[noreturn]] void fail(const std::string &what, const QString &path, int error = 0)
{
    std::string message = what + " " + describe(path);
    if (error != 0)
        message += std::string(": ") + std::strerror(error);
    throw std::runtime_error(message);
}

class Fd final
{
public:
    explicit Fd(int fd) : m_fd(fd) {}
    ~Fd()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
    int get() const { return m_fd; }
    int release()
    {
        const int fd = m_fd;
        m_fd = -1;
        return fd;
    }

private:
    int m_fd;
};

/// Reads an open file after checking what it is; the checks use fstat on the descriptor
/// we read from, so a file swapped between check and read cannot slip through.
QByteArray readChecked(int fd, const QString &path)
{
    struct stat st
    {};
    if (::fstat(fd, &st) != 0)
        fail("cannot inspect secret file", path, errno);
    if (!S_ISREG(st.st_mode))
        fail("secret file is not a regular file:", path);
    if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", unsigned(st.st_mode & 07777));
        throw std::runtime_error("secret file " + describe(path) + " has permissions " + mode +
                                 "; group and others must have no access (chmod 600 " +
                                 describe(path) + ")");
    }
    if (st.st_size > kMaxSecretBytes)
        fail("secret file is larger than 1 MiB:", path);

    QByteArray data(qsizetype(st.st_size), Qt::Uninitialized);
    qsizetype done = 0;
    while (done < data.size()) {
        const ssize_t n = ::read(fd, data.data() + done, size_t(data.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            OPENSSL_cleanse(data.data(), size_t(data.size()));
            fail("cannot read secret file", path, errno);
        }
        if (n == 0)
            break;
        done += n;
    }
    data.truncate(done);
    if (data.isEmpty())
        fail("secret file is empty (delete it to have a new secret created):", path);
    return data;
}

void writeAll(int fd, const QByteArray &data, const QString &path)
{
    qsizetype done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.constData() + done, size_t(data.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            fail("cannot write secret file", path, errno);
        done += n;
    }
}

void ensureDirectory(const QString &dir)
{
    if (QFileInfo(dir).isDir())
        return;
    if (!QDir().mkpath(dir))
        fail("cannot create directory", dir);
    QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
}

void syncDirectory(const QString &dir)
{
    const Fd d(::open(QFile::encodeName(dir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (d.get() >= 0)
        ::fsync(d.get());
}

} // namespace

QByteArray readSecretFile(const QString &path)
{
    const QByteArray native = QFile::encodeName(path);
    const Fd fd(::open(native.constData(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
    if (fd.get() < 0)
        fail("cannot open secret file", path, errno);
    return readChecked(fd.get(), path);
}

QByteArray loadOrCreateSecretFile(const QString &path, const std::function<QByteArray()> &create)
{
    const QByteArray native = QFile::encodeName(path);
    {
        const Fd fd(::open(native.constData(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
        if (fd.get() >= 0)
            return readChecked(fd.get(), path);
        if (errno != ENOENT)
            fail("cannot open secret file", path, errno);
    }

    const QString dir = QFileInfo(path).absolutePath();
    ensureDirectory(dir);

    QByteArray secret = create();
    if (secret.isEmpty())
        throw std::runtime_error("no secret was produced for " + describe(path));

    // Written completely to a private temporary file first, then published with link(),
    // which fails if the name exists: readers never see a half-written secret, and of two
    // processes starting together exactly one wins; the other reads the winner's file.
    const QString temporary = path + u".tmp-"_s + randomToken(9);
    const QByteArray nativeTemporary = QFile::encodeName(temporary);
    {
        Fd fd(::open(nativeTemporary.constData(),
                     O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600));
        if (fd.get() < 0) {
            OPENSSL_cleanse(secret.data(), size_t(secret.size()));
            fail("cannot create secret file", temporary, errno);
        }
        try {
            if (::fchmod(fd.get(), 0600) != 0)
                fail("cannot set permissions of", temporary, errno);
            writeAll(fd.get(), secret, temporary);
            if (::fsync(fd.get()) != 0)
                fail("cannot sync secret file", temporary, errno);
            if (::close(fd.release()) != 0)
                fail("cannot close secret file", temporary, errno);
        } catch (...) {
            ::unlink(nativeTemporary.constData());
            OPENSSL_cleanse(secret.data(), size_t(secret.size()));
            throw;
        }
    }

    const int linked = ::link(nativeTemporary.constData(), native.constData());
    const int linkError = errno;
    ::unlink(nativeTemporary.constData());
    if (linked == 0) {
        syncDirectory(dir);
        return secret;
    }
    OPENSSL_cleanse(secret.data(), size_t(secret.size()));
    if (linkError != EEXIST)
        fail("cannot create secret file", path, linkError);
    return readSecretFile(path); // another process created it first
}

} // namespace md::security
