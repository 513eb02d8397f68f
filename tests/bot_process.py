"""Start the real `briefbot run` process for end-to-end tests, and stop it like a user would.

Importing the bot (PTB, NLTK, trafilatura, ...) costs seconds of CPU, its two reader workers each
paid it again, and the suite starts a bot about thirty times. So by default a bot is forked from
a zygote (tests/bot_zygote.py): one process per test session that has imported the bot once and
forks a child per bot, which takes its own working directory, environment and log and runs the
same ``main(["run", ...])`` as the `briefbot` script. Each bot is still its own process with its
own signals, exit code and reader workers. ``BotProcess(..., script=True)``, or
BRIEFBOT_TEST_SCRIPT=1 for every bot, starts the installed script instead.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import TracebackType

TOKEN = "4242:TEST-secret-token-value"


def briefbot_command() -> list[str]:
    """The installed `briefbot` script next to this Python, else `python -m bot`."""
    script = Path(sys.executable).with_name("briefbot")
    if script.exists():
        return [str(script)]
    found = shutil.which("briefbot")
    return [found] if found else [sys.executable, "-m", "bot"]


ZYGOTE = Path(__file__).with_name("bot_zygote.py")


class ForkedProcess:
    """A bot forked by the zygote, with the part of subprocess.Popen's interface tests use."""

    def __init__(self, pid: int, zygote: Zygote) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._zygote = zygote
        self._ended = threading.Event()

    def _exited(self, code: int) -> None:
        self.returncode = code
        self._ended.set()

    def poll(self) -> int | None:
        """The exit code, or None while it runs."""
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the exit code (subprocess.TimeoutExpired after ``timeout`` seconds)."""
        if not self._ended.wait(timeout):
            raise subprocess.TimeoutExpired(["briefbot"], timeout or 0.0)
        if self.returncode is None:
            raise RuntimeError("the zygote exited before the bot did")
        return self.returncode

    def send_signal(self, sig: int) -> None:
        """Signal the process if it still runs."""
        if self.returncode is None:
            os.kill(self.pid, sig)

    def terminate(self) -> None:
        """SIGTERM."""
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        """SIGKILL."""
        self.send_signal(signal.SIGKILL)


class Zygote:
    """The session's warm parent process (tests/bot_zygote.py) and a thread reading its news."""

    def __init__(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "TELEGRAM_"))}
        self.proc = subprocess.Popen(
            [sys.executable, str(ZYGOTE)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**env, "PTB_TIMEDELTA": "1"},
            cwd=ZYGOTE.parent,
        )
        self._lock = threading.Lock()
        self._spawned: list[int] = []
        self._spawn_ready = threading.Condition(self._lock)
        self._children: dict[int, ForkedProcess] = {}
        self._early: dict[int, int] = {}
        threading.Thread(target=self._read, name="bot-zygote", daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            message = json.loads(line)
            with self._lock:
                if "pid" in message:
                    self._spawned.append(message["pid"])
                    self._spawn_ready.notify_all()
                    continue
                pid, code = message["exit"], message["code"]
                child = self._children.pop(pid, None)
                if child is None:
                    self._early[pid] = code
                else:
                    child._exited(code)
        with self._lock:  # the zygote is gone: nobody will report these children
            for child in self._children.values():
                child._ended.set()
            self._spawn_ready.notify_all()

    def spawn(self, args: list[str], cwd: Path, env: dict[str, str], log: Path) -> ForkedProcess:
        """Fork a child running `briefbot ARGS` and return its handle."""
        assert self.proc.stdin is not None
        request = {"args": args, "cwd": str(cwd), "env": env, "log": str(log)}
        with self._lock:
            self.proc.stdin.write((json.dumps(request) + "\n").encode())
            self.proc.stdin.flush()
            while not self._spawned:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"the bot zygote exited with code {self.proc.returncode}")
                self._spawn_ready.wait(1.0)
            pid = self._spawned.pop(0)
            child = ForkedProcess(pid, self)
            if pid in self._early:
                child._exited(self._early.pop(pid))
            else:
                self._children[pid] = child
        return child

    def close(self) -> None:
        """End the zygote (it kills any child still running)."""
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


_zygote: Zygote | None = None
_zygote_lock = threading.Lock()


def zygote() -> Zygote:
    """This test process's zygote, started on first use and ended at exit."""
    global _zygote
    with _zygote_lock:
        if _zygote is None or _zygote.proc.poll() is not None:
            _zygote = Zygote()
            atexit.register(_zygote.close)
        return _zygote


class BotProcess:
    """`briefbot run` against a fake Bot API server; stderr goes to a log file."""

    def __init__(
        self,
        workdir: Path,
        env: dict[str, str],
        args: list[str] | None = None,
        script: bool | None = None,
    ) -> None:
        self.workdir = workdir
        self.env = {**os.environ, "PTB_TIMEDELTA": "1", **env}
        self.args = args or ["run"]
        self.log_path = workdir / f"bot-{time.monotonic_ns()}.log"
        self.script = os.environ.get("BRIEFBOT_TEST_SCRIPT") == "1" if script is None else script
        self.proc: subprocess.Popen[bytes] | ForkedProcess | None = None

    def start(self) -> BotProcess:
        """Start the process (from a directory that is not the repository)."""
        self._log = self.log_path.open("wb")
        if not self.script:
            self.proc = zygote().spawn(self.args, self.workdir, self.env, self.log_path)
            return self
        self.proc = subprocess.Popen(
            [*briefbot_command(), *self.args],
            cwd=self.workdir,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        return self

    def stop(self, timeout: float = 30.0) -> int:
        """SIGTERM and wait; returns the exit code (kills after the timeout).

        The bot finishes a running job (a briefing being computed) before it exits, which on a
        busy machine can take several seconds; the timeout only bounds a hung process.
        """
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        code = self.proc.wait(timeout)
        self._log.close()
        return code

    @property
    def log(self) -> str:
        """Everything the process printed so far."""
        return self.log_path.read_text(errors="replace")

    def __enter__(self) -> BotProcess:
        return self.start()

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
