"""Child processes that end with their parent (the Sphinx build child, the briefing-pack worker)."""

from __future__ import annotations

import os
import sys


def die_with_parent(parent_pid: int | None = None) -> None:
    """Call in a child: Linux kills it when its parent dies, even by ``kill -9`` (PR_SET_PDEATHSIG).

    ``parent_pid``, when given, closes the race where the parent died before the call: the child
    then exits at once. Elsewhere than Linux this does nothing.
    """
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if parent_pid is not None and os.getppid() != parent_pid:
        sys.exit(1)
