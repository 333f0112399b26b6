#include "suggestionmodel.h"

#include "apiclient.h"
#include "common/badges.h"

#include <QHash>
#include <QJsonArray>
#include <QLocale>
#include <QUrlQuery>
#include <cmath>

using namespace Qt::StringLiterals;

namespace md::ui {

SuggestionModel::SuggestionModel(client::ApiClient *api, QObject *parent)
    : QAbstractListModel(parent), m_api(api)
{}

SuggestionModel::~SuggestionModel() = default;

void SuggestionModel::load(const QString &ticketId)
{
    if (ticketId != m_ticketId && !m_rows.isEmpty()) {
        // Another ticket's engineers must never stay on screen under this one's header.
        beginResetModel();
        m_rows.clear();
        m_total = 0;
        m_requiredLevel.clear();
        endResetModel();
    }
    m_ticketId = ticketId;
    ++m_request; // whatever is still under way answers for another ticket
    setLoading(false);
    reload();
}

void SuggestionModel::reload()
{
    if (!m_api || m_ticketId.isEmpty())
        return;
    const quint64 request = ++m_request;
    setLoading(true);
    QUrlQuery query;
    query.addQueryItem(u"ticket_id"_s, m_ticketId);
    query.addQueryItem(u"limit"_s, u"50"_s);
    m_api->get(u"/v1/engineers/suggestions"_s, query, this,
               [this, request](const client::ApiResult &result) {
                   if (request != m_request)
                       return; // a newer load is under way
                   apply(result);
               });
}

void SuggestionModel::apply(const client::ApiResult &result)
{
    setLoading(false);
    if (!result.ok()) {
        Q_EMIT failed(result.error);
        return;
    }
    beginResetModel();
    m_rows = parse(result.json);
    m_total = result.json.value(u"page"_s).toObject().value(u"total"_s).toInt(int(m_rows.size()));
    m_requiredLevel = result.json.value(u"required_level"_s).toString();
    endResetModel();
    Q_EMIT loaded();
}

void SuggestionModel::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    Q_EMIT loadingChanged(loading);
}

void SuggestionModel::setCurrentEngineerId(const QString &engineerId)
{
    if (m_currentEngineerId == engineerId)
        return;
    const int before = rowOf(m_currentEngineerId);
    m_currentEngineerId = engineerId;
    const int after = rowOf(engineerId);
    for (int row : {before, after}) {
        if (row >= 0)
            Q_EMIT dataChanged(index(row), index(row));
    }
}

const SuggestionModel::Suggestion *SuggestionModel::suggestionAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr;
}

int SuggestionModel::rowOf(const QString &engineerId) const
{
    if (engineerId.isEmpty())
        return -1;
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).engineerId == engineerId)
            return int(i);
    }
    return -1;
}

QList<SuggestionModel::Suggestion> SuggestionModel::parse(const QJsonObject &body)
{
    QList<Suggestion> rows;
    const QJsonArray data = body.value(u"data"_s).toArray();
    rows.reserve(data.size());
    for (const QJsonValue &value : data) {
        const QJsonObject item = value.toObject();
        const QJsonObject engineer = item.value(u"engineer"_s).toObject();
        Suggestion s;
        s.engineerId = engineer.value(u"id"_s).toString();
        if (s.engineerId.isEmpty())
            continue;
        s.json = item;
        s.name = engineer.value(u"name"_s).toString();
        s.score = item.value(u"match_score"_s).toInt();
        s.tier = domain::parseAssignmentTier(item.value(u"assignment_tier"_s).toInt())
                     .value_or(domain::AssignmentTier::HospitalBme);
        s.level = domain::parseEngineerLevel(engineer.value(u"level"_s).toString())
                      .value_or(domain::EngineerLevel::L1);
        s.recommended = item.value(u"recommended"_s).toBool();
        s.breakdown = item.value(u"score_breakdown"_s).toObject();
        // The engine's own verdict: its certification points are given exactly when a
        // certification valid today covers the ticket's manufacturer and category.
        s.certified = s.breakdown.value(u"certification"_s).toInt() > 0;
        const QJsonObject organization = engineer.value(u"organization"_s).toObject();
        s.organizationName = organization.value(u"name"_s).toString();
        s.organizationType = organization.value(u"type"_s).toString();
        const QJsonObject location = engineer.value(u"location"_s).toObject();
        if (location.contains(u"latitude"_s) && location.contains(u"longitude"_s)) {
            s.latitude = location.value(u"latitude"_s).toDouble();
            s.longitude = location.value(u"longitude"_s).toDouble();
        }
        if (s.breakdown.value(u"distance_km"_s).isDouble())
            s.distanceKm = s.breakdown.value(u"distance_km"_s).toDouble();
        s.phone = engineer.value(u"phone"_s).toString();
        s.email = engineer.value(u"email"_s).toString();
        for (const QJsonValue &category : engineer.value(u"categories"_s).toArray())
            s.categories.append(category.toString());
        s.openAssignments = engineer.value(u"open_assignments"_s).toInt();
        rows.append(s);
    }
    return rows;
}

