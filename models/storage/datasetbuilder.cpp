#include "datasetbuilder.h"

#include "bulkinserter.h"
#include "sqlsupport.h"
#include "storageerror.h"

#include "domain/enums.h"
#include "domain/qrpayload.h"
#include "domain/slapolicy.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QUuid>
#include <algorithm>
#include <cmath>
#include <vector>

namespace md::storage {

using namespace md::domain;
using namespace Qt::Literals::StringLiterals;

namespace {

// The categories in a fixed order (indexes into per-category tables below).
const QStringList Categories = {QStringLiteral("mri"),           QStringLiteral("ct"),
                                QStringLiteral("xray"),          QStringLiteral("ultrasound"),
                                QStringLiteral("ventilator"),    QStringLiteral("patient_monitor"),
                                QStringLiteral("infusion_pump"), QStringLiteral("defibrillator"),
                                QStringLiteral("dialysis"),      QStringLiteral("anesthesia"),
                                QStringLiteral("ecg"),           QStringLiteral("lab_analyzer")};
// Relative share of each category in a hospital's inventory (monitors and pumps are
// counted in hundreds, scanners in ones).
const int CategoryWeight[] = {2, 3, 8, 12, 16, 50, 60, 12, 8, 6, 10, 5};
const Criticality CategoryCriticality[] = {
    Criticality::High,        Criticality::High,        Criticality::Medium,
    Criticality::Medium,      Criticality::LifeSupport, Criticality::High,
    Criticality::High,        Criticality::LifeSupport, Criticality::LifeSupport,
    Criticality::LifeSupport, Criticality::Medium,      Criticality::Medium};
const QString CategoryLabel[] = {
    QStringLiteral("MRI"),         QStringLiteral("CT"),
    QStringLiteral("X-ray"),       QStringLiteral("Ultrasound"),
    QStringLiteral("Ventilation"), QStringLiteral("Patient Monitoring"),
    QStringLiteral("Infusion"),    QStringLiteral("Defibrillation"),
    QStringLiteral("Dialysis"),    QStringLiteral("Anaesthesia"),
    QStringLiteral("ECG"),         QStringLiteral("Laboratory")};
constexpr int CategoryCount = 12;

constexpr qint64 MinuteMs = 60 * 1000;
constexpr qint64 HourMs = 60 * MinuteMs;
constexpr qint64 DayMs = 24 * HourMs;

quint64 splitmix(quint64 x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

struct Manufacturer
{
    int org = -1;
    QString name;
    QString prefix;
    QString domain;
    int weight = 1;
    QList<int> categories;
    QHash<int, QStringList> models;
};

struct Org
{
    QString id;
    QString name;
    OrganizationType type = OrganizationType::Hospital;
    QString city;
    QString country;
    double lat = 0;
    double lon = 0;
    QString domain;
    int manufacturer = -1;             // for manufacturers
    QList<std::pair<int, int>> scopes; // (manufacturer, category)
    QList<int> categories;             // hospitals: categories owned
    int engineerTarget = 0;
};

struct Eng
{
    int org = 0;
    int level = 1;
    bool active = true;
    QList<int> manufacturers;
    QList<int> categories;
};

struct Device
{
    int hospital = 0;
    int manufacturer = 0;
    int category = 0;
    qint64 warrantyEndMs = 0;
    QString model;
    QString serial;
    QString department;
};

} // namespace

struct DatasetBuilder::Private
{
    Database &db;
    quint32 seed;
    QDateTime now;
    qint64 nowMs = 0;
    QRandomGenerator rng;
    bool orderedIds = false;

    QJsonObject catalog;
    QStringList firstNames, lastNames, reasons;
    QHash<QString, QString> countryCodes;

    QList<Org> orgs;
    QList<Manufacturer> manufacturers;
    QList<int> hospitals, partners, providers;
    std::vector<Eng> engineers;
    std::vector<Device> devices;
    // Engineers who may take a job for (manufacturer, category) through tiers 1-3, and
    // each hospital's BME team.
    QHash<int, std::vector<int>> tierIndex;
    QHash<int, std::vector<int>> bmeByHospital;

    Private(Database &d, quint32 s, QDateTime n)
        : db(d), seed(s), now(std::move(n)), nowMs(now.toMSecsSinceEpoch()), rng(s)
    {}

    int between(int lo, int hi) { return lo + int(rng.bounded(hi - lo + 1)); }
    double uniform(double lo, double hi) { return lo + rng.generateDouble() * (hi - lo); }
    bool chance(double p) { return rng.generateDouble() < p; }
    template <typename T> const T &pick(const QList<T> &list)
    {
        return list.at(rng.bounded(int(list.size())));
    }

