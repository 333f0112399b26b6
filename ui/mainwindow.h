#pragma once

#include <QMainWindow>

namespace md::ui {

/// The desktop's main window. Until the desktop issue lands it only says where the
/// bundled server is; the dispatch views come with that issue.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
};

} // namespace md::ui
