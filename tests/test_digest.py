"""Daily digests in-process: bot.digest.digest against a real SQLite store, a recording send, a fixed clock.

The sample articles are dated 2–5 March 2026, so the clock is fixed on the evening of 5 March
(UTC): then the rate-cut story (last article 21:48 UTC) and the data-breach story (13:02 UTC) are
"today" (the 24 h window ending at the clock); the storm (4 March, 21:10) and the bridge
(3 March) are not.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from bot_process import TOKEN
from fake_telegram import FakeTelegram

from bot.chat.commands import Commands
from bot.chat.reply import Reply, simple
from bot.chat.views import refresh_dirty
from bot.config import Settings
from bot.digest import digest
from bot.digest.digest import ChatGone, build_digest, catch_up, deliver
from bot.sources.ingest import ingest_paths
from bot.store import Store
from bot.telegram.app import build_application
from bot.telegram.jobs import schedule_chat

SAMPLES = Path(__file__).resolve().parents[1] / "bot" / "samples"
LATE = "rates_evening-lantern.txt"  # the rate-cut story's last article, 2026-03-05 21:48 UTC
EVENING = datetime(2026, 3, 5, 22, 0, tzinfo=UTC)
NEXT_NOON = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)


def _build(path: Path, files: list[Path]) -> Path:
    with Store(path) as store:
        report = ingest_paths(store, [str(p) for p in files])
        assert not report.errors, report.errors
        refresh_dirty(store)
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every sample article, built once per session."""
    return _build(tmp_path_factory.mktemp("digest") / "samples.db", sorted(SAMPLES.iterdir()))


@pytest.fixture(scope="session")
def partial_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples without the rate-cut story's last article (added later by a test)."""
    files = [p for p in sorted(SAMPLES.iterdir()) if p.name != LATE]
    return _build(tmp_path_factory.mktemp("digest") / "partial.db", files)


@pytest.fixture
def store(tmp_path: Path, sample_db: Path) -> Iterator[Store]:
    shutil.copy(sample_db, tmp_path / "bot.db")
    with Store(tmp_path / "bot.db") as s:
        yield s


class Clock:
    """A settable clock for Commands(clock=...)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class Recorder:
    """A ``send`` coroutine that records what it was asked to send (or raises)."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, Reply]] = []
        self.raise_for: dict[int, Callable[[], Exception]] = {}

    async def __call__(self, chat_id: int, reply: Reply) -> None:
        make = self.raise_for.get(chat_id)
        if make is not None:
            raise make()
        assert reply.paragraphs, "never send an empty message"
        self.sent.append((chat_id, reply))

    def to(self, chat_id: int) -> list[Reply]:
        return [r for c, r in self.sent if c == chat_id]


def commands_at(store: Store, now: datetime) -> tuple[Commands, Clock]:
    clock = Clock(now)
    return Commands(store, Settings(), clock=clock), clock


def _story_ids(store: Store) -> dict[str, int]:
    """Sample story ids by topic."""
    out = {}
    for s in store.stories():
        arts = store.articles(s.article_ids)
        url_text = " ".join(a.text for a in arts).lower()
        for key, word in (
            ("rates", "policy rate"),
            ("breach", "shiftnest"),
            ("storm", "hester"),
            ("bridge", "tessmer"),
        ):
            if word in url_text and key not in out:
                out[key] = s.id
                break
    assert len(out) == 4, out
    return out


# --- what goes into a digest ----------------------------------------------------------------------


async def test_digest_holds_the_days_stories_ranked_with_summaries_and_buttons(
    store: Store,
) -> None:
    ids = _story_ids(store)
    commands, _ = commands_at(store, EVENING)
    built = await build_digest(commands, 42, "UTC", 5)

    # Only stories active in the 24 h before the clock; both have 4 outlets, the rate cut is newer.
    assert [i.story_id for i in built.items] == [ids["rates"], ids["breach"]]
    assert not any(i.updated for i in built.items)
    assert [i.article_count for i in built.items] == [4, 4]

    paras = built.reply.paragraphs
    assert "Your briefing for Thursday, 05 March" in "".join(s.text for s in paras[0][0])
    assert len(paras) == 1 + len(built.items)
    for item, (head, body) in zip(built.items, paras[1:], strict=True):
        story = store.story(item.story_id)
        assert story is not None
        head_text = "".join(s.text for s in head)
        assert head_text.startswith(story.title)
        assert f"· 4 outlets · #{story.id}" in head_text
        # The summary is the first 1-3 briefing sentences, about 70 words at most.
        briefing = store.cached_briefing(story.id)
        assert briefing is not None
        summary = "".join(s.text for s in body)
        firsts = [s.text for s in briefing.sentences[: digest.DIGEST_SENTENCES]]
        used = [t for t in firsts if t in summary]
        assert used and summary == " ".join(used) and used == firsts[: len(used)]
        assert 1 <= len(used) <= 3, summary
        assert len(summary.split()) <= digest.DIGEST_WORDS or len(used) == 1

    # One button per story, each opening that story's briefing.
    assert [[b.data for b in row] for row in built.reply.buttons] == [
        [f"/brief {i.story_id}"] for i in built.items
    ]
    for row in built.reply.buttons:
        assert len(row[0].text) <= 40


