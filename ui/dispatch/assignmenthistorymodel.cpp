#include "assignmenthistorymodel.h"

#include "apiclient.h"
#include "common/badges.h"

#include <QJsonArray>
#include <QLocale>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace md::ui {

namespace {

QDateTime parseTime(const QJsonValue &value)
{
    if (!value.isString())
        return {};
    QDateTime t = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(value.toString(), Qt::ISODate);
    return t;
}

QString localTime(const QDateTime &t)
{
    return QLocale().toString(t.toLocalTime(), QLocale::ShortFormat);
}

} // namespace

AssignmentHistoryModel::AssignmentHistoryModel(client::ApiClient *api, QObject *parent)
    : QAbstractListModel(parent), m_api(api)
{}

AssignmentHistoryModel::~AssignmentHistoryModel() = default;

void AssignmentHistoryModel::load(const QString &ticketId)
{
    if (ticketId != m_ticketId) {
        m_hasLoaded = false;
        if (!m_rows.isEmpty()) {
            beginResetModel();
            m_rows.clear();
            m_summary = {};
            endResetModel();
        }
    }
    m_ticketId = ticketId;
    ++m_request; // whatever is still under way answers for another ticket
    setLoading(false);
    reload();
}

void AssignmentHistoryModel::reload()
{
    if (!m_api || m_ticketId.isEmpty())
        return;
    const quint64 request = ++m_request;
    setLoading(true);
    m_api->get(u"/v1/tickets/"_s + m_ticketId + u"/assignments/history"_s, {}, this,
               [this, request](const client::ApiResult &result) {
                   if (request != m_request)
                       return; // a newer load is under way
                   apply(result);
               });
}

void AssignmentHistoryModel::apply(const client::ApiResult &result)
{
    setLoading(false);
    if (!result.ok()) {
        Q_EMIT failed(result.error);
        return;
    }
    beginResetModel();
    m_rows = parse(result.json);
    m_summary = parseSummary(result.json);
    endResetModel();
    m_hasLoaded = true;
    Q_EMIT loaded();
}

void AssignmentHistoryModel::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    Q_EMIT loadingChanged(loading);
}

const AssignmentHistoryModel::Entry *AssignmentHistoryModel::entryAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr;
}

QList<AssignmentHistoryModel::Entry> AssignmentHistoryModel::parse(const QJsonObject &body)
{
    QList<Entry> rows;
    const QJsonArray data = body.value(u"data"_s).toArray();
    rows.reserve(data.size());
    for (const QJsonValue &value : data) {
        const QJsonObject item = value.toObject();
        Entry e;
        e.id = item.value(u"id"_s).toString();
        const auto status = domain::parseAssignmentStatus(item.value(u"status"_s).toString());
        if (e.id.isEmpty() || !status)
            continue;
        e.status = *status;
        e.statusName = item.value(u"status"_s).toString();
        const QJsonObject engineer = item.value(u"engineer"_s).toObject();
        e.engineerId = engineer.value(u"id"_s).toString(item.value(u"engineer_id"_s).toString());
        e.engineerName = engineer.value(u"name"_s).toString();
        if (const auto level = domain::parseEngineerLevel(engineer.value(u"level"_s).toString()))
            e.engineerLevel = int(*level);
        e.organizationName = engineer.value(u"organization_name"_s).toString();
        e.tier = domain::parseAssignmentTier(item.value(u"assignment_tier"_s).toInt())
                     .value_or(domain::AssignmentTier::HospitalBme);
        e.assignedAt = parseTime(item.value(u"assigned_at"_s));
        e.endedAt = parseTime(item.value(u"ended_at"_s));
        e.assignedBy = item.value(u"assigned_by"_s).toString();
        e.assignedByName = item.value(u"assigned_by_name"_s).toString();
        e.reason = item.value(u"reason"_s).toString();
        if (item.value(u"match_score"_s).isDouble())
            e.matchScore = item.value(u"match_score"_s).toInt();
        rows.append(e);
    }
    return rows;
}

AssignmentHistoryModel::Summary AssignmentHistoryModel::parseSummary(const QJsonObject &body)
{
    const QJsonObject s = body.value(u"summary"_s).toObject();
    Summary summary;
    summary.total = s.value(u"total"_s).toInt();
    summary.active = s.value(u"active"_s).toInt();
    summary.completed = s.value(u"completed"_s).toInt();
    summary.reassigned = s.value(u"reassigned"_s).toInt();
    summary.cancelled = s.value(u"cancelled"_s).toInt();
    return summary;
}

