"""One reader worker process and our end of its pipe (used by :mod:`bot.sources.sandbox`).

The worker runs ``(function, args)`` tasks one after another and answers each with
``("ok", result)`` or ``("error", one line)``; it dies with its parent. The parent side
(``Worker``) knows the task's budget and reads the worker's processor time and memory.
"""

from __future__ import annotations

import contextlib
import dataclasses
import multiprocessing
import os
import signal
import sys
import threading
import time
from multiprocessing.connection import Connection
from typing import Any

from summarizer.errors import InputError

__all__ = ["Worker", "cpu_seconds", "input_bytes", "rss_mb"]

#: Seconds a new worker may take to start and import the readers.
STARTUP_TIMEOUT = 300.0
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


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
        from bot.sources.ingest import warm_up

        warm_up()  # nothing to do when the parent warmed up before forking us
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


def cpu_seconds(pid: int) -> float | None:
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


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (0 where /proc is not available)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE / 1_048_576
    except (OSError, ValueError, IndexError):
        return 0.0


class Worker:
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
        used = cpu_seconds(self.process.pid or 0)
        self.cpu_limit = None if used is None else used + budget
        factor = wall_factor if used is not None else 1.0  # no /proc: wall time is all we have
        self.started = time.monotonic()
        self.deadline = self.started + budget * factor

    def send(self, task: tuple[Any, ...] | bytes) -> None:
        """Send a task (or its pickle) once the worker has started (raise OSError if it died)."""
        if not self.ready:
            try:
                if not self.conn.poll(STARTUP_TIMEOUT):
                    raise OSError("the reader process did not start")
                self.conn.recv()  # ("ready", None)
            except EOFError:
                raise OSError("the reader process died while starting") from None
            self.ready = True
        if isinstance(task, bytes):
            self.conn.send_bytes(task)  # what conn.send would write: the worker recv()s it
        else:
            self.conn.send(task)

    def kill(self) -> None:
        """Stop the process now."""
        with contextlib.suppress(Exception):
            self.process.kill()
        self.process.join(5)
        with contextlib.suppress(Exception):
            self.conn.close()
