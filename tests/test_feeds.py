"""Feed parsing (pure) and polling rounds over real HTTP on 127.0.0.1 (tests/feed_server.py)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from feed_server import FeedServer, Route

from bot.sources.feeds import (
    MAX_BACKOFF,
    FeedPollResult,
    FeedState,
    backoff_delay,
    is_due,
    poll_feeds,
)
from bot.sources.fetch import FetchError, FetchLimits, fetch_url, make_client
from summarizer.errors import InputError
from summarizer.read.feeds import parse_feed

NOW = datetime(2025, 3, 14, 9, 0, tzinfo=UTC)
LOCAL = ("127.0.0.1",)  # the test server is on loopback, which fetches refuse by default
FAST = FetchLimits(timeout=2.0, max_bytes=1_000_000, concurrency=4, allow=LOCAL)

# --- invented feeds ---------------------------------------------------------------------------

RSS20 = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Harbourtown Gazette</title>
  <link>https://gazette.example/</link>
  <description>Local news</description>
  <item>
    <title>Ferry service resumes after storm</title>
    <link>/news/ferry-resumes/?utm_source=rss&amp;utm_medium=feed</link>
    <guid isPermaLink="false">gz-101</guid>
    <pubDate>Thu, 13 Mar 2025 18:30:00 +0100</pubDate>
    <dc:creator>Mara Quill</dc:creator>
    <description>The harbour ferry runs again.</description>
    <content:encoded><![CDATA[<p>The harbour ferry ran again on Thursday, said
      <a href="/people/okafor">Captain Okafor</a>.</p><script>alert(1)</script>]]></content:encoded>
  </item>
  <item>
    <title>Council debates lighthouse budget</title>
    <link>https://gazette.example/news/lighthouse-budget#comments</link>
    <pubDate>Wed, 12 Mar 2025 08:00:00 GMT</pubDate>
    <description>&lt;p&gt;Councillors argued for three hours.&lt;/p&gt;</description>
  </item>
  <item>
    <title>No link at all</title>
    <description>An item without a link is skipped.</description>
  </item>
  <item>
    <title>Ferry service resumes (duplicate)</title>
    <link>https://gazette.example/news/ferry-resumes</link>
  </item>
</channel>
</rss>
"""

RSS10 = b"""<?xml version="1.0" encoding="iso-8859-1"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://valley.example/rss">
    <title>Valley Courier</title>
    <link>https://valley.example/</link>
    <description>Valley news</description>
    <items><rdf:Seq><rdf:li rdf:resource="https://valley.example/2025/orchard-frost"/></rdf:Seq></items>
  </channel>
  <item rdf:about="https://valley.example/2025/orchard-frost">
    <title>Orchard growers count frost damage in Pr\xe9vert</title>
    <link>https://valley.example/2025/orchard-frost</link>
    <description>Late frost hit the apple blossom.</description>
    <dc:date>2025-03-13T06:15:00+01:00</dc:date>
    <dc:creator>Ilse Brandt</dc:creator>
  </item>
</rdf:RDF>
"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>The Northern Ledger</title>
  <id>urn:uuid:60a76c80-d399-11d9-b93c-0003939e0af6</id>
  <updated>2025-03-13T12:00:00Z</updated>
  <link rel="self" href="https://ledger.example/atom.xml"/>
  <entry>
    <title>Rail line to Easton reopens</title>
    <link rel="alternate" type="text/html" href="https://ledger.example/rail/easton?fbclid=zz"/>
    <link rel="enclosure" type="image/jpeg" href="https://ledger.example/img/train.jpg"/>
    <id>tag:ledger.example,2025:rail-easton</id>
    <published>2025-03-13T10:45:00-05:00</published>
    <updated>2025-03-13T11:00:00-05:00</updated>
    <author><name>Tomas Wren</name></author>
    <summary>Trains run again.</summary>
    <content type="html">&lt;p&gt;Trains to Easton ran again on Thursday morning.&lt;/p&gt;
    </content>
  </entry>
</feed>
"""

