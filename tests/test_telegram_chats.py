"""The real `briefbot run` process in groups, forum topics and channels, with deep links, private
search, /add of a feed, and a slow /add that must not hold up anyone else."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from bot_process import TOKEN, BotProcess
from corpus import within_one_day
from fake_telegram import BOT_USERNAME, FakeTelegram, default_menu_set
from feed_server import FeedServer, Route

from bot.store import Store

ADMIN = 501
USER = 777
GROUP = -100555
CHANNEL = -100777

ARTICLES = (
    (
        "Orrin Vale",
        "Tarnby ferry pier closed after storm cracks its pilings",
        "Tarnby's ferry pier was closed on Monday after divers found cracks in four of its oak "
        "pilings, the harbour office said. Ferries to Skelholm now leave from the fish quay. "
        "“Safety comes first, even if the detour costs everyone twenty minutes,” said harbour "
        "master Ida Brenn. Repairs are expected to take three weeks.",
    ),
    (
        "Skel Courier",
        "Cracked pilings shut Tarnby pier; ferries move to fish quay",
        "Ferries between Tarnby and Skelholm moved to the fish quay on Monday after cracks were "
        "found in the pier's oak pilings following last week's storm. Harbour master Ida Brenn "
        "said repairs would take about three weeks. “We will not take chances,” she said.",
    ),
    (
        "North Sound Post",
        "Tarnby pier repairs to take three weeks, harbour office says",
        "The harbour office in Tarnby said on Monday that its storm-damaged ferry pier will stay "
        "shut for three weeks while four cracked pilings are replaced. Ferries use the fish quay "
        "meanwhile, adding about twenty minutes to each crossing for the island's commuters.",
    ),
)


def page(outlet: str, title: str, body: str, when: datetime) -> bytes:
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>"
        f"<meta property='og:site_name' content='{outlet}'><meta property='og:title' content='{title}'>"
        f"<meta property='article:published_time' content='{when.isoformat(timespec='seconds')}'>"
        f"</head><body><article><h1>{title}</h1><p>{body}</p><p>{body}</p></article></body></html>"
    ).encode()


@pytest.fixture
def server() -> Iterator[FeedServer]:
    now = datetime.now(UTC).replace(microsecond=0)
    with FeedServer() as srv:
        items = []
        times = within_one_day(now - timedelta(hours=3), timedelta(hours=1), len(ARTICLES))
        for i, ((outlet, title, body), when) in enumerate(zip(ARTICLES, times, strict=True)):
            srv.add(f"/a{i}.html", Route(body=page(outlet, title, body, when)))
            items.append(
                f"<item><title>{title}</title><link>{srv.url(f'/a{i}.html')}</link>"
                f"<guid>{srv.url(f'/a{i}.html')}</guid><pubDate>{format_datetime(when)}</pubDate></item>"
            )
        feed = (
            "<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'><channel><title>Tarnby</title>"
            f"<link>{srv.url('/')}</link><description>x</description>{''.join(items)}</channel></rss>"
        )
        srv.add("/feed.xml", Route(body=feed.encode(), content_type="application/rss+xml"))
        outlet, title, body = ARTICLES[0]
        srv.add("/slow.html", Route(body=page(outlet, title + " (live)", body, now), delay=3.0))
        yield srv


@pytest.fixture
def bot(tmp_path: Path, sample_db: Path, fake_telegram: FakeTelegram) -> Iterator[BotProcess]:
    db = tmp_path / "bot.db"
    shutil.copy(sample_db, db)
    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE": fake_telegram.base_url,
        "BRIEFBOT_DB": str(db),
        "BRIEFBOT_ADMINS": str(ADMIN),
        "BRIEFBOT_LOG_LEVEL": "DEBUG",
        "BRIEFBOT_FETCH_ALLOW": "127.0.0.1",
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }
    proc = BotProcess(tmp_path, env).start()
    try:
        fake_telegram.wait_for(default_menu_set, timeout=120)
        yield proc
    finally:
        code = proc.stop()
        assert TOKEN not in proc.log, "the token leaked into the logs"
        assert code == 0, proc.log[-3000:]


def replies(fake: FakeTelegram, chat_id: int, since: int) -> list[dict[str, object]]:
    """The bot's messages to a chat after the first ``since`` sendMessage calls."""
    sent = fake.calls_of("sendMessage", ok=True)[since:]
    return [c["params"] for c in sent if c["params"]["chat_id"] == chat_id]


def say(fake: FakeTelegram, chat_id: int, text: str, **kw: object) -> dict[str, object]:
    """Send a message and return the bot's first answer in that chat (its sendMessage params)."""
    since = len(fake.calls_of("sendMessage", ok=True))
    fake.push_message(chat_id, text, **kw)  # type: ignore[arg-type]
    fake.wait_for(lambda c: bool(replies(fake, chat_id, since)), timeout=20)
    return replies(fake, chat_id, since)[0]


def subscription(db: Path, chat_id: int) -> object:
    with Store(db) as store:
        return store.subscription(chat_id)


