"""Token hygiene against the real `briefbot run` process: one clear line, no traceback, no secret."""

from __future__ import annotations

import logging
import socket
import subprocess
from pathlib import Path

import pytest
from bot_process import TOKEN, BotProcess
from fake_telegram import FakeTelegram

from bot.telegram.app import BAD_TOKEN, TokenFilter


def run_until_exit(tmp_path: Path, api_base: str) -> tuple[int, str]:
    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE": api_base,
        "BRIEFBOT_DB": str(tmp_path / "bot.db"),
        "BRIEFBOT_LOG_LEVEL": "DEBUG",  # even the most verbose logs must not show it
    }
    proc = BotProcess(tmp_path, env).start()
    assert proc.proc is not None
    try:
        code = proc.proc.wait(timeout=120)
    except subprocess.TimeoutExpired:
        proc.stop()
        raise AssertionError("the bot kept running: " + proc.log[-2000:]) from None
    proc.stop()
    return code, proc.log


def test_a_rejected_token_gives_one_clear_line(tmp_path: Path, fake_telegram: FakeTelegram) -> None:
    fake_telegram.valid_token = "4242:the-real-one"
    code, log = run_until_exit(tmp_path, fake_telegram.base_url)
    assert code != 0
    assert fake_telegram.token_seen == TOKEN  # it did ask Telegram
    assert TOKEN not in log and TOKEN.split(":")[1] not in log
    assert "Traceback" not in log
    lines = [ln for ln in log.splitlines() if BAD_TOKEN in ln]
    assert len(lines) == 1, log
    assert not any(" ERROR " in ln or " WARNING " in ln for ln in log.splitlines()), log


def test_an_unreachable_api_gives_one_clear_line(tmp_path: Path) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code, log = run_until_exit(tmp_path, f"http://127.0.0.1:{port}/bot")
    assert code != 0
    assert TOKEN not in log and "Traceback" not in log
    assert len([ln for ln in log.splitlines() if "Cannot reach the Telegram Bot API" in ln]) == 1, log


def test_the_token_filter_redacts_messages_and_tracebacks() -> None:
    secret = "999:very-secret"
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "url %s", (f"/bot{secret}/getMe",), None)
    try:
        raise RuntimeError(f"The token `{secret}` was rejected")
    except RuntimeError:
        import sys

        record.exc_info = sys.exc_info()
    assert TokenFilter(secret).filter(record)
    formatted = logging.Formatter().format(record)
    assert secret not in formatted
    assert "<token>" in formatted and "was rejected" in formatted


@pytest.mark.parametrize("token", ["", "  "])
def test_no_token_is_a_clear_error(tmp_path: Path, token: str) -> None:
    env = {"TELEGRAM_BOT_TOKEN": token, "BRIEFBOT_DB": str(tmp_path / "bot.db")}
    proc = BotProcess(tmp_path, env).start()
    assert proc.proc is not None
    code = proc.proc.wait(timeout=120)
    proc.stop()
    assert code != 0 and "TELEGRAM_BOT_TOKEN is not set" in proc.log and "Traceback" not in proc.log


def test_a_stop_signal_during_start_up_is_not_reported_as_an_unreachable_api() -> None:
    """SIGTERM while PTB deletes the webhook: the request fails because the loop went away."""
    from telegram.error import NetworkError

    from bot.telegram.app import _loop_was_stopping

    class NoEventLoopError(RuntimeError):
        """Stands in for anyio's error of the same name (raised when the loop is gone)."""

    try:
        try:
            raise NoEventLoopError("Not currently running on any asynchronous event loop")
        except NoEventLoopError as inner:
            raise NetworkError("Unknown error in HTTP implementation") from inner
    except NetworkError as exc:
        assert _loop_was_stopping(exc)
    assert not _loop_was_stopping(NetworkError("connection refused"))
