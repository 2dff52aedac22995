"""The ASGI guard in front of every route: limits that hold on shared use, and the access log.

* The body limit is enforced while the body streams in (``Content-Length`` or chunked): past
  ``max_body_bytes`` the request gets 413 and the rest is never read.
* A client that stops sending its body gets 408 after ``timeout_request`` seconds (a client that
  stops sending its headers is closed by the server, see :mod:`wtkb.api.server`).
* ``HEAD`` is answered wherever ``GET`` is, with the headers and no body.
* Responses that can hold question text (``/ask``, ``/search``, ``/briefings``) carry
  ``Cache-Control: no-store``.
* The access log records method, path (never the query string: it may hold a question), status and
  time.
"""

from __future__ import annotations

import asyncio
import logging
import time
from email.message import Message

from fastapi import Request
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.types import Message as AsgiMessage

from wtkb.api.errors import problem_bytes
from wtkb.errors import UnsupportedMediaType

access = logging.getLogger("wtkb.access")
NO_STORE_PATHS = ("/ask", "/search", "/briefings")


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int):
        super().__init__(413, f"the request body is over {limit // 1024} KiB; send one question at a time")


class Guard:
    def __init__(self, app: ASGIApp, max_body_bytes: int, timeout_request: float):
        self.app = app
        self.limit = max_body_bytes
        self.timeout = timeout_request

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        t0 = time.perf_counter()
        head = scope["method"] == "HEAD"
        path = scope.get("path", "")
        status = {"code": 0}
        if head:
            scope = {**scope, "method": "GET"}

        async def send_out(message: AsgiMessage) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                if path.startswith(NO_STORE_PATHS):
                    message.setdefault("headers", [])
                    message["headers"] = [*message["headers"], (b"cache-control", b"no-store")]
            elif message["type"] == "http.response.body" and head:
                message = {**message, "body": b""}
            await send(message)

        try:
            size = _content_length(scope)
            if size is not None and size > self.limit:
                raise BodyTooLarge(self.limit)
            await self.app(scope, self._limited(receive, t0), send_out)
        except HTTPException as exc:  # raised before the app answered (the app turns its own into JSON)
            if status["code"]:
                raise
            await _answer(send_out, exc.status_code, str(exc.detail))
        if access.isEnabledFor(logging.INFO):  # path only: a query string may hold a question
            access.info("%s %s %d %.1fms", "HEAD" if head else scope["method"], path, status["code"],
                        (time.perf_counter() - t0) * 1000)

    def _limited(self, receive: Receive, t0: float) -> Receive:
        seen = 0

        async def limited() -> AsgiMessage:
            nonlocal seen
            left = self.timeout - (time.perf_counter() - t0)
            try:
                message = await asyncio.wait_for(receive(), max(left, 0.01))
            except TimeoutError:
                raise HTTPException(408, f"the request body did not arrive within {self.timeout:g} s; "
                                         "send it in one go") from None
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        return limited


def _content_length(scope: Scope) -> int | None:
    for key, value in scope.get("headers", ()):
        if key == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() else None
    return None


async def _answer(send: Send, status: int, detail: str) -> None:
    body = problem_bytes(detail)
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


async def require_json(request: Request) -> None:
    """A body sent with a content type other than JSON gets 415, not a confusing validation error."""
    value = request.headers.get("content-type")
    if not value:
        return
    msg = Message()
    msg["content-type"] = value
    kind = msg.get_content_type()
    if kind != "application/json" and not kind.endswith("+json"):
        raise UnsupportedMediaType(f"the body is sent as {kind}, not JSON",
                                   "send it with the header 'Content-Type: application/json'")