async def test_digest_length_and_local_day_follow_the_subscription(store: Store) -> None:
    commands, _ = commands_at(store, EVENING)
    one = await build_digest(commands, 42, "Asia/Tokyo", 1)
    assert len(one.items) == 1
    # 22:00 UTC on the 5th is already the 6th in Tokyo.
    assert "Friday, 06 March" in one.reply.plain


async def test_a_window_without_stories_builds_nothing(store: Store) -> None:
    commands, _ = commands_at(store, datetime(2026, 6, 1, 12, 0, tzinfo=UTC))
    built = await build_digest(commands, 42, "UTC", 5)
    assert built.items == ()
    assert built.reply.buttons == ()


# --- exactly once ---------------------------------------------------------------------------------


async def test_deliver_twice_on_the_same_day_sends_once(store: Store) -> None:
    commands, clock = commands_at(store, EVENING)
    send = Recorder()
    assert await deliver(commands, 7, "UTC", 5, send, empty_note=True) == "sent"
    assert await deliver(commands, 7, "UTC", 5, send, empty_note=True) == "sent"
    clock.now = EVENING + timedelta(minutes=30)  # still the 5th in UTC
    assert await deliver(commands, 7, "UTC", 5, send, empty_note=True) == "sent"
    assert len(send.to(7)) == 1
    assert store.digest_log() == [(7, "2026-03-05", "sent")]
    # A new store on the same file (a restart) sees the same log.
    again = Store(store.path)
    try:
        cmds2 = Commands(again, Settings(), clock=clock)
        assert await deliver(cmds2, 7, "UTC", 5, send, empty_note=True) == "sent"
    finally:
        again.close()
    assert len(send.to(7)) == 1


async def test_sent_story_returns_only_when_it_gained_articles(
    tmp_path: Path, partial_db: Path
) -> None:
    shutil.copy(partial_db, tmp_path / "bot.db")
    with Store(tmp_path / "bot.db") as store:
        ids = _story_ids(store)
        rates_before = store.story_article_count(ids["rates"])
        assert rates_before == 3
        send = Recorder()
        # Evening of the 5th in UTC: the rate cut (3 articles so far) and the breach.
        commands, clock = commands_at(store, EVENING)
        assert await deliver(commands, 9, "UTC", 5, send, empty_note=True) == "sent"
        [first] = send.to(9)
        assert f"#{ids['rates']}" in first.plain and f"#{ids['breach']}" in first.plain
        assert "Updated:" not in first.plain
        assert store.sent_coverage(9) == {ids["rates"]: 3, ids["breach"]: 4}

        # Next day, nothing new: both stories are still in the 24 h window, but already sent.
        clock.now = NEXT_NOON
        built = await build_digest(commands, 9, "UTC", 5)
        assert built.items == ()

        # The rate-cut story gains an article: it comes back, marked as an update; the breach doesn't.
        report = ingest_paths(store, [str(SAMPLES / LATE)])
        assert [i.story_id for i in report.ingested] == [ids["rates"]]
        refresh_dirty(store)
        assert await deliver(commands, 9, "UTC", 5, send, empty_note=True) == "sent"
        second = send.to(9)[1]
        items = [(b.data) for row in second.buttons for b in row]
        assert items == [f"/brief {ids['rates']}"]
        assert "Updated: " in second.plain and "· 4 outlets" in second.plain
        assert f"#{ids['breach']}" not in second.plain
        assert store.sent_coverage(9)[ids["rates"]] == 4


