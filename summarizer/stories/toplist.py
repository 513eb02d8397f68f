"""Which stories matter most right now: coverage (outlets) weighted by recency."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from summarizer.models import Story

HALF_LIFE_HOURS = 24.0


def story_score(story: Story, now: datetime) -> float:
    """More outlets and more recent activity score higher; a day-old story counts about half."""
    last = story.last_published or story.updated_at
    recency = 1.0
    if last is not None:
        if last.tzinfo is None:
            last = last.replace(tzinfo=UTC)
        hours = max(0.0, (now - last).total_seconds() / 3600.0)
        recency = 0.5 ** (hours / HALF_LIFE_HOURS)
    coverage = max(1, len(story.outlets)) + 0.25 * len(story.article_ids)
    return coverage * (0.2 + 0.8 * recency)


def rank_stories(stories: Sequence[Story], now: datetime) -> list[Story]:
    """Stories best first (ties: newer id first)."""
    return sorted(stories, key=lambda s: (-story_score(s, now), -s.id))
