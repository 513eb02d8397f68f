"""The clustering index: LSH bands for near-duplicates, term document frequencies, story terms."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from bot.store.db import Connection, marks, parse_dt
from summarizer.models import ArticleRef, DuplicateContext, NearCandidate

TERM_CHUNK = 500  # terms per IN (...) lookup, well under SQLite's parameter limit

#: (first, last) hour of a story's coverage window, as kept on its ``story_terms`` rows.
Hours = tuple[int, int]
#: The kept window is widened to whole buckets of this many hours (first rounded down, last up
#: to its bucket's end), so a story's rows are rewritten when its window crosses into another
#: bucket, not on every joining article (each rewrite moves ~30 rows of two indexes). The lookup
#: then reads a superset of the stories in reach; ``Assignment.story_candidates`` keeps the
#: exact ones.
BUCKET_HOURS = 24
#: The window of a story without publication times: any article may join it (its time factor
#: is 1.0), so its rows lie in every candidate lookup's range.
OPEN_WINDOW: Hours = (-(1 << 62), 1 << 62)


def hour_of(when: datetime) -> int:
    """Whole hours since the epoch, rounded down (a zone-less time taken as UTC)."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return math.floor(when.timestamp() / 3600.0)


def window_hours(first: str | None, last: str | None) -> Hours:
    """A story's stored window (UTC text) in hours, widened to whole ``BUCKET_HOURS``;
    ``OPEN_WINDOW`` when a time is missing."""
    start, end = parse_dt(first), parse_dt(last)
    if start is None or end is None:
        return OPEN_WINDOW
    low, high = hour_of(start), hour_of(end)
    return low - low % BUCKET_HOURS, high - high % BUCKET_HOURS + BUCKET_HOURS - 1


