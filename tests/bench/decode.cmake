# bench_photo: PhotoReader on phone-size JPEG photos (with and without a label, and a
# 1600×1200 one) beside Qt's JPEG decoding and ZXing-cpp's ReadBarcodes alone on the same
# bytes in the same run. Links ZXing directly for the "alone" figure. Its images come
# from md_codeimages (qrencode, ImageMagick) at start.
add_executable(bench_photo bench_photo.cpp)
target_link_libraries(bench_photo PRIVATE meddispatch_config md_benchsupport md_codeimages
                      md_codes md_domain ZXing::ZXing Qt6::Gui)
