"""The duties register: statutory provisions, and which paragraphs concern each.

The register is ``src/wtkb/reference/data/duties.yaml``. A paragraph concerns a duty when
one of the duty's ``patterns`` matches its text and none of its ``exclude``
patterns does (both case-insensitive, searched in the record's plain text),
adjusted by the reviewed list in ``src/wtkb/reference/data/duty_overrides.yaml``
(``add``/``remove``: record id -> duty ids, each with a comment saying why).

Whether the sources mention a duty at all is never written down: it is the
number of paragraphs :func:`duty_backlinks` finds for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cached_property, lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from wtkb.errors import SourceError
from wtkb.models import Record
from wtkb.reference.files import check_id, check_regexes, data_path, load_entries, read_yaml


class Duty(BaseModel):
    """One statutory provision of the register."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    act: str
    provision: str
    title: str
    binds: str
    requires: str
    url: str | None = None  # the provision on legislation.gov.uk
    patterns: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _id_ok(cls, v: str) -> str:
        return check_id(v)

    @field_validator("patterns", "exclude")
    @classmethod
    def _regexes_ok(cls, v: list[str]) -> list[str]:
        return check_regexes(v)

    @field_validator("url")
    @classmethod
    def _url_ok(cls, v: str | None) -> str | None:
        if v is not None and not v.startswith("https://www.legislation.gov.uk/"):
            raise ValueError(f"url '{v}' must be an address on https://www.legislation.gov.uk/")
        return v

    @cached_property
    def _compiled(self) -> tuple[tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]]:
        return (tuple(re.compile(p, re.IGNORECASE) for p in self.patterns),
                tuple(re.compile(p, re.IGNORECASE) for p in self.exclude))

    def matches(self, text: str) -> bool:
        """True when a pattern matches ``text`` and no exclude pattern does."""
        pats, excl = self._compiled
        return any(p.search(text) for p in pats) and not any(x.search(text) for x in excl)

    @property
    def short_name(self) -> str:
        """What a chip or a ``{duty}`` link shows: 'Children Act 1989 s 17', 'Data Protection Act 2018'."""
        prov = self.provision.split("(")[0].split(",")[0].strip()
        if prov.lower().startswith("whole"):
            return self.act
        prov = re.sub(r"^sections\s+", "ss ", prov)
        prov = re.sub(r"^section\s+", "s ", prov)
        return f"{self.act} {prov}"


class Overrides(BaseModel):
    """Reviewed corrections to the pattern tagger: record id -> duty ids."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    add: dict[str, list[str]] = Field(default_factory=dict)
    remove: dict[str, list[str]] = Field(default_factory=dict)


def duties_path() -> Path:
    return data_path("duties.yaml")


def overrides_path() -> Path:
    return data_path("duty_overrides.yaml")


def load_duties(path: Path | None = None) -> list[Duty]:
    """The register, in file order. A malformed entry is a `SourceError` naming it."""
    if path is None:
        return list(_load_default())
    return _load_duties(path)


@lru_cache(maxsize=1)
def _load_default() -> tuple[Duty, ...]:
    return tuple(_load_duties(duties_path()))


def _load_duties(path: Path) -> list[Duty]:
    return load_entries(path, Duty, "duty",
                        fix="give it id, act, provision, title, binds, requires and valid regex patterns")


def load_overrides(path: Path | None = None) -> Overrides:
    path = path or overrides_path()
    raw = read_yaml(path, "duty overrides") or {}
    try:
        ov = Overrides.model_validate(raw)
    except ValidationError as exc:
        raise SourceError(f"the duty overrides are malformed: {exc.errors()[0]['msg']}",
                          "use two maps, add: and remove:, from record id to a list of duty ids", path) from exc
    known = {d.id for d in load_duties()}
    for side in ("add", "remove"):
        for rid, ids in getattr(ov, side).items():
            bad = [d for d in ids if d not in known]
            if bad:
                raise SourceError(f"duty override '{side}: {rid}' names unknown duty id(s) {', '.join(bad)}",
                                  "use ids from src/wtkb/reference/data/duties.yaml", path)
    return ov


def check_overrides(records: Iterable[Record], overrides: Overrides | None = None) -> None:
    """Fail when an override names a record that is not in the corpus (its ID changed or it was removed)."""
    ov = overrides or load_overrides()
    ids = {r.id for r in records}
    for side in ("add", "remove"):
        for rid in getattr(ov, side):
            if rid not in ids:
                raise SourceError(f"duty override '{side}: {rid}' names a record that is not in the corpus",
                                  "update the record id (see `wtkb paragraphs`) or drop the entry",
                                  overrides_path())


def pattern_tags(record: Record, duties: list[Duty] | None = None) -> list[str]:
    """Duty ids whose patterns alone tag ``record`` (no overrides), in register order."""
    if record.kind == "figure":
        return []
    # only the record's own words: a quote's attribution names a respondent, not a duty
    return [d.id for d in (duties if duties is not None else load_duties()) if d.matches(record.text)]


def tags_for(record: Record, duties: list[Duty] | None = None, overrides: Overrides | None = None) -> list[str]:
    """Duty ids that ``record`` concerns: pattern tags, plus reviewed additions, minus reviewed removals."""
    duties = duties if duties is not None else load_duties()
    ov = overrides or load_overrides()
    tags = set(pattern_tags(record, duties))
    tags |= set(ov.add.get(record.id, ()))
    tags -= set(ov.remove.get(record.id, ()))
    return [d.id for d in duties if d.id in tags]


def duty_backlinks(records: Iterable[Record]) -> dict[str, list[str]]:
    """Duty id -> ids of the records that concern it, in document order; every duty has a key."""
    duties = load_duties()
    ov = load_overrides()
    out: dict[str, list[str]] = {d.id: [] for d in duties}
    for r in records:
        for d in tags_for(r, duties, ov):
            out[d].append(r.id)
    return out
