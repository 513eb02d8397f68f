"""/summarize over files sent to the bot, against the fake Bot API (the bot runs in this process):
an album captioned /summarize, and /summarize in answer to a file, each give one briefing over
exactly those files with nothing stored; non-admins are refused."""

from __future__ import annotations

import shutil
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from bot_process import TOKEN
from fake_telegram import FakeTelegram

from bot.config import Settings
from bot.store import Store
from bot.telegram import uploads
from bot.telegram.app import build_application

ADMIN = 501
USER = 777

FILES = {
    "kiln.md": (
        "Valley Courier",
        "Brick kiln fire closes Dunmore works",
        "A fire at the Dunmore brick works destroyed two kilns on Thursday night, the county fire "
        "service said, and about 140 workers were sent home.\n\nNobody was hurt, fire chief Ada "
        "Rennick said.\n\nThe works supplies most of the region's building sites.",
    ),
    "dunmore.md": (
        "North Ledger",
        "Dunmore brick works shut after kiln blaze",
        "Two kilns at the Dunmore brick works were destroyed by a fire on Thursday night, the "
        "county fire service said, and the plant's 140 workers were sent home.\n\nThe cause of "
        "the fire is being investigated, Rennick told reporters.\n\nBuilders expect delays.",
    ),
}


def _file(name: str) -> bytes:
    outlet, title, body = FILES[name]
    return f"---\ntitle: {title}\noutlet: {outlet}\ndate: 2025-06-05\n---\n\n{body}\n".encode()


@asynccontextmanager
async def running_bot(fake: FakeTelegram, db: Path) -> AsyncIterator[Any]:
    """The bot as `briefbot run` wires it, polling the fake in this event loop."""
    settings = Settings(token=TOKEN, api_base=fake.base_url, admins=frozenset({ADMIN}))
    app = build_application(settings, str(db))
    await app.initialize()
    assert app.post_init is not None and app.updater is not None
    await app.post_init(app)
    await app.start()
    await app.updater.start_polling(poll_interval=0.0, timeout=1)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        assert app.post_shutdown is not None
        await app.post_shutdown(app)
        await app.shutdown()


@pytest.fixture
def bot_db(tmp_path: Path, sample_db: Path) -> Path:
    db = tmp_path / "bot.db"
    shutil.copy(sample_db, db)
    return db


def _message(
    fake: FakeTelegram, chat: int, user: int, message_id: int, **fields: Any
) -> dict[str, Any]:
    who = {"id": user, "is_bot": False, "first_name": "Test", "username": f"u{user}"}
    chat_obj = {"id": chat, "type": "private", "first_name": "Test"}
    return {"message_id": message_id, "date": int(time.time()), "chat": chat_obj, "from": who,
            **fields}


def _document(name: str) -> dict[str, Any]:
    return {"file_id": f"f-{name}", "file_unique_id": f"u-{name}", "file_name": name,
            "mime_type": "text/markdown", "file_size": len(_file(name))}


def _command(text: str) -> dict[str, Any]:
    return {"text": text, "entities": [{"type": "bot_command", "offset": 0,
                                        "length": len(text.split()[0])}]}


async def _next_reply(fake: FakeTelegram, chat: int, before: int) -> str:
    await fake.wait_for_async(lambda c: len(fake.sent_messages(chat)) > before, timeout=30)
    return str(fake.sent_messages(chat)[before]["text"])


