#include "passwordpolicy.h"

#include "passwordhasher.h"

#include <QFile>
#include <QSet>
#include <QStringList>

#include <stdexcept>

using namespace Qt::StringLiterals;

// Q_INIT_RESOURCE declares a function in the current namespace: call it from the global
// one. A static library's resources are registered only once something asks for them.
static void initSecurityResources()
{
    Q_INIT_RESOURCE(md_security_resources);
}

namespace md::security {

namespace {

constexpr qsizetype kMinCharacters = 10;
constexpr qsizetype kMinPersonalPart = 3;

QSet<QString> loadCommonPasswords()
{
    initSecurityResources();
    QFile file(u":/md/security/common-passwords.txt"_s);
    if (!file.open(QIODevice::ReadOnly))
        throw std::runtime_error("the common password list is missing from the build");
    QSet<QString> set;
    set.reserve(32768);
    const QList<QByteArray> lines = file.readAll().split('\n');
    for (const QByteArray &line : lines) {
        const QByteArray entry = line.trimmed();
        if (!entry.isEmpty())
            set.insert(QString::fromUtf8(entry));
    }
    return set;
}

const QSet<QString> &commonPasswords()
{
    static const QSet<QString> set = loadCommonPasswords();
    return set;
}

qsizetype characterCount(const QString &s)
{
    qsizetype count = 0;
    for (auto it = s.cbegin(); it != s.cend(); ++it) {
        if (it->isHighSurrogate() && it + 1 != s.cend() && (it + 1)->isLowSurrogate())
            ++it;
        ++count;
    }
    return count;
}

bool hasControlCharacter(const QString &s)
{
    for (const QChar c : s)
        if (c.category() == QChar::Other_Control)
            return true;
    return false;
}

/// The parts of a person's name a guesser would try first: runs of 3+ letters.
QStringList nameParts(const QString &name)
{
    QStringList parts;
    QString current;
    const auto flush = [&] {
        if (current.size() >= kMinPersonalPart)
            parts.append(current);
        current.clear();
    };
    for (const QChar c : name) {
        if (c.isLetter())
            current += c;
        else
            flush();
    }
    flush();
    return parts;
}

/// "jane.doe+md@example.org" -> "jane.doe+md" and "jane.doe" (the part before a tag).
QStringList emailParts(const QString &email)
{
    const qsizetype at = email.lastIndexOf(u'@');
    const QString local = (at < 0 ? email : email.left(at)).trimmed();
    QStringList parts;
    if (local.size() >= kMinPersonalPart)
        parts.append(local);
    const qsizetype plus = local.indexOf(u'+');
    if (plus >= kMinPersonalPart)
        parts.append(local.left(plus));
    return parts;
}

} // namespace

QString passwordProblem(const QString &password, const QString &userName, const QString &email)
{
    if (characterCount(password) < kMinCharacters)
        return u"Use at least %1 characters; a few unrelated words make a password that is long "
               u"and easy to remember."_s.arg(kMinCharacters);
    if (password.toUtf8().size() > PasswordHasher::kMaxPasswordBytes)
        return u"Use at most %1 bytes (%1 plain letters; accented letters and symbols count "
               u"as two to four)."_s.arg(PasswordHasher::kMaxPasswordBytes);
    if (hasControlCharacter(password))
        return u"Remove the control characters (such as line breaks or tabs) from the "
               u"password."_s;
    if (commonPasswords().contains(password.toLower()))
        return u"This password is one of the most commonly used ones; choose another."_s;
    for (const QString &part : nameParts(userName))
        if (password.contains(part, Qt::CaseInsensitive))
            return u"The password must not contain your name."_s;
    for (const QString &part : emailParts(email))
        if (password.contains(part, Qt::CaseInsensitive))
            return u"The password must not contain your e-mail address."_s;
    return {};
}

int commonPasswordCount()
{
    return int(commonPasswords().size());
}

} // namespace md::security