QString SuggestionModel::categoryLabel(const QString &category)
{
    static const QHash<QString, const char *> labels{
        {u"mri"_s, QT_TR_NOOP("MRI")},
        {u"ct"_s, QT_TR_NOOP("CT")},
        {u"xray"_s, QT_TR_NOOP("X-ray")},
        {u"ultrasound"_s, QT_TR_NOOP("Ultrasound")},
        {u"ventilator"_s, QT_TR_NOOP("Ventilator")},
        {u"patient_monitor"_s, QT_TR_NOOP("Patient monitor")},
        {u"infusion_pump"_s, QT_TR_NOOP("Infusion pump")},
        {u"defibrillator"_s, QT_TR_NOOP("Defibrillator")},
        {u"dialysis"_s, QT_TR_NOOP("Dialysis")},
        {u"anesthesia"_s, QT_TR_NOOP("Anesthesia")},
        {u"ecg"_s, QT_TR_NOOP("ECG")},
        {u"lab_analyzer"_s, QT_TR_NOOP("Lab analyzer")},
        {u"mammography"_s, QT_TR_NOOP("Mammography")},
        {u"c_arm"_s, QT_TR_NOOP("C-arm")},
        {u"endoscopy"_s, QT_TR_NOOP("Endoscopy")},
        {u"incubator"_s, QT_TR_NOOP("Incubator")},
    };
    if (const char *label = labels.value(category))
        return tr(label);
    QString text = category;
    text.replace(u'_', u' ');
    return text;
}

QString SuggestionModel::locationText(const Suggestion &s)
{
    const QLocale locale;
    if (s.distanceKm)
        return tr("%1 km from the hospital").arg(locale.toString(*s.distanceKm, 'f', 1));
    if (s.latitude && s.longitude) {
        return tr("%1° %2, %3° %4")
            .arg(locale.toString(std::abs(*s.latitude), 'f', 2),
                 *s.latitude >= 0 ? tr("N") : tr("S"),
                 locale.toString(std::abs(*s.longitude), 'f', 2),
                 *s.longitude >= 0 ? tr("E") : tr("W"));
    }
    return tr("Location unknown");
}

QString SuggestionModel::openAssignmentsText(int count)
{
    // Singular and plural spelled out: without a loaded translator "%n ...(s)" would show
    // the "(s)" to English users.
    return count == 1 ? tr("1 open assignment") : tr("%1 open assignments").arg(count);
}

QString SuggestionModel::summary(const Suggestion &s, bool current)
{
    QStringList parts{s.name};
    if (s.recommended)
        parts << tr("recommended");
    if (current)
        parts << tr("assigned now");
    parts << tr("match score %1").arg(matchScoreBadge(s.score).text) << levelBadge(s.level).text
          << tierBadge(s.tier).text
          << (s.certified ? tr("certified for this equipment") : tr("not certified"));
    if (!s.organizationName.isEmpty())
        parts << s.organizationName;
    parts << locationText(s) << openAssignmentsText(s.openAssignments);
    return parts.join(u", "_s);
}

int SuggestionModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant SuggestionModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Suggestion &s = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return s.name;
    case Qt::AccessibleTextRole:
        return summary(s, s.engineerId == m_currentEngineerId);
    case Qt::ToolTipRole: {
        QStringList lines{s.name};
        if (!s.phone.isEmpty())
            lines << s.phone;
        if (!s.email.isEmpty())
            lines << s.email;
        return lines.join(u'\n');
    }
    case EngineerIdRole:
        return s.engineerId;
    case ScoreRole:
        return s.score;
    case TierRole:
        return int(s.tier);
    case LevelRole:
        return int(s.level);
    case CertifiedRole:
        return s.certified;
    case RecommendedRole:
        return s.recommended;
    case CurrentRole:
        return !m_currentEngineerId.isEmpty() && s.engineerId == m_currentEngineerId;
    case OrganizationRole:
        return s.organizationName;
    case OrganizationTypeRole:
        return s.organizationType;
    case LocationRole:
        return locationText(s);
    case PhoneRole:
        return s.phone;
    case EmailRole:
        return s.email;
    case ContactRole: {
        QStringList contact;
        if (!s.phone.isEmpty())
            contact << s.phone;
        if (!s.email.isEmpty())
            contact << s.email;
        return contact.isEmpty() ? tr("No contact details") : contact.join(u"  ·  "_s);
    }
    case CategoriesRole: {
        QStringList labels;
        for (const QString &category : s.categories)
            labels << categoryLabel(category);
        return labels;
    }
    case OpenAssignmentsRole:
        return s.openAssignments;
    case BreakdownRole:
        return s.breakdown;
    case JsonRole:
        return s.json;
    default:
        return {};
    }
}

QHash<int, QByteArray> SuggestionModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(EngineerIdRole, "engineerId");
    names.insert(NameRole, "name");
    names.insert(ScoreRole, "score");
    names.insert(TierRole, "tier");
    names.insert(LevelRole, "level");
    names.insert(CertifiedRole, "certified");
    names.insert(RecommendedRole, "recommended");
    names.insert(CurrentRole, "current");
    names.insert(OrganizationRole, "organization");
    names.insert(OrganizationTypeRole, "organizationType");
    names.insert(LocationRole, "location");
    names.insert(PhoneRole, "phone");
    names.insert(EmailRole, "email");
    names.insert(ContactRole, "contact");
    names.insert(CategoriesRole, "categories");
    names.insert(OpenAssignmentsRole, "openAssignments");
    names.insert(BreakdownRole, "breakdown");
    names.insert(JsonRole, "json");
    return names;
}

} // namespace md::ui
