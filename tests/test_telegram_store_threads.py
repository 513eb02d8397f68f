"""The bot's event loop never runs SQLite: commands, buttons, jobs and digests reach the store
through worker threads, and replies keep coming while another connection holds the write lock.

The bot runs in this process (PTB Application against the fake Bot API) so the test can see
which thread ran each SQL statement: sqlite3.connect is wrapped to trace every connection the
bot opens.
"""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from bot_process import TOKEN
from corpus import write_lighthouse
from fake_telegram import FakeTelegram

from bot.config import Settings
from bot.digest import digest
from bot.sources.ingest import ingest_paths
from bot.store import Store
from bot.telegram.app import build_application
from bot.telegram.workers import BUSY_TEXT

ADMIN = 501
USER = 777
AnyApp = Any


@pytest.fixture
def bot_db(tmp_path: Path, sample_db: Path) -> Path:
    """The sample database plus one story whose views were never computed (as after an ingest)."""
    db = tmp_path / "bot.db"
    shutil.copy(sample_db, db)
    with Store(db) as store:
        report = ingest_paths(store, [str(p) for p in write_lighthouse(tmp_path / "in", 3)])
        assert not report.errors
        assert store.dirty_stories()
    return db


@pytest.fixture
def sql_threads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, str]]:
    """(thread id, SQL) of every statement run on a connection opened from now on."""
    seen: list[tuple[int, str]] = []
    real = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = real(*args, **kwargs)
        conn.set_trace_callback(lambda sql: seen.append((threading.get_ident(), sql)))
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect)
    return seen


@asynccontextmanager
async def running_bot(settings: Settings, db: Path, **backend: Any) -> AsyncIterator[AnyApp]:
    """The bot as `briefbot run` wires it, polling the fake in this event loop."""
    app = build_application(settings, str(db), **backend)
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


def settings_for(fake: FakeTelegram) -> Settings:
    return Settings(token=TOKEN, api_base=fake.base_url, admins=frozenset({ADMIN}))


async def ask(fake: FakeTelegram, text: str, chat_id: int = USER) -> dict[str, Any]:
    """Send a message; the bot's first answer in that chat."""
    before = len(fake.sent_messages(chat_id))
    fake.push_message(chat_id, text)
    await fake.wait_for_async(lambda c: len(fake.sent_messages(chat_id)) > before, timeout=30)
    return fake.sent_messages(chat_id)[before]


def newest_bot_message(fake: FakeTelegram, chat_id: int) -> int:
    """The id of the newest message the bot sent to a chat."""
    ids = [
        mid
        for mid in range(1, 200)
        if (m := fake.message(chat_id, mid)) and m.get("from", {}).get("is_bot")
    ]
    return max(ids)


async def press(fake: FakeTelegram, chat_id: int, message_id: int, data: str) -> None:
    """Press an inline button and wait for the message to be edited."""
    before = len(fake.calls_of("editMessageText"))
    fake.push_callback(chat_id, message_id, data)
    await fake.wait_for_async(lambda c: len(fake.calls_of("editMessageText")) > before, timeout=30)


