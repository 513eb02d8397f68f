"""Decide-then-apply for one new article: pure decisions between the store's reads and its write.

Ingest reads what a new article needs (duplicate candidates, document frequencies, candidate
stories with their states, the chosen story's members), and these functions decide: whether it
duplicates a stored article (``summarizer.stories.duplicates``), which story it joins and what
that story becomes (``join``), and which member's headline names the story (``headline``). The
store then writes everything in one atomic unit. ``online.OnlineIndex`` runs the same steps in
memory.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from summarizer.stories import assign, cluster
from summarizer.stories.params import Params
from summarizer.stories.signals import Signals

#: A story of fewer original articles than this picks its headline among all members; a bigger
#: one only between its current headline article and the newcomer, so the cost stays flat.
EXACT_TITLE_MEMBERS = 24
#: Entities a story keeps (sorted, the first ones).
STORY_ENTITIES = 200


@dataclass(frozen=True)
class Weighing:
    """An article's weighted vectors and the terms under which its candidate stories are found."""

    weighted: assign.Weighted
    query: tuple[str, ...]


@dataclass(frozen=True)
class StoryBefore:
    """A candidate story as stored: its decision state and the columns a joining article updates."""

    state: assign.StoryState
    title_article: int | None = None
    outlets: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    first: str | None = None  # earliest member publication, UTC text as stored
    last: str | None = None


@dataclass(frozen=True)
class Joining:
    """The outcome of ``join``: the decision and the story after the article joined it.

    ``story_id`` is 0 when the article opens a new story; ``index_terms`` are the story's new
    lookup terms; ``first``/``last``/``outlets``/``entities`` are its new stored columns.
    """

    decision: assign.Decision
    before: StoryBefore | None  # None: a new story
    state: assign.StoryState
    index_terms: tuple[str, ...]
    outlets: tuple[str, ...]
    entities: tuple[str, ...]
    first: str | None
    last: str | None

    @property
    def story_id(self) -> int:
        """The joined story's id (0 = a new story)."""
        return self.state.story_id


def weigh(sig: Signals, dfs: Mapping[str, int], n_docs: int, params: Params) -> Weighing:
    """Weighted vectors of a new article and its candidate-lookup terms."""
    w = assign.weigh(sig, dfs, n_docs, params)
    return Weighing(w, tuple(assign.query_terms(w, dfs, n_docs)))


def join(
    weighing: Weighing,
    published: datetime | None,
    published_utc: str | None,
    outlet: str,
    candidates: Sequence[StoryBefore],
    params: Params,
) -> Joining:
    """Which story the article joins (``assign.decide``) and that story's state and columns after.

    ``published_utc`` is the article's publication time as the store compares it (UTC text);
    the story's window, outlets and entities are updated incrementally from the stored ones.
    """
    w = weighing.weighted
    decision = assign.decide(w, published, [c.state for c in candidates], params)
    before = next((c for c in candidates if c.state.story_id == decision.story_id), None)
    base = before.state if before is not None else assign.StoryState(0, {})
    state = assign.absorb(base, w, published)
    first, last = (before.first, before.last) if before is not None else (None, None)
    if published_utc is not None:
        first = published_utc if first is None or published_utc < first else first
        last = published_utc if last is None or published_utc > last else last
    old_outlets = set(before.outlets) if before is not None else set()
    outlets = tuple(sorted(old_outlets | ({outlet} if outlet else set())))
    old_entities = set(before.entities) if before is not None else set()
    entities = tuple(sorted(old_entities | set(w.signals.names))[:STORY_ENTITIES])
    return Joining(
        decision=decision,
        before=before,
        state=state,
        index_terms=tuple(assign.index_terms(state)),
        outlets=outlets,
        entities=entities,
        first=first,
        last=last,
    )


def needs_all_members(joining: Joining) -> bool:
    """Whether the headline is chosen among every member (small story) or two (big story)."""
    return joining.before is None or joining.before.state.size < EXACT_TITLE_MEMBERS


def headline(
    members: Mapping[int, tuple[str, Mapping[str, float]]],
    article_id: int,
    title: str,
    vec: Mapping[str, float],
    centroid: Mapping[str, float],
) -> tuple[int, str]:
    """(article id, headline) of the member closest to the story's new centroid.

    ``members`` are the stored members the choice is among (every member of a small story, the
    current headline article of a big one); the new article competes with them.
    """
    vectors = {aid: vec for aid, (_, vec) in members.items()}
    vectors[article_id] = vec
    rep = cluster.representative(vectors, centroid)
    return rep, (title if rep == article_id else members[rep][0])


def settled(
    joining: Joining, story_id: int, first: datetime | None, last: datetime | None
) -> assign.StoryState:
    """The joined story's state as the store will read it back (its id, stored window)."""
    return replace(joining.state, story_id=story_id, first_published=first, last_published=last)
