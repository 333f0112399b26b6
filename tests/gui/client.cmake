# The desktop's client library (md_client) against a real server: API errors, the
# session and its refresh, the live event stream and the embedded local server.
md_add_gui_test(NAME tst_client_api SOURCES tst_client_api.cpp)
md_add_gui_test(NAME tst_client_session SOURCES tst_client_session.cpp)
md_add_gui_test(NAME tst_client_events SOURCES tst_client_events.cpp)
md_add_gui_test(NAME tst_client_localserver SOURCES tst_client_localserver.cpp)
target_compile_definitions(tst_client_localserver PRIVATE
    MEDDISPATCH_SERVER_BINARY="$<TARGET_FILE:meddispatch-server>")
add_dependencies(tst_client_localserver meddispatch-server)
# The QtKeychain store lives in md_desktop (only app/desktop links QtKeychain).
md_add_gui_test(NAME tst_client_keychain SOURCES tst_client_keychain.cpp LIBS md_desktop)
