"""The bot-process harness: a bot forked from the zygote behaves like the installed script."""

from __future__ import annotations

import shutil
import signal
import subprocess
from pathlib import Path

import pytest
from bot_process import TOKEN, BotProcess, ForkedProcess
from fake_telegram import FakeTelegram, default_menu_set


def finished(tmp_path: Path, args: list[str], env: dict[str, str], script: bool) -> BotProcess:
    proc = BotProcess(tmp_path, env, args=args, script=script).start()
    assert proc.proc is not None
    proc.proc.wait(timeout=120)
    proc.stop()
    return proc


@pytest.mark.parametrize("script", [False, True], ids=["forked", "script"])
def test_exit_codes_output_directory_and_environment_match_the_script(
    tmp_path: Path, sample_db: Path, script: bool
) -> None:
    shutil.copy(sample_db, tmp_path / "briefbot.db")  # the default database, in the working dir
    listing = finished(tmp_path, ["stories"], {}, script)
    assert listing.proc is not None and listing.proc.returncode == 0
    assert "stories" in listing.log and "#1" in listing.log

    bad = finished(tmp_path, ["frobnicate"], {}, script)
    assert bad.proc is not None and bad.proc.returncode == 2
    assert "invalid choice" in bad.log

    if not script:  # (through the script this costs ~4 s of CPU: it starts the readers first)
        unset = finished(tmp_path, ["run"], {"TELEGRAM_BOT_TOKEN": ""}, script)
        assert unset.proc is not None and unset.proc.returncode != 0
        assert "TELEGRAM_BOT_TOKEN is not set" in unset.log and "Traceback" not in unset.log


def test_a_forked_bot_is_its_own_process(tmp_path: Path, fake_telegram: FakeTelegram) -> None:
    """Signals reach it alone, wait() times out while it runs, SIGKILL reads as -9."""
    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE": fake_telegram.base_url,
        "BRIEFBOT_DB": str(tmp_path / "bot.db"),
    }
    first = BotProcess(tmp_path, env).start()
    second = BotProcess(tmp_path, env).start()
    assert isinstance(first.proc, ForkedProcess) and isinstance(second.proc, ForkedProcess)
    fake_telegram.wait_for(default_menu_set, count=2, timeout=120)
    with pytest.raises(subprocess.TimeoutExpired):
        first.proc.wait(timeout=0.1)
    first.proc.send_signal(signal.SIGKILL)
    assert first.proc.wait(timeout=60) == -signal.SIGKILL
    assert first.stop() == -signal.SIGKILL
    assert second.proc.poll() is None  # still serving
    assert second.stop() == 0  # SIGTERM: a clean exit
    assert TOKEN not in second.log
