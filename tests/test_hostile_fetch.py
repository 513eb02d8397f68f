"""Hostile servers and links: internal addresses, decompression bombs, endless feeds, bad feeds.

Everything runs against ``FeedServer`` on 127.0.0.1, which is itself an internal address: the
tests that should reach it say so with ``allow`` (``BRIEFBOT_FETCH_ALLOW`` in the settings).
"""

from __future__ import annotations

import gzip
import ipaddress
import os
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from feed_server import FeedServer, Route

from bot.config import Settings
from bot.sources.feeds import FeedState, PolledEntry, poll_feeds
from bot.sources.fetch import FetchError, FetchLimits, fetch_url, make_client
from bot.sources.guard import AddressPolicy, why_blocked
from bot.sources.live import fetch_url_docs
from summarizer.errors import InputError

NOW = datetime(2025, 3, 14, 9, 0, tzinfo=UTC)
LOCAL = ("127.0.0.1",)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        yield srv


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.5.4", "private"),
        ("192.168.0.1", "private"),
        ("fd12:3456::1", "private"),
        ("100.64.0.1", "private"),
        ("169.254.1.1", "link-local"),
        ("fe80::1", "link-local"),
        ("169.254.169.254", "metadata"),
        ("fd00:ec2::254", "metadata"),
        ("100.100.100.200", "metadata"),
        ("224.0.0.251", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("2002:7f00:1::1", "loopback"),  # 6to4 wrapping 127.0.0.1
        ("93.184.215.14", ""),
        ("2606:4700::1111", ""),
    ],
)
def test_internal_addresses_are_recognised(address: str, reason: str) -> None:
    got = why_blocked(ipaddress.ip_address(address))
    assert (reason in got) if reason else got == ""


def test_allow_list_takes_hosts_and_cidrs() -> None:
    policy = AddressPolicy.from_allow(["intranet.local", "10.0.0.0/8", "[::1]"])
    assert policy.refusal("intranet.local", ipaddress.ip_address("192.168.1.1")) == ""
    assert policy.refusal("x", ipaddress.ip_address("10.9.9.9")) == ""
    assert policy.refusal("x", ipaddress.ip_address("::1")) == ""
    assert "loopback" in policy.refusal("x", ipaddress.ip_address("127.0.0.1"))


def test_fetch_allow_setting() -> None:
    settings = Settings.from_env({"BRIEFBOT_FETCH_ALLOW": "127.0.0.1, intranet.local,10.0.0.0/8"})
    assert settings.fetch_allow == ("127.0.0.1", "intranet.local", "10.0.0.0/8")
    assert Settings.from_env({}).feed_max_entries == 100


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "localhost", "2130706433", "0177.0.0.1", "0x7f.1", "127.1", "[::1]"],
)
async def test_loopback_in_any_spelling_is_refused(server: FeedServer, host: str) -> None:
    server.add("/admin", Route(body=b"secret admin page"))
    port = server.base_url.rsplit(":", 1)[1]
    limits = FetchLimits(timeout=3.0)
    async with make_client(limits) as client:
        # httpx itself rejects some spellings (0177.0.0.1) as invalid: not fetched either.
        with pytest.raises(FetchError, match=r"refused to fetch .*loopback|invalid URL"):
            await fetch_url(client, f"http://{host}:{port}/admin", limits)
    assert server.requests_for("/admin") == []


async def test_redirect_to_an_internal_address_is_refused(server: FeedServer) -> None:
    port = server.base_url.rsplit(":", 1)[1]
    server.add("/admin", Route(body=b"secret admin page"))
    server.add("/go", Route(status=302, headers=(("Location", f"http://127.0.0.1:{port}/admin"),)))
    limits = FetchLimits(timeout=3.0, allow=("localhost",))  # this host name only
    async with make_client(limits) as client:
        with pytest.raises(FetchError, match=r"refused to fetch 127\.0\.0\.1: a loopback"):
            await fetch_url(client, f"http://localhost:{port}/go", limits)
    assert len(server.requests_for("/go")) == 1
    assert server.requests_for("/admin") == []


def bomb(layers: int, size: int) -> bytes:
    data = b"\0" * size
    for _ in range(layers):
        data = gzip.compress(data, compresslevel=9)
    return data


async def test_double_gzip_bomb_stops_at_the_byte_cap(server: FeedServer) -> None:
    body = bomb(2, 200_000_000)  # a few KB on the wire, 200 MB after two gunzips
    assert len(body) < 20_000
    server.add("/bomb", Route(body=body, headers=(("Content-Encoding", "gzip, gzip"),)))
    limits = FetchLimits(timeout=5.0, max_bytes=1_000_000, allow=LOCAL)
    async with make_client(limits) as client:
        with pytest.raises(FetchError, match="too large"):
            await fetch_url(client, server.url("/bomb"), limits)


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        ("gzip, gzip", lambda b: gzip.compress(gzip.compress(b))),
        ("deflate", zlib.compress),
        ("deflate", lambda b: zlib.compress(b, wbits=-15)),  # raw deflate, as some servers send
        ("gzip", lambda b: gzip.compress(b[:10]) + gzip.compress(b[10:])),  # two members
        ("identity", lambda b: b),
    ],
)
async def test_content_codings_still_decode(
    server: FeedServer, encoding: str, encode: object
) -> None:
    text = b"<p>Tide gauge approved at Vellmar harbour.</p>" * 20
    assert callable(encode)
    server.add("/p", Route(body=encode(text), headers=(("Content-Encoding", encoding),)))
    limits = FetchLimits(timeout=5.0, allow=LOCAL)
    async with make_client(limits) as client:
        result = await fetch_url(client, server.url("/p"), limits)
    assert result.content == text
    assert "gzip" in server.requests_for("/p")[0].headers["accept-encoding"]


