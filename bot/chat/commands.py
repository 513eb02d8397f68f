"""The framework-free command layer: (store, command text, caller) -> Reply.

Telegram handlers and the local console both call ``Commands.handle``; neither knows the commands.
Each command lives in a module of its kind (welcome, browse, subscriptions, adding, admin) and is
registered here by its ``CommandSpec`` (name, synopsis, description, admin-only, handler); a new
command module adds its specs to ``COMMANDS``. Store access stays on the caller's thread (the
Telegram layer runs the whole command on a store worker thread); CPU-heavy summarising goes to a
worker thread.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TypeVar

from bot.chat import adding, admin, browse, chart, filters, follow, pages, subscriptions, welcome
from bot.chat.reply import Button, Reply, simple
from bot.chat.spec import (
    NO_STORIES,
    PAGE_SIZE,
    Caller,
    CommandSpec,
    Fetcher,
    FetchMany,
    SubscriptionChanged,
    SubscriptionListener,
    usage,
)
from bot.chat.views import StoryViews, compute_views, load_inputs, save_views
from bot.config import Settings
from bot.store import Store
from summarizer.models import Briefing, Story, StoryQuote
from summarizer.stories.toplist import rank_stories

__all__ = [
    "COMMANDS",
    "PAGE_SIZE",
    "Caller",
    "CommandSpec",
    "Commands",
    "FetchMany",
    "Fetcher",
    "SubscriptionChanged",
    "SubscriptionListener",
    "usage",
]

log = logging.getLogger(__name__)

T = TypeVar("T")

# Every command, in /help order.
COMMANDS: tuple[CommandSpec, ...] = (
    *welcome.COMMANDS,
    *browse.COMMANDS,
    *subscriptions.COMMANDS,
    *follow.COMMANDS,
    *filters.COMMANDS,
    *chart.COMMANDS,
    *adding.COMMANDS,
    *admin.COMMANDS,
)
_COMMAND_RE = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]+))?(?:\s+(.*))?$", re.S)


async def make_views(cmds: Commands, story_id: int) -> StoryViews:
    """Compute a story's views off the event loop and cache them in the store."""
    inputs = load_inputs(cmds.store, story_id)
    if inputs is None:
        raise LookupError(story_id)
    views = await asyncio.to_thread(compute_views, inputs, cmds.settings.brief_words)
    save_views(cmds.store, views)
    return views


class Commands:
    """Every chat command, independent of Telegram: the state the command modules share."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        fetcher: Fetcher | None = None,
        bot_username: str = "",
        specs: tuple[CommandSpec, ...] = COMMANDS,
    ) -> None:
        self.store = store
        self.settings = settings
        self.clock = clock
        self.fetcher = fetcher
        self.fetch_many: FetchMany | None = None
        self.bot_username = bot_username
        self.specs = specs
        self._by_name = {c.name: c for c in specs}
        # Told of every subscription change (the Telegram layer reschedules the chat's digest).
        self.on_subscription_change: SubscriptionListener = lambda event: None
        # Makes a story's missing views: here computed off the loop and saved at once; the
        # Telegram layer shares computations between its threads and saves on its views thread.
        self.make_views: Callable[[Commands, int], Awaitable[StoryViews]] = make_views

    async def handle(self, message: str, caller: Caller) -> Reply:
        """Run one command line ('/brief@bot ukraine') and return the reply."""
        m = _COMMAND_RE.match(message.strip())
        if not m:
            return simple("Send a command, for example /brief or /stories. /help lists them all.")
        name, target, args = m.group(1).lower(), m.group(2), (m.group(3) or "").strip()
        if target and self.bot_username and target.lower() != self.bot_username.lower():
            return Reply()  # addressed to another bot in a group
        spec = self._by_name.get(name)
        if spec is None or spec.run is None:
            return simple(f"Unknown command /{name}.", "Send /help to see what I can do.")
        if spec.admin and not caller.is_admin:
            return simple("Sorry, only the bot's admins can do that.")
        return await spec.run(self, args, caller)

    def usage(self, name: str) -> str:
        """The usage line of a command."""
        return usage(self._by_name[name])

    async def resolve(self, args: str, view: str) -> Story | Reply:
        """A story from '#12', '12', words (search), or nothing (the top story)."""
        ref = args.strip().lstrip("#")
        if not ref:
            recent = self.store.stories(limit=50)
            if not recent:
                return simple(NO_STORIES)
            return rank_stories(recent, self.clock())[0]
        if ref.isdigit():
            if not ref.isascii() or len(ref) > 18:  # "²" is a digit too; huge ids overflow SQLite
                return simple(self.usage(view))
            story = self.store.story(int(ref))
            return story or simple(f"There is no story #{ref}. /stories lists them.")
        hits = self.store.search_stories(args)
        if not hits:
            return simple(f"No story matches “{args}”. Try other words, or /stories.")
        if len(hits) == 1 or hits[0][1] <= hits[1][1] * 1.5:
            story = self.store.story(hits[0][0])
            if story:
                return story
        stories = [s for sid, _ in hits[:5] if (s := self.store.story(sid))]
        reply = pages.story_list_reply(
            f"Several stories match “{args}”: pick one", stories, self.clock()
        )
        buttons = tuple(
            (Button(b.text, b.data.replace("/brief", f"/{view}")),)
            for row in reply.buttons
            for b in row
        )
        return Reply(paragraphs=reply.paragraphs, buttons=buttons, data=reply.data)

    async def story_views(self, story_id: int) -> tuple[Briefing, list[StoryQuote]]:
        """Cached briefing and quotes of a story, computing them off the event loop if missing."""
        briefing = self.store.cached_briefing(story_id)
        quotes = self.store.cached_quotes(story_id)
        if briefing is not None and quotes is not None:
            return briefing, quotes
        views = await self.make_views(self, story_id)
        return views.briefing, list(views.quotes)

    async def db(self, fn: Callable[[Store], T]) -> T:
        """Run a store function (here, on the caller's thread: the command layer's own)."""
        return fn(self.store)

    async def ingest_upload(self, name: str, data: bytes, caller: Caller) -> Reply:
        """Ingest a document sent to the bot (.txt, .md, .html)."""
        return await adding.ingest_upload(self, name, data, caller)
