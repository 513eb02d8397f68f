"""A warm parent for `briefbot` processes: imports the bot once, then forks one child per request.

Run as ``python tests/bot_zygote.py`` by tests/bot_process.py. Requests arrive on stdin, one JSON
line each: ``{"args": [...], "cwd": ..., "env": {...}, "log": ...}``. For each, the zygote forks;
the child takes that working directory, exactly that environment, /dev/null as stdin and the log
file as stdout and stderr, and runs ``main(args)`` of the `briefbot` script, exiting through the
interpreter's normal shutdown like the script does. The zygote answers ``{"pid": N}`` at once and
``{"exit": N, "code": C}`` when the child ends (C as subprocess.Popen.returncode: -signal when
killed). At end of input it kills the children still running and exits.

The zygote stays single-threaded (forking is only safe then): it waits on stdin and on a
SIGCHLD wake-up pipe with select, never in a thread.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import select
import signal
import sys
import threading
from typing import Any

# What `briefbot run` loads on its way to serving (and what its reader workers and first
# briefing load): imported here once, shared by every child. A name that no longer exists costs
# only speed, never correctness, so a missing one is skipped.
WARM = (
    "bot.cli.main",
    "bot.telegram.app",
    "bot.sources.ingest",
    "trafilatura",
    "summarizer.brief.briefing",
    "summarizer.quotes.extract",
)


def _warm_up() -> None:
    for name in WARM:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    if threading.active_count() != 1:  # an import started a thread: forking would be unsafe
        raise SystemExit("bot_zygote: an import started a thread; cannot fork safely")


def _send(message: dict[str, Any]) -> None:
    os.write(1, (json.dumps(message) + "\n").encode())


def _reap(children: set[int]) -> None:
    """Report every child that has ended."""
    while children:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        children.discard(pid)
        _send({"exit": pid, "code": os.waitstatus_to_exitcode(status)})


def serve() -> dict[str, Any] | None:
    """Fork a child per request; in a child, return its request (the zygote returns None)."""
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    children: set[int] = set()
    buffer = b""
    while True:
        ready, _, _ = select.select([0, wake_r], [], [])
        if wake_r in ready:
            with contextlib.suppress(BlockingIOError):
                os.read(wake_r, 4096)
            _reap(children)
        if 0 not in ready:
            continue
        chunk = os.read(0, 65536)
        if not chunk:
            for pid in children:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            return None
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            request = json.loads(line)
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                signal.set_wakeup_fd(-1)
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                os.close(wake_r)
                os.close(wake_w)
                return dict(request)
            children.add(pid)
            _send({"pid": pid})


def become(request: dict[str, Any]) -> None:
    """Turn this forked child into `briefbot ARGS` run from the request's directory."""
    null = os.open(os.devnull, os.O_RDONLY)
    log = os.open(request["log"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    os.dup2(null, 0)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(null)
    os.close(log)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.argv = ["briefbot", *request["args"]]


def main() -> None:
    """Warm up, serve; in a child, run the bot and exit with its code."""
    _warm_up()
    request = serve()
    if request is None:
        return
    become(request)
    from bot.cli.main import main as briefbot_main

    sys.exit(briefbot_main(request["args"]))


if __name__ == "__main__":
    main()
