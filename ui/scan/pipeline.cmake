# The camera pipeline: the webcam (CameraSource), the newest-frame decoder on its worker
# thread (FrameDecoder), the live preview with outlines (CameraPreview) and the glue
# between them (ScanPipeline). md_ui links Qt6::Multimedia.
target_sources(md_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/framedecoder.h ${CMAKE_CURRENT_LIST_DIR}/framedecoder.cpp
    ${CMAKE_CURRENT_LIST_DIR}/camerasource.h ${CMAKE_CURRENT_LIST_DIR}/camerasource.cpp
    ${CMAKE_CURRENT_LIST_DIR}/camerapreview.h ${CMAKE_CURRENT_LIST_DIR}/camerapreview.cpp
    ${CMAKE_CURRENT_LIST_DIR}/scanpipeline.h ${CMAKE_CURRENT_LIST_DIR}/scanpipeline.cpp
)
