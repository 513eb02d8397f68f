"""/settings with buttons: briefing length, digest size, quiet hours (per chat, stored)."""

from __future__ import annotations

from pathlib import Path

from follow_corpus import wave_time, write_wave

from bot.chat.commands import Caller, Commands
from bot.chat.views import refresh_dirty
from bot.config import Settings
from bot.sources.ingest import ingest_paths
from bot.store import Store
from bot.store.filters import Prefs

ME = Caller(chat_id=61)


def words(data: dict[str, object]) -> int:
    sentences = data["sentences"]
    assert isinstance(sentences, list)
    return sum(len(str(s["text"]).split()) for s in sentences)


async def test_settings_buttons_change_length_size_and_quiet_hours(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        for w in range(3):
            assert not ingest_paths(store, [str(p) for p in write_wave(tmp_path / "w", w)]).errors
        refresh_dirty(store, 40)
        cmds = Commands(store, Settings(brief_words=40), clock=lambda: wave_time(2))
        page = await cmds.handle("/settings", ME)
        assert "No daily digest" in page.plain and "Briefing length: standard" in page.plain
        data = [b.data for row in page.buttons for b in row]
        assert "/settings length short" in data and "/settings digest 3" in data
        assert "/settings quiet 22:00-07:00" in data and "/settings quiet off" in data
        standard = words((await cmds.handle("/brief", ME)).data)

        short = await cmds.handle("/settings length short", ME)
        assert "Briefings are now short" in short.plain
        assert "• Short" in [b.text for row in short.buttons for b in row]
        assert words((await cmds.handle("/brief", ME)).data) < standard
        await cmds.handle("/settings length long", ME)
        assert words((await cmds.handle("/brief", ME)).data) > standard
        other = await cmds.handle("/brief", Caller(chat_id=62))  # per chat
        assert words(other.data) == standard

        await cmds.handle("/subscribe 07:30 Europe/Berlin", ME)
        sized = await cmds.handle("/settings digest 3", ME)
        assert "up to 3 stories" in sized.plain and "Time zone: Europe/Berlin" in sized.plain
        assert store.subscription(ME.chat_id) == ("07:30", "Europe/Berlin", 3)

        quiet = await cmds.handle("/settings quiet 22:30-6:15", ME)
        assert "Quiet hours 22:30–06:15" in quiet.plain
        stored = Prefs(store.conn).settings(ME.chat_id)
        assert (stored.quiet_start, stored.quiet_end, stored.length) == ("22:30", "06:15", "long")
        assert "alerts come any time" in (await cmds.handle("/settings quiet off", ME)).plain
        for bad in (
            "length huge",
            "digest 0",
            "digest 99",
            "quiet 25:00-01:00",
            "quiet 07:00-07:00",
        ):
            assert "Usage: /settings" in (await cmds.handle(f"/settings {bad}", ME)).plain
