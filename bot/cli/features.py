"""Issue-15 commands: `feeds import|export` (OPML), `brief --since`, `chart`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.base import emit, fail

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
