"""Stories: creation, the derived fields refreshed when an article joins, and story lists."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.store.db import Connection, iso, marks, now, parse_dt, utc
from summarizer.models import Story

# Lists read only the columns they show, never the cached briefing/quotes/centroid JSON.
STORY_COLUMNS = (
    "id, title, outlets, first_published, last_published, updated_at, article_count, version"
)
# The "latest activity" of a story; the stories_recent index is on exactly this expression.
RECENT = "coalesce(last_published, updated_at)"
STORY_ORDER = f"{RECENT} DESC, id DESC"
# A stored publication time as UTC text to the second: the form of a story's window.
UTC_TEXT = "strftime('%Y-%m-%dT%H:%M:%S+00:00', ?)"


@dataclass(frozen=True)
class StoryWrite:
    """A story's new stored columns after an article joined it (``story_id`` 0: a new story)."""

    story_id: int
    title: str
    title_article: int
    centroid: Mapping[str, float]
    entities: Sequence[str]
    first: str | None
    last: str | None
    article_count: int
    outlets: Sequence[str]
    state: Mapping[str, Any]


class Stories:
    """The stories table (cached views live in ``views``)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def create_story(self) -> int:
        """A new empty story; returns its id."""
        cur = self.conn.execute("INSERT INTO stories (updated_at) VALUES (?)", [now()])
        return int(cur.lastrowid or 0)

    def update_story(
        self,
        story_id: int,
        *,
        title: str,
        centroid: dict[str, float],
        entities: Iterable[str],
        title_article: int | None = None,
    ) -> None:
        """Refresh a story's derived fields after an article joined it; drops its cached views
        and bumps its version."""
        with self.conn.atomic():
            stats = self.conn.one(
                """SELECT min(published_utc), max(published_utc), count(*) FROM (
                       SELECT CASE WHEN published IS NULL THEN NULL
                              ELSE strftime('%Y-%m-%dT%H:%M:%S+00:00', published) END
                              AS published_utc
                       FROM articles WHERE story_id = ? AND duplicate_of IS NULL)""",
                [story_id],
            )
            assert stats is not None  # an aggregate always returns one row
            outlets = [
                str(r[0])
                for r in self.conn.all(
                    "SELECT DISTINCT outlet FROM articles WHERE story_id = ? "
                    "AND duplicate_of IS NULL AND outlet != '' ORDER BY outlet",
                    [story_id],
                )
            ]
            self.conn.execute(
                """UPDATE stories SET title = ?, title_article = ?, centroid = ?, entities = ?,
                       first_published = ?, last_published = ?, article_count = ?, outlets = ?,
                       updated_at = ?, version = version + 1, briefing = NULL, quotes = NULL
                   WHERE id = ?""",
                [
                    title,
                    title_article,
                    json.dumps(centroid),
                    json.dumps(sorted(entities)),
                    stats[0],
                    stats[1],
                    stats[2],
                    json.dumps(outlets),
                    now(),
                    story_id,
                ],
            )

    def write_joined(self, w: StoryWrite) -> tuple[int, int]:
        """Store a story's columns after an article joined it, in one row write (no aggregate
        over its members: the caller updated them from the stored ones); drops its cached views
        and bumps its version. Returns (story id, new version)."""
        values = [
            w.title,
            w.title_article,
            json.dumps(dict(w.centroid)),
            json.dumps(sorted(w.entities)),
            w.first,
            w.last,
            w.article_count,
            json.dumps(list(w.outlets)),
            now(),
            json.dumps(dict(w.state)),
        ]
        if w.story_id == 0:
            cur = self.conn.execute(
                """INSERT INTO stories (title, title_article, centroid, entities, first_published,
                       last_published, article_count, outlets, updated_at, state, version)
                   VALUES (?,?,?,?,?,?,?,?,?,?,1)""",
                values,
            )
            return int(cur.lastrowid or 0), 1
        rows = self.conn.all(  # read to the end, so the statement is finished
            """UPDATE stories SET title = ?, title_article = ?, centroid = ?, entities = ?,
                   first_published = ?, last_published = ?, article_count = ?, outlets = ?,
                   updated_at = ?, state = ?, version = version + 1, briefing = NULL,
                   quotes = NULL
               WHERE id = ? RETURNING version""",
            [*values, w.story_id],
        )
        if not rows:
            raise LookupError(f"there is no story #{w.story_id}")
        return w.story_id, int(rows[0][0])

    def stored_utc(self, published: datetime | None) -> str | None:
        """A publication time as a story's window stores it (the same SQL as ``update_story``)."""
        if published is None:
            return None
        found = self.conn.scalar(f"SELECT {UTC_TEXT}", [iso(published)])
        return str(found) if found is not None else None

    def _story_article_ids(self, story_ids: Sequence[int]) -> dict[int, tuple[int, ...]]:
        if not story_ids:
            return {}
        out: dict[int, list[int]] = {sid: [] for sid in story_ids}
        for sid, aid in self.conn.all(
            f"SELECT story_id, id FROM articles WHERE story_id IN ({marks(story_ids)}) "
            "AND duplicate_of IS NULL ORDER BY id",
            list(story_ids),
        ):
            out[int(sid)].append(int(aid))
        return {k: tuple(v) for k, v in out.items()}

    def _stories(self, rows: list[tuple[Any, ...]]) -> list[Story]:
        ids = self._story_article_ids([int(r[0]) for r in rows])  # callers hold a snapshot
        return [
            Story(
                id=int(r[0]),
                title=str(r[1]),
                article_ids=ids.get(int(r[0]), ()),
                outlets=tuple(json.loads(r[2])),
                first_published=parse_dt(r[3]),
                last_published=parse_dt(r[4]),
                updated_at=parse_dt(r[5]),
                version=int(r[7]),
            )
            for r in rows
        ]

    def stories(self, limit: int | None = None, offset: int = 0) -> list[Story]:
        """Non-empty stories, latest activity first."""
        sql = f"SELECT {STORY_COLUMNS} FROM stories WHERE article_count > 0 ORDER BY {STORY_ORDER}"
        params: list[Any] = []
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params = [limit, offset]
        with self.conn.snapshot():
            return self._stories(self.conn.all(sql, params))

    def story(self, story_id: int) -> Story | None:
        """One non-empty story by id."""
        with self.conn.snapshot():
            row = self.conn.one(
                f"SELECT {STORY_COLUMNS} FROM stories WHERE id = ? AND article_count > 0",
                [story_id],
            )
            return self._stories([row])[0] if row else None

    def stories_between(self, start: datetime, end: datetime) -> list[Story]:
        """Stories whose latest activity (publication, else update) is in [start, end)."""
        with self.conn.snapshot():
            rows = self.conn.all(
                f"""SELECT {STORY_COLUMNS} FROM stories
                    WHERE article_count > 0 AND {RECENT} >= ? AND {RECENT} < ?
                    ORDER BY {STORY_ORDER}""",
                [utc(start), utc(end)],
            )
            return self._stories(rows)

    def story_count(self) -> int:
        """Number of non-empty stories."""
        return int(self.conn.scalar("SELECT count(*) FROM stories WHERE article_count > 0"))

    def story_article_count(self, story_id: int) -> int:
        """Number of original articles in a story."""
        found = self.conn.scalar("SELECT article_count FROM stories WHERE id = ?", [story_id])
        return int(found) if found is not None else 0

    def dirty_stories(self) -> list[int]:
        """Non-empty stories whose cached views are missing, oldest first."""
        return [
            int(r[0])
            for r in self.conn.all(
                "SELECT id FROM stories WHERE article_count > 0 AND briefing IS NULL ORDER BY id"
            )
        ]
