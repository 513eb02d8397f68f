"""The one ingest writer: /add, /feeds, uploaded files and feed polling run on their own thread.

They fetch, parse, cluster and write; run on the bot's event loop they would stall every other
chat. Here they run on a single dedicated thread (one writer, so SQLite never sees two ingests
from the bot at once) with its own event loop and Store connection; WAL lets the readers go on.
Its busy timeout stays long: it waits for a CLI ingest's write lock on its own thread, where
nobody's reply waits behind it but the admin's own.
"""

from __future__ import annotations

from bot.chat.commands import Caller, Commands
from bot.chat.refresh import ViewPool, refresh_async
from bot.chat.reply import Reply
from bot.config import Settings
from bot.sources.live import PollReport, fetch_doc, fetch_url_docs, poll_round
from bot.store import Store
from bot.telegram.workers import StoreThreads
from summarizer.models import CleanDoc

WRITER_TIMEOUT = 30.0


class Writer:
    """Runs ingesting command-layer coroutines on the writer thread."""

    def __init__(self, settings: Settings, db_path: str) -> None:
        self.settings = settings
        self.db_path = db_path
        self._thread = StoreThreads("briefbot-writer", self._commands, threads=1, serial=True)
        # The views of the stories a big poll changed are computed on every core (bot.chat.refresh).
        self.view_pool = ViewPool()

    def _commands(self) -> Commands:
        """The writer thread's command layer (made on that thread)."""
        settings = self.settings

        async def fetcher(url: str) -> CleanDoc:
            return await fetch_doc(url, settings)

        cmds = Commands(Store(self.db_path, timeout=WRITER_TIMEOUT), settings, fetcher=fetcher)
        cmds.fetch_many = lambda url: fetch_url_docs(url, settings)
        return cmds

    async def handle(self, text: str, caller: Caller, bot_username: str = "") -> Reply:
        """A command line, run on the writer thread."""

        async def run(cmds: Commands) -> Reply:
            cmds.bot_username = bot_username
            return await cmds.handle(text, caller)

        return await self._thread.run(run)

    async def ingest_upload(self, name: str, data: bytes, caller: Caller) -> Reply:
        """An uploaded file, ingested on the writer thread."""
        return await self._thread.run(lambda cmds: cmds.ingest_upload(name, data, caller))

    async def poll(self) -> PollReport:
        """One feed polling round and the refresh of the stories it changed, on the writer thread."""

        async def run(cmds: Commands) -> PollReport:
            result = await poll_round(cmds.store, self.settings)
            if result.report.ingested:
                dirty = cmds.store.dirty_stories()
                await refresh_async(cmds.store, dirty, self.settings.brief_words, self.view_pool)
            return result

        return await self._thread.run(run)

    def close(self) -> None:
        """Finish queued work, close the writer's connection and stop its thread and view workers."""
        self._thread.close()
        self.view_pool.close()
