"""End to end: daily digests from the real `briefbot run` process against a fake Bot API server.

The sample articles are from March 2026, outside "today's" 24 h window, so each test adds a few
articles dated now about one invented event before the bot starts. The clock is the real one:
a subscription whose local time passed a minute or two ago is what the bot finds at start-up
(a digest missed while it was down), and it must send it exactly once, even across restarts.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from bot_process import TOKEN, BotProcess
from corpus import build_db, within_one_day
from fake_telegram import FakeTelegram, default_menu_set

from bot.store import Store

SAMPLES = Path(__file__).resolve().parents[1] / "bot" / "samples"
ADMIN = 501
EVENT_TITLE = "Glassford lock gates jam"

FRESH = {
    "brackwater-courier": (
        "Brackwater Courier",
        "Glassford lock gates jam shut, stranding 40 barges on the Wendle Canal",
        [
            "Forty barges were stranded on the Wendle Canal on Tuesday after the upper gates of "
            "the Glassford lock jammed shut during the morning opening, the Canal Trust said.",
            "Engineers found that a hydraulic ram on the eastern gate had failed, leaving the gate "
            "stuck a metre from its seat. The trust said repairs could take until Friday.",
            "“We have divers in the chamber and a crane on the way from Ostby,” said Canal Trust "
            "operations manager Hilde Varga. “Nobody is in danger, but nobody is moving either.”",
            "The Glassford lock is the only route between the Wendle and the Marrow estuary for "
            "commercial traffic, and carries about a third of the region's grain exports.",
        ],
    ),
    "fenmoor-daily": (
        "Fenmoor Daily",
        "Grain shippers count the cost as Glassford lock stays closed",
        [
            "Grain shippers on the Wendle Canal warned of rising costs on Tuesday as the jammed "
            "Glassford lock kept about 40 barges waiting above the Marrow estuary.",
            "The Canal Trust said a failed hydraulic ram on the lock's eastern gate was to blame "
            "and that divers were inspecting the chamber before a crane lifts the gate.",
            "“Every day a barge sits there costs its owner around 2,000 euros,” said Pieter Aldous "
            "of the Wendle Shippers' Association. “Some of our members will switch to trucks.”",
            "Hilde Varga of the Canal Trust said the lock should reopen by Friday if the spare ram "
            "arrives from the manufacturer as promised.",
        ],
    ),
    "ostlake-observer": (
        "Ostlake Observer",
        "Crane sent to free jammed Glassford lock gate as barges queue on the Wendle",
        [
            "A heavy crane left Ostby on Tuesday afternoon to help free the jammed upper gate of "
            "the Glassford lock, where about 40 barges are queuing on the Wendle Canal.",
            "The Canal Trust said a hydraulic ram failed as the gate opened on Tuesday morning, "
            "leaving it stuck. Its operations manager, Hilde Varga, said the lock could reopen "
            "by Friday.",
            "Residents of Glassford village said the lock had jammed twice in the past year. The "
            "trust said its last inspection, in January, had found no fault with the rams.",
        ],
    ),
}


def write_fresh_articles(folder: Path, now: datetime) -> list[Path]:
    """Three outlets' articles about one invented event, dated ``now``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    times = within_one_day(now - timedelta(minutes=30), timedelta(minutes=5), len(FRESH))
    for (slug, (outlet, title, paragraphs)), when in zip(FRESH.items(), times, strict=True):
        date = when.isoformat(timespec="seconds")
        body = "\n\n".join(paragraphs)
        text = (
            f'---\ntitle: "{title}"\ndate: "{date}"\nauthor: "Staff"\n'
            f'url: "https://{slug}.example/2026/glassford-lock"\nsource: "{outlet}"\n---\n\n{body}\n'
        )
        path = folder / f"glassford_{slug}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample articles plus today's invented event, built once and copied per test."""
    folder = tmp_path_factory.mktemp("digest-e2e")
    path = folder / "samples.db"
    fresh_dir = folder / "fresh"
    write_fresh_articles(fresh_dir, datetime.now(UTC))
    _, fresh = build_db(path, fresh_dir)
    assert len({i.story_id for i in fresh.ingested}) == 1, fresh.ingested
    return path


@pytest.fixture
def bot_db(tmp_path: Path, sample_db: Path) -> Path:
    db = tmp_path / "bot.db"
    shutil.copy(sample_db, db)
    return db