JSON_FEED_11 = json.dumps(
    {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Islands Dispatch",
        "home_page_url": "https://dispatch.example/",
        "authors": [{"name": "Desk"}],
        "items": [
            {
                "id": "1",
                "url": "https://dispatch.example/p/tide-record#top",
                "title": "Record tide floods the quay",
                "content_html": "<p>The tide reached a record height.</p>",
                "summary": "Record tide.",
                "date_published": "2025-03-13T07:00:00+02:00",
                "authors": [{"name": "Ana Sol"}, {"name": "Ben Ito"}],
            },
            {
                "id": "2",
                "url": "/p/ferry-fares",
                "content_text": "Fares rise in April.\n\nThe board voted 4 to 1.",
                "date_published": "2025-03-12T09:00:00Z",
            },
            {"id": "no-url-here", "content_text": "skipped"},
        ],
    }
).encode()

JSON_FEED_10 = json.dumps(
    {
        "version": "https://jsonfeed.org/version/1",
        "title": "Old Dispatch",
        "items": [
            {
                "id": "https://old.example/a",
                "title": "An old-style item",
                "author": {"name": "Kit Lowe"},
                "content_text": "Plain text & more.",
            }
        ],
    }
).encode()


def rss_with(*links: str, title: str = "Test feed") -> bytes:
    """A small RSS 2.0 feed whose items point at ``links``."""
    items = "".join(
        f"<item><title>Story {i}</title><link>{link}</link>"
        f"<description>Summary of story {i}.</description></item>"
        for i, link in enumerate(links)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>https://example.org/</link>{items}</channel></rss>"
    ).encode()


def page(title: str) -> Route:
    """An article page."""
    return Route(
        body=f"<html><head><title>{title}</title></head><body><p>{title}</p></body></html>".encode()
    )


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        yield srv


def never_known(url: str) -> bool:
    return False


# --- pure parsing -----------------------------------------------------------------------------


def test_parse_rss20() -> None:
    feed = parse_feed(RSS20, "https://gazette.example/feed.xml")
    assert feed.title == "Harbourtown Gazette"
    assert [e.url for e in feed.entries] == [
        "https://gazette.example/news/ferry-resumes",
        "https://gazette.example/news/lighthouse-budget",
    ]
    first, second = feed.entries
    assert first.title == "Ferry service resumes after storm"
    assert first.published == datetime(2025, 3, 13, 17, 30, tzinfo=UTC)
    assert first.author == "Mara Quill"
    assert "harbour ferry ran again" in first.content_html
    assert 'href="https://gazette.example/people/okafor"' in first.content_html
    assert "<script" not in first.content_html
    assert first.summary == "The harbour ferry runs again."
    assert second.content_html == ""
    assert "Councillors argued" in second.summary
    assert second.published == datetime(2025, 3, 12, 8, 0, tzinfo=UTC)


def test_parse_rss10_in_latin1() -> None:
    feed = parse_feed(RSS10, "https://valley.example/rss")
    assert feed.title == "Valley Courier"
    (entry,) = feed.entries
    assert entry.url == "https://valley.example/2025/orchard-frost"
    assert entry.title == "Orchard growers count frost damage in Prévert"
    assert entry.published == datetime(2025, 3, 13, 5, 15, tzinfo=UTC)
    assert entry.author == "Ilse Brandt"
    assert entry.summary == "Late frost hit the apple blossom."


def test_parse_atom() -> None:
    feed = parse_feed(ATOM, "https://ledger.example/atom.xml")
    assert feed.title == "The Northern Ledger"
    (entry,) = feed.entries
    assert entry.url == "https://ledger.example/rail/easton"
    assert entry.published == datetime(2025, 3, 13, 15, 45, tzinfo=UTC)
    assert entry.author == "Tomas Wren"
    assert entry.content_html == "<p>Trains to Easton ran again on Thursday morning.</p>"
    assert entry.summary == "Trains run again."


def test_parse_json_feed_11() -> None:
    feed = parse_feed(JSON_FEED_11, "https://dispatch.example/feed.json")
    assert feed.title == "Islands Dispatch"
    first, second = feed.entries
    assert first.url == "https://dispatch.example/p/tide-record"
    assert first.title == "Record tide floods the quay"
    assert first.published == datetime(2025, 3, 13, 5, 0, tzinfo=UTC)
    assert first.published is not None and first.published.tzinfo is not None
    assert first.author == "Ana Sol, Ben Ito"
    assert first.content_html == "<p>The tide reached a record height.</p>"
    assert first.summary == "Record tide."
    assert second.url == "https://dispatch.example/p/ferry-fares"
    assert second.author == "Desk"  # falls back to the feed's authors
    assert second.content_html == "<p>Fares rise in April.</p><p>The board voted 4 to 1.</p>"
    assert second.published == datetime(2025, 3, 12, 9, 0, tzinfo=UTC)


