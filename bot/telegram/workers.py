"""Store worker threads: the bot's event loop never runs SQLite.

Each ``StoreThreads`` owns one or more threads; every thread has its own event loop, its own
``Store`` connection (opened on that thread, so SQLite's same-thread check forbids any other
thread, the event loop's included, from using it) and its own ``Commands``. Work is a coroutine
function of that ``Commands``; the event loop awaits its result. A short busy timeout bounds how
long one statement waits for another process's write lock (a CLI ingest, say); a job that still
meets "database is locked" is retried with backoff and then fails with ``StoreBusy``, whose text
is the one line the user sees.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import sqlite3
import threading
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from bot.chat.commands import Commands
from bot.store import StorageError

log = logging.getLogger(__name__)

T = TypeVar("T")
Work = Callable[[Commands], Awaitable[T]]

BUSY_TIMEOUT = 2.0  # seconds one statement waits for another connection's write lock
RETRY_DELAYS: tuple[float, ...] = (0.25, 0.75)  # then the job is retried, then StoreBusy
BUSY_TEXT = "The database is busy with a large import right now. Please try again in a minute."
_BUSY_CODES = frozenset({5, 6})  # SQLITE_BUSY, SQLITE_LOCKED (and their extended codes)


class StoreBusy(Exception):
    """The store stayed locked by another writer through every retry."""


def is_locked(exc: BaseException) -> bool:
    """True for SQLite's "database is locked/busy", raw or wrapped in StorageError."""
    for e in (exc, exc.__cause__):
        if isinstance(e, sqlite3.OperationalError):
            code = getattr(e, "sqlite_errorcode", None)
            if code is not None:
                return code & 0xFF in _BUSY_CODES
            return "locked" in str(e) or "busy" in str(e)
    return isinstance(exc, StorageError) and ("is locked" in str(exc) or "is busy" in str(exc))


class _Worker:
    """One thread: its event loop (running), its Commands (made on first use), jobs in flight."""

    def __init__(self, serial: bool) -> None:
        self.loop = asyncio.new_event_loop()
        self.cmds: Commands | None = None
        self.in_flight = 0
        self.serial = asyncio.Lock() if serial else None
        self.thread: threading.Thread | None = None


class StoreThreads:
    """A fixed set of threads, each running an event loop with its own Store and Commands.

    A thread runs several jobs at once (while one awaits a computation or a retry, the next one
    reads), unless ``serial``: then one job at a time, in order. A job goes to the thread with the
    fewest jobs in flight.
    """

    def __init__(
        self,
        name: str,
        make: Callable[[], Commands],
        *,
        threads: int = 1,
        serial: bool = False,
        retry_delays: Sequence[float] = RETRY_DELAYS,
    ) -> None:
        self.name = name
        self._make = make
        self.retry_delays = tuple(retry_delays)
        self._lock = threading.Lock()
        self._closed = False
        self._workers = [_Worker(serial) for _ in range(threads)]
        for i, w in enumerate(self._workers):
            w.thread = threading.Thread(
                target=self._serve, args=(w,), name=f"{name}-{i}", daemon=True
            )
            w.thread.start()

    async def run(self, work: Work[T]) -> T:
        """Run ``work(commands)`` on one of the threads; the caller's loop only awaits it."""
        return await asyncio.wrap_future(self._submit(work))

    def post(self, work: Work[Any]) -> None:
        """Queue ``work`` without waiting for it (from any thread); failures are logged."""

        def logged(fut: concurrent.futures.Future[Any]) -> None:
            if not fut.cancelled() and fut.exception() is not None:
                log.warning("%s: background store work failed: %s", self.name, fut.exception())

        self._submit(work).add_done_callback(logged)

    def _submit(self, work: Work[T]) -> concurrent.futures.Future[T]:
        with self._lock:
            if self._closed:
                raise RuntimeError(f"{self.name} is closed")
            w = min(self._workers, key=lambda w: w.in_flight)
            w.in_flight += 1
        return asyncio.run_coroutine_threadsafe(self._job(w, work), w.loop)

    async def _job(self, w: _Worker, work: Work[T]) -> T:
        try:
            if w.cmds is None:
                w.cmds = self._make()
            if w.serial is None:
                return await self._retrying(work, w.cmds)
            async with w.serial:
                return await self._retrying(work, w.cmds)
        finally:
            with self._lock:
                w.in_flight -= 1

    def _serve(self, w: _Worker) -> None:
        asyncio.set_event_loop(w.loop)
        try:
            w.loop.run_forever()
        finally:
            if w.cmds is not None:
                w.cmds.store.close()
            w.loop.run_until_complete(w.loop.shutdown_default_executor())
            w.loop.close()

    async def _retrying(self, work: Work[T], cmds: Commands) -> T:
        delays = list(self.retry_delays)
        while True:
            try:
                return await work(cmds)
            except Exception as exc:
                if not is_locked(exc):
                    raise
                if not delays:
                    raise StoreBusy(BUSY_TEXT) from exc
                log.info("%s: database locked, retrying", self.name)
                await asyncio.sleep(delays.pop(0))

    def close(self, timeout: float = 30.0) -> None:
        """Finish the jobs in flight, close every thread's connection and stop the threads."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        for w in self._workers:
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(_drain(), w.loop).result(timeout)
            w.loop.call_soon_threadsafe(w.loop.stop)
        for w in self._workers:
            if w.thread is not None:
                w.thread.join(timeout)


async def _drain() -> None:
    """Wait for every other task on this loop."""
    others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    await asyncio.gather(*others, return_exceptions=True)
