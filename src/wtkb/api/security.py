"""Security headers on every response, CORS (off by default) and ``Allow`` on every 405.

Installed by one call in ``create_app``: :func:`install` wraps the app's whole middleware stack,
so error responses (413, 500, a handbook 404) get the headers too.

* Every response: ``X-Content-Type-Options: nosniff``, ``X-Frame-Options: DENY``,
  ``Referrer-Policy: no-referrer`` (an Ask page URL never leaks to the sites it links to),
  ``Cross-Origin-Opener-Policy: same-origin`` and a Content-Security-Policy.
* JSON and files: ``default-src 'none'; frame-ancestors 'none'`` (nothing in them may run).
* HTML (the handbook's pages, the API docs): scripts only from this origin plus the page's own
  inline scripts, each allowed by its SHA-256 hash (computed from the page as it is served, so
  a rebuilt handbook needs no configuration); no plugins, no framing, no foreign connections.
* CORS: ``WTKB_CORS_ORIGINS`` (comma-separated origins) turns it on for exactly those origins,
  for GET/POST with a JSON body; unset, no cross-origin headers are ever sent.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections import OrderedDict
from pathlib import Path
from typing import Any

from wtkb.settings import Settings

COMMON = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
DATA_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
HTML_CSP = ("default-src 'self'; script-src 'self'{hashes}; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
            "object-src 'none'; "
            "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
INLINE_SCRIPT = re.compile(rb"<script\b(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script\s*>", re.S | re.I)
MAX_HTML = 8 * 1024 * 1024  # pages larger than this are sent as they come, with the data CSP
HANDBOOK_METHODS = "GET, HEAD"


def html_csp(body: bytes) -> str:
    """The policy for one HTML page: its inline scripts allowed by hash, nothing else inline."""
    hashes = OrderedDict.fromkeys(
        "'sha256-" + base64.b64encode(hashlib.sha256(m.group(1)).digest()).decode() + "'"
        for m in INLINE_SCRIPT.finditer(body) if m.group(1).strip())
    return HTML_CSP.format(hashes="".join(" " + h for h in hashes))


def allowed_methods(app, scope: dict[str, Any]) -> str:
    """The methods the contract (the OpenAPI paths) gives this path; the handbook's GET, HEAD otherwise.

    GET implies HEAD (the guard answers HEAD wherever GET is served).
    """
    table = getattr(app.state, "wtkb_allow", None)
    if table is None:
        table = [(re.compile("^" + re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(path)) + "$"),
                  {m.upper() for m in ops})
                 for path, ops in app.openapi().get("paths", {}).items()]
        app.state.wtkb_allow = table
    path = scope.get("path", "")
    methods: set[str] = set()
    for pattern, ms in table:
        if pattern.match(path):
            methods |= ms
    if "GET" in methods:
        methods.add("HEAD")
    return ", ".join(sorted(methods)) if methods else HANDBOOK_METHODS


class SecurityHeaders:
    """Pure ASGI middleware: adds the headers, buffers HTML bodies to hash their inline scripts."""

    def __init__(self, inner, app):
        self.inner = inner
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.inner(scope, receive, send)
        held: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def send_wrapper(message):
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])]
                names = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in COMMON if k not in names]
                if message["status"] == 405 and b"allow" not in names:
                    headers.append((b"allow", allowed_methods(self.app, scope).encode()))
                ctype = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                if ctype.startswith(b"text/html") and scope["method"] != "HEAD":
                    held["start"] = {**message, "headers": headers}  # CSP once the body is known
                    return
                if b"content-security-policy" not in names:
                    csp = html_csp(b"") if ctype.startswith(b"text/html") else DATA_CSP
                    headers.append((b"content-security-policy", csp.encode()))
                await send({**message, "headers": headers})
                return
            if message["type"] == "http.response.body" and "start" in held:
                chunks.append(message.get("body", b""))
                size = sum(len(c) for c in chunks)
                if message.get("more_body") and size <= MAX_HTML:
                    return
                body = b"".join(chunks)
                start = held.pop("start")
                csp = html_csp(body) if size <= MAX_HTML else DATA_CSP
                await send({**start, "headers": [*start["headers"], (b"content-security-policy", csp.encode())]})
                await send({"type": "http.response.body", "body": body, "more_body": message.get("more_body", False)})
                return
            if message["type"] == "http.response.pathsend" and "start" in held:  # a server's zero-copy file send
                body = Path(message["path"]).read_bytes()
                start = held.pop("start")
                await send({**start, "headers": [*start["headers"], (b"content-security-policy",
                                                                     html_csp(body).encode())]})
                await send({"type": "http.response.body", "body": body, "more_body": False})
                return
            await send(message)

        await self.inner(scope, receive, send_wrapper)


def install(app, settings: Settings) -> None:
    """Security headers and ``Allow`` round everything (errors included); CORS when origins are set."""
    origins = settings.cors_origin_list
    if origins:
        from starlette.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST"],
                           allow_headers=["Content-Type"], max_age=600)
    build = app.build_middleware_stack
    app.build_middleware_stack = lambda: SecurityHeaders(build(), app)
