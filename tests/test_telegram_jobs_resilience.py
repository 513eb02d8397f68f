"""Scheduled jobs against the fake Bot API, in-process: a digest that meets a locked store is
sent once the lock goes (the same day, exactly once), and a story followed from a forum topic
gets its alerts in that topic.

The bot runs in this event loop (as `briefbot run` wires it); the clock is pinned and jobs are
driven through the job queue, with short store-retry delays.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fake_telegram import FakeTelegram
from follow_corpus import wave_time, write_wave
from test_telegram_store_threads import ADMIN, USER, running_bot, settings_for

from bot.chat.views import refresh_dirty
from bot.digest import digest
from bot.sources.ingest import ingest_paths
from bot.store import Store
from bot.store.follows import Follows
from bot.telegram import jobs
from bot.telegram.alerts import alert_round

GROUP = -100777
TOPIC = 7
NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
ALERT_HEAD = "New on stories you follow"


async def until(check: Any, timeout: float = 20.0) -> None:
    """Yield to the loop until ``check()`` holds (a positive signal, never a fixed sleep)."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


def pending(app: Any, prefix: str) -> list[Any]:
    return [j for j in app.job_queue.jobs() if j.name and j.name.startswith(prefix)]


async def test_digest_meeting_a_locked_store_is_sent_once_after_the_lock_goes(
    tmp_path: Path, sample_db: Path, fake_telegram: FakeTelegram
) -> None:
    db = tmp_path / "bot.db"
    db.write_bytes(sample_db.read_bytes())
    with Store(db) as store:
        store.subscribe(USER, "11:30", "UTC", 3)
    lock = sqlite3.connect(db, timeout=0, isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")  # another process writing (a long CLI ingest, say)
    held = True
    try:
        async with running_bot(
            settings_for(fake_telegram), db, busy_timeout=0.1, retry_delays=(0.05,)
        ) as app:
            rt = app.bot_data["runtime"]
            rt.commands.now = lambda: NOON
            rt.store_retry_delays = (0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4)
            jq = app.job_queue
            jq.run_once(jobs.digest_job, when=0, chat_id=USER, name="the scheduled time")
            await until(lambda: pending(app, f"digest-retry:{USER}"))  # locked: retried later
            assert fake_telegram.sent_messages(USER) == []
            lock.execute("ROLLBACK")
            held = False
            await fake_telegram.wait_for_async(
                lambda c: len(fake_telegram.sent_messages(USER)) == 1, timeout=30
            )
            await until(lambda: not pending(app, "digest-retry:"))
            # The day's digest is logged: the daily run again, or a restart, sends nothing more.
            again: list[int] = []

            async def send(chat_id: int, reply: Any) -> None:
                again.append(chat_id)

            status = await digest.deliver(rt.commands, USER, "UTC", 3, send, empty_note=True)
            assert status in ("sent", "empty") and again == []
        assert len(fake_telegram.sent_messages(USER)) == 1
        with Store(db) as store:
            assert store.digest_status(USER, NOON.date().isoformat()) in ("sent", "empty")
    finally:
        if held:
            lock.execute("ROLLBACK")
        lock.close()


async def test_a_retry_past_the_local_day_sends_nothing(
    tmp_path: Path, sample_db: Path, fake_telegram: FakeTelegram
) -> None:
    db = tmp_path / "bot.db"
    db.write_bytes(sample_db.read_bytes())
    with Store(db) as store:
        store.subscribe(USER, "23:50", "UTC", 3)
    async with running_bot(settings_for(fake_telegram), db) as app:
        rt = app.bot_data["runtime"]
        rt.commands.now = lambda: NOON + timedelta(days=1)
        started = NOON.replace(hour=23, minute=50)  # the lock lasted past midnight
        job = app.job_queue.run_once(
            jobs.digest_job, when=3600, chat_id=USER, name="late", data=jobs.Retry(3, started)
        )
        await job.run(app)  # the retry, run now
        job.schedule_removal()
        with Store(db) as store:
            day = (NOON + timedelta(days=1)).date().isoformat()
            assert store.digest_status(USER, day) is None  # tomorrow's is not sent early
    assert fake_telegram.sent_messages(USER) == []


def ingest_wave(db: Path, folder: Path, wave: int) -> None:
    with Store(db) as store:
        report = ingest_paths(store, [str(p) for p in write_wave(folder / f"w{wave}", wave)])
        assert not report.errors
        refresh_dirty(store)


async def ask(fake: FakeTelegram, chat: int, text: str, **kw: Any) -> dict[str, Any]:
    before = len(fake.sent_messages(chat))
    fake.push_message(chat, text, **kw)
    await fake.wait_for_async(lambda c: len(fake.sent_messages(chat)) > before, timeout=30)
    return fake.sent_messages(chat)[before]


async def test_alerts_go_to_the_topic_the_story_was_followed_from(
    tmp_path: Path, fake_telegram: FakeTelegram
) -> None:
    db = tmp_path / "f.db"
    ingest_wave(db, tmp_path, 0)
    async with running_bot(settings_for(fake_telegram), db) as app:
        rt = app.bot_data["runtime"]
        rt.commands.now = lambda: wave_time(0) + timedelta(hours=1)
        group = {"user_id": ADMIN, "chat_type": "supergroup"}
        reply = await ask(fake_telegram, GROUP, "/follow", message_thread_id=TOPIC, **group)
        assert "Following" in reply["text"] and reply["message_thread_id"] == TOPIC
        assert "Following" in (await ask(fake_telegram, USER, "/follow"))["text"]
        with Store(db) as store:
            [story] = store.stories()
            follows = Follows(store.conn)
            got = {c: f.thread_id for c in (GROUP, USER) if (f := follows.get(c, story.id))}
        assert got == {GROUP: TOPIC, USER: None}

        ingest_wave(db, tmp_path, 1)  # new coverage
        rt.commands.now = lambda: wave_time(1) + timedelta(minutes=10)
        await alert_round(app)  # the scheduled round (the start-up one may have run it first)

        def alerts(chat: int) -> list[dict[str, Any]]:
            return [m for m in fake_telegram.sent_messages(chat) if ALERT_HEAD in m["text"]]

        await until(lambda: alerts(GROUP) and alerts(USER))
        [in_group] = alerts(GROUP)
        [private] = alerts(USER)
        assert in_group["message_thread_id"] == TOPIC  # not the General topic
        assert private.get("message_thread_id") is None
        assert "1,500 euros" in in_group["text"] and "1,500 euros" in private["text"]
