// bench_ticket_table: the desktop's ticket table at 100k tickets (issue 4), beside
// QStandardItemModel holding the same data in the same run. The tickets are generated
// as domain objects and written by api::toJson into the pages of 500 the server sends;
// both models start from the same parsed pages. Measured for each:
//   ingest       parsed pages -> a filled model (no view attached)
//   first paint  a shown 1280x800 QTableView (fixed row heights, no vertical header)
//                gets the model through its proxy and paints (synchronous repaint)
//   sort         proxy sort by priority, then by created (newest first), each + repaint
//   filter       a case-insensitive fixed-string search + repaint, and clearing it
//   memory       heap in use (mallinfo2) and RSS after building, the parsed JSON freed
// Figures are medians of --repeat runs (wall clock, with this thread's CPU time beside
// it) where an operation can be repeated. The view of
// TicketModel paints its badges (TicketBadgeDelegate) as the app does; the
// QStandardItemModel view paints plain text. See docs/benchmarks.md.

#include "benchsupport.h"

#include "api/codecs.h"
#include "common/badges.h"
#include "domain/slapolicy.h"
#include "tickets/ticketbadgedelegate.h"
#include "tickets/ticketfiltermodel.h"
#include "tickets/ticketmodel.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QTableView>
#include <QTest>
#include <QUuid>
#include <algorithm>
#include <malloc.h>
#include <time.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace md;
using md::ui::TicketModel;

