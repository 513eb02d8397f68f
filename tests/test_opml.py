"""OPML import/export: `briefbot feeds import|export` in process on a real SQLite file."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from cli_runner import run_cli

from bot.sources.opml import OpmlError, parse_opml, write_opml
from bot.store import Store

GOOD = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>My reading</title></head>
  <body>
    <outline text="World">
      <outline type="rss" text="Lakeside Courier" xmlUrl="https://courier.example/feed.xml"/>
      <outline type="rss" text="Plains Daily" xmlUrl=" http://plains.example/rss "/>
    </outline>
    <outline type="rss" text="Courier again" xmlUrl="https://courier.example/feed.xml"/>
    <outline text="a note without a feed"/>
  </body>
</opml>
"""


def cli(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    r = run_cli(tmp_path, "--db", str(tmp_path / "b.db"), *args)
    return r.returncode, r.stdout, r.stderr


def feed_urls(tmp_path: Path) -> list[str]:
    with Store(tmp_path / "b.db") as store:
        return [f.url for f in store.feeds()]


def test_parse_reads_nested_outlines_in_order() -> None:
    assert parse_opml(GOOD) == [
        "https://courier.example/feed.xml",
        "http://plains.example/rss",
        "https://courier.example/feed.xml",
    ]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"<opml><body><outline xmlUrl='x'", "not valid XML"),
        (b"<rss version='2.0'><channel/></rss>", "root element is <rss>"),
        (b"<opml version='2.0'><head/></opml>", "no <body>"),
        (b"<opml version='2.0'><body><outline text='x'/></body></opml>", "no feeds"),
        (b"<opml><body><outline xmlUrl='ftp://a.example/f'/></body></opml>", "not an http(s) URL"),
        (b"<opml><body><outline xmlUrl='https://'/></body></opml>", "not a URL"),
        (
            b'<!DOCTYPE opml [<!ENTITY a "aaaa">]><opml><body><outline xmlUrl="https://a.example/&a;"/></body></opml>',
            "DOCTYPE",
        ),
    ],
)
def test_parse_refuses_bad_opml_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(OpmlError, match=re.escape(reason)):
        parse_opml(data)


def test_import_adds_feeds_and_counts_duplicates(tmp_path: Path) -> None:
    (tmp_path / "a.opml").write_bytes(GOOD)
    rc, out, err = cli(tmp_path, "feeds", "import", "a.opml")
    assert (rc, err) == (0, "")
    assert out.strip() == "Imported 2 feeds; 1 duplicate skipped."
    assert feed_urls(tmp_path) == ["https://courier.example/feed.xml", "http://plains.example/rss"]
    rc, out, _ = cli(tmp_path, "feeds", "import", "a.opml", "--json")
    assert rc == 0
    assert '"added": []' in out and out.count("example") == 3  # all three skipped


def test_bad_opml_adds_nothing_and_says_why_in_one_line(tmp_path: Path) -> None:
    bad = GOOD.replace(b"http://plains.example/rss", b"javascript:alert(1)")
    (tmp_path / "bad.opml").write_bytes(bad)
    rc, out, err = cli(tmp_path, "feeds", "import", "bad.opml")
    assert rc == 2 and out == ""
    assert err.count("\n") == 1 and "not an http(s) URL" in err and "no feed added" in err
    assert feed_urls(tmp_path) == []  # the valid first feed was not half-added
    rc, _, err = cli(tmp_path, "feeds", "import", "missing.opml")
    assert rc == 2 and err.startswith("briefbot: missing.opml: cannot read")


def test_export_is_valid_opml_2_and_round_trips(tmp_path: Path) -> None:
    (tmp_path / "a.opml").write_bytes(GOOD)
    assert cli(tmp_path, "feeds", "import", "a.opml")[0] == 0
    rc, out, err = cli(tmp_path, "feeds", "export")
    assert (rc, err) == (0, "")
    root = ET.fromstring(out.encode())
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert root.find("head/title") is not None
    outlines = root.findall("body/outline")
    assert all(o.get("text") and o.get("type") == "rss" for o in outlines)
    # into a fresh database: the same feeds, in the same order
    other = tmp_path / "other"
    other.mkdir()
    (other / "x.opml").write_text(out)
    assert cli(other, "feeds", "import", "x.opml")[1].startswith("Imported 2 feeds")
    assert feed_urls(other) == feed_urls(tmp_path)


def test_write_escapes_urls() -> None:
    url = 'https://a.example/f?x=1&y="2"<'
    assert parse_opml(write_opml([url]).encode()) == [url]


async def test_chat_feeds_export_and_upload(tmp_path: Path) -> None:
    from bot.chat.commands import Caller, Commands
    from bot.config import Settings

    admin, user = Caller(chat_id=1, is_admin=True), Caller(chat_id=2)
    with Store(tmp_path / "c.db") as store:
        cmds = Commands(store, Settings())
        assert "caption /feeds import" in (await cmds.handle("/feeds import", admin)).plain
        bad = await cmds.ingest_upload("list.opml", b"<opml><body>", admin)
        assert "Could not import" in bad.plain and "No feed was added" in bad.plain
        assert "only the bot's admins" in (await cmds.ingest_upload("a.opml", GOOD, user)).plain
        done = await cmds.ingest_upload("a.opml", GOOD, admin)
        assert done.data == {
            "added": ["https://courier.example/feed.xml", "http://plains.example/rss"],
            "duplicates": ["https://courier.example/feed.xml"],
        }
        exported = await cmds.handle("/feeds export", admin)
        assert exported.file is not None and exported.file.name.endswith(".opml")
        assert parse_opml(exported.file.content) == done.data["added"]
