"""Full-text search: stories ranked by how well their articles match a user's words."""

from __future__ import annotations

from typing import NamedTuple

from bot.store.db import Connection


class SearchHit(NamedTuple):
    """A matching story and its score (summed bm25: lower, more negative, is better)."""

    story_id: int
    score: float


def fts_query(text: str) -> str:
    """A safe FTS5 query from user text: each word quoted, all words required."""
    tokens = [t.replace('"', "") for t in text.split()]
    tokens = [t for t in tokens if any(ch.isalnum() for ch in t)]
    return " ".join(f'"{t}"' for t in tokens[:12])


class Search:
    """The ``articles_fts`` full-text index."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def search_stories(self, query: str, limit: int = 8) -> list[SearchHit]:
        """Stories whose articles match a full-text query, best first.

        The score sums bm25 (titles weighted 4x) over a story's matching articles, so a story
        many outlets cover beats one stray mention.
        """
        fts = fts_query(query)
        if not fts:
            return []
        rows = self.conn.all(
            """WITH hits AS MATERIALIZED (
                   SELECT rowid, bm25(articles_fts, 4.0, 1.0) AS score FROM articles_fts
                   WHERE articles_fts MATCH ? ORDER BY score LIMIT 2000)
               SELECT a.story_id, sum(h.score) AS r FROM hits h JOIN articles a ON a.id = h.rowid
               WHERE a.story_id IS NOT NULL
               GROUP BY a.story_id ORDER BY r, a.story_id DESC LIMIT ?""",
            [fts, limit],
        )
        return [SearchHit(int(r[0]), float(r[1])) for r in rows]
