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
import contextlib
import logging
import queue
import sqlite3
import threading
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class _Job:
    work: Work[Any]
    done: Callable[[Any, BaseException | None], None]


class StoreThreads:
    """A fixed set of threads, each with its own event loop, Store and Commands."""

    def __init__(
        self,
        name: str,
        make: Callable[[], Commands],
        *,
        threads: int = 1,
        retry_delays: Sequence[float] = RETRY_DELAYS,
    ) -> None:
        self.name = name
        self._make = make
        self.retry_delays = tuple(retry_delays)
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._threads = [
            threading.Thread(target=self._serve, name=f"{name}-{i}", daemon=True)
            for i in range(threads)
        ]
        for t in self._threads:
            t.start()
        self._closed = False

    async def run(self, work: Work[T]) -> T:
        """Run ``work(commands)`` on one of the threads; the event loop only awaits it."""
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[T] = loop.create_future()

        def settle(result: Any, error: BaseException | None) -> None:
            if fut.cancelled():
                return
            if error is not None:
                fut.set_exception(error)
            else:
                fut.set_result(result)

        def done(result: Any, error: BaseException | None) -> None:
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(settle, result, error)

        self._put(_Job(work, done))
        return await fut

    def post(self, work: Work[Any]) -> None:
        """Queue ``work`` without waiting for it (from any thread); failures are logged."""

        def done(result: Any, error: BaseException | None) -> None:
            if error is not None:
                log.warning("%s: background store work failed: %s", self.name, error)

        self._put(_Job(work, done))

    def _put(self, job: _Job) -> None:
        if self._closed:
            raise RuntimeError(f"{self.name} is closed")
        self._jobs.put(job)

    def _serve(self) -> None:
        loop = asyncio.new_event_loop()
        cmds: Commands | None = None
        try:
            while (job := self._jobs.get()) is not None:
                try:
                    if cmds is None:
                        cmds = self._make()
                    result = loop.run_until_complete(self._retrying(job.work, cmds))
                except BaseException as exc:  # handed to the awaiting side
                    job.done(None, exc)
                else:
                    job.done(result, None)
        finally:
            if cmds is not None:
                cmds.store.close()
            loop.run_until_complete(loop.shutdown_default_executor())
            loop.close()

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
        """Finish the queued work, close every thread's connection and stop the threads."""
        if self._closed:
            return
        self._closed = True
        for _ in self._threads:
            self._jobs.put(None)
        for t in self._threads:
            t.join(timeout)