class ClusterIndex:
    """Tables ``article_lsh``, ``term_df`` and ``story_terms``, and the stories' centroids."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def duplicate_context(
        self, url_key: str, content_hash: str, bands: Sequence[str], limit: int = 20
    ) -> DuplicateContext:
        """Everything a new article might duplicate, read at once: the first article with its
        URL, the first with its content hash, and up to ``limit`` originals sharing most band
        keys (with their texts)."""
        ref = "id, title, outlet, story_id"
        by_url = None
        if url_key:  # the repeated condition lets SQLite use the partial index
            by_url = self.conn.one(
                f"SELECT {ref} FROM articles WHERE url_key = ? AND url_key != '' "
                "ORDER BY id LIMIT 1",
                [url_key],
            )
        by_hash = self.conn.one(
            f"SELECT {ref} FROM articles WHERE content_hash = ? ORDER BY id LIMIT 1",
            [content_hash],
        )
        similar: list[NearCandidate] = []
        if bands and by_url is None and by_hash is None:
            # The text only where no fingerprint was stored (articles saved before 0015).
            rows = self.conn.all(
                f"""SELECT a.id, a.title, a.outlet, a.story_id, f.shingles,
                        CASE WHEN f.shingles IS NULL THEN a.text ELSE '' END
                    FROM (SELECT article_id, count(*) AS n FROM article_lsh
                          WHERE band IN ({marks(bands)})
                          GROUP BY article_id ORDER BY n DESC LIMIT ?) c
                    JOIN articles a ON a.id = c.article_id
                    LEFT JOIN article_shingles f ON f.article_id = c.article_id
                    WHERE a.duplicate_of IS NULL""",
                [*bands, limit],
            )
            similar = [NearCandidate(_ref(r), bytes(r[4] or b""), str(r[5])) for r in rows]
        return DuplicateContext(
            by_url=_ref(by_url) if by_url else None,
            by_hash=_ref(by_hash) if by_hash else None,
            similar=tuple(similar),
        )

    def term_dfs(self, terms: Iterable[str]) -> tuple[dict[str, int], int]:
        """Document frequencies of terms and the number of original articles."""
        term_list = sorted(set(terms))
        out: dict[str, int] = {}
        for i in range(0, len(term_list), TERM_CHUNK):
            chunk = term_list[i : i + TERM_CHUNK]
            for term, df in self.conn.all(
                f"SELECT term, df FROM term_df WHERE term IN ({marks(chunk)})", chunk
            ):
                out[str(term)] = int(df)
        # Articles are never deleted and duplicates are not stored, so the largest id is the
        # number of articles: O(1), where count(*) would walk an index on every insert.
        n_docs = self.conn.scalar("SELECT coalesce(max(id), 0) FROM articles")
        return out, int(n_docs)

    def index_article(
        self, article_id: int, bands: Sequence[str], terms: Iterable[str], fingerprint: bytes = b""
    ) -> None:
        """Add an original article's LSH bands and shingle fingerprint, and count its terms'
        document frequencies."""
        with self.conn.atomic():
            if fingerprint:
                self.conn.execute(
                    "INSERT INTO article_shingles (article_id, shingles) VALUES (?, ?)",
                    [article_id, fingerprint],
                )
            self.conn.executemany(
                "INSERT INTO article_lsh (band, article_id) VALUES (?, ?)",
                [(b, article_id) for b in bands],
            )
            self.conn.executemany(
                "INSERT INTO term_df (term, df) VALUES (?, 1) "
                "ON CONFLICT(term) DO UPDATE SET df = df + 1",
                [(t,) for t in sorted(set(terms))],
            )

    def set_story_terms(self, story_id: int, terms: Sequence[str], window: Hours) -> None:
        """Replace the index terms under which a story is found, with its window in hours."""
        with self.conn.atomic():
            self.conn.execute("DELETE FROM story_terms WHERE story_id = ?", [story_id])
            self.conn.executemany(
                "INSERT OR IGNORE INTO story_terms (term, story_id, first_hour, last_hour) "
                "VALUES (?, ?, ?, ?)",
                [(t, story_id, *window) for t in terms],
            )

    def replace_story_terms(self, story_id: int, terms: Sequence[str], window: Hours) -> None:
        """``set_story_terms`` touching only the terms (and window hours) that changed."""
        with self.conn.atomic():
            rows = self.conn.all(
                "SELECT term, first_hour, last_hour FROM story_terms WHERE story_id = ?",
                [story_id],
            )
            old = {str(r[0]) for r in rows}
            new = set(terms)
            gone = sorted(old - new)
            if gone:
                self.conn.execute(
                    f"DELETE FROM story_terms WHERE story_id = ? AND term IN ({marks(gone)})",
                    [story_id, *gone],
                )
            if any((int(r[1]), int(r[2])) != window for r in rows if str(r[0]) in new):
                self.conn.execute(
                    "UPDATE story_terms SET first_hour = ?, last_hour = ? WHERE story_id = ?",
                    [*window, story_id],
                )
            self.conn.executemany(
                "INSERT INTO story_terms (term, story_id, first_hour, last_hour) VALUES (?, ?, ?, ?)",
                [(t, story_id, *window) for t in sorted(new - old)],
            )

    def story_window(self, story_id: int) -> Hours:
        """A story's stored coverage window in whole hours (``window_hours``)."""
        row = self.conn.one(
            "SELECT first_published, last_published FROM stories WHERE id = ?", [story_id]
        )
        return window_hours(row[0], row[1]) if row else OPEN_WINDOW

    def story_member_vectors(
        self, story_id: int, only: Sequence[int | None] = ()
    ) -> dict[int, tuple[str, dict[str, float]]]:
        """(title, term vector) of each original article of a story (or only of some ids)."""
        sql = "SELECT id, title, terms FROM articles WHERE story_id = ? AND duplicate_of IS NULL"
        ids = [i for i in only if i is not None]
        if ids:
            sql += f" AND id IN ({marks(ids)})"
        rows = self.conn.all(sql, [story_id, *ids])
        return {int(r[0]): (str(r[1]), json.loads(r[2])) for r in rows}

    def story_title_article(self, story_id: int) -> int | None:
        """The article whose headline is the story's title."""
        found = self.conn.scalar("SELECT title_article FROM stories WHERE id = ?", [story_id])
        return int(found) if found is not None else None

    def story_entities(self, story_id: int) -> list[str]:
        """The stored entity list of a story."""
        raw = self.conn.scalar("SELECT entities FROM stories WHERE id = ?", [story_id])
        return list(json.loads(raw)) if raw else []


def _ref(row: tuple[Any, ...]) -> ArticleRef:
    """An ArticleRef from a row starting with id, title, outlet, story_id."""
    story = row[3]
    return ArticleRef(int(row[0]), str(row[1]), str(row[2]), int(story) if story else None)
