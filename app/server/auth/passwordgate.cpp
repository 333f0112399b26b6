#include "passwordgate.h"

#include "api/apierror.h"

#include <QThread>

using namespace Qt::StringLiterals;

namespace md::server {

PasswordGate::PasswordGate(int concurrency, int maxPending)
    : m_concurrency(concurrency > 0 ? concurrency : qMax(1, QThread::idealThreadCount())),
      m_maxPending(qMax(m_concurrency, maxPending)), m_slots(m_concurrency)
{}

void PasswordGate::run(const std::function<void()> &fn)
{
    if (m_pending.fetch_add(1) >= m_maxPending) {
        m_pending.fetch_sub(1);
        api::ApiError busy(503, u"busy"_s,
                           u"Too many sign-ins are being checked right now. Try again in a "
                           u"moment."_s,
                           QJsonObject{{u"retry_after_seconds"_s, 1}});
        throw busy;
    }
    struct Release
    {
        PasswordGate *gate;
        bool acquired = false;
        ~Release()
        {
            if (acquired)
                gate->m_slots.release();
            gate->m_pending.fetch_sub(1);
        }
    } release{this};
    m_slots.acquire();
    release.acquired = true;
    fn();
}

} // namespace md::server