namespace {

constexpr double FirstPaintTargetMs = 200;
constexpr double SortTargetMs = 300;
constexpr double FilterTargetMs = 100;
constexpr double MemoryTargetMiB = 50;
constexpr int Organizations = 26;
constexpr int Engineers = 540;
const QString Needle = u"pump"_s; // in titles only: both proxies must agree on the count

// ---- data -------------------------------------------------------------------------

struct DataSet
{
    QList<QByteArray> pages; // the bodies of GET /v1/tickets?limit=500&offset=...
    QHash<QString, QString> organizationNames;
    QHash<QString, QString> engineerNames;
    qsizetype bytes = 0;
};

QString pick(QRandomGenerator &random, const QStringList &list)
{
    return list[int(random.bounded(quint32(list.size())))];
}

QString uuid(QRandomGenerator &random)
{
    QByteArray bytes(16, Qt::Uninitialized);
    random.fillRange(reinterpret_cast<quint32 *>(bytes.data()), 4);
    bytes[6] = char((bytes[6] & 0x0f) | 0x40);
    bytes[8] = char((bytes[8] & 0x3f) | 0x80);
    return QUuid::fromRfc4122(bytes).toString(QUuid::WithoutBraces);
}

domain::TicketStatus pickStatus(QRandomGenerator &random, qint64 ageDays)
{
    // Old tickets are mostly finished, recent ones mostly open.
    const int r = int(random.bounded(100));
    if (ageDays > 30)
        return r < 72   ? domain::TicketStatus::Closed
               : r < 84 ? domain::TicketStatus::Resolved
               : r < 92 ? domain::TicketStatus::Cancelled
               : r < 96 ? domain::TicketStatus::OnHold
                        : domain::TicketStatus::InProgress;
    return r < 20   ? domain::TicketStatus::New
           : r < 40 ? domain::TicketStatus::Assigned
           : r < 60 ? domain::TicketStatus::InProgress
           : r < 68 ? domain::TicketStatus::OnHold
           : r < 85 ? domain::TicketStatus::Resolved
           : r < 95 ? domain::TicketStatus::Closed
                    : domain::TicketStatus::Cancelled;
}

domain::Priority pickPriority(QRandomGenerator &random)
{
    const int r = int(random.bounded(100));
    return r < 8    ? domain::Priority::Critical
           : r < 30 ? domain::Priority::High
           : r < 80 ? domain::Priority::Normal
                    : domain::Priority::Low;
}

DataSet generate(int rows, quint32 seed, const QDateTime &now, int firstNumber = 0)
{
    QRandomGenerator random(seed);
    DataSet set;
    const QStringList places{u"Riverside"_s, u"St. Mary's"_s, u"Northgate"_s, u"Lakeview"_s,
                             u"Hillcrest"_s, u"Mercy"_s,      u"Westbrook"_s, u"Harbour"_s,
                             u"Elmwood"_s,   u"Kingsway"_s,   u"Oakridge"_s,  u"Fairview"_s,
                             u"Summit"_s};
    const QStringList kinds{u"General Hospital"_s, u"University Clinic"_s};
    QStringList organizations;
    for (int i = 0; i < Organizations; ++i) {
        const QString id = uuid(random);
        organizations << id;
        set.organizationNames.insert(id, places[i % places.size()] + u' ' +
                                             kinds[(i / places.size()) % kinds.size()]);
    }
    const QStringList first{u"Amara"_s,  u"Jonas"_s, u"Priya"_s, u"Mateo"_s, u"Chen"_s,
                            u"Fatima"_s, u"Lukas"_s, u"Sofia"_s, u"Kwame"_s, u"Ingrid"_s,
                            u"Ravi"_s,   u"Elena"_s, u"Tomás"_s, u"Aiko"_s,  u"Noah"_s,
                            u"Leila"_s,  u"Oskar"_s, u"Zanele"_s};
    const QStringList last{u"Okafor"_s,  u"Schmidt"_s, u"Patel"_s,   u"García"_s,   u"Wang"_s,
                           u"Haddad"_s,  u"Novak"_s,   u"Rossi"_s,   u"Mensah"_s,   u"Larsen"_s,
                           u"Iyer"_s,    u"Popescu"_s, u"Silva"_s,   u"Tanaka"_s,   u"Brown"_s,
                           u"Karimi"_s,  u"Berg"_s,    u"Dlamini"_s, u"Moreau"_s,   u"Kowalski"_s,
                           u"O'Brien"_s, u"Nguyen"_s,  u"Fischer"_s, u"Costa"_s,    u"Ahmed"_s,
                           u"Jensen"_s,  u"Müller"_s,  u"Yilmaz"_s,  u"Ferreira"_s, u"Sato"_s};
    QStringList engineers;
    for (int i = 0; i < Engineers; ++i) {
        const QString id = uuid(random);
        engineers << id;
        set.engineerNames.insert(id, first[i % first.size()] + u' ' +
                                         last[(i / first.size()) % last.size()]);
    }
    const QStringList devices{
        u"Ventilator"_s,          u"Infusion pump"_s,    u"Patient monitor"_s,   u"Defibrillator"_s,
        u"MRI scanner"_s,         u"CT scanner"_s,       u"Ultrasound system"_s, u"X-ray unit"_s,
        u"Anaesthesia machine"_s, u"Dialysis machine"_s, u"Infant incubator"_s,  u"ECG recorder"_s,
        u"Syringe pump"_s,        u"Steam autoclave"_s,  u"Blood gas analyser"_s};
    const QStringList faults{u"alarm will not clear"_s,          u"does not power on"_s,
                             u"error E-203 on start-up"_s,       u"display flickers"_s,
                             u"battery does not charge"_s,       u"calibration overdue"_s,
                             u"occlusion alarm without cause"_s, u"fan noise and overheating"_s,
                             u"fluid leak under the housing"_s,  u"touchscreen unresponsive"_s,
                             u"software update failed"_s,        u"self-test fails"_s};
    const QStringList wards{u"ICU"_s,       u"ER"_s,   u"theatre 2"_s,    u"ward 5B"_s,
                            u"radiology"_s, u"NICU"_s, u"dialysis unit"_s};

    // Newest first, as the server pages them (created_at DESC).
    QList<qint64> createdAgoMs(rows);
    for (int i = 0; i < rows; ++i)
        createdAgoMs[i] = qint64(random.bounded(365.0 * 24 * 3600 * 1000));
    std::sort(createdAgoMs.begin(), createdAgoMs.end());

    QJsonArray data;
    int offset = 0;
    for (int i = 0; i < rows; ++i) {
        domain::Ticket t;
        t.id = uuid(random);
        t.number = u"TKT-%1-%2"_s.arg(now.date().year())
                       .arg(firstNumber + rows - i, 6, 10, QLatin1Char('0'));
        t.equipmentId = uuid(random);
        t.organizationId = organizations[int(random.bounded(quint32(Organizations)))];
        t.reporterName = pick(random, first) + u' ' + pick(random, last);
        t.reporterContact = u"+4930%1"_s.arg(random.bounded(1000000, 9999999));
        t.channel = domain::TicketChannel(random.bounded(4));
        t.priority = pickPriority(random);
        t.createdAt = now.addMSecs(-createdAgoMs[i]);
        const qint64 ageDays = createdAgoMs[i] / (24 * 3600 * 1000);
        t.status = pickStatus(random, ageDays);
        const QString device = pick(random, devices);
        t.title = device + u": "_s + pick(random, faults) +
                  (random.bounded(3) == 0 ? u" ("_s + pick(random, wards) + u')' : QString());
        t.description = u"Reported by the %1 team. The %2 shows the fault again after a "
                        u"restart; the spare unit is in use. Serial on the label, photos in "
                        u"the WhatsApp thread."_s.arg(pick(random, wards), device.toLower());
        t.responseDueAt = domain::SlaPolicy::responseDue(t.priority, t.createdAt);
        t.resolutionDueAt = domain::SlaPolicy::resolutionDue(t.priority, t.createdAt);
        QDateTime latest = t.createdAt;
        if (t.status != domain::TicketStatus::New && t.status != domain::TicketStatus::Cancelled) {
            t.assignedEngineerId = engineers[int(random.bounded(quint32(Engineers)))];
            t.assignedAt = t.createdAt.addSecs(random.bounded(600, 6 * 3600));
            latest = t.assignedAt;
        }
        if (t.status == domain::TicketStatus::Resolved ||
            t.status == domain::TicketStatus::Closed) {
            t.resolvedAt = t.assignedAt.addSecs(random.bounded(1800, 4 * 24 * 3600));
            latest = t.resolvedAt;
            if (t.status == domain::TicketStatus::Closed) {
                t.closedAt = t.resolvedAt.addSecs(random.bounded(600, 2 * 24 * 3600));
                latest = t.closedAt;
            }
            if (t.status == domain::TicketStatus::Resolved)
                t.assignedEngineerId.clear(); // the assignment completed
        }
        t.updatedAt = std::min(latest, now);
        data.append(api::toJson(t, now));
        if (data.size() == TicketModel::PageSize || i == rows - 1) {
            set.pages.append(QJsonDocument(api::pageJson(data, TicketModel::PageSize, offset, rows))
                                 .toJson(QJsonDocument::Compact));
            set.bytes += set.pages.last().size();
            offset += int(data.size());
            data = QJsonArray();
        }
    }
    return set;
}

QList<QJsonArray> parsePages(const QList<QByteArray> &pages)
{
    QList<QJsonArray> arrays;
    arrays.reserve(pages.size());
    for (const QByteArray &page : pages)
        arrays.append(QJsonDocument::fromJson(page).object().value("data"_L1).toArray());
    return arrays;
}

// ---- memory -----------------------------------------------------------------------

qint64 heapInUse()
{
    malloc_trim(0);
    const struct mallinfo2 info = mallinfo2();
    return qint64(info.uordblks + info.hblkhd);
}

qint64 residentBytes()
{
    malloc_trim(0);
    QFile statm(u"/proc/self/statm"_s);
    if (!statm.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields[1].toLongLong() * sysconf(_SC_PAGESIZE) : 0;
}

struct Memory
{
    qint64 heap = 0;
    qint64 rss = 0;
    static Memory now() { return {heapInUse(), residentBytes()}; }
    Memory operator-(const Memory &o) const { return {heap - o.heap, rss - o.rss}; }
};

double mib(qint64 bytes)
{
    return double(bytes) / (1024.0 * 1024.0);
}

// ---- the QStandardItemModel side -------------------------------------------------

// The same columns and roles, built the usual way: an item per cell with its display
// text and the raw value to sort by (TicketModel::SortRole).
void fillStandardModel(QStandardItemModel &model, const QList<QJsonArray> &pages,
                       const QHash<QString, QString> &organizations,
                       const QHash<QString, QString> &engineers)
{
    using namespace md::domain;
    const QLocale locale;
    // The badge words, as TicketModel shows them.
    QString priorityText[4], statusText[7];
    for (int i = 0; i < 4; ++i)
        priorityText[i] = md::ui::priorityBadge(Priority(i)).text;
    for (int i = 0; i < 7; ++i)
        statusText[i] = md::ui::ticketStatusBadge(TicketStatus(i)).text;
    model.setColumnCount(TicketModel::ColumnCount);
    const int sortRole = TicketModel::SortRole;
    const auto item = [&](const QString &text, const QVariant &sortValue) {
        auto *it = new QStandardItem(text);
        it->setData(sortValue, sortRole);
        it->setEditable(false);
        return it;
    };
    const auto rank = [](const QString &s) {
        return s == "breached"_L1 ? 3 : s == "at_risk"_L1 ? 2 : s == "on_track"_L1 ? 1 : 0;
    };
    for (const QJsonArray &page : pages) {
        for (const QJsonValue &value : page) {
            const QJsonObject o = value.toObject();
            const qint64 created = TicketModel::parseTimeMsecs(o.value("created_at"_L1));
            const qint64 updated = TicketModel::parseTimeMsecs(o.value("updated_at"_L1));
            const auto priority = parsePriority(o.value("priority"_L1).toString());
            const auto status = parseTicketStatus(o.value("status"_L1).toString());
            const QJsonObject sla = o.value("sla"_L1).toObject();
            const int response = rank(sla.value("response"_L1).toString());
            const int resolution = rank(sla.value("resolution"_L1).toString());
            int slaRank = status && isOpen(*status)            ? std::max(response, resolution)
                          : (response == 3 || resolution == 3) ? 3
                                                               : 0;
            const QString slaWire = TicketModel::slaWireName(TicketModel::Sla(quint8(slaRank)));
            const QString organization =
                organizations.value(o.value("organization_id"_L1).toString());
            const QString engineer = engineers.value(o.value("assigned_engineer_id"_L1).toString());
            QList<QStandardItem *> row;
            row.reserve(TicketModel::ColumnCount);
            const QString number = o.value("number"_L1).toString();
            QStandardItem *first = item(number, number);
            first->setData(o.value("id"_L1).toString(), TicketModel::TicketIdRole);
            row << first;
            const QString title = o.value("title"_L1).toString();
            row << item(title, title);
            row << item(organization, organization);
            row << item(priority ? priorityText[int(*priority)] : QString(),
                        priority ? int(*priority) : 0);
            row << item(status ? statusText[int(*status)] : QString(), status ? int(*status) : 0);
            row << item(slaWire.isEmpty() ? QString() : md::ui::slaBadge(slaWire).text, slaRank);
            row << item(engineer, engineer);
            row << item(
                locale.toString(QDateTime::fromMSecsSinceEpoch(created), QLocale::ShortFormat),
                created);
            row << item(
                locale.toString(QDateTime::fromMSecsSinceEpoch(updated), QLocale::ShortFormat),
                updated);
            model.appendRow(row);
        }
    }
}

// ---- views ------------------------------------------------------------------------

std::unique_ptr<QTableView> shownView(bool badges)
{
    auto view = std::make_unique<QTableView>();
    view->resize(1280, 800);
    view->setWordWrap(false);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->verticalHeader()->hide();
    view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 10);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    if (badges)
        view->setItemDelegate(new md::ui::TicketBadgeDelegate(view.get()));
    view->show();
    if (!QTest::qWaitForWindowExposed(view.get()))
        qWarning("the table view was not exposed");
    QCoreApplication::processEvents();
    return view;
}

// Wall-clock and this thread's CPU time: on a shared machine the wall clock also counts
// the time other processes held the CPU; the CPU time is the work itself.
struct Timing
{
    double wallMs = 0;
    double cpuMs = 0;
};

double threadCpuMs()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

template <typename F> Timing timed(F operation)
{
    const double cpu = threadCpuMs();
    QElapsedTimer timer;
    timer.start();
    operation();
    return {double(timer.nsecsElapsed()) / 1e6, threadCpuMs() - cpu};
}

// Runs `operation`, then paints the viewport synchronously: the time until the user
// sees the result.
template <typename F> Timing timedWithPaint(QTableView &view, F operation)
{
    return timed([&] {
        operation();
        view.viewport()->repaint();
    });
}

double median(QList<double> values)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

double medianWall(const QList<Timing> &runs)
{
    QList<double> values;
    for (const Timing &t : runs)
        values << t.wallMs;
    return median(values);
}

double medianCpu(const QList<Timing> &runs)
{
    QList<double> values;
    for (const Timing &t : runs)
        values << t.cpuMs;
    return median(values);
}

QString describeRuns(const QList<Timing> &runs)
{
    QStringList parts;
    for (const Timing &t : runs)
        parts << bench::number(t.wallMs, 1);
    return u"median %1 (runs: %2 ms; CPU median %3)"_s.arg(
        bench::ms(medianWall(runs)), parts.join(u", "_s), bench::ms(medianCpu(runs)));
}

// Counts paint events of a viewport: a figure without a paint would be meaningless.
class PaintCounter final : public QObject
{
public:
    int paints = 0;

protected:
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::Paint)
            ++paints;
        return false;
    }
};

