"""Run the `briefbot` command in this process (no interpreter start-up), output captured."""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.__main__ import main


@dataclass(frozen=True)
class CliResult:
    """What one command did: its exit code and everything it printed."""

    returncode: int
    stdout: str
    stderr: str


def _exit_code(exc: SystemExit) -> int:
    """The process exit code a SystemExit stands for (argparse exits 2 on bad arguments)."""
    if exc.code is None:
        return 0
    return exc.code if isinstance(exc.code, int) else 1


def run_cli(cwd: Path, *args: str, env: Mapping[str, str] | None = None) -> CliResult:
    """`briefbot ARGS` as main(argv) from ``cwd``, without any BRIEFBOT_/TELEGRAM_ settings.

    Like the real process: the working directory is ``cwd`` (where .env and the default database
    are looked for), the environment is this one without those settings plus ``env`` (restored
    afterwards), stdout and stderr are captured, and an exception is not caught (a test that hits
    a traceback fails with it).
    """
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        for key in list(os.environ):
            if key.startswith(("BRIEFBOT_", "TELEGRAM_")):
                mp.delenv(key)
        for key, value in (env or {}).items():
            mp.setenv(key, value)
        mp.chdir(cwd)
        with redirect_stdout(out), redirect_stderr(err):
            try:
                rc = main(list(args))
            except SystemExit as exc:
                rc = _exit_code(exc)
    return CliResult(rc, out.getvalue(), err.getvalue())
