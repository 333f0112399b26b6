#pragma once

#include <QList>
#include <QString>
#include <functional>

namespace md::ui {

/// Tells a keyboard-wedge barcode scanner from a person typing, by timing alone. A USB
/// scanner "types" the code as a burst of keystrokes a few milliseconds apart and ends
/// it with Enter; a person leaves 60 ms or more between keys. When Enter comes, enter()
/// looks back over the keys since the last reset and decides whether the keys that
/// just ended were such a burst — even when a person had typed something before it, so
/// a scan in the middle of hand typing is still recognised (and only the burst is the
/// scanned code).
///
/// Scheduling jitter on a busy machine can stretch a gap of a real scan, so a burst may
/// contain a few slower gaps (up to stallMs) as long as fast keys surround each of them;
/// a person's key followed by a scan is not absorbed, because no fast run precedes it.
///
/// Pure logic: the clock is injected (milliseconds, monotonic), nothing here knows
/// about widgets or events.
class WedgeScanDetector final
{
public:
    using Clock = std::function<qint64()>;

    struct Settings
    {
        int fastGapMs = 30;   // at most this between a scanner's keys
        int stallMs = 120;    // a slower gap inside a burst (jitter), at most this
        int minLength = 4;    // shorter bursts are not scans (a person's key rollover)
        int fastAround = 3;   // fast gaps needed before a stall for it to be absorbed
        int enterGapMs = 120; // Enter at most this long after the burst's last key
    };

    struct Verdict
    {
        bool scanned = false;
        QString text;      // scanned: the burst's characters, in order
        int position = -1; // scanned: what keyTyped() got as the burst's first position
    };

    /// The default clock is the process's monotonic clock.
    explicit WedgeScanDetector(Clock clock = {});
    explicit WedgeScanDetector(const Settings &settings, Clock clock = {});

    void setSettings(const Settings &settings) { m_settings = settings; }
    const Settings &settings() const { return m_settings; }
    void setClock(Clock clock);

    /// One character typed now; `position` is where the host put it (its cursor).
    void keyTyped(QChar character, int position = -1);
    /// Enter was pressed now: was what just ended a scan? Forgets the keys either way.
    Verdict enter();
    /// Editing that breaks a burst (Backspace, cursor movement, a paste, clear()).
    void reset();
    /// Keys remembered since the last reset (for tests).
    int pendingKeys() const { return int(m_keys.size()); }

private:
    struct Key
    {
        qint64 at = 0;
        QChar character;
        int position = -1;
    };

    Settings m_settings;
    Clock m_clock;
    QList<Key> m_keys;
};

} // namespace md::ui