def buttons(msg: dict[str, Any]) -> list[str]:
    rows = (msg.get("reply_markup") or {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in rows for b in row if "callback_data" in b]


async def test_no_sql_runs_on_the_event_loop_thread(
    bot_db: Path, fake_telegram: FakeTelegram, sql_threads: list[tuple[int, str]]
) -> None:
    loop_thread = threading.get_ident()
    async with running_bot(settings_for(fake_telegram), bot_db) as app:
        rt = app.bot_data["runtime"]
        for text in ("/start", "/help", "/stories", "/search ferry", "lighthouse keepers"):
            assert (await ask(fake_telegram, text))["text"]
        brief = await ask(fake_telegram, "/brief")
        quotes_button = next(d for d in buttons(brief) if d.startswith("/quotes "))
        await press(fake_telegram, USER, newest_bot_message(fake_telegram, USER), quotes_button)
        listing = await ask(fake_telegram, "/stories")
        shown = newest_bot_message(fake_telegram, USER)
        await press(fake_telegram, USER, shown, buttons(listing)[0])
        await press(fake_telegram, USER, shown, "/back")
        for text in ("/quotes", "/sources", "/subscribe 07:30 UTC", "/settings", "/digest"):
            assert (await ask(fake_telegram, text))["text"]
        assert app.job_queue.get_jobs_by_name(f"digest:{USER}")  # rescheduled from a worker
        for text in ("/feeds", "/summarize 1 2"):
            assert (await ask(fake_telegram, text, chat_id=ADMIN))["text"]

        sent: list[int] = []

        async def send(chat_id: int, reply: Any) -> None:
            sent.append(chat_id)
            await rt.send_digest(app, chat_id, reply)

        status = await digest.deliver(rt.commands, USER, "UTC", 3, send, empty_note=True)
        assert status in ("sent", "empty") and sent == [USER]
        assert "Unsubscribed" in (await ask(fake_telegram, "/unsubscribe"))["text"]
        assert not app.job_queue.get_jobs_by_name(f"digest:{USER}")
    on_loop = [sql for thread, sql in sql_threads if thread == loop_thread]
    assert on_loop == []
    assert len({thread for thread, _ in sql_threads}) >= 2  # readers and the views thread
    assert any("digest_log" in sql for _, sql in sql_threads)


async def test_replies_come_while_another_connection_holds_the_write_lock(
    bot_db: Path, fake_telegram: FakeTelegram
) -> None:
    with Store(bot_db) as store:
        [dirty] = store.dirty_stories()
    lock = sqlite3.connect(bot_db, timeout=0, isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")  # what a CLI ingest holds while it writes
    held = True
    try:
        async with running_bot(
            settings_for(fake_telegram), bot_db, busy_timeout=0.2, retry_delays=(0.1,)
        ):
            for text in ("/help", "/stories", "/brief", f"/brief {dirty}"):
                t0 = time.monotonic()
                reply = await ask(fake_telegram, text)
                assert reply["text"] and BUSY_TEXT not in reply["text"], text
                assert time.monotonic() - t0 < 10, text  # no wait for the lock (it never ends)
            # A write cannot happen while the lock is held: one clear line, nothing lost.
            assert (await ask(fake_telegram, "/subscribe 08:00 UTC"))["text"] == BUSY_TEXT
            lock.execute("ROLLBACK")
            held = False
            assert "Subscribed" in (await ask(fake_telegram, "/subscribe 08:00 UTC"))["text"]
            assert "08:00" in (await ask(fake_telegram, "/settings"))["text"]
    finally:
        if held:
            lock.execute("ROLLBACK")
        lock.close()


async def test_views_of_one_story_version_are_computed_once(bot_db: Path) -> None:
    from bot.chat.commands import Commands
    from bot.chat.views import StoryViews
    from bot.telegram.shared_views import SharedViews

    kept: list[StoryViews] = []
    shared = SharedViews(kept.append)
    with Store(bot_db) as store:
        [dirty] = store.dirty_stories()
        cmds = Commands(store, Settings())
        cmds.make_views = shared
        a, b = await asyncio.gather(cmds.story_views(dirty), cmds.story_views(dirty))
        assert a == b and a[0].sentences
        assert shared.computed == 1 and len(kept) == 1  # the second asker shared the first's work
        assert store.dirty_stories() == [dirty]  # saving is the keeper's job (the views thread)
        assert await cmds.story_views(dirty) == a and shared.computed == 1  # remembered
        with pytest.raises(LookupError):
            await cmds.story_views(10**9)


def test_the_real_bot_answers_while_a_cli_writer_holds_the_lock(
    bot_db: Path, fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    from bot_process import BotProcess
    from fake_telegram import default_menu_set

    with Store(bot_db) as store:
        [dirty] = store.dirty_stories()  # the bot computes it at start and must save it
    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE": fake_telegram.base_url,
        "BRIEFBOT_DB": str(bot_db),
        "BRIEFBOT_LOG_LEVEL": "DEBUG",
    }
    lock = sqlite3.connect(bot_db, timeout=0, isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")  # held from before the start, as by a long CLI ingest
    try:
        with BotProcess(tmp_path, env) as proc:
            fake_telegram.wait_for(default_menu_set, timeout=120)
            for chat, text in enumerate(("/help", "/stories", "/brief", f"/brief {dirty}")):
                t0 = time.monotonic()
                fake_telegram.push_message(USER + chat, text)
                fake_telegram.wait_for(answered_in(fake_telegram, USER + chat), timeout=20)
                # The old bot saved views on its event loop and waited for the lock (30 s).
                assert time.monotonic() - t0 < 10, text
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    assert TOKEN not in proc.log


def answered_in(fake: FakeTelegram, chat_id: int) -> Callable[[dict[str, Any]], bool]:
    """A wait_for matcher: the bot has sent a message to this chat."""
    return lambda call: bool(fake.sent_messages(chat_id))


async def test_a_locked_write_is_retried_until_the_lock_is_gone(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.chat.commands import Commands
    from bot.telegram.workers import StoreBusy, StoreThreads

    db = tmp_path / "bot.db"
    Store(db).close()
    threads = StoreThreads(
        "test-store",
        lambda: Commands(Store(db, timeout=0.05), Settings()),
        retry_delays=(0.05,) * 200,
    )
    lock = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:

        async def subscribe(cmds: Commands) -> bool:
            cmds.store.subscribe(5, "07:30", "UTC", 3)
            return cmds.store.subscription(5) is not None

        lock.execute("BEGIN IMMEDIATE")
        with caplog.at_level("INFO", logger="bot.telegram.workers"):
            job = asyncio.ensure_future(threads.run(subscribe))
            while "database locked, retrying" not in caplog.text:  # it met the lock
                assert not job.done()
                await asyncio.sleep(0.01)
            lock.execute("ROLLBACK")
            assert await job  # a later attempt got the lock
        threads.retry_delays = ()
        lock.execute("BEGIN IMMEDIATE")
        with pytest.raises(StoreBusy):  # no retries left: the one-line error
            await threads.run(subscribe)
        lock.execute("ROLLBACK")
    finally:
        lock.close()
        threads.close()
