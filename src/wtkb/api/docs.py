"""``/docs`` (Swagger UI) and ``/redoc`` from the pinned ``fastapi-offline`` package's own assets.

Nothing is loaded from a CDN or a web font service: the pages work with no network and reveal
the operator's address to no third party. Every URL in the pages is relative, so they work at
``/`` and behind a path prefix alike.
"""

from __future__ import annotations

import functools
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

ASSETS_PATH = "/docs-assets"
# ReDoc's bundle shows the Redocly logo from its CDN: that one request is replaced by an empty image
REDOC_CDN_LOGO = b"https://cdn.redoc.ly/redoc/logo-mini.svg"
EMPTY_SVG = b"data:image/svg+xml,%3Csvg%20xmlns%3D%27http%3A%2F%2Fwww.w3.org%2F2000%2Fsvg%27%2F%3E"


def assets_dir() -> Path:
    import fastapi_offline

    return Path(fastapi_offline.__file__).parent / "static"


router = APIRouter(include_in_schema=False)


@router.get("/docs")
async def swagger() -> HTMLResponse:
    return get_swagger_ui_html(openapi_url="openapi.json", title="wtkb API",
                               swagger_js_url="docs-assets/swagger-ui-bundle.js",
                               swagger_css_url="docs-assets/swagger-ui.css",
                               swagger_favicon_url="docs-assets/favicon.png")


@functools.cache
def redoc_js() -> bytes:
    """The pinned ReDoc bundle with its one CDN address (the footer logo) replaced."""
    return (assets_dir() / "redoc.standalone.js").read_bytes().replace(REDOC_CDN_LOGO, EMPTY_SVG)


@router.get(f"{ASSETS_PATH}/redoc.standalone.js")
async def redoc_bundle() -> Response:
    return Response(redoc_js(), media_type="text/javascript", headers={"Cache-Control": "public, max-age=86400"})


@router.get("/redoc")
async def redoc() -> HTMLResponse:
    return get_redoc_html(openapi_url="openapi.json", title="wtkb API", redoc_js_url="docs-assets/redoc.standalone.js",
                          redoc_favicon_url="docs-assets/favicon.png", with_google_fonts=False)


def install(app: FastAPI) -> None:
    """Add the two pages and their assets (call before the handbook is mounted at /)."""
    app.include_router(router)
    app.mount(ASSETS_PATH, StaticFiles(directory=assets_dir()), name="docs-assets")