struct Side
{
    QString name;
    QAbstractItemModel *model = nullptr;
    std::function<QSortFilterProxyModel *()> makeProxy;
    std::function<void(QSortFilterProxyModel *, const QString &)> search;
    bool badges = false;
    Timing ingest;
    Memory memory;
    QList<Timing> firstPaint, sortPriority, sortCreated, filter, clearFilter;
    int filterRows = -1;
    QString topPriority;
};

void measureViews(Side &side, int repeat, bench::Report &report)
{
    for (int run = 0; run < repeat; ++run) {
        std::unique_ptr<QSortFilterProxyModel> proxy(side.makeProxy());
        auto view = shownView(side.badges);
        PaintCounter counter;
        view->viewport()->installEventFilter(&counter);
        side.firstPaint << timedWithPaint(*view, [&] {
            proxy->setSourceModel(side.model);
            view->setModel(proxy.get());
        });
        if (counter.paints == 0)
            report.fail(side.name + u": the view did not paint"_s);
        if (side.model->rowCount() > 100 && view->rowAt(view->viewport()->height() - 2) < 10)
            report.fail(side.name + u": the view painted fewer than 10 rows"_s);
        QCoreApplication::processEvents();

        side.sortPriority << timedWithPaint(
            *view, [&] { proxy->sort(TicketModel::PriorityColumn, Qt::AscendingOrder); });
        side.topPriority = proxy->index(0, TicketModel::PriorityColumn).data().toString();
        side.sortCreated << timedWithPaint(
            *view, [&] { proxy->sort(TicketModel::CreatedColumn, Qt::DescendingOrder); });
        QCoreApplication::processEvents();

        side.filter << timedWithPaint(*view, [&] { side.search(proxy.get(), Needle); });
        side.filterRows = proxy->rowCount();
        side.clearFilter << timedWithPaint(*view, [&] { side.search(proxy.get(), QString()); });
        if (proxy->rowCount() != side.model->rowCount())
            report.fail(side.name + u": clearing the search did not bring every row back"_s);
        QCoreApplication::processEvents();
        view->setModel(nullptr);
    }
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication application(argc, argv);
    QCoreApplication::setApplicationName(u"bench_ticket_table"_s);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"The ticket table (TicketModel + TicketFilterModel) beside QStandardItemModel."_s);
    parser.addHelpOption();
    const QCommandLineOption rowsOption(u"rows"_s, u"tickets (default 100000)"_s, u"n"_s,
                                        u"100000"_s);
    const QCommandLineOption repeatOption(
        u"repeat"_s, u"runs of the view measurements (default 5)"_s, u"n"_s, u"5"_s);
    const QCommandLineOption seedOption(u"seed"_s, u"random seed (default 4)"_s, u"n"_s, u"4"_s);
    const QCommandLineOption outOption(u"out"_s, u"write the result rows (TSV) to this file"_s,
                                       u"path"_s);
    const QCommandLineOption onlyOursOption(
        u"only-ticket-model"_s, u"skip QStandardItemModel (for profiling; no targets)"_s);
    parser.addOptions({rowsOption, repeatOption, seedOption, outOption, onlyOursOption});
    parser.process(application);
    const int rows = std::clamp(parser.value(rowsOption).toInt(), 1, 2000000);
    const int repeat = std::clamp(parser.value(repeatOption).toInt(), 1, 20);
    const auto seed = quint32(parser.value(seedOption).toUInt());
    const bool onlyOurs = parser.isSet(onlyOursOption);
    const bool full = rows >= 100000 && !onlyOurs;

    bench::Report report(u"bench_ticket_table"_s);
    report.meta(u"Qt"_s, QString::fromLatin1(qVersion()));
    report.meta(u"machine"_s, bench::machineDescription());
    const QString section = u"table: %1 tickets"_s.arg(rows);
    report.info(section, u"load average at start (1/5/15 min)"_s, bench::loadAverage());
    report.info(section, u"Qt platform"_s, QGuiApplication::platformName());

    const QDateTime now = QDateTime::currentDateTimeUtc();
    QElapsedTimer timer;
    timer.start();
    DataSet data = generate(rows, seed, now);
    report.info(section, u"data"_s,
                u"%1 tickets in %2 pages of %3 (api::toJson, %4 MiB of JSON), %5 organizations, "
                u"%6 engineers; generated in %7"_s.arg(rows)
                    .arg(data.pages.size())
                    .arg(TicketModel::PageSize)
                    .arg(bench::number(mib(data.bytes), 1))
                    .arg(Organizations)
                    .arg(Engineers)
                    .arg(bench::ms(double(timer.elapsed()))));

    // ---- TicketModel -------------------------------------------------------------
    const Memory customBase = Memory::now();
    QList<QJsonArray> arrays = parsePages(data.pages);
    TicketModel tickets(nullptr);
    tickets.setOrganizationNames(data.organizationNames);
    tickets.setEngineerNames(data.engineerNames);
    Timing parse, append;
    // As the app does once the first page has told page.total.
    append = timed([&] { tickets.reserve(rows); });
    for (const QJsonArray &page : std::as_const(arrays)) {
        TicketModel::Page parsed;
        const Timing p = timed([&] { parsed = TicketModel::parsePage(page); });
        const Timing a = timed([&] { tickets.appendParsedRows(std::move(parsed)); });
        parse = {parse.wallMs + p.wallMs, parse.cpuMs + p.cpuMs};
        append = {append.wallMs + a.wallMs, append.cpuMs + a.cpuMs};
    }
    arrays.clear();
    Side custom;
    custom.name = u"TicketModel"_s;
    custom.model = &tickets;
    custom.badges = true;
    custom.ingest = {parse.wallMs + append.wallMs, parse.cpuMs + append.cpuMs};
    custom.memory = Memory::now() - customBase;
    custom.makeProxy = [] { return new md::ui::TicketFilterModel; };
    custom.search = [](QSortFilterProxyModel *proxy, const QString &text) {
        static_cast<md::ui::TicketFilterModel *>(proxy)->setSearchText(text);
    };
    if (tickets.rowCount() != rows)
        report.fail(u"TicketModel holds %1 rows, not %2"_s.arg(tickets.rowCount()).arg(rows));

    // ---- QStandardItemModel ------------------------------------------------------
    QStandardItemModel standard;
    Side stock;
    stock.name = u"QStandardItemModel"_s;
    stock.model = &standard;
    stock.makeProxy = [] {
        auto *proxy = new QSortFilterProxyModel;
        proxy->setSortRole(TicketModel::SortRole);
        proxy->setSortCaseSensitivity(Qt::CaseInsensitive);
        proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
        proxy->setFilterKeyColumn(-1); // every column, as a stock search does
        return proxy;
    };
    stock.search = [](QSortFilterProxyModel *proxy, const QString &text) {
        proxy->setFilterFixedString(text);
    };
    if (!onlyOurs) {
        const Memory standardBase = Memory::now();
        arrays = parsePages(data.pages);
        stock.ingest = timed([&] {
            fillStandardModel(standard, arrays, data.organizationNames, data.engineerNames);
        });
        arrays.clear();
        stock.memory = Memory::now() - standardBase;
        if (standard.rowCount() != rows)
            report.fail(u"QStandardItemModel holds %1 rows"_s.arg(standard.rowCount()));
    }

    // ---- views -------------------------------------------------------------------
    measureViews(custom, repeat, report);
    if (!onlyOurs) {
        measureViews(stock, repeat, report);
        if (custom.filterRows != stock.filterRows)
            report.fail(u"the searches disagree: %1 rows vs %2"_s.arg(custom.filterRows)
                            .arg(stock.filterRows));
    }
    if (rows >= 100 && (custom.filterRows <= 0 || custom.filterRows >= rows))
        report.fail(u"the search for \"%1\" found %2 of %3 rows"_s.arg(Needle)
                        .arg(custom.filterRows)
                        .arg(rows));
    if (rows >= 100 && custom.topPriority != md::ui::priorityBadge(domain::Priority::Critical).text)
        report.fail(u"sorted by priority, the first row is %1"_s.arg(custom.topPriority));

    // Pages into the shown table sorted newest first, as the view shows it: what a page
    // costs the UI thread while the rest of a load arrives (the next page holds older
    // tickets, so it goes below the rows shown), and the worst case of 500 tickets newer
    // than every row (inserted above all of them, the whole mapping moves).
    {
        md::ui::TicketFilterModel proxy;
        proxy.setSourceModel(&tickets);
        auto view = shownView(true);
        view->setModel(&proxy);
        proxy.sort(TicketModel::CreatedColumn, Qt::DescendingOrder);
        view->viewport()->repaint();
        QCoreApplication::processEvents();
        // In the app page.total covers every page of a load (TicketModel::reserve); a
        // page beyond it would add a one-off reallocation of all rows to the figure.
        tickets.reserve(rows + 2 * TicketModel::PageSize);
        const auto page = [&](quint32 pageSeed, const QDateTime &at, int firstNumber) {
            const DataSet extra = generate(TicketModel::PageSize, pageSeed, at, firstNumber);
            return parsePages(extra.pages).first();
        };
        const QJsonArray older = page(seed + 1, now.addDays(-400), rows + 1000);
        const QJsonArray newer = page(seed + 2, now.addSecs(3600), rows + 2000);
        for (const auto &[what, json] :
             {std::pair(u"the next page of a load (older tickets)"_s, older),
              std::pair(u"500 tickets newer than every row (worst case)"_s, newer)}) {
            TicketModel::Page parsed;
            const Timing p = timed([&] { parsed = TicketModel::parsePage(json); });
            const Timing a =
                timedWithPaint(*view, [&] { tickets.appendParsedRows(std::move(parsed)); });
            report.info(section, u"TicketModel, shown and sorted by created: "_s + what,
                        u"parse %1 (worker thread), append + repaint %2 (UI thread; CPU %3)"_s.arg(
                            bench::ms(p.wallMs), bench::ms(a.wallMs), bench::ms(a.cpuMs)));
        }
    }

    // ---- report ------------------------------------------------------------------
    report.info(section, u"ingest: TicketModel (parsed pages -> rows)"_s,
                u"%1 (CPU %2) = parse %3 (worker thread in the app) + append %4 (UI thread)"_s.arg(
                    bench::ms(custom.ingest.wallMs), bench::ms(custom.ingest.cpuMs),
                    bench::ms(parse.wallMs), bench::ms(append.wallMs)));
    QList<const Side *> sides{&custom};
    if (!onlyOurs) {
        report.info(
            section, u"ingest: QStandardItemModel (parsed pages -> items)"_s,
            u"%1 (CPU %2)"_s.arg(bench::ms(stock.ingest.wallMs), bench::ms(stock.ingest.cpuMs)));
        sides << &stock;
    }
    for (const Side *side : sides) {
        report.info(section, side->name + u": first paint"_s, describeRuns(side->firstPaint));
        report.info(section, side->name + u": sort by priority"_s,
                    describeRuns(side->sortPriority));
        report.info(section, side->name + u": sort by created (newest first)"_s,
                    describeRuns(side->sortCreated));
        report.info(section,
                    side->name + u": search \"%1\" (%2 rows)"_s.arg(Needle).arg(side->filterRows),
                    describeRuns(side->filter));
        report.info(section, side->name + u": clear the search"_s, describeRuns(side->clearFilter));
        report.info(
            section, side->name + u": memory"_s,
            u"heap in use +%1 MiB, RSS +%2 MiB"_s.arg(bench::number(mib(side->memory.heap), 1),
                                                      bench::number(mib(side->memory.rss), 1)));
    }

    if (!onlyOurs) {
        const auto verdictIf = [full](bool pass) {
            return full ? bench::verdict(pass) : bench::Verdict::NotApplicable;
        };
        const auto figure = [](double ours, double cpu, double theirs) {
            return u"%1 (CPU %2; QStandardItemModel %3)"_s.arg(bench::ms(ours), bench::ms(cpu),
                                                               bench::ms(theirs));
        };
        const auto slower = [](const QList<Timing> &a, const QList<Timing> &b) {
            return medianWall(a) >= medianWall(b) ? std::pair(medianWall(a), medianCpu(a))
                                                  : std::pair(medianWall(b), medianCpu(b));
        };
        const double firstPaint = medianWall(custom.firstPaint);
        const auto sort = slower(custom.sortPriority, custom.sortCreated);
        const auto filter = slower(custom.filter, custom.clearFilter);
        const double memory = mib(custom.memory.heap);
        report.target(
            section, u"first paint after the data arrives"_s,
            figure(firstPaint, medianCpu(custom.firstPaint), medianWall(stock.firstPaint)),
            u"≤ %1 ms"_s.arg(FirstPaintTargetMs), verdictIf(firstPaint <= FirstPaintTargetMs));
        report.target(
            section, u"sort (the slower of priority and created)"_s,
            figure(sort.first, sort.second, slower(stock.sortPriority, stock.sortCreated).first),
            u"≤ %1 ms"_s.arg(SortTargetMs), verdictIf(sort.first <= SortTargetMs));
        report.target(
            section, u"filter (the slower of searching and clearing the search)"_s,
            figure(filter.first, filter.second, slower(stock.filter, stock.clearFilter).first),
            u"≤ %1 ms"_s.arg(FilterTargetMs), verdictIf(filter.first <= FilterTargetMs));
        report.target(section, u"model memory (heap in use)"_s,
                      u"%1 MiB (QStandardItemModel %2 MiB)"_s.arg(
                          bench::number(memory, 1), bench::number(mib(stock.memory.heap), 1)),
                      u"≤ %1 MiB"_s.arg(MemoryTargetMiB), verdictIf(memory <= MemoryTargetMiB));
    }
    report.info(section, u"load average at end (1/5/15 min)"_s, bench::loadAverage());
    return report.finish(parser.value(outOption));
}
