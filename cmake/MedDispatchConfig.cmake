# The one project-wide INTERFACE target: C++ standard, warnings and Qt strictness.
# Every target links meddispatch_config; nothing edits CMAKE_CXX_FLAGS.
add_library(meddispatch_config INTERFACE)
target_compile_features(meddispatch_config INTERFACE cxx_std_20)
target_compile_options(meddispatch_config INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual
    -Wno-missing-field-initializers)
target_compile_definitions(meddispatch_config INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CONTEXTLESS_CONNECT
    QT_USE_QSTRINGBUILDER
    QT_NO_KEYWORDS
    QT_DISABLE_DEPRECATED_BEFORE=0x060400
    MEDDISPATCH_VERSION="${PROJECT_VERSION}")