def env_for(db: Path, fake: FakeTelegram) -> dict[str, str]:
    return {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE": fake.base_url,
        "BRIEFBOT_DB": str(db),
        "BRIEFBOT_ADMINS": str(ADMIN),
        "BRIEFBOT_LOG_LEVEL": "DEBUG",
    }


class Bot:
    """Start/stop the real process as often as a test needs, checking each run ended cleanly."""

    def __init__(self, tmp_path: Path, db: Path, fake: FakeTelegram) -> None:
        self.tmp_path, self.db, self.fake = tmp_path, db, fake
        self.proc: BotProcess | None = None
        self.starts = 0

    def start(self) -> BotProcess:
        assert self.proc is None
        self.proc = BotProcess(self.tmp_path, env_for(self.db, self.fake)).start()
        self.starts += 1
        self.fake.wait_for(default_menu_set, count=self.starts, timeout=120)
        return self.proc

    def stop(self) -> None:
        if self.proc is None:
            return
        proc, self.proc = self.proc, None
        code = proc.stop()
        assert TOKEN not in proc.log, "the token leaked into the logs"
        assert code == 0, proc.log[-3000:]


@pytest.fixture
def bot(tmp_path: Path, bot_db: Path, fake_telegram: FakeTelegram) -> Iterator[Bot]:
    b = Bot(tmp_path, bot_db, fake_telegram)
    try:
        yield b
    finally:
        b.stop()


def recently_passed(now: datetime) -> tuple[str, str]:
    """(HH:MM, zone) a couple of minutes before ``now`` on the same local day."""
    for zone in ("UTC", "Europe/Berlin", "Asia/Tokyo", "America/New_York", "Pacific/Auckland"):
        local = now.astimezone(ZoneInfo(zone))
        minutes = local.hour * 60 + local.minute
        if 5 <= minutes <= 23 * 60 + 54:  # not within a few minutes of local midnight
            return (local - timedelta(minutes=2)).strftime("%H:%M"), zone
    pytest.skip("too close to local midnight everywhere we tried")


def subscribe(
    db: Path, chat_id: int, when: tuple[str, str], since: datetime | None = None
) -> None:
    """Subscribe a chat; by default the subscription is a day old (so today's time can be missed)."""
    with Store(db) as store:
        store.subscribe(
            chat_id, when[0], when[1], 5, since=since or datetime.now(UTC) - timedelta(days=1)
        )


def digest_log(db: Path, chat_id: int) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT day, status FROM digest_log WHERE chat_id = ? ORDER BY day", [chat_id]
        ).fetchall()
    return [(str(d), str(s)) for d, s in rows]


def digests_to(fake: FakeTelegram, chat_id: int) -> list[dict[str, object]]:
    return [m for m in fake.sent_messages(chat_id) if "Your briefing for" in str(m["text"])]


def press(fake: FakeTelegram, chat_id: int, message_id: int, data: str) -> dict[str, Any]:
    """Press a button on a message; the params of the edit that follows."""
    before = len(fake.calls_of("editMessageText", ok=True))
    fake.push_callback(chat_id, message_id, data)
    fake.wait_for(lambda c: len(fake.calls_of("editMessageText", ok=True)) > before, timeout=20)
    edit: dict[str, Any] = fake.calls_of("editMessageText", ok=True)[before]["params"]
    return edit


