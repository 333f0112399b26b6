#include "mainwindow.h"

#include <QApplication>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("MedDispatch"));
    QApplication::setOrganizationName(QStringLiteral("MedDispatch"));
    QApplication::setApplicationVersion(QStringLiteral(MEDDISPATCH_VERSION));
    md::ui::MainWindow window;
    window.show();
    return QApplication::exec();
}
