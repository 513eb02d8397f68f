"""Issue 15 in Telegram: the real `briefbot run` against the fake Bot API.

A chat follows the ferry story; coverage arrives while the bot is down; at start the chat gets
one alert with only what is new, and after a restart it does not get it again. /chart sends a
PNG, /feeds export an OPML file, an OPML file sent by an admin adds its feeds.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from bot_process import TOKEN, BotProcess
from fake_telegram import FakeTelegram, default_menu_set
from follow_corpus import wave_time, write_wave

from bot.chat.views import refresh_dirty
from bot.sources.ingest import ingest_paths
from bot.store import Store
from bot.store.follows import Follows

ADMIN = 501
USER = 777
GROUP = -100999
OPML = b"""<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>
<outline text="A" xmlUrl="https://a.example/feed.xml"/><outline text="B" xmlUrl="https://b.example/rss"/>
</body></opml>"""


def ingest(db: Path, folder: Path, wave: int) -> None:
    with Store(db) as store:
        report = ingest_paths(store, [str(p) for p in write_wave(folder / f"w{wave}", wave)])
        assert not report.errors
        refresh_dirty(store)


def start(tmp_path: Path, db: Path, fake: FakeTelegram) -> BotProcess:
    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE": fake.base_url,
        "BRIEFBOT_DB": str(db),
        "BRIEFBOT_ADMINS": str(ADMIN),
        "BRIEFBOT_LOG_LEVEL": "DEBUG",
    }
    proc = BotProcess(tmp_path, env).start()
    fake.wait_for(default_menu_set, timeout=120)
    return proc


def stop(proc: BotProcess) -> None:
    code = proc.stop()
    assert TOKEN not in proc.log, "the token leaked into the logs"
    assert code == 0, proc.log[-3000:]


def wait_log(proc: BotProcess, needle: str, count: int = 1, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while proc.log.count(needle) < count:
        assert time.monotonic() < deadline, proc.log[-3000:]
        time.sleep(0.1)


def answer(
    fake: FakeTelegram, chat: int, text: str | None, **kw: object
) -> list[dict[str, object]]:
    """Push a message; the bot's messages, documents and photos to that chat that follow it."""

    def out() -> list[dict[str, object]]:
        return [
            c["params"]
            for c in fake.calls
            if c["method"] in ("sendMessage", "sendDocument", "sendPhoto")
            and c["params"].get("chat_id") == chat
        ]

    before = len(out())
    fake.push_message(chat, text, **kw)  # type: ignore[arg-type]
    fake.wait_for(lambda c: len(out()) > before, timeout=30)
    return out()[before:]


def last_id(fake: FakeTelegram, chat: int) -> int:
    """The id of the newest message the bot sent to a chat."""
    ids = [
        m
        for m in range(1, 300)
        if (msg := fake.message(chat, m)) and msg.get("from", {}).get("is_bot")
    ]
    assert ids
    return max(ids)


def alerts_to(fake: FakeTelegram, chat: int) -> Callable[[], list[str]]:
    return lambda: [
        str(m["text"])
        for m in fake.sent_messages(chat)
        if "New on stories you follow" in str(m["text"])
    ]


def test_follow_alert_chart_and_opml(tmp_path: Path, fake_telegram: FakeTelegram) -> None:
    db = tmp_path / "bot.db"
    ingest(db, tmp_path, 0)
    with Store(db) as store:
        [story] = store.stories()
        Follows(store.conn).follow(USER, story.id, story.version, story.article_ids, wave_time(0))
    ingest(db, tmp_path, 1)  # new coverage while the bot is down
    alerts = alerts_to(fake_telegram, USER)

    bot = start(tmp_path, db, fake_telegram)
    try:
        fake_telegram.wait_for(lambda c: len(alerts()) == 1, timeout=60)
        [alert] = alerts()
        assert "1,500 euros" in alert and "Northshore Daily" in alert
        assert "240 deckhands" not in alert  # known when the chat followed
        # /settings: a button changes the setting and the page updates in place.
        [page] = answer(fake_telegram, USER, "/settings")
        assert "Briefing length" in str(page["text"])
        mid = last_id(fake_telegram, USER)
        fake_telegram.push_callback(USER, mid, "/settings length short", user_id=USER)
        [edit] = fake_telegram.wait_for("editMessageText", timeout=30)
        assert edit["params"]["message_id"] == mid
        assert "Briefings are now short" in str(edit["params"]["text"])
        [following] = answer(fake_telegram, USER, "/following")
        assert f"#{story.id}" in str(following["text"])
        [chart] = answer(fake_telegram, USER, f"/chart {story.id}")
        assert chart["photo"]["filename"].endswith(".png")  # type: ignore[index]
        assert chart["photo"]["content"][:8] == b"\x89PNG\r\n\x1a\n"  # type: ignore[index]
        assert "Coverage of" in str(chart["caption"])
        fake_telegram.add_file("opml-1", OPML, file_path="documents/feeds.opml")
        doc = {"file_id": "opml-1", "file_name": "feeds.opml", "mime_type": "text/x-opml"}
        [imported] = answer(fake_telegram, ADMIN, None, document=doc, caption="/feeds import")
        assert "Imported 2 feeds" in str(imported["text"])
        [exported] = answer(fake_telegram, ADMIN, "/feeds export")
        content = exported["document"]["content"]  # type: ignore[index]
        assert b'xmlUrl="https://b.example/rss"' in content and b'version="2.0"' in content
        [refused] = answer(fake_telegram, USER, "/feeds export")
        assert "only the bot's admins" in str(refused["text"])
        # In a group, filters and settings are changed by its administrators; anyone may look.
        fake_telegram.set_chat_admins(GROUP, {902})
        member, admin = (
            {"user_id": 901, "chat_type": "group"},
            {"user_id": 902, "chat_type": "group"},
        )
        [no] = answer(fake_telegram, GROUP, "/mute word ferry", **member)
        assert "administrators" in str(no["text"])
        [yes] = answer(fake_telegram, GROUP, "/mute word ferry", **admin)
        assert "Muted the word" in str(yes["text"])
        [shown] = answer(fake_telegram, GROUP, "/filters", **member)
        assert "Muted words: ferry" in str(shown["text"])
        [no_follow] = answer(fake_telegram, GROUP, f"/follow {story.id}", **member)
        assert "administrators" in str(no_follow["text"])
        [page] = answer(fake_telegram, GROUP, "/settings", **member)
        assert "Briefing length: standard" in str(page["text"])
    finally:
        stop(bot)

    again = start(tmp_path, db, fake_telegram)  # a restart: the alert is not sent twice
    try:
        wait_log(again, "alert round: 0 chats")
    finally:
        stop(again)
    assert len(alerts()) == 1
