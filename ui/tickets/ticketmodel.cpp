#include "ticketmodel.h"

#include "api/codecs.h"
#include "apiclient.h"
#include "common/badges.h"

#include <QFutureWatcher>
#include <QJsonDocument>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;
using namespace md::domain;

namespace md::ui {

namespace {

// Howard Hinnant's days_from_civil: days since 1970-01-01 of a proleptic Gregorian date.
constexpr qint64 daysFromCivil(int y, unsigned m, unsigned d)
{
    y -= m <= 2 ? 1 : 0;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return qint64(era) * 146097 + qint64(doe) - 719468;
}

bool digits(QStringView s, qsizetype from, qsizetype count, int *value)
{
    int v = 0;
    for (qsizetype i = from; i < from + count; ++i) {
        const char16_t c = s[i].unicode();
        if (c < u'0' || c > u'9')
            return false;
        v = v * 10 + (c - u'0');
    }
    *value = v;
    return true;
}

TicketModel::Sla parseSla(const QJsonValue &value)
{
    const QString s = value.toString();
    if (s == "breached"_L1)
        return TicketModel::Sla::Breached;
    if (s == "at_risk"_L1)
        return TicketModel::Sla::AtRisk;
    if (s == "on_track"_L1)
        return TicketModel::Sla::OnTrack;
    return TicketModel::Sla::None;
}

// Page-local interning: index i + 1 of the list, 0 for none.
quint32 localIndex(QHash<QString, quint32> &index, QStringList &ids, const QString &id)
{
    if (id.isEmpty())
        return 0;
    auto it = index.constFind(id);
    if (it != index.constEnd())
        return *it;
    ids.append(id);
    const auto i = quint32(ids.size());
    index.insert(id, i);
    return i;
}

bool isOpenStatus(quint8 status)
{
    return isOpen(TicketStatus(status));
}

} // namespace

// Times arrive as codecs.cpp timeJson() writes them, "2026-11-23T09:30:00.000Z": read
// that shape directly (100k tickets have 200k times), anything else through
// api::parseTime. 0: no time.
qint64 TicketModel::parseTimeMsecs(const QJsonValue &value)
{
    if (!value.isString())
        return 0;
    const QString text = value.toString();
    const QStringView s(text);
    int y, mo, d, h, mi, sec, ms;
    if (s.size() == 24 && s[4] == u'-' && s[7] == u'-' && s[10] == u'T' && s[13] == u':' &&
        s[16] == u':' && s[19] == u'.' && s[23] == u'Z' && digits(s, 0, 4, &y) &&
        digits(s, 5, 2, &mo) && digits(s, 8, 2, &d) && digits(s, 11, 2, &h) &&
        digits(s, 14, 2, &mi) && digits(s, 17, 2, &sec) && digits(s, 20, 3, &ms) && mo >= 1 &&
        mo <= 12 && d >= 1 && d <= 31 && h < 24 && mi < 60 && sec < 61) {
        const qint64 days = daysFromCivil(y, unsigned(mo), unsigned(d));
        return ((days * 24 + h) * 60 + mi) * 60000 + qint64(sec) * 1000 + ms;
    }
    const QDateTime t = api::parseTime(text);
    return t.isValid() ? t.toMSecsSinceEpoch() : 0;
}

QUrlQuery TicketModel::Filters::query() const
{
    QUrlQuery q;
    if (!status.isEmpty())
        q.addQueryItem(u"status"_s, status);
    if (!priority.isEmpty())
        q.addQueryItem(u"priority"_s, priority);
    if (!organizationId.isEmpty())
        q.addQueryItem(u"organization_id"_s, organizationId);
    if (tier > 0)
        q.addQueryItem(u"tier"_s, QString::number(tier));
    return q;
}

TicketModel::TicketModel(client::ApiClient *api, QObject *parent)
    : QAbstractTableModel(parent), m_api(api)
{
    // Badge words are looked up once: data() runs for every visible cell on every paint.
    for (int i = 0; i < 4; ++i)
        m_priorityText[i] = priorityBadge(Priority(i)).text;
    for (int i = 0; i < 7; ++i)
        m_statusText[i] = ticketStatusBadge(TicketStatus(i)).text;
    m_slaText[int(Sla::OnTrack)] = slaBadge(u"on_track"_s).text;
    m_slaText[int(Sla::AtRisk)] = slaBadge(u"at_risk"_s).text;
    m_slaText[int(Sla::Breached)] = slaBadge(u"breached"_s).text;
}

TicketModel::~TicketModel() = default;

int TicketModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QModelIndex TicketModel::index(int row, int column, const QModelIndex &parent) const
{
    // Without QAbstractTableModel's virtual rowCount()/columnCount() round trip: the
    // proxy creates two indexes per comparison when it sorts 100k rows.
    if (row < 0 || column < 0 || column >= ColumnCount || size_t(row) >= m_rows.size() ||
        parent.isValid())
        return {};
    return createIndex(row, column);
}

int TicketModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

TicketModel::Sla TicketModel::slaState(const Row &row)
{
    if (isOpenStatus(row.status))
        return std::max(row.slaResponse, row.slaResolution);
    if (row.slaResponse == Sla::Breached || row.slaResolution == Sla::Breached)
        return Sla::Breached;
    return Sla::None;
}

QString TicketModel::slaWireName(Sla state)
{
    switch (state) {
    case Sla::OnTrack:
        return u"on_track"_s;
    case Sla::AtRisk:
        return u"at_risk"_s;
    case Sla::Breached:
        return u"breached"_s;
    case Sla::None:
        break;
    }
    return {};
}

QString TicketModel::timeText(qint64 msecs) const
{
    if (msecs == 0)
        return {};
    return m_locale.toString(QDateTime::fromMSecsSinceEpoch(msecs), QLocale::ShortFormat);
}

QVariant TicketModel::display(const Row &row, int column) const
{
    switch (column) {
    case NumberColumn:
        return row.number;
    case TitleColumn:
        return row.title;
    case OrganizationColumn:
        return m_organizations.names.value(qsizetype(row.organization));
    case PriorityColumn:
        return m_priorityText[row.priority & 3];
    case StatusColumn:
        return row.status < 7 ? m_statusText[row.status] : QString();
    case SlaColumn:
        return m_slaText[int(slaState(row))];
    case EngineerColumn:
        return m_engineers.names.value(qsizetype(row.engineer));
    case CreatedColumn:
        return timeText(row.createdMs);
    case UpdatedColumn:
        return timeText(row.updatedMs);
    }
    return {};
}

QVariant TicketModel::sortValue(const Row &row, int column) const
{
    switch (column) {
    case NumberColumn:
        return row.number;
    case TitleColumn:
        return row.title;
    case OrganizationColumn:
        return m_organizations.names.value(qsizetype(row.organization));
    case PriorityColumn:
        return int(row.priority);
    case StatusColumn:
        return int(row.status);
    case SlaColumn:
        return int(slaState(row));
    case EngineerColumn:
        return m_engineers.names.value(qsizetype(row.engineer));
    case CreatedColumn:
        return row.createdMs;
    case UpdatedColumn:
        return row.updatedMs;
    }
    return {};
}

QString TicketModel::toolTip(const Row &row, int column) const
{
    switch (column) {
    case PriorityColumn:
        return tr("Priority: %1").arg(m_priorityText[row.priority & 3]);
    case StatusColumn:
        return tr("Status: %1").arg(display(row, column).toString());
    case SlaColumn: {
        if (row.slaResponse == Sla::None && row.slaResolution == Sla::None)
            return tr("No service-level target applies.");
        const auto word = [this](Sla s) { return s == Sla::None ? tr("none") : m_slaText[int(s)]; };
        return tr("Response: %1 · Resolution: %2")
            .arg(word(row.slaResponse), word(row.slaResolution));
    }
    case CreatedColumn:
    case UpdatedColumn: {
        const qint64 ms = column == CreatedColumn ? row.createdMs : row.updatedMs;
        return ms ? m_locale.toString(QDateTime::fromMSecsSinceEpoch(ms), QLocale::LongFormat)
                  : QString();
    }
    case EngineerColumn:
        return row.engineer ? display(row, column).toString() : tr("No engineer assigned");
    default:
        return display(row, column).toString();
    }
}

QVariant TicketModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows[size_t(index.row())];
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return display(r, column);
    case SortRole:
        return sortValue(r, column);
    case Qt::ToolTipRole:
        return toolTip(r, column);
    case Qt::AccessibleTextRole:
        switch (column) {
        case PriorityColumn:
        case StatusColumn:
            return toolTip(r, column);
        case SlaColumn:
            return slaState(r) == Sla::None ? tr("No SLA")
                                            : tr("SLA: %1").arg(display(r, column).toString());
        default:
            return display(r, column);
        }
    case TicketIdRole:
        return r.id.toString(QUuid::WithoutBraces);
    case NumberRole:
        return r.number;
    case PriorityRole:
        return int(r.priority);
    case StatusRole:
        return int(r.status);
    case SlaStateRole:
        return slaWireName(slaState(r));
    case OrganizationIdRole:
        return m_organizations.ids.value(qsizetype(r.organization));
    case EngineerIdRole:
        return m_engineers.ids.value(qsizetype(r.engineer));
    case CreatedAtRole:
        return r.createdMs ? QDateTime::fromMSecsSinceEpoch(r.createdMs, Qt::UTC) : QDateTime();
    case UpdatedAtRole:
        return r.updatedMs ? QDateTime::fromMSecsSinceEpoch(r.updatedMs, Qt::UTC) : QDateTime();
    default:
        return {};
    }
}

