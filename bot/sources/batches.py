"""Saving a stream of prepared articles in short write transactions.

Each commit writes every page an article touched (its row, full-text segments, document
frequencies, its story) to the WAL, so the CLI's ingest saves the articles that are ready in one
transaction (``BATCH_ARTICLES`` at most, ``BATCH_SECONDS`` at most). The readers' results arrive
through ``Prefetch`` (a thread iterating the sandbox), so a batch is committed before the saver
waits for a reader: the write lock is never held while a slow document is being read, and other
writers (the bot) wait a fraction of a second at most. Each article is still its own savepoint:
a failure costs that article only.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, suppress
from typing import Generic, TypeVar

from bot.store import StorageError, Store

log = logging.getLogger(__name__)

T = TypeVar("T")

BATCH_ARTICLES = 64
BATCH_SECONDS = 0.15
PREFETCH = 64


class Prefetch(Generic[T]):
    """Iterates a source on a helper thread; ``take`` returns its items without blocking."""

    def __init__(self, source: Iterator[T], size: int = PREFETCH) -> None:
        self._items: queue.Queue[tuple[str, object]] = queue.Queue(size)
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(source,), name="ingest-prefetch", daemon=True
        )
        self._thread.start()

    def _run(self, source: Iterator[T]) -> None:
        try:
            for item in source:
                if not self._put(("item", item)):
                    return
        except BaseException as exc:  # handed to the consumer, raised there
            self._put(("error", exc))
        finally:
            close = getattr(source, "close", None)
            if close is not None:
                close()
            self._put(("end", None))

    def _put(self, entry: tuple[str, object]) -> bool:
        while not self._stop.is_set():
            try:
                self._items.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def take(self, wait: bool) -> tuple[str, object] | None:
        """("item", x), ("error", exc) or ("end", None); None when nothing is ready and not ``wait``."""
        try:
            return self._items.get(block=wait)
        except queue.Empty:
            return None

    def close(self) -> None:
        """Stop the helper thread (the source is closed on it)."""
        self._stop.set()
        while self._thread.is_alive():
            with suppress(queue.Empty):
                self._items.get(timeout=0.05)

    def __enter__(self) -> Prefetch[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Batch:
    """One open write transaction of the saver, and the report entries it holds."""

    def __init__(self, store: Store, start: int) -> None:
        self.stack = ExitStack()
        self.stack.enter_context(store.atomic())
        self.opened = time.monotonic()
        self.start = start  # index of the batch's first entry in the report's ingested list
        self.count = 0

    def full(self) -> bool:
        """Whether the batch should be committed now."""
        return self.count >= BATCH_ARTICLES or time.monotonic() - self.opened >= BATCH_SECONDS

    def commit(self) -> StorageError | None:
        """Commit; the error instead when the commit failed (everything in the batch undone)."""
        try:
            self.stack.close()
        except StorageError as exc:
            return exc
        return None

    def abort(self, exc: BaseException) -> None:
        """Undo the batch."""
        try:
            self.stack.__exit__(type(exc), exc, exc.__traceback__)
        except BaseException as again:  # the same error re-raised by the transaction
            if again is not exc:
                log.warning("rollback failed: %s", again)


def save_batched(
    store: Store,
    stream: Prefetch[T],
    save: Callable[[T], None],
    saved: Callable[[], int],
    lost: Callable[[int, str], None],
) -> None:
    """``save`` every item of ``stream`` (in order) inside short batch transactions.

    ``saved()`` is how many articles ``save`` has reported saved so far; should a batch fail to
    commit, ``lost(first, reason)`` is told that those from number ``first`` on were not kept.
    """
    batch: Batch | None = None

    def commit() -> None:
        nonlocal batch
        done, batch = batch, None
        if done is not None:
            error = done.commit()
            if error is not None:
                lost(done.start, str(error))

    try:
        while True:
            got = stream.take(wait=False)
            if got is None:
                commit()  # never wait on the readers holding the write lock
                got = stream.take(wait=True)
            assert got is not None
            kind, value = got
            if kind == "end":
                break
            if kind == "error":
                assert isinstance(value, BaseException)
                raise value
            if batch is None:
                try:
                    batch = Batch(store, saved())
                except StorageError as exc:  # locked by another writer: this article alone
                    log.warning("no batch transaction (%s): saving one by one", exc)
            save(value)  # type: ignore[arg-type]
            if batch is not None:
                batch.count += 1
                if not store.conn.in_own_transaction():  # SQLite rolled the batch back itself
                    lost(batch.start, "database error: the transaction was rolled back")
                    batch.abort(StorageError("rolled back"))
                    batch = None
                elif batch.full():
                    commit()
        commit()
    except BaseException as exc:
        if batch is not None:
            batch.abort(exc)
        raise
