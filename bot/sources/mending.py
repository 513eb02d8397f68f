"""Admins mend grouping: ``/merge``, ``/split`` and ``briefbot merge|split``."""

from __future__ import annotations

from bot.store import Store
from bot.store.follows import Follows
from summarizer.stories import assign, cluster, records


def merge_stories(store: Store, keep: int, other: int) -> None:
    """Move every article of story ``other`` into ``keep``; ``keep`` is rebuilt, ``other`` emptied."""
    if keep == other:
        raise ValueError("a story cannot be merged into itself")
    stories = [store.story(keep), store.story(other)]
    for sid, story in zip((keep, other), stories, strict=True):
        if story is None:
            raise LookupError(f"there is no story #{sid}")
    moving = stories[1].article_ids if stories[1] else ()
    with store.atomic():
        store.move_articles(moving, keep)
        store.clear_story(other)
        rebuild_story(store, keep)
        Follows(store.conn).move_story(other, keep)  # its followers now follow the merged story


def split_article(store: Store, story_id: int, article_id: int) -> int:
    """Move one article out of a story into a new story of its own; returns the new story's id."""
    story = store.story(story_id)
    if story is None:
        raise LookupError(f"there is no story #{story_id}")
    if article_id not in story.article_ids:
        raise LookupError(f"article {article_id} is not in story #{story_id}")
    if len(story.article_ids) == 1:
        raise ValueError(f"article {article_id} is the only article of story #{story_id}")
    with store.atomic():
        new_id = store.create_story()
        store.move_articles([article_id], new_id)
        rebuild_story(store, story_id)
        rebuild_story(store, new_id)
    return new_id


def rebuild_story(store: Store, story_id: int) -> None:
    """Recompute a story's state, title and derived fields from its members (drops its views)."""
    members = store.story_members(story_id)
    state = assign.rebuild(
        story_id, [(records.weighted_from_record(vec, ev), when) for _, _, vec, ev, when, _ in members]
    )
    vectors = {aid: vec for aid, _, vec, _, _, _ in members}
    rep = cluster.representative(vectors, state.centroid)
    store.update_story(
        story_id,
        title=next(title for aid, title, *_ in members if aid == rep),
        title_article=rep,
        centroid=dict(state.centroid),
        entities=sorted({e for *_, ents in members for e in ents})[:200],
        index_terms=assign.index_terms(state),
    )
    store.set_story_state(story_id, records.state_record(state))
