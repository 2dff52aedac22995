""""Your role": which duties of the register bind a kind of agency, derived from each duty's "binds".

``src/wtkb/reference/data/roles.yaml`` holds, per role, regexes over the register's "who it binds"
text; :func:`role_duties` applies them, so a duty added to ``duties.yaml`` reaches the right roles
without anyone listing it again.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from wtkb.errors import SourceError
from wtkb.reference.duties import Duty, load_duties
from wtkb.reference.files import check_id, check_regexes, data_path, read_yaml


class Role(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    title: str
    phrase: str
    binds: list[str]
    topics: list[str] = Field(default_factory=list)
    note: str = ""

    @field_validator("id")
    @classmethod
    def _id_ok(cls, v: str) -> str:
        return check_id(v)

    @field_validator("binds")
    @classmethod
    def _binds_ok(cls, v: list[str]) -> list[str]:
        return check_regexes(v)

    @cached_property
    def _compiled(self) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p, re.IGNORECASE) for p in self.binds)

    def bound_by(self, duty: Duty) -> bool:
        return any(p.search(duty.binds) for p in self._compiled)


class Roles(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    everyone: list[str] = Field(default_factory=list)
    roles: list[Role]

    @field_validator("everyone")
    @classmethod
    def _everyone_ok(cls, v: list[str]) -> list[str]:
        return check_regexes(v)

    def binds_everyone(self, duty: Duty) -> bool:
        return any(re.search(p, duty.binds, re.IGNORECASE) for p in self.everyone)


def roles_path() -> Path:
    return data_path("roles.yaml")


def load_roles(path: Path | None = None) -> Roles:
    path = path or roles_path()
    raw = read_yaml(path, "roles") or {}
    try:
        roles = Roles.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise SourceError(f"the roles file is malformed: {'.'.join(map(str, err['loc']))}: {err['msg']}",
                          "give each role id, title, phrase and binds (regexes over a duty's 'binds')", path) from exc
    ids = [r.id for r in roles.roles]
    if len(set(ids)) != len(ids):
        raise SourceError("a role id appears twice in the roles file", "give each role a unique id", path)
    return roles


def role_duties(role: Role, roles: Roles, duties: list[Duty] | None = None) -> tuple[list[Duty], list[Duty]]:
    """(duties that bind this kind of agency, duties that bind every agency), in register order."""
    duties = load_duties() if duties is None else duties
    own = [d for d in duties if role.bound_by(d)]
    shared = [d for d in duties if d not in own and roles.binds_everyone(d)]
    return own, shared
