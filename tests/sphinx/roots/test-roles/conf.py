# A tiny handbook: two records, one duty page, a two-term glossary.
extensions = ["myst_parser", "wtkb.sphinx"]
master_doc = "index"
exclude_patterns = ["_build"]