async def test_empty_day_sends_the_note_or_nothing(store: Store) -> None:
    empty_day = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    commands, _ = commands_at(store, empty_day)
    send = Recorder()
    assert await deliver(commands, 11, "UTC", 5, send, empty_note=True) == "empty"
    [note] = send.to(11)
    assert note.plain == digest.EMPTY_NOTE
    assert await deliver(commands, 12, "UTC", 5, send, empty_note=False) == "empty"
    assert send.to(12) == []  # never an empty message
    # Logged, so neither is tried again that day.
    assert await deliver(commands, 11, "UTC", 5, send, empty_note=True) == "empty"
    assert len(send.to(11)) == 1
    assert store.digest_log() == [(11, "2026-06-01", "empty"), (12, "2026-06-01", "empty")]


# --- failures -------------------------------------------------------------------------------------


async def test_a_chat_that_is_gone_is_unsubscribed(store: Store) -> None:
    store.subscribe(13, "07:30", "UTC", 5, since=EVENING - timedelta(days=1))
    commands, _ = commands_at(store, EVENING)
    send = Recorder()
    send.raise_for[13] = lambda: ChatGone("Forbidden: bot was blocked by the user")
    assert await deliver(commands, 13, "UTC", 5, send, empty_note=True) == "unsubscribed"
    assert store.subscription(13) is None
    assert store.digest_log() == [(13, "2026-03-05", "failed")]
    assert store.sent_coverage(13) == {}
    # catch_up has nothing left to do for it.
    assert await catch_up(commands, send, empty_note=True) == {}


async def test_a_failed_send_is_logged_and_retried_by_catch_up(store: Store) -> None:
    store.subscribe(14, "07:30", "UTC", 5, since=EVENING - timedelta(days=1))
    commands, clock = commands_at(store, EVENING)
    send = Recorder()
    send.raise_for[14] = lambda: RuntimeError("Timed out")
    assert await deliver(commands, 14, "UTC", 5, send, empty_note=True) == "failed"
    assert store.digest_log() == [(14, "2026-03-05", "failed")]
    assert store.subscription(14) is not None
    assert store.sent_coverage(14) == {}

    del send.raise_for[14]
    clock.now = EVENING + timedelta(minutes=5)
    assert await catch_up(commands, send, empty_note=True) == {14: "sent"}
    assert len(send.to(14)) == 1
    assert store.digest_log() == [(14, "2026-03-05", "sent")]
    # And once sent, catch_up leaves it alone.
    assert await catch_up(commands, send, empty_note=True) == {}
    assert len(send.to(14)) == 1


# --- catch-up after downtime ----------------------------------------------------------------------


async def test_catch_up_sends_only_digests_whose_local_time_has_passed(store: Store) -> None:
    # At 22:00 UTC on 5 March it is 17:00 on the 5th in New York and 07:00 on the 6th in Tokyo.
    subs = {
        101: ("16:30", "America/New_York"),  # due (16:30 < 17:00)
        102: ("17:30", "America/New_York"),  # not yet
        103: ("06:45", "Asia/Tokyo"),  # due (06:45 < 07:00 on the 6th)
        104: ("07:15", "Asia/Tokyo"),  # not yet
        105: ("21:59", "UTC"),  # due
        106: ("22:01", "UTC"),  # not yet
        107: ("08:00", "Europe/Berlin"),  # due, but already sent today
    }
    for chat, (at, zone) in subs.items():
        store.subscribe(chat, at, zone, 3, since=EVENING - timedelta(days=1))
    assert store.claim_digest(107, "2026-03-05", [])
    store.finish_digest(107, "2026-03-05", "sent", [])

    commands, clock = commands_at(store, EVENING)
    send = Recorder()
    done = await catch_up(commands, send, empty_note=True)
    assert done == {101: "sent", 103: "sent", 105: "sent"}
    assert sorted({c for c, _ in send.sent}) == [101, 103, 105]
    assert "Friday, 06 March" in send.to(103)[0].plain  # Tokyo's local day
    assert "Thursday, 05 March" in send.to(101)[0].plain
    days = {(c, d) for c, d, _ in store.digest_log()}
    assert (103, "2026-03-06") in days and (101, "2026-03-05") in days

    # A restart a minute later catches up nothing twice, only what has just become due.
    clock.now = EVENING + timedelta(minutes=2)
    assert await catch_up(commands, send, empty_note=True) == {106: "sent"}
    assert len(send.sent) == 4


