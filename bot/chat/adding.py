"""Adding articles (admins): /add URL (a page or every entry of a feed) and uploaded files."""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import TYPE_CHECKING

from bot.chat import pages
from bot.chat.opml import import_upload, is_opml
from bot.chat.reply import Reply, bold, line, para, simple, text
from bot.chat.spec import PAGE_SIZE, Caller, CommandSpec
from bot.sources.ingest import KINDS, MAX_FILE_BYTES, Prepared, prepare_upload, save_article
from bot.sources.sandbox import prepared_off_loop
from summarizer.errors import InputError
from summarizer.models import CleanDoc

if TYPE_CHECKING:
    from bot.chat.commands import Commands


async def add(cmds: Commands, args: str, caller: Caller) -> Reply:
    """Ingest the article (or every feed entry) behind a URL."""
    url = args.strip()
    if not re.match(r"https?://\S+$", url):
        return simple(cmds.usage("add"))
    if cmds.fetch_many is not None:
        try:
            found = await cmds.fetch_many(url)
        except InputError as exc:
            return simple(f"Could not add {url}: {exc}")
        if len(found) == 1 and not isinstance(found[0], str):
            return await save_and_describe(cmds, found[0][1], url)
        return await save_feed_entries(cmds, url, found)
    if cmds.fetcher is None:
        return simple("Fetching URLs is not available here.")
    try:
        doc = await cmds.fetcher(url)
    except InputError as exc:
        return simple(f"Could not add {url}: {exc}")
    return await save_and_describe(cmds, doc, url)


async def save_feed_entries(
    cmds: Commands, url: str, found: list[tuple[str, CleanDoc] | str]
) -> Reply:
    """Store every entry of a feed (/add FEED_URL) and describe them in one reply."""
    added, known, errors, story_ids = 0, 0, [e for e in found if isinstance(e, str)], []
    for item in found:
        if isinstance(item, str):
            continue
        try:
            result = save_article(cmds.store, await prepared_off_loop(item[1]), item[0])
        except InputError as exc:
            errors.append(f"{item[0]}: {exc}")
            continue
        known += 1 if result.duplicate_of else 0
        added += 0 if result.duplicate_of else 1
        if result.story_id and result.story_id not in story_ids:
            story_ids.append(result.story_id)
    for sid in story_ids:
        await cmds.story_views(sid)
    stories = [s for sid in story_ids if (s := cmds.store.story(sid))]
    summary = (
        f"Feed {url}: {added} new article{'s' if added != 1 else ''}, {known} already known, "
        f"{len(errors)} failed; {len(stories)} stor{'y' if len(stories) == 1 else 'ies'}."
    )
    if not stories:
        return simple(summary, *errors[:3])
    reply = pages.story_list_reply(summary, stories[:PAGE_SIZE], cmds.clock())
    data = {**reply.data, "added": added, "known": known, "errors": errors}
    return Reply(paragraphs=reply.paragraphs, buttons=reply.buttons, data=data)


async def ingest_upload(cmds: Commands, name: str, data: bytes, caller: Caller) -> Reply:
    """Ingest a document sent to the bot (.txt, .md, .html)."""
    if not caller.is_admin:
        return simple("Sorry, only the bot's admins can add articles.")
    if is_opml(name, data):  # a feed list (/feeds import): its feeds, all or none
        return await import_upload(cmds, name, data)
    kind = KINDS.get(PurePath(name).suffix.lower())
    if kind is None:
        return simple(f"I can read .txt, .md and .html files, not “{name}”.")
    if len(data) > MAX_FILE_BYTES:
        return simple(f"“{name}” is too large (limit {MAX_FILE_BYTES // 1_048_576} MB).")
    try:
        doc = await prepare_upload(data, kind, name)  # a worker process with a time budget
    except InputError as exc:
        return simple(f"Could not read “{name}”: {exc}")
    return await save_and_describe(cmds, doc, name)


async def save_and_describe(cmds: Commands, doc: CleanDoc | Prepared, name: str) -> Reply:
    """Store a clean article, refresh its story's views, describe where it went."""
    result = save_article(cmds.store, await prepared_off_loop(doc), name)
    story = cmds.store.story(result.story_id) if result.story_id else None
    if story is None:
        return simple("Stored, but it joined no story.")
    await cmds.story_views(story.id)
    n = len(story.outlets)
    first = (
        f"Already known: the same article as #{result.duplicate_of}."
        if result.duplicate_of
        else f"Added “{result.title}” ({result.outlet or 'unknown outlet'})."
    )
    return Reply(
        paragraphs=(
            para(line(first)),
            para(
                line(
                    text("Story "),
                    bold(f"#{story.id} {story.title}"),
                    text(f" · {n} outlet{'s' if n != 1 else ''}"),
                )
            ),
        ),
        buttons=pages.view_buttons(story.id, ""),
        data={"story_id": story.id, "article_id": result.id, "duplicate_of": result.duplicate_of},
    )


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("add", "URL", "Ingest an article from a URL (admins)", admin=True, run=add),
)
