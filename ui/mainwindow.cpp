#include "mainwindow.h"

#include "admin/adminviews.h"
#include "connectionmonitor.h"
#include "dashboard/dashboardview.h"
#include "eventstream.h"
#include "scan/scanview.h"
#include "session.h"
#include "signin/signinwidget.h"
#include "tickets/ticketsview.h"

#include <QAction>
#include <QApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using md::domain::Permission;

namespace md::ui {

namespace {

enum Page
{
    StartingPage,
    SignInPage,
    WorkspacePage
};

QString roleName(domain::Role role)
{
    switch (role) {
    case domain::Role::SuperAdmin:
        return MainWindow::tr("Platform administrator");
    case domain::Role::Admin:
        return MainWindow::tr("Dispatcher (administrator)");
    case domain::Role::OrgAdmin:
        return MainWindow::tr("Organization administrator");
    case domain::Role::Engineer:
        return MainWindow::tr("Engineer");
    case domain::Role::Customer:
        return MainWindow::tr("Hospital staff");
    }
    return {};
}

} // namespace

MainWindow::MainWindow(const ViewContext &context, QWidget *parent)
    : QMainWindow(parent), m_context(context)
{
    setWindowTitle(tr("MedDispatch"));
    setWindowIcon(QIcon(u":/meddispatch/meddispatch.png"_s));
    setObjectName(u"mainWindow"_s);

    m_pages = new QStackedWidget(this);
    setCentralWidget(m_pages);

    // Starting: the local server is starting or the server is being reached.
    auto *starting = new QWidget(m_pages);
    starting->setObjectName(u"startingPage"_s);
    auto *startingLayout = new QVBoxLayout(starting);
    startingLayout->addStretch();
    m_startingLabel = new QLabel(starting);
    m_startingLabel->setObjectName(u"startingMessage"_s);
    m_startingLabel->setAlignment(Qt::AlignCenter);
    m_startingLabel->setWordWrap(true);
    startingLayout->addWidget(m_startingLabel);
    auto *busy = new QProgressBar(starting);
    busy->setObjectName(u"startingProgress"_s);
    busy->setRange(0, 0);
    busy->setTextVisible(false);
    busy->setMaximumWidth(280);
    busy->setAccessibleName(tr("Starting"));
    startingLayout->addWidget(busy, 0, Qt::AlignHCenter);
    m_startRetryButton = new QPushButton(tr("&Retry"), starting);
    m_startRetryButton->setObjectName(u"startRetryButton"_s);
    m_startRetryButton->hide();
    startingLayout->addWidget(m_startRetryButton, 0, Qt::AlignHCenter);
    startingLayout->addStretch();
    connect(m_startRetryButton, &QPushButton::clicked, this, [this, busy] {
        busy->show();
        m_startRetryButton->hide();
        if (m_startRetry)
            m_startRetry();
    });
    m_pages->addWidget(starting);

    m_signIn = new SignInWidget(m_context, m_pages);
    m_signIn->setObjectName(u"signInWidget"_s);
    m_pages->addWidget(m_signIn);

    m_workspace = new QWidget(m_pages);
    m_workspace->setObjectName(u"workspace"_s);
    auto *workspaceLayout = new QVBoxLayout(m_workspace);
    workspaceLayout->setContentsMargins(0, 0, 0, 0);
    workspaceLayout->setSpacing(0);

    // The offline banner: shown while the server cannot be reached; views keep their
    // data and what the user typed, and requests resume when it answers again.
    m_offlineBanner = new QFrame(m_workspace);
    m_offlineBanner->setObjectName(u"offlineBanner"_s);
    m_offlineBanner->setAutoFillBackground(true);
    QPalette bannerPalette = m_offlineBanner->palette();
    bannerPalette.setColor(QPalette::Window, QColor(0xf9, 0xa8, 0x25));
    bannerPalette.setColor(QPalette::WindowText, QColor(0x21, 0x21, 0x21));
    m_offlineBanner->setPalette(bannerPalette);
    auto *bannerLayout = new QHBoxLayout(m_offlineBanner);
    m_offlineLabel = new QLabel(m_offlineBanner);
    m_offlineLabel->setObjectName(u"offlineMessage"_s);
    m_offlineLabel->setWordWrap(true);
    bannerLayout->addWidget(m_offlineLabel, 1);
    auto *retryNow = new QPushButton(tr("Retry &now"), m_offlineBanner);
    retryNow->setObjectName(u"offlineRetryButton"_s);
    bannerLayout->addWidget(retryNow);
    m_offlineBanner->hide();
    workspaceLayout->addWidget(m_offlineBanner);

    m_keychainNotice = new QLabel(m_workspace);
    m_keychainNotice->setObjectName(u"keychainNotice"_s);
    m_keychainNotice->setWordWrap(true);
    m_keychainNotice->setMargin(6);
    m_keychainNotice->hide();
    workspaceLayout->addWidget(m_keychainNotice);

    auto *splitter = new QSplitter(m_workspace);
    m_navigation = new QListWidget(splitter);
    m_navigation->setObjectName(u"navigation"_s);
    m_navigation->setAccessibleName(tr("Views"));
    m_navigation->setMaximumWidth(220);
    m_views = new QStackedWidget(splitter);
    m_views->setObjectName(u"views"_s);
    splitter->addWidget(m_navigation);
    splitter->addWidget(m_views);
    splitter->setStretchFactor(1, 1);
    workspaceLayout->addWidget(splitter, 1);
    m_pages->addWidget(m_workspace);
    connect(m_navigation, &QListWidget::currentRowChanged, m_views,
            &QStackedWidget::setCurrentIndex);

    m_userLabel = new QLabel(this);
    m_userLabel->setObjectName(u"statusUser"_s);
    m_serverLabel = new QLabel(this);
    m_serverLabel->setObjectName(u"statusServer"_s);
    m_liveLabel = new QLabel(this);
    m_liveLabel->setObjectName(u"statusLive"_s);
    statusBar()->addWidget(m_userLabel);
    statusBar()->addPermanentWidget(m_liveLabel);
    statusBar()->addPermanentWidget(m_serverLabel);

    if (m_context.connection) {
        connect(m_context.connection, &client::ConnectionMonitor::onlineChanged, this,
                &MainWindow::updateOfflineBanner);
        connect(m_context.connection, &client::ConnectionMonitor::retryCountdown, this,
                &MainWindow::updateOfflineBanner);
        connect(retryNow, &QPushButton::clicked, m_context.connection,
                &client::ConnectionMonitor::retryNow);
    }
    if (m_context.events)
        connect(m_context.events, &client::EventStream::liveChanged, this,
                &MainWindow::updateStatus);
    if (m_context.session)
        connect(m_context.session, &client::Session::userChanged, this, &MainWindow::updateStatus);

    buildMenus();
    resize(1280, 800);
    showStarting(tr("Starting MedDispatch…"));
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->setObjectName(u"fileMenu"_s);
    m_signOutAction = file->addAction(tr("Sign &out"), this, &MainWindow::signOutRequested);
    m_signOutAction->setObjectName(u"signOutAction"_s);
    m_signOutAction->setEnabled(false);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    menuBar()->addMenu(tr("&View"))->setObjectName(u"viewMenu"_s);
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About MedDispatch"), this, [this] {
        QMessageBox::about(
            this, tr("About MedDispatch"),
            tr("<h3>MedDispatch %1</h3><p>Dispatches service engineers to medical "
               "equipment across manufacturers, authorized partners, multi-brand providers "
               "and hospital BME teams.</p>")
                .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::showStarting(const QString &message)
{
    m_startingLabel->setText(message);
    m_startRetryButton->hide();
    m_pages->setCurrentIndex(StartingPage);
}

void MainWindow::showStartFailure(const QString &message, std::function<void()> retry)
{
    m_startingLabel->setText(message);
    m_startRetry = std::move(retry);
    m_startRetryButton->setVisible(bool(m_startRetry));
    if (auto *busy = findChild<QProgressBar *>(u"startingProgress"_s))
        busy->hide();
    m_pages->setCurrentIndex(StartingPage);
}

void MainWindow::showSignIn(const QString &notice)
{
    clearWorkspace();
    m_signOutAction->setEnabled(false);
    m_signIn->reset();
    if (!notice.isEmpty())
        statusBar()->showMessage(notice, 10000);
    m_pages->setCurrentIndex(SignInPage);
    updateStatus();
}

void MainWindow::showWorkspace()
{
    if (m_views->count() == 0)
        buildWorkspace();
    m_signOutAction->setEnabled(true);
    m_pages->setCurrentIndex(WorkspacePage);
    updateOfflineBanner();
    updateStatus();
}

void MainWindow::setDemoHint(bool demo)
{
    m_signIn->setDemoHint(demo);
}

void MainWindow::setKeychainNotice(const QString &explanation)
{
    m_keychainNotice->setText(explanation);
    m_keychainNotice->setVisible(!explanation.isEmpty());
}

void MainWindow::setServerDescription(const QString &description)
{
    m_serverLabel->setText(description);
}

void MainWindow::addView(QWidget *view, const QString &title, const QString &shortcut)
{
    m_views->addWidget(view);
    auto *item = new QListWidgetItem(title, m_navigation);
    item->setData(Qt::UserRole, view->objectName());
    auto *action = new QAction(title, this);
    action->setShortcut(QKeySequence(shortcut));
    const int index = m_views->count() - 1;
    connect(action, &QAction::triggered, this,
            [this, index] { m_navigation->setCurrentRow(index); });
    addAction(action);
    if (QMenu *menu = menuBar()->findChild<QMenu *>(u"viewMenu"_s))
        menu->addAction(action);
    m_viewActions.append(action);
}

void MainWindow::buildWorkspace()
{
    clearWorkspace();
    const client::Session *session = m_context.session;
    const auto may = [session](Permission p) { return session && session->may(p); };
    int number = 1;
    const auto shortcut = [&number]() -> QString { return u"Ctrl+"_s + QString::number(number++); };
    if (may(Permission::DashboardRead)) {
        auto *dashboard = new DashboardView(m_context, m_views);
        dashboard->setObjectName(u"dashboardView"_s);
        addView(dashboard, tr("Dashboard"), shortcut());
    }
    if (may(Permission::TicketsRead)) {
        auto *tickets = new TicketsView(m_context, m_views);
        tickets->setObjectName(u"ticketsView"_s);
        addView(tickets, tr("Tickets"), shortcut());
    }
    if (may(Permission::EquipmentRead))
        addView(createEquipmentView(m_context, m_views), tr("Equipment"), shortcut());
    if (may(Permission::EngineersRead))
        addView(createEngineersView(m_context, m_views), tr("Engineers"), shortcut());
    if (may(Permission::OrganizationsRead))
        addView(createOrganizationsView(m_context, m_views), tr("Organizations"), shortcut());
    if (may(Permission::UsersRead))
        addView(createUsersView(m_context, m_views), tr("Users"), shortcut());
    // Last, so that the views before it keep their Ctrl+number shortcuts.
    if (may(Permission::EquipmentRead))
        addScanView(shortcut());
    m_navigation->setCurrentRow(0);
}

void MainWindow::addScanView(const QString &shortcut)
{
    auto *scan = new ScanView(m_context, m_views);
    addView(scan, tr("Scan"), shortcut);
    connect(scan, &ScanView::ticketOpenRequested, this, [this](const QString &ticketId) {
        showView(u"ticketsView"_s);
        if (auto *tickets = qobject_cast<TicketsView *>(view(u"ticketsView"_s)))
            tickets->selectTicket(ticketId);
    });
    // File → Identify equipment: where someone holding a device looks first.
    auto *identify = new QAction(tr("&Identify equipment…"), this);
    identify->setObjectName(u"identifyEquipmentAction"_s);
    identify->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I));
    identify->setStatusTip(tr("Scan, type, open or paste an equipment label"));
    connect(identify, &QAction::triggered, this, [this] {
        showView(u"scanView"_s);
        if (QWidget *scanView = view(u"scanView"_s))
            scanView->setFocus(Qt::ShortcutFocusReason);
    });
    addAction(identify);
    if (QMenu *file = menuBar()->findChild<QMenu *>(u"fileMenu"_s))
        file->insertAction(m_signOutAction, identify);
    m_viewActions.append(identify); // removed with the views at sign-out
}

void MainWindow::clearWorkspace()
{
    qDeleteAll(m_viewActions);
    m_viewActions.clear();
    m_navigation->clear();
    while (m_views->count() > 0) {
        QWidget *view = m_views->widget(0);
        m_views->removeWidget(view);
        view->deleteLater();
    }
}

QWidget *MainWindow::view(const QString &objectName) const
{
    for (int i = 0; i < m_views->count(); ++i) {
        if (m_views->widget(i)->objectName() == objectName)
            return m_views->widget(i);
    }
    return nullptr;
}

void MainWindow::showView(const QString &objectName)
{
    for (int i = 0; i < m_views->count(); ++i) {
        if (m_views->widget(i)->objectName() == objectName)
            m_navigation->setCurrentRow(i);
    }
}

void MainWindow::updateOfflineBanner()
{
    const bool offline = m_context.connection && !m_context.connection->isOnline();
    if (offline) {
        const int seconds = m_context.connection->secondsUntilRetry();
        m_offlineLabel->setText(
            seconds > 0 ? tr("The server cannot be reached. Your work is kept; retrying in %1 s.")
                              .arg(seconds)
                        : tr("The server cannot be reached. Your work is kept; retrying now…"));
    }
    m_offlineBanner->setVisible(offline);
    updateStatus();
}

void MainWindow::updateStatus()
{
    const client::Session *session = m_context.session;
    if (session && session->isSignedIn()) {
        const auto &user = session->user();
        QString text = user.name + u" · "_s + roleName(user.role);
        if (!user.organizationName.isEmpty())
            text += u" · "_s + user.organizationName;
        m_userLabel->setText(text);
    } else {
        m_userLabel->setText(tr("Not signed in"));
    }
    if (m_context.events && session && session->isSignedIn())
        m_liveLabel->setText(m_context.events->isLive() ? tr("● Live updates")
                                                        : tr("○ Updates by polling"));
    else
        m_liveLabel->clear();
}

} // namespace md::ui
