#include "desktopdriver.h"

#include "apiclient.h"
#include "mainwindow.h"
#include "session.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QThread>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace md::tools {

bool waitFor(const std::function<bool()> &condition, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!condition()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(1);
    }
    return true;
}

bool signInWithPassword(desktop::DesktopApp &app, const QString &identifier,
                        const QString &password, int timeoutMs)
{
    bool answered = false;
    client::ApiResult result;
    QObject context;
    app.api().postAnonymous(u"/v1/auth/login"_s,
                            QJsonObject{{u"identifier"_s, identifier}, {u"password"_s, password}},
                            &context, [&](const client::ApiResult &r) {
                                result = r;
                                answered = true;
                            });
    if (!waitFor([&] { return answered; }, timeoutMs) || !result.ok()) {
        std::fprintf(stderr, "sign-in failed: %s\n", qPrintable(result.error.userMessage()));
        return false;
    }
    app.session().acceptTokens(result.json);
    return waitFor([&] { return app.window()->view(u"dashboardView"_s) != nullptr; }, timeoutMs);
}

} // namespace md::tools
