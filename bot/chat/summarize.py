"""One briefing over exactly the given documents, nothing stored: files an admin sends to the bot
and then answers with /summarize (``bot.telegram.uploads`` fetches them), read and cleaned the
way an upload is, briefed as one story the way `briefbot summarize` briefs its inputs."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime
from pathlib import PurePath

from bot.chat import pages
from bot.chat.reply import Reply, italic, line, para, simple
from bot.chat.spec import Caller
from bot.sources.ingest import KINDS, MAX_FILE_BYTES, prepare_upload
from summarizer.errors import InputError
from summarizer.models import Article, CleanDoc, Story

MAX_DOCUMENTS = 20  # documents in one summary (a Telegram album holds at most 10)


def brief_docs(docs: Sequence[CleanDoc], words: int, now: datetime) -> Reply:
    """The briefing of these clean documents as one story (ids 1..n in the given order)."""
    from summarizer.brief.briefing import build_briefing

    arts = [Article.from_doc(k + 1, d) for k, d in enumerate(docs)]
    title = docs[0].title or "Summary"
    briefing = build_briefing(0, title, arts, words=words)
    outlets = tuple(sorted({a.outlet for a in arts if a.outlet}))
    story = Story(id=0, title=title, article_ids=tuple(a.id for a in arts), outlets=outlets)
    reply = pages.brief_reply(story, briefing, {a.id: a for a in arts}, now)
    return Reply(paragraphs=reply.paragraphs, data=reply.data)  # no story to open or follow


async def summarize_files(
    files: Sequence[tuple[str, bytes]], words: int, caller: Caller, now: datetime
) -> Reply:
    """The briefing of the files (name, bytes) sent to the bot; unreadable ones are named."""
    if not caller.is_admin:
        return simple("Sorry, only the bot's admins can summarize documents.")
    docs: list[CleanDoc] = []
    errors: list[str] = []
    for name, data in files[:MAX_DOCUMENTS]:
        kind = KINDS.get(PurePath(name).suffix.lower())
        if kind is None:
            errors.append(f"“{name}”: I can read .txt, .md and .html files.")
        elif len(data) > MAX_FILE_BYTES:
            errors.append(f"“{name}” is too large (limit {MAX_FILE_BYTES // 1_048_576} MB).")
        else:
            try:
                docs.append((await prepare_upload(data, kind, name)).doc)
            except InputError as exc:
                errors.append(f"Could not read “{name}”: {exc}")
    if len(files) > MAX_DOCUMENTS:
        errors.append(f"Only the first {MAX_DOCUMENTS} documents were read.")
    if not docs:
        return simple("Nothing to summarize.", *errors[:3])
    reply = await asyncio.to_thread(brief_docs, docs, words, now)
    if not errors:
        return reply
    notes = para(*(line(italic(e)) for e in errors[:5]))
    return Reply(paragraphs=(*reply.paragraphs, notes), data={**reply.data, "errors": errors})
