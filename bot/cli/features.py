"""Issue-15 commands: `feeds import|export` (OPML), `brief --since`, `chart`."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.chat.render import to_plain
from bot.cli.base import emit, fail
from bot.config import Settings

if TYPE_CHECKING:
    from bot.store import Store


def feeds(args: argparse.Namespace, store: Store) -> int:
    """`briefbot feeds import FILE.opml` (all or nothing) and `briefbot feeds export`."""
    from bot.sources.opml import OpmlError, export_opml, import_opml

    if args.feeds_cmd == "export":
        sys.stdout.write(export_opml(store))
        return 0
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return fail(f"{args.file}: cannot read ({exc.strerror or exc})")
    try:
        done = import_opml(store, data)
    except OpmlError as exc:
        return fail(f"{args.file}: {exc}; no feed added")
    emit(done.as_dict(), args.json, done.summary())
    return 0


def parse_time(value: str) -> datetime | None:
    """An ISO time (no zone = UTC), or None if it is not one."""
    try:
        t = datetime.fromisoformat(value)
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def brief_since(args: argparse.Namespace, settings: Settings, store: Store) -> int:
    """`briefbot brief STORY --since ISO_TIME`: the facts first reported after that time."""
    from bot.digest.updates import load_update, update_reply
    from summarizer.brief.since import after

    since = parse_time(args.since)
    if since is None:
        return fail(f"--since: not an ISO time: {args.since!r}")
    words = settings.brief_words if args.words is None else args.words
    if not 10 <= words <= 2000:
        return fail("--words must be between 10 and 2000")
    update = load_update(store, args.story_id, after(since), words)
    if update is None:
        return fail(f"no story {args.story_id}")
    reply = update_reply(update, f"New since {since.isoformat(timespec='minutes')}", since)
    emit(reply.data, args.json, to_plain(reply))
    return 0


def chart(args: argparse.Namespace, store: Store) -> int:
    """`briefbot chart STORY_ID --out FILE.png`: the story's coverage chart."""
    from bot.chat.coverage_chart import render_chart

    story = store.story(args.story_id)
    if story is None:
        return fail(f"no story {args.story_id}")
    try:
        png = render_chart(story.title, store.articles(story.article_ids))
    except ValueError as exc:
        return fail(f"cannot chart story {args.story_id}: {exc}")
    try:
        Path(args.out).write_bytes(png)
    except OSError as exc:
        return fail(f"{args.out}: cannot write ({exc.strerror or exc})")
    emit(
        {"story_id": story.id, "out": args.out, "bytes": len(png)},
        args.json,
        f"Wrote {args.out} ({len(png) // 1024} KB): story #{story.id}, {len(story.outlets)} outlets.",
    )
    return 0
