"""Local procedures and contacts: what an operator adds for their partnership (empty by default).

The file is ``src/wtkb/reference/data/local.yaml`` unless ``WTKB_LOCAL_FILE`` names another;
the handbook's "Local procedures and contacts" page is generated from it at build time.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from wtkb.errors import SourceError
from wtkb.reference.files import data_path, read_yaml
from wtkb.settings import Settings

SAFE_URL = re.compile(r"^(https?://|mailto:)\S+$")


def _url_ok(v: str | None) -> str | None:
    if v and not SAFE_URL.match(v):
        raise ValueError(f"'{v}' is not a web address: start it with https:// or mailto:")
    return v


class Link(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str
    url: str

    @field_validator("url")
    @classmethod
    def _url(cls, v: str | None) -> str | None:
        return _url_ok(v)


class Contact(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    name: str
    purpose: str = Field("", alias="for")
    phone: str | None = None
    email: str | None = None
    url: str | None = None
    hours: str | None = None

    @field_validator("url")
    @classmethod
    def _url(cls, v: str | None) -> str | None:
        return _url_ok(v)


class LocalInfo(BaseModel):
    """A partnership's procedures manual and contacts; every field optional."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    partnership: str | None = None
    procedures: Link | None = None
    updated: str | None = None
    intro: str | None = None
    contacts: list[Contact] = Field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.partnership or self.procedures or self.contacts)


def local_path(settings: Settings) -> Path:
    return settings.local_file or data_path("local.yaml")


def load_local(settings: Settings) -> LocalInfo:
    """The operator's local details; a missing ``WTKB_LOCAL_FILE`` or a malformed entry is a `SourceError`."""
    path = local_path(settings)
    if settings.local_file is not None and not path.is_file():
        raise SourceError(f"WTKB_LOCAL_FILE names {path}, which does not exist",
                          "point WTKB_LOCAL_FILE at your local.yaml, or unset it to use the empty default", path)
    raw = read_yaml(path, "local procedures and contacts", missing_ok=True) or {}
    try:
        return LocalInfo.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(map(str, err["loc"]))
        raise SourceError(f"the local procedures and contacts file is malformed: {where}: {err['msg']}",
                          "see the comments at the top of src/wtkb/reference/data/local.yaml for the fields",
                          path) from exc
