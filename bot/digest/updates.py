"""A story's update (what is new since a time, since a chat last saw it, since a digest sent
it): load it from the store and lay it out. Shared by the CLI, follow alerts and digests."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from bot.reply import Line, Reply, bold, italic, line, para, text

if TYPE_CHECKING:
    from bot.store import Store
    from summarizer.brief.filters import Filter
    from summarizer.brief.since import Update
    from summarizer.models import Article, Story


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


def known_first(story: Story, articles: Sequence[Article], count: int) -> Callable[[Article], bool]:
    """The rule "not among the ``count`` earliest-stored articles" (ids grow with ingest order):
    what is new in a story a digest last sent with ``count`` articles."""
    known = set(sorted(a.id for a in articles)[:count])
    return lambda a: a.id not in known


def digest_update(
    store: Store, story: Story, sent_count: int, flt: Filter, words: int = 70
) -> Update:
    """What is new in a story since a digest sent it with ``sent_count`` articles, filtered."""
    from summarizer.brief.since import Update, story_update

    articles = store.articles(story.article_ids)
    found = story_update(
        story.id, story.title, articles, known_first(story, articles, sent_count), words
    )
    outlets = tuple(f for f in found.new_outlets if not flt.article_muted(f.outlet, f.title))
    shown = flt.sentences(found.sentences, articles)
    return Update(found.story_id, found.title, shown, outlets, found.article_ids)


def digest_lines(update: Update) -> Line:
    """An updated story's digest line: its new facts, else its new outlets' headlines."""
    if update.sentences:
        return line(text(" ".join(s.text for s in update.sentences)))
    heads = "; ".join(f"{f.outlet}: “{f.title}”" for f in update.new_outlets)
    return line(italic("New coverage — "), text(heads))


def visible(store: Store, story: Story, flt: Filter) -> bool:
    """Do a chat's filters let this story through?"""
    if flt.empty:
        return True
    coverage = [(a.outlet, a.title) for a in store.articles(story.article_ids)]
    return flt.story_visible(story.title, coverage)