def test_groups_topics_and_channels(bot: BotProcess, fake_telegram: FakeTelegram, tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    group = {"chat_type": "supergroup", "message_thread_id": 77}
    # A forum topic: the answer goes into that topic, not General.
    brief = say(fake_telegram, GROUP, "/brief", user_id=901, **group)
    assert brief["message_thread_id"] == 77 and "—" in str(brief["text"])

    # Unaddressed unknown commands in a group are somebody else's: no answer.
    since = len(fake_telegram.calls_of("sendMessage", ok=True))
    fake_telegram.push_message(GROUP, "/foo", user_id=901, **group)  # type: ignore[arg-type]
    addressed = say(fake_telegram, GROUP, f"/foo@{BOT_USERNAME}", user_id=901, **group)
    assert "Unknown command" in str(addressed["text"])
    assert len(replies(fake_telegram, GROUP, since)) == 1

    # Changing the group's digest needs a chat administrator (asked with getChatMember).
    fake_telegram.set_chat_admins(GROUP, {902})
    refused = say(fake_telegram, GROUP, "/subscribe 08:00 Europe/Berlin", user_id=901, **group)
    assert "administrators" in str(refused["text"]) and refused["message_thread_id"] == 77
    assert subscription(db, GROUP) is None
    ok = say(fake_telegram, GROUP, "/subscribe 08:00 Europe/Berlin", user_id=902, **group)
    assert "Subscribed" in str(ok["text"])
    assert tuple(subscription(db, GROUP)) == ("08:00", "Europe/Berlin", 5)  # type: ignore[arg-type]
    assert "administrators" in str(say(fake_telegram, GROUP, "/unsubscribe", user_id=901, **group)["text"])
    assert subscription(db, GROUP) is not None
    members = [c["params"]["user_id"] for c in fake_telegram.calls_of("getChatMember")]
    assert 901 in members and 902 in members
    # Reading the settings is fine for anyone.
    assert "08:00" in str(say(fake_telegram, GROUP, "/settings", user_id=901, **group)["text"])

    # A channel: only its admins can post, so a post subscribes it.
    posted = say(fake_telegram, CHANNEL, "/subscribe 06:30 UTC", chat_type="channel")
    assert "Subscribed" in str(posted["text"])
    assert tuple(subscription(db, CHANNEL)) == ("06:30", "UTC", 5)  # type: ignore[arg-type]


def test_deep_links_share_buttons_and_private_search(
    bot: BotProcess, fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    with Store(tmp_path / "bot.db") as store:
        story = store.stories(limit=1)[0]
    opened = say(fake_telegram, USER, f"/start brief_{story.id}")
    assert f"#{story.id}" in str(opened["text"]) and "—" in str(opened["text"])
    rows = opened["reply_markup"]["inline_keyboard"]  # type: ignore[index]
    urls = [b.get("url") for row in rows for b in row if b.get("url")]
    assert urls == [f"https://t.me/{BOT_USERNAME}?start=brief_{story.id}"]
    assert "Hi!" in str(say(fake_telegram, USER, "/start")["text"])
    # Plain words in a private chat search, like the console.
    found = say(fake_telegram, USER, "storm")
    assert "Stories matching" in str(found["text"])
    # ... but not in a group (privacy mode aside, chatter there is not for the bot).
    since = len(fake_telegram.calls_of("sendMessage", ok=True))
    fake_telegram.push_message(GROUP, "storm", chat_type="supergroup")
    say(fake_telegram, GROUP, "/help", chat_type="supergroup")
    assert len(replies(fake_telegram, GROUP, since)) == 1


def test_a_slow_add_does_not_hold_up_a_brief_and_a_feed_adds_every_entry(
    bot: BotProcess, fake_telegram: FakeTelegram, server: FeedServer
) -> None:
    say(fake_telegram, USER, "/help")  # warm up: the bot is answering
    since = len(fake_telegram.calls_of("sendMessage", ok=True))
    fake_telegram.push_message(ADMIN, f"/add {server.url('/slow.html')}")
    fake_telegram.wait_for(lambda c: len(server.requests_for("/slow.html")) == 1, timeout=20)
    t0 = time.monotonic()
    fake_telegram.push_message(USER, "/brief")
    fake_telegram.wait_for(lambda c: bool(replies(fake_telegram, USER, since)), timeout=20)
    [answer] = [
        c for c in fake_telegram.calls_of("sendMessage", ok=True)[since:] if c["params"]["chat_id"] == USER
    ]
    assert answer["time"] - t0 < 0.5, "the /brief waited for the slow /add"
    assert replies(fake_telegram, ADMIN, since) == []  # the /add is still waiting for its page
    fake_telegram.wait_for(lambda c: bool(replies(fake_telegram, ADMIN, since)), timeout=30)
    assert "Added" in str(replies(fake_telegram, ADMIN, since)[0]["text"])
    typing = [c for c in fake_telegram.calls_of("sendChatAction") if c["params"]["chat_id"] == ADMIN]
    assert typing and typing[0]["params"]["action"] == "typing"

    # /add of a feed ingests every entry, with one summary reply.
    since = len(fake_telegram.calls_of("sendMessage", ok=True))
    summary = say(fake_telegram, ADMIN, f"/add {server.url('/feed.xml')}")
    time.sleep(0.5)
    assert len(replies(fake_telegram, ADMIN, since)) == 1
    text = str(summary["text"])
    assert "3 new articles" in text or ("new article" in text and "already known" in text), text
    for i in range(3):
        assert len(server.requests_for(f"/a{i}.html")) == 1
