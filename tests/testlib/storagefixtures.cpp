#include "storagefixtures.h"

#include "domain/qrpayload.h"

#include <QUuid>

namespace md::testlib {

using namespace md::domain;

QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QDateTime fixedTime(qint64 minutes)
{
    return QDateTime(QDate(2026, 3, 1), QTime(8, 0), Qt::UTC).addSecs(minutes * 60);
}

Organization makeOrganization(const QString &name, OrganizationType type)
{
    Organization o;
    o.id = newId();
    o.name = name;
    o.type = type;
    o.address = QStringLiteral("1 Test Street");
    o.city = QStringLiteral("Berlin");
    o.country = QStringLiteral("DE");
    o.location = GeoPoint{52.52, 13.405};
    o.phone = QStringLiteral("+4930123456");
    o.email = QStringLiteral("info@example.org");
    o.createdAt = fixedTime();
    o.updatedAt = fixedTime();
    return o;
}

Equipment makeEquipment(const QString &hospitalId, const QString &manufacturerId,
                        const QString &category, const QString &name)
{
    Equipment e;
    e.id = newId();
    e.organizationId = hospitalId;
    e.manufacturerId = manufacturerId;
    e.name = name;
    e.model = name + QStringLiteral(" Model");
    e.serialNumber = QStringLiteral("SN-") + e.id.left(8);
    e.category = category;
    e.department = QStringLiteral("Radiology");
    e.room = QStringLiteral("R1");
    e.installDate = QDate(2022, 5, 1);
    e.warrantyEnd = QDate(2025, 5, 1);
    e.serviceContractEnd = QDate(2028, 5, 1);
    e.criticality = Criticality::High;
    e.status = EquipmentStatus::Operational;
    e.qrCode = QrPayload::generateCode();
    e.createdAt = fixedTime();
    e.updatedAt = fixedTime();
    return e;
}

Engineer makeEngineer(const QString &organizationId, const QString &name, EngineerLevel level,
                      const QStringList &manufacturerIds, const QStringList &categories)
{
    Engineer e;
    e.id = newId();
    e.organizationId = organizationId;
    e.name = name;
    e.level = level;
    e.manufacturerIds = manufacturerIds;
    e.categories = categories;
    e.phone = QStringLiteral("+491701234567");
    e.email = QStringLiteral("engineer@example.org");
    e.location = GeoPoint{52.5, 13.4};
    e.createdAt = fixedTime();
    e.updatedAt = fixedTime();
    return e;
}

Ticket makeTicket(const Equipment &equipment, Priority priority, const QString &title)
{
    Ticket t;
    t.id = newId();
    t.equipmentId = equipment.id;
    t.organizationId = equipment.organizationId;
    t.reporterName = QStringLiteral("Nurse Joy");
    t.reporterContact = QStringLiteral("+4930999999");
    t.channel = TicketChannel::Desk;
    t.priority = priority;
    t.status = TicketStatus::New;
    t.title = title;
    t.description = QStringLiteral("Does not start");
    t.createdAt = fixedTime();
    t.updatedAt = fixedTime();
    t.responseDueAt = fixedTime(60);
    t.resolutionDueAt = fixedTime(8 * 60);
    return t;
}

Assignment makeAssignment(const QString &ticketId, const QString &engineerId, AssignmentTier tier,
                          const QDateTime &at)
{
    Assignment a;
    a.id = newId();
    a.ticketId = ticketId;
    a.engineerId = engineerId;
    a.tier = tier;
    a.status = AssignmentStatus::Active;
    a.assignedBy = QStringLiteral("system");
    a.matchScore = 80;
    a.assignedAt = at;
    return a;
}

User makeUser(const QString &organizationId, Role role, const QString &name, const QString &email,
              const QString &phone)
{
    User u;
    u.id = newId();
    u.name = name;
    u.email = email;
    u.phone = phone;
    u.role = role;
    u.organizationId = organizationId;
    u.active = true;
    u.verified = true;
    u.passwordHash =
        QByteArrayLiteral("$2b$12$abcdefghijklmnopqrstuuQ0WxkNnHtzC3w3oRSkWc9DqXB1oGq1e");
    u.createdAt = fixedTime();
    u.updatedAt = fixedTime();
    return u;
}

QStringList oddStrings()
{
    return {
        QStringLiteral("Robert'); DROP TABLE organizations;--"),
        QStringLiteral("100% _under_score_ and \\back\\slash"),
        QStringLiteral("\"double\" 'single' `back` ;semi; $1 ? :name @p"),
        QStringLiteral("😷 Emoji Clinic 🏥 with 👩🏽‍⚕️"),
        QStringLiteral("מרכז רפואי שיבא"),           // Hebrew, right-to-left
        QStringLiteral("مستشفى الملك فيصل التخصصي"), // Arabic
        QStringLiteral("Zürich Ärztehaus Straße ÆØÅ"),
        QStringLiteral("e\u0301 combining and \u200b zero width"),
        QStringLiteral("tab\there\nnew line\r\nwindows"),
        QStringLiteral("%"),
        QStringLiteral("_"),
        QStringLiteral("$$ dollar $tag$ quote"),
        QString(300, QChar(u'x')) + QStringLiteral("终"),
    };
}

} // namespace md::testlib
