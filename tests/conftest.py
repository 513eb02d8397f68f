"""Shared pytest fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

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
    """A database holding the sample articles, built once per session (copy it before writing)."""
    path = tmp_path_factory.mktemp("samples") / "samples.db"
    build_db(path)
    return path
