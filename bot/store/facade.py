"""``Store``: one database connection and the per-domain parts over it, behind one object."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from bot.store.articles import Articles
from bot.store.assignment import Assignment
from bot.store.chats import Chats
from bot.store.db import Connection
from bot.store.feeds import Feeds
from bot.store.index import ClusterIndex, window_hours
from bot.store.schema import applied_migrations, migrate
from bot.store.search import Search
from bot.store.stories import Stories, StoryWrite
from bot.store.views import CachedViews
from summarizer.models import Article


class Store:
    """A briefbot database: one SQLite file, WAL, migrations applied on open.

    The methods are those of the parts (articles, clustering index, stories, cached views,
    chats, feeds, search), bound here so callers need one object. No method commits a caller's
    work: group writes with ``with store.atomic():``.
    """

    def __init__(self, path: str | Path, timeout: float = 30.0) -> None:
        self.conn = Connection(path, timeout=timeout)
        self.path = self.conn.path
        self.db = self.conn.db
        try:
            migrate(self.conn)
        except BaseException:
            self.conn.close()
            raise
        self.parts_articles = articles = Articles(self.conn)
        self.parts_index = index = ClusterIndex(self.conn)
        self.parts_stories = stories = Stories(self.conn)
        self.parts_views = views = CachedViews(self.conn)
        self.parts_chats = chats = Chats(self.conn)
        self.parts_feeds = feeds = Feeds(self.conn)
        self.parts_search = search = Search(self.conn)
        self.parts_assignment = assignment = Assignment(self.conn)
        # articles
        self.article = articles.article
        self.articles = articles.articles
        self.article_count = articles.article_count
        self.find_by_url = articles.find_by_url
        self.find_by_hash = articles.find_by_hash
        self.set_article_quotes = articles.set_article_quotes
        self.article_quotes = articles.article_quotes
        # clustering index
        self.duplicate_context = index.duplicate_context
        self.term_dfs = index.term_dfs
        self.story_member_vectors = index.story_member_vectors
        self.story_title_article = index.story_title_article
        self.story_entities = index.story_entities
        # stories
        self.create_story = stories.create_story
        self.stories = stories.stories
        self.story = stories.story
        self.stories_between = stories.stories_between
        self.story_count = stories.story_count
        self.story_article_count = stories.story_article_count
        self.dirty_stories = stories.dirty_stories
        self.stored_utc = stories.stored_utc
        # cached views
        self.story_version = views.story_version
        self.save_story_views = views.save_story_views
        self.cached_briefing = views.cached_briefing
        self.cached_quotes = views.cached_quotes
        # chats
        self.subscribe = chats.subscribe
        self.unsubscribe = chats.unsubscribe
        self.subscription = chats.subscription
        self.subscribed_since = chats.subscribed_since
        self.subscriptions = chats.subscriptions
        self.digest_status = chats.digest_status
        self.claim_digest = chats.claim_digest
        self.finish_digest = chats.finish_digest
        self.sent_coverage = chats.sent_coverage
        self.digest_log = chats.digest_log
        # feeds
        self.add_feed = feeds.add_feed
        self.remove_feed = feeds.remove_feed
        self.feeds = feeds.feeds
        self.save_feed_state = feeds.save_feed_state
        # search
        self.search_stories = search.search_stories
        # story assignment state and mending (issue 10)
        self.story_candidates = assignment.story_candidates
        self.story_cache = assignment.cache
        self.set_story_state = assignment.set_story_state
        self.set_article_evidence = assignment.set_article_evidence
        self.story_members = assignment.story_members
        self.move_articles = assignment.move_articles
        self.clear_story = assignment.clear_story

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """One atomic unit of work, nestable: everything inside commits together or not at all."""
        with self.conn.atomic():
            yield

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Several reads that must agree with each other (one read transaction)."""
        with self.conn.snapshot():
            yield

    def migrations(self) -> list[str]:
        """Names of the applied migrations, in order."""
        return applied_migrations(self.conn)

    def insert_article(
        self,
        *,
        article: Article,
        url_key: str,
        input_name: str,
        terms: dict[str, float],
        entities: Iterable[str],
        bands: Sequence[str],
        term_set: Iterable[str],
        fingerprint: bytes = b"",
    ) -> int:
        """Insert one article and, unless it is a duplicate, index it; returns its id."""
        with self.conn.atomic():
            aid = self.parts_articles.insert_article(
                article, url_key=url_key, input_name=input_name, terms=terms, entities=entities
            )
            if article.duplicate_of is None:
                self.parts_index.index_article(aid, bands, term_set, fingerprint)
        return aid

    def add_article(
        self,
        *,
        article: Article,
        article_id: int,
        url_key: str,
        input_name: str,
        terms: dict[str, float],
        evidence: Mapping[str, Any],
        entities: Iterable[str],
        bands: Sequence[str],
        term_set: Iterable[str],
        fingerprint: bytes,
        story: StoryWrite,
        index_terms: Sequence[str],
    ) -> tuple[int, int]:
        """Write a new original article and the story it joined in one atomic unit: the story's
        row (created when ``story.story_id`` is 0), the article row as ``article_id``, its index
        entries and the story's index terms. Returns (story id, the story's new version)."""
        with self.conn.atomic():
            story_id, version = self.parts_stories.write_joined(story)
            self.parts_articles.insert_article(
                replace(article, story_id=story_id),
                url_key=url_key,
                input_name=input_name,
                terms=terms,
                entities=entities,
                evidence=evidence,
                article_id=article_id,
            )
            self.parts_index.index_article(article_id, bands, term_set, fingerprint)
            self.parts_index.replace_story_terms(
                story_id, index_terms, window_hours(story.first, story.last)
            )
        return story_id, version

    def update_story(
        self,
        story_id: int,
        *,
        title: str,
        centroid: dict[str, float],
        entities: Iterable[str],
        index_terms: Sequence[str],
        title_article: int | None = None,
    ) -> None:
        """Refresh a story's derived fields and index terms after an article joined it."""
        with self.conn.atomic():
            self.parts_stories.update_story(
                story_id,
                title=title,
                centroid=centroid,
                entities=entities,
                title_article=title_article,
            )
            window = self.parts_index.story_window(story_id)  # as update_story just stored it
            self.parts_index.set_story_terms(story_id, index_terms, window)