def test_parse_json_feed_10() -> None:
    feed = parse_feed(JSON_FEED_10, "https://old.example/feed.json")
    (entry,) = feed.entries
    assert entry.url == "https://old.example/a"
    assert entry.author == "Kit Lowe"
    assert entry.content_html == "<p>Plain text &amp; more.</p>"
    assert entry.published is None


def test_parse_rss091_with_bom() -> None:
    data = (
        b'\xef\xbb\xbf<?xml version="1.0"?><rss version="0.91"><channel><title>Wire</title>'
        b"<link>http://wire.example/</link><description>d</description><language>en</language>"
        b"<item><title>Bridge closed for repairs</title><link>http://wire.example/bridge</link>"
        b"<description>Repairs take a week.</description></item></channel></rss>"
    )
    feed = parse_feed(data, "http://wire.example/rss")
    assert feed.title == "Wire"
    assert [(e.url, e.title, e.summary) for e in feed.entries] == [
        ("http://wire.example/bridge", "Bridge closed for repairs", "Repairs take a week.")
    ]


def test_parse_empty_but_valid_feed() -> None:
    data = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    assert parse_feed(data, "https://q.example/rss").entries == ()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty feed"),
        (b"   \n", "empty feed"),
        (b"<html><body><p>Welcome to our home page</p></body></html>", "not an RSS"),
        (b"\x00\x01binary\xff\xfe junk", "not a readable feed"),
        (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Cut', "not a readable feed"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": [', "not a readable JSON feed"),
        (b'{"hello": "world"}', "not a JSON feed"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": 3}', "not a JSON feed"),
        (b"[1, 2, 3]", "not a JSON feed"),
    ],
)
def test_parse_malformed(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        parse_feed(data, "https://bad.example/feed")
    assert "\n" not in str(info.value)


# --- fetch_url --------------------------------------------------------------------------------


async def test_fetch_url_sends_user_agent_and_reads_validators(server: FeedServer) -> None:
    server.add(
        "/a", Route(body=b"hello", etag='"v1"', last_modified="Thu, 13 Mar 2025 10:00:00 GMT")
    )
    async with make_client(FAST) as client:
        result = await fetch_url(client, server.url("/a"), FAST)
    assert result.content == b"hello"
    assert result.status == 200 and not result.not_modified
    assert result.etag == '"v1"'
    assert result.last_modified == "Thu, 13 Mar 2025 10:00:00 GMT"
    assert result.content_type.startswith("text/html")
    assert server.requests_for("/a")[0].headers["user-agent"] == FAST.user_agent


async def test_fetch_url_follows_redirects(server: FeedServer) -> None:
    server.add("/old", Route(status=301, headers=(("Location", "/new"),)))
    server.add("/new", page("Moved story"))
    async with make_client(FAST) as client:
        result = await fetch_url(client, server.url("/old"), FAST)
    assert result.url == server.url("/old")
    assert result.final_url == server.url("/new")
    assert b"Moved story" in result.content


@pytest.mark.parametrize("send_length", [True, False])
async def test_fetch_url_aborts_huge_body(server: FeedServer, send_length: bool) -> None:
    server.add("/huge", Route(stream_bytes=20_000_000, send_length=send_length))
    limits = FetchLimits(timeout=5.0, max_bytes=200_000, allow=LOCAL)
    started = time.monotonic()
    async with make_client(limits) as client:
        with pytest.raises(FetchError, match="too large: more than 200,000 bytes"):
            await fetch_url(client, server.url("/huge"), limits)
    assert time.monotonic() - started < 3


async def test_fetch_url_errors(server: FeedServer) -> None:
    server.add("/boom", Route(status=500, body=b"oops"))
    server.add("/slow", Route(body=b"late", delay=3.0))
    limits = FetchLimits(timeout=0.5, allow=LOCAL)
    async with make_client(limits) as client:
        with pytest.raises(FetchError, match=r"^HTTP 500$"):
            await fetch_url(client, server.url("/boom"), limits)
        with pytest.raises(FetchError, match=r"^HTTP 404$"):
            await fetch_url(client, server.url("/missing"), limits)
        started = time.monotonic()
        with pytest.raises(FetchError, match=r"^timed out after 0.5 s$"):
            await fetch_url(client, server.url("/slow"), limits)
        assert time.monotonic() - started < 1.5
        with pytest.raises(FetchError, match="unsupported URL scheme"):
            await fetch_url(client, "ftp://127.0.0.1/x", limits)


async def test_fetch_url_connection_refused() -> None:
    async with make_client(FAST) as client:
        with pytest.raises(FetchError, match="connection failed"):
            await fetch_url(client, "http://127.0.0.1:1/feed", FAST)


# --- poll_feeds -------------------------------------------------------------------------------


def serve_formats(server: FeedServer) -> list[FeedState]:
    """RSS 2.0, RSS 1.0, Atom and JSON feeds whose entries all point back at this server."""
    base = server.base_url
    server.add(
        "/rss20.xml",
        Route(
            body=rss_with(f"{base}/a/one?utm_source=x", f"{base}/a/two"),
            content_type="application/rss+xml",
        ),
    )
    rss10 = RSS10.replace(b"https://valley.example/2025/orchard-frost", f"{base}/a/three".encode())
    server.add("/rss10.rdf", Route(body=rss10, content_type="application/rdf+xml"))
    atom = ATOM.replace(b"https://ledger.example/rail/easton?fbclid=zz", b"/a/four?fbclid=zz")
    server.add("/atom.xml", Route(body=atom, content_type="application/atom+xml"))
    server.add(
        "/feed.json",
        Route(
            body=JSON_FEED_11.replace(b"https://dispatch.example", base.encode()),
            content_type="application/feed+json",
        ),
    )
    for name in ("one", "two", "three", "four"):
        server.add(f"/a/{name}", page(f"Article {name}"))
    server.add("/p/tide-record", page("Tide"))
    server.add("/p/ferry-fares", page("Fares"))
    return [
        FeedState(server.url(p)) for p in ("/rss20.xml", "/rss10.rdf", "/atom.xml", "/feed.json")
    ]


async def test_poll_all_formats_and_fetch_pages(server: FeedServer) -> None:
    states = serve_formats(server)
    results = await poll_feeds(states, FAST, known_url=never_known, now=NOW)
    assert [r.error for r in results] == ["", "", "", ""]
    got = {
        r.state.url: [(p.entry.url, p.page is not None, p.page_error) for p in r.entries]
        for r in results
    }
    base = server.base_url
    assert got == {
        f"{base}/rss20.xml": [(f"{base}/a/one", True, ""), (f"{base}/a/two", True, "")],
        f"{base}/rss10.rdf": [(f"{base}/a/three", True, "")],
        f"{base}/atom.xml": [(f"{base}/a/four", True, "")],
        f"{base}/feed.json": [
            (f"{base}/p/tide-record", True, ""),
            (f"{base}/p/ferry-fares", True, ""),
        ],
    }
    four = results[2].entries[0]
    assert four.page is not None and b"Article four" in four.page.content
    assert four.entry.author == "Tomas Wren"
    for result in results:
        assert result.state.failures == 0
        assert result.state.next_poll_at == NOW + timedelta(minutes=5)
    # the tracking parameter was stripped before the page was requested
    assert [r.target for r in server.requests_for("/a/one")] == ["/a/one"]


async def test_known_urls_are_not_fetched_and_new_ones_once(server: FeedServer) -> None:
    base = server.base_url
    server.add(
        "/f1.xml", Route(body=rss_with(f"{base}/a/old", f"{base}/a/new", f"{base}/a/shared"))
    )
    server.add("/f2.xml", Route(body=rss_with(f"{base}/a/shared#x", f"{base}/a/other")))
    for name in ("old", "new", "shared", "other"):
        server.add(f"/a/{name}", page(name))
    asked: list[str] = []

    def known(url: str) -> bool:
        asked.append(url)
        return url == f"{base}/a/old"

    states = [FeedState(server.url("/f1.xml")), FeedState(server.url("/f2.xml"))]
    results = await poll_feeds(states, FAST, known_url=known, now=NOW)
    assert [p.entry.url for p in results[0].entries] == [f"{base}/a/new", f"{base}/a/shared"]
    assert [p.entry.url for p in results[1].entries] == [f"{base}/a/other"]  # shared taken by f1
    assert server.requests_for("/a/old") == []
    for name in ("new", "shared", "other"):
        assert len(server.requests_for(f"/a/{name}")) == 1
    assert f"{base}/a/old" in asked


async def test_conditional_get_not_modified(server: FeedServer) -> None:
    base = server.base_url
    stamp = "Thu, 13 Mar 2025 10:00:00 GMT"
    server.add("/etag.xml", Route(body=rss_with(f"{base}/a/e1"), etag='"rev-7"'))
    server.add("/lm.xml", Route(body=rss_with(f"{base}/a/l1"), last_modified=stamp))
    server.add("/a/e1", page("e1"))
    server.add("/a/l1", page("l1"))
    states = [FeedState(server.url("/etag.xml")), FeedState(server.url("/lm.xml"))]
    stored: set[str] = set()

    first = await poll_feeds(states, FAST, known_url=stored.__contains__, now=NOW)
    assert [len(r.entries) for r in first] == [1, 1]
    assert first[0].state.etag == '"rev-7"'
    assert first[1].state.last_modified == stamp
    assert "if-none-match" not in server.requests_for("/etag.xml")[0].headers

    later = NOW + timedelta(minutes=6)
    second = await poll_feeds(
        [r.state for r in first], FAST, known_url=stored.__contains__, now=later
    )
    for result in second:
        assert result.not_modified
        assert result.entries == ()
        assert result.error == ""
        assert result.state.next_poll_at == later + timedelta(minutes=5)
    assert second[0].state.etag == '"rev-7"'
    assert second[1].state.last_modified == stamp
    assert server.requests_for("/etag.xml")[1].headers["if-none-match"] == '"rev-7"'
    assert server.requests_for("/lm.xml")[1].headers["if-modified-since"] == stamp
    assert len(server.requests_for("/a/e1")) == 1  # pages are not fetched again


async def test_broken_feeds_back_off_and_do_not_stop_others(server: FeedServer) -> None:
    base = server.base_url
    server.add("/good.xml", Route(body=rss_with(f"{base}/a/good")))
    server.add("/a/good", page("good"))
    server.add("/bad.xml", Route(body=b"<html><body>This is a web page, not a feed.</body></html>"))
    server.add("/error.xml", Route(status=500, body=b"internal error"))
    server.add("/slow.xml", Route(body=rss_with(f"{base}/a/never"), delay=3.0))
    limits = FetchLimits(timeout=0.5, allow=LOCAL)
    states = [
        FeedState(server.url("/bad.xml"), etag='"old"'),
        FeedState(server.url("/error.xml"), failures=2, last_error="HTTP 500"),
        FeedState(server.url("/slow.xml")),
        FeedState(server.url("/good.xml")),
    ]
    started = time.monotonic()
    bad, error, slow, good = await poll_feeds(states, limits, known_url=never_known, now=NOW)
    assert time.monotonic() - started < 2.0

    assert bad.error == "not an RSS, Atom or JSON feed"
    assert bad.entries == ()
    assert bad.state.failures == 1
    assert bad.state.last_error == bad.error
    assert bad.state.next_poll_at == NOW + timedelta(minutes=10)
    assert bad.state.etag == '"old"'  # validators of a failed response are not kept

    assert error.error == "HTTP 500"
    assert error.state.failures == 3
    assert error.state.next_poll_at == NOW + timedelta(minutes=40)

    assert slow.error == "timed out after 0.5 s"
    assert slow.state.failures == 1

    assert good.error == ""
    assert [p.entry.url for p in good.entries] == [f"{base}/a/good"]
    assert good.entries[0].page is not None


async def test_recovery_resets_failures(server: FeedServer) -> None:
    server.add("/feed.xml", Route(body=rss_with()))
    state = FeedState(server.url("/feed.xml"), failures=4, last_error="HTTP 500", next_poll_at=NOW)
    (result,) = await poll_feeds([state], FAST, known_url=never_known, now=NOW)
    assert result.state == FeedState(state.url, failures=0, next_poll_at=NOW + timedelta(minutes=5))


async def test_feeds_not_due_are_untouched(server: FeedServer) -> None:
    server.add("/feed.xml", Route(body=rss_with()))
    state = FeedState(server.url("/feed.xml"), failures=1, next_poll_at=NOW + timedelta(seconds=1))
    assert await poll_feeds([state], FAST, known_url=never_known, now=NOW) == [
        FeedPollResult(state)
    ]
    assert server.requests == []


async def test_page_failures_leave_page_none(server: FeedServer) -> None:
    base = server.base_url
    server.add(
        "/feed.xml",
        Route(
            body=rss_with(
                f"{base}/a/missing",
                f"{base}/a/huge",
                f"{base}/a/slow",
                f"{base}/a/pdf",
                f"{base}/a/ok",
            )
        ),
    )
    server.add("/a/huge", Route(stream_bytes=20_000_000, send_length=False))
    server.add("/a/slow", Route(body=b"<p>late</p>", delay=3.0))
    server.add("/a/pdf", Route(body=b"%PDF-1.4", content_type="application/pdf"))
    server.add("/a/ok", page("fine"))
    limits = FetchLimits(timeout=0.5, max_bytes=100_000, allow=LOCAL)
    started = time.monotonic()
    (result,) = await poll_feeds(
        [FeedState(server.url("/feed.xml"))], limits, known_url=never_known, now=NOW
    )
    assert time.monotonic() - started < 2.0
    assert result.error == ""
    got = [(p.entry.url.rsplit("/", 1)[1], p.page is None, p.page_error) for p in result.entries]
    assert got == [
        ("missing", True, "HTTP 404"),
        ("huge", True, "response too large: more than 100,000 bytes"),
        ("slow", True, "timed out after 0.5 s"),
        ("pdf", True, "not an HTML page (application/pdf)"),
        ("ok", False, ""),
    ]
    # the caller falls back to the entry's own text
    assert result.entries[0].entry.summary == "Summary of story 0."


async def test_concurrency_limit_is_respected(server: FeedServer) -> None:
    base = server.base_url
    links = [f"{base}/a/{i}" for i in range(8)]
    server.add("/f1.xml", Route(body=rss_with(*links[:4]), delay=0.1))
    server.add("/f2.xml", Route(body=rss_with(*links[4:]), delay=0.1))
    server.add("/f3.xml", Route(body=rss_with(), delay=0.1))
    for i in range(8):
        server.add(f"/a/{i}", Route(body=b"<p>x</p>", delay=0.15))
    limits = FetchLimits(timeout=5.0, concurrency=2, allow=LOCAL)
    states = [FeedState(server.url(f"/f{i}.xml")) for i in (1, 2, 3)]
    results = await poll_feeds(states, limits, known_url=never_known, now=NOW)
    assert sum(len(r.entries) for r in results) == 8
    assert all(p.page is not None for r in results for p in r.entries)
    assert server.max_in_flight == 2


async def test_uses_given_client_and_leaves_it_open(server: FeedServer) -> None:
    server.add("/feed.xml", Route(body=rss_with()))
    async with make_client(FAST) as client:
        await poll_feeds(
            [FeedState(server.url("/feed.xml"))],
            FAST,
            known_url=never_known,
            now=NOW,
            client=client,
        )
        assert not client.is_closed
        assert isinstance(client, httpx.AsyncClient)


async def test_naive_now_is_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        await poll_feeds([], FAST, known_url=never_known, now=datetime(2025, 1, 1))


def test_backoff_schedule() -> None:
    assert backoff_delay(0) == timedelta(minutes=5)
    assert backoff_delay(1) == timedelta(minutes=10)
    assert backoff_delay(3) == timedelta(minutes=40)
    assert backoff_delay(6) == timedelta(minutes=320)
    assert backoff_delay(7) == MAX_BACKOFF == timedelta(hours=6)
    assert backoff_delay(10_000) == MAX_BACKOFF


def test_is_due() -> None:
    assert is_due(FeedState("https://x.example/f"), NOW)
    assert is_due(FeedState("https://x.example/f", next_poll_at=NOW), NOW)
    assert not is_due(
        FeedState("https://x.example/f", next_poll_at=NOW + timedelta(seconds=1)), NOW
    )
