# Engineer selection and assignment history: the item models under QAbstractItemModelTester
# and the widgets driven against a real server with the demo data.
md_add_gui_test(NAME tst_suggestionmodel SOURCES tst_suggestionmodel.cpp)
md_add_gui_test(NAME tst_assignmenthistorymodel SOURCES tst_assignmenthistorymodel.cpp)
md_add_gui_test(NAME tst_gui_engineerselection SOURCES tst_gui_engineerselection.cpp)
md_add_gui_test(NAME tst_gui_assignmenthistory SOURCES tst_gui_assignmenthistory.cpp)
