"""Views of changed stories computed by a pool of worker processes equal those computed here."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import pytest
from corpus import SAMPLES

from bot.chat.refresh import ViewPool, refresh_async, refresh_dirty_parallel
from bot.chat.views import StoryViews, compute_views, load_inputs
from bot.sources.ingest import ingest_paths
from bot.store import Store


def _ingested(path: Path) -> Store:
    store = Store(path)
    report = ingest_paths(store, [str(SAMPLES)])
    assert not report.errors and report.ingested
    return store


def _views_equal_here(store: Store, story_ids: list[int]) -> None:
    """The cached views of these stories are those computed in this process now."""
    for sid in story_ids:
        inputs = load_inputs(store, sid)
        assert inputs is not None
        here = compute_views(inputs)
        cached = store.cached_briefing(sid)
        assert cached is not None
        assert [s.text for s in cached.sentences] == [s.text for s in here.briefing.sentences]
        assert [s.outlets for s in cached.sentences] == [s.outlets for s in here.briefing.sentences]
        quotes = store.cached_quotes(sid)
        assert quotes is not None and [q.text for q in quotes] == [q.text for q in here.quotes]


def test_pool_refresh_saves_every_dirty_story_as_computed_here(tmp_path: Path) -> None:
    with _ingested(tmp_path / "pool.db") as store:
        dirty = store.dirty_stories()
        assert len(dirty) >= 3
        saved: list[StoryViews] = []
        n = refresh_dirty_parallel(store, workers=2, on_saved=saved.append, min_parallel=2)
        assert n == len(dirty) and sorted(v.story_id for v in saved) == sorted(dirty)
        assert store.dirty_stories() == []
        _views_equal_here(store, dirty)


def test_few_stories_are_refreshed_in_this_process(tmp_path: Path) -> None:
    with _ingested(tmp_path / "here.db") as store:
        dirty = store.dirty_stories()
        assert refresh_dirty_parallel(store, workers=2) == len(dirty)  # below MIN_PARALLEL_STORIES
        assert store.dirty_stories() == []
        assert refresh_dirty_parallel(store, workers=2, min_parallel=1) == 0  # nothing left


def test_bot_pool_refreshes_a_poll_round_and_stays_up_for_the_next(tmp_path: Path) -> None:
    with _ingested(tmp_path / "bot.db") as store:
        dirty = store.dirty_stories()
        pool = ViewPool(2)
        try:
            assert asyncio.run(refresh_async(store, dirty[:1], 120, pool, min_parallel=2)) == 1
            assert not pool.running  # one story: computed on a thread
            assert asyncio.run(refresh_async(store, dirty[1:], 120, pool, min_parallel=2)) == len(dirty) - 1
            assert pool.running and store.dirty_stories() == []
            _views_equal_here(store, dirty)
        finally:
            pool.close()
        assert not pool.running


def test_bot_pool_whose_worker_dies_finishes_the_round(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with _ingested(tmp_path / "dead.db") as store:
        dirty = store.dirty_stories()
        pool = ViewPool(2)
        try:
            future, generation = pool.submit(load_inputs(store, dirty[0]), 120)  # type: ignore[arg-type]
            future.result(timeout=120)
            executor = pool._pool
            assert executor is not None
            for process in list(executor._processes.values()):  # the stdlib pool's own workers
                assert process.pid is not None
                os.kill(process.pid, signal.SIGKILL)
            assert asyncio.run(refresh_async(store, dirty, 120, pool, min_parallel=2)) == len(dirty)
            assert store.dirty_stories() == []
            _views_equal_here(store, dirty)
            # Tasks sent after the death went to a new pool; those sent before were done here.
            assert pool.generation > generation or "views worker died" in caplog.text
        finally:
            pool.close()
