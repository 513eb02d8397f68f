"""The `briefbot` argument parser."""

from __future__ import annotations

import argparse


def build_parser() -> argparse.ArgumentParser:
    """The argument parser."""
    p = argparse.ArgumentParser(prog="briefbot", description="One briefing from many outlets.")
    p.add_argument("--db", help="SQLite file (default: $BRIEFBOT_DB or ./briefbot.db)")
    sub = p.add_subparsers(dest="cmd", required=True, metavar="COMMAND")

    s = sub.add_parser("ingest", help="ingest files, folders, URLs or feeds")
    s.add_argument("inputs", nargs="+", metavar="INPUT")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("stories", help="list stories, newest activity first")
    s.add_argument("--json", action="store_true")
    s.add_argument("--limit", type=int, default=None)

    for name, help_ in (
        ("brief", "a story's briefing"),
        ("quotes", "a story's quotes"),
        ("sources", "a story's coverage"),
    ):
        s = sub.add_parser(name, help=help_)
        s.add_argument("story_id", type=int, metavar="STORY_ID")
        s.add_argument("--json", action="store_true")
        if name == "brief":
            s.add_argument(
                "--words", type=int, default=None, help="about how many words (default 120)"
            )
            s.add_argument(
                "--since",
                metavar="ISO_TIME",
                help="only facts first reported after this time (no zone = UTC)",
            )

    s = sub.add_parser("summarize", help="one briefing over exactly these inputs (nothing stored)")
    s.add_argument("inputs", nargs="+", metavar="INPUT", help="files, folders or URLs")
    s.add_argument("--json", action="store_true")
    s.add_argument("--words", type=int, default=None, help="about how many words (default 120)")

    s = sub.add_parser("article", help="one stored article")
    s.add_argument("article_id", type=int, metavar="ARTICLE_ID")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("run", help="run the Telegram bot (token from env/.env)")
    s.add_argument(
        "--webhook", metavar="URL", help="use a webhook at this public URL instead of polling"
    )
    s.add_argument("--listen", default="0.0.0.0", help="webhook listen address")
    s.add_argument("--port", type=int, default=8443, help="webhook listen port")

    sub.add_parser("chat", help="a local console with the bot's commands")
    sub.add_parser(
        "start", help="run the bot if a token is set, else the console on sample articles"
    )

    s = sub.add_parser("poll", help="run one feed polling round")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("digest", help="preview a digest")
    s.add_argument("--chat", type=int, default=0, help="chat id (its subscription settings)")
    s.add_argument(
        "--at",
        metavar="TIME",
        help="as of this ISO time, e.g. 2026-03-05T20:00+00:00 (default: now; no zone = UTC)",
    )
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("feeds", help="import or export the polled feeds as OPML")
    feeds = s.add_subparsers(dest="feeds_cmd", required=True, metavar="ACTION")
    f = feeds.add_parser("import", help="add every feed of an OPML file (all or nothing)")
    f.add_argument("file", metavar="FILE.opml")
    f.add_argument("--json", action="store_true")
    feeds.add_parser("export", help="the polled feeds as OPML 2.0 on stdout")

    s = sub.add_parser("chart", help="a story's coverage chart as PNG")
    s.add_argument("story_id", type=int, metavar="STORY_ID")
    s.add_argument("--out", required=True, metavar="FILE.png")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("merge", help="merge story B into story A (mend the grouping)")
    s.add_argument("story_a", type=int, metavar="A")
    s.add_argument("story_b", type=int, metavar="B")
    s.add_argument("--json", action="store_true")
    s = sub.add_parser("split", help="move an article out of a story into a new story")
    s.add_argument("story_id", type=int, metavar="STORY_ID")
    s.add_argument("article_id", type=int, metavar="ARTICLE_ID")
    s.add_argument("--json", action="store_true")
    return p
