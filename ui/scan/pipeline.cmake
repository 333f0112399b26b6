# target_sources(md_ui PRIVATE ...) — camera pipeline (being written)
