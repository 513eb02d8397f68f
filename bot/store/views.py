"""Cached story views (briefing and merged quotes), valid only for the story version they were
computed from."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from bot.store.db import Connection, to_json
from summarizer.models import Briefing, BriefSentence, Framing, QuoteVariant, StoryQuote


class CachedViews:
    """The ``briefing`` and ``quotes`` columns of stories, guarded by ``version``."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def story_version(self, story_id: int) -> int:
        """A counter that changes whenever the story changes (0 for an unknown story)."""
        found = self.conn.scalar("SELECT version FROM stories WHERE id = ?", [story_id])
        return int(found) if found is not None else 0

    def save_story_views(
        self, story_id: int, briefing: Briefing, quotes: Sequence[StoryQuote], version: int
    ) -> bool:
        """Cache a story's views computed for ``version``; False (nothing saved) if it changed."""
        cur = self.conn.execute(
            "UPDATE stories SET briefing = ?, quotes = ? WHERE id = ? AND version = ?",
            [
                to_json(briefing),
                to_json(list(quotes)),
                story_id,
                version,
            ],
        )
        return cur.rowcount > 0

    def cached_briefing(self, story_id: int) -> Briefing | None:
        """The cached briefing of a story, or None."""
        raw = self.conn.scalar("SELECT briefing FROM stories WHERE id = ?", [story_id])
        return briefing_from_dict(json.loads(raw)) if raw else None

    def cached_quotes(self, story_id: int) -> list[StoryQuote] | None:
        """The cached merged quotes of a story, or None."""
        raw = self.conn.scalar("SELECT quotes FROM stories WHERE id = ?", [story_id])
        if raw is None:
            return None
        return [story_quote_from_dict(d) for d in json.loads(raw)]


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
