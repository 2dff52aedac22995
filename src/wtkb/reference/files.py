"""One loader for the package's YAML data files (glossary, duties, overrides, consultation results)."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from wtkb.errors import SourceError

M = TypeVar("M", bound=BaseModel)


def data_path(name: str) -> Path:
    """A file in src/wtkb/reference/data/."""
    return Path(str(resources.files("wtkb.reference") / "data" / name))


def read_yaml(path: Path, what: str, missing_ok: bool = False) -> Any:
    """Parse a data file; a missing (unless ``missing_ok``) or invalid file is a `SourceError` naming it."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        if missing_ok:
            return None
        raise SourceError(f"the {what} file is missing", f"restore {path.name} in src/wtkb/reference/data/",
                          path) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise SourceError(f"the {what} is not valid YAML: {getattr(exc, 'problem', exc)}", "fix the YAML syntax",
                          path, mark.line + 1 if mark is not None else None) from exc


def load_entries(path: Path, model: type[M], what: str, fix: str, key: str = "id",
                 missing_ok: bool = False, list_key: str | None = None) -> list[M]:
    """Read a YAML list of entries into ``model`` objects, in file order, with unique ``key`` values.

    ``what`` names an entry in messages ("duty", "glossary entry"); ``fix`` says what a valid entry has.
    """
    raw = read_yaml(path, f"{what} data", missing_ok) or []
    if isinstance(raw, dict) and list_key:
        raw = raw.get(list_key, [])
    if not isinstance(raw, list):
        raise SourceError(f"the {what} data must be a list of entries", "make the top level a YAML list", path)
    out: list[M] = []
    seen: set[Any] = set()
    for i, item in enumerate(raw):
        name = item.get(key) if isinstance(item, dict) else None
        try:
            entry = model.model_validate(item)
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(map(str, err["loc"]))
            raise SourceError(f"{what} '{name or f'entry {i + 1}'}' is malformed: "
                              f"{where + ': ' if where else ''}{err['msg']}", fix, path) from exc
        value = getattr(entry, key)
        if value in seen:
            raise SourceError(f"{what} '{value}' appears twice", f"give each {what} a unique {key}", path)
        seen.add(value)
        out.append(entry)
    return out


# -- checks shared by the data files' models (duties, roles) -------------------------------------

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def check_id(v: str) -> str:
    """An entry id: lowercase letters, digits and hyphens (it becomes a page name and an anchor)."""
    if not ID_RE.match(v):
        raise ValueError(f"id '{v}' must be lowercase letters, digits and hyphens")
    return v


def check_regexes(v: list[str]) -> list[str]:
    """Tagging patterns: each must compile (case-insensitive, as they are used)."""
    for p in v:
        try:
            re.compile(p, re.IGNORECASE)
        except re.error as exc:
            raise ValueError(f"pattern {p!r} is not a valid regex: {exc}") from exc
    return v
