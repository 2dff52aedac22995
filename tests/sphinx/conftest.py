"""The Sphinx extension tested the sphinx-proof / MyST-Parser way: tiny test roots, no full handbook build.

``pytest_plugins = "sphinx.testing.fixtures"`` is declared in tests/conftest.py (pytest accepts it only in the
top-level conftest); here ``rootdir`` points the ``sphinx`` marker at ``tests/sphinx/roots``, so
``@pytest.mark.sphinx("html", testroot="unknown-para")`` builds ``roots/test-unknown-para`` in a temp folder.
Each root is one or two pages with a handful of records, so a build takes a fraction of a second.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOTS = Path(__file__).resolve().parent / "roots"


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS
