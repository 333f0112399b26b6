# The whole application: DesktopApp (composition root) + MainWindow against a real server.
md_add_gui_test(NAME tst_gui_app SOURCES tst_gui_app.cpp LIBS md_desktop md_desktopdriver
                TIMEOUT 600)
target_compile_definitions(tst_gui_app PRIVATE
    MEDDISPATCH_SERVER_BINARY="$<TARGET_FILE:meddispatch-server>")
add_dependencies(tst_gui_app meddispatch-server)
