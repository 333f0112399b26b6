#include "connectionmonitor.h"

#include "apiclient.h"

using namespace Qt::StringLiterals;

namespace md::client {

namespace {

constexpr int kFirstDelayMs = 1000;
constexpr int kMaxDelayMs = 30000;

int delayForAttempt(int attempt)
{
    return qMin(kMaxDelayMs, kFirstDelayMs << qMin(attempt, 5));
}

} // namespace

ConnectionMonitor::ConnectionMonitor(ApiClient *api, QObject *parent) : QObject(parent), m_api(api)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &ConnectionMonitor::probe);
    m_countdownTimer.setInterval(1000);
    connect(&m_countdownTimer, &QTimer::timeout, this,
            [this] { Q_EMIT retryCountdown(secondsUntilRetry()); });
    if (api) {
        m_online = api->isReachable();
        connect(api, &ApiClient::reachabilityChanged, this, [this](bool reachable) {
            if (reachable) {
                setOnline(true);
                return;
            }
            if (!m_online)
                return; // already counting down; the running probe schedule stays
            setOnline(false);
            m_attempt = 0;
            m_retryTimer.start(delayForAttempt(m_attempt));
            m_countdownTimer.start();
            Q_EMIT retryCountdown(secondsUntilRetry());
        });
    }
}

int ConnectionMonitor::secondsUntilRetry() const
{
    if (m_online || !m_retryTimer.isActive())
        return 0;
    return (m_retryTimer.remainingTime() + 999) / 1000;
}

void ConnectionMonitor::retryNow()
{
    if (m_online || m_probing)
        return;
    m_retryTimer.stop();
    probe();
}

void ConnectionMonitor::setOnline(bool online)
{
    if (online) {
        m_retryTimer.stop();
        m_countdownTimer.stop();
        m_attempt = 0;
    }
    if (m_online == online)
        return;
    m_online = online;
    Q_EMIT onlineChanged(online);
}

void ConnectionMonitor::probe()
{
    if (!m_api || m_online || m_probing)
        return;
    m_probing = true;
    m_api->getAnonymous(u"/healthz"_s, this, [this](const ApiResult &result) {
        m_probing = false;
        // Any HTTP answer means the server is there (ApiClient has flipped reachability
        // already); only a transport failure keeps us offline.
        if (result.error.kind != ApiError::Kind::Unreachable &&
            result.error.kind != ApiError::Kind::Tls) {
            setOnline(true);
            return;
        }
        if (m_online)
            return;
        ++m_attempt;
        m_retryTimer.start(delayForAttempt(m_attempt));
        Q_EMIT retryCountdown(secondsUntilRetry());
    });
}

} // namespace md::client
