extensions = ["myst_parser", "wtkb.sphinx"]
master_doc = "index"
exclude_patterns = ["_build"]
