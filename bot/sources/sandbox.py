"""Reading untrusted documents in worker processes with a time and memory budget per document.

Extraction (trafilatura, YAML, JSON-LD, the cleaner) can run away on hostile input: deep
nesting, alias bombs, pathological HTML. Such work runs here, in a worker process that is
killed when one document uses more processor time than its budget (``budget`` seconds plus
``per_mb`` seconds per MB of input: big inputs get proportionally more), waits longer than
``wall_factor`` times that budget, or its resident memory passes ``memory_mb``; the document
then gets a one-line error and the next one gets a fresh worker. Counting processor time, not
wall time, keeps the verdict the same on a busy machine as on a quiet one.

``multiprocessing``'s pools cannot kill one task, so the workers are plain processes behind
pipes. Workers exit on their own when the parent dies (``PR_SET_PDEATHSIG`` on Linux and a
watchdog thread everywhere), so a killed ``briefbot`` leaves no orphans.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING, Any, TypeVar, cast

from summarizer.errors import InputError

if TYPE_CHECKING:
    from bot.sources.prepared import Prepared
    from summarizer.models import CleanDoc

__all__ = [
    "DEFAULT_BUDGET",
    "DEFAULT_MEMORY_MB",
    "Sandbox",
    "prepared_off_loop",
    "shared_sandbox",
]

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

#: Processor seconds any document may take to read, clean and prepare ...
DEFAULT_BUDGET = 30.0
#: ... plus this many per MB of its input (a 10 MB text gets 90 s; it needs about 15).
BUDGET_PER_MB = 6.0
#: A worker is also stopped when a document takes this many times its budget in wall time
#: (waiting, not computing: on a machine with load 10 on 2 cores a worker gets ~1/5 of a core).
WALL_FACTOR = 10.0
#: Seconds a new worker may take to start and import the readers.
STARTUP_TIMEOUT = 300.0
#: Resident memory (MB) one worker may reach while reading a document.
DEFAULT_MEMORY_MB = 500
_POLL = 0.05
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
_MB = 1_048_576


def _die_with_parent(parent: int) -> None:
    """Exit this worker as soon as the process that asked for it is gone."""
    if sys.platform.startswith("linux") and os.getppid() == parent:  # forked directly by it
        with contextlib.suppress(Exception):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: the kernel kills us with the parent

    def alive() -> bool:
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def watch() -> None:
        while alive():
            time.sleep(0.5)
        os._exit(1)

    if not alive():
        os._exit(1)
    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _worker(conn: Connection, parent: int) -> None:
    """Worker loop: receive (function, args), send ("ok", result) or ("error", message)."""
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's business
    with contextlib.suppress(Exception):  # warm up before the first document arrives
        import trafilatura  # noqa: F401

        import bot.sources.ingest  # noqa: F401
    conn.send(("ready", None))  # budgets start after the imports, not during them
    while True:
        try:
            fn, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply: tuple[str, Any] = ("ok", fn(*args))
        except InputError as exc:
            reply = ("error", str(exc))
        except RecursionError:
            reply = ("error", "the document is nested too deeply to read")
        except MemoryError:
            reply = ("error", "the document needs too much memory to read")
        except BaseException as exc:  # any failure is this document's error, never the batch's
            reply = ("error", f"internal error: {type(exc).__name__}: {_one_line(str(exc))}")
        try:
            conn.send(reply)
        except Exception as exc:  # an unpicklable result
            conn.send(("error", f"internal error: {type(exc).__name__}"))


def _one_line(text: str) -> str:
    return " ".join(text.split())[:200]


def _cpu_seconds(pid: int) -> float | None:
    """Processor time (user + system) a process has used so far; None without /proc."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICK
    except (OSError, ValueError, IndexError):
        return None


