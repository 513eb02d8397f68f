"""The command layer as the event loop sees it: every store call awaited on a worker thread.

Readers: a few threads, each with its own connection (WAL: reads never wait for a writer), run
commands, digest queries and view lookups. Views computed there are cached by one views thread,
in order and without making the reply wait. Ingesting commands go to the one writer thread. The
event loop itself holds no connection.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

from bot.chat.commands import Caller, Commands, SubscriptionChanged
from bot.chat.reply import Reply, simple
from bot.chat.views import StoryViews, save_views
from bot.config import Settings
from bot.sources.live import PollReport
from bot.store import Store, Subscription
from bot.telegram.shared_views import SharedViews
from bot.telegram.workers import BUSY_TIMEOUT, RETRY_DELAYS, StoreBusy, StoreThreads
from bot.telegram.writer import Writer
from summarizer.models import Briefing, StoryQuote

log = logging.getLogger(__name__)

T = TypeVar("T")
READERS = 3  # threads that run commands (each blocks while its command runs)

# (chat, its subscription now or None) after a command changed it: reschedule its digest.
SubscriptionHook = Callable[[int, Subscription | None], None]


class Backend:
    """Reader threads, the views thread and the ingest writer behind one awaitable interface."""

    def __init__(
        self,
        settings: Settings,
        db_path: str,
        *,
        readers: int = READERS,
        busy_timeout: float = BUSY_TIMEOUT,
        retry_delays: tuple[float, ...] = RETRY_DELAYS,
    ) -> None:
        self.settings = settings
        self.db_path = db_path
        self.busy_timeout = busy_timeout
        self.bot_username = ""
        self.now: Callable[[], datetime] = lambda: datetime.now(UTC)
        self.on_subscription: SubscriptionHook = lambda chat_id, sub: None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.shared_views = SharedViews(self._keep_views)
        self.views = StoreThreads(
            "briefbot-views", self._make, threads=1, retry_delays=retry_delays
        )
        self.readers = StoreThreads(
            "briefbot-store", self._make_reader, threads=readers, retry_delays=retry_delays
        )
        self.writer = Writer(settings, db_path)

    @property
    def clock(self) -> Callable[[], datetime]:
        """The current time (aware); for digests."""
        return self.now

    def _make(self) -> Commands:
        """A command layer over a new connection (called on the thread that will use it)."""
        store = Store(self.db_path, timeout=self.busy_timeout)
        return Commands(store, self.settings, clock=lambda: self.now())

    def _make_reader(self) -> Commands:
        cmds = self._make()
        cmds.make_views = self.shared_views

        def changed(event: SubscriptionChanged) -> None:  # on the reader thread
            sub = cmds.store.subscription(event.chat_id)
            if self._loop is not None:
                self._loop.call_soon_threadsafe(self.on_subscription, event.chat_id, sub)

        cmds.on_subscription_change = changed
        return cmds

    def _keep_views(self, views: StoryViews) -> None:
        async def save(cmds: Commands) -> None:
            save_views(cmds.store, views)

        self.views.post(save)

    async def handle(self, text: str, caller: Caller) -> Reply:
        """Run a command line on a reader thread; a one-line note if the store stays locked."""
        self._loop = asyncio.get_running_loop()
        username = self.bot_username

        async def run(cmds: Commands) -> Reply:
            cmds.bot_username = username
            return await cmds.handle(text, caller)

        try:
            return await self.readers.run(run)
        except StoreBusy as exc:
            return simple(str(exc))

    async def ingest(self, text: str, caller: Caller) -> Reply:
        """An ingesting command (/add, /feeds) on the writer thread."""
        try:
            return await self.writer.handle(text, caller, self.bot_username)
        except StoreBusy as exc:
            return simple(str(exc))

    async def ingest_upload(self, name: str, data: bytes, caller: Caller) -> Reply:
        """An uploaded file, ingested on the writer thread."""
        try:
            return await self.writer.ingest_upload(name, data, caller)
        except StoreBusy as exc:
            return simple(str(exc))

    async def poll(self) -> PollReport:
        """One feed polling round on the writer thread."""
        return await self.writer.poll()

    async def db(self, fn: Callable[[Store], T]) -> T:
        """The result of a store function, run on a reader thread."""

        async def run(cmds: Commands) -> T:
            return fn(cmds.store)

        return await self.readers.run(run)

    async def story_views(self, story_id: int) -> tuple[Briefing, list[StoryQuote]]:
        """A story's cached (or newly computed) briefing and quotes, from a reader thread."""
        return await self.readers.run(lambda cmds: cmds.story_views(story_id))

    def close(self) -> None:
        """Finish queued work and close every thread's connection."""
        self.readers.close()
        self.views.close()
        self.writer.close()
