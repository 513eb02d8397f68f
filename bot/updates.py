"""A story's update (what is new since a time or since a chat last saw it): load it from the
store and lay it out as a reply. Shared by the CLI, follow alerts and digests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from bot.reply import Line, Reply, bold, italic, line, para, text

if TYPE_CHECKING:
    from bot.store import Store
    from summarizer.brief.since import Update
    from summarizer.models import Article


def load_update(
    store: Store, story_id: int, is_new: Callable[[Article], bool], words: int = 120
) -> Update | None:
    """The story's update by the rule ``is_new`` (None if there is no such story)."""
    from summarizer.brief.since import story_update

    with store.snapshot():
        story = store.story(story_id)
        if story is None:
            return None
        articles = store.articles(story.article_ids)
    return story_update(story.id, story.title, articles, is_new, words)


def update_data(update: Update, since: datetime | None = None) -> dict[str, object]:
    """The ``brief --since --json`` shape: the ``brief --json`` fields for the new part only."""
    data: dict[str, object] = {
        "story_id": update.story_id,
        "title": update.title,
        "sentences": [
            {
                "text": s.text,
                "article_ids": list(s.article_ids),
                "outlets": list(s.outlets),
                "wording": s.wording,
            }
            for s in update.sentences
        ],
        "new_outlets": [
            {"outlet": f.outlet, "article_id": f.article_id, "title": f.title}
            for f in update.new_outlets
        ],
        "new_article_ids": list(update.article_ids),
    }
    if since is not None:
        data["since"] = since.isoformat()
    return data


def update_lines(update: Update) -> list[tuple[Line, ...]]:
    """The new facts with their outlets, then the new outlets' headlines."""
    paras: list[tuple[Line, ...]] = []
    for s in update.sentences:
        outlets = ", ".join(s.outlets) or "an outlet"
        paras.append(para(line(text(f"• {s.text} "), italic(f"— {outlets}"))))
    if update.new_outlets:
        lines = [line(bold("New outlets"))]
        lines += [line(text(f"{f.outlet}: “{f.title}”")) for f in update.new_outlets]
        paras.append(tuple(lines))
    return paras


def update_reply(update: Update, heading: str, since: datetime | None = None) -> Reply:
    """A whole update message: the heading, then what is new (or that nothing is)."""
    paras: list[tuple[Line, ...]] = [
        para(line(bold(update.title or f"Story {update.story_id}")), line(italic(heading)))
    ]
    body = update_lines(update)
    paras += body or [para(line(text("Nothing new.")))]
    return Reply(paragraphs=tuple(paras), data=update_data(update, since))
