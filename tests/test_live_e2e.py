"""End to end: live sources (feeds and pages on a local HTTP server) through the real CLI and bot.

A local server (tests/feed_server.py) serves an RSS feed whose entries link to article pages on
the same server: three outlets reporting one invented event. The CLI contracts run in-process
(tests/cli_runner.py); one poll goes through the installed `briefbot` script, and the bot tests
start the real `briefbot run` process.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from bot_process import TOKEN, BotProcess, briefbot_command
from cli_runner import CliResult, run_cli
from fake_telegram import FakeTelegram
from feed_server import FeedServer, Route

from bot.chat.views import refresh_dirty
from bot.sources.ingest import ingest_paths
from bot.store import Store

ADMIN = 501
USER = 777
ETAG = '"feed-v1"'


@dataclass(frozen=True)
class Page:
    slug: str
    outlet: str
    title: str
    author: str
    paragraphs: tuple[str, ...]


PAGES = (
    Page(
        "quarry-blast-halden",
        "Halden Evening Star",
        "Quarry blast cracks windows across Halden as inspectors halt work at Greyrock pit",
        "Marta Ekholm",
        (
            "A blast at the Greyrock limestone quarry on the edge of Halden cracked windows in "
            "more than sixty homes on Wednesday afternoon, and the regional mining inspectorate "
            "ordered all work at the pit to stop while it investigates how much explosive was "
            "used. Residents on Birchwood Lane said the shock wave rattled doors, knocked pictures "
            "off walls and set off car alarms across the northern half of the town.",
            "“It felt like a lorry had driven into the side of the house,” said Annika Rosvall, "
            "who lives four hundred metres from the quarry fence. “My daughter was doing her "
            "homework by the window and the glass split right in front of her.” Nobody was hurt, "
            "according to the Halden fire service, which sent two crews to check for gas leaks.",
            "Greyrock Aggregates, which runs the quarry, said in a statement that a charge in the "
            "eastern bench had behaved unexpectedly and that the company would pay for every "
            "broken window. The company said it had used the same blast plan for three years "
            "without complaints, and that it was cooperating fully with the inspectorate.",
        ),
    ),
    Page(
        "greyrock-inspectors",
        "Norrvik Tribune",
        "Inspectors stop Greyrock quarry after blast damages Halden homes",
        "Jens Ottosson",
        (
            "The regional mining inspectorate has halted blasting at the Greyrock limestone quarry "
            "near Halden after an explosion on Wednesday damaged windows in about sixty houses, "
            "the inspectorate's chief, Lars Vinterberg, said on Thursday. Inspectors will examine "
            "the blast records, the drilling pattern and the amount of explosive loaded into the "
            "eastern bench before deciding whether the quarry may reopen.",
            "“A blast that reaches homes half a kilometre away is not a normal event, and we want "
            "to understand exactly what went wrong,” Vinterberg said. The inspectorate said the "
            "quarry's seismograph recorded ground vibration about three times the legal limit at "
            "the nearest monitoring point, on the corner of Birchwood Lane.",
            "Greyrock Aggregates employs about forty people at the pit, which supplies crushed "
            "stone for road building across the county. The company said it expected the "
            "stoppage to last at least two weeks and that no workers would lose pay in the "
            "meantime, although several hauliers said they had already lost contracts.",
        ),
    ),
    Page(
        "halden-windows-claims",
        "Coastline Courier",
        "Halden residents line up to claim for broken windows after Greyrock quarry blast",
        "Sofie Lindqvist",
        (
            "Dozens of Halden residents queued outside the town library on Thursday to file "
            "claims for windows broken by Wednesday's blast at the Greyrock limestone quarry, "
            "where the regional mining inspectorate has stopped all work. Greyrock Aggregates set "
            "up a table with two loss adjusters and promised to pay glaziers directly so that "
            "families would not have to wait for their money.",
            "“We have had blasts before, but never like this one,” said retired teacher Gunnar "
            "Holm, who lost two panes in his conservatory on Birchwood Lane. “They told us the "
            "rock was moving away from the town. It certainly came our way yesterday.” The town "
            "council said it would ask for an independent review of the quarry's blasting permit.",
            "The inspectorate's chief, Lars Vinterberg, said the quarry's own seismograph had "
            "recorded vibration about three times the legal limit. A report on the cause is due "
            "within a month, and the quarry will stay closed until it is published.",
        ),
    ),
)


def news_time() -> datetime:
    """The latest Thursday 22:00 UTC before now: the pages' words ("on Wednesday", "on Thursday",
    "yesterday") then name the days they mean, whatever day or hour the suite runs."""
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    base = now.replace(hour=22) - timedelta(days=(now.weekday() - 3) % 7)
    return base if base <= now else base - timedelta(days=7)


def page_html(page: Page, published: datetime) -> bytes:
    paras = "\n".join(f"      <p>{p}</p>" for p in page.paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{page.title} | {page.outlet}</title>
<meta property="og:site_name" content="{page.outlet}">
<meta property="og:type" content="article">
<meta property="og:title" content="{page.title}">
<meta name="author" content="{page.author}">
<meta property="article:published_time" content="{published.isoformat(timespec="seconds")}">
</head>
<body>
  <header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav></header>
  <main>
    <article>
      <h1>{page.title}</h1>
      <p class="byline">By {page.author}</p>
{paras}
    </article>
    <aside><h2>Most read</h2><ul><li><a href="/x">Council budget row deepens</a></li></ul></aside>
  </main>
  <footer>© {page.outlet}. All rights reserved.</footer>
</body>
</html>
""".encode()


