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
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fake_telegram import FakeTelegram
from follow_corpus import wave_time, write_wave
from test_telegram_store_threads import (
    ADMIN,
    USER,
    buttons,
    newest_bot_message,
    running_bot,
    settings_for,
)

from bot.chat.views import refresh_dirty
from bot.digest import digest
from bot.sources.ingest import ingest_paths
from bot.store import Store
from bot.store.follows import Follows
from bot.telegram import jobs
from bot.telegram.alerts import alert_job, alert_round
from bot.telegram.app import build_application

GROUP = -100777
TOPIC = 7
GONE_GROUP = -100999  # follows from a topic deleted before the alert (its alert is sent first)
GONE_TOPIC = 9
NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
ALERT_HEAD = "New on stories you follow"


async def until(check: Any, timeout: float = 20.0) -> None:
    """Yield to the loop until ``check()`` holds (a positive signal, never a fixed sleep)."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


@asynccontextmanager
async def bot_at(
    fake: FakeTelegram, db: Path, now: datetime, delays: tuple[float, ...]
) -> AsyncIterator[Any]:
    """The bot as `briefbot run` wires it, its clock pinned and short store-retry delays from
    the start (so the start-up catch-up already runs at ``now``)."""
    app = build_application(settings_for(fake), str(db), busy_timeout=0.1, retry_delays=(0.05,))
    rt = app.bot_data["runtime"]
    rt.commands.now = lambda: now
    rt.store_retry_delays = delays
    await app.initialize()
    assert app.post_init is not None and app.updater is not None
    assert app.post_shutdown is not None
    await app.post_init(app)
    await app.start()
    await app.updater.start_polling(poll_interval=0.0, timeout=1)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.post_shutdown(app)
        await app.shutdown()


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


async def test_start_up_catch_up_meeting_a_locked_store_runs_again(
    tmp_path: Path, sample_db: Path, fake_telegram: FakeTelegram
) -> None:
    db = tmp_path / "bot.db"
    db.write_bytes(sample_db.read_bytes())
    with Store(db) as store:  # subscribed yesterday; today's 11:30 digest was missed while down
        store.subscribe(USER, "11:30", "UTC", 3, since=NOON - timedelta(days=1))
    lock = sqlite3.connect(db, timeout=0, isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")
    held = True
    try:
        async with bot_at(fake_telegram, db, NOON, (0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4)) as app:
            await until(lambda: pending(app, "catch-up-retry"))
            assert fake_telegram.sent_messages(USER) == []
            lock.execute("ROLLBACK")
            held = False
            await fake_telegram.wait_for_async(
                lambda c: len(fake_telegram.sent_messages(USER)) == 1, timeout=30
            )
            await until(lambda: not pending(app, "catch-up-retry"))
        assert len(fake_telegram.sent_messages(USER)) == 1
        with Store(db) as store:
            assert store.digest_status(USER, NOON.date().isoformat()) in ("sent", "empty")
    finally:
        if held:
            lock.execute("ROLLBACK")
        lock.close()


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
        for job in app.job_queue.get_jobs_by_name("alerts"):
            job.schedule_removal()  # this test runs the rounds itself
        rt = app.bot_data["runtime"]
        rt.commands.now = lambda: wave_time(0) + timedelta(hours=1)
        group = {"user_id": ADMIN, "chat_type": "supergroup"}
        reply = await ask(fake_telegram, GROUP, "/follow", message_thread_id=TOPIC, **group)
        assert "Following" in reply["text"] and reply["message_thread_id"] == TOPIC
        assert "Following" in (await ask(fake_telegram, USER, "/follow"))["text"]
        # The Follow button under a briefing in a topic: the topic of the message it is under.
        brief = await ask(
            fake_telegram, GONE_GROUP, "/brief", message_thread_id=GONE_TOPIC, **group
        )
        before = len(fake_telegram.calls_of("editMessageText"))
        follow_button = next(d for d in buttons(brief) if d.startswith("/follow "))
        shown = newest_bot_message(fake_telegram, GONE_GROUP)
        fake_telegram.push_callback(
            GONE_GROUP, shown, follow_button, user_id=ADMIN, chat_type="supergroup"
        )
        await fake_telegram.wait_for_async(
            lambda c: len(fake_telegram.calls_of("editMessageText")) > before, timeout=30
        )
        with Store(db) as store:
            [story] = store.stories()
            follows = Follows(store.conn)
            chats = (GROUP, USER, GONE_GROUP)
            got = {c: f.thread_id for c in chats if (f := follows.get(c, story.id))}
        assert got == {GROUP: TOPIC, USER: None, GONE_GROUP: GONE_TOPIC}

        ingest_wave(db, tmp_path, 1)  # new coverage
        rt.commands.now = lambda: wave_time(1) + timedelta(minutes=10)
        fake_telegram.fail_next(
            "sendMessage", 400, description="Bad Request: message thread not found"
        )
        done = await alert_round(app)  # the scheduled round
        assert done == {GONE_GROUP: "sent", GROUP: "sent", USER: "sent"}

        def alerts(chat: int) -> list[dict[str, Any]]:
            return [m for m in fake_telegram.sent_messages(chat) if ALERT_HEAD in m["text"]]

        await until(lambda: alerts(GROUP) and alerts(USER))
        [in_group] = alerts(GROUP)
        [private] = alerts(USER)
        assert in_group["message_thread_id"] == TOPIC  # not the General topic
        assert private.get("message_thread_id") is None
        [fallback] = alerts(GONE_GROUP)  # its topic was deleted: sent to the chat instead
        assert fallback.get("message_thread_id") is None
        assert "1,500 euros" in in_group["text"] and "1,500 euros" in private["text"]


async def test_alert_round_meeting_a_locked_store_runs_again_and_alerts_once(
    tmp_path: Path, fake_telegram: FakeTelegram
) -> None:
    db = tmp_path / "f.db"
    ingest_wave(db, tmp_path, 0)
    with Store(db) as store:
        [story] = store.stories()
        Follows(store.conn).follow(USER, story.id, story.version, story.article_ids, wave_time(0))
    ingest_wave(db, tmp_path, 1)  # new coverage on the followed story
    lock = sqlite3.connect(db, timeout=0, isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")
    held = True
    try:
        async with running_bot(
            settings_for(fake_telegram), db, busy_timeout=0.1, retry_delays=(0.05,)
        ) as app:
            for job in app.job_queue.get_jobs_by_name("alerts"):
                job.schedule_removal()  # this test runs the rounds itself
            rt = app.bot_data["runtime"]
            rt.commands.now = lambda: wave_time(1) + timedelta(minutes=10)
            rt.store_retry_delays = (0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4)
            app.job_queue.run_once(alert_job, when=0, name="the scheduled round")
            await until(lambda: app.job_queue.get_jobs_by_name("alerts-retry"))
            assert fake_telegram.sent_messages(USER) == []
            lock.execute("ROLLBACK")
            held = False
            await fake_telegram.wait_for_async(
                lambda c: len(fake_telegram.sent_messages(USER)) == 1, timeout=30
            )
            await until(lambda: not app.job_queue.get_jobs_by_name("alerts-retry"))
            assert await alert_round(app) == {}  # the next round: nothing new, nothing twice
        [alert] = fake_telegram.sent_messages(USER)
        assert ALERT_HEAD in alert["text"] and "1,500 euros" in alert["text"]
    finally:
        if held:
            lock.execute("ROLLBACK")
        lock.close()
