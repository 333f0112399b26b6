#include "migrations.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <algorithm>

namespace md::storage {

QList<Migration> embeddedMigrations(Backend backend)
{
    const QString dir = backend == Backend::Sqlite ? QStringLiteral(":/md/sql/sqlite")
                                                   : QStringLiteral(":/md/sql/postgres");
    static const QRegularExpression fileName(QStringLiteral("^(\\d{4})_([a-z0-9_]+)\\.sql$"));
    QList<Migration> migrations;
    const QStringList files = QDir(dir).entryList({QStringLiteral("*.sql")}, QDir::Files);
    for (const QString &file : files) {
        const auto match = fileName.match(file);
        if (!match.hasMatch())
            continue;
        QFile f(dir + u'/' + file);
        if (!f.open(QIODevice::ReadOnly))
            continue;
        migrations.append(
            {match.captured(1).toInt(), match.captured(2), QString::fromUtf8(f.readAll())});
    }
    std::sort(migrations.begin(), migrations.end(),
              [](const Migration &a, const Migration &b) { return a.version < b.version; });
    return migrations;
}

QStringList splitSqlStatements(const QString &script)
{
    QStringList statements;
    QString current;
    int blockDepth = 0; // BEGIN/CASE ... END nesting outside quotes
    QString word;

    const auto flushWord = [&] {
        if (word.isEmpty())
            return;
        const QString upper = word.toUpper();
        if (upper == u"BEGIN" || upper == u"CASE")
            ++blockDepth;
        else if (upper == u"END" && blockDepth > 0)
            --blockDepth;
        word.clear();
    };
    const auto finish = [&] {
        const QString s = current.trimmed();
        if (!s.isEmpty())
            statements << s;
        current.clear();
        blockDepth = 0;
    };

    const qsizetype n = script.size();
    for (qsizetype i = 0; i < n; ++i) {
        const QChar c = script.at(i);
        const QChar next = i + 1 < n ? script.at(i + 1) : QChar();
        if (c.isLetterOrNumber() || c == u'_') {
            word += c;
            current += c;
            continue;
        }
        flushWord();
        if (c == u'-' && next == u'-') {
            while (i < n && script.at(i) != u'\n')
                ++i;
            current += u'\n';
            continue;
        }
        if (c == u'/' && next == u'*') {
            const qsizetype end = script.indexOf(QStringLiteral("*/"), i + 2);
            i = end < 0 ? n : end + 1;
            current += u' ';
            continue;
        }
        if (c == u'\'' || c == u'"') {
            const qsizetype end = script.indexOf(c, i + 1);
            const qsizetype stop = end < 0 ? n - 1 : end;
            current += script.mid(i, stop - i + 1);
            i = stop;
            continue;
        }
        if (c == u'$') {
            static const QRegularExpression tagRe(QStringLiteral("\\$[A-Za-z_]*\\$"));
            const auto m = tagRe.match(script, i, QRegularExpression::NormalMatch,
                                       QRegularExpression::AnchorAtOffsetMatchOption);
            if (m.hasMatch()) {
                const QString tag = m.captured(0);
                const qsizetype end = script.indexOf(tag, i + tag.size());
                const qsizetype stop = end < 0 ? n - 1 : end + tag.size() - 1;
                current += script.mid(i, stop - i + 1);
                i = stop;
                continue;
            }
        }
        if (c == u';' && blockDepth == 0) {
            finish();
            continue;
        }
        current += c;
    }
    flushWord();
    finish();
    return statements;
}

} // namespace md::storage
