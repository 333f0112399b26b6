# Tickets: the table model and proxy under QAbstractItemModelTester while loading the demo
# tickets page by page, and the view, detail and new-ticket dialog against a real server.
md_add_gui_test(NAME tst_ticketmodel SOURCES tst_ticketmodel.cpp)
md_add_gui_test(NAME tst_gui_tickets SOURCES tst_gui_tickets.cpp)
