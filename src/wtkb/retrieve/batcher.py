"""The embedding batcher: concurrent queries share one forward pass of the model."""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future


class EmbeddingBatcher:
    """Embeds queries on one background thread, taking everything that is waiting as one batch.

    An idle batcher encodes a lone query at once (no waiting window, so no added latency); under
    load, queries that arrive during a forward pass share the next one, which is far cheaper than
    one pass each (16 short queries cost about 4 single passes on 2 cores).
    """

    def __init__(self, encode: Callable[[list[str]], list], max_batch: int = 32):
        self._encode = encode
        self._max = max_batch
        self._q: queue.SimpleQueue[tuple[str, Future] | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="wtkb-embed", daemon=True)
        self._thread.start()

    def submit(self, text: str) -> Future:
        fut: Future = Future()
        self._q.put((text, fut))
        return fut

    def embed(self, text: str):
        return self.submit(text).result()

    async def embed_async(self, text: str):
        return await asyncio.wrap_future(self.submit(text))

    def close(self) -> None:
        self._q.put(None)

    def _run(self) -> None:
        while True:
            item = self._q.get()
            if item is None:
                return
            batch = [item]
            while len(batch) < self._max:
                try:
                    nxt = self._q.get_nowait()
                except queue.Empty:
                    break
                if nxt is None:
                    self._q.put(None)
                    break
                batch.append(nxt)
            try:
                vecs = self._encode([t for t, _ in batch])
            except BaseException as exc:  # noqa: BLE001 - hand the failure to every waiting caller
                for _, fut in batch:
                    fut.set_exception(exc)
                continue
            for (_, fut), v in zip(batch, vecs, strict=True):
                fut.set_result(v)