    QString makeId(quint64 kind, quint64 index) const
    {
        const quint64 h1 = splitmix(quint64(seed) << 32 ^ kind << 56 ^ index);
        const quint64 h2 = splitmix(h1 ^ 0x5bd1e995ULL);
        // Ordered: 48 bits of kind and sequence first, like a UUIDv7 time prefix.
        const quint64 hi =
            orderedIds ? ((kind << 40 | (index & 0xffffffffffULL)) << 16) | (0x7000 | (h1 & 0x0fff))
                       : (h1 & ~0xf000ULL) | 0x4000;
        const quint64 lo = (h2 & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
        QByteArray bytes(16, Qt::Uninitialized);
        for (int i = 0; i < 8; ++i) {
            bytes[i] = char(hi >> (56 - 8 * i));
            bytes[8 + i] = char(lo >> (56 - 8 * i));
        }
        return QUuid::fromRfc4122(bytes).toString(QUuid::WithoutBraces);
    }

    void loadCatalog()
    {
        QFile f(QStringLiteral(":/md/demo/catalog.json"));
        if (!f.open(QIODevice::ReadOnly))
            throw StorageError(StorageError::Kind::Internal,
                               QStringLiteral("demo catalog missing from resources"));
        catalog = QJsonDocument::fromJson(f.readAll()).object();
        const auto strings = [](const QJsonValue &v) {
            QStringList out;
            for (const QJsonValue &x : v.toArray())
                out << x.toString();
            return out;
        };
        firstNames = strings(catalog.value(u"first_names"));
        lastNames = strings(catalog.value(u"last_names"));
        reasons = strings(catalog.value(u"reassign_reasons"));
        const QJsonObject codes = catalog.value(u"country_codes").toObject();
        for (auto it = codes.begin(); it != codes.end(); ++it)
            countryCodes.insert(it.key(), it.value().toString());
    }

    int addOrg(Org org)
    {
        org.id = makeId(1, quint64(orgs.size()));
        orgs.append(std::move(org));
        return int(orgs.size() - 1);
    }

    static QString slug(const QString &s)
    {
        QString out;
        for (const QChar c : s.normalized(QString::NormalizationForm_KD).toLower()) {
            if ((c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9'))
                out += c;
            else if ((c == u' ' || c == u'-' || c == u'.') && !out.endsWith(u'-') && !out.isEmpty())
                out += u'-';
        }
        while (out.endsWith(u'-'))
            out.chop(1);
        return out.isEmpty() ? QStringLiteral("org") : out;
    }

    QString phone(const QString &country)
    {
        const QString cc = countryCodes.value(country, QStringLiteral("49"));
        QString digits = QString::number(between(1, 9));
        const int length = 9 - int(cc.size()) / 2;
        for (int i = 1; i < length; ++i)
            digits += QChar(u'0' + between(0, 9));
        return u'+' + cc + digits;
    }

    void buildOrganizations(const DatasetShape &shape)
    {
        // Manufacturers: the real ones from the catalog, then (for large sets) smaller
        // makers so the number of brands grows with the installed base.
        const QJsonArray makers = catalog.value(u"manufacturers").toArray();
        for (const QJsonValue &v : makers) {
            const QJsonObject m = v.toObject();
            Manufacturer man;
            man.name = m.value(u"name").toString();
            man.prefix = m.value(u"prefix").toString();
            man.domain = m.value(u"domain").toString();
            man.weight = 10;
            const QJsonObject models = m.value(u"models").toObject();
            for (auto it = models.begin(); it != models.end(); ++it) {
                const int c = int(Categories.indexOf(it.key()));
                if (c < 0)
                    continue;
                man.categories << c;
                for (const QJsonValue &model : it.value().toArray())
                    man.models[c] << model.toString();
            }
            Org org;
            org.name = man.name;
            org.type = OrganizationType::Manufacturer;
            org.city = m.value(u"city").toString();
            org.country = m.value(u"country").toString();
            org.lat = m.value(u"lat").toDouble();
            org.lon = m.value(u"lon").toDouble();
            org.domain = man.domain;
            org.manufacturer = int(manufacturers.size());
            man.org = addOrg(org);
            manufacturers.append(man);
        }
        const QStringList stems = {u"Medi"_s, u"Cardio"_s, u"Neo"_s,  u"Vita"_s,
                                   u"Sano"_s, u"Helio"_s,  u"Novo"_s, u"Pulso"_s,
                                   u"Aero"_s, u"Lumi"_s,   u"Orto"_s, u"Quanta"_s};
        const QStringList tails = {u"tronic"_s, u"scan"_s, u"care"_s, u"med"_s,
                                   u"vision"_s, u"flow"_s, u"tech"_s, u"sys"_s};
        const QStringList forms = {u"GmbH"_s, u"Inc."_s, u"AG"_s,
                                   u"Ltd"_s,  u"S.A."_s, u"Co., Ltd."_s};
        const QJsonArray cities = catalog.value(u"cities").toArray();
        for (int i = int(manufacturers.size()); i < shape.manufacturers; ++i) {
            const int n = i - int(makers.size());
            Manufacturer man;
            const QString stem =
                stems.at(n % stems.size()) + tails.at((n / stems.size()) % tails.size());
            man.name = stem + u' ' + forms.at((n / 3) % forms.size());
            if (n >= stems.size() * tails.size())
                man.name += u' ' + QString::number(n / (stems.size() * tails.size()) + 1);
            man.prefix = stem.left(3).toUpper();
            man.domain = slug(man.name);
            man.weight = 1;
            const int count = between(1, 3);
            while (man.categories.size() < count) {
                const int c = between(0, CategoryCount - 1);
                if (!man.categories.contains(c)) {
                    man.categories << c;
                    const QString series = stem + u' ' + CategoryLabel[c];
                    man.models[c] = {series + u" 200", series + u" 400", series + u" Pro"};
                }
            }
            const QJsonObject city = cities.at(n % cities.size()).toObject();
            Org org;
            org.name = man.name;
            org.type = OrganizationType::Manufacturer;
            org.city = city.value(u"city").toString();
            org.country = city.value(u"country").toString();
            org.lat = city.value(u"lat").toDouble();
            org.lon = city.value(u"lon").toDouble();
            org.domain = man.domain;
            org.manufacturer = int(manufacturers.size());
            man.org = addOrg(org);
            manufacturers.append(man);
        }

        // Hospitals: the named ones, then numbered sites in the catalog's cities.
        const QJsonArray named = catalog.value(u"hospitals").toArray();
        const QJsonArray kinds = catalog.value(u"hospital_kinds").toArray();
        for (int i = 0; i < shape.hospitals; ++i) {
            Org org;
            org.type = OrganizationType::Hospital;
            if (i < named.size()) {
                const QJsonObject h = named.at(i).toObject();
                org.name = h.value(u"name").toString();
                org.city = h.value(u"city").toString();
                org.country = h.value(u"country").toString();
                org.lat = h.value(u"lat").toDouble();
                org.lon = h.value(u"lon").toDouble();
            } else {
                const QJsonObject city = cities.at(i % cities.size()).toObject();
                org.city = city.value(u"city").toString();
                org.country = city.value(u"country").toString();
                org.name =
                    org.city + u' ' + kinds.at((i / cities.size()) % kinds.size()).toString();
                if (i >= cities.size() * kinds.size())
                    org.name += u' ' + QString::number(i / (cities.size() * kinds.size()) + 1);
                org.lat = city.value(u"lat").toDouble() + uniform(-0.15, 0.15);
                org.lon = city.value(u"lon").toDouble() + uniform(-0.2, 0.2);
            }
            org.domain = slug(org.name).left(40);
            hospitals << addOrg(org);
        }

        const auto weightedManufacturer = [&](int category) {
            // Real brands (weight 10) are chosen more often than the long tail.
            int total = 0;
            for (const Manufacturer &m : std::as_const(manufacturers))
                total += (category < 0 || m.categories.contains(category)) ? m.weight : 0;
            int r = int(rng.bounded(std::max(1, total)));
            for (int i = 0; i < manufacturers.size(); ++i) {
                const Manufacturer &m = manufacturers.at(i);
                if (category >= 0 && !m.categories.contains(category))
                    continue;
                r -= m.weight;
                if (r < 0)
                    return i;
            }
            return 0;
        };

        const auto serviceOrgs = [&](const QString &key, int count, OrganizationType type,
                                     QList<int> &into) {
            const QJsonArray list = catalog.value(key).toArray();
            for (int i = 0; i < count; ++i) {
                Org org;
                org.type = type;
                if (i < list.size()) {
                    const QJsonObject p = list.at(i).toObject();
                    org.name = p.value(u"name").toString();
                    org.city = p.value(u"city").toString();
                    org.country = p.value(u"country").toString();
                    org.lat = p.value(u"lat").toDouble();
                    org.lon = p.value(u"lon").toDouble();
                } else {
                    const QJsonObject city = cities.at(i % cities.size()).toObject();
                    org.city = city.value(u"city").toString();
                    org.country = city.value(u"country").toString();
                    org.name = org.city +
                               (type == OrganizationType::AuthorizedPartner
                                    ? QStringLiteral(" Authorized Medical Service ")
                                    : QStringLiteral(" Clinical Engineering Services ")) +
                               QString::number(i / cities.size() + 1);
                    org.lat = city.value(u"lat").toDouble() + uniform(-0.1, 0.1);
                    org.lon = city.value(u"lon").toDouble() + uniform(-0.1, 0.1);
                }
                org.domain = slug(org.name).left(40);
                if (type == OrganizationType::AuthorizedPartner) {
                    // Authorized by one or two manufacturers for some of their lines.
                    const int brands = between(1, 2);
                    for (int b = 0; b < brands; ++b) {
                        const int m = weightedManufacturer(-1);
                        const QList<int> &cats = manufacturers.at(m).categories;
                        const int n = between(1, int(std::min<qsizetype>(3, cats.size())));
                        for (int k = 0; k < n; ++k) {
                            const std::pair<int, int> scope{m, pick(cats)};
                            if (!org.scopes.contains(scope))
                                org.scopes << scope;
                        }
                    }
                } else {
                    // Multi-brand: the common ward devices of several makers.
                    const QList<int> wardCategories = {4, 5, 6, 7, 10, 3};
                    const int n = between(3, 6);
                    for (int k = 0; k < n; ++k) {
                        // Any maker of the category: independents live off the long tail.
                        const int c = pick(wardCategories);
                        QList<int> makersOfCategory;
                        for (int m = 0; m < manufacturers.size(); ++m) {
                            if (manufacturers.at(m).categories.contains(c))
                                makersOfCategory << m;
                        }
                        const std::pair<int, int> scope{pick(makersOfCategory), c};
                        if (!org.scopes.contains(scope))
                            org.scopes << scope;
                    }
                }
                into << addOrg(org);
            }
        };
        serviceOrgs(QStringLiteral("partners"), shape.partners, OrganizationType::AuthorizedPartner,
                    partners);
        serviceOrgs(QStringLiteral("providers"), shape.providers, OrganizationType::ServiceProvider,
                    providers);

        m_weightedManufacturer = weightedManufacturer;
    }

    std::function<int(int)> m_weightedManufacturer;

    void planEngineers(const DatasetShape &shape)
    {
        // Team sizes: hospital BME teams are the largest group, then partners,
        // providers and the manufacturers' own field engineers.
        const auto assign = [&](const QList<int> &group, int total, int lo, int hi) {
            for (int i = 0; i < group.size(); ++i) {
                orgs[group.at(i)].engineerTarget =
                    total > 0 ? int(total / group.size()) + (i < total % group.size() ? 1 : 0)
                              : between(lo, hi);
            }
        };
        QList<int> makerOrgs;
        for (const Manufacturer &m : std::as_const(manufacturers))
            makerOrgs << m.org;
        const int total = shape.engineers;
        // Shares of a large workforce: in-house BME teams are the majority; OEM field
        // engineers, authorized partners and multi-brand providers share the rest.
        const int bme = total * 70 / 100, partnerShare = total * 12 / 100,
                  providerShare = total * 8 / 100;
        assign(hospitals, bme, 4, 8);
        assign(partners, partnerShare, 8, 14);
        assign(providers, providerShare, 10, 16);
        if (total) {
            // Field engineers follow the brands' installed base.
            int weights = 0;
            for (const Manufacturer &m : std::as_const(manufacturers))
                weights += m.weight;
            const int oem = total - bme - partnerShare - providerShare;
            int left = oem;
            for (int i = 0; i < manufacturers.size(); ++i) {
                const int n = i + 1 == manufacturers.size()
                                  ? left
                                  : int(qint64(oem) * manufacturers.at(i).weight / weights);
                orgs[manufacturers.at(i).org].engineerTarget = std::max(0, n);
                left -= std::max(0, n);
            }
        } else {
            assign(makerOrgs, 0, 8, 14);
        }

        for (int o = 0; o < orgs.size(); ++o) {
            const Org &org = orgs.at(o);
            for (int k = 0; k < org.engineerTarget; ++k) {
                Eng e;
                e.org = o;
                const int r = between(1, 100);
                e.level = r <= 40 ? 1 : (r <= 75 ? 2 : 3);
                e.active = chance(0.93);
                switch (org.type) {
                case OrganizationType::Manufacturer: {
                    const Manufacturer &m = manufacturers.at(org.manufacturer);
                    e.manufacturers = {org.manufacturer};
                    const int n = between(1, int(std::min<qsizetype>(3, m.categories.size())));
                    while (e.categories.size() < n) {
                        const int c = pick(m.categories);
                        if (!e.categories.contains(c))
                            e.categories << c;
                    }
                    break;
                }
                case OrganizationType::AuthorizedPartner:
                case OrganizationType::ServiceProvider: {
                    const int n = between(1, int(std::min<qsizetype>(2, org.scopes.size())));
                    for (int s = 0; s < n; ++s) {
                        const auto [m, c] = pick(org.scopes);
                        if (!e.manufacturers.contains(m))
                            e.manufacturers << m;
                        if (!e.categories.contains(c))
                            e.categories << c;
                    }
                    break;
                }
                case OrganizationType::Hospital: {
                    const int n = between(2, 5);
                    while (e.categories.size() < n) {
                        const int c = weightedCategory();
                        if (!e.categories.contains(c))
                            e.categories << c;
                    }
                    const int brands = between(3, 8);
                    for (int b = 0; b < brands; ++b) {
                        const int m = m_weightedManufacturer(pick(e.categories));
                        if (!e.manufacturers.contains(m))
                            e.manufacturers << m;
                    }
                    break;
                }
                }
                const int index = int(engineers.size());
                engineers.push_back(e);
                if (!e.active)
                    continue;
                for (int m : std::as_const(e.manufacturers)) {
                    for (int c : std::as_const(e.categories)) {
                        const int key = m * CategoryCount + c;
                        if (org.type == OrganizationType::Hospital) {
                            continue;
                        } else if (org.type == OrganizationType::Manufacturer) {
                            if (org.manufacturer == m)
                                tierIndex[key].push_back(index);
                        } else if (org.scopes.contains(std::pair{m, c})) {
                            tierIndex[key].push_back(index);
                        }
                    }
                }
                if (org.type == OrganizationType::Hospital)
                    bmeByHospital[o].push_back(index);
            }
        }
    }

    int weightedCategory()
    {
        int total = 0;
        for (int w : CategoryWeight)
            total += w;
        int r = int(rng.bounded(total));
        for (int c = 0; c < CategoryCount; ++c) {
            r -= CategoryWeight[c];
            if (r < 0)
                return c;
        }
        return 0;
    }

    void writeOrganizations(const DatasetBuilder::BatchRunner &runBatch, SeedSummary &summary)
    {
        runBatch([&] {
            BulkInserter ins(db, QStringLiteral("organizations"),
                             {u"id"_s, u"name"_s, u"name_folded"_s, u"type"_s, u"address"_s,
                              u"city"_s, u"country"_s, u"latitude"_s, u"longitude"_s, u"phone"_s,
                              u"email"_s, u"active"_s, u"created_at"_s, u"updated_at"_s});
            const qint64 created = nowMs - 400 * DayMs;
            for (int i = 0; i < orgs.size(); ++i) {
                const Org &o = orgs.at(i);
                const QString address =
                    QString::number(between(1, 220)) + u' ' +
                    pick(QList<QString>{u"Main Street"_s, u"Hospital Road"_s, u"Parkway"_s,
                                        u"Science Park"_s, u"Industrial Avenue"_s, u"Ring Road"_s});
                ins << o.id << o.name << sql::fold(o.name) << toString(o.type) << address << o.city
                    << o.country << o.lat << o.lon << phone(o.country)
                    << QVariant(u"service@"_s + o.domain + u".example"_s) << QVariant(true)
                    << created + i * MinuteMs << created + i * MinuteMs;
            }
            ins.flush();
            BulkInserter scopes(db, QStringLiteral("organization_service_scopes"),
                                {u"organization_id"_s, u"position"_s, u"kind"_s,
                                 u"manufacturer_id"_s, u"category"_s});
            for (const Org &o : std::as_const(orgs)) {
                int position = 0;
                for (const auto &[m, c] : o.scopes) {
                    scopes << o.id << position++
                           << (o.type == OrganizationType::AuthorizedPartner
                                   ? QStringLiteral("authorized")
                                   : QStringLiteral("services"))
                           << orgs.at(manufacturers.at(m).org).id << Categories.at(c);
                }
            }
            scopes.flush();
            summary.organizations = orgs.size();
        });
    }

    void writeEngineers(const DatasetBuilder::BatchRunner &runBatch, SeedSummary &summary)
    {
        constexpr int Batch = 20000;
        for (int start = 0; start < int(engineers.size()); start += Batch) {
            runBatch([&] {
                BulkInserter ins(db, QStringLiteral("engineers"),
                                 {u"id"_s, u"user_id"_s, u"organization_id"_s, u"name"_s,
                                  u"name_folded"_s, u"level"_s, u"phone"_s, u"email"_s,
                                  u"latitude"_s, u"longitude"_s, u"active"_s, u"created_at"_s,
                                  u"updated_at"_s});
                BulkInserter mans(db, QStringLiteral("engineer_manufacturers"),
                                  {u"engineer_id"_s, u"manufacturer_id"_s, u"position"_s});
                BulkInserter cats(db, QStringLiteral("engineer_categories"),
                                  {u"engineer_id"_s, u"category"_s, u"position"_s});
                BulkInserter certs(db, QStringLiteral("engineer_certifications"),
                                   {u"engineer_id"_s, u"position"_s, u"name"_s,
                                    u"manufacturer_id"_s, u"category"_s, u"expires_on"_s});
                mans.setParent(&ins);
                cats.setParent(&ins);
                certs.setParent(&ins);
                const int end = std::min(int(engineers.size()), start + Batch);
                const QDate today = now.date();
                for (int i = start; i < end; ++i) {
                    const Eng &e = engineers.at(i);
                    const Org &org = orgs.at(e.org);
                    const QString id = makeId(2, quint64(i));
                    const QString first = pick(firstNames);
                    const QString last = pick(lastNames);
                    const QString name = first + u' ' + last;
                    const qint64 created = nowMs - between(30, 380) * DayMs;
                    ins << id << QVariant(QMetaType::fromType<QString>()) << org.id << name
                        << sql::fold(name) << e.level << phone(org.country)
                        << QVariant(slug(first) + u'.' + slug(last) + QString::number(i % 97) +
                                    u'@' + org.domain + u".example")
                        << org.lat + uniform(-0.3, 0.3) << org.lon + uniform(-0.4, 0.4)
                        << QVariant(e.active) << created << created + between(0, 20) * DayMs;
                    int position = 0;
                    for (int m : e.manufacturers)
                        mans << id << orgs.at(manufacturers.at(m).org).id << position++;
                    position = 0;
                    for (int c : e.categories)
                        cats << id << Categories.at(c) << position++;
                    // Certifications: brand trainings for OEM and partner engineers, the
                    // electrical safety course for BME teams; about one in five lapsed.
                    position = 0;
                    const auto expiry = [&] {
                        return QVariant(today.addDays(between(-300, 900)).toString(Qt::ISODate));
                    };
                    if (org.type != OrganizationType::Hospital) {
                        const int m = e.manufacturers.first();
                        const int c = e.categories.first();
                        certs << id << position++
                              << QVariant(manufacturers.at(m).name + u' ' + CategoryLabel[c] +
                                          u" Service Level " + QString::number(e.level))
                              << orgs.at(manufacturers.at(m).org).id << Categories.at(c)
                              << expiry();
                    }
                    if (org.type == OrganizationType::Hospital || chance(0.3)) {
                        certs << id << position++
                              << QVariant(u"IEC 62353 Electrical Safety Testing"_s)
                              << QVariant(QMetaType::fromType<QString>())
                              << QVariant(QMetaType::fromType<QString>()) << expiry();
                    }
                    if (chance(0.2)) {
                        certs << id << position++
                              << QVariant(u"Certified Biomedical Equipment Technician (CBET)"_s)
                              << QVariant(QMetaType::fromType<QString>())
                              << QVariant(QMetaType::fromType<QString>())
                              << QVariant(QMetaType::fromType<QString>());
                    }
                }
                ins.flush();
                mans.flush();
                cats.flush();
                certs.flush();
            });
        }
        summary.engineers = qint64(engineers.size());
    }

    void writeEquipment(const DatasetShape &shape, const DatasetBuilder::BatchRunner &runBatch,
                        SeedSummary &summary)
    {
        // Sizes per hospital vary (university hospitals own more); written hospital by
        // hospital so each statement touches few counter rows.
        QList<double> share;
        double sum = 0;
        for (int i = 0; i < hospitals.size(); ++i) {
            share << uniform(0.4, 1.6);
            sum += share.last();
        }
        QList<int> perHospital;
        int assigned = 0;
        for (int i = 0; i < hospitals.size(); ++i) {
            const int n = i + 1 == hospitals.size() ? shape.equipment - assigned
                                                    : int(shape.equipment * share.at(i) / sum);
            perHospital << std::max(0, n);
            assigned += perHospital.last();
        }
        const QJsonObject departments = catalog.value(u"departments").toObject();
        const QStringList statuses = {u"operational"_s, u"degraded"_s, u"down"_s, u"maintenance"_s,
                                      u"retired"_s};
        devices.reserve(size_t(shape.equipment));

        constexpr int Batch = 25000;
        int hospital = 0;
        int inHospital = 0;
        while (int(devices.size()) < shape.equipment) {
            runBatch([&] {
                BulkInserter ins(db, QStringLiteral("equipment"),
                                 {u"id"_s, u"organization_id"_s, u"manufacturer_id"_s, u"name"_s,
                                  u"model"_s, u"serial_number"_s, u"category"_s, u"department"_s,
                                  u"room"_s, u"install_date"_s, u"warranty_end"_s,
                                  u"service_contract_end"_s, u"criticality"_s, u"status"_s,
                                  u"qr_code"_s, u"gtin"_s, u"search_text"_s, u"created_at"_s,
                                  u"updated_at"_s});
                for (int k = 0; k < Batch && int(devices.size()) < shape.equipment; ++k) {
                    while (inHospital >= perHospital.at(hospital)) {
                        ++hospital;
                        inHospital = 0;
                    }
                    ++inHospital;
                    Device dev;
                    dev.hospital = hospitals.at(hospital);
                    dev.category = weightedCategory();
                    dev.manufacturer = m_weightedManufacturer(dev.category);
                    const Manufacturer &m = manufacturers.at(dev.manufacturer);
                    const QString name = pick(m.models.value(dev.category));
                    const QStringList depts = [&] {
                        QStringList out;
                        for (const QJsonValue &v :
                             departments.value(Categories.at(dev.category)).toArray())
                            out << v.toString();
                        return out;
                    }();
                    dev.department = depts.isEmpty() ? u"General"_s : pick(depts);
                    const int index = int(devices.size());
                    dev.serial = m.prefix + u'-' + QString::number(2015 + between(0, 10)) + u'-' +
                                 QString::number(100000 + index * 7 % 900000 + between(0, 6), 10);
                    dev.model =
                        name + u' ' +
                        pick(QList<QString>{u""_s, u"Plus"_s, u"XT"_s, u"Pro"_s, u"S"_s}).trimmed();
                    dev.model = dev.model.trimmed();
                    const QDate installed = now.date().addDays(-between(60, 3650));
                    const QDate warranty = installed.addYears(between(1, 3));
                    const QDate contract =
                        chance(0.55) ? warranty.addYears(between(1, 5)) : QDate();
                    dev.warrantyEndMs =
                        std::max(QDateTime(warranty, QTime(0, 0), Qt::UTC).toMSecsSinceEpoch(),
                                 contract.isValid()
                                     ? QDateTime(contract, QTime(0, 0), Qt::UTC).toMSecsSinceEpoch()
                                     : 0);
                    const int r = between(1, 100);
                    const QString status = statuses.at(r <= 86   ? 0
                                                       : r <= 92 ? 1
                                                       : r <= 95 ? 2
                                                       : r <= 98 ? 3
                                                                 : 4);
                    const QString room =
                        QString::number(between(0, 6)) + u'.' + QString::number(between(1, 60));
                    const qint64 created =
                        QDateTime(installed, QTime(9, 0), Qt::UTC).toMSecsSinceEpoch();
                    ins << makeId(3, quint64(index)) << orgs.at(dev.hospital).id
                        << orgs.at(m.org).id << name << dev.model << dev.serial
                        << Categories.at(dev.category) << dev.department << room
                        << installed.toString(Qt::ISODate) << warranty.toString(Qt::ISODate)
                        << sql::isoDate(contract) << toString(CategoryCriticality[dev.category])
                        << status << QrPayload::generateCode()
                        << QVariant(QMetaType::fromType<QString>())
                        << sql::fold(name + u'\n' + dev.model + u'\n' + dev.serial) << created
                        << created;
                    devices.push_back(std::move(dev));
                }
                ins.flush();
            });
        }
        summary.equipment = qint64(devices.size());
    }

    struct PlannedAssignment
    {
        int engineer;
        int tier;
        QString status;
        QString reason;
        int score;
        qint64 at;
        qint64 endedAt; // 0: open
    };

    // An engineer who may take this job, with the tier it comes under; -1 when none.
    std::pair<int, int> chooseEngineer(const Device &dev, int requiredLevel, int avoid)
    {
        static const std::vector<int> none;
        const auto tieredIt = tierIndex.constFind(dev.manufacturer * CategoryCount + dev.category);
        const std::vector<int> &tiered = tieredIt == tierIndex.cend() ? none : *tieredIt;
        const auto bmeIt = bmeByHospital.constFind(dev.hospital);
        const std::vector<int> &bme = bmeIt == bmeByHospital.cend() ? none : *bmeIt;
        const auto fits = [&](int e) {
            const Eng &eng = engineers.at(size_t(e));
            return e != avoid && eng.level >= requiredLevel &&
                   eng.manufacturers.contains(dev.manufacturer) &&
                   eng.categories.contains(dev.category);
        };
        const bool tryBmeFirst = chance(0.4);
        for (int round = 0; round < 2; ++round) {
            const std::vector<int> &pool = (round == 0) == tryBmeFirst ? bme : tiered;
            if (pool.empty())
                continue;
            for (int attempt = 0; attempt < 12; ++attempt) {
                const int e = pool.at(rng.bounded(int(pool.size())));
                if (fits(e))
                    return {e, tierOf(e, dev)};
            }
        }
        return {-1, 0};
    }

    int tierOf(int e, const Device &dev) const
    {
        const Org &org = orgs.at(engineers.at(size_t(e)).org);
        switch (org.type) {
        case OrganizationType::Manufacturer:
            return 1;
        case OrganizationType::AuthorizedPartner:
            return 2;
        case OrganizationType::ServiceProvider:
            return 3;
        case OrganizationType::Hospital:
            break;
        }
        Q_UNUSED(dev);
        return 4;
    }

    void writeTickets(const DatasetShape &shape, const DatasetBuilder::BatchRunner &runBatch,
                      SeedSummary &summary)
    {
        if (devices.empty() || shape.tickets <= 0)
            return;
        // Creation times first, sorted, so ticket numbers follow time within each year.
        std::vector<std::pair<qint64, int>> created;
        created.reserve(size_t(shape.tickets));
        for (int i = 0; i < shape.tickets; ++i) {
            // More tickets in recent weeks than long ago (the data set grows).
            const double u = rng.generateDouble();
            const qint64 age = qint64(std::pow(u, 1.3) * double(shape.historyDays) * DayMs);
            created.emplace_back(nowMs - age - between(1, 59) * MinuteMs,
                                 int(rng.bounded(int(devices.size()))));
        }
        std::sort(created.begin(), created.end());

        const QJsonObject problems = catalog.value(u"problems").toObject();
        QHash<int, qint64> sequences;
        const QStringList channels = {u"desk"_s, u"qr_scan"_s, u"whatsapp"_s, u"api"_s};

        constexpr int Batch = 20000;
        qint64 assignmentCount = 0;
        qint64 historyCount = 0;
        for (int start = 0; start < int(created.size()); start += Batch) {
            runBatch([&] {
                BulkInserter ins(db, QStringLiteral("tickets"),
                                 {u"id"_s,
                                  u"number"_s,
                                  u"equipment_id"_s,
                                  u"organization_id"_s,
                                  u"reporter_name"_s,
                                  u"reporter_contact"_s,
                                  u"reporter_user_id"_s,
                                  u"channel"_s,
                                  u"priority"_s,
                                  u"status"_s,
                                  u"title"_s,
                                  u"description"_s,
                                  u"search_text"_s,
                                  u"assigned_engineer_id"_s,
                                  u"assigned_tier"_s,
                                  u"created_at"_s,
                                  u"updated_at"_s,
                                  u"assigned_at"_s,
                                  u"resolved_at"_s,
                                  u"closed_at"_s,
                                  u"response_due_at"_s,
                                  u"resolution_due_at"_s});
                BulkInserter asg(db, QStringLiteral("assignments"),
                                 {u"id"_s, u"ticket_id"_s, u"engineer_id"_s, u"tier"_s, u"status"_s,
                                  u"assigned_by"_s, u"reason"_s, u"match_score"_s, u"assigned_at"_s,
                                  u"ended_at"_s});
                asg.setParent(&ins);
                BulkInserter hist(db, QStringLiteral("ticket_history"),
                                  {u"id"_s, u"ticket_id"_s, u"kind"_s, u"at"_s, u"actor"_s,
                                   u"from_status"_s, u"to_status"_s, u"note"_s});
                hist.setParent(&ins);
                const QVariant noStatus(QMetaType::fromType<QString>());
                // One line of a ticket's life, as the server writes it (migration 0002).
                const auto history = [&](const QString &ticketId, const QString &kind, qint64 at,
                                         const QString &actor, const QVariant &from,
                                         const QString &to, const QString &note) {
                    hist << makeId(6, quint64(historyCount++)) << ticketId << kind << at << actor
                         << from << to << sql::text(note);
                };
                struct Pending
                {
                    QString ticketId;
                    QList<PlannedAssignment> list;
                };
                std::vector<Pending> pending;
                const int end = std::min(int(created.size()), start + Batch);
                for (int i = start; i < end; ++i) {
                    const auto [createdMs, deviceIndex] = created.at(size_t(i));
                    const Device &dev = devices.at(size_t(deviceIndex));
                    const QString ticketId = makeId(4, quint64(i));
                    const int pr = between(1, 100);
                    const Priority priority = pr <= 8    ? Priority::Critical
                                              : pr <= 30 ? Priority::High
                                              : pr <= 80 ? Priority::Normal
                                                         : Priority::Low;
                    const int level = int(requiredLevel(priority));
                    const qint64 age = nowMs - createdMs;

                    // Intended outcome by age; the timeline below may cut it short.
                    TicketStatus target;
                    const int r = between(1, 100);
                    if (age > 14 * DayMs)
                        target = r <= 72   ? TicketStatus::Closed
                                 : r <= 82 ? TicketStatus::Resolved
                                 : r <= 90 ? TicketStatus::Cancelled
                                 : r <= 95 ? TicketStatus::OnHold
                                           : TicketStatus::InProgress;
                    else if (age > 2 * DayMs)
                        target = r <= 30   ? TicketStatus::Resolved
                                 : r <= 50 ? TicketStatus::Closed
                                 : r <= 70 ? TicketStatus::InProgress
                                 : r <= 78 ? TicketStatus::OnHold
                                 : r <= 90 ? TicketStatus::Assigned
                                 : r <= 94 ? TicketStatus::Cancelled
                                           : TicketStatus::New;
                    else
                        target = r <= 30   ? TicketStatus::New
                                 : r <= 58 ? TicketStatus::Assigned
                                 : r <= 83 ? TicketStatus::InProgress
                                 : r <= 88 ? TicketStatus::OnHold
                                 : r <= 97 ? TicketStatus::Resolved
                                           : TicketStatus::Cancelled;

                    const qint64 respondSpan = priority == Priority::Critical ? 50
                                               : priority == Priority::High   ? 200
                                               : priority == Priority::Normal ? 1200
                                                                              : 4000;
                    const qint64 fixSpan = priority == Priority::Critical ? 10
                                           : priority == Priority::High   ? 30
                                           : priority == Priority::Normal ? 96
                                                                          : 200;
                    QList<PlannedAssignment> plan;
                    TicketStatus status = target;
                    qint64 assignedAt = 0, resolvedAt = 0, closedAt = 0, updated = createdMs;
                    const bool cancelledBeforeAssignment =
                        target == TicketStatus::Cancelled && chance(0.5);
                    if (target != TicketStatus::New && !cancelledBeforeAssignment) {
                        qint64 t = createdMs + between(3, int(respondSpan)) * MinuteMs;
                        const int reassignments = chance(0.15) ? (chance(0.25) ? 2 : 1) : 0;
                        int previous = -1;
                        for (int k = 0; k <= reassignments && t < nowMs; ++k) {
                            const auto [e, tier] = chooseEngineer(dev, level, previous);
                            if (e < 0)
                                break;
                            if (!plan.isEmpty()) {
                                plan.last().status = u"reassigned"_s;
                                plan.last().endedAt = t;
                            }
                            const int base = tier == 1 ? 70 : tier == 2 ? 62 : tier == 3 ? 55 : 48;
                            plan.append({e, tier, u"active"_s,
                                         plan.isEmpty() ? QString() : pick(reasons),
                                         std::min(100, base + between(0, 28)), t, 0});
                            if (k == 0)
                                assignedAt = t;
                            previous = e;
                            updated = t;
                            t += between(20, 600) * MinuteMs;
                        }
                        if (plan.isEmpty()) {
                            status = target == TicketStatus::Cancelled ? TicketStatus::Cancelled
                                                                       : TicketStatus::New;
                            if (status == TicketStatus::Cancelled)
                                updated = std::min(nowMs, createdMs + between(10, 300) * MinuteMs);
                        } else if (target == TicketStatus::Resolved ||
                                   target == TicketStatus::Closed) {
                            resolvedAt = plan.last().at + between(30, int(fixSpan * 60)) * MinuteMs;
                            if (resolvedAt >= nowMs) {
                                resolvedAt = 0;
                                status = TicketStatus::InProgress;
                            } else {
                                plan.last().status = u"completed"_s;
                                plan.last().endedAt = resolvedAt;
                                updated = resolvedAt;
                                status = TicketStatus::Resolved;
                                if (target == TicketStatus::Closed) {
                                    closedAt = resolvedAt + between(60, 72 * 60) * MinuteMs;
                                    if (closedAt < nowMs) {
                                        status = TicketStatus::Closed;
                                        updated = closedAt;
                                    } else {
                                        closedAt = 0;
                                    }
                                }
                            }
                        } else if (target == TicketStatus::Cancelled) {
                            const qint64 at = std::min(
                                nowMs - MinuteMs, plan.last().at + between(10, 600) * MinuteMs);
                            plan.last().status = u"cancelled"_s;
                            plan.last().endedAt = std::max(at, plan.last().at);
                            updated = plan.last().endedAt;
                        } else {
                            updated = std::min(nowMs - MinuteMs,
                                               plan.last().at + between(5, 300) * MinuteMs);
                            updated = std::max(updated, plan.last().at);
                        }
                    } else if (target == TicketStatus::Cancelled) {
                        updated = std::min(nowMs, createdMs + between(10, 300) * MinuteMs);
                    }

                    const QDateTime createdAt = QDateTime::fromMSecsSinceEpoch(createdMs, Qt::UTC);
                    const int year = createdAt.date().year();
                    const qint64 sequence = ++sequences[year];
                    const QString number = formatTicketNumber(year, sequence);
                    const QJsonArray problemList =
                        problems.value(Categories.at(dev.category)).toArray();
                    const QString title =
                        problemList.isEmpty()
                            ? u"Device fault"_s
                            : problemList.at(rng.bounded(int(problemList.size()))).toString();
                    const QString reporter = pick(firstNames) + u' ' + pick(lastNames);
                    const Org &hospital = orgs.at(dev.hospital);
                    const QString description =
                        title + u" on " + dev.model + u" (S/N " + dev.serial + u"), " +
                        dev.department + u". " +
                        pick(QList<QString>{
                            u"Device taken out of service until checked."_s,
                            u"Intermittent, happened twice this shift."_s,
                            u"Error code shown on the display; photo attached."_s,
                            u"Workaround in place, please come as soon as possible."_s,
                            u"Patients moved to another unit."_s});
                    const bool active = !plan.isEmpty() && plan.last().status == u"active";
                    const PlannedAssignment *current = active ? &plan.last() : nullptr;
                    const QVariant nullText(QMetaType::fromType<QString>());
                    const QVariant nullInt(QMetaType::fromType<qlonglong>());
                    const auto ms = [&](qint64 v) { return v ? QVariant(v) : nullInt; };
                    const QString channel = channels.at(between(1, 100) <= 45 ? 0 : between(1, 3));
                    ins << ticketId << number << makeId(3, quint64(deviceIndex)) << hospital.id
                        << reporter << phone(hospital.country) << nullText << channel
                        << toString(priority) << toString(status) << title << description
                        << sql::fold(number + u'\n' + title + u'\n' + description)
                        << (current ? QVariant(makeId(2, quint64(current->engineer))) : nullText)
                        << (current ? QVariant(current->tier) : nullInt) << createdMs << updated
                        << ms(assignedAt) << ms(resolvedAt) << ms(closedAt)
                        << SlaPolicy::responseDue(priority, createdAt).toMSecsSinceEpoch()
                        << SlaPolicy::resolutionDue(priority, createdAt).toMSecsSinceEpoch();
                    if (!plan.isEmpty())
                        pending.push_back({ticketId, plan});

                    history(ticketId, u"created"_s, createdMs, reporter, noStatus, u"new"_s,
                            u"via "_s + channel);
                    QString was = u"new"_s;
                    for (int k = 0; k < plan.size(); ++k) {
                        const PlannedAssignment &a = plan.at(k);
                        history(ticketId, k == 0 ? u"assigned"_s : u"reassigned"_s, a.at,
                                a.tier == 4 ? u"bme-coordinator"_s : u"dispatcher"_s, was,
                                u"assigned"_s, a.reason);
                        was = u"assigned"_s;
                    }
                    const QString final = toString(status);
                    if (resolvedAt) {
                        history(ticketId, u"status_changed"_s, resolvedAt, u"engineer"_s, was,
                                u"resolved"_s, QString());
                        was = u"resolved"_s;
                    }
                    if (closedAt)
                        history(ticketId, u"status_changed"_s, closedAt, u"dispatcher"_s, was,
                                u"closed"_s, QString());
                    else if (final != was && final != u"resolved"_s)
                        history(ticketId, u"status_changed"_s, updated, u"dispatcher"_s, was, final,
                                QString());
                }
                ins.flush();
                for (const Pending &p : pending) {
                    for (const PlannedAssignment &a : p.list) {
                        asg << makeId(5, quint64(assignmentCount++)) << p.ticketId
                            << makeId(2, quint64(a.engineer)) << a.tier << a.status
                            << QVariant(a.tier == 4 ? u"bme-coordinator"_s : u"dispatcher"_s)
                            << sql::text(a.reason) << a.score << a.at
                            << (a.endedAt ? QVariant(a.endedAt)
                                          : QVariant(QMetaType::fromType<qlonglong>()));
                    }
                }
                asg.flush();
                hist.flush();
            });
        }
        runBatch([&] {
            // Continue numbering after the generated tickets.
            const QString upsert =
                db.backend() == Backend::Sqlite
                    ? QStringLiteral(
                          "INSERT INTO ticket_sequences (year, last_value) VALUES (?, ?) "
                          "ON CONFLICT (year) DO UPDATE SET last_value = "
                          "MAX(ticket_sequences.last_value, excluded.last_value)")
                    : QStringLiteral(
                          "INSERT INTO ticket_sequences (year, last_value) VALUES (?, ?) "
                          "ON CONFLICT (year) DO UPDATE SET last_value = "
                          "GREATEST(ticket_sequences.last_value, excluded.last_value)");
            for (auto it = sequences.begin(); it != sequences.end(); ++it) {
                sql::Query q(db, upsert);
                q.bind(it.key()).bind(it.value()).exec();
            }
        });
        summary.tickets = qint64(created.size());
        summary.assignments = assignmentCount;
    }
};

DatasetBuilder::DatasetBuilder(Database &db, quint32 seed, QDateTime now)
    : d(std::make_unique<Private>(db, seed, std::move(now)))
{}

DatasetBuilder::~DatasetBuilder() = default;

SeedSummary DatasetBuilder::build(const DatasetShape &shape, const BatchRunner &runBatch)
{
    d->orderedIds = shape.orderedIds;
    d->loadCatalog();
    d->buildOrganizations(shape);
    d->planEngineers(shape);
    SeedSummary summary;
    d->writeOrganizations(runBatch, summary);
    d->writeEngineers(runBatch, summary);
    d->writeEquipment(shape, runBatch, summary);
    d->writeTickets(shape, runBatch, summary);
    return summary;
}

} // namespace md::storage
