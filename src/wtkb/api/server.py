"""Running the app under uvicorn with limits that hold on shared use (``wtkb serve`` uses :func:`run`).

uvicorn closes a keep-alive connection that stays idle (``timeout_keep_alive``), but a connection
that sends nothing, or half a request line and then nothing, is held for ever: 2,000 such
connections tie up a server. :class:`DeadlineProtocol` gives every request ``timeout_request``
seconds from its first byte (or from the connection opening) to finish its headers, then closes the
connection. A stalled *body* is the ASGI guard's job (:mod:`wtkb.api.guard`, 408).
"""

from __future__ import annotations

import asyncio
import copy

from uvicorn.protocols.http.auto import AutoHTTPProtocol

from wtkb.settings import Settings, get_settings


class DeadlineProtocol(AutoHTTPProtocol):  # type: ignore[misc, valid-type]
    """uvicorn's HTTP protocol, closing a connection whose request headers do not arrive in time."""

    timeout: float | None = None  # seconds; None reads WTKB_TIMEOUT_REQUEST (each worker reads its own)

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._deadline: asyncio.TimerHandle | None = None
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        before = self.cycle
        if self._deadline is None and (before is None or before.response_complete):
            self._arm()  # the first bytes of a new request on a kept-alive connection
        super().data_received(data)
        if self.cycle is not None and self.cycle is not before:  # the headers are in: a request has begun
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        seconds = self.timeout if self.timeout is not None else get_settings().timeout_request
        self._deadline = self.loop.call_later(seconds, self._expire)

    def _disarm(self) -> None:
        if getattr(self, "_deadline", None) is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expire(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            self.transport.close()


def uvicorn_options(settings: Settings) -> dict:
    """The uvicorn options wtkb runs with: its own access log (no query strings), the limits above."""
    from uvicorn.config import LOGGING_CONFIG

    # uvicorn's own access log is off: it would log query strings (GET /search?q=…). wtkb's own
    # access log (method, path without query, status, time) and, only when the operator opts in,
    # the questions themselves go to the same stream as uvicorn's messages.
    log_config = copy.deepcopy(LOGGING_CONFIG)
    log_config["loggers"]["wtkb"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return {"access_log": False, "log_level": "info", "log_config": log_config, "server_header": False,
            "timeout_keep_alive": settings.timeout_keep_alive, "http": DeadlineProtocol,
            "h11_max_incomplete_event_size": 16 * 1024}


def run(settings: Settings | None = None, host: str | None = None, port: int | None = None, workers: int = 1) -> None:
    """Serve ``wtkb.api:create_app`` (the handbook and the API) until interrupted."""
    import uvicorn

    settings = settings or get_settings()
    uvicorn.run("wtkb.api:create_app", factory=True, host=host or settings.host, port=port or settings.port,
                workers=workers, **uvicorn_options(settings))


if __name__ == "__main__":  # python -m wtkb.api.server: the same as `wtkb serve` without the messages
    run()