def test_due_instants_match_zoneinfo() -> None:
    # The scheduling arithmetic behind catch_up, on both sides of UTC, in winter and summer.
    for zone, day in (("America/New_York", 5), ("Asia/Tokyo", 5), ("Europe/Berlin", 5)):
        for month in (1, 7):
            local = datetime(2026, month, day, 7, 30, tzinfo=ZoneInfo(zone))
            assert digest.due_at(local.date(), time(7, 30), zone) == local
            assert digest.is_due(local, time(7, 30), zone)
            assert not digest.is_due(local - timedelta(seconds=1), time(7, 30), zone)


# --- scheduling with PTB's real JobQueue ----------------------------------------------------------


def _expected_next(at: time, zone: str, now: datetime) -> datetime:
    """The next instant the wall clock in ``zone`` shows ``at`` after ``now``."""
    tz = ZoneInfo(zone)
    day = now.astimezone(tz).date()
    when = digest.due_at(day, at, zone)
    if when <= now:
        when = digest.due_at(day + timedelta(days=1), at, zone)
    return when


async def test_schedule_chat_runs_daily_at_the_zones_local_time(
    store: Store, fake_telegram: FakeTelegram
) -> None:
    settings = Settings(token=TOKEN, api_base=fake_telegram.base_url)
    app = build_application(settings, store)
    jq = app.job_queue
    assert jq is not None
    async with app:
        await jq.start()
        try:
            chat = 5150
            store.subscribe(chat, "07:30", "Europe/Berlin", 5)
            before = datetime.now(UTC)
            schedule_chat(app, chat, store.subscription(chat))
            after = datetime.now(UTC)
            [job] = jq.get_jobs_by_name(f"digest:{chat}")
            assert job.chat_id == chat
            assert job.next_t is not None
            next_t = job.next_t.astimezone(UTC)
            expected = {_expected_next(time(7, 30), "Europe/Berlin", t) for t in (before, after)}
            assert next_t in expected
            local = next_t.astimezone(ZoneInfo("Europe/Berlin"))
            assert (local.hour, local.minute) == (7, 30)
            # 06:30 UTC in winter (CET), 05:30 UTC in summer (CEST).
            offset = local.utcoffset()
            assert offset is not None
            assert next_t.time() == (time(6, 30) if offset == timedelta(hours=1) else time(5, 30))
            assert next_t - after < timedelta(days=1, hours=1)

            # Re-subscribing with another zone replaces the job: still one, at New York's 07:30.
            store.subscribe(chat, "07:30", "America/New_York", 5)
            schedule_chat(app, chat, store.subscription(chat))
            [job2] = jq.get_jobs_by_name(f"digest:{chat}")
            assert job2 is not job
            assert job2.next_t is not None
            ny = job2.next_t.astimezone(ZoneInfo("America/New_York"))
            assert (ny.hour, ny.minute) == (7, 30)
            assert job2.next_t.astimezone(UTC) in {
                _expected_next(time(7, 30), "America/New_York", t)
                for t in (after, datetime.now(UTC))
            }
            assert [j.name for j in jq.jobs()].count(f"digest:{chat}") == 1

            # Another chat gets its own job; unsubscribing removes only that chat's job.
            store.subscribe(chat + 1, "18:00", "Asia/Tokyo", 3)
            schedule_chat(app, chat + 1, store.subscription(chat + 1))
            store.unsubscribe(chat)
            schedule_chat(app, chat, store.subscription(chat))
            assert jq.get_jobs_by_name(f"digest:{chat}") == ()
            [other] = jq.get_jobs_by_name(f"digest:{chat + 1}")
            assert other.next_t is not None
            tokyo = other.next_t.astimezone(ZoneInfo("Asia/Tokyo"))
            assert (tokyo.hour, tokyo.minute) == (18, 0)
        finally:
            await jq.stop()
            app.bot_data["runtime"].close()


async def test_digest_gate_spaces_sends_evenly_one_at_a_time() -> None:
    import asyncio
    import time
    from itertools import pairwise

    from bot.telegram.limiter import DigestGate

    gate = DigestGate(per_second=50.0)
    stamps: list[float] = []
    inside = 0
    most = 0

    async def one() -> None:
        nonlocal inside, most
        async with gate.slot():
            inside += 1
            most = max(most, inside)
            stamps.append(time.monotonic())
            await asyncio.sleep(0)
            inside -= 1

    await asyncio.gather(*(one() for _ in range(11)))
    gaps = [b - a for a, b in pairwise(stamps)]
    assert most == 1  # one digest in flight at a time
    assert min(gaps) >= 0.015  # 20 ms apart, never a burst
    assert stamps[-1] - stamps[0] >= 0.19


