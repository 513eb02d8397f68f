"""Story assignment state: candidate stories as ``assign.StoryState``, article evidence, mending.

The ``stories.state`` column keeps what a story's decision needs beyond its centroid (its latest
members' title-and-lead vectors, its day, figures and results); ``articles.evidence`` keeps an
article's own, so a merged or split story can be rebuilt from its members.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.store.db import Connection, marks, parse_dt

if TYPE_CHECKING:  # the clusterer (numpy, sumy) is imported only when a story is assigned
    from summarizer.stories.assign import StoryState


class Assignment:
    """Columns ``stories.state`` and ``articles.evidence``/``short``; moving articles between stories."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def story_states(self, terms: Sequence[str], limit: int = 8) -> list[StoryState]:
        """Stories sharing most index terms with the query terms, as decision states."""
        from summarizer.stories.records import state_from_record

        if not terms:
            return []
        rows = self.conn.all(
            f"""SELECT s.id, s.centroid, s.state, s.first_published, s.last_published,
                       s.article_count
                FROM (SELECT story_id, count(*) AS n FROM story_terms WHERE term IN ({marks(terms)})
                      GROUP BY story_id ORDER BY n DESC, story_id DESC LIMIT ?) c
                JOIN stories s ON s.id = c.story_id WHERE s.article_count > 0""",
            [*terms, limit],
        )
        return [
            state_from_record(
                int(r[0]),
                json.loads(r[1]),
                json.loads(r[2] or "{}"),
                parse_dt(r[3]),
                parse_dt(r[4]),
                int(r[5]),
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
                "briefing = NULL, quotes = NULL WHERE id = ?",
                [story_id],
            )
