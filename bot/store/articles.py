"""Stored articles: insert, look up by id, URL or content hash, and each article's cached quotes."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from bot.store.db import Connection, iso, marks, now, parse_dt, to_json
from summarizer.models import Article, Quote

ARTICLE_COLUMNS = (
    "id, title, text, outlet, author, published, url, content_hash, ingested_at, story_id, "
    "duplicate_of, images, short"
)


def article_from_row(row: tuple[Any, ...]) -> Article:
    """An Article from a row of ARTICLE_COLUMNS."""
    return Article(
        id=row[0],
        title=row[1],
        text=row[2],
        outlet=row[3],
        author=row[4],
        published=parse_dt(row[5]),
        url=row[6],
        content_hash=row[7],
        ingested_at=parse_dt(row[8]),
        story_id=row[9],
        duplicate_of=row[10],
        images=tuple(json.loads(row[11] or "[]")),
        short=bool(row[12]),
    )


class Articles:
    """The articles table."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def article(self, article_id: int) -> Article | None:
        """One article by id."""
        row = self.conn.one(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?", [article_id])
        return article_from_row(row) if row else None

    def articles(self, ids: Iterable[int]) -> list[Article]:
        """Articles by id, in id order."""
        id_list = sorted(set(ids))
        if not id_list:
            return []
        rows = self.conn.all(
            f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id IN ({marks(id_list)}) ORDER BY id",
            id_list,
        )
        return [article_from_row(r) for r in rows]

    def article_count(self) -> int:
        """Number of stored articles (duplicates included)."""
        return int(self.conn.scalar("SELECT count(*) FROM articles"))

    def find_by_url(self, url_key: str) -> int | None:
        """Id of the first article with this normalised URL."""
        if not url_key:
            return None
        # The repeated ``url_key != ''`` lets SQLite use the partial index with a bound parameter.
        found = self.conn.scalar(
            "SELECT id FROM articles WHERE url_key = ? AND url_key != '' ORDER BY id LIMIT 1",
            [url_key],
        )
        return int(found) if found is not None else None

    def find_by_hash(self, content_hash: str) -> int | None:
        """Id of the first article with this content hash."""
        found = self.conn.scalar(
            "SELECT id FROM articles WHERE content_hash = ? ORDER BY id LIMIT 1", [content_hash]
        )
        return int(found) if found is not None else None

    def insert_article(
        self,
        article: Article,
        *,
        url_key: str,
        input_name: str,
        terms: dict[str, float],
        entities: Iterable[str],
        evidence: Mapping[str, Any] | None = None,
        article_id: int | None = None,
    ) -> int:
        """Insert one article row (with its assignment evidence; ``article_id`` None: the next
        id); returns its id."""
        cur = self.conn.execute(
            """INSERT INTO articles (id, title, outlet, author, published, url, url_key, text,
                   content_hash, ingested_at, story_id, duplicate_of, images, input, terms, entities,
                   evidence, short)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            [
                article_id,
                article.title,
                article.outlet,
                article.author,
                iso(article.published),
                article.url,
                url_key,
                article.text,
                article.content_hash,
                now(),
                article.story_id,
                article.duplicate_of,
                json.dumps(list(article.images)),
                input_name,
                json.dumps(terms),
                json.dumps(sorted(entities)),
                json.dumps(evidence or {}),
                int(article.short),
            ],
        )
        return int(cur.lastrowid or 0)

    def set_article_quotes(self, article_id: int, quotes: Iterable[Quote]) -> None:
        """Cache the quotes extracted from one article."""
        self.conn.execute(
            "UPDATE articles SET quotes = ? WHERE id = ?",
            [to_json(list(quotes)), article_id],
        )

    def article_quotes(self, article_id: int) -> list[Quote] | None:
        """Cached quotes of an article, or None when not computed yet."""
        raw = self.conn.scalar("SELECT quotes FROM articles WHERE id = ?", [article_id])
        if raw is None:
            return None
        return [Quote(**q) for q in json.loads(raw)]
