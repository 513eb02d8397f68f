"""Story views shared by the bot's store threads: each (story, version) computed once.

While an ingest changes stories, many chats ask for the same new briefing at once; without this,
every reader thread would compute it again until the views thread has cached it in SQLite. The
first asker computes (off its loop, in a worker thread) and hands the result to the views thread
to save; the others await that same computation; recent results stay in memory meanwhile.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace

from bot.chat.commands import Commands
from bot.chat.views import StoryInputs, StoryViews, compute_views, load_inputs
from summarizer.models import Article

Key = tuple[int, int]  # (story id, story version)
RECENT = 64  # computed views kept in memory


class SharedViews:
    """Single-flight computation of story views across threads, with a small memory cache."""

    def __init__(self, keep: Callable[[StoryViews], None], recent: int = RECENT) -> None:
        self._keep = keep
        self._recent_size = recent
        self._lock = threading.Lock()
        self._running: dict[Key, concurrent.futures.Future[StoryViews]] = {}
        self._recent: OrderedDict[Key, StoryViews] = OrderedDict()
        self.computed = 0  # how many computations ran (the rest were shared or remembered)

    async def __call__(self, cmds: Commands, story_id: int) -> StoryViews:
        """The views of a story as it is now (Commands.make_views)."""
        key = (story_id, cmds.store.story_version(story_id))
        with self._lock:
            done = self._recent.get(key)
            if done is not None:
                return done
            running = self._running.get(key)
            if running is None:
                mine: concurrent.futures.Future[StoryViews] = concurrent.futures.Future()
                self._running[key] = mine
        if running is not None:
            return await asyncio.wrap_future(running)
        try:
            inputs = load_inputs(cmds.store, story_id)
            if inputs is None:
                raise LookupError(story_id)
            views = await asyncio.to_thread(compute_views, inputs, cmds.settings.brief_words)
        except BaseException as exc:
            with self._lock:
                del self._running[key]
            mine.set_exception(exc)
            raise
        with self._lock:
            del self._running[key]
            self.computed += 1
            # Remembered without the new per-article quotes and parts: only ``keep`` saves them.
            self._recent[(story_id, views.version)] = replace(
                views, new_article_quotes={}, new_article_parts={}
            )
            while len(self._recent) > self._recent_size:
                self._recent.popitem(last=False)
        mine.set_result(views)
        self._keep(views)
        return views


_WARM_TEXT = (
    "The town council approved a new footbridge over the river on Monday, officials said. "
    "“It will open next spring,” said the mayor, Ada Quill. Work starts in March.\n\n"
    "The bridge will cost about 2 million euros, according to the council's budget."
)


def warm_up() -> None:
    """Compute the views of a tiny invented story once, so the first real one pays no set-up
    (tokenizer models and similar load lazily on first use). Run it on a worker thread."""
    articles = tuple(
        Article(id=i, title="Council approves footbridge", text=_WARM_TEXT, outlet=f"Outlet {i}")
        for i in (1, 2)
    )
    compute_views(StoryInputs(0, "Council approves footbridge", 0, articles, {}))
