"""Reading commands: `stories`, `brief`, `quotes`, `sources`, `article`, `summarize`."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.chat import pages
from bot.chat.render import to_plain
from bot.chat.reply import Reply
from bot.cli.base import emit, fail
from bot.config import Settings

if TYPE_CHECKING:
    from bot.store import Store


def stories(args: argparse.Namespace, store: Store) -> int:
    """`briefbot stories`: the story list, newest activity first."""
    found = store.stories(limit=args.limit)
    reply = pages.story_list_reply(f"{len(found)} stories", found, datetime.now(UTC))
    emit(reply.data, args.json, to_plain(Reply(paragraphs=reply.paragraphs)))
    return 0


def article(args: argparse.Namespace, store: Store) -> int:
    """`briefbot article ID`: one stored article with its quotes."""
    from bot.chat.views import article_quotes

    a = store.article(args.article_id)
    if a is None:
        return fail(f"no article {args.article_id}")
    quotes = store.article_quotes(a.id)
    if quotes is None:
        quotes = article_quotes(a)
        store.set_article_quotes(a.id, quotes)
    qd = [
        {"text": q.text, "speaker": q.speaker, "role": q.role, "context": q.context} for q in quotes
    ]
    head = f"{a.title}\n{a.outlet} · {a.author or 'no byline'} · {pages.iso(a.published) or 'no date'}\n{a.url}"
    emit(pages.article_data(a, qd), args.json, f"{head}\n\n{a.text}")
    return 0


async def story_command(args: argparse.Namespace, settings: Settings, store: Store) -> int:
    """`briefbot brief|quotes|sources STORY_ID`: the chat command's page, printed."""
    from bot.chat.commands import Caller, Commands

    commands = Commands(store, settings)
    if store.story(args.story_id) is None:
        return fail(f"no story {args.story_id}")
    if args.cmd == "brief" and args.words is not None and args.words != settings.brief_words:
        if not 10 <= args.words <= 2000:
            return fail("--words must be between 10 and 2000")
        from bot.chat.views import compute_views, load_inputs

        inputs = load_inputs(store, args.story_id)
        assert inputs is not None
        briefing = compute_views(inputs, args.words).briefing
        story = store.story(args.story_id)
        assert story is not None
        arts = {a.id: a for a in store.articles(story.article_ids)}
        reply = pages.brief_reply(story, briefing, arts, datetime.now(UTC))
    else:
        reply = await commands.handle(
            f"/{args.cmd} {args.story_id}", Caller(chat_id=0, is_admin=True)
        )
    emit(reply.data, args.json, to_plain(Reply(paragraphs=reply.paragraphs)))
    return 0


def summarize(args: argparse.Namespace, settings: Settings) -> int:
    """`briefbot summarize`: read and clean the inputs as ingest does, brief them as one story,
    store nothing; prints the `brief --json` object (errors per input on stderr, exit 1)."""
    import asyncio

    from bot.chat.summarize import brief_docs
    from bot.sources.ingest import iter_files, read_file
    from bot.sources.live import fetch_url_docs
    from summarizer.errors import InputError
    from summarizer.models import CleanDoc

    words = settings.brief_words if args.words is None else args.words
    if not 10 <= words <= 2000:
        return fail("--words must be between 10 and 2000")
    docs: list[CleanDoc] = []
    errors: list[tuple[str, str]] = []
    for inp in args.inputs:
        if inp.startswith(("http://", "https://")):
            try:
                got = asyncio.run(fetch_url_docs(inp, settings))
            except InputError as exc:
                errors.append((inp, str(exc)))
                continue
            for item in got:
                if isinstance(item, str):
                    errors.append((inp, item))
                else:
                    docs.append(item[1])
            continue
        path = Path(inp)
        if not path.exists():
            errors.append((inp, "no such file or folder"))
            continue
        for f in iter_files(path) if path.is_dir() else [path]:
            try:
                docs.append(read_file(f))
            except InputError as exc:
                errors.append((str(f), str(exc)))
    for name, error in errors:
        print(f"briefbot: {name}: {error}", file=sys.stderr)
    if not docs:
        return fail("no readable article among the inputs")
    reply = brief_docs(docs, words, datetime.now(UTC))
    emit(reply.data, args.json, to_plain(reply))
    return 1 if errors else 0