QString AssignmentHistoryModel::summaryText() const
{
    QStringList parts{m_summary.total == 1 ? tr("1 assignment")
                                           : tr("%1 assignments").arg(m_summary.total)};
    if (m_summary.active > 0)
        parts << tr("%1 active").arg(m_summary.active);
    if (m_summary.completed > 0)
        parts << tr("%1 completed").arg(m_summary.completed);
    if (m_summary.reassigned > 0)
        parts << tr("%1 reassigned").arg(m_summary.reassigned);
    if (m_summary.cancelled > 0)
        parts << tr("%1 cancelled").arg(m_summary.cancelled);
    return parts.join(u" · "_s);
}

QString AssignmentHistoryModel::assignedByText(const Entry &e) const
{
    if (e.assignedBy.isEmpty())
        return {};
    if (!m_currentUserId.isEmpty() && e.assignedBy == m_currentUserId)
        return tr("by you");
    if (!e.assignedByName.isEmpty())
        return tr("by %1").arg(e.assignedByName);
    // A user that no longer exists: the start of the id still tells two dispatchers apart.
    if (!QUuid::fromString(e.assignedBy).isNull())
        return tr("by user %1").arg(e.assignedBy.left(8));
    QString actor = e.assignedBy;
    actor.replace(u'-', u' ').replace(u'_', u' ');
    return tr("by %1").arg(actor);
}

QString AssignmentHistoryModel::timesText(const Entry &e)
{
    QString text =
        e.assignedAt.isValid() ? tr("Assigned %1").arg(localTime(e.assignedAt)) : tr("Assigned");
    if (e.endedAt.isValid())
        text += u" · "_s + tr("ended %1").arg(localTime(e.endedAt));
    return text;
}

int AssignmentHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant AssignmentHistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &e = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case EngineerNameRole:
        return e.engineerName.isEmpty() ? tr("Unknown engineer") : e.engineerName;
    case Qt::AccessibleTextRole: {
        QStringList parts{assignmentStatusBadge(e.status).text,
                          e.engineerName.isEmpty() ? tr("Unknown engineer") : e.engineerName};
        if (!e.organizationName.isEmpty())
            parts << e.organizationName;
        parts << tierBadge(e.tier).text;
        if (e.matchScore >= 0)
            parts << tr("match score %1").arg(matchScoreBadge(e.matchScore).text);
        parts << timesText(e);
        if (!e.assignedBy.isEmpty())
            parts << assignedByText(e);
        if (!e.reason.isEmpty())
            parts << tr("reason: %1").arg(e.reason);
        return parts.join(u", "_s);
    }
    case Qt::ToolTipRole:
        return e.reason.isEmpty() ? QVariant() : QVariant(tr("Reason: %1").arg(e.reason));
    case AssignmentIdRole:
        return e.id;
    case EngineerIdRole:
        return e.engineerId;
    case EngineerLevelRole:
        return e.engineerLevel;
    case OrganizationRole:
        return e.organizationName;
    case TierRole:
        return int(e.tier);
    case StatusRole:
        return int(e.status);
    case StatusNameRole:
        return e.statusName;
    case AssignedAtRole:
        return e.assignedAt;
    case EndedAtRole:
        return e.endedAt;
    case AssignedByRole:
        return e.assignedBy;
    case AssignedByTextRole:
        return assignedByText(e);
    case ReasonRole:
        return e.reason;
    case MatchScoreRole:
        return e.matchScore;
    case TimesTextRole:
        return timesText(e);
    default:
        return {};
    }
}

QHash<int, QByteArray> AssignmentHistoryModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(AssignmentIdRole, "assignmentId");
    names.insert(EngineerIdRole, "engineerId");
    names.insert(EngineerNameRole, "engineerName");
    names.insert(EngineerLevelRole, "engineerLevel");
    names.insert(OrganizationRole, "organization");
    names.insert(TierRole, "tier");
    names.insert(StatusRole, "status");
    names.insert(StatusNameRole, "statusName");
    names.insert(AssignedAtRole, "assignedAt");
    names.insert(EndedAtRole, "endedAt");
    names.insert(AssignedByRole, "assignedBy");
    names.insert(AssignedByTextRole, "assignedByText");
    names.insert(ReasonRole, "reason");
    names.insert(MatchScoreRole, "matchScore");
    names.insert(TimesTextRole, "timesText");
    return names;
}

} // namespace md::ui
