#pragma once

#include <QObject>
#include <QPointer>
#include <QTimer>

namespace md::client {

class ApiClient;

/// Watches reachability: when ApiClient reports the server unreachable, polls
/// GET /healthz with exponential backoff (1 s doubling to 30 s) until it answers, then
/// reports online again. The main window shows its offline banner from this.
class ConnectionMonitor final : public QObject
{
    Q_OBJECT
public:
    explicit ConnectionMonitor(ApiClient *api, QObject *parent = nullptr);
    bool isOnline() const { return m_online; }
    /// Seconds until the next attempt while offline (for "Retrying in 8 s").
    int secondsUntilRetry() const;
    /// Try now (the banner's "Retry now").
    void retryNow();

Q_SIGNALS:
    void onlineChanged(bool online);
    /// Once a second while offline, for the countdown.
    void retryCountdown(int seconds);

private:
    void setOnline(bool online);
    void probe();

    QPointer<ApiClient> m_api;
    QTimer m_retryTimer;
    QTimer m_countdownTimer;
    int m_attempt = 0;
    bool m_online = true;
    bool m_probing = false;
};

} // namespace md::client
