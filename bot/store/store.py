"""The only module that touches SQLite. Returns summarizer.models objects, never rows."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from summarizer.models import (
    Article,
    Briefing,
    BriefSentence,
    Framing,
    Quote,
    QuoteVariant,
    Story,
    StoryQuote,
)
from summarizer.stories.cluster import StoryCandidate

# --- migrations -------------------------------------------------------------------------------

_MIGRATIONS: list[tuple[str, str]] = [
    (
        "0001_articles",
        """
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL DEFAULT '',
            outlet TEXT NOT NULL DEFAULT '',
            author TEXT NOT NULL DEFAULT '',
            published TEXT,
            url TEXT NOT NULL DEFAULT '',
            url_key TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            ingested_at TEXT NOT NULL,
            story_id INTEGER,
            duplicate_of INTEGER REFERENCES articles(id),
            images TEXT NOT NULL DEFAULT '[]',
            input TEXT NOT NULL DEFAULT '',
            terms TEXT NOT NULL DEFAULT '{}',
            entities TEXT NOT NULL DEFAULT '[]',
            quotes TEXT
        );
        CREATE INDEX articles_url_key ON articles(url_key) WHERE url_key != '';
        CREATE INDEX articles_hash ON articles(content_hash);
        CREATE INDEX articles_story ON articles(story_id);
        CREATE TABLE article_lsh (
            band TEXT NOT NULL,
            article_id INTEGER NOT NULL REFERENCES articles(id)
        );
        CREATE INDEX article_lsh_band ON article_lsh(band);
        CREATE TABLE term_df (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE stories (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL DEFAULT '',
            centroid TEXT NOT NULL DEFAULT '{}',
            entities TEXT NOT NULL DEFAULT '[]',
            first_published TEXT,
            last_published TEXT,
            updated_at TEXT NOT NULL,
            article_count INTEGER NOT NULL DEFAULT 0,
            outlets TEXT NOT NULL DEFAULT '[]',
            briefing TEXT,
            quotes TEXT
        );
        CREATE INDEX stories_updated ON stories(updated_at);
        CREATE TABLE story_terms (
            term TEXT NOT NULL,
            story_id INTEGER NOT NULL REFERENCES stories(id),
            PRIMARY KEY (term, story_id)
        ) WITHOUT ROWID;
        CREATE INDEX story_terms_story ON story_terms(story_id);
        """,
    ),
    (
        "0002_chat",
        """
        CREATE TABLE subscriptions (
            chat_id INTEGER PRIMARY KEY,
            at_time TEXT NOT NULL,
            zone TEXT NOT NULL,
            stories INTEGER NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE digest_log (
            chat_id INTEGER NOT NULL,
            day TEXT NOT NULL,
            status TEXT NOT NULL,
            story_ids TEXT NOT NULL DEFAULT '[]',
            started_at TEXT NOT NULL,
            finished_at TEXT,
            error TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (chat_id, day)
        );
        CREATE TABLE digest_items (
            chat_id INTEGER NOT NULL,
            story_id INTEGER NOT NULL,
            article_count INTEGER NOT NULL,
            day TEXT NOT NULL,
            PRIMARY KEY (chat_id, story_id)
        );
        CREATE TABLE feeds (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            etag TEXT NOT NULL DEFAULT '',
            last_modified TEXT NOT NULL DEFAULT '',
            failures INTEGER NOT NULL DEFAULT 0,
            next_poll_at TEXT,
            last_error TEXT NOT NULL DEFAULT '',
            added_at TEXT NOT NULL
        );
        """,
    ),
    # The story's headline article (kept so big stories update their title incrementally), and a
    # partial index so counting original articles on every insert does not scan article text.
    (
        "0003_story_title_article",
        """
        ALTER TABLE stories ADD COLUMN title_article INTEGER;
        CREATE INDEX IF NOT EXISTS articles_original ON articles(id) WHERE duplicate_of IS NULL
        """,
    ),
]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _dt(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


def _utc(value: datetime | None) -> str | None:
    """ISO string in UTC, comparable as text (for min/max and ordering)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="seconds")


class Store:
    """A briefbot database: one SQLite file, WAL, migrations applied on open."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=30.0)
        self.db = sqlite_utils.Database(conn)
        if self.path != ":memory:":
            self.db.enable_wal()
        self.db.execute("PRAGMA foreign_keys = ON")
        self.db.execute("PRAGMA synchronous = NORMAL")
        self._migrate()

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema --

    def _migrate(self) -> None:
        conn = self.db.conn
        conn.execute(
            "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
        done = {r[0] for r in conn.execute("SELECT name FROM _migrations")}
        for name, sql in _MIGRATIONS:
            if name in done:
                continue
            with self.transaction():
                for stmt in [s for s in sql.split(";") if s.strip()]:
                    conn.execute(stmt)
                conn.execute("INSERT INTO _migrations VALUES (?, ?)", (name, _now()))
        if "articles_fts" not in self.db.table_names():
            with self.transaction():
                self.db.table("articles").enable_fts(["title", "text"], create_triggers=True)

    def migrations(self) -> list[str]:
        """Names of the applied migrations, in order."""
        return [r[0] for r in self.db.execute("SELECT name FROM _migrations ORDER BY name")]

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic unit of work: everything inside commits together or not at all."""
        conn = self.db.conn
        if conn.in_transaction:
            yield
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    # -- articles --

    def _article(self, row: dict[str, Any]) -> Article:
        return Article(
            id=row["id"],
            title=row["title"],
            text=row["text"],
            outlet=row["outlet"],
            author=row["author"],
            published=_dt(row["published"]),
            url=row["url"],
            content_hash=row["content_hash"],
            ingested_at=_dt(row["ingested_at"]),
            story_id=row["story_id"],
            duplicate_of=row["duplicate_of"],
            images=tuple(json.loads(row["images"] or "[]")),
        )

    _ARTICLE_COLS = (
        "id, title, text, outlet, author, published, url, content_hash, ingested_at, story_id, "
        "duplicate_of, images"
    )

    def article(self, article_id: int) -> Article | None:
        """One article by id."""
        rows = list(
            self.db.query(f"SELECT {self._ARTICLE_COLS} FROM articles WHERE id = ?", [article_id])
        )
        return self._article(rows[0]) if rows else None

    def articles(self, ids: Iterable[int]) -> list[Article]:
        """Articles by id, in id order."""
        id_list = sorted(set(ids))
        if not id_list:
            return []
        marks = ",".join("?" * len(id_list))
        rows = self.db.query(
            f"SELECT {self._ARTICLE_COLS} FROM articles WHERE id IN ({marks}) ORDER BY id", id_list
        )
        return [self._article(r) for r in rows]

    def article_count(self) -> int:
        """Number of stored articles (duplicates included)."""
        return int(self.db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def find_by_url(self, url_key: str) -> int | None:
        """Id of the first article with this normalised URL."""
        if not url_key:
            return None
        row = self.db.execute(
            "SELECT id FROM articles WHERE url_key = ? ORDER BY id LIMIT 1", [url_key]
        ).fetchone()
        return int(row[0]) if row else None

    def find_by_hash(self, content_hash: str) -> int | None:
        """Id of the first article with this content hash."""
        row = self.db.execute(
            "SELECT id FROM articles WHERE content_hash = ? ORDER BY id LIMIT 1", [content_hash]
        ).fetchone()
        return int(row[0]) if row else None

    def lsh_candidates(self, bands: Sequence[str], limit: int = 20) -> list[tuple[int, str]]:
        """(id, text) of original articles sharing at least one LSH band."""
        if not bands:
            return []
        marks = ",".join("?" * len(bands))
        rows = self.db.execute(
            f"""SELECT a.id, a.text FROM articles a JOIN (
                    SELECT article_id, count(*) AS n FROM article_lsh WHERE band IN ({marks})
                    GROUP BY article_id ORDER BY n DESC LIMIT ?) c ON c.article_id = a.id
                WHERE a.duplicate_of IS NULL""",
            [*bands, limit],
        ).fetchall()
        return [(int(r[0]), str(r[1])) for r in rows]

    def term_dfs(self, terms: Iterable[str]) -> tuple[dict[str, int], int]:
        """Document frequencies of terms and the number of original articles."""
        term_list = list(set(terms))
        out: dict[str, int] = {}
        for i in range(0, len(term_list), 500):
            chunk = term_list[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for t, df in self.db.execute(
                f"SELECT term, df FROM term_df WHERE term IN ({marks})", chunk
            ):
                out[t] = int(df)
        # Articles are never deleted and duplicates are not stored, so the largest id is the
        # number of articles: O(1), where count(*) would walk an index on every insert.
        n = self.db.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()
        return out, int(n[0])

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
    ) -> int:
        """Insert one article (inside the caller's transaction); returns its id."""
        cur = self.db.execute(
            """INSERT INTO articles (title, outlet, author, published, url, url_key, text,
                   content_hash, ingested_at, story_id, duplicate_of, images, input, terms, entities)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            [
                article.title,
                article.outlet,
                article.author,
                _iso(article.published),
                article.url,
                url_key,
                article.text,
                article.content_hash,
                _now(),
                article.story_id,
                article.duplicate_of,
                json.dumps(list(article.images)),
                input_name,
                json.dumps(terms),
                json.dumps(sorted(entities)),
            ],
        )
        aid = int(cur.lastrowid or 0)
        if article.duplicate_of is None:
            self.db.conn.executemany(
                "INSERT INTO article_lsh (band, article_id) VALUES (?, ?)",
                [(b, aid) for b in bands],
            )
            self.db.conn.executemany(
                "INSERT INTO term_df (term, df) VALUES (?, 1) "
                "ON CONFLICT(term) DO UPDATE SET df = df + 1",
                [(t,) for t in set(term_set)],
            )
        return aid

    def set_article_quotes(self, article_id: int, quotes: Sequence[Quote]) -> None:
        """Cache the quotes extracted from one article."""
        self.db.execute(
            "UPDATE articles SET quotes = ? WHERE id = ?",
            [json.dumps([asdict(q) for q in quotes]), article_id],
        )

    def article_quotes(self, article_id: int) -> list[Quote] | None:
        """Cached quotes of an article, or None when not computed yet."""
        row = self.db.execute("SELECT quotes FROM articles WHERE id = ?", [article_id]).fetchone()
        if not row or row[0] is None:
            return None
        return [Quote(**q) for q in json.loads(row[0])]

    # -- stories --

    def story_candidates(self, terms: Sequence[str], limit: int = 6) -> list[StoryCandidate]:
        """Stories sharing most index terms with the query terms (inverted-index lookup)."""
        if not terms:
            return []
        marks = ",".join("?" * len(terms))
        rows = self.db.execute(
            f"""SELECT s.id, s.centroid, s.entities, s.first_published, s.last_published
                FROM (SELECT story_id, count(*) AS n FROM story_terms WHERE term IN ({marks})
                      GROUP BY story_id ORDER BY n DESC, story_id DESC LIMIT ?) c
                JOIN stories s ON s.id = c.story_id""",
            [*terms, limit],
        ).fetchall()
        return [
            StoryCandidate(
                story_id=int(r[0]),
                centroid=json.loads(r[1]),
                entities=frozenset(json.loads(r[2])),
                first_published=_dt(r[3]),
                last_published=_dt(r[4]),
            )
            for r in rows
        ]

    def create_story(self) -> int:
        """A new empty story; returns its id."""
        cur = self.db.execute("INSERT INTO stories (updated_at) VALUES (?)", [_now()])
        return int(cur.lastrowid or 0)

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
        """Refresh a story's derived fields after an article joined it; drops its cached briefing."""
        stats = self.db.execute(
            """SELECT min(published_utc), max(published_utc), count(*) FROM (
                   SELECT CASE WHEN published IS NULL THEN NULL
                          ELSE strftime('%Y-%m-%dT%H:%M:%S+00:00', published) END AS published_utc
                   FROM articles WHERE story_id = ? AND duplicate_of IS NULL)""",
            [story_id],
        ).fetchone()
        outlets = [
            r[0]
            for r in self.db.execute(
                "SELECT DISTINCT outlet FROM articles WHERE story_id = ? AND duplicate_of IS NULL "
                "AND outlet != '' ORDER BY outlet",
                [story_id],
            )
        ]
        self.db.execute(
            """UPDATE stories SET title = ?, title_article = ?, centroid = ?, entities = ?,
                   first_published = ?, last_published = ?, article_count = ?, outlets = ?,
                   updated_at = ?, briefing = NULL, quotes = NULL WHERE id = ?""",
            [
                title,
                title_article,
                json.dumps(centroid),
                json.dumps(sorted(entities)),
                stats[0],
                stats[1],
                stats[2],
                json.dumps(outlets),
                _now(),
                story_id,
            ],
        )
        self.db.execute("DELETE FROM story_terms WHERE story_id = ?", [story_id])
        self.db.conn.executemany(
            "INSERT OR IGNORE INTO story_terms (term, story_id) VALUES (?, ?)",
            [(t, story_id) for t in index_terms],
        )

    def story_member_vectors(
        self, story_id: int, only: Sequence[int | None] = ()
    ) -> dict[int, tuple[str, dict[str, float]]]:
        """(title, term vector) of each original article of a story (or only of some ids)."""
        sql = "SELECT id, title, terms FROM articles WHERE story_id = ? AND duplicate_of IS NULL"
        ids = [i for i in only if i is not None]
        if ids:
            sql += f" AND id IN ({','.join('?' * len(ids))})"
        rows = self.db.execute(sql, [story_id, *ids])
        return {int(r[0]): (str(r[1]), json.loads(r[2])) for r in rows}

    def story_title_article(self, story_id: int) -> int | None:
        """The article whose headline is the story's title."""
        row = self.db.execute(
            "SELECT title_article FROM stories WHERE id = ?", [story_id]
        ).fetchone()
        return int(row[0]) if row and row[0] is not None else None

    def story_entities(self, story_id: int) -> list[str]:
        """The stored entity list of a story."""
        row = self.db.execute("SELECT entities FROM stories WHERE id = ?", [story_id]).fetchone()
        return list(json.loads(row[0])) if row else []

    def _story(self, row: dict[str, Any], article_ids: tuple[int, ...]) -> Story:
        return Story(
            id=row["id"],
            title=row["title"],
            article_ids=article_ids,
            outlets=tuple(json.loads(row["outlets"])),
            first_published=_dt(row["first_published"]),
            last_published=_dt(row["last_published"]),
            updated_at=_dt(row["updated_at"]),
        )

    def _story_article_ids(self, story_ids: Sequence[int]) -> dict[int, tuple[int, ...]]:
        if not story_ids:
            return {}
        marks = ",".join("?" * len(story_ids))
        out: dict[int, list[int]] = {sid: [] for sid in story_ids}
        for sid, aid in self.db.execute(
            f"SELECT story_id, id FROM articles WHERE story_id IN ({marks}) "
            "AND duplicate_of IS NULL ORDER BY id",
            list(story_ids),
        ):
            out[int(sid)].append(int(aid))
        return {k: tuple(v) for k, v in out.items()}

    _STORY_ORDER = "coalesce(last_published, updated_at) DESC, id DESC"
    # Never the cached briefing/quotes/centroid JSON: lists must not decode every story's cache.
    _STORY_COLS = "id, title, outlets, first_published, last_published, updated_at, article_count"

    def stories(self, limit: int | None = None, offset: int = 0) -> list[Story]:
        """Stories, newest activity first."""
        sql = f"SELECT {self._STORY_COLS} FROM stories WHERE article_count > 0 ORDER BY {self._STORY_ORDER}"
        params: list[Any] = []
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params = [limit, offset]
        rows = list(self.db.query(sql, params))
        ids = self._story_article_ids([r["id"] for r in rows])
        return [self._story(r, ids.get(r["id"], ())) for r in rows]

    def story(self, story_id: int) -> Story | None:
        """One story by id."""
        rows = list(
            self.db.query(f"SELECT {self._STORY_COLS} FROM stories WHERE id = ?", [story_id])
        )
        if not rows or rows[0]["article_count"] == 0:
            return None
        return self._story(rows[0], self._story_article_ids([story_id]).get(story_id, ()))

    def story_count(self) -> int:
        """Number of non-empty stories."""
        return int(
            self.db.execute("SELECT count(*) FROM stories WHERE article_count > 0").fetchone()[0]
        )

    def story_article_count(self, story_id: int) -> int:
        """Number of original articles in a story."""
        row = self.db.execute(
            "SELECT article_count FROM stories WHERE id = ?", [story_id]
        ).fetchone()
        return int(row[0]) if row else 0

    def search_stories(self, query: str, limit: int = 8) -> list[tuple[int, float]]:
        """Stories whose articles match a full-text query, best first: (story_id, score).

        The score sums bm25 (titles weighted 4x) over a story's matching articles, so a story
        many outlets cover beats one stray mention; lower (more negative) is better.
        """
        fts = fts_query(query)
        if not fts:
            return []
        rows = self.db.execute(
            """WITH hits AS MATERIALIZED (
                   SELECT rowid, bm25(articles_fts, 4.0, 1.0) AS score FROM articles_fts
                   WHERE articles_fts MATCH ? ORDER BY score LIMIT 2000)
               SELECT a.story_id, sum(h.score) AS r FROM hits h JOIN articles a ON a.id = h.rowid
               WHERE a.story_id IS NOT NULL
               GROUP BY a.story_id ORDER BY r, a.story_id DESC LIMIT ?""",
            [fts, limit],
        ).fetchall()
        return [(int(r[0]), float(r[1])) for r in rows]

    def dirty_stories(self) -> list[int]:
        """Stories whose cached briefing is missing."""
        return [
            int(r[0])
            for r in self.db.execute(
                "SELECT id FROM stories WHERE article_count > 0 AND briefing IS NULL ORDER BY id"
            )
        ]

    # -- cached views --

    def save_story_views(
        self, story_id: int, briefing: Briefing, quotes: Sequence[StoryQuote], version: str
    ) -> None:
        """Cache a story's briefing and merged quotes (computed for ``version``)."""
        self.db.execute(
            "UPDATE stories SET briefing = ?, quotes = ? WHERE id = ? AND updated_at = ?",
            [
                json.dumps(asdict(briefing)),
                json.dumps([asdict(q) for q in quotes]),
                story_id,
                version,
            ],
        )

    def story_version(self, story_id: int) -> str:
        """A token that changes whenever the story changes (its updated_at)."""
        row = self.db.execute("SELECT updated_at FROM stories WHERE id = ?", [story_id]).fetchone()
        return str(row[0]) if row else ""

    def cached_briefing(self, story_id: int) -> Briefing | None:
        """The cached briefing of a story, or None."""
        row = self.db.execute("SELECT briefing FROM stories WHERE id = ?", [story_id]).fetchone()
        if not row or not row[0]:
            return None
        return briefing_from_dict(json.loads(row[0]))

    def cached_quotes(self, story_id: int) -> list[StoryQuote] | None:
        """The cached merged quotes of a story, or None."""
        row = self.db.execute("SELECT quotes FROM stories WHERE id = ?", [story_id]).fetchone()
        if not row or row[0] is None:
            return None
        return [story_quote_from_dict(d) for d in json.loads(row[0])]

    # -- subscriptions and digests --

    def subscribe(self, chat_id: int, at_time: str, zone: str, stories: int) -> None:
        """Create or change a chat's digest subscription."""
        self.db.execute(
            """INSERT INTO subscriptions (chat_id, at_time, zone, stories, created_at)
               VALUES (?,?,?,?,?) ON CONFLICT(chat_id) DO UPDATE SET
               at_time = excluded.at_time, zone = excluded.zone, stories = excluded.stories""",
            [chat_id, at_time, zone, stories, _now()],
        )
        self.db.conn.commit()

    def unsubscribe(self, chat_id: int) -> bool:
        """Remove a subscription; True if there was one."""
        cur = self.db.execute("DELETE FROM subscriptions WHERE chat_id = ?", [chat_id])
        self.db.conn.commit()
        return cur.rowcount > 0

    def subscription(self, chat_id: int) -> tuple[str, str, int] | None:
        """(HH:MM, zone, stories) of a chat's subscription."""
        row = self.db.execute(
            "SELECT at_time, zone, stories FROM subscriptions WHERE chat_id = ?", [chat_id]
        ).fetchone()
        return (str(row[0]), str(row[1]), int(row[2])) if row else None

    def subscriptions(self) -> list[tuple[int, str, str, int]]:
        """All subscriptions: (chat_id, HH:MM, zone, stories)."""
        return [
            (int(r[0]), str(r[1]), str(r[2]), int(r[3]))
            for r in self.db.execute(
                "SELECT chat_id, at_time, zone, stories FROM subscriptions ORDER BY chat_id"
            )
        ]

    def digest_status(self, chat_id: int, day: str) -> str | None:
        """'sending', 'sent', 'empty' or 'failed' for a chat's digest of a local day."""
        row = self.db.execute(
            "SELECT status FROM digest_log WHERE chat_id = ? AND day = ?", [chat_id, day]
        ).fetchone()
        return str(row[0]) if row else None

    def claim_digest(self, chat_id: int, day: str, story_ids: Sequence[int]) -> bool:
        """Record that a digest is about to be sent; False if this (chat, day) was already claimed.

        A 'failed' attempt (an error Telegram answered) may be claimed again.
        """
        with self.transaction():
            status = self.digest_status(chat_id, day)
            if status is not None and status != "failed":
                return False
            self.db.execute(
                """INSERT INTO digest_log (chat_id, day, status, story_ids, started_at)
                   VALUES (?,?,?,?,?) ON CONFLICT(chat_id, day) DO UPDATE SET
                   status = excluded.status, story_ids = excluded.story_ids,
                   started_at = excluded.started_at, error = ''""",
                [chat_id, day, "sending", json.dumps(list(story_ids)), _now()],
            )
        return True

    def finish_digest(
        self, chat_id: int, day: str, status: str, items: Sequence[tuple[int, int]], error: str = ""
    ) -> None:
        """Mark a claimed digest sent/empty/failed; remember which stories (and coverage) it had."""
        with self.transaction():
            self.db.execute(
                "UPDATE digest_log SET status = ?, finished_at = ?, error = ? "
                "WHERE chat_id = ? AND day = ?",
                [status, _now(), error, chat_id, day],
            )
            if status == "sent":
                self.db.conn.executemany(
                    """INSERT INTO digest_items (chat_id, story_id, article_count, day)
                       VALUES (?,?,?,?) ON CONFLICT(chat_id, story_id) DO UPDATE SET
                       article_count = excluded.article_count, day = excluded.day""",
                    [(chat_id, sid, n, day) for sid, n in items],
                )

    def sent_coverage(self, chat_id: int) -> dict[int, int]:
        """story_id -> article count at the time it was last sent to this chat."""
        return {
            int(r[0]): int(r[1])
            for r in self.db.execute(
                "SELECT story_id, article_count FROM digest_items WHERE chat_id = ?", [chat_id]
            )
        }

    def digest_log(self) -> list[tuple[int, str, str]]:
        """(chat_id, day, status) of every digest attempt."""
        return [
            (int(r[0]), str(r[1]), str(r[2]))
            for r in self.db.execute("SELECT chat_id, day, status FROM digest_log ORDER BY 1, 2")
        ]

    def stories_between(self, start: datetime, end: datetime) -> list[Story]:
        """Stories with activity (publication or update) in [start, end)."""
        s, e = _utc(start), _utc(end)
        rows = list(
            self.db.query(
                f"""SELECT {self._STORY_COLS} FROM stories WHERE article_count > 0 AND (
                       (last_published >= ? AND last_published < ?) OR
                       (last_published IS NULL AND updated_at >= ? AND updated_at < ?))
                    ORDER BY {self._STORY_ORDER}""",
                [s, e, s, e],
            )
        )
        ids = self._story_article_ids([r["id"] for r in rows])
        return [self._story(r, ids.get(r["id"], ())) for r in rows]

    # -- feeds --

    def add_feed(self, url: str) -> bool:
        """Add a feed URL; False if it was there already."""
        cur = self.db.execute(
            "INSERT OR IGNORE INTO feeds (url, added_at) VALUES (?, ?)", [url, _now()]
        )
        self.db.conn.commit()
        return cur.rowcount > 0

    def remove_feed(self, feed_id: int) -> str | None:
        """Remove a feed by its id; returns its URL, or None if there was none."""
        row = self.db.execute("SELECT url FROM feeds WHERE id = ?", [feed_id]).fetchone()
        if not row:
            return None
        self.db.execute("DELETE FROM feeds WHERE id = ?", [feed_id])
        self.db.conn.commit()
        return str(row[0])

    def feeds(self) -> list[dict[str, Any]]:
        """All feeds with their polling state."""
        return list(self.db.query("SELECT * FROM feeds ORDER BY id"))

    def save_feed_state(
        self,
        url: str,
        etag: str,
        last_modified: str,
        failures: int,
        next_poll_at: datetime | None,
        last_error: str,
    ) -> None:
        """Persist a feed's conditional-GET and backoff state."""
        self.db.execute(
            """UPDATE feeds SET etag = ?, last_modified = ?, failures = ?, next_poll_at = ?,
               last_error = ? WHERE url = ?""",
            [etag, last_modified, failures, _utc(next_poll_at), last_error, url],
        )
        self.db.conn.commit()

    def commit(self) -> None:
        """Commit any open implicit transaction."""
        self.db.conn.commit()

    def run_in_transaction(self, fn: Callable[[], Any]) -> Any:
        """Run ``fn`` atomically and return its result."""
        with self.transaction():
            return fn()


# --- serialisation of cached views --------------------------------------------------------------


def _brief_sentence(d: dict[str, Any]) -> BriefSentence:
    return BriefSentence(
        text=d["text"],
        article_ids=tuple(d["article_ids"]),
        outlets=tuple(d["outlets"]),
        score=float(d.get("score", 0.0)),
    )


def briefing_from_dict(d: dict[str, Any]) -> Briefing:
    """Rebuild a Briefing from its cached JSON form."""
    return Briefing(
        story_id=d["story_id"],
        title=d["title"],
        sentences=tuple(_brief_sentence(s) for s in d["sentences"]),
        framings=tuple(Framing(**f) for f in d.get("framings", [])),
        exclusives=tuple(_brief_sentence(s) for s in d.get("exclusives", [])),
    )


def story_quote_from_dict(d: dict[str, Any]) -> StoryQuote:
    """Rebuild a StoryQuote from its cached JSON form."""
    return StoryQuote(
        text=d["text"],
        speaker=d["speaker"],
        role=d.get("role", ""),
        article_ids=tuple(d["article_ids"]),
        outlets=tuple(d["outlets"]),
        context=d.get("context", ""),
        variants=tuple(
            QuoteVariant(
                text=v["text"], article_ids=tuple(v["article_ids"]), outlets=tuple(v["outlets"])
            )
            for v in d.get("variants", [])
        ),
    )


def fts_query(text: str) -> str:
    """A safe FTS5 query from user text: each word quoted, all words required."""
    tokens = [t.replace('"', "") for t in text.split()]
    tokens = [t for t in tokens if any(ch.isalnum() for ch in t)]
    return " ".join(f'"{t}"' for t in tokens[:12])
