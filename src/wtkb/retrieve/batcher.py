"""The embedding batcher: concurrent queries share one forward pass of the model.

One bad text never fails another request: texts are checked before they join a batch
(:func:`wtkb.text.bad_character`), and if a shared forward pass still fails, each member of that
batch is retried alone, so only the text that really fails gets the error.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future, InvalidStateError

from wtkb.errors import InputError
from wtkb.text import TEXT_RULE, bad_character

log = logging.getLogger("wtkb.batcher")


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
        self.retried_batches = 0  # batches whose shared pass failed and were retried one by one
        self._thread = threading.Thread(target=self._run, name="wtkb-embed", daemon=True)
        self._thread.start()

    def submit(self, text: str) -> Future:
        """A future for ``text``'s embedding; a text that cannot be encoded fails at once, alone."""
        fut: Future = Future()
        problem = bad_character(text) if isinstance(text, str) else "the text is not a string"
        if problem:
            fut.set_exception(InputError(f"the text cannot be embedded: {problem}", f"send {TEXT_RULE}"))
        else:
            self._q.put((text, fut))
        return fut

    def embed(self, text: str):
        return self.submit(text).result()

    async def embed_async(self, text: str):
        return await asyncio.wrap_future(self.submit(text))

    def close(self) -> None:
        self._q.put(None)

    def _take_batch(self, first: tuple[str, Future]) -> list[tuple[str, Future]]:
        batch = [first]
        while len(batch) < self._max:
            try:
                nxt = self._q.get_nowait()
            except queue.Empty:
                break
            if nxt is None:
                self._q.put(None)
                break
            batch.append(nxt)
        return batch

    def _run(self) -> None:
        while True:
            item = self._q.get()
            if item is None:
                return
            batch = self._take_batch(item)
            batch = [m for m in batch if not m[1].done()]
            if not batch:
                continue
            try:
                self._encode_into(batch)
            except BaseException as exc:  # noqa: BLE001 - the shared pass failed: find the member that did
                if len(batch) == 1:
                    _fail(batch[0][1], exc)
                    continue
                self.retried_batches += 1
                log.warning("a batch of %d failed (%s); retrying its texts one by one", len(batch),
                            type(exc).__name__)
                for member in batch:
                    try:
                        self._encode_into([member])
                    except BaseException as one:  # noqa: BLE001 - only this caller gets the error
                        _fail(member[1], one)

    def _encode_into(self, batch: list[tuple[str, Future]]) -> None:
        vecs = self._encode([t for t, _ in batch])
        if len(vecs) != len(batch):
            raise RuntimeError(f"the encoder returned {len(vecs)} vectors for {len(batch)} texts")
        for (_, fut), v in zip(batch, vecs, strict=True):
            with contextlib.suppress(InvalidStateError):  # a caller that went away (cancelled) needs nothing
                fut.set_result(v)


def _fail(fut: Future, exc: BaseException) -> None:
    with contextlib.suppress(InvalidStateError):
        fut.set_exception(exc)
