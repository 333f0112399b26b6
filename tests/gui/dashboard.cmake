# Dashboard: KPI tiles and charts, organization cards, live updates and polling.
md_add_gui_test(NAME tst_gui_dashboard SOURCES tst_gui_dashboard.cpp)
md_add_gui_test(NAME tst_gui_orgcard SOURCES tst_gui_orgcard.cpp)
