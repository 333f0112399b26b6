# The scan view: the keyboard-wedge scanner field (timing in WedgeScanDetector), image
# file and clipboard decoding on a worker thread, the lookup of a payload on the server
# (EquipmentLookup) and the identified equipment with its open tickets.
target_sources(md_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/wedgescandetector.h ${CMAKE_CURRENT_LIST_DIR}/wedgescandetector.cpp
    ${CMAKE_CURRENT_LIST_DIR}/scanfield.h ${CMAKE_CURRENT_LIST_DIR}/scanfield.cpp
    ${CMAKE_CURRENT_LIST_DIR}/equipmentlookup.h ${CMAKE_CURRENT_LIST_DIR}/equipmentlookup.cpp
    ${CMAKE_CURRENT_LIST_DIR}/openticketsmodel.h ${CMAKE_CURRENT_LIST_DIR}/openticketsmodel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/identifiedequipmentpanel.h
    ${CMAKE_CURRENT_LIST_DIR}/identifiedequipmentpanel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/scanview.h ${CMAKE_CURRENT_LIST_DIR}/scanview.cpp
)
