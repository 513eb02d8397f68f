"""Cached per-story views (briefing and merged quotes): load, compute off the loop, save.

Loading and saving touch the store and must run on the store's thread; ``compute_views`` is pure
and may run in a worker thread (``asyncio.to_thread``), so the event loop never blocks on it.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.store import Store
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


@dataclass(frozen=True)
class StoryViews:
    """Computed views plus the per-article quotes that were newly extracted."""

    story_id: int
    version: int
    briefing: Briefing
    quotes: tuple[StoryQuote, ...]
    new_article_quotes: dict[int, list[Quote]]


def load_inputs(store: Store, story_id: int) -> StoryInputs | None:
    """Read a story's articles and already-extracted quotes, all from one snapshot, with the
    version they belong to (a view computed from them is saved only if it is still current)."""
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
    return StoryInputs(story_id, story.title, story.version, articles, known)


def article_quotes(article: Article) -> list[Quote]:
    """Quotes of one article (pure)."""
    return extract_quotes(article.text)


def compute_views(inputs: StoryInputs, words: int = 120) -> StoryViews:
    """Briefing and merged quotes of a story (pure, CPU-bound)."""
    new: dict[int, list[Quote]] = {}
    per_article: list[tuple[Article, list[Quote]]] = []
    for a in inputs.articles:
        quotes = inputs.known_quotes.get(a.id)
        if quotes is None:
            quotes = article_quotes(a)
            new[a.id] = quotes
        per_article.append((a, quotes))
    briefing = build_briefing(inputs.story_id, inputs.title, inputs.articles, words=words)
    merged = tuple(merge_story_quotes(per_article))
    return StoryViews(inputs.story_id, inputs.version, briefing, merged, new)


def save_views(store: Store, views: StoryViews) -> None:
    """Persist computed views (ignored if the story changed meanwhile) and new article quotes."""
    with store.atomic():
        for aid, quotes in views.new_article_quotes.items():
            store.set_article_quotes(aid, quotes)
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
