"""Recompute the views of changed stories on every core: load and save here, compute in workers.

``compute_views`` is pure and CPU-bound, so after a big ingest the stories' briefings and quotes
are computed by a pool of worker processes (one per core) while this process reads the next
stories' inputs and saves finished views in order of completion. A handful of stories, or a
machine with one core, is done in this process: starting workers costs more than it saves.
The standard library's ``ProcessPoolExecutor`` does the pooling; a worker that dies takes the
pool down with it (``BrokenProcessPool``), and the stories not yet saved are then computed here,
so a refresh never ends half done.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from bot.chat.views import StoryInputs, StoryViews, compute_views, load_inputs, save_views
from bot.store import Store

log = logging.getLogger(__name__)

#: Fewer dirty stories than this are refreshed in this process (a pool takes ~1 s to start).
MIN_PARALLEL_STORIES = 24
#: Stories handed to the pool ahead of the one being saved, per worker (bounds memory).
AHEAD_PER_WORKER = 4


def cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def refresh_dirty_parallel(
    store: Store,
    words: int = 120,
    workers: int | None = None,
    on_saved: Callable[[StoryViews], None] | None = None,
    min_parallel: int = MIN_PARALLEL_STORIES,
) -> int:
    """Refresh every story whose cached views are missing, on all cores; how many were refreshed."""
    dirty = store.dirty_stories()
    n_workers = min(workers or cores(), len(dirty))
    done = 0
    if n_workers < 2 or len(dirty) < min_parallel:
        for sid in dirty:
            done += _refresh_here(store, sid, words, on_saved)
        return done
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["bot.chat.views"])  # workers start with the summarizer imported
    queue: deque[tuple[int, Future[StoryViews]]] = deque()
    todo = deque(dirty)
    try:
        with ProcessPoolExecutor(max_workers=n_workers, mp_context=ctx) as pool:
            while todo or queue:
                while todo and len(queue) < n_workers * AHEAD_PER_WORKER:
                    sid = todo.popleft()
                    inputs = load_inputs(store, sid)
                    if inputs is not None:
                        queue.append((sid, pool.submit(_compute, inputs, words)))
                if queue:
                    sid, future = queue[0]
                    views = future.result()
                    queue.popleft()
                    save_views(store, views)
                    done += 1
                    if on_saved is not None:
                        on_saved(views)
    except BrokenProcessPool:
        log.warning("a views worker died; computing the remaining stories here")
        for sid in [s for s, _ in queue] + list(todo):
            done += _refresh_here(store, sid, words, on_saved)
    return done


def _compute(inputs: StoryInputs, words: int) -> StoryViews:
    """The worker's task (a module-level function, so it pickles by name)."""
    return compute_views(inputs, words)


def _refresh_here(
    store: Store, story_id: int, words: int, on_saved: Callable[[StoryViews], None] | None
) -> int:
    """One story's views computed and saved in this process (1, or 0 when it is gone)."""
    inputs = load_inputs(store, story_id)
    if inputs is None:
        return 0
    views = compute_views(inputs, words)
    save_views(store, views)
    if on_saved is not None:
        on_saved(views)
    return 1
