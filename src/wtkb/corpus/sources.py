"""Load the source manifest and read the source files, refusing anything malformed."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import yaml

from wtkb.errors import SourceError
from wtkb.models import OutlineRule, SourceDoc

MANIFEST_NAME = "manifest.yaml"
REQUIRED = ("id", "title", "short_title", "publisher", "date", "kind", "licence", "file")
KINDS = ("guidance briefing", "consultation response", "local feedback", "commentary", "notice")
ID_RE = re.compile(r"^[a-z][a-z0-9]{1,31}$")
IGNORED_FILES = {MANIFEST_NAME, "README.md", "UPSTREAM-README.md"}


def _read_manifest(path: Path, sources_dir: Path) -> tuple[list[Any], list[int | None]]:
    """The manifest's document entries and the line each entry starts on."""
    if not path.is_file():
        raise SourceError("the source manifest is missing",
                          f"create {MANIFEST_NAME} in {sources_dir} (see README, 'Adding a document')", path)
    raw_text = path.read_text(encoding="utf-8")
    try:
        raw = yaml.safe_load(raw_text)
        node = yaml.compose(raw_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise SourceError(f"the manifest is not valid YAML ({getattr(exc, 'problem', exc)})",
                          "fix the YAML syntax at that line", path,
                          mark.line + 1 if mark is not None else None) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("documents"), list):
        raise SourceError("the manifest must be a mapping with a 'documents:' list",
                          "start the file with 'documents:' followed by one '- id: ...' entry per file", path)
    docs_node = next(v for k, v in node.value if k.value == "documents")
    return raw["documents"], [item.start_mark.line + 1 for item in docs_node.value]


def _outline_rules(entry: dict[str, Any], ident: str, path: Path, line: int | None) -> tuple[OutlineRule, ...]:
    rules: list[OutlineRule] = []
    for r in entry.get("outline") or []:
        try:
            rule = OutlineRule(match=r["match"], level=r.get("level"), child=bool(r.get("child", False)),
                               within=r.get("within"))
            for rx in (rule.match, rule.within):
                if rx:
                    re.compile(rx)
        except (KeyError, TypeError, re.error) as exc:
            raise SourceError(f"document '{ident}' has a bad outline rule {r!r} ({exc})",
                              "each rule needs 'match' (a regex) and either 'level: N' or 'child: true'",
                              path, line) from None
        rules.append(rule)
    return tuple(rules)


def _check_fields(entry: dict[str, Any], ident: str, path: Path, line: int | None) -> None:
    missing = [k for k in REQUIRED if not entry.get(k)]
    if missing:
        raise SourceError(f"document '{ident}' lacks required field(s): {', '.join(missing)}",
                          f"add {', '.join(missing)} to its manifest entry", path, line)
    if not ID_RE.match(ident):
        raise SourceError(f"document id '{ident}' is not a short lowercase id",
                          "use 2-32 characters a-z and 0-9, starting with a letter (e.g. cr2023)", path, line)
    if entry["kind"] not in KINDS:
        raise SourceError(f"document '{ident}' has unknown kind '{entry['kind']}'",
                          f"use one of: {', '.join(KINDS)}", path, line)
    if entry.get("format", "web") not in ("web", "markdown"):
        raise SourceError(f"document '{ident}' has unknown format '{entry['format']}'", "use 'web' or 'markdown'",
                          path, line)
    sha = entry.get("sha256")
    if sha is not None and not re.fullmatch(r"[0-9a-f]{64}", str(sha)):
        raise SourceError(f"document '{ident}' has a malformed sha256 '{sha}'",
                          f"quote the 64-character hex digest, e.g. sha256: \"$(sha256sum {entry['file']})\"",
                          path, line)
    url = entry.get("url")
    if url is not None and not (isinstance(url, str) and re.fullmatch(r"https://\S+", url)):
        raise SourceError(f"document '{ident}' has a malformed url {url!r}",
                          "give the publication's public address as https://…, or leave url out", path, line)


