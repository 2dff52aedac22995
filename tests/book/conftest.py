"""Fixtures for the handbook tests live in tests/conftest.py (``site``, ``served``, ``make_project``,
``parse_html``), shared with the browser tests."""
