"""The local console: `briefbot chat` and `briefbot start` as real processes on real stdin/stdout."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from bot_process import briefbot_command

from bot.chat.commands import COMMANDS
from bot.chat.console import BANNER
from bot.store import Store

SAMPLES = Path(__file__).resolve().parents[1] / "bot" / "samples"


def clean_env() -> dict[str, str]:
    """No token (so no Telegram), no database or other settings inherited from the caller."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BRIEFBOT_"))}
    env["PTB_TIMEDELTA"] = "1"
    return env


def run_console(tmp_path: Path, args: list[str], stdin: str) -> subprocess.CompletedProcess[str]:
    assert not (tmp_path / ".env").exists()
    proc = subprocess.Popen(
        [*briefbot_command(), *args],
        cwd=tmp_path,
        env=clean_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    try:
        out, err = proc.communicate(stdin, timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        raise AssertionError(f"the console did not exit\n{out[-2000:]}\n{err[-2000:]}") from None
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def blocks(out: str) -> list[str]:
    """The console's output split into replies (each ends with a blank line)."""
    return [b for b in out.split("\n\n") if b.strip()]


def test_chat_runs_commands_presses_buttons_and_quits(tmp_path: Path, sample_db: Path) -> None:
    db = tmp_path / "chat.db"
    shutil.copy(sample_db, db)
    script = "/help\n/stories\n/brief\n1\n2\n/quotes 1\n/nonsense\n\nstorm\n/quit\n/help\n"
    result = run_console(tmp_path, ["--db", str(db), "chat"], script)
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    assert out.startswith(BANNER)
    assert "you> " not in out  # not a terminal: no prompts

    # /help lists every command (the console is an admin).
    help_at = out.index("Commands\n")
    for c in COMMANDS:
        assert f"\n/{c.name}" in out[help_at:], c.name

    # /stories: one line per sample story and numbered buttons.
    stories_at = out.index("Latest stories (page 1)")
    listing = out[stories_at : out.index("[1]", stories_at)]
    assert len(re.findall(r"^#\d+ .+ · 4 outlets · ", listing, re.M)) == 4
    assert re.search(r"\[1\] #\d+ ", out[stories_at:])

    # /brief: sentences attributed with "—", then Brief / Quotes / Sources buttons.
    brief_at = out.index("[4] ", stories_at) + 1
    brief = out[brief_at:]
    m = re.search(r"^(.+)\n#(\d+) · 4 outlets · 4 articles", brief, re.M)
    assert m, brief[:500]
    title, story_id = m.group(1), m.group(2)
    assert re.search(r"^• .+ — [A-Z]", brief, re.M)
    buttons = re.findall(r"\[(\d)\] (• )?(Brief|Quotes|Sources)", brief)
    assert buttons[:3] == [("1", "• ", "Brief"), ("2", "", "Quotes"), ("3", "", "Sources")]

    # "1" presses the current view's button (the same briefing), "2" switches to quotes.
    heads = [i.start() for i in re.finditer(rf"^{re.escape(title)}\n#{story_id} ", out, re.M)]
    assert len(heads) >= 3, "brief, button 1 (brief again) and button 2 (quotes)"
    after_two = out[heads[2] :]
    assert re.search(r"\[1\] Brief  \[2\] • Quotes  \[3\] Sources", after_two)
    assert "“" in after_two.split("[1] Brief")[0]

    # "/quotes 1" is story #1's quotes, whatever the current story is.
    q1 = out.index("\n#1 · 4 outlets", heads[2])
    assert "[2] • Quotes" in out[q1:]
    # Unknown commands get a hint; a blank line is ignored; plain words are a /brief search.
    assert "Unknown command /nonsense." in out and "Send /help to see what I can do." in out
    assert "Hester" in out[out.index("Unknown command /nonsense.") :]
    # Nothing after /quit ran: /help appears once.
    assert out.count("Commands\n/start") == 1
    assert "Traceback" not in result.stderr and "Something went wrong" not in out


def test_chat_on_an_empty_database_says_so(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    result = run_console(tmp_path, ["--db", str(db), "chat"], "/stories\n/brief\n")  # EOF quits
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.count("No stories yet.") == 2


def test_start_without_a_token_loads_the_samples_and_opens_the_console(tmp_path: Path) -> None:
    db = tmp_path / "fresh" / "briefbot.db"
    assert not db.exists()
    result = run_console(tmp_path, ["--db", str(db), "start"], "/stories\n/quit\n")
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    m = re.search(
        r"Loaded (\d+) sample articles into (.+) \((\d+) stories; (\d+) duplicate file recognised\)\.",
        out,
    )
    assert m, out[:500]
    n_files = len([p for p in SAMPLES.iterdir() if p.is_file()])
    assert int(m.group(1)) + int(m.group(4)) == n_files and m.group(4) == "1"
    assert m.group(2) == str(db) and m.group(3) == "4"
    assert "No TELEGRAM_BOT_TOKEN set: opening the local console" in out
    assert out.index("Loaded") < out.index(BANNER) < out.index("Latest stories (page 1)")
    assert len(re.findall(r"^#\d+ .+ · 4 outlets · ", out, re.M)) == 4
    # Every sample was read; one is a text dump of another, stored once as a duplicate.
    with Store(db) as store:
        assert store.article_count() == n_files - 1 and store.dirty_stories() == []

    # A second start finds the articles and does not load them again.
    again = run_console(tmp_path, ["--db", str(db), "start"], "/quit\n")
    assert again.returncode == 0 and "Loaded" not in again.stdout
    assert BANNER in again.stdout
    with Store(db) as store:
        assert store.article_count() == n_files - 1
