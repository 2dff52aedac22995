"""Build events: incremental re-reads, removed pages, the static files and the digest that versions doctrees."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sphinx.application import Sphinx

PACKAGE = Path(__file__).resolve().parent
STATIC = PACKAGE / "static"


def outdated(app: Sphinx, env, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    """When any page changed, the pages that show collected data (and refer to records) are re-read too."""
    app._wtkb_removed = set(removed)  # their old HTML is deleted when the build succeeds
    if not (added or changed or removed):
        return []
    dom = env.get_domain("wtkb")
    again = set(dom.data["collectors"]) | set(dom.data["refs"])
    return sorted(d for d in again if d in env.found_docs and d not in removed)


def drop_removed_pages(app: Sphinx, exception: Exception | None) -> None:
    """An incremental build leaves the HTML of a deleted page behind: remove it."""
    if exception is not None or app.builder.format != "html":
        return
    for docname in getattr(app, "_wtkb_removed", ()):
        path = Path(app.outdir) / app.builder.get_target_uri(docname)
        if path.is_file():
            path.unlink()


def add_static(app: Sphinx, config) -> None:
    if str(STATIC) not in config.html_static_path:
        config.html_static_path.append(str(STATIC))


def versioned_files() -> list[Path]:
    """Every file whose content the doctrees depend on: the package's modules and its static files."""
    return sorted(PACKAGE.glob("*.py")) + sorted(p for p in STATIC.rglob("*") if p.is_file())


def env_version() -> int:
    """A number that changes whenever the extension's code or static files change.

    A changed extension changes the doctrees it makes, so Sphinx re-reads every
    page: the digest covers every module of this package (not only
    ``__init__``) and every static file (so every page links the new
    ``wtkb.css`` / ``wtkb.js`` checksum).
    """
    digest = hashlib.sha256()
    for f in versioned_files():
        digest.update(f.relative_to(PACKAGE).as_posix().encode() + b"\0")
        digest.update(f.read_bytes())
    return int(digest.hexdigest()[:8], 16)
