#include "demoaccounts.h"

#include "domain/clock.h"
#include "security/passwordhasher.h"
#include "storage/authrepositories.h"
#include "storage/database.h"

#include <QUuid>

using namespace Qt::StringLiterals;
using namespace md::domain;

namespace md::server {

bool seedDemoAccounts(storage::Database &database, const Clock &clock)
{
    storage::Repositories repos(database);
    if (repos.users().findByIdentifier(u"super.admin@meddispatch.example"_s))
        return false;

    storage::OrganizationFilter hospitals;
    hospitals.type = OrganizationType::Hospital;
    const auto firstHospital = repos.organizations().list(hospitals, {}, {1, 0});
    storage::TicketFilter working;
    working.statuses = {TicketStatus::Assigned, TicketStatus::InProgress};
    const auto assigned = repos.tickets().list(working, {}, {1, 0});
    if (firstHospital.items.isEmpty() || assigned.items.isEmpty())
        return false; // no demo data set to attach them to
    const QString hospitalId = firstHospital.items.first().id;
    auto engineer = repos.engineers().find(assigned.items.first().assignedEngineerId);
    if (!engineer)
        return false;

    // One hash serves every account: they share the documented demo password.
    const QByteArray hash = security::PasswordHasher::hash(QByteArray(kDemoPassword));
    const QDateTime now = clock.now();
    struct Account
    {
        const char *email;
        QString name;
        Role role;
        QString organizationId;
    };
    const Account accounts[] = {
        {"super.admin@meddispatch.example",
         u"Sam Okafor (platform operator)"_s,
         Role::SuperAdmin,
         {}},
        {"admin@meddispatch.example", u"Dana Whitfield (dispatch centre)"_s, Role::Admin, {}},
        {"org.admin@meddispatch.example", u"Priya Raman (hospital BME lead)"_s, Role::OrgAdmin,
         hospitalId},
        {"engineer@meddispatch.example", engineer->name, Role::Engineer, engineer->organizationId},
        {"customer@meddispatch.example", u"Luis Moreno (ward nurse)"_s, Role::Customer, hospitalId},
    };
    database.transaction([&] {
        for (const Account &a : accounts) {
            User user;
            user.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
            user.email = QString::fromLatin1(a.email);
            user.name = a.name;
            user.role = a.role;
            user.organizationId = a.organizationId;
            user.active = true;
            user.verified = true;
            user.passwordHash = hash;
            user.createdAt = now;
            user.updatedAt = now;
            repos.users().insert(user);
            if (a.role == Role::Engineer) {
                engineer->userId = user.id;
                repos.engineers().update(*engineer);
            }
        }
    });
    return true;
}

} // namespace md::server
