"""Cached per-story views (briefing and merged quotes): load, compute off the loop, save.

Loading and saving touch the store and must run on the store's thread; ``compute_views`` is pure
and may run in a worker thread (``asyncio.to_thread``), so the event loop never blocks on it.

Each article's own work (its quotes, its briefing parts: ``summarizer.brief.parts``) is done at
the first view of a story it belongs to and stored with that view, so later views of its stories
only group, rank and merge. (Computing parts when the article is read, in the ingest workers,
would take that cost off the first view too; the readers do not compute them yet.)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.store import Store
from bot.store.parts import StoredParts
from summarizer.brief import parts as brief_parts
from summarizer.brief import parts_codec
from summarizer.brief.briefing import build_briefing
from summarizer.models import Article, Briefing, Quote, StoryQuote
from summarizer.quotes.extract import extract_quotes
from summarizer.quotes.merge import merge_story_quotes


@dataclass(frozen=True)
class StoryInputs:
    """Everything needed to compute a story's views, as plain values."""

    story_id: int
    title: str
    version: int
    articles: tuple[Article, ...]
    known_quotes: dict[int, list[Quote]]
    known_parts: dict[int, bytes] = field(default_factory=dict)  # stored, current format


@dataclass(frozen=True)
class StoryViews:
    """Computed views plus the per-article quotes that were newly extracted."""

    story_id: int
    version: int
    briefing: Briefing
    quotes: tuple[StoryQuote, ...]
    new_article_quotes: dict[int, list[Quote]]
    new_article_parts: dict[int, bytes] = field(default_factory=dict)  # parts_format() bytes


def load_inputs(store: Store, story_id: int) -> StoryInputs | None:
    """Read a story's articles, their already-extracted quotes and stored parts, all from one
    snapshot, with the version they belong to (a view computed from them is saved only if it
    is still current)."""
    with store.snapshot():
        story = store.story(story_id)
        if story is None:
            return None
        articles = tuple(store.articles(story.article_ids))
        known: dict[int, list[Quote]] = {}
        for a in articles:
            q = store.article_quotes(a.id)
            if q is not None:
                known[a.id] = q
        stored = StoredParts(store.conn).article_parts(
            [a.id for a in articles], parts_codec.parts_format()
        )
    return StoryInputs(story_id, story.title, story.version, articles, known, stored)


def article_quotes(article: Article) -> list[Quote]:
    """Quotes of one article (pure)."""
    return extract_quotes(article.text)


def _parts(inputs: StoryInputs) -> tuple[dict[int, brief_parts.ArticleParts], dict[int, bytes]]:
    """Every article's briefing parts (stored ones decoded) and the bytes of those computed now
    (missing, or stored unreadable)."""
    out: dict[int, brief_parts.ArticleParts] = {}
    new: dict[int, bytes] = {}
    for a in inputs.articles:
        data = inputs.known_parts.get(a.id)
        if data is not None:
            try:
                out[a.id] = parts_codec.loads(data, a)
                continue
            except ValueError:
                pass
        out[a.id] = brief_parts.article_parts(a)
        new[a.id] = parts_codec.dumps(out[a.id], a)
    return out, new


def compute_views(inputs: StoryInputs, words: int = 120) -> StoryViews:
    """Briefing and merged quotes of a story (pure, CPU-bound)."""
    new: dict[int, list[Quote]] = {}
    per_article: list[tuple[Article, list[Quote]]] = []
    quotes_of: dict[int, list[Quote]] = {}
    for a in inputs.articles:
        quotes = inputs.known_quotes.get(a.id)
        if quotes is None:
            quotes = article_quotes(a)
            new[a.id] = quotes
        per_article.append((a, quotes))
        quotes_of[a.id] = quotes
    parts, new_parts = _parts(inputs)
    briefing = build_briefing(
        inputs.story_id, inputs.title, inputs.articles, words=words, parts=parts, quotes=quotes_of
    )
    merged = tuple(merge_story_quotes(per_article))
    return StoryViews(inputs.story_id, inputs.version, briefing, merged, new, new_parts)


def save_views(store: Store, views: StoryViews) -> None:
    """Persist computed views (ignored if the story changed meanwhile) and new article quotes
    and parts (kept either way: they depend on their article alone)."""
    with store.atomic():
        for aid, quotes in views.new_article_quotes.items():
            store.set_article_quotes(aid, quotes)
        if views.new_article_parts:
            StoredParts(store.conn).save_article_parts(
                views.new_article_parts, parts_codec.parts_format()
            )
        store.save_story_views(views.story_id, views.briefing, views.quotes, views.version)


def refresh_story(store: Store, story_id: int, words: int = 120) -> StoryViews | None:
    """Compute and cache one story's views synchronously."""
    inputs = load_inputs(store, story_id)
    if inputs is None:
        return None
    views = compute_views(inputs, words)
    save_views(store, views)
    return views


def refresh_dirty(store: Store, words: int = 120) -> int:
    """Refresh every story whose cached views are missing; returns how many were refreshed."""
    n = 0
    for sid in store.dirty_stories():
        if refresh_story(store, sid, words) is not None:
            n += 1
    return n
