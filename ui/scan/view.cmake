# target_sources(md_ui PRIVATE ...) — scan view (being written)
