"""Commands that change or run the bot: `start`, `ingest`, `poll`, `merge`/`split`, `digest`."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.chat import pages
from bot.chat.render import to_plain
from bot.chat.reply import Reply
from bot.cli.base import SAMPLES, emit, fail, open_store
from bot.config import Settings

if TYPE_CHECKING:
    from bot.store import Store


def start(settings: Settings, db_path: str, start_readers: Callable[[], None]) -> int:
    """The README's main job: the bot with a token, else the console on the sample articles
    (``start_readers`` forks the document readers: after the token check, before serving)."""
    if settings.token:
        from bot.telegram.app import run_bot

        return run_bot(settings, db_path, before_start=start_readers)
    start_readers()
    from bot.chat.views import refresh_dirty
    from bot.sources.ingest import ingest_paths

    with open_store(db_path) as store:
        if store.article_count() == 0:
            report = ingest_paths(store, [str(SAMPLES)])
            refresh_dirty(store, settings.brief_words)
            dupes = sum(1 for i in report.ingested if i.duplicate_of)
            print(
                f"Loaded {store.article_count()} sample articles into {db_path} "
                f"({store.story_count()} stories; {dupes} duplicate file recognised)."
            )
    print("No TELEGRAM_BOT_TOKEN set: opening the local console (same commands as the bot).")
    from bot.chat.console import run_console

    return run_console(settings, db_path)


def poll(args: argparse.Namespace, settings: Settings, store: Store) -> int:
    """`briefbot poll`: one feed polling round."""
    import asyncio

    from bot.chat.refresh import refresh_dirty_parallel
    from bot.sources.live import poll_round

    result = asyncio.run(poll_round(store, settings))
    refresh_dirty_parallel(store, settings.brief_words)
    human = (
        f"{result.polled} of {result.feeds} feeds polled, {result.not_modified} not modified, "
        f"{len(result.report.ingested)} articles, {len(result.feed_errors) + len(result.report.errors)} errors"
    )
    emit(result.as_dict(), args.json, human)
    return 1 if result.feed_errors or result.report.errors else 0


def mend(args: argparse.Namespace, settings: Settings, store: Store) -> int:
    """`briefbot merge A B`, `briefbot split STORY_ID ARTICLE_ID`: mend stories, recompute views."""
    from bot.chat.views import refresh_dirty
    from bot.sources.ingest import merge_stories, split_article

    try:
        if args.cmd == "merge":
            merge_stories(store, args.story_a, args.story_b)
            ids = [args.story_a]
            human = f"Merged story #{args.story_b} into #{args.story_a}."
        else:
            new_id = split_article(store, args.story_id, args.article_id)
            ids = [args.story_id, new_id]
            human = (
                f"Article {args.article_id} left story #{args.story_id} for a new story #{new_id}."
            )
    except (LookupError, ValueError) as exc:
        return fail(f"cannot {args.cmd}: {exc}")
    refresh_dirty(store, settings.brief_words)
    stories = [s for sid in ids if (s := store.story(sid))]
    reply = pages.story_list_reply(human, stories, datetime.now(UTC))
    emit(reply.data, args.json, to_plain(Reply(paragraphs=reply.paragraphs)))
    return 0


def ingest(args: argparse.Namespace, settings: Settings, store: Store) -> int:
    """`briefbot ingest`: files, folders, URLs and feeds into the store."""
    import asyncio

    from bot.chat.refresh import refresh_dirty_parallel
    from bot.sources.ingest import IngestReport, ingest_paths

    urls = [i for i in args.inputs if i.startswith(("http://", "https://"))]
    paths = [i for i in args.inputs if i not in urls]
    report = ingest_paths(store, paths, IngestReport())
    if urls:
        from bot.sources.live import ingest_urls

        asyncio.run(ingest_urls(store, urls, settings, report))
    refresh_dirty_parallel(store, settings.brief_words)  # changed stories' views, on every core
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        for i in report.ingested:
            tag = f"duplicate of #{i.duplicate_of}" if i.duplicate_of else f"article #{i.id}"
            print(f"{tag} · story #{i.story_id} · {i.outlet or '?'} · {i.title}  ({i.input})")
        print(f"{len(report.ingested)} ingested, {len(report.errors)} errors")
    for e in report.errors:
        print(f"briefbot: {e['input']}: {e['error']}", file=sys.stderr)
    return 1 if report.errors else 0


async def digest_preview(args: argparse.Namespace, settings: Settings, store: Store) -> int:
    """`briefbot digest`: what a chat's digest would hold now (or --at a time)."""
    from bot.chat.commands import Commands
    from bot.digest import digest

    if args.at:
        try:
            at = datetime.fromisoformat(args.at)
        except ValueError:
            return fail(f"--at: not an ISO time: {args.at!r}")
        at = at if at.tzinfo else at.replace(tzinfo=UTC)
        commands = Commands(store, settings, clock=lambda: at)
    else:
        commands = Commands(store, settings)
    sub = store.subscription(args.chat) if args.chat else None
    zone = sub[1] if sub else settings.digest_zone
    n = sub[2] if sub else settings.digest_stories
    built = await digest.build_digest(commands, args.chat, zone, n)
    data = {
        "chat_id": args.chat,
        "zone": zone,
        "stories": [
            {"story_id": i.story_id, "article_count": i.article_count, "updated": i.updated}
            for i in built.items
        ],
        "text": built.reply.plain if built.items else digest.EMPTY_NOTE,
    }
    emit(data, args.json, to_plain(built.reply) if built.items else digest.EMPTY_NOTE)
    return 0
