"""Recompute the views of changed stories on every core: load and save here, compute in workers.

Two entry points: ``refresh_dirty_parallel`` for a command that ends when every view is saved
(``briefbot ingest``, ``briefbot poll``), and ``refresh_async`` with a long-lived ``ViewPool``
for the bot's writer thread after a feed poll (the pool starts with the first big round and
stays for the next ones).
``compute_views`` is pure and CPU-bound, so after a big ingest the stories' briefings and quotes
are computed by a pool of worker processes (one per core) while this process reads the next
stories' inputs and saves finished views in order of completion. A handful of stories, or a
machine with one core, is computed on a thread here: starting workers costs more than it saves.
The standard library's ``ProcessPoolExecutor`` does the pooling; a worker that dies takes the
pool down with it (``BrokenProcessPool``): the stories whose tasks it took are then computed on a
thread and later ones go to a new pool, so a refresh never ends half done.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Sequence
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
    """Refresh every story whose cached views are missing, on all cores; how many were refreshed
    (``refresh_async`` with a pool that lives as long as this call)."""
    pool = ViewPool(workers)
    try:
        return asyncio.run(
            refresh_async(store, store.dirty_stories(), words, pool, min_parallel, on_saved)
        )
    finally:
        pool.close()


def _executor(workers: int) -> ProcessPoolExecutor:
    """Worker processes started by a fork server that has the summarizer imported already."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["bot.chat.views"])
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx)


class ViewPool:
    """Worker processes for a long-running process's view refreshes, started when first needed."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = cores() if workers is None else workers
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self.generation = 0  # which pool a submitted task went to (a new one after a breakage)

    @property
    def running(self) -> bool:
        """Whether the workers are up (a later round uses them whatever its size)."""
        return self._pool is not None

    def submit(self, inputs: StoryInputs, words: int) -> tuple[Future[StoryViews], int]:
        """Compute one story's views in a worker (the pool starts on first use), with the
        generation of the pool it went to."""
        with self._lock:
            for _ in range(2):
                if self._pool is None:
                    self._pool = _executor(self.workers)
                    self.generation += 1
                try:
                    return self._pool.submit(_compute, inputs, words), self.generation
                except BrokenProcessPool:  # a worker died since the last task: start anew
                    self._pool.shutdown(wait=False, cancel_futures=True)
                    self._pool = None
            raise BrokenProcessPool("the view workers could not be started")

    def broken(self, generation: int) -> None:
        """Forget the pool of that generation, one of whose workers died (the next task starts a
        new one); a task of an older pool failing later leaves the new one alone."""
        with self._lock:
            if generation != self.generation:
                return
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """Stop the workers."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


async def refresh_async(
    store: Store,
    story_ids: Sequence[int],
    words: int,
    pool: ViewPool,
    min_parallel: int = MIN_PARALLEL_STORIES,
    on_saved: Callable[[StoryViews], None] | None = None,
) -> int:
    """Refresh these stories' views, in ``pool``'s workers when there are enough of them (or the
    pool is already up), else on a thread; loading and saving stay on the caller's thread."""

    def save(views: StoryViews) -> None:
        save_views(store, views)
        if on_saved is not None:
            on_saved(views)

    done = 0
    if pool.workers < 2 or (len(story_ids) < min_parallel and not pool.running):
        for sid in story_ids:
            inputs = load_inputs(store, sid)
            if inputs is not None:
                save(await asyncio.to_thread(compute_views, inputs, words))
                done += 1
        return done
    queue: deque[tuple[StoryInputs, asyncio.Future[StoryViews], int]] = deque()
    todo = deque(story_ids)
    while todo or queue:
        while todo and len(queue) < pool.workers * AHEAD_PER_WORKER:
            inputs = load_inputs(store, todo.popleft())
            if inputs is not None:
                future, generation = pool.submit(inputs, words)
                queue.append((inputs, asyncio.wrap_future(future), generation))
        if not queue:
            break
        inputs, pending, generation = queue.popleft()
        try:
            views = await pending
        except BrokenProcessPool:
            log.warning("a views worker died; computing story %d here", inputs.story_id)
            pool.broken(generation)
            views = await asyncio.to_thread(compute_views, inputs, words)
        save(views)
        done += 1
    return done


def _compute(inputs: StoryInputs, words: int) -> StoryViews:
    """The worker's task (a module-level function, so it pickles by name)."""
    return compute_views(inputs, words)