def input_bytes(value: object, depth: int = 0) -> int:
    """About how many bytes of input a task's arguments hold (files by their size on disk)."""
    if isinstance(value, bytes | bytearray | str):
        return len(value)
    if isinstance(value, os.PathLike):
        try:
            return os.stat(value).st_size
        except (OSError, ValueError):
            return 0
    if depth >= 2:
        return 0
    if isinstance(value, tuple | list):
        return sum(input_bytes(v, depth + 1) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return sum(
            input_bytes(getattr(value, f.name), depth + 1) for f in dataclasses.fields(value)
        )
    return 0


def _rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (0 where /proc is not available)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE / 1_048_576
    except (OSError, ValueError, IndexError):
        return 0.0


class _Worker:
    """One worker process and our end of its pipe."""

    def __init__(self) -> None:
        # fork is instant and shares the parent's imports; with other threads alive it is unsafe.
        fork_ok = threading.active_count() == 1 and hasattr(os, "fork")
        ctx: Any = multiprocessing.get_context("fork" if fork_ok else "forkserver")
        if not fork_ok:  # forkserver children start with the readers already imported
            ctx.set_forkserver_preload(["bot.sources.ingest", "trafilatura"])
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker, args=(child, os.getpid()), daemon=True)
        self.process.start()
        child.close()
        self.ready = False
        self.budget = 0.0  # processor seconds allowed for the current task
        self.cpu_limit: float | None = None  # the worker's processor time at which it is killed
        self.started = self.deadline = 0.0  # the wall-clock backstop

    def start_task(self, budget: float, wall_factor: float) -> None:
        """Start the clocks of the task just sent."""
        self.budget = budget
        used = _cpu_seconds(self.process.pid or 0)
        self.cpu_limit = None if used is None else used + budget
        factor = wall_factor if used is not None else 1.0  # no /proc: wall time is all we have
        self.started = time.monotonic()
        self.deadline = self.started + budget * factor

    def send(self, task: tuple[Any, ...]) -> None:
        """Send a task once the worker has finished starting up (raise OSError if it died)."""
        if not self.ready:
            try:
                if not self.conn.poll(STARTUP_TIMEOUT):
                    raise OSError("the reader process did not start")
                self.conn.recv()  # ("ready", None)
            except EOFError:
                raise OSError("the reader process died while starting") from None
            self.ready = True
        self.conn.send(task)

    def kill(self) -> None:
        """Stop the process now."""
        with contextlib.suppress(Exception):
            self.process.kill()
        self.process.join(5)
        with contextlib.suppress(Exception):
            self.conn.close()


