"""The framework-free command layer: (store, command text, caller) -> Reply.

Telegram handlers and the local console both call ``Commands.handle``; neither knows the commands.
Store access stays on the caller's thread; CPU-heavy summarising goes to a worker thread.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePath

from bot.chat import pages
from bot.chat.reply import Button, Reply, bold, italic, line, para, simple, text
from bot.chat.views import compute_views, load_inputs, save_views
from bot.config import ConfigError, Settings, parse_hhmm, parse_zone
from bot.digest import digest
from bot.sources.ingest import KINDS, MAX_FILE_BYTES, Prepared, prepare_upload, save_article
from bot.store import Store
from summarizer.errors import InputError
from summarizer.models import Briefing, CleanDoc, Story, StoryQuote
from summarizer.stories.toplist import rank_stories

log = logging.getLogger(__name__)

Fetcher = Callable[[str], Awaitable[CleanDoc]]
# Every article behind a URL: one for a page, one per entry for a feed (errors as strings).
FetchMany = Callable[[str], Awaitable[list[tuple[str, CleanDoc] | str]]]
PAGE_SIZE = 8


@dataclass(frozen=True)
class CommandSpec:
    """One command: name, argument synopsis, description, whether only admins may use it."""

    name: str
    args: str
    description: str
    admin: bool = False


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("start", "", "Welcome and a quick tour"),
    CommandSpec("help", "", "Every command"),
    CommandSpec("stories", "[page]", "The latest stories"),
    CommandSpec("brief", "[story | words]", "One briefing from every outlet covering a story"),
    CommandSpec("quotes", "[story | words] [name]", "Who said what, merged across outlets"),
    CommandSpec("sources", "[story | words]", "The coverage: outlets, headlines, links"),
    CommandSpec("search", "words", "Find stories"),
    CommandSpec("subscribe", "[HH:MM] [Area/City]", "Get a daily digest"),
    CommandSpec("unsubscribe", "", "Stop the daily digest"),
    CommandSpec("settings", "", "Your digest time, time zone and length"),
    CommandSpec("digest", "", "Preview today's digest now"),
    CommandSpec("add", "URL", "Ingest an article from a URL (admins)", admin=True),
    CommandSpec(
        "feeds", "[add URL | remove N]", "List or change the polled feeds (admins)", admin=True
    ),
    CommandSpec(
        "summarize", "ID ID ...", "One briefing over these article ids (admins)", admin=True
    ),
    CommandSpec("merge", "A B", "Merge story B into story A (admins)", admin=True),
    CommandSpec(
        "split", "STORY ARTICLE", "Move an article out of a story into its own (admins)", admin=True
    ),
)
_BY_NAME = {c.name: c for c in COMMANDS}
_COMMAND_RE = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]+))?(?:\s+(.*))?$", re.S)


@dataclass(frozen=True)
class Caller:
    """Who is asking: a Telegram user in a chat, or the local console (an admin)."""

    chat_id: int
    user_id: int | None = None
    is_admin: bool = False


@dataclass(frozen=True)
class SubscriptionChanged:
    """Event: a chat subscribed, changed its digest time or zone, or unsubscribed."""

    chat_id: int
    subscribed: bool


SubscriptionListener = Callable[[SubscriptionChanged], None]


def usage(spec: CommandSpec) -> str:
    """'Usage: /brief [story | words]'."""
    return f"Usage: /{spec.name} {spec.args}".rstrip()


def _two_ids(args: str) -> tuple[int, int] | None:
    """Exactly two ids ("12 40", "#12 #40"), else None."""
    parts = [p.removeprefix("#") for p in args.split()]
    if len(parts) != 2 or not all(p.isascii() and p.isdigit() and len(p) <= 18 for p in parts):
        return None
    return int(parts[0]), int(parts[1])


class Commands:
    """Every chat command, independent of Telegram."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        fetcher: Fetcher | None = None,
        bot_username: str = "",
    ) -> None:
        self.store = store
        self.settings = settings
        self.clock = clock
        self.fetcher = fetcher
        self.fetch_many: FetchMany | None = None
        self.bot_username = bot_username
        # Told of every subscription change (the Telegram layer reschedules the chat's digest).
        self.on_subscription_change: SubscriptionListener = lambda event: None

    # -- dispatch --

    async def handle(self, message: str, caller: Caller) -> Reply:
        """Run one command line ('/brief@bot ukraine') and return the reply."""
        m = _COMMAND_RE.match(message.strip())
        if not m:
            return simple("Send a command, for example /brief or /stories. /help lists them all.")
        name, target, args = m.group(1).lower(), m.group(2), (m.group(3) or "").strip()
        if target and self.bot_username and target.lower() != self.bot_username.lower():
            return Reply()  # addressed to another bot in a group
        spec = _BY_NAME.get(name)
        if spec is None:
            return simple(f"Unknown command /{name}.", "Send /help to see what I can do.")
        if spec.admin and not caller.is_admin:
            return simple("Sorry, only the bot's admins can do that.")
        method: Callable[[str, Caller], Awaitable[Reply]] = getattr(self, f"cmd_{name}")
        return await method(args, caller)

    # -- help --

    async def cmd_start(self, args: str, caller: Caller) -> Reply:
        """Welcome."""
        n = self.store.story_count()
        return Reply(
            paragraphs=(
                para(
                    line(bold("Hi! I read the news so you don't read the same story five times."))
                ),
                para(
                    line(
                        "I group articles from many outlets into stories and give you one short briefing "
                        "in which every sentence says which outlets carry it."
                    ),
                ),
                para(
                    line(
                        f"I know {n} stor{'y' if n == 1 else 'ies'} right now. Try /stories or /brief, "
                        "and /subscribe for a daily digest. /help lists everything."
                    )
                ),
            ),
            buttons=((Button("Latest stories", "/stories"), Button("Top briefing", "/brief")),),
        )

    async def cmd_help(self, args: str, caller: Caller) -> Reply:
        """Every command with its arguments."""
        lines = [line(bold("Commands"))]
        for c in COMMANDS:
            if c.admin and not caller.is_admin:
                continue
            lines.append(
                line(bold(f"/{c.name}"), text(f" {c.args}".rstrip()), text(f" — {c.description}"))
            )
        tail = para(line(italic("A story is its number (#12) or a few words to search for.")))
        return Reply(paragraphs=(tuple(lines), tail))

    # -- stories --

    async def cmd_stories(self, args: str, caller: Caller) -> Reply:
        """The latest stories, a page at a time."""
        page = 1
        if args:
            if not (args.isascii() and args.isdigit()) or len(args) > 9 or int(args) < 1:
                return simple(usage(_BY_NAME["stories"]))
            page = int(args)
        total = self.store.story_count()
        if total == 0:
            return simple(
                "No stories yet. An admin can add articles with /add URL or by sending a file."
            )
        stories = self.store.stories(limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        if not stories:
            return simple(f"There is no page {page}: there are {total} stories.")
        nav = []
        if page > 1:
            nav.append(Button("‹ Newer", f"/stories {page - 1}"))
        if page * PAGE_SIZE < total:
            nav.append(Button("Older ›", f"/stories {page + 1}"))
        return pages.story_list_reply(f"Latest stories (page {page})", stories, self.clock(), nav)

    async def cmd_search(self, args: str, caller: Caller) -> Reply:
        """Stories matching words."""
        if not args:
            return simple(usage(_BY_NAME["search"]))
        stories = [s for sid, _ in self.store.search_stories(args) if (s := self.store.story(sid))]
        if not stories:
            return simple(f"No story matches “{args}”.")
        return pages.story_list_reply(f"Stories matching “{args}”", stories, self.clock())

    async def resolve(self, args: str, view: str) -> Story | Reply:
        """A story from '#12', '12', words (search), or nothing (the top story)."""
        ref = args.strip().lstrip("#")
        if not ref:
            recent = self.store.stories(limit=50)
            if not recent:
                return simple(
                    "No stories yet. An admin can add articles with /add URL or by sending a file."
                )
            return rank_stories(recent, self.clock())[0]
        if ref.isdigit():
            if not ref.isascii() or len(ref) > 18:  # "²" is a digit too; huge ids overflow SQLite
                return simple(usage(_BY_NAME[view]))
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
        inputs = load_inputs(self.store, story_id)
        if inputs is None:
            raise LookupError(story_id)
        views = await asyncio.to_thread(compute_views, inputs, self.settings.brief_words)
        save_views(self.store, views)
        return views.briefing, list(views.quotes)

    async def _story_view(self, args: str, view: str, speaker: str = "") -> Reply:
        found = await self.resolve(args, view)
        if isinstance(found, Reply):
            return found
        story = found
        briefing, quotes = await self.story_views(story.id)
        if view == "quotes" and speaker:
            arts = self.store.articles(story.article_ids)
            chosen = pages.quotes_by_speaker(quotes, speaker)
            if not chosen:
                return simple(f"No quotes by {speaker} in story #{story.id}. /quotes {story.id} lists them all.")
            return pages.quotes_reply(story, chosen, {a.id: a for a in arts}, self.clock(), speaker)
        arts = self.store.articles(story.article_ids)
        by_id = {a.id: a for a in arts}
        now = self.clock()
        if view == "brief":
            return pages.brief_reply(story, briefing, by_id, now)
        if view == "quotes":
            return pages.quotes_reply(story, quotes, by_id, now)
        return pages.sources_reply(story, arts, briefing, now)

    async def cmd_brief(self, args: str, caller: Caller) -> Reply:
        """The multi-source briefing of a story."""
        return await self._story_view(args, "brief")

    async def cmd_quotes(self, args: str, caller: Caller) -> Reply:
        """Who said what in a story; /quotes [STORY] NAME shows only that person's quotes."""
        first, _, rest = args.strip().partition(" ")
        if first.lstrip("#").isdigit() and rest.strip():
            return await self._story_view(first, "quotes", rest.strip())
        if args.strip() and not first.lstrip("#").isdigit():
            # A name: the story its words find, else the top story, if that person is quoted.
            for ref in (args, ""):
                found = await self.resolve(ref, "quotes")
                if isinstance(found, Story):
                    _, quotes = await self.story_views(found.id)
                    if pages.quotes_by_speaker(quotes, args.strip()):
                        return await self._story_view(str(found.id), "quotes", args.strip())
        return await self._story_view(args, "quotes")

    async def cmd_sources(self, args: str, caller: Caller) -> Reply:
        """The coverage of a story."""
        return await self._story_view(args, "sources")

    # -- digests --

    async def cmd_subscribe(self, args: str, caller: Caller) -> Reply:
        """Subscribe this chat to the daily digest."""
        at, zone = self.settings.digest_time, self.settings.digest_zone
        existing = self.store.subscription(caller.chat_id)
        if existing:
            at, zone = parse_hhmm(existing[0]), existing[1]
        try:
            for part in args.split():
                if re.fullmatch(r"\d{1,2}:\d{2}", part):
                    at = parse_hhmm(part)
                else:
                    parse_zone(part)
                    zone = part
        except ConfigError as exc:
            return simple(
                f"{exc}.", usage(_BY_NAME["subscribe"]) + "  e.g. /subscribe 07:30 Europe/Berlin"
            )
        self.store.subscribe(
            caller.chat_id,
            at.strftime("%H:%M"),
            zone,
            self.settings.digest_stories,
            since=self.clock(),
        )
        self.on_subscription_change(SubscriptionChanged(caller.chat_id, subscribed=True))
        return simple(
            f"Subscribed: your digest arrives every day at {at.strftime('%H:%M')} ({zone}).",
            "Change it with /subscribe HH:MM Area/City, stop it with /unsubscribe.",
        )

    async def cmd_unsubscribe(self, args: str, caller: Caller) -> Reply:
        """Stop the digest."""
        if self.store.unsubscribe(caller.chat_id):
            self.on_subscription_change(SubscriptionChanged(caller.chat_id, subscribed=False))
            return simple("Unsubscribed: no more daily digests. /subscribe brings them back.")
        return simple("This chat has no digest subscription. /subscribe starts one.")

    async def cmd_settings(self, args: str, caller: Caller) -> Reply:
        """This chat's digest settings."""
        sub = self.store.subscription(caller.chat_id)
        if not sub:
            return simple(
                "No daily digest for this chat.",
                f"/subscribe starts one at {self.settings.digest_time.strftime('%H:%M')} "
                f"({self.settings.digest_zone}); /subscribe 07:30 Europe/Berlin picks the time and zone.",
            )
        at, zone, n = sub
        return Reply(
            paragraphs=(
                para(
                    line(bold("Your digest")),
                    line(f"Time: {at}"),
                    line(f"Time zone: {zone}"),
                    line(f"Length: up to {n} stories, each with a short briefing"),
                ),
            )
        )

    async def cmd_digest(self, args: str, caller: Caller) -> Reply:
        """Preview today's digest for this chat (nothing is recorded as sent)."""
        sub = self.store.subscription(caller.chat_id)
        zone = sub[1] if sub else self.settings.digest_zone
        n = sub[2] if sub else self.settings.digest_stories
        built = await digest.build_digest(self, caller.chat_id, zone, n)
        return built.reply if built.items else simple(digest.EMPTY_NOTE)

    # -- admin --

    async def cmd_summarize(self, args: str, caller: Caller) -> Reply:
        """One briefing over exactly the given stored articles as one story (nothing stored)."""
        from summarizer.brief.briefing import build_briefing

        parts = args.replace(",", " ").split()
        if not parts or not all(p.isascii() and p.isdigit() and len(p) <= 18 for p in parts):
            return simple(usage(_BY_NAME["summarize"]))
        ids = list(dict.fromkeys(int(p) for p in parts))
        arts = self.store.articles(ids)
        missing = sorted(set(ids) - {a.id for a in arts})
        if missing:
            return simple(f"No article {', '.join(f'#{i}' for i in missing)}.")
        title = arts[0].title or "Summary"
        words = self.settings.brief_words
        briefing = await asyncio.to_thread(build_briefing, 0, title, arts, words)
        outlets = tuple(sorted({a.outlet for a in arts if a.outlet}))
        story = Story(id=0, title=title, article_ids=tuple(ids), outlets=outlets)
        return pages.brief_reply(story, briefing, {a.id: a for a in arts}, self.clock())

    async def cmd_add(self, args: str, caller: Caller) -> Reply:
        """Ingest one article from a URL."""
        url = args.strip()
        if not re.match(r"https?://\S+$", url):
            return simple(usage(_BY_NAME["add"]))
        if self.fetch_many is not None:
            try:
                found = await self.fetch_many(url)
            except InputError as exc:
                return simple(f"Could not add {url}: {exc}")
            if len(found) == 1 and not isinstance(found[0], str):
                return await self.save_and_describe(found[0][1], url)
            return await self.save_feed_entries(url, found)
        if self.fetcher is None:
            return simple("Fetching URLs is not available here.")
        try:
            doc = await self.fetcher(url)
        except InputError as exc:
            return simple(f"Could not add {url}: {exc}")
        return await self.save_and_describe(doc, url)

    async def save_feed_entries(self, url: str, found: list[tuple[str, CleanDoc] | str]) -> Reply:
        """Store every entry of a feed (/add FEED_URL) and describe them in one reply."""
        added, known, errors, story_ids = 0, 0, [e for e in found if isinstance(e, str)], []
        for item in found:
            if isinstance(item, str):
                continue
            try:
                result = save_article(self.store, item[1], item[0])
            except InputError as exc:
                errors.append(f"{item[0]}: {exc}")
                continue
            known += 1 if result.duplicate_of else 0
            added += 0 if result.duplicate_of else 1
            if result.story_id and result.story_id not in story_ids:
                story_ids.append(result.story_id)
        for sid in story_ids:
            await self.story_views(sid)
        stories = [s for sid in story_ids if (s := self.store.story(sid))]
        summary = (
            f"Feed {url}: {added} new article{'s' if added != 1 else ''}, {known} already known, "
            f"{len(errors)} failed; {len(stories)} stor{'y' if len(stories) == 1 else 'ies'}."
        )
        if not stories:
            return simple(summary, *errors[:3])
        reply = pages.story_list_reply(summary, stories[:PAGE_SIZE], self.clock())
        data = {**reply.data, "added": added, "known": known, "errors": errors}
        return Reply(paragraphs=reply.paragraphs, buttons=reply.buttons, data=data)

    async def ingest_upload(self, name: str, data: bytes, caller: Caller) -> Reply:
        """Ingest a document sent to the bot (.txt, .md, .html)."""
        if not caller.is_admin:
            return simple("Sorry, only the bot's admins can add articles.")
        kind = KINDS.get(PurePath(name).suffix.lower())
        if kind is None:
            return simple(f"I can read .txt, .md and .html files, not “{name}”.")
        if len(data) > MAX_FILE_BYTES:
            return simple(f"“{name}” is too large (limit {MAX_FILE_BYTES // 1_048_576} MB).")
        try:
            doc = await prepare_upload(data, kind, name)  # a worker process with a time budget
        except InputError as exc:
            return simple(f"Could not read “{name}”: {exc}")
        return await self.save_and_describe(doc, name)

    async def save_and_describe(self, doc: CleanDoc | Prepared, name: str) -> Reply:
        """Store a clean article, refresh its story's views, describe where it went."""
        result = save_article(self.store, doc, name)
        story = self.store.story(result.story_id) if result.story_id else None
        if story is None:
            return simple("Stored, but it joined no story.")
        await self.story_views(story.id)
        n = len(story.outlets)
        first = (
            f"Already known: the same article as #{result.duplicate_of}."
            if result.duplicate_of
            else f"Added “{result.title}” ({result.outlet or 'unknown outlet'})."
        )
        return Reply(
            paragraphs=(
                para(line(first)),
                para(
                    line(
                        text("Story "),
                        bold(f"#{story.id} {story.title}"),
                        text(f" · {n} outlet{'s' if n != 1 else ''}"),
                    )
                ),
            ),
            buttons=pages.view_buttons(story.id, ""),
            data={
                "story_id": story.id,
                "article_id": result.id,
                "duplicate_of": result.duplicate_of,
            },
        )

    async def cmd_feeds(self, args: str, caller: Caller) -> Reply:
        """List, add or remove polled feeds."""
        parts = args.split()
        if not parts:
            feeds = self.store.feeds()
            if not feeds:
                return simple("No feeds yet. /feeds add URL adds one.")
            lines = [line(bold("Feeds"))]
            for f in feeds:
                state = f" — failing: {f.last_error}" if f.failures else ""
                lines.append(line(text(f"{f.id}. {f.url}"), italic(state)))
            lines.append(line(italic("/feeds remove N removes one.")))
            return Reply(paragraphs=(tuple(lines),))
        if parts[0] == "add" and len(parts) == 2 and re.match(r"https?://\S+$", parts[1]):
            added = self.store.add_feed(parts[1])
            return simple(f"Feed added: {parts[1]}" if added else f"Already polling {parts[1]}")
        if parts[0] == "remove" and len(parts) == 2 and parts[1].isascii() and parts[1].isdigit():
            url = self.store.remove_feed(int(parts[1]))
            return simple(
                f"Feed removed: {url}"
                if url
                else f"There is no feed {parts[1]}. /feeds lists them."
            )
        return simple(usage(_BY_NAME["feeds"]))

    async def cmd_merge(self, args: str, caller: Caller) -> Reply:
        """Merge story B into story A: one happening that was split (admins mend the grouping)."""
        from bot.sources.ingest import merge_stories

        ids = _two_ids(args)
        if ids is None:
            return simple(usage(_BY_NAME["merge"]))
        try:
            merge_stories(self.store, *ids)
        except (LookupError, ValueError) as exc:
            return simple(f"Cannot merge: {exc}")
        return await self._mended(f"Merged story #{ids[1]} into #{ids[0]}.", [ids[0]])

    async def cmd_split(self, args: str, caller: Caller) -> Reply:
        """Move one article out of a story into a new story of its own (admins)."""
        from bot.sources.ingest import split_article

        ids = _two_ids(args)
        if ids is None:
            return simple(usage(_BY_NAME["split"]))
        try:
            new_id = split_article(self.store, *ids)
        except (LookupError, ValueError) as exc:
            return simple(f"Cannot split: {exc}")
        return await self._mended(
            f"Article {ids[1]} left story #{ids[0]} for a new story #{new_id}.", [ids[0], new_id]
        )

    async def _mended(self, summary: str, story_ids: list[int]) -> Reply:
        """Recompute the mended stories' views and list them."""
        for sid in story_ids:
            if self.store.story(sid) is not None:
                await self.story_views(sid)
        stories = [s for sid in story_ids if (s := self.store.story(sid))]
        reply = pages.story_list_reply(summary, stories, self.clock())
        data = {**reply.data, "mended": story_ids}
        return Reply(paragraphs=reply.paragraphs, buttons=reply.buttons, data=data)
