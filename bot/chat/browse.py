"""Reading commands: /stories, /search, and a story's /brief, /quotes and /sources."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.chat import pages
from bot.chat.filters import shown_briefing, visible_stories
from bot.chat.follow import with_follow_state
from bot.chat.prefs import sized_briefing
from bot.chat.reply import Button, Reply, simple
from bot.chat.spec import NO_STORIES, PAGE_SIZE, Caller, CommandSpec
from summarizer.models import Story

if TYPE_CHECKING:
    from bot.chat.commands import Commands


async def stories(cmds: Commands, args: str, caller: Caller) -> Reply:
    """The latest stories, a page at a time."""
    page = 1
    if args:
        if not (args.isascii() and args.isdigit()) or len(args) > 9 or int(args) < 1:
            return simple(cmds.usage("stories"))
        page = int(args)
    total = cmds.store.story_count()
    if total == 0:
        return simple(NO_STORIES)
    found = cmds.store.stories(limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    if not found:
        return simple(f"There is no page {page}: there are {total} stories.")
    found = visible_stories(cmds.store, caller.chat_id, found)  # this chat's /filters
    nav = []
    if page > 1:
        nav.append(Button("‹ Newer", f"/stories {page - 1}"))
    if page * PAGE_SIZE < total:
        nav.append(Button("Older ›", f"/stories {page + 1}"))
    return pages.story_list_reply(f"Latest stories (page {page})", found, cmds.clock(), nav)


async def search(cmds: Commands, args: str, caller: Caller) -> Reply:
    """Stories matching words."""
    if not args:
        return simple(cmds.usage("search"))
    store = cmds.store
    found = [s for sid, _ in store.search_stories(args) if (s := store.story(sid))]
    if not found:
        return simple(f"No story matches “{args}”.")
    return pages.story_list_reply(f"Stories matching “{args}”", found, cmds.clock())


async def story_view(
    cmds: Commands, args: str, view: str, speaker: str = "", chat_id: int | None = None
) -> Reply:
    """One view ('brief', 'quotes', 'sources') of the story ``args`` names."""
    found = await cmds.resolve(args, view)
    if isinstance(found, Reply):
        return found
    story = found
    briefing, quotes = await cmds.story_views(story.id)
    arts = cmds.store.articles(story.article_ids)
    by_id = {a.id: a for a in arts}
    now = cmds.clock()
    if view == "quotes" and speaker:
        chosen = pages.quotes_by_speaker(quotes, speaker)
        if not chosen:
            return simple(
                f"No quotes by {speaker} in story #{story.id}. /quotes {story.id} lists them all."
            )
        return pages.quotes_reply(story, chosen, by_id, now, speaker)
    if view == "brief":
        if chat_id is not None:  # this chat's length and /filters (muted words never shown)
            briefing = await sized_briefing(cmds, chat_id, story, briefing)
            briefing = shown_briefing(cmds.store, chat_id, briefing)
            return with_follow_state(cmds, chat_id, pages.brief_reply(story, briefing, by_id, now))
        return pages.brief_reply(story, briefing, by_id, now)
    if view == "quotes":
        return pages.quotes_reply(story, quotes, by_id, now)
    return pages.sources_reply(story, arts, briefing, now)


async def brief(cmds: Commands, args: str, caller: Caller) -> Reply:
    """The multi-source briefing of a story."""
    return await story_view(cmds, args, "brief", chat_id=caller.chat_id)


async def quotes(cmds: Commands, args: str, caller: Caller) -> Reply:
    """Who said what in a story; /quotes [STORY] NAME shows only that person's quotes."""
    first, _, rest = args.strip().partition(" ")
    if first.lstrip("#").isdigit() and rest.strip():
        return await story_view(cmds, first, "quotes", rest.strip())
    if args.strip() and not first.lstrip("#").isdigit():
        # A name: the story its words find, else the top story, if that person is quoted.
        for ref in (args, ""):
            found = await cmds.resolve(ref, "quotes")
            if isinstance(found, Story):
                _, said = await cmds.story_views(found.id)
                if pages.quotes_by_speaker(said, args.strip()):
                    return await story_view(cmds, str(found.id), "quotes", args.strip())
    return await story_view(cmds, args, "quotes")


async def sources(cmds: Commands, args: str, caller: Caller) -> Reply:
    """The coverage of a story."""
    return await story_view(cmds, args, "sources")


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("stories", "[page]", "The latest stories", run=stories),
    CommandSpec(
        "brief", "[story | words]", "One briefing from every outlet covering a story", run=brief
    ),
    CommandSpec(
        "quotes", "[story | words] [name]", "Who said what, merged across outlets", run=quotes
    ),
    CommandSpec(
        "sources", "[story | words]", "The coverage: outlets, headlines, links", run=sources
    ),
    CommandSpec("search", "words", "Find stories", run=search),
)
