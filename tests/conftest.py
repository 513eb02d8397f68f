"""Shared pytest fixtures."""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from corpus import build_db
from fake_telegram import FakeTelegram


@pytest.fixture(autouse=True)
def _ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opt in to PTB's timedelta time periods.

    Without PTB_TIMEDELTA, PTB 22.8 warns (PTBDeprecationWarning) whenever it builds a RetryAfter,
    which filterwarnings=error turns into a failure on every 429.
    """
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


@pytest.fixture
def fake_telegram() -> Iterator[FakeTelegram]:
    """A started fake Bot API server on a free 127.0.0.1 port, stopped at teardown."""
    with FakeTelegram() as fake:
        yield fake


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding the sample articles, built once per run and shared by the xdist
    workers (under a file lock, in their common temp root): copy it before writing."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # .../pytest-N/popen-gwK -> .../pytest-N, the same for every worker
    path = root / "shared-samples.db"
    with (root / "shared-samples.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            building = root / f"shared-samples-{os.getpid()}.db"
            report = build_db(building)[0]
            (root / "shared-samples.json").write_text(json.dumps(report.as_dict()), "utf-8")
            building.rename(path)
    return path


@pytest.fixture(scope="session")
def sample_report(sample_db: Path) -> dict[str, Any]:
    """What ingesting the samples into ``sample_db`` reported (the `ingest --json` object)."""
    loaded: dict[str, Any] = json.loads(sample_db.with_suffix(".json").read_text("utf-8"))
    return loaded