QVariant TicketModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return {};
    switch (section) {
    case NumberColumn:
        return tr("Number");
    case TitleColumn:
        return tr("Title");
    case OrganizationColumn:
        return tr("Organization");
    case PriorityColumn:
        return tr("Priority");
    case StatusColumn:
        return tr("Status");
    case SlaColumn:
        return role == Qt::ToolTipRole ? tr("Service level: the worse of response and "
                                            "resolution while the ticket is open")
                                       : tr("SLA");
    case EngineerColumn:
        return tr("Engineer");
    case CreatedColumn:
        return tr("Created");
    case UpdatedColumn:
        return tr("Updated");
    }
    return {};
}

TicketModel::Page TicketModel::parsePage(const QJsonArray &data)
{
    Page page;
    page.rows.reserve(size_t(data.size()));
    QHash<QString, quint32> organizations;
    QHash<QString, quint32> engineers;
    for (const QJsonValue &value : data) {
        const QJsonObject o = value.toObject();
        Row row;
        row.id = QUuid::fromString(o.value("id"_L1).toString());
        if (row.id.isNull()) {
            ++page.skipped;
            continue;
        }
        row.number = o.value("number"_L1).toString();
        row.title = o.value("title"_L1).toString();
        row.createdMs = parseTimeMsecs(o.value("created_at"_L1));
        row.updatedMs = parseTimeMsecs(o.value("updated_at"_L1));
        row.organization = localIndex(organizations, page.organizationIds,
                                      o.value("organization_id"_L1).toString());
        row.engineer =
            localIndex(engineers, page.engineerIds, o.value("assigned_engineer_id"_L1).toString());
        if (const auto p = parsePriority(o.value("priority"_L1).toString()))
            row.priority = quint8(*p);
        if (const auto s = parseTicketStatus(o.value("status"_L1).toString()))
            row.status = quint8(*s);
        const QJsonObject sla = o.value("sla"_L1).toObject();
        row.slaResponse = parseSla(sla.value("response"_L1));
        row.slaResolution = parseSla(sla.value("resolution"_L1));
        page.rows.push_back(std::move(row));
    }
    return page;
}

