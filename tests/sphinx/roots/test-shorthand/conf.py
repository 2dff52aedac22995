# Site search shorthand and duty pages: a two-term glossary, two topic chapters, two duty pages.
extensions = ["myst_parser", "wtkb.sphinx"]
master_doc = "index"
exclude_patterns = ["_build"]
wtkb_glossary_file = "glossary.yaml"
