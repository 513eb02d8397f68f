"""Views of changed stories computed by a pool of worker processes equal those computed here."""

from __future__ import annotations

from pathlib import Path

from corpus import SAMPLES

from bot.chat.refresh import refresh_dirty_parallel
from bot.chat.views import StoryViews, compute_views, load_inputs
from bot.sources.ingest import ingest_paths
from bot.store import Store


def _ingested(path: Path) -> Store:
    store = Store(path)
    report = ingest_paths(store, [str(SAMPLES)])
    assert not report.errors and report.ingested
    return store


def test_pool_refresh_saves_every_dirty_story_as_computed_here(tmp_path: Path) -> None:
    with _ingested(tmp_path / "pool.db") as store:
        dirty = store.dirty_stories()
        assert len(dirty) >= 3
        saved: list[StoryViews] = []
        n = refresh_dirty_parallel(store, workers=2, on_saved=saved.append, min_parallel=2)
        assert n == len(dirty) and sorted(v.story_id for v in saved) == sorted(dirty)
        assert store.dirty_stories() == []
        for sid in dirty:
            inputs = load_inputs(store, sid)
            assert inputs is not None
            here = compute_views(inputs)
            cached = store.cached_briefing(sid)
            assert cached is not None
            assert [s.text for s in cached.sentences] == [s.text for s in here.briefing.sentences]
            assert [s.outlets for s in cached.sentences] == [s.outlets for s in here.briefing.sentences]
            quotes = store.cached_quotes(sid)
            assert quotes is not None and [q.text for q in quotes] == [q.text for q in here.quotes]


def test_few_stories_are_refreshed_in_this_process(tmp_path: Path) -> None:
    with _ingested(tmp_path / "here.db") as store:
        dirty = store.dirty_stories()
        assert refresh_dirty_parallel(store, workers=2) == len(dirty)  # below MIN_PARALLEL_STORIES
        assert store.dirty_stories() == []
        assert refresh_dirty_parallel(store, workers=2, min_parallel=1) == 0  # nothing left