def rss(server: FeedServer, pages: tuple[Page, ...], now: datetime) -> bytes:
    items = "\n".join(
        f"""    <item>
      <title>{p.title}</title>
      <link>{server.url(f"/news/{p.slug}.html")}</link>
      <guid>{server.url(f"/news/{p.slug}.html")}</guid>
      <pubDate>{format_datetime(now - timedelta(hours=3 - i))}</pubDate>
      <description>{p.paragraphs[0][:120]}</description>
    </item>"""
        for i, p in enumerate(pages)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>Halden regional news</title>
    <link>{server.url("/")}</link>
    <description>News from Halden</description>
{items}
  </channel>
</rss>
""".encode()


@pytest.fixture
def server() -> Iterator[FeedServer]:
    now = news_time()
    with FeedServer() as srv:
        for i, p in enumerate(PAGES):
            srv.add(f"/news/{p.slug}.html", Route(body=page_html(p, now - timedelta(hours=3 - i))))
        srv.add(
            "/feed.xml",
            Route(body=rss(srv, PAGES, now), content_type="application/rss+xml", etag=ETAG),
        )
        broken = b'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Halden</title></chan'
        srv.add("/broken.xml", Route(body=broken, content_type="application/rss+xml"))
        srv.add("/down.xml", Route(status=500, body=b"internal error", content_type="text/plain"))
        yield srv


def clean_env(**extra: str) -> dict[str, str]:
    """The environment for a subprocess: no bot token, no database or feed settings inherited."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "BRIEFBOT_")) and k not in ("HTTP_PROXY", "http_proxy")
    }
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    env["PTB_TIMEDELTA"] = "1"
    env["BRIEFBOT_FETCH_ALLOW"] = "127.0.0.1"  # the local feed server; internal hosts are refused
    env.update(extra)
    return env


def briefbot(tmp_path: Path, *args: str, **env: str) -> CliResult:
    """`briefbot ARGS` in this process, allowed to fetch from the local server."""
    return run_cli(tmp_path, *args, env={"BRIEFBOT_FETCH_ALLOW": "127.0.0.1", **env})


