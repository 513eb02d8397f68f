"""Admin commands: /feeds, /summarize, and mending the grouping with /merge and /split."""

from __future__ import annotations

import asyncio
import re
from typing import TYPE_CHECKING

from bot.chat import pages
from bot.chat.opml import feeds_opml
from bot.chat.reply import Reply, bold, italic, line, simple, text
from bot.chat.spec import Caller, CommandSpec, two_ids
from summarizer.models import Story

if TYPE_CHECKING:
    from bot.chat.commands import Commands


async def feeds(cmds: Commands, args: str, caller: Caller) -> Reply:
    """List, add or remove polled feeds."""
    parts = args.split()
    store = cmds.store
    if not parts:
        listed = store.feeds()
        if not listed:
            return simple("No feeds yet. /feeds add URL adds one.")
        lines = [line(bold("Feeds"))]
        for f in listed:
            state = f" — failing: {f.last_error}" if f.failures else ""
            lines.append(line(text(f"{f.id}. {f.url}"), italic(state)))
        lines.append(line(italic("/feeds remove N removes one.")))
        return Reply(paragraphs=(tuple(lines),))
    if parts[0] == "add" and len(parts) == 2 and re.match(r"https?://\S+$", parts[1]):
        added = store.add_feed(parts[1])
        return simple(f"Feed added: {parts[1]}" if added else f"Already polling {parts[1]}")
    if parts[0] == "remove" and len(parts) == 2 and parts[1].isascii() and parts[1].isdigit():
        url = store.remove_feed(int(parts[1]))
        return simple(
            f"Feed removed: {url}" if url else f"There is no feed {parts[1]}. /feeds lists them."
        )
    if parts[0] in ("export", "import") and len(parts) == 1:
        return await feeds_opml(cmds, parts[0])
    return simple(cmds.usage("feeds"))


async def summarize(cmds: Commands, args: str, caller: Caller) -> Reply:
    """One briefing over exactly the given stored articles as one story (nothing stored)."""
    from summarizer.brief.briefing import build_briefing

    parts = args.replace(",", " ").split()
    if not parts or not all(p.isascii() and p.isdigit() and len(p) <= 18 for p in parts):
        return simple(cmds.usage("summarize"))
    ids = list(dict.fromkeys(int(p) for p in parts))
    arts = cmds.store.articles(ids)
    missing = sorted(set(ids) - {a.id for a in arts})
    if missing:
        return simple(f"No article {', '.join(f'#{i}' for i in missing)}.")
    title = arts[0].title or "Summary"
    words = cmds.settings.brief_words
    briefing = await asyncio.to_thread(build_briefing, 0, title, arts, words)
    outlets = tuple(sorted({a.outlet for a in arts if a.outlet}))
    story = Story(id=0, title=title, article_ids=tuple(ids), outlets=outlets)
    return pages.brief_reply(story, briefing, {a.id: a for a in arts}, cmds.clock())


async def merge(cmds: Commands, args: str, caller: Caller) -> Reply:
    """Merge story B into story A: one happening that was split (admins mend the grouping)."""
    from bot.sources.ingest import merge_stories

    ids = two_ids(args)
    if ids is None:
        return simple(cmds.usage("merge"))
    try:
        merge_stories(cmds.store, *ids)
    except (LookupError, ValueError) as exc:
        return simple(f"Cannot merge: {exc}")
    return await mended(cmds, f"Merged story #{ids[1]} into #{ids[0]}.", [ids[0]])


async def split(cmds: Commands, args: str, caller: Caller) -> Reply:
    """Move one article out of a story into a new story of its own (admins)."""
    from bot.sources.ingest import split_article

    ids = two_ids(args)
    if ids is None:
        return simple(cmds.usage("split"))
    try:
        new_id = split_article(cmds.store, *ids)
    except (LookupError, ValueError) as exc:
        return simple(f"Cannot split: {exc}")
    return await mended(
        cmds, f"Article {ids[1]} left story #{ids[0]} for a new story #{new_id}.", [ids[0], new_id]
    )


async def mended(cmds: Commands, summary: str, story_ids: list[int]) -> Reply:
    """Recompute the mended stories' views and list them."""
    for sid in story_ids:
        if cmds.store.story(sid) is not None:
            await cmds.story_views(sid)
    stories = [s for sid in story_ids if (s := cmds.store.story(sid))]
    reply = pages.story_list_reply(summary, stories, cmds.clock())
    data = {**reply.data, "mended": story_ids}
    return Reply(paragraphs=reply.paragraphs, buttons=reply.buttons, data=data)


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        "feeds",
        "[add URL | remove N | export | import]",
        "List or change the polled feeds (admins)",
        admin=True,
        run=feeds,
    ),
    CommandSpec(
        "summarize",
        "ID ID ...",
        "One briefing over these article ids (admins)",
        admin=True,
        run=summarize,
    ),
    CommandSpec("merge", "A B", "Merge story B into story A (admins)", admin=True, run=merge),
    CommandSpec(
        "split",
        "STORY ARTICLE",
        "Move an article out of a story into its own (admins)",
        admin=True,
        run=split,
    ),
)
