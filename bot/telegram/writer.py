"""The one writer thread: ingesting commands run on their own thread, event loop and connection.

/add, /feeds and uploaded files fetch, parse, cluster and write; run on the bot's event loop
they would stall every other chat. Here they run on a single dedicated thread (one writer, so
SQLite never sees two ingests at once) with its own Store connection; WAL lets the bot's
connection keep reading meanwhile.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from bot.chat.commands import Caller, Commands
from bot.chat.reply import Reply
from bot.config import Settings
from bot.sources.live import PollReport, fetch_doc, fetch_url_docs, poll_round
from bot.store import Store
from summarizer.models import CleanDoc

T = TypeVar("T")


class Writer:
    """Runs command-layer coroutines on the writer thread (its Store and Commands made there)."""

    def __init__(self, settings: Settings, db_path: str) -> None:
        self.settings = settings
        self.db_path = db_path
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="briefbot-writer")
        self._local = threading.local()

    def _commands(self) -> Commands:
        """This thread's command layer (created on first use, on the writer thread)."""
        cmds: Commands | None = getattr(self._local, "commands", None)
        if cmds is None:
            settings = self.settings

            async def fetcher(url: str) -> CleanDoc:
                return await fetch_doc(url, settings)

            cmds = Commands(Store(self.db_path), settings, fetcher=fetcher)
            cmds.fetch_many = lambda url: fetch_url_docs(url, settings)
            self._local.commands = cmds
        return cmds

    async def _call(self, make: Callable[[Commands], Awaitable[T]]) -> T:
        def work() -> T:
            async def go() -> T:
                return await make(self._commands())

            return asyncio.run(go())

        return await asyncio.get_running_loop().run_in_executor(self._pool, work)

    async def handle(self, text: str, caller: Caller, bot_username: str = "") -> Reply:
        """A command line, run on the writer thread."""

        async def run(cmds: Commands) -> Reply:
            cmds.bot_username = bot_username
            return await cmds.handle(text, caller)

        return await self._call(run)

    async def ingest_upload(self, name: str, data: bytes, caller: Caller) -> Reply:
        """An uploaded file, ingested on the writer thread."""
        return await self._call(lambda cmds: cmds.ingest_upload(name, data, caller))

    async def poll(self) -> PollReport:
        """One feed polling round and the refresh of the stories it changed, on the writer thread."""

        async def run(cmds: Commands) -> PollReport:
            result = await poll_round(cmds.store, self.settings)
            for sid in cmds.store.dirty_stories() if result.report.ingested else []:
                try:
                    await cmds.story_views(sid)
                except LookupError:  # a story emptied meanwhile
                    continue
            return result

        return await self._call(run)

    def close(self) -> None:
        """Close the writer's connection and stop its thread."""

        def shut() -> None:
            cmds: Commands | None = getattr(self._local, "commands", None)
            if cmds is not None:
                cmds.store.close()

        self._pool.submit(shut).result(timeout=30)
        self._pool.shutdown(wait=True)
