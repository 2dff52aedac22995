"""Keep-alive HTTP load on ``POST /ask``, for ``wtkb.dev.bench`` and ``wtkb.dev.scale``.

:class:`Client` is a lean HTTP/1.1 keep-alive client (asyncio streams, so the client costs little
CPU). :func:`load` runs ``clients`` of them asking the questions in turn for ``seconds``, and
optionally sends bad requests (one connection each) at ``bad_per_s`` a second beside them. It
returns the raw :class:`Load`; each tool names and rounds its own result dict from it.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

BadRequest = tuple[str, str, bytes]  # (method, path with any query, raw JSON body or b"")


def percentile(xs: list[float], p: float) -> float:
    """The ``p``-th percentile of ``xs`` (nearest rank; NaN when empty)."""
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(p / 100 * (len(xs) - 1))))]


class Client:
    """A lean HTTP/1.1 keep-alive client (asyncio streams), so the client costs little CPU."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def ask(self, question: str) -> tuple[int, float]:
        return await self.post("/ask", {"question": question})

    async def post(self, path: str, payload: dict) -> tuple[int, float]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        body = json.dumps(payload).encode()
        head = (f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode()
        t0 = time.perf_counter()
        self.writer.write(head + body)
        await self.writer.drain()
        status_line = await self.reader.readline()
        headers = await self.reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in headers.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        await self.reader.readexactly(length)
        dt = time.perf_counter() - t0
        return int(status_line.split()[1]), dt

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def send_raw(host: str, port: int, method: str, path: str, body: bytes) -> int:
    """One request on its own connection (``Connection: close``); returns the status code."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        head = f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n"
        if body:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        writer.write(head.encode() + b"\r\n" + body)
        await writer.drain()
        return int((await reader.readline()).split()[1])
    finally:
        writer.close()


@dataclass
class Load:
    """What one :func:`load` run saw: good-request latencies (s) and errors, wall time, bad-request statuses."""

    clients: int
    latencies: list[float] = field(default_factory=list)
    errors: int = 0  # good requests that raised or did not answer 200
    wall: float = 0.0
    bad_status: list[int] = field(default_factory=list)  # 0: the bad request got no status line

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def rps(self) -> float:
        return round(self.requests / self.wall, 1)

    def ms(self, p: float, digits: int) -> float:
        """The ``p``-th percentile latency in milliseconds, rounded to ``digits``."""
        return round(percentile(self.latencies, p) * 1000, digits)


async def _ask_until(host: str, port: int, questions: list[str], turn: Iterator[int], stop: float,
                     out: Load) -> None:
    """One keep-alive client asking the next question until ``stop``; a broken connection is replaced."""
    c = Client(host, port)
    try:
        while time.perf_counter() < stop:
            try:
                status, dt = await c.ask(questions[next(turn) % len(questions)])
            except (OSError, asyncio.IncompleteReadError, ValueError):
                out.errors += 1
                await c.close()
                c = Client(host, port)
                continue
            out.errors += status != 200
            out.latencies.append(dt)
    finally:
        await c.close()


async def _bad_until(host: str, port: int, bad: Sequence[BadRequest], per_s: float, stop: float,
                     out: Load) -> None:
    i = 0
    while per_s and bad and time.perf_counter() < stop:
        method, path, body = bad[i % len(bad)]
        try:
            out.bad_status.append(await send_raw(host, port, method, path, body))
        except (OSError, ValueError, IndexError):
            out.bad_status.append(0)
        i += 1
        await asyncio.sleep(1 / per_s)


async def load(host: str, port: int, questions: list[str], clients: int, seconds: float,
               bad: Sequence[BadRequest] = (), bad_per_s: float = 0) -> Load:
    """``clients`` keep-alive clients asking ``questions`` in turn for ``seconds``; with ``bad`` and
    ``bad_per_s``, also one of the ``bad`` requests (in turn) every ``1 / bad_per_s`` seconds."""
    out = Load(clients)
    stop = time.perf_counter() + seconds
    turn = itertools.count()
    t0 = time.perf_counter()
    await asyncio.gather(_bad_until(host, port, bad, bad_per_s, stop, out),
                         *(_ask_until(host, port, questions, turn, stop, out) for _ in range(clients)))
    out.wall = time.perf_counter() - t0
    return out
