"""Digests and issue 15: an "Updated" story shows only its new facts; filters apply."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from follow_corpus import wave_time, write_wave

from bot.chat.commands import Caller, Commands
from bot.chat.views import refresh_dirty
from bot.config import Settings
from bot.digest.digest import deliver
from bot.reply import Reply
from bot.sources.ingest import ingest_paths
from bot.store import Store


class Now:
    """A settable clock."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def ingest(store: Store, folder: Path, wave: int) -> None:
    assert not ingest_paths(store, [str(p) for p in write_wave(folder / f"w{wave}", wave)]).errors
    refresh_dirty(store)


async def test_updated_story_shows_its_new_facts_and_filters_apply(tmp_path: Path) -> None:
    sent: list[tuple[int, Reply]] = []

    async def send(chat_id: int, reply: Reply) -> None:
        sent.append((chat_id, reply))

    def to(chat: int) -> list[str]:
        return [r.plain for c, r in sent if c == chat]

    with Store(tmp_path / "d.db") as store:
        ingest(store, tmp_path, 0)
        clock = Now(wave_time(0) + timedelta(hours=2))
        cmds = Commands(store, Settings(), clock=clock)
        await cmds.handle("/mute outlet Northshore Daily", Caller(chat_id=2))
        for chat in (1, 2):
            assert await deliver(cmds, chat, "UTC", 5, send, empty_note=False) == "sent"
        assert "240" in to(1)[0] and "Updated" not in to(1)[0]
        ingest(store, tmp_path, 1)
        clock.now = wave_time(1) + timedelta(hours=20)  # the next day
        assert await deliver(cmds, 1, "UTC", 5, send, empty_note=False) == "sent"
        update = to(1)[1]
        assert "Updated: " in update and "1,500 euros" in update
        assert "240 deckhands" not in update  # the old briefing is not sent again
        # Chat 2 muted the only outlet with anything new: no update for it.
        assert await deliver(cmds, 2, "UTC", 5, send, empty_note=False) == "empty"
        assert len(to(2)) == 1
