# The camera pipeline without a camera: frames made from qrencode labels in ImageMagick
# scenes (md_codeimages), in every pixel format a webcam sends, fed by md_framesource.
md_add_gui_test(NAME tst_framedecoder SOURCES tst_framedecoder.cpp
                LIBS md_framesource md_codeimages)
md_add_gui_test(NAME tst_scanpipeline SOURCES tst_scanpipeline.cpp
                LIBS md_framesource md_codeimages)
