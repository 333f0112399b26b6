# Signing in and the first start (issue 4): the six-box code input, the sign-in flow
# against a real server with the provider stand-in, and the first-run dialog.
md_add_gui_test(NAME tst_gui_otpcodeinput SOURCES tst_gui_otpcodeinput.cpp)
md_add_gui_test(NAME tst_gui_signin SOURCES tst_gui_signin.cpp)
md_add_gui_test(NAME tst_gui_firstrun SOURCES tst_gui_firstrun.cpp)