def wait_until(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


# --- catch-up after downtime, exactly once --------------------------------------------------------


def test_missed_digest_is_sent_on_start_once_and_never_again_after_restart(
    bot: Bot, bot_db: Path, fake_telegram: FakeTelegram
) -> None:
    chat = 3001
    when = recently_passed(datetime.now(UTC))
    subscribe(bot_db, chat, when)
    # Subscribed just now for two hours later: later today, or (from 22:00) 00:xx, a time that
    # has already passed today but had passed before the subscription was made. Either way
    # there is nothing to catch up, at any hour.
    later_chat = 3002
    local = datetime.now(ZoneInfo(when[1]))
    later = ((local + timedelta(hours=2)).strftime("%H:%M"), when[1])
    subscribe(bot_db, later_chat, later, since=datetime.now(UTC))

    bot.start()
    fake_telegram.wait_for(lambda c: len(digests_to(fake_telegram, chat)) >= 1, timeout=30)
    [msg] = digests_to(fake_telegram, chat)
    text = str(msg["text"])
    assert msg["parse_mode"] == "HTML"
    assert EVENT_TITLE.split()[0] in text and "3 outlets" in text
    local_day = datetime.now(ZoneInfo(when[1])).strftime("%A, %d %B")
    assert local_day in text
    buttons = [b["callback_data"] for row in msg["reply_markup"]["inline_keyboard"] for b in row]  # type: ignore[index]
    assert buttons and all(b.startswith("/brief ") for b in buttons)
    time.sleep(3)  # anything else would have arrived by now
    assert len(digests_to(fake_telegram, chat)) == 1
    assert fake_telegram.sent_messages(later_chat) == []
    day = datetime.now(ZoneInfo(when[1])).date().isoformat()
    wait_until(lambda: digest_log(bot_db, chat) == [(day, "sent")], 10, "the sent log")

    # A story opened from the digest shows in its place, with a Back button to the digest.
    [mid] = [m for m in range(1, 20) if (fake_telegram.message(chat, m) or {}).get("from")]
    opened = press(fake_telegram, chat, mid, buttons[0])
    assert "Your briefing for" not in opened["text"] and EVENT_TITLE.split()[0] in opened["text"]
    rows = opened["reply_markup"]["inline_keyboard"]
    assert any(b.get("callback_data") == "/back" for row in rows for b in row)
    restored = press(fake_telegram, chat, mid, "/back")
    assert "Your briefing for" in restored["text"] and local_day in restored["text"]
    assert len(digests_to(fake_telegram, chat)) == 1  # edited in place, nothing new sent

    bot.stop()
    bot.start()
    time.sleep(3)
    assert len(digests_to(fake_telegram, chat)) == 1, "the digest was sent twice"
    assert fake_telegram.sent_messages(later_chat) == []
    assert digest_log(bot_db, chat) == [(day, "sent")]


def test_restart_after_a_claimed_digest_does_not_send_it(
    bot: Bot, bot_db: Path, fake_telegram: FakeTelegram
) -> None:
    # A restart during a digest: the day was claimed ("sending") but the process died before
    # marking it. Sending it again could send it twice, so the bot must not.
    chat = 3003
    when = recently_passed(datetime.now(UTC))
    subscribe(bot_db, chat, when)
    day = datetime.now(ZoneInfo(when[1])).date().isoformat()
    with Store(bot_db) as store:
        assert store.claim_digest(chat, day, [])
    bot.start()
    time.sleep(3)
    assert fake_telegram.sent_messages(chat) == []
    assert digest_log(bot_db, chat) == [(day, "sending")]


def test_chat_that_blocked_the_bot_is_unsubscribed(
    bot: Bot, bot_db: Path, fake_telegram: FakeTelegram
) -> None:
    blocked, fine = 3101, 3102
    when = recently_passed(datetime.now(UTC))
    subscribe(bot_db, blocked, when)
    subscribe(bot_db, fine, when)
    fake_telegram.block_chat(blocked)

    bot.start()

    def gone() -> bool:
        with Store(bot_db) as store:
            return store.subscription(blocked) is None

    wait_until(gone, 30, "the blocked chat to be unsubscribed")
    refused = [
        c
        for c in fake_telegram.calls_of("sendMessage", ok=False)
        if c["params"]["chat_id"] == blocked
    ]
    assert refused and refused[0]["error_code"] == 403
    assert fake_telegram.sent_messages(blocked) == []
    fake_telegram.wait_for(lambda c: len(digests_to(fake_telegram, fine)) == 1, timeout=30)
    with Store(bot_db) as store:
        assert store.subscription(fine) is not None
    assert [s for _, s in digest_log(bot_db, blocked)] == ["failed"]
    time.sleep(1)
    assert len(refused) == len(
        [
            c
            for c in fake_telegram.calls_of("sendMessage", ok=False)
            if c["params"]["chat_id"] == blocked
        ]
    )


def test_429_retry_after_is_honoured(bot: Bot, bot_db: Path, fake_telegram: FakeTelegram) -> None:
    chat = 3201
    subscribe(bot_db, chat, recently_passed(datetime.now(UTC)))
    fake_telegram.fail_next("sendMessage", error_code=429, retry_after=2, count=1)

    bot.start()
    fake_telegram.wait_for(lambda c: len(digests_to(fake_telegram, chat)) >= 1, timeout=30)
    [failed] = fake_telegram.calls_of("sendMessage", ok=False)
    assert failed["error_code"] == 429 and failed["params"]["chat_id"] == chat
    [ok] = [
        c for c in fake_telegram.calls_of("sendMessage", ok=True) if c["params"]["chat_id"] == chat
    ]
    assert ok["time"] - failed["time"] >= 1.9
    time.sleep(2)
    assert len(digests_to(fake_telegram, chat)) == 1
    assert [s for _, s in digest_log(bot_db, chat)] == ["sent"]


# --- subscribing through the bot -------------------------------------------------------------------


def ask(fake: FakeTelegram, text: str, chat_id: int) -> str:
    before = len(fake.sent_messages(chat_id))
    fake.push_message(chat_id, text)
    fake.wait_for(lambda c: len(fake.sent_messages(chat_id)) > before, timeout=20)
    time.sleep(0.2)
    replies = fake.sent_messages(chat_id)[before:]
    assert len(replies) == 1, [r["text"] for r in replies]
    return str(replies[0]["text"])


def test_subscribe_settings_unsubscribe(
    bot: Bot, bot_db: Path, fake_telegram: FakeTelegram
) -> None:
    chat = 3301
    bot.start()
    # Let the start-up catch-up (0.5 s after start) pass first: it would send a digest for a
    # subscription whose time already passed today, which is not what this test is about.
    time.sleep(1.5)
    assert "No daily digest" in ask(fake_telegram, "/settings", chat)

    reply = ask(fake_telegram, "/subscribe 07:30 Europe/Berlin", chat)
    assert "Subscribed" in reply and "07:30" in reply and "Europe/Berlin" in reply
    with Store(bot_db) as store:
        assert store.subscription(chat) == ("07:30", "Europe/Berlin", 5)

    settings = ask(fake_telegram, "/settings", chat)
    assert "Time: 07:30" in settings and "Time zone: Europe/Berlin" in settings
    assert "up to 5 stories" in settings

    # Changing only the time keeps the zone.
    assert "06:15 (Europe/Berlin)" in ask(fake_telegram, "/subscribe 06:15", chat)
    bad = ask(fake_telegram, "/subscribe 25:99 Mars/Base", chat)
    assert "Usage: /subscribe" in bad
    with Store(bot_db) as store:
        assert store.subscription(chat) == ("06:15", "Europe/Berlin", 5)

    assert "Unsubscribed" in ask(fake_telegram, "/unsubscribe", chat)
    with Store(bot_db) as store:
        assert store.subscription(chat) is None
    assert "no digest subscription" in ask(fake_telegram, "/unsubscribe", chat)
    assert "No daily digest" in ask(fake_telegram, "/settings", chat)


# --- kill -9 mid-round: at most the in-flight digest is lost, none is sent twice ----------------


CRASH_CHATS = list(range(6001, 6061))


def statuses(db: Path) -> dict[int, str]:
    with sqlite3.connect(db) as conn:
        return {int(c): str(s) for c, s in conn.execute("SELECT chat_id, status FROM digest_log")}


def test_kill_9_mid_round_loses_at_most_one_digest_and_duplicates_none(
    bot: Bot, bot_db: Path, fake_telegram: FakeTelegram
) -> None:
    when = recently_passed(datetime.now(UTC))
    for chat in CRASH_CHATS:  # subscribed yesterday; today's time passed while the bot was down
        subscribe(bot_db, chat, when)

    def delivered() -> Counter[int]:
        return Counter(
            c["params"]["chat_id"]
            for c in fake_telegram.calls_of("sendMessage", ok=True)
            if c["params"]["chat_id"] in CRASH_CHATS
        )

    proc = bot.start()
    fake_telegram.wait_for(lambda c: len(delivered()) >= 20, timeout=60)
    assert proc.proc is not None
    proc.proc.kill()  # SIGKILL: no clean-up of any kind
    proc.proc.wait(10)
    assert proc.stop() == -9
    assert TOKEN not in proc.log
    bot.proc = None
    first = delivered()
    assert 20 <= len(first) < len(CRASH_CHATS), "the round was not interrupted mid-way"
    stuck = [c for c, s in statuses(bot_db).items() if s == "sending"]
    assert len(stuck) <= 1, stuck

    bot.start()  # the restart catches up the rest
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        done = statuses(bot_db)
        if all(done.get(c) in ("sent", "empty", "sending") for c in CRASH_CHATS):
            break
        time.sleep(0.2)
    time.sleep(1)
    final = delivered()
    assert max(final.values()) == 1, "a digest was sent twice"
    lost = [c for c in CRASH_CHATS if final[c] == 0]
    assert len(lost) <= 1, lost
    assert set(lost) <= set(stuck)  # only the one that was in flight
    done = statuses(bot_db)
    assert all(done[c] in ("sent", "empty") for c in CRASH_CHATS if c not in stuck)
