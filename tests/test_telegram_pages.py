"""Paging of long replies in the Telegram layer (in-process, no network)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.chat.reply import Button, Reply, line, para
from bot.config import Settings
from bot.store import Store
from bot.telegram.handlers import deep_link
from bot.telegram.runtime import BotRuntime, split_page


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[BotRuntime]:
    store = Store(tmp_path / "bot.db")
    rt = BotRuntime(Settings(), store)
    rt.commands.bot_username = "brief_bot"
    yield rt
    rt.close()
    store.close()


def long_reply(story_id: int = 12) -> Reply:
    paras = tuple(para(line(f"Paragraph {i}: " + "words " * 60)) for i in range(40))
    views = (Button("Brief", f"/brief {story_id}"), Button("Quotes", f"/quotes {story_id}"))
    return Reply(paragraphs=paras, buttons=(views,), data={"story_id": story_id})


def test_a_long_view_becomes_pages_with_prev_next_and_share(runtime: BotRuntime) -> None:
    pages = runtime.pages(long_reply(), "/sources 12")
    assert len(pages) >= 3 and all(p.of == len(pages) for p in pages)
    assert all(len(p.html) <= 4096 for p in pages)
    data = [[b.callback_data or b.url for b in row] for row in pages[1].markup.inline_keyboard]  # type: ignore[union-attr]
    nav = data[1]
    assert nav[0] == "/sources 12|p1" and nav[-1] == "/sources 12|p3"
    assert data[-1] == ["https://t.me/brief_bot?start=brief_12"]
    assert "Page 2 of" in pages[1].html
    assert split_page("/sources 12|p3") == ("/sources 12", 3)
    assert split_page("/brief 12") == ("/brief 12", 1)


def test_a_long_reply_whose_command_cannot_ride_a_button_is_sent_whole(
    runtime: BotRuntime,
) -> None:
    pages = runtime.pages(long_reply(), "/search " + "longword " * 8)
    assert len(pages) >= 3 and all(p.of == 1 for p in pages)
    assert all(p.markup is None for p in pages[:-1]) and pages[-1].markup is not None


def test_deep_link_payloads() -> None:
    assert deep_link("start", "brief_12") == "/brief 12"
    assert deep_link("start", "quotes_7") == "/quotes 7"
    assert deep_link("start", "hello") is None
    assert deep_link("help", "brief_12") is None
