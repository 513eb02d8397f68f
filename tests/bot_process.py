"""Start the real `briefbot` process for end-to-end tests, and stop it like a user would."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
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


class BotProcess:
    """`briefbot run` against a fake Bot API server; stderr goes to a log file."""

    def __init__(self, workdir: Path, env: dict[str, str], args: list[str] | None = None) -> None:
        self.workdir = workdir
        self.env = {**os.environ, "PTB_TIMEDELTA": "1", **env}
        self.args = args or ["run"]
        self.log_path = workdir / f"bot-{time.monotonic_ns()}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> BotProcess:
        """Start the process (from a directory that is not the repository)."""
        self._log = self.log_path.open("wb")
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
                self.proc.wait()
        self._log.close()
        return int(self.proc.returncode)

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