TicketModel::Page TicketModel::parsePage(const QByteArray &json)
{
    const QJsonDocument document = QJsonDocument::fromJson(json);
    if (document.isArray())
        return parsePage(document.array());
    return parsePage(document.object().value("data"_L1).toArray());
}

quint32 TicketModel::NameTable::intern(const QString &id)
{
    if (id.isEmpty())
        return 0;
    auto it = index.constFind(id);
    if (it != index.constEnd())
        return *it;
    const auto next = quint32(ids.size());
    ids.append(id);
    names.append(QString());
    index.insert(id, next);
    return next;
}

void TicketModel::appendParsedRows(Page &&page)
{
    if (page.rows.empty())
        return;
    // The page's own interning onto the model's tables: a handful of lookups per page.
    std::vector<quint32> organizations(size_t(page.organizationIds.size()) + 1, 0);
    for (qsizetype i = 0; i < page.organizationIds.size(); ++i)
        organizations[size_t(i) + 1] = m_organizations.intern(page.organizationIds[i]);
    std::vector<quint32> engineers(size_t(page.engineerIds.size()) + 1, 0);
    for (qsizetype i = 0; i < page.engineerIds.size(); ++i)
        engineers[size_t(i) + 1] = m_engineers.intern(page.engineerIds[i]);

    // Tickets already here (a live event came first, or paging by offset shifted under
    // newly created tickets) are updated in place; the rest are appended in one go.
    std::vector<Row> fresh;
    fresh.reserve(page.rows.size());
    for (Row &row : page.rows) {
        row.organization = organizations[row.organization];
        row.engineer = engineers[row.engineer];
        const auto it = m_index.constFind(row.id);
        if (it != m_index.constEnd()) {
            const int at = *it;
            m_rows[size_t(at)] = std::move(row);
            Q_EMIT dataChanged(index(at, 0), index(at, ColumnCount - 1));
        } else {
            fresh.push_back(std::move(row));
        }
    }
    if (fresh.empty())
        return;
    const int first = int(m_rows.size());
    const int last = first + int(fresh.size()) - 1;
    beginInsertRows({}, first, last);
    // Grow the id index geometrically: reserving exactly what each page needs would
    // rehash 100k ids 200 times.
    if (m_index.capacity() < qsizetype(last + 1))
        m_index.reserve(std::max<qsizetype>(qsizetype(m_total), 2 * qsizetype(last + 1)));
    for (Row &row : fresh) {
        m_index.insert(row.id, int(m_rows.size()));
        m_rows.push_back(std::move(row));
    }
    endInsertRows();
}

void TicketModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_rows.shrink_to_fit();
    m_index.clear();
    endResetModel();
}

void TicketModel::setFilters(const Filters &filters)
{
    if (filters == m_filters)
        return;
    m_filters = filters;
    reload();
}

void TicketModel::reload()
{
    ++m_generation; // pages of the previous load are dropped when they arrive
    m_parsed.clear();
    clear();
    m_received = 0;
    m_total = -1;
    m_appendOffset = 0;
    m_failedOffset = -1;
    setLoading(true);
    Q_EMIT progressChanged(0, -1);
    fetchPage(0);
}

void TicketModel::continueLoading()
{
    if (m_loading || m_failedOffset < 0)
        return;
    const int offset = m_failedOffset;
    m_failedOffset = -1;
    setLoading(true);
    fetchPage(offset);
}

void TicketModel::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    Q_EMIT loadingChanged(loading);
}

void TicketModel::fetchPage(int offset)
{
    if (!m_api)
        return;
    QUrlQuery query = m_filters.query();
    query.addQueryItem(u"limit"_s, QString::number(PageSize));
    query.addQueryItem(u"offset"_s, QString::number(offset));
    const quint64 generation = m_generation;
    m_api->get(u"/v1/tickets"_s, query, this,
               [this, generation, offset](const client::ApiResult &result) {
                   pageArrived(generation, offset, result);
               });
}

void TicketModel::pageArrived(quint64 generation, int offset, const client::ApiResult &result)
{
    if (generation != m_generation)
        return;
    if (!result.ok()) {
        m_failedOffset = offset;
        setLoading(false);
        Q_EMIT errorOccurred(result.error);
        return;
    }
    const QJsonArray data = result.json.value("data"_L1).toArray();
    m_total = result.json.value("page"_L1).toObject().value("total"_L1).toInteger(-1);
    const int count = int(data.size());
    if (m_total > 0)
        reserve(m_total); // one allocation for the whole load, no doubling
    const bool last = count == 0 || (m_total >= 0 && offset + count >= m_total);
    // The next request goes out while this page is parsed; pages are appended in order.
    if (!last)
        fetchPage(offset + count);
    auto *watcher = new QFutureWatcher<Page>(this);
    connect(
        watcher, &QFutureWatcher<Page>::finished, this,
        [this, watcher, generation, offset, count, last] {
            watcher->deleteLater();
            pageParsed(generation, offset, Pending{watcher->future().takeResult(), count, last});
        });
    watcher->setFuture(QtConcurrent::run([data] { return TicketModel::parsePage(data); }));
}

