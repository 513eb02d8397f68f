"""/feeds export (an OPML file) and /feeds import (an OPML file sent to the bot), for admins."""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING

from bot.chat.reply import Reply, simple
from bot.reply import Attachment
from bot.sources.opml import OpmlError, export_opml, import_opml

if TYPE_CHECKING:
    from bot.chat.commands import Commands

IMPORT_HINT = "Send me the OPML file with the caption /feeds import (any .opml file is imported)."


def is_opml(name: str, data: bytes) -> bool:
    """An upload that is an OPML feed list: by its name, or by an <opml> root near its start."""
    if PurePath(name).suffix.lower() == ".opml":
        return True
    head = data[:512].lstrip().lower()
    return PurePath(name).suffix.lower() == ".xml" and b"<opml" in head


async def feeds_opml(cmds: Commands, action: str) -> Reply:
    """`/feeds export`: the polled feeds as a file; `/feeds import`: how to send one."""
    if action == "import":
        return simple(IMPORT_HINT)
    doc = export_opml(cmds.store)
    n = len(cmds.store.feeds())
    return Reply(
        paragraphs=simple(f"{n} feed{'s' if n != 1 else ''} as OPML 2.0.").paragraphs,
        data={"feeds": n},
        file=Attachment("briefbot-feeds.opml", doc.encode("utf-8")),
    )


async def import_upload(cmds: Commands, name: str, data: bytes) -> Reply:
    """Import an uploaded OPML file: every feed or, on a bad file, none."""
    try:
        done = import_opml(cmds.store, data)
    except OpmlError as exc:
        return simple(f"Could not import “{name}”: {exc}. No feed was added.")
    out: dict[str, object] = {**done.as_dict()}
    return Reply(paragraphs=simple(done.summary()).paragraphs, data=out)
