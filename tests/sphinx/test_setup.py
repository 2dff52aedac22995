"""The extension's manifest: what ``setup()`` registers, and the digest that ties doctrees to the code."""

from __future__ import annotations

from pathlib import Path

import pytest

import wtkb.sphinx
from wtkb.sphinx import events


def test_every_module_and_static_file_is_versioned():
    package = Path(wtkb.sphinx.__file__).parent
    covered = {p.relative_to(package).as_posix() for p in events.versioned_files()}
    modules = {p.name for p in package.glob("*.py")}
    assert {"__init__.py", "nodes.py", "roles.py", "domain.py", "directives.py", "forms.py"} <= modules
    assert modules <= covered
    assert {"static/wtkb.js", "static/wtkb.css"} <= covered


def test_env_version_is_stable_and_fits_sphinx():
    assert events.env_version() == events.env_version()
    assert 0 <= events.env_version() < 2**32


@pytest.mark.sphinx("html", testroot="roles")
def test_setup_registers_roles_directives_and_static_files(app):
    assert app.registry.domains["wtkb"].name == "wtkb"
    from sphinx.util.docutils import is_directive_registered, is_role_registered

    for name in ("wtkb-record", "wtkb-source", "wtkb-duty", "duty-backlinks", "duty-register", "wtkb-source-list",
                 "wtkb-ask", "wtkb-briefing-form"):
        assert is_directive_registered(name), name
    assert is_role_registered("para") and is_role_registered("duty")
    assert str(events.STATIC) in app.config.html_static_path
    assert app.extensions["wtkb.sphinx"].parallel_read_safe is True
