"""Story assignment state: candidate stories as ``plan.StoryBefore``, article evidence, mending.

The ``stories.state`` column keeps what a story's decision needs beyond its centroid (its latest
members' title-and-lead vectors, its day, figures and results); ``articles.evidence`` keeps an
article's own, so a merged or split story can be rebuilt from its members.
"""

from __future__ import annotations

import json
import math
import sys
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.store.db import Connection, marks, parse_dt
from bot.store.index import hour_of

if TYPE_CHECKING:  # the clusterer (numpy, sumy) is imported only when a story is assigned
    from summarizer.stories.plan import StoryBefore

#: Decoded candidate stories kept per connection (a miss costs a JSON decode, ~0.4 ms). One
#: costs 24-40 KB (250 centroid and 320 head weights; decoded terms are shared), 2,000 <= 80 MB.
CACHED_STORIES = 2000


def _interned(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A decoded JSON object whose keys (terms) are shared with the other kept stories."""
    return {sys.intern(k): v for k, v in pairs}


class StoryCache:
    """Decoded candidate stories by id, each valid for one ``version`` of its row.

    Rows read or written inside a transaction are kept aside until it commits (a rollback
    forgets them), so the cache only ever holds committed states; committed rows are kept
    least-recently-used first out.
    """

    def __init__(self, conn: Connection, size: int = CACHED_STORIES) -> None:
        self.conn = conn
        self.size = size
        self.rows: OrderedDict[int, tuple[int, StoryBefore]] = OrderedDict()
        self.pending: dict[int, tuple[int, StoryBefore]] = {}
        self.hits = self.misses = 0

    def get(self, story_id: int, version: int) -> StoryBefore | None:
        """The kept row if it is still at ``version``."""
        kept = self.pending.get(story_id) or self.rows.get(story_id)
        if kept is None or kept[0] != version:
            self.misses += 1
            return None
        self.hits += 1
        return kept[1]

    def put(self, row: StoryBefore, version: int) -> None:
        """Keep a row read (or written) at ``version``, once its transaction has committed."""
        if not self.conn.db.conn.in_transaction:
            self._keep(row.state.story_id, (version, row))
            return
        if not self.conn.in_own_transaction():
            return  # a transaction begun elsewhere: its end is not seen, so nothing is kept
        if not self.pending:
            self.conn.on_end(self._ended)
        self.pending[row.state.story_id] = (version, row)

    def _ended(self, committed: bool) -> None:
        pending, self.pending = self.pending, {}
        if committed:
            for sid, kept in pending.items():
                self._keep(sid, kept)

    def _keep(self, story_id: int, kept: tuple[int, StoryBefore]) -> None:
        self.rows[story_id] = kept
        self.rows.move_to_end(story_id)
        while len(self.rows) > self.size:
            self.rows.popitem(last=False)

    def clear(self) -> None:
        """Forget every story."""
        self.rows.clear()
        self.pending.clear()


class Assignment:
    """Columns ``stories.state`` and ``articles.evidence``/``short``; moving articles between stories."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.cache = StoryCache(conn)

    def story_candidates(
        self,
        terms: Sequence[str],
        limit: int = 8,
        *,
        around: datetime | None = None,
        reach: float = math.inf,
        min_shared: int = 1,
    ) -> list[StoryBefore]:
        """Stories sharing most index terms with the query terms, as decision states.

        With a time ``around`` and a finite ``reach`` (hours, ``assign.reach_hours``), only
        stories whose coverage window widened by ``reach`` holds that time are looked at: a
        range scan of ``story_terms_recent`` over stories an article of that time could still
        join, however many older ones share its terms. Only stories indexed under at least
        ``min_shared`` of the terms are returned (``assign.min_shared_terms``). Decoded states
        are kept per connection (``StoryCache``) and reused while a story's ``version`` is
        unchanged: every change of a story bumps it, in any process.
        """
        if not terms:
            return []
        where, bounds = "", []
        if around is not None and reach < math.inf:
            at = hour_of(around)
            span = math.ceil(reach)  # whole hours, widened: a story in reach is never left out
            where, bounds = "AND last_hour >= ? AND first_hour <= ?", [at - span, at + span]
        # The kept windows are whole buckets (``index.BUCKET_HOURS``): a few stories found may
        # lie up to a bucket beyond reach. Twice as many rows are read and those dropped below.
        found = self.conn.all(
            f"""SELECT s.id, s.version
                FROM (SELECT story_id, count(*) AS n FROM story_terms
                      WHERE term IN ({marks(terms)}) {where}
                      GROUP BY story_id HAVING n >= ? ORDER BY n DESC, story_id DESC LIMIT ?) c
                JOIN stories s ON s.id = c.story_id WHERE s.article_count > 0""",
            [*terms, *bounds, min_shared, 2 * limit if bounds else limit],
        )
        out: dict[int, StoryBefore] = {}
        for sid, version in found:
            hit = self.cache.get(int(sid), int(version))
            if hit is not None:
                out[int(sid)] = hit
        missing = [int(sid) for sid, _ in found if int(sid) not in out]
        if missing:
            for version, row in self._load(missing):
                out[row.state.story_id] = row
                self.cache.put(row, version)
        rows = [out[int(sid)] for sid, _ in found]
        if bounds:
            from summarizer.stories.assign import within_reach  # heavy: see TYPE_CHECKING above

            rows = [r for r in rows if within_reach(around, r.state, reach)]
        return rows[:limit]

    def _load(self, ids: Sequence[int]) -> list[tuple[int, StoryBefore]]:
        from summarizer.stories.plan import StoryBefore
        from summarizer.stories.records import state_from_record

        rows = self.conn.all(
            f"""SELECT id, centroid, state, first_published, last_published, article_count,
                       version, title_article, outlets, entities
                FROM stories WHERE id IN ({marks(ids)})""",
            list(ids),
        )
        return [
            (
                int(r[6]),
                StoryBefore(
                    state=state_from_record(
                        int(r[0]),
                        json.loads(r[1], object_pairs_hook=_interned),
                        json.loads(r[2] or "{}", object_pairs_hook=_interned),
                        parse_dt(r[3]),
                        parse_dt(r[4]),
                        int(r[5]),
                    ),
                    title_article=int(r[7]) if r[7] is not None else None,
                    outlets=tuple(json.loads(r[8] or "[]")),
                    entities=tuple(json.loads(r[9] or "[]")),
                    first=r[3],
                    last=r[4],
                ),
            )
            for r in rows
        ]

    def set_story_state(self, story_id: int, record: Mapping[str, Any]) -> None:
        """Keep a story's decision state (heads, day, figures, results)."""
        self.conn.execute(
            "UPDATE stories SET state = ? WHERE id = ?", [json.dumps(record), story_id]
        )

    def set_article_evidence(self, article_id: int, record: Mapping[str, Any], short: bool) -> None:
        """Keep an article's evidence (title-and-lead vector, day, figures) and its short flag."""
        self.conn.execute(
            "UPDATE articles SET evidence = ?, short = ? WHERE id = ?",
            [json.dumps(record), int(short), article_id],
        )

    def story_members(
        self, story_id: int
    ) -> list[tuple[int, str, dict[str, float], dict[str, Any], datetime | None, list[str]]]:
        """(id, title, term vector, evidence, published, entities) of a story's articles, by id."""
        rows = self.conn.all(
            "SELECT id, title, terms, evidence, published, entities FROM articles "
            "WHERE story_id = ? AND duplicate_of IS NULL ORDER BY id",
            [story_id],
        )
        return [
            (
                int(r[0]),
                str(r[1]),
                json.loads(r[2] or "{}"),
                json.loads(r[3] or "{}"),
                parse_dt(r[4]),
                list(json.loads(r[5] or "[]")),
            )
            for r in rows
        ]

    def move_articles(self, article_ids: Sequence[int], story_id: int) -> None:
        """Put articles (and their recorded duplicates) into another story."""
        if not article_ids:
            return
        ids = list(article_ids)
        self.conn.execute(
            f"UPDATE articles SET story_id = ? WHERE id IN ({marks(ids)}) "
            f"OR duplicate_of IN ({marks(ids)})",
            [story_id, *ids, *ids],
        )

    def clear_story(self, story_id: int) -> None:
        """An emptied story (merged away): no articles, no index terms, no cached views."""
        with self.conn.atomic():
            self.conn.execute("DELETE FROM story_terms WHERE story_id = ?", [story_id])
            self.conn.execute(
                "UPDATE stories SET article_count = 0, outlets = '[]', state = '{}', "
                "briefing = NULL, quotes = NULL, version = version + 1 WHERE id = ?",
                [story_id],
            )