def briefbot_process(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`briefbot ARGS` as the installed script in its own process."""
    return subprocess.run(
        [*briefbot_command(), *args],
        cwd=tmp_path,
        env=clean_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def as_json(result: CliResult) -> dict[str, Any]:
    try:
        data = json.loads(result.stdout)
    except json.JSONDecodeError:
        raise AssertionError(f"not JSON: {result.stdout!r}\n{result.stderr[-2000:]}") from None
    assert isinstance(data, dict)
    return data


# --- `briefbot poll` ------------------------------------------------------------------------------


def test_poll_ingests_a_feed_once_then_uses_conditional_get(
    tmp_path: Path, server: FeedServer
) -> None:
    db = tmp_path / "live.db"
    feed = server.url("/feed.xml")

    first = briefbot(tmp_path, "--db", str(db), "poll", "--json", BRIEFBOT_FEEDS=feed)
    assert first.returncode == 0, first.stderr[-2000:]
    data = as_json(first)
    assert data["feeds"] == 1 and data["polled"] == 1 and data["feed_errors"] == []
    assert data["errors"] == []
    ingested = data["ingested"]
    assert sorted(i["outlet"] for i in ingested) == sorted(p.outlet for p in PAGES)
    assert {i["input"] for i in ingested} == {server.url(f"/news/{p.slug}.html") for p in PAGES}
    assert len({i["story_id"] for i in ingested}) == 1, "one event, one story"
    for p in PAGES:
        assert len(server.requests_for(f"/news/{p.slug}.html")) == 1
    with Store(db) as store:
        [row] = store.feeds()
        assert row.url == feed and row.etag == ETAG and row.failures == 0
        assert row.next_poll_at is not None and row.next_poll_at > datetime.now(UTC)
        [story] = store.stories()
        assert len(story.outlets) == 3
        assert store.cached_briefing(story.id) is not None  # refreshed after the round
        arts = store.articles(story.article_ids)
        assert all(len(a.text.split()) > 150 for a in arts)
        assert not any("Most read" in a.text or "All rights reserved" in a.text for a in arts)

    # Right after: the feed is not due yet, nothing is fetched or ingested.
    second = briefbot(tmp_path, "--db", str(db), "poll", "--json", BRIEFBOT_FEEDS=feed)
    assert second.returncode == 0, second.stderr[-2000:]
    data = as_json(second)
    assert data["polled"] == 0 and data["ingested"] == []
    assert len(server.requests_for("/feed.xml")) == 1

    # Due again: a conditional GET with the stored ETag, answered 304.
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE feeds SET next_poll_at = NULL")
    third = briefbot(tmp_path, "--db", str(db), "poll", "--json", BRIEFBOT_FEEDS=feed)
    assert third.returncode == 0, third.stderr[-2000:]
    data = as_json(third)
    assert data["polled"] == 1 and data["not_modified"] == 1 and data["ingested"] == []
    requests = server.requests_for("/feed.xml")
    assert len(requests) == 2
    assert "if-none-match" not in requests[0].headers
    assert requests[1].headers["if-none-match"] == ETAG

    # A changed feed (new ETag) with the same entries: known URLs are not fetched or ingested again.
    server.add(
        "/feed.xml",
        Route(
            body=rss(server, PAGES, news_time()),
            content_type="application/rss+xml",
            etag='"feed-v2"',
        ),
    )
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE feeds SET next_poll_at = NULL")
    fourth = briefbot(tmp_path, "--db", str(db), "poll", "--json", BRIEFBOT_FEEDS=feed)
    data = as_json(fourth)
    assert fourth.returncode == 0 and data["polled"] == 1 and data["ingested"] == []
    for p in PAGES:
        assert len(server.requests_for(f"/news/{p.slug}.html")) == 1
    with Store(db) as store:
        assert store.article_count() == 3


def test_poll_reports_bad_feeds_and_still_ingests_the_good_one(
    tmp_path: Path, server: FeedServer
) -> None:
    db = tmp_path / "live.db"
    feeds = [server.url("/broken.xml"), server.url("/feed.xml"), server.url("/down.xml")]
    result = briefbot(tmp_path, "--db", str(db), "poll", "--json", BRIEFBOT_FEEDS=",".join(feeds))
    assert result.returncode == 1, result.stderr[-2000:]
    data = as_json(result)
    assert data["feeds"] == 3 and data["polled"] == 3
    assert len(data["ingested"]) == 3
    errors = {e["input"]: e["error"] for e in data["feed_errors"]}
    assert set(errors) == {feeds[0], feeds[2]}
    assert "HTTP 500" in errors[feeds[2]]
    assert "not a readable feed" in errors[feeds[0]]
    with Store(db) as store:
        state = {f.url: f for f in store.feeds()}
        assert state[feeds[0]].failures == 1 and state[feeds[2]].failures == 1
        assert state[feeds[1]].failures == 0
        assert "HTTP 500" in state[feeds[2]].last_error

    # The human output says the same in one line (the real script, in its own process).
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE feeds SET next_poll_at = NULL")
    human = briefbot_process(tmp_path, "--db", str(db), "poll", BRIEFBOT_FEEDS=",".join(feeds))
    assert human.returncode == 1
    assert "3 of 3 feeds polled, 1 not modified, 0 articles, 2 errors" in human.stdout


# --- `briefbot ingest URL` ------------------------------------------------------------------------


def test_ingest_a_page_a_feed_and_a_missing_url(tmp_path: Path, server: FeedServer) -> None:
    db = tmp_path / "live.db"
    page = server.url(f"/news/{PAGES[0].slug}.html")
    one = briefbot(tmp_path, "--db", str(db), "ingest", "--json", page)
    assert one.returncode == 0, one.stderr[-2000:]
    data = as_json(one)
    assert data["errors"] == []
    [item] = data["ingested"]
    assert item["input"] == page and item["outlet"] == PAGES[0].outlet
    assert item["title"] == PAGES[0].title and item["duplicate_of"] is None
    with Store(db) as store:
        a = store.article(item["id"])
        assert a is not None and a.url == page and a.author == PAGES[0].author
        assert "Birchwood Lane" in a.text

    # The feed's URL: every entry is ingested (the first page is already known: a duplicate).
    feed = briefbot(tmp_path, "--db", str(db), "ingest", server.url("/feed.xml"))
    assert feed.returncode == 0, feed.stderr[-2000:]
    assert "3 ingested, 0 errors" in feed.stdout
    assert f"duplicate of #{item['id']}" in feed.stdout
    assert feed.stdout.count(f"story #{item['story_id']}") == 3
    with Store(db) as store:
        story = store.story(item["story_id"])
        assert story is not None and len(story.outlets) == 3

    # A 404 is an error entry; the good input beside it still goes in.
    missing = server.url("/news/no-such-story.html")
    mixed = briefbot(tmp_path, "--db", str(db), "ingest", "--json", missing, page)
    assert mixed.returncode == 1
    data = as_json(mixed)
    assert [e["input"] for e in data["errors"]] == [missing]
    assert "404" in data["errors"][0]["error"]
    assert [i["duplicate_of"] for i in data["ingested"]] == [item["id"]]
    assert "404" in mixed.stderr


# --- /add and /feeds through the bot ---------------------------------------------------------------


@pytest.fixture
def story_db(tmp_path: Path, server: FeedServer, sample_db: Path) -> tuple[Path, int]:
    """The sample articles plus two of the three quarry pages; returns (db, quarry story id)."""
    db = tmp_path / "bot.db"
    shutil.copy(sample_db, db)
    folder = tmp_path / "pages"
    folder.mkdir()
    with Store(db) as store:
        now = news_time() - timedelta(hours=3)
        for p in PAGES[:2]:
            (folder / f"{p.slug}.html").write_bytes(page_html(p, now))
        quarry = ingest_paths(store, [str(folder)])
        assert not quarry.errors
        [story_id] = {i.story_id for i in quarry.ingested}
        refresh_dirty(store)
    assert story_id is not None
    return db, story_id


ASKED: Counter[int] = Counter()


def ask(fake: FakeTelegram, text: str, chat_id: int) -> str:
    """Send a message and return the bot's reply (counted: see replied_once)."""
    before = len(fake.sent_messages(chat_id))
    fake.push_message(chat_id, text)
    fake.wait_for(lambda c: len(fake.sent_messages(chat_id)) > before, timeout=60)
    ASKED[chat_id] += 1
    replies = fake.sent_messages(chat_id)[before:]
    assert len(replies) == 1, [r["text"] for r in replies]
    return str(replies[0]["text"])


def replied_once(fake: FakeTelegram) -> None:
    """Once the bot has exited (nothing more can arrive): one reply per message, in every chat."""
    for chat_id, asked in ASKED.items():
        texts = [m["text"] for m in fake.sent_messages(chat_id)]
        assert len(texts) == asked, texts
    ASKED.clear()


def test_admin_adds_a_page_and_manages_feeds_through_the_bot(
    tmp_path: Path, story_db: tuple[Path, int], server: FeedServer, fake_telegram: FakeTelegram
) -> None:
    db, story_id = story_db
    env = clean_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE=fake_telegram.base_url,
        BRIEFBOT_DB=str(db),
        BRIEFBOT_ADMINS=str(ADMIN),
    )
    proc = BotProcess(tmp_path, env, script=True)  # the installed script, not a zygote fork
    proc.env = env  # exactly this environment, nothing inherited
    ASKED.clear()
    proc.start()
    try:
        fake_telegram.wait_for("setMyCommands", timeout=120)
        page = server.url(f"/news/{PAGES[2].slug}.html")

        refused = ask(fake_telegram, f"/add {page}", USER)
        assert "only the bot's admins" in refused
        assert server.requests_for(f"/news/{PAGES[2].slug}.html") == []

        added = ask(fake_telegram, f"/add {page}", ADMIN)
        assert f"Added “{PAGES[2].title}” ({PAGES[2].outlet})" in added
        assert f"Story <b>#{story_id} " in added and "3 outlets" in added
        with Store(db) as store:
            story = store.story(story_id)
            assert story is not None and PAGES[2].outlet in story.outlets
        again = ask(fake_telegram, f"/add {page}", ADMIN)
        assert "Already known" in again
        assert "Could not add" in ask(fake_telegram, f"/add {server.url('/gone.html')}", ADMIN)
        assert "Usage: /add" in ask(fake_telegram, "/add not-a-url", ADMIN)

        assert "No feeds yet" in ask(fake_telegram, "/feeds", ADMIN)
        feed = server.url("/feed.xml")
        assert f"Feed added: {feed}" in ask(fake_telegram, f"/feeds add {feed}", ADMIN)
        assert "Already polling" in ask(fake_telegram, f"/feeds add {feed}", ADMIN)
        listing = ask(fake_telegram, "/feeds", ADMIN)
        assert f"1. {feed}" in listing
        assert "only the bot's admins" in ask(fake_telegram, "/feeds", USER)
        assert "only the bot's admins" in ask(fake_telegram, "/feeds remove 1", USER)
        with Store(db) as store:
            assert [f.url for f in store.feeds()] == [feed]
        assert f"Feed removed: {feed}" in ask(fake_telegram, "/feeds remove 1", ADMIN)
        assert "There is no feed 1" in ask(fake_telegram, "/feeds remove 1", ADMIN)
        assert "Usage: /feeds" in ask(fake_telegram, "/feeds frobnicate", ADMIN)
        with Store(db) as store:
            assert store.feeds() == []
    finally:
        code = proc.stop()
    assert TOKEN not in proc.log
    assert code == 0, proc.log[-3000:]
    replied_once(fake_telegram)


def test_bot_polls_configured_feeds_on_start(
    tmp_path: Path, server: FeedServer, fake_telegram: FakeTelegram
) -> None:
    db = tmp_path / "bot.db"
    env = clean_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE=fake_telegram.base_url,
        BRIEFBOT_DB=str(db),
        BRIEFBOT_FEEDS=server.url("/feed.xml"),
    )
    proc = BotProcess(tmp_path, env)
    proc.env = env
    ASKED.clear()
    proc.start()
    try:
        fake_telegram.wait_for("setMyCommands", timeout=120)
        deadline = time.monotonic() + 120
        while True:
            with Store(db) as store:
                if store.article_count() == 3 and not store.dirty_stories():
                    break
            assert time.monotonic() < deadline, proc.log[-3000:]
            time.sleep(0.2)
        [reply] = [ask(fake_telegram, "/brief Greyrock quarry", USER)]
        assert "Greyrock" in reply and "—" in reply
        assert "Halden Evening Star" in reply or "Norrvik Tribune" in reply
    finally:
        code = proc.stop()
    assert code == 0, proc.log[-3000:]
    replied_once(fake_telegram)
