"""The `wtkb` command line: one core, several faces (``app`` and ``fail`` in :mod:`wtkb.cli.app`)."""

from __future__ import annotations

from wtkb.cli import briefing, build, qa
from wtkb.cli.app import app, err, fail, out

__all__ = ["app", "err", "fail", "main", "out"]

for _face in (build, qa, briefing):
    _face.register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
