"""The built handbook at ``/`` (static files), or a short note on how to build it."""

from __future__ import annotations

from pathlib import Path

from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles


class Handbook(StaticFiles):
    """The built handbook at /, or a short note on how to build it when it is not there."""

    async def check_config(self) -> None:
        if self.directory is not None and Path(self.directory).is_dir():
            await super().check_config()

    async def get_response(self, path: str, scope):
        if scope["method"] not in ("GET", "HEAD"):
            return JSONResponse({"detail": f"{scope['method']} is not allowed here; the API is described at /docs"},
                                status_code=405)
        if self.directory is None or not Path(self.directory).is_dir():
            if path in (".", "", "index.html"):
                return JSONResponse({"detail": "the handbook is not built yet: run `wtkb build`. "
                                               "The API is at /docs."}, status_code=404)
            return JSONResponse({"detail": "not found; the API is described at /docs"}, status_code=404)
        return await super().get_response(path, scope)
