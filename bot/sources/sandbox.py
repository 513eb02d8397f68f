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

import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection, wait
from multiprocessing.reduction import ForkingPickler
from typing import TYPE_CHECKING, Any, TypeVar, cast

from bot.sources.workers import Worker, cpu_seconds, input_bytes, rss_mb
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
#: Resident memory (MB) one worker may reach while reading a document.
DEFAULT_MEMORY_MB = 500
_POLL = 0.05
#: Tasks in flight per worker in a batch: the next one waits in the pipe, ready to start.
PIPELINE = 2
#: Only a task this small is queued behind a running one (a pipe holds it without blocking).
PIPE_BYTES = 32 * 1024
_MB = 1_048_576


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
        self._idle: queue.LifoQueue[Worker] = queue.LifoQueue()
        self._all: set[Worker] = set()
        self._lock = threading.Lock()
        self._slots = threading.Semaphore(self.size)

    def start(self) -> Sandbox:
        """Start every worker now (while this process has one thread, so they are forked)."""
        with self._lock:
            missing = self.size - len(self._all)
        for _ in range(missing):
            worker = Worker()
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
        """``(item, fn(item) or its InputError)`` for every item, in input order.

        Each worker gets its next task while it still works on the current one (up to
        ``PIPELINE`` in flight, small tasks only), so it never idles waiting for this thread,
        which may be busy saving. Clocks start when a task reaches the head of its worker's
        queue; when a worker is killed, the tasks queued behind its runaway go to another.
        """
        pending = iter(items)
        queued: deque[tuple[int, T]] = deque()  # numbered, not yet sent
        lanes: dict[Connection, tuple[Worker, deque[tuple[int, T]]]] = {}
        done: dict[int, tuple[T, R | InputError]] = {}
        next_out = submitted = 0
        exhausted = False
        try:
            while True:
                while True:  # hand out tasks while some worker has room
                    if not queued:
                        if exhausted or len(done) >= 4 * self.size:
                            break
                        try:
                            queued.append((submitted, next(pending)))
                        except StopIteration:
                            exhausted = True
                            break
                        submitted += 1
                    lane = self._lane(lanes)
                    if lane is None:
                        break
                    worker, tasks = lane
                    index, item = queued[0]
                    data = bytes(ForkingPickler.dumps((fn, (item,))))
                    if tasks and len(data) > PIPE_BYTES:  # it could block behind a runaway
                        break
                    queued.popleft()
                    try:
                        worker.send(data)
                    except OSError as exc:
                        if tasks:  # it died on the task it was running: _check tells which
                            queued.appendleft((index, item))
                            break
                        del lanes[worker.conn]
                        self._forget(worker)
                        done[index] = (item, InputError(str(exc)))
                        continue
                    tasks.append((index, item))
                    if len(tasks) == 1:
                        worker.start_task(self.budget_for(input_bytes(item)), self.wall_factor)
                while next_out in done:
                    yield done.pop(next_out)
                    next_out += 1
                busy = [conn for conn, (_, tasks) in lanes.items() if tasks]
                if not busy:
                    if exhausted and not queued:
                        return
                    continue
                wait(busy, _POLL)
                for conn in busy:
                    worker, tasks = lanes[conn]
                    try:
                        outcome = self._check(worker)
                    except (OSError, EOFError) as exc:
                        outcome = ("dead", f"the reader process failed ({type(exc).__name__})")
                    if outcome is None:
                        continue
                    index, item = tasks.popleft()
                    kind, value = outcome
                    done[index] = (item, value if kind == "ok" else InputError(str(value)))
                    if kind == "dead":
                        del lanes[conn]
                        self._forget(worker)
                        queued.extendleft(reversed(tasks))  # never started: another worker
                    elif tasks:
                        head = tasks[0][1]
                        worker.start_task(self.budget_for(input_bytes(head)), self.wall_factor)
        finally:
            for worker, tasks in lanes.values():
                self._give_back(worker, not tasks)

    def _lane(
        self, lanes: dict[Connection, tuple[Worker, deque[tuple[int, T]]]]
    ) -> tuple[Worker, deque[tuple[int, T]]] | None:
        """An idle worker of this batch, a new one, or the least busy one with room; or None."""
        idle = next((lane for lane in lanes.values() if not lane[1]), None)
        if idle is not None:
            return idle
        if len(lanes) < self.size:
            worker = self._take()
            lanes[worker.conn] = (worker, deque())
            return lanes[worker.conn]
        room = [lane for lane in lanes.values() if len(lane[1]) < PIPELINE]
        return min(room, key=lambda lane: len(lane[1])) if room else None

    # -- workers --

    def _check(self, worker: Worker) -> tuple[str, Any] | None:
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
            used = cpu_seconds(worker.process.pid or 0)
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
        if self.memory_mb and rss_mb(worker.process.pid or 0) > self.memory_mb:
            log.warning("document over %d MB: worker killed", self.memory_mb)
            return ("dead", f"the document needs more than {self.memory_mb} MB to read")
        return None

    def _take(self) -> Worker:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            worker = Worker()
            with self._lock:
                self._all.add(worker)
            return worker

    def _give_back(self, worker: Worker, healthy: bool) -> None:
        if healthy:
            self._idle.put(worker)
        else:
            self._forget(worker)

    def _forget(self, worker: Worker) -> None:
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
