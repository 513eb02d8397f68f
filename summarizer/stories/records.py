"""Plain-JSON forms of story states and article evidence, so the store can keep and rebuild them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from summarizer.stories.assign import StoryState, Weighted
from summarizer.stories.signals import Signals


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def article_record(w: Weighted) -> dict[str, Any]:
    """What an article keeps besides its term vector: title-and-lead vector, day, figures, short."""
    sig = w.signals
    return {
        "head": w.head,
        "day": sig.day.isoformat() if sig.day else None,
        "days": [d.isoformat() for d in sig.days_named],
        "figures": sorted(sig.figures),
        "results": sorted(sig.results),
        "short": sig.short,
    }


def weighted_from_record(vec: Mapping[str, float], record: Mapping[str, Any]) -> Weighted:
    """An article's comparable form rebuilt from its stored vector and record (older rows: vec only)."""
    head = dict(record.get("head") or vec)
    sig = Signals(
        counts={},
        head={},
        prior={},
        names=frozenset(),
        figures=frozenset(record.get("figures") or ()),
        results=frozenset(record.get("results") or ()),
        day=_day(record.get("day")),
        days_named=tuple(d for d in (_day(x) for x in record.get("days") or ()) if d),
        short=bool(record.get("short", False)),
    )
    return Weighted(dict(vec), head, sig)


def state_record(state: StoryState) -> dict[str, Any]:
    """The parts of a story state the stories table has no column for."""
    return {
        "heads": list(state.heads),
        "day": state.day.isoformat() if state.day else None,
        "results": sorted(state.results),
        "figures": sorted(state.figures),
    }


def state_from_record(
    story_id: int,
    centroid: Mapping[str, float],
    record: Mapping[str, Any],
    first: datetime | None,
    last: datetime | None,
    size: int,
) -> StoryState:
    """A story state from its stored centroid, window, size and record."""
    heads: Sequence[Mapping[str, float]] = record.get("heads") or ()
    return StoryState(
        story_id=story_id,
        centroid=dict(centroid),
        heads=tuple(dict(h) for h in heads),
        day=_day(record.get("day")),
        results=frozenset(record.get("results") or ()),
        figures=frozenset(record.get("figures") or ()),
        first_published=first,
        last_published=last,
        size=size,
    )
