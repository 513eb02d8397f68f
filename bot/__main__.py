"""The `briefbot` command line; the only place that reads .env.

Start-up stays light (`briefbot --help` and `briefbot stories` in well under half a second): this
module imports only the standard library, the settings and the page builders at the top; the
store, ingest, the command layer and everything that pulls in NLTK, numpy, sumy, trafilatura or
telegram are imported inside the commands that need them (tests/test_imports.py checks this).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from dotenv import dotenv_values, find_dotenv

from bot.chat import pages
from bot.chat.render import to_plain
from bot.chat.reply import Reply
from bot.config import ConfigError, Settings

if TYPE_CHECKING:
    from bot.store import Store

SAMPLES = Path(__file__).resolve().parent / "samples"
log = logging.getLogger("briefbot")


def load_settings() -> Settings:
    """Settings from the environment, with .env (found from the working directory up) underneath."""
    env: dict[str, str] = {}
    path = find_dotenv(usecwd=True)
    if path:
        env.update({k: v for k, v in dotenv_values(path).items() if v is not None})
    env.update(os.environ)
    return Settings.from_env(env)


def configure_logging(level: str) -> None:
    """Log to stderr; keep httpx quiet (its request lines contain the bot token)."""
    logging.basicConfig(
        level=getattr(logging, level, logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for noisy in ("httpx", "httpcore", "apscheduler", "telegram.ext.Updater"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def open_store(db_path: str) -> Store:
    """The store, imported here so that commands which need no database start fast (bot.store
    imports sqlite-utils with numpy hidden: see bot/store/db.py)."""
    from bot.store import Store

    return Store(db_path)


def _print(data: object, as_json: bool, human: str) -> None:
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(human)


def _fail(message: str, code: int = 2) -> int:
    print(f"briefbot: {message}", file=sys.stderr)
    return code


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

    s = sub.add_parser("merge", help="merge story B into story A (mend the grouping)")
    s.add_argument("story_a", type=int, metavar="A")
    s.add_argument("story_b", type=int, metavar="B")
    s.add_argument("--json", action="store_true")
    s = sub.add_parser("split", help="move an article out of a story into a new story")
    s.add_argument("story_id", type=int, metavar="STORY_ID")
    s.add_argument("article_id", type=int, metavar="ARTICLE_ID")
    s.add_argument("--json", action="store_true")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `briefbot` command."""
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as exc:
        return _fail(f"configuration: {exc}")
    configure_logging(settings.log_level)
    db_path = args.db or settings.db_path
    if args.cmd in ("run", "chat", "start", "poll") or (
        args.cmd == "ingest" and any(i.startswith(("http://", "https://")) for i in args.inputs)
    ):
        from bot.sources.sandbox import shared_sandbox

        shared_sandbox().start()  # fork the document readers while this process has one thread
    if args.cmd == "run":
        from bot.telegram.app import run_bot

        return run_bot(settings, db_path, webhook=args.webhook, listen=args.listen, port=args.port)
    if args.cmd == "chat":
        from bot.chat.console import run_console

        return run_console(settings, db_path)
    if args.cmd == "start":
        return start(settings, db_path)
    if args.cmd == "summarize":
        return summarize(args, settings)
    try:
        store = open_store(db_path)
    except Exception as exc:
        return _fail(f"cannot open database {db_path}: {exc}")
    with store:
        return _dispatch(args, settings, store)


def start(settings: Settings, db_path: str) -> int:
    """The README's main job: the bot with a token, else the console on the sample articles."""
    if settings.token:
        from bot.telegram.app import run_bot

        return run_bot(settings, db_path)
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


def summarize(args: argparse.Namespace, settings: Settings) -> int:
    """`briefbot summarize`: read and clean the inputs as ingest does, brief them as one story,
    store nothing; prints the `brief --json` object (errors per input on stderr, exit 1)."""
    import asyncio

    from bot.sources.ingest import iter_files, read_file
    from bot.sources.live import fetch_url_docs
    from summarizer.brief.briefing import build_briefing
    from summarizer.errors import InputError
    from summarizer.models import Article, CleanDoc, Story

    words = settings.brief_words if args.words is None else args.words
    if not 10 <= words <= 2000:
        return _fail("--words must be between 10 and 2000")
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
        return _fail("no readable article among the inputs")
    arts = [
        Article(id=k + 1, title=d.title, text=d.text, outlet=d.outlet, author=d.author,
                published=d.published, url=d.url)
        for k, d in enumerate(docs)
    ]
    title = docs[0].title or "Summary"
    briefing = build_briefing(0, title, arts, words=words)
    outlets = tuple(sorted({a.outlet for a in arts if a.outlet}))
    story = Story(id=0, title=title, article_ids=tuple(a.id for a in arts), outlets=outlets)
    reply = pages.brief_reply(story, briefing, {a.id: a for a in arts}, datetime.now(UTC))
    _print(reply.data, args.json, to_plain(Reply(paragraphs=reply.paragraphs)))
    return 1 if errors else 0


