"""Every setting and every API route is documented (in the manner of datasette's documentation tests)."""

from __future__ import annotations

import re

import pytest

from wtkb.api import create_app
from wtkb.settings import Settings

from .conftest import ROOT

DOCS = (ROOT / "README.md").read_text(encoding="utf-8") + (ROOT / "api" / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("field", sorted(Settings.model_fields))
def test_every_setting_is_documented(field):
    assert f"WTKB_{field.upper()}" in DOCS, f"document WTKB_{field.upper()} in README.md or api/README.md"


def _routes() -> list[tuple[str, str]]:
    app = create_app(Settings(index_dir=ROOT / "no-such-index"))
    out = [(m.upper(), path) for path, ops in app.openapi()["paths"].items() for m in ops]
    return sorted(out) + [("GET", "/docs"), ("GET", "/redoc"), ("GET", "/openapi.json")]


@pytest.mark.parametrize("method, path", _routes())
def test_every_route_is_documented(method, path):
    # a path parameter may be named differently in prose: /duties/{id} documents /duties/{duty_id}
    parts = re.split(r"\{[^}]+\}", f"{method} {path}")
    pattern = r"\{[^}]+\}".join(re.escape(x) for x in parts) + r"(?![\w/{])"
    assert re.search(pattern, DOCS), f"document `{method} {path}` in README.md or api/README.md"