class Sandbox:
    """A few worker processes that run one function call each under a budget."""

    def __init__(
        self,
        workers: int = 1,
        budget: float = DEFAULT_BUDGET,
        memory_mb: int = DEFAULT_MEMORY_MB,
        per_mb: float = BUDGET_PER_MB,
        wall_factor: float = WALL_FACTOR,
    ) -> None:
        self.size = max(1, workers)
        self.budget = budget
        self.per_mb = per_mb
        self.wall_factor = wall_factor
        self.memory_mb = memory_mb
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._slots = threading.Semaphore(self.size)

    def start(self) -> Sandbox:
        """Start every worker now (while this process has one thread, so they are forked)."""
        with self._lock:
            missing = self.size - len(self._all)
        for _ in range(missing):
            worker = _Worker()
            with self._lock:
                self._all.add(worker)
            self._idle.put(worker)
        return self

    def budget_for(self, nbytes: int) -> float:
        """Processor seconds allowed for a task with ``nbytes`` of input."""
        return self.budget + self.per_mb * nbytes / _MB

    # -- one call at a time per thread (the bot) --

    def run(self, fn: Callable[..., R], *args: Any) -> R:
        """``fn(*args)`` in a worker; raise InputError when it fails or goes over budget."""
        outcome: tuple[str, Any] | None = None
        with self._slots:
            worker = self._take()
            try:
                worker.send((fn, args))
                worker.start_task(self.budget_for(input_bytes(args)), self.wall_factor)
                while True:
                    wait([worker.conn], _POLL)
                    outcome = self._check(worker)
                    if outcome is not None:
                        break
            except (OSError, EOFError) as exc:
                outcome = ("dead", f"the reader process failed ({type(exc).__name__})")
            self._give_back(worker, outcome[0] != "dead")
        if outcome[0] == "ok":
            return cast(R, outcome[1])
        raise InputError(str(outcome[1]))

    # -- a batch, in input order (the CLI) --

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[tuple[T, R | InputError]]:
        """``(item, fn(item) or its InputError)`` for every item, in input order."""
        pending = iter(items)
        busy: dict[Connection, tuple[int, T, _Worker]] = {}
        done: dict[int, tuple[T, R | InputError]] = {}
        next_out = submitted = 0
        exhausted = False
        try:
            while True:
                while not exhausted and len(busy) < self.size and len(done) < 4 * self.size:
                    try:
                        item = next(pending)
                    except StopIteration:
                        exhausted = True
                        break
                    worker = self._take()
                    try:
                        worker.send((fn, (item,)))
                    except OSError as exc:
                        self._forget(worker)
                        done[submitted] = (item, InputError(str(exc)))
                        submitted += 1
                        continue
                    worker.start_task(self.budget_for(input_bytes(item)), self.wall_factor)
                    busy[worker.conn] = (submitted, item, worker)
                    submitted += 1
                while next_out in done:
                    yield done.pop(next_out)
                    next_out += 1
                if not busy:
                    if exhausted:
                        return
                    continue
                wait(list(busy), _POLL)
                for conn, (index, item, worker) in list(busy.items()):
                    try:
                        outcome = self._check(worker)
                    except (OSError, EOFError) as exc:
                        outcome = ("dead", f"the reader process failed ({type(exc).__name__})")
                    if outcome is None:
                        continue
                    del busy[conn]
                    self._give_back(worker, outcome[0] != "dead")
                    kind, value = outcome
                    done[index] = (item, value if kind == "ok" else InputError(str(value)))
        finally:
            for _, _, worker in busy.values():
                self._forget(worker)

    # -- workers --

    def _check(self, worker: _Worker) -> tuple[str, Any] | None:
        """The worker's outcome if it has one (answer, crash, over budget), else None."""
        if worker.conn.poll():
            try:
                kind, value = worker.conn.recv()
                return (kind, value)
            except (EOFError, OSError):
                worker.process.join(1)
        if not worker.process.is_alive():
            code = worker.process.exitcode
            return ("dead", f"the reader process crashed (exit code {code})")
        if worker.cpu_limit is not None:
            used = _cpu_seconds(worker.process.pid or 0)
            if used is not None and used > worker.cpu_limit:
                log.warning("document over its %.0f s budget: worker killed", worker.budget)
                return (
                    "dead",
                    f"the document took more than {worker.budget:.3g} s of processor time to read",
                )
        if time.monotonic() > worker.deadline:
            wall = worker.deadline - worker.started
            log.warning("document over %.0f s of wall time: worker killed", wall)
            return ("dead", f"the document took longer than {wall:.3g} s to read")
        if self.memory_mb and _rss_mb(worker.process.pid or 0) > self.memory_mb:
            log.warning("document over %d MB: worker killed", self.memory_mb)
            return ("dead", f"the document needs more than {self.memory_mb} MB to read")
        return None

    def _take(self) -> _Worker:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            worker = _Worker()
            with self._lock:
                self._all.add(worker)
            return worker

    def _give_back(self, worker: _Worker, healthy: bool) -> None:
        if healthy:
            self._idle.put(worker)
        else:
            self._forget(worker)

    def _forget(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.kill()
        while not self._idle.empty():
            self._idle.get_nowait()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_shared: Sandbox | None = None
_shared_lock = threading.Lock()


def shared_sandbox() -> Sandbox:
    """The process-wide sandbox used by the bot (two workers, made on first use)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Sandbox(workers=2)
        return _shared


async def prepared_off_loop(item: CleanDoc | Prepared) -> Prepared:
    """An article's fingerprints and features, computed in the shared sandbox, never on the loop.

    Saving needs the store's own thread; everything before it (``prepare``) runs in a worker,
    under the budget, so /add and uploads cost the event loop only the database write.
    """
    import asyncio

    from bot.sources.prepared import Prepared, prepare

    if isinstance(item, Prepared):
        return item
    return await asyncio.to_thread(shared_sandbox().run, prepare, item)