def _regexes(entry: dict[str, Any], ident: str, path: Path, line: int | None) -> dict[str, Any]:
    """The entry's cleaning rules (furniture, drop_until, drop_from), each checked to compile."""
    extra: dict[str, Any] = {key: str(entry[key]) for key in ("drop_until", "drop_from") if entry.get(key)}
    furniture = tuple(str(x) for x in entry.get("furniture") or [])
    for rx in furniture + tuple(extra.values()):
        try:
            re.compile(rx)
        except re.error as exc:
            raise SourceError(f"document '{ident}' has an invalid regex {rx!r} ({exc})",
                              "fix the regular expression", path, line) from None
    return {**extra, "furniture": furniture}


def _source_doc(entry: Any, n: int, sources_dir: Path, path: Path, line: int | None) -> SourceDoc:
    """One manifest entry, checked, as a SourceDoc."""
    if not isinstance(entry, dict):
        raise SourceError(f"document entry {n} is not a mapping", "write each entry as '- id: ...' with its fields",
                          path, line)
    ident = str(entry.get("id", f"#{n}"))
    _check_fields(entry, ident, path, line)
    file_path = sources_dir / str(entry["file"])
    if not file_path.is_file():
        raise SourceError(f"document '{ident}' names file '{entry['file']}', which does not exist",
                          f"copy the file into {sources_dir} or correct the 'file:' field", path, line)
    sha = entry.get("sha256")
    return SourceDoc(
        id=ident, title=str(entry["title"]), short_title=str(entry["short_title"]),
        publisher=str(entry["publisher"]), date=str(entry["date"]), kind=str(entry["kind"]),
        licence=str(entry["licence"]), file=str(entry["file"]), path=file_path, format=entry.get("format", "web"),
        sha256=str(sha) if sha is not None else None, description=str(entry.get("description", "")),
        author=entry.get("author"), date_note=entry.get("date_note"),
        outline=_outline_rules(entry, ident, path, line), split_pages=bool(entry.get("split_pages", False)),
        url=entry.get("url"), **_regexes(entry, ident, path, line))


def load_manifest(sources_dir: Path) -> list[SourceDoc]:
    """Read ``sources/manifest.yaml`` and check it against the files beside it."""
    path = sources_dir / MANIFEST_NAME
    entries, lines = _read_manifest(path, sources_dir)
    docs: list[SourceDoc] = []
    seen_ids: dict[str, int | None] = {}
    for n, (entry, line) in enumerate(zip(entries, lines, strict=True), 1):
        doc = _source_doc(entry, n, sources_dir, path, line)
        if doc.id in seen_ids:
            raise SourceError(f"document id '{doc.id}' is used twice (also at line {seen_ids[doc.id]})",
                              "give each document its own id", path, line)
        seen_ids[doc.id] = line
        docs.append(doc)
    listed = {d.file for d in docs}
    for f in sorted(sources_dir.iterdir()):
        if f.is_file() and f.name not in IGNORED_FILES and not f.name.startswith(".") and f.name not in listed:
            raise SourceError(f"file '{f.name}' has no entry in the manifest",
                              f"add an entry for it to {MANIFEST_NAME} (or move it out of {sources_dir})", f)
    if not docs:
        raise SourceError("the manifest lists no documents", "add at least one entry under 'documents:'", path)
    return docs


def read_source(doc: SourceDoc) -> str:
    """Return a source's text, refusing empty, non-UTF-8 or changed files."""
    data = doc.path.read_bytes()
    if not data.strip():
        raise SourceError("the source file is empty",
                          "copy the document's text into it again, or remove it and its manifest entry", doc.path)
    if doc.sha256 and hashlib.sha256(data).hexdigest() != doc.sha256:
        raise SourceError("the source file differs from the copy recorded in the manifest (sha256 mismatch)",
                          "sources are kept exactly as received: restore the original, or if this is a new "
                          "edition update 'sha256:' in the manifest", doc.path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(f"the source file is not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
                          "convert it to UTF-8, e.g. `iconv -f cp1252 -t utf-8`", doc.path, line) from None
