# The camera pipeline (issue 5): FrameDecoder beside ZXing's ReadBarcodes alone on the
# same NV12 frames, and frames per second through ScanPipeline + a shown CameraPreview
# with the UI thread's responsiveness. Frames come from md_framesource (no camera).
add_executable(bench_scan_pipeline bench_scan_pipeline.cpp)
target_link_libraries(bench_scan_pipeline PRIVATE meddispatch_config md_benchsupport md_ui
                      md_framesource md_codeimages ZXing::ZXing Qt6::Widgets Qt6::Test)
