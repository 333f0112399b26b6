#include "mainwindow.h"

#include <QLabel>

namespace md::ui {

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setWindowTitle(tr("MedDispatch"));
    auto *label = new QLabel(
        tr("<h2>MedDispatch</h2><p>The dispatch server is running on this computer at "
           "<b>%1</b>.</p><p>The dispatcher views arrive with the desktop release.</p>")
            .arg(qEnvironmentVariable("MEDDISPATCH_URL", QStringLiteral("http://127.0.0.1:8080"))),
        this);
    label->setObjectName(QStringLiteral("placeholderLabel"));
    label->setAlignment(Qt::AlignCenter);
    label->setMargin(24);
    setCentralWidget(label);
    resize(640, 360);
}

} // namespace md::ui
