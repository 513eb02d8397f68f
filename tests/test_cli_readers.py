"""`briefbot run` checks the token before it forks the document readers (in this process)."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from cli_runner import run_cli
from fake_telegram import FakeTelegram

from bot.sources import sandbox
from bot.telegram.app import BAD_TOKEN


@pytest.mark.parametrize("token", ["", "4242:a-rejected-one"], ids=["unset", "rejected"])
def test_a_missing_or_rejected_token_starts_no_reader(
    tmp_path: Path, fake_telegram: FakeTelegram, monkeypatch: pytest.MonkeyPatch, token: str
) -> None:
    fresh = sandbox.Sandbox(workers=2)  # a process-wide sandbox not started yet: run would fork 2
    monkeypatch.setattr(sandbox, "_shared", fresh)
    fake_telegram.valid_token = "4242:the-real-one"
    before = set(multiprocessing.active_children())
    env = {"TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_BASE": fake_telegram.base_url}
    try:
        result = run_cli(tmp_path, "--db", str(tmp_path / "bot.db"), "run", env=env)
        started = set(multiprocessing.active_children()) - before
    finally:
        fresh.close()
    assert result.returncode == (3 if token else 2)
    assert started == set()
    if token:
        assert fake_telegram.token_seen == token and BAD_TOKEN in result.stderr