async def test_album_and_reply_summaries_store_nothing(
    bot_db: Path, fake_telegram: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(uploads, "ALBUM_WAIT", 0.2)
    for name in FILES:
        fake_telegram.add_file(f"f-{name}", _file(name), file_path=f"documents/{name}")
    with Store(bot_db) as store:
        articles = store.article_count()
    async with running_bot(fake_telegram, bot_db):
        before = len(fake_telegram.sent_messages(ADMIN))
        # An album: the caption rides on its first file, but updates are handled concurrently,
        # so the other file may be seen first: it waits for the caption instead of being stored.
        for k, name in reversed(list(enumerate(FILES))):
            extra = {"caption": "/summarize"} if k == 0 else {}
            fake_telegram.push_update({"message": _message(
                fake_telegram, ADMIN, ADMIN, 9001 + k, media_group_id="alb-7",
                document=_document(name), **extra)})
        text = await _next_reply(fake_telegram, ADMIN, before)
        assert "Valley Courier" in text and "North Ledger" in text
        assert "kiln" in text.lower()

        # /summarize in answer to one file of the album: the whole album again.
        before = len(fake_telegram.sent_messages(ADMIN))
        target = _message(fake_telegram, ADMIN, ADMIN, 9001, media_group_id="alb-7",
                          document=_document("kiln.md"))
        fake_telegram.push_update({"message": _message(
            fake_telegram, ADMIN, ADMIN, 9010, reply_to_message=target,
            **_command("/summarize"))})
        again = await _next_reply(fake_telegram, ADMIN, before)
        assert "Valley Courier" in again and "North Ledger" in again

        # A user who is not an admin is refused; nothing is fetched for them.
        fetched = len(fake_telegram.calls_of("getFile"))
        before = len(fake_telegram.sent_messages(USER))
        target = _message(fake_telegram, USER, USER, 9020, document=_document("kiln.md"))
        fake_telegram.push_update({"message": _message(
            fake_telegram, USER, USER, 9021, reply_to_message=target, **_command("/summarize"))})
        refused = await _next_reply(fake_telegram, USER, before)
        assert "only the bot's admins" in refused
        assert len(fake_telegram.calls_of("getFile")) == fetched
    with Store(bot_db) as store:
        assert store.article_count() == articles  # nothing stored


async def test_unreadable_file_is_named_and_the_rest_is_briefed(
    bot_db: Path, fake_telegram: FakeTelegram
) -> None:
    fake_telegram.add_file("f-kiln.md", _file("kiln.md"), file_path="documents/kiln.md")
    fake_telegram.add_file("f-<b>x</b>.exe", b"MZ\x00", file_path="documents/x.exe")
    async with running_bot(fake_telegram, bot_db):
        before = len(fake_telegram.sent_messages(ADMIN))
        fake_telegram.push_update({"message": _message(
            fake_telegram, ADMIN, ADMIN, 9101, document=_document("kiln.md"),
            caption="/summarize")})
        text = await _next_reply(fake_telegram, ADMIN, before)
        assert "Dunmore" in text and "Valley Courier" in text
        before = len(fake_telegram.sent_messages(ADMIN))
        bad = {**_document("kiln.md"), "file_id": "f-<b>x</b>.exe", "file_name": "<b>x</b>.exe"}
        fake_telegram.push_update({"message": _message(
            fake_telegram, ADMIN, ADMIN, 9102, document=bad, caption="/summarize")})
        refused = await _next_reply(fake_telegram, ADMIN, before)
        assert "Nothing to summarize" in refused
        assert "&lt;b&gt;x&lt;/b&gt;.exe" in refused  # the file name is escaped in the HTML sent


async def test_an_album_without_the_caption_is_stored_as_before(
    bot_db: Path, fake_telegram: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(uploads, "CAPTION_WAIT", 0.2)
    fake_telegram.add_file("f-kiln.md", _file("kiln.md"), file_path="documents/kiln.md")
    with Store(bot_db) as store:
        articles = store.article_count()
    async with running_bot(fake_telegram, bot_db):
        before = len(fake_telegram.sent_messages(ADMIN))
        fake_telegram.push_update({"message": _message(
            fake_telegram, ADMIN, ADMIN, 9201, media_group_id="alb-9",
            document=_document("kiln.md"))})
        added = await _next_reply(fake_telegram, ADMIN, before)
        assert added.startswith("Added")
    with Store(bot_db) as store:
        assert store.article_count() == articles + 1