async def test_unknown_content_coding_is_an_error(server: FeedServer) -> None:
    server.add("/br", Route(body=b"\x1b\x00", headers=(("Content-Encoding", "br"),)))
    limits = FetchLimits(timeout=5.0, allow=LOCAL)
    async with make_client(limits) as client:
        with pytest.raises(FetchError, match="unsupported content encoding 'br'"):
            await fetch_url(client, server.url("/br"), limits)


def many_entries(base: str, n: int) -> bytes:
    items = "".join(
        f"<item><title>Item {i}</title><link>{base}/e/{i}</link></item>" for i in range(n)
    )
    return f'<rss version="2.0"><channel><title>Big</title>{items}</channel></rss>'.encode()


async def test_entries_per_feed_are_capped_and_handed_over_in_order(server: FeedServer) -> None:
    base = server.base_url
    server.add("/big.xml", Route(body=many_entries(base, 30), etag='"v1"'))
    for i in range(30):
        server.add(f"/e/{i}", Route(body=f"<p>page {i}</p>".encode()))
    seen: list[str] = []
    in_memory: list[int] = []

    async def on_entry(feed: int, polled: PolledEntry) -> None:
        assert feed == 0 and polled.page is not None
        seen.append(polled.entry.url)
        in_memory.append(len(server.requests) - 1 - len(seen))  # fetched, not yet handed over

    limits = FetchLimits(timeout=5.0, concurrency=2, allow=LOCAL)
    [result] = await poll_feeds(
        [FeedState(server.url("/big.xml"))],
        limits,
        known_url=lambda url: False,
        now=NOW,
        max_entries=12,
        on_entry=on_entry,
    )
    assert seen == [f"{base}/e/{i}" for i in range(12)]  # the first 12, in feed order
    assert sum(len(server.requests_for(f"/e/{i}")) for i in range(30)) == 12
    assert max(in_memory) <= 4  # a few pages ahead, never the whole round
    assert result.state.etag == ""  # the feed is read again next round for the other 18
    assert result.entries == ()


async def test_malformed_feed_is_reported_as_a_malformed_feed(server: FeedServer) -> None:
    broken = b'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Halden</title></chan'
    server.add("/broken.xml", Route(body=broken, content_type="application/rss+xml"))
    settings = Settings(fetch_allow=LOCAL, fetch_timeout=5.0)
    with pytest.raises(InputError, match="malformed feed"):
        await fetch_url_docs(server.url("/broken.xml"), settings)


def _gone_feed(server: FeedServer) -> str:
    """A feed whose one entry's page is a 404 with no text of its own to fall back on."""
    link = server.url("/gone")
    body = f'<rss version="2.0"><channel><title>F</title><item><link>{link}</link></item>'
    server.add("/f.xml", Route(body=(body + "</channel></rss>").encode()))
    return server.url("/f.xml")


async def test_failed_entries_back_off_like_feeds(server: FeedServer, tmp_path: Path) -> None:
    from bot.sources.live import poll_round
    from bot.store import Store

    feed = _gone_feed(server)
    settings = Settings(fetch_allow=LOCAL, fetch_timeout=5.0, feed_interval_minutes=5)
    fetched = []
    for minutes in (0, 6, 12, 30):  # failures at 0 (wait 10 min) and 12 (wait 20 min)
        with Store(str(tmp_path / "b.db")) as store:  # a fresh connection each round
            store.add_feed(feed)
            report = await poll_round(store, settings, now=NOW + timedelta(minutes=minutes))
        assert report.polled == 1 and not report.report.ingested
        fetched.append(len(server.requests_for("/gone")))
    assert fetched == [1, 1, 2, 2]


async def test_entry_backoff_survives_a_restart(server: FeedServer, tmp_path: Path) -> None:
    """A failed entry is not fetched again by a new `briefbot poll` process while it waits."""
    import subprocess

    from bot_process import briefbot_command

    from bot.sources.live import poll_round
    from bot.store import Store

    feed, db = _gone_feed(server), str(tmp_path / "r.db")
    settings = Settings(fetch_allow=LOCAL, fetch_timeout=5.0, feed_interval_minutes=5)
    with Store(db) as store:
        store.add_feed(feed)
        await poll_round(store, settings, now=datetime.now(UTC))  # the poller's own clock
        assert len(server.requests_for("/gone")) == 1
        store.save_feed_state(feed, "", "", 0, None, "")  # the feed itself is due again at once
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "TELEGRAM_"))}
    env["BRIEFBOT_FETCH_ALLOW"] = LOCAL[0]
    done = subprocess.run(
        [*briefbot_command(), "--db", db, "poll"], env=env, capture_output=True, timeout=120
    )
    assert done.returncode == 0, done.stderr.decode()[-500:]
    assert len(server.requests_for("/f.xml")) == 2  # the new process read the feed again ...
    assert len(server.requests_for("/gone")) == 1  # ... and left the failed entry waiting
