# Equipment QR labels: sheets rendered to PDF and read back with poppler and zbar
# (tst_labelsheet), and the "Print labels…" dialog driven from the equipment view against a
# real server with the demo data (tst_gui_labels).
md_add_gui_test(NAME tst_labelsheet SOURCES tst_labelsheet.cpp labelpdf.h labelpdf.cpp)
md_add_gui_test(NAME tst_gui_labels SOURCES tst_gui_labels.cpp labelpdf.h labelpdf.cpp
                TIMEOUT 600)
