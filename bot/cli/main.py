"""`briefbot` entry point: parse, load settings, start the reading sandbox, dispatch."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.cli import base, features, maintain, reading
from bot.cli.parser import build_parser
from bot.config import ConfigError, Settings

if TYPE_CHECKING:
    from bot.store import Store


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `briefbot` command."""
    try:
        return _main(argv)
    except BrokenPipeError:
        # The reader of our output went away (`briefbot stories | head`): no traceback; point
        # stdout at /dev/null so the interpreter's final flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


def _main(argv: Sequence[str] | None) -> int:
    """Parse the command line and run one command."""
    args = build_parser().parse_args(argv)
    try:
        settings = base.load_settings()
    except ConfigError as exc:
        return base.fail(f"configuration: {exc}")
    base.configure_logging(settings.log_level)
    db_path = args.db or settings.db_path
    if args.cmd == "run":  # the token is checked first: a bad one costs no reader start-up
        from bot.telegram.app import run_bot

        return run_bot(
            settings,
            db_path,
            webhook=args.webhook,
            listen=args.listen,
            port=args.port,
            before_start=start_readers,
        )
    if args.cmd == "start":
        return maintain.start(settings, db_path, start_readers)
    if args.cmd in ("chat", "poll") or (
        args.cmd == "ingest" and any(i.startswith(("http://", "https://")) for i in args.inputs)
    ):
        start_readers()
    if args.cmd == "chat":
        from bot.chat.console import run_console

        return run_console(settings, db_path)
    if args.cmd == "summarize":
        return reading.summarize(args, settings)
    try:
        store = base.open_store(db_path)
    except Exception as exc:
        return base.fail(f"cannot open database {db_path}: {exc}")
    with store:
        return dispatch(args, settings, store)


def start_readers() -> None:
    """Fork the document readers with trafilatura and the ingest code already imported here, so
    no worker imports them again (about 1 s of CPU each), while this process has one thread."""
    import trafilatura  # noqa: F401

    import bot.sources.ingest  # noqa: F401
    from bot.sources.sandbox import shared_sandbox

    shared_sandbox().start()


def dispatch(args: argparse.Namespace, settings: Settings, store: Store) -> int:
    """Run a command that works on the open store."""
    if args.cmd == "ingest":
        return maintain.ingest(args, settings, store)
    if args.cmd == "stories":
        return reading.stories(args, store)
    if args.cmd == "brief" and args.since is not None:
        return features.brief_since(args, settings, store)
    if args.cmd in ("brief", "quotes", "sources"):
        import asyncio  # not at the top: `briefbot stories` does not need it

        return asyncio.run(reading.story_command(args, settings, store))
    if args.cmd == "article":
        return reading.article(args, store)
    if args.cmd == "poll":
        return maintain.poll(args, settings, store)
    if args.cmd == "digest":
        import asyncio

        return asyncio.run(maintain.digest_preview(args, settings, store))
    if args.cmd == "chart":
        return features.chart(args, store)
    if args.cmd == "feeds":
        return features.feeds(args, store)
    if args.cmd in ("merge", "split"):
        return maintain.mend(args, settings, store)
    return base.fail(f"unknown command {args.cmd}")