def _dispatch(args: argparse.Namespace, settings: Settings, store: Store) -> int:
    now = datetime.now(UTC)
    if args.cmd == "ingest":
        return _ingest(args, settings, store)
    if args.cmd == "stories":
        stories = store.stories(limit=args.limit)
        reply = pages.story_list_reply(f"{len(stories)} stories", stories, now)
        _print(reply.data, args.json, to_plain(Reply(paragraphs=reply.paragraphs)))
        return 0
    if args.cmd in ("brief", "quotes", "sources"):
        import asyncio  # not at the top: `briefbot stories` does not need it

        return asyncio.run(_story_command(args, settings, store))
    if args.cmd == "article":
        from bot.chat.views import article_quotes

        a = store.article(args.article_id)
        if a is None:
            return _fail(f"no article {args.article_id}")
        quotes = store.article_quotes(a.id)
        if quotes is None:
            quotes = article_quotes(a)
            store.set_article_quotes(a.id, quotes)
        qd = [
            {"text": q.text, "speaker": q.speaker, "role": q.role, "context": q.context}
            for q in quotes
        ]
        head = f"{a.title}\n{a.outlet} · {a.author or 'no byline'} · {pages.iso(a.published) or 'no date'}\n{a.url}"
        _print(pages.article_data(a, qd), args.json, f"{head}\n\n{a.text}")
        return 0
    if args.cmd == "poll":
        import asyncio

        from bot.chat.views import refresh_dirty
        from bot.sources.live import poll_round

        result = asyncio.run(poll_round(store, settings))
        refresh_dirty(store, settings.brief_words)
        human = (
            f"{result.polled} of {result.feeds} feeds polled, {result.not_modified} not modified, "
            f"{len(result.report.ingested)} articles, {len(result.feed_errors) + len(result.report.errors)} errors"
        )
        _print(result.as_dict(), args.json, human)
        return 1 if result.feed_errors or result.report.errors else 0
    if args.cmd == "digest":
        import asyncio

        return asyncio.run(_digest_preview(args, settings, store))
    if args.cmd in ("merge", "split"):
        return _mend(args, settings, store)
    return _fail(f"unknown command {args.cmd}")


def _mend(args: argparse.Namespace, settings: Settings, store: Store) -> int:
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
            human = f"Article {args.article_id} left story #{args.story_id} for a new story #{new_id}."
    except (LookupError, ValueError) as exc:
        return _fail(f"cannot {args.cmd}: {exc}")
    refresh_dirty(store, settings.brief_words)
    stories = [s for sid in ids if (s := store.story(sid))]
    reply = pages.story_list_reply(human, stories, datetime.now(UTC))
    _print(reply.data, args.json, to_plain(Reply(paragraphs=reply.paragraphs)))
    return 0


def _ingest(args: argparse.Namespace, settings: Settings, store: Store) -> int:
    import asyncio

    from bot.chat.views import refresh_dirty
    from bot.sources.ingest import IngestReport, ingest_paths

    urls = [i for i in args.inputs if i.startswith(("http://", "https://"))]
    paths = [i for i in args.inputs if i not in urls]
    report = ingest_paths(store, paths, IngestReport())
    if urls:
        from bot.sources.live import ingest_urls

        asyncio.run(ingest_urls(store, urls, settings, report))
    refresh_dirty(store, settings.brief_words)
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


async def _story_command(args: argparse.Namespace, settings: Settings, store: Store) -> int:
    from bot.chat.commands import Caller, Commands

    commands = Commands(store, settings)
    if store.story(args.story_id) is None:
        return _fail(f"no story {args.story_id}")
    if args.cmd == "brief" and args.words is not None and args.words != settings.brief_words:
        if not 10 <= args.words <= 2000:
            return _fail("--words must be between 10 and 2000")
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
    _print(reply.data, args.json, to_plain(Reply(paragraphs=reply.paragraphs)))
    return 0


async def _digest_preview(args: argparse.Namespace, settings: Settings, store: Store) -> int:
    from bot.chat.commands import Commands
    from bot.digest import digest

    if args.at:
        try:
            at = datetime.fromisoformat(args.at)
        except ValueError:
            return _fail(f"--at: not an ISO time: {args.at!r}")
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
    _print(data, args.json, to_plain(built.reply) if built.items else digest.EMPTY_NOTE)
    return 0


if __name__ == "__main__":
    sys.exit(main())
