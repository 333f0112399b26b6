# Equipment, engineers, organizations and users: the generic ResourceModel under
# QAbstractItemModelTester, and the views and forms driven against a real server.
md_add_gui_test(NAME tst_resourcemodel SOURCES tst_resourcemodel.cpp)
md_add_gui_test(NAME tst_gui_admin SOURCES tst_gui_admin.cpp)