# --- exactly once under faults ----------------------------------------------------------------------


async def test_a_definite_failure_is_retried_the_same_day_then_sent_once(store: Store) -> None:
    commands, _ = commands_at(store, EVENING)
    send = Recorder()
    failures = [digest.SendFailed("Internal Server Error (500)")] * 2

    def fail_twice() -> Exception:
        if len(failures) == 1:
            del send.raise_for[21]
        return failures.pop()

    send.raise_for[21] = fail_twice
    status = await deliver(
        commands, 21, "UTC", 5, send, empty_note=True, retry_delays=(0.0, 0.0, 0.0)
    )
    assert status == "sent"
    assert len(send.to(21)) == 1
    assert store.digest_log() == [(21, "2026-03-05", "sent")]


async def test_retries_stop_when_they_run_out(store: Store) -> None:
    commands, _ = commands_at(store, EVENING)
    send = Recorder()
    send.raise_for[22] = lambda: digest.SendFailed("flood control past retries")
    assert (
        await deliver(commands, 22, "UTC", 5, send, empty_note=True, retry_delays=(0.0,))
        == "failed"
    )
    assert store.digest_log() == [(22, "2026-03-05", "failed")]  # catch-up may try again later


async def test_an_ambiguous_outcome_counts_as_sent_and_is_never_resent(store: Store) -> None:
    store.subscribe(23, "07:30", "UTC", 5, since=EVENING - timedelta(days=1))
    commands, clock = commands_at(store, EVENING)
    send = Recorder()
    send.raise_for[23] = lambda: digest.SendAmbiguous("ReadTimeout after the request was written")
    assert (
        await deliver(commands, 23, "UTC", 5, send, empty_note=True, retry_delays=(0.0,)) == "sent"
    )
    assert store.digest_log() == [(23, "2026-03-05", "sent")]
    assert store.sent_coverage(23)  # its stories count as sent, so they are not repeated
    del send.raise_for[23]
    clock.now = EVENING + timedelta(minutes=5)
    assert await catch_up(commands, send, empty_note=True) == {}
    assert send.to(23) == []


async def test_send_digest_tells_definite_from_ambiguous_failures(
    store: Store, fake_telegram: FakeTelegram
) -> None:
    from bot.digest.digest import SendAmbiguous, SendFailed

    settings = Settings(token=TOKEN, api_base=fake_telegram.base_url)
    app = build_application(settings, store)
    rt = app.bot_data["runtime"]
    reply = simple("hello")
    async with app:
        fake_telegram.fail_next("sendMessage", error_code=500, count=1)
        with pytest.raises(SendFailed):
            await rt.send_digest(app, 31, reply)
        fake_telegram.fail_next("sendMessage", error_code=502, count=1)
        with pytest.raises(SendFailed):
            await rt.send_digest(app, 31, reply)
        fake_telegram.drop_after_next("sendMessage")  # accepted, but the answer never comes
        with pytest.raises(SendAmbiguous):
            await rt.send_digest(app, 32, reply)
        assert len(fake_telegram.sent_messages(32)) == 1  # it did arrive: resending would duplicate
        fake_telegram.block_chat(33)
        with pytest.raises(ChatGone):
            await rt.send_digest(app, 33, reply)
    rt.close()


async def test_catch_up_at_2230_utc_skips_subscriptions_made_after_their_time(store: Store) -> None:
    # The clock is fixed at 22:30 UTC: "two hours later" is 00:30, which has already passed today.
    at_2230 = datetime(2026, 3, 5, 22, 30, tzinfo=UTC)
    commands, _ = commands_at(store, at_2230)
    store.subscribe(41, "00:30", "UTC", 3, since=at_2230)  # made at 22:30: starts tomorrow
    store.subscribe(42, "22:28", "UTC", 3, since=at_2230 - timedelta(days=1))  # a missed one
    store.subscribe(43, "22:29", "UTC", 3, since=at_2230 - timedelta(minutes=5))  # made before it
    store.subscribe(44, "23:30", "UTC", 3, since=at_2230 - timedelta(days=1))  # later today
    send = Recorder()
    done = await catch_up(commands, send, empty_note=True)
    assert done == {42: "sent", 43: "sent"}
    assert send.to(41) == [] and send.to(44) == []
