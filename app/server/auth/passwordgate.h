#pragma once

#include <QMutex>
#include <QSemaphore>
#include <atomic>
#include <functional>

namespace md::server {

/// Bounds the slow password work (bcrypt, ~270 ms a hash). At most `concurrency`
/// hashes run at once (one per core by default) and at most `maxPending` requests may
/// hold or wait for a slot; beyond that run() refuses at once with 503 `busy` and a
/// Retry-After, instead of letting a queue of logins grow without bound. Handlers call
/// it from worker threads; the server's event loop never hashes.
class PasswordGate final
{
public:
    PasswordGate(int concurrency, int maxPending);

    /// Runs fn in a slot. Throws api::ApiError 503 when too many wait already.
    void run(const std::function<void()> &fn);

    int concurrency() const { return m_concurrency; }
    int waiting() const { return m_pending.load(); }

private:
    int m_concurrency;
    int m_maxPending;
    QSemaphore m_slots;
    std::atomic<int> m_pending{0};
};

} // namespace md::server
