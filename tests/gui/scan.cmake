# Scan view: the keyboard-wedge timing (pure logic), the lookup of scanned payloads on a
# real server (found / not found / another tenant's / ambiguous / hostile), and the view
# driven like a user: scanner field, image file, clipboard, fake camera frames, no camera,
# "Report a problem" and "Add as new equipment…".
md_add_test(NAME tst_wedgescandetector LABEL unit SOURCES tst_wedgescandetector.cpp
            LIBS md_ui)
md_add_gui_test(NAME tst_equipmentlookup SOURCES tst_equipmentlookup.cpp)
md_add_gui_test(NAME tst_gui_scan SOURCES tst_gui_scan.cpp
                LIBS md_codeimages md_framesource)
