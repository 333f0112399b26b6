#include "commands.h"

#include "domain/clock.h"
#include "security/passwordhasher.h"
#include "security/passwordpolicy.h"
#include "serverapp.h"
#include "storage/authrepositories.h"
#include "storage/database.h"
#include "storage/storageerror.h"

#include <QUuid>

using namespace Qt::StringLiterals;
using namespace md::domain;

namespace md::server {

int createAdmin(const ServerConfig &config, const QString &email, const QString &name,
                const QString &phone, const QString &password, QString *message)
{
    User user;
    user.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    user.email = email.trimmed().toLower();
    user.name = name.trimmed();
    user.phone = phone.isEmpty() ? QString() : normalizeIdentifier(phone);
    if (!phone.isEmpty() && (user.phone.isEmpty() || isEmailIdentifier(user.phone)))
        user.phone = phone; // validate() names it
    user.role = Role::SuperAdmin;
    user.active = true;
    user.verified = true;
    const ValidationErrors errors = user.validate();
    if (user.email.isEmpty() || !errors.isEmpty()) {
        QStringList problems;
        if (user.email.isEmpty())
            problems.append(u"--email is required"_s);
        for (auto it = errors.cbegin(); it != errors.cend(); ++it)
            problems.append(u"%1 %2"_s.arg(it.key(), it.value()));
        *message = u"cannot create the administrator: "_s + problems.join(u"; "_s);
        return 2;
    }
    const QString weak = security::passwordProblem(password, user.name, user.email);
    if (!weak.isEmpty()) {
        *message = u"cannot create the administrator: "_s + weak;
        return 2;
    }

    ServerApp app(config);
    QString error;
    if (!app.openStorage(&error)) {
        *message = error;
        return 2;
    }
    user.passwordHash = security::PasswordHasher::hash(password.toUtf8());
    user.createdAt = user.updatedAt = Clock::system().now();
    try {
        storage::Repositories repos(app.database());
        app.database().transaction([&] {
            repos.users().insert(user);
            storage::AuditEntry entry;
            entry.actorRole = u"system"_s;
            entry.action = u"user.create"_s;
            entry.entityType = u"user"_s;
            entry.entityId = user.id;
            entry.after = QJsonObject{{u"role"_s, u"super_admin"_s},
                                      {u"via"_s, u"create-admin"_s},
                                      {u"identifier"_s, maskIdentifier(user.email)}};
            repos.audit().append(entry);
        });
    } catch (const storage::StorageError &e) {
        *message = e.kind() == storage::StorageError::Kind::Conflict
                       ? u"cannot create the administrator: an account with this e-mail "
                         u"address or phone number exists"_s
                       : u"cannot create the administrator: "_s + QString::fromUtf8(e.what());
        return 1;
    }
    *message = u"created super_admin %1 (%2)"_s.arg(user.id, maskIdentifier(user.email));
    return 0;
}

int verifyAudit(const ServerConfig &config, QString *message)
{
    ServerApp app(config);
    QString error;
    if (!app.openStorage(&error)) {
        *message = error;
        return 2;
    }
    try {
        storage::Repositories repos(app.database());
        const storage::AuditVerification result = repos.audit().verify();
        if (result.intact) {
            *message = u"audit log intact: %1 entries verified"_s.arg(result.checked);
            return 0;
        }
        *message = u"audit log TAMPERED: first bad entry is sequence %1 (%2); %3 entries "
                   u"before it verified"_s.arg(result.firstBadSequence)
                       .arg(result.problem)
                       .arg(result.checked);
        return 1;
    } catch (const storage::StorageError &e) {
        *message = u"cannot read the audit log: "_s + QString::fromUtf8(e.what());
        return 2;
    }
}

} // namespace md::server
