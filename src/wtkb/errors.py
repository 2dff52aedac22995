"""One error type for everything a user can fix: what is wrong, where, and what to do."""

from __future__ import annotations

from pathlib import Path


class WtkbError(Exception):
    """An error with a message a person can act on.

    ``what`` says what is wrong, ``fix`` says what to do about it, and
    ``path``/``line`` point at the file (and line) when there is one.
    """

    def __init__(self, what: str, fix: str, path: Path | str | None = None, line: int | None = None):
        self.what = what
        self.fix = fix
        self.path = str(path) if path is not None else None
        self.line = line
        super().__init__(str(self))

    def __reduce__(self):  # pickled whole (e.g. from the briefing worker process), not from str(self)
        return (self.__class__, (self.what, self.fix, self.path, self.line))

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return f"{where}{self.what}\n  → {self.fix}"


class SourceError(WtkbError):
    """A source document or the manifest is missing, unreadable or malformed."""


class IndexUnavailable(WtkbError):
    """The retrieval index is missing, stale, unreadable or of the wrong shape (the API answers 503)."""


IndexError_ = IndexUnavailable  # the old name, kept while other stages still import it


class NotFound(WtkbError):
    """The thing asked for (a paragraph, a duty) does not exist (the API answers 404)."""


class InvalidRequest(WtkbError):
    """A request that can be fixed by the person sending it (the API answers 422)."""


class UnsupportedMediaType(InvalidRequest):
    """A request body in a format the API does not take (the API answers 415)."""


class BuildError(WtkbError):
    """A build could not write its output (full disk, read-only folder) or another build is running."""


class InputError(InvalidRequest):
    """A request's text cannot be processed (e.g. it holds a lone surrogate); only that request fails (422)."""