void TicketModel::pageParsed(quint64 generation, int offset, Pending pending)
{
    if (generation != m_generation)
        return;
    m_parsed.emplace(offset, std::move(pending));
    bool finished = false;
    for (auto it = m_parsed.find(m_appendOffset); it != m_parsed.end();
         it = m_parsed.find(m_appendOffset)) {
        Pending next = std::move(it->second);
        m_parsed.erase(it);
        m_appendOffset += next.count;
        m_received += next.count - next.page.skipped;
        appendParsedRows(std::move(next.page));
        if (generation != m_generation)
            return; // a slot of rowsInserted started another load
        if (next.last) {
            finished = true;
            break;
        }
    }
    if (finished) {
        m_parsed.clear();
        setLoading(false);
        if (generation != m_generation)
            return;
    }
    Q_EMIT progressChanged(rowCount(), m_total);
    if (finished && generation == m_generation)
        Q_EMIT loadFinished();
}

bool TicketModel::admits(const Row &row) const
{
    if (!m_filters.status.isEmpty()) {
        const QString status = toString(TicketStatus(row.status));
        bool any = false;
        for (const auto part : QStringView(m_filters.status).tokenize(u','))
            any = any || part.trimmed() == status;
        if (!any)
            return false;
    }
    if (!m_filters.priority.isEmpty() && toString(Priority(row.priority)) != m_filters.priority)
        return false;
    if (!m_filters.organizationId.isEmpty() &&
        m_organizations.ids.value(qsizetype(row.organization)) != m_filters.organizationId)
        return false;
    return true;
}

void TicketModel::removeRow(int at)
{
    beginRemoveRows({}, at, at);
    m_index.remove(m_rows[size_t(at)].id);
    m_rows.erase(m_rows.begin() + at);
    for (size_t i = size_t(at); i < m_rows.size(); ++i)
        m_index[m_rows[i].id] = int(i);
    endRemoveRows();
}

bool TicketModel::applyTicket(const QJsonObject &ticket)
{
    Page page = parsePage(QJsonArray{ticket});
    if (page.rows.empty())
        return false;
    Row row = std::move(page.rows.front());
    row.organization =
        row.organization ? m_organizations.intern(page.organizationIds[row.organization - 1]) : 0;
    row.engineer = row.engineer ? m_engineers.intern(page.engineerIds[row.engineer - 1]) : 0;
    const auto it = m_index.constFind(row.id);
    if (it != m_index.constEnd()) {
        const int at = *it;
        if (!admits(row)) {
            removeRow(at);
            return true;
        }
        m_rows[size_t(at)] = std::move(row);
        Q_EMIT dataChanged(index(at, 0), index(at, ColumnCount - 1));
        return true;
    }
    // The tier is the active assignment's, which the ticket does not carry: with a tier
    // filter only the server knows whether a ticket belongs.
    if (m_filters.tier > 0 || !admits(row))
        return false;
    const int at = int(m_rows.size());
    beginInsertRows({}, at, at);
    m_index.insert(row.id, at);
    m_rows.push_back(std::move(row));
    endInsertRows();
    if (m_total >= 0)
        ++m_total;
    Q_EMIT progressChanged(rowCount(), m_total);
    return true;
}

void TicketModel::setOrganizationNames(const QHash<QString, QString> &names)
{
    for (auto it = names.cbegin(); it != names.cend(); ++it)
        m_organizations.names[qsizetype(m_organizations.intern(it.key()))] = it.value();
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, OrganizationColumn), index(rowCount() - 1, OrganizationColumn));
    Q_EMIT namesChanged();
}

void TicketModel::setEngineerNames(const QHash<QString, QString> &names)
{
    for (auto it = names.cbegin(); it != names.cend(); ++it)
        m_engineers.names[qsizetype(m_engineers.intern(it.key()))] = it.value();
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, EngineerColumn), index(rowCount() - 1, EngineerColumn));
    Q_EMIT namesChanged();
}

QString TicketModel::organizationName(const QString &id) const
{
    return m_organizations.names.value(qsizetype(m_organizations.index.value(id)));
}

QString TicketModel::engineerName(const QString &id) const
{
    return m_engineers.names.value(qsizetype(m_engineers.index.value(id)));
}

int TicketModel::rowForId(const QString &id) const
{
    const QUuid uuid = QUuid::fromString(id);
    if (uuid.isNull())
        return -1;
    return m_index.value(uuid, -1);
}

QString TicketModel::ticketId(int row) const
{
    if (row < 0 || size_t(row) >= m_rows.size())
        return {};
    return m_rows[size_t(row)].id.toString(QUuid::WithoutBraces);
}

