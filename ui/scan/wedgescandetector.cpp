#include "wedgescandetector.h"

#include <QElapsedTimer>
#include <utility>

namespace md::ui {

namespace {

// A scanner held down on a hostile label could type forever: only the newest keys
// matter for the verdict, and a code we read is at most a few hundred characters.
constexpr qsizetype kMaxKeys = 8192;

WedgeScanDetector::Clock monotonicClock()
{
    // One timer for the process: its start is arbitrary, only differences are used.
    static const QElapsedTimer timer = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return [] { return timer.elapsed(); };
}

} // namespace

WedgeScanDetector::WedgeScanDetector(Clock clock) : WedgeScanDetector(Settings{}, std::move(clock))
{}

WedgeScanDetector::WedgeScanDetector(const Settings &settings, Clock clock) : m_settings(settings)
{
    setClock(std::move(clock));
}

void WedgeScanDetector::setClock(Clock clock)
{
    m_clock = clock ? std::move(clock) : monotonicClock();
}

void WedgeScanDetector::keyTyped(QChar character, int position)
{
    if (m_keys.size() >= 2 * kMaxKeys)
        m_keys.remove(0, m_keys.size() - kMaxKeys); // in bulk: amortized constant time
    m_keys.append(Key{m_clock(), character, position});
}

void WedgeScanDetector::reset()
{
    m_keys.clear();
}

WedgeScanDetector::Verdict WedgeScanDetector::enter()
{
    const QList<Key> keys = std::exchange(m_keys, {});
    Verdict verdict;
    if (keys.isEmpty())
        return verdict;
    const qint64 now = m_clock();
    if (now - keys.last().at > m_settings.enterGapMs)
        return verdict; // a pause before Enter: a person confirming what they typed

    const auto gap = [&keys](qsizetype i) { return keys.at(i).at - keys.at(i - 1).at; };
    const auto fast = [&](qsizetype i) { return i >= 1 && gap(i) <= m_settings.fastGapMs; };

    // Walk back from the last key while the gaps are a scanner's. A slower gap is a
    // stall only when fast keys come both before and after it; otherwise it is where a
    // person's typing ends and the burst begins.
    const qsizetype last = keys.size() - 1;
    qsizetype start = last;
    int stalls = 0;
    for (qsizetype i = last; i >= 1; --i) {
        const qint64 g = gap(i);
        if (g <= m_settings.fastGapMs) {
            start = i - 1;
            continue;
        }
        if (g > m_settings.stallMs || i == last || !fast(i + 1))
            break;
        bool fastBefore = true;
        for (int k = 1; k <= m_settings.fastAround && fastBefore; ++k)
            fastBefore = fast(i - k);
        if (!fastBefore)
            break;
        ++stalls;
        start = i - 1;
    }

    const qsizetype length = keys.size() - start;
    if (length < m_settings.minLength || qsizetype(stalls) * 4 > length)
        return verdict;
    verdict.scanned = true;
    verdict.position = keys.at(start).position;
    verdict.text.reserve(length);
    for (qsizetype i = start; i < keys.size(); ++i)
        verdict.text.append(keys.at(i).character);
    return verdict;
}

} // namespace md::ui