bool TicketModel::lessThan(int column, int left, int right) const
{
    const Row &a = m_rows[size_t(left)];
    const Row &b = m_rows[size_t(right)];
    switch (column) {
    case NumberColumn:
        return QString::compare(a.number, b.number, Qt::CaseInsensitive) < 0;
    case TitleColumn:
        return QString::compare(a.title, b.title, Qt::CaseInsensitive) < 0;
    case OrganizationColumn:
        return a.organization != b.organization &&
               QString::compare(m_organizations.names[qsizetype(a.organization)],
                                m_organizations.names[qsizetype(b.organization)],
                                Qt::CaseInsensitive) < 0;
    case PriorityColumn:
        return a.priority < b.priority;
    case StatusColumn:
        return a.status < b.status;
    case SlaColumn:
        return slaState(a) < slaState(b);
    case EngineerColumn:
        return a.engineer != b.engineer &&
               QString::compare(m_engineers.names[qsizetype(a.engineer)],
                                m_engineers.names[qsizetype(b.engineer)], Qt::CaseInsensitive) < 0;
    case CreatedColumn:
        return a.createdMs < b.createdMs;
    case UpdatedColumn:
        return a.updatedMs < b.updatedMs;
    }
    return false;
}

namespace {

std::vector<char> namesMatching(const QStringList &names, QStringView needle)
{
    std::vector<char> hits(size_t(names.size()), 0);
    for (qsizetype i = 1; i < names.size(); ++i)
        hits[size_t(i)] = QStringView(names[i]).contains(needle, Qt::CaseInsensitive) ? 1 : 0;
    return hits;
}

// Case-insensitive search of an ASCII lower-case needle. Text with characters outside
// ASCII (whose case folding may reach ASCII) goes to Qt's full comparison.
bool containsAscii(QStringView haystack, QStringView lowerNeedle, QStringView needle)
{
    const qsizetype n = lowerNeedle.size();
    const qsizetype size = haystack.size();
    const char16_t *h = haystack.utf16();
    const char16_t *l = lowerNeedle.utf16();
    bool ascii = true;
    for (qsizetype i = 0; i < size; ++i) {
        char16_t c = h[i];
        if (c >= 0x80) {
            ascii = false;
            continue;
        }
        if (c >= u'A' && c <= u'Z')
            c = char16_t(c + 32);
        if (c != l[0] || i + n > size)
            continue;
        qsizetype j = 1;
        for (; j < n; ++j) {
            char16_t d = h[i + j];
            if (d >= u'A' && d <= u'Z')
                d = char16_t(d + 32);
            if (d != l[j])
                break;
        }
        if (j == n)
            return true;
    }
    return !ascii && haystack.contains(needle, Qt::CaseInsensitive);
}

bool isAscii(QStringView s)
{
    for (const QChar c : s)
        if (c.unicode() >= 0x80)
            return false;
    return true;
}

} // namespace

TicketModel::Search TicketModel::prepareSearch(const QString &needle) const
{
    Search search;
    search.needle = needle;
    if (needle.isEmpty())
        return search;
    if (isAscii(needle))
        search.asciiLower = needle.toLower();
    search.organizationHits = namesMatching(m_organizations.names, needle);
    search.engineerHits = namesMatching(m_engineers.names, needle);
    return search;
}

bool TicketModel::rowMatches(int row, const Search &search) const
{
    if (search.needle.isEmpty())
        return true;
    const Row &r = m_rows[size_t(row)];
    if ((r.organization < search.organizationHits.size() &&
         search.organizationHits[r.organization]) ||
        (r.engineer < search.engineerHits.size() && search.engineerHits[r.engineer]))
        return true;
    if (!search.asciiLower.isEmpty())
        return containsAscii(r.number, search.asciiLower, search.needle) ||
               containsAscii(r.title, search.asciiLower, search.needle);
    return QStringView(r.number).contains(search.needle, Qt::CaseInsensitive) ||
           QStringView(r.title).contains(search.needle, Qt::CaseInsensitive);
}

void TicketModel::reserve(qsizetype rows)
{
    if (rows > qsizetype(m_rows.capacity()))
        m_rows.reserve(size_t(rows));
    if (rows > m_index.capacity())
        m_index.reserve(rows);
}

} // namespace md::ui
