"""Following stories: /follow [story], /following, /unfollow [story].

Following a story records what the chat has seen of it (its articles now); the alert job
(bot.follow.alerts) later sends only what is new. /follow answers with the story's briefing, so
the Follow button under a briefing leaves the briefing in place and confirms under its title.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from bot.chat import pages
from bot.chat.reply import Button, Reply, bold, italic, line, para, simple, text
from bot.chat.spec import Caller, CommandSpec
from bot.store.follows import Follows
from summarizer.models import Story

if TYPE_CHECKING:
    from bot.chat.commands import Commands

MAX_FOLLOWS = 50


def _follows(cmds: Commands) -> Follows:
    return Follows(cmds.store.conn)


def follow_button(story_id: int) -> Button:
    """The "Follow" button under a briefing."""
    return Button("🔔 Follow", f"/follow {story_id}")


def with_follow_state(cmds: Commands, chat_id: int, page: Reply) -> Reply:
    """A briefing page whose Follow button says Unfollow when the chat follows the story."""
    sid = page.data.get("story_id")
    if not isinstance(sid, int) or _follows(cmds).get(chat_id, sid) is None:
        return page
    rows = tuple(
        tuple(
            Button("🔕 Unfollow", f"/unfollow {sid}") if b.data == f"/follow {sid}" else b
            for b in row
        )
        for row in page.buttons
    )
    return replace(page, buttons=rows)


async def follow(cmds: Commands, args: str, caller: Caller) -> Reply:
    """Follow a story (by number or words; the top story without any)."""
    found = await cmds.resolve(args, "follow")
    if isinstance(found, Reply):
        return found
    story = found
    parts = _follows(cmds)
    if len(parts.following(caller.chat_id)) >= MAX_FOLLOWS:
        return simple(f"You follow {MAX_FOLLOWS} stories already. /following lists them.")
    added = parts.follow(
        caller.chat_id, story.id, story.version, story.article_ids, at=cmds.clock()
    )
    note = (
        "🔔 Following: you'll get a short alert with what is new when this story gains coverage."
        if added
        else "🔔 You already follow this story."
    )
    briefing, _ = await cmds.story_views(story.id)
    arts = {a.id: a for a in cmds.store.articles(story.article_ids)}
    page = pages.brief_reply(story, briefing, arts, cmds.clock())
    head, *rest = page.paragraphs
    buttons = (
        *page.buttons[:1],
        (Button("🔕 Unfollow", f"/unfollow {story.id}"), Button("Following", "/following")),
    )
    data: dict[str, object] = {**page.data, "following": True}
    return Reply(paragraphs=(head, para(line(italic(note))), *rest), buttons=buttons, data=data)


def _followed(cmds: Commands, chat_id: int) -> list[Story]:
    store = cmds.store
    return [s for f in _follows(cmds).following(chat_id) if (s := store.story(f.story_id))]


async def following(cmds: Commands, args: str, caller: Caller) -> Reply:
    """The stories this chat follows."""
    stories = _followed(cmds, caller.chat_id)
    if not stories:
        return simple(
            "You follow no story. /follow [story] follows one (or press 🔔 Follow under a "
            "briefing)."
        )
    lines = [line(bold(f"You follow {len(stories)} stor{'ies' if len(stories) != 1 else 'y'}"))]
    for s in stories:
        lines.append(line(text(f"#{s.id} {s.title} "), italic(f"· {len(s.outlets)} outlets")))
    buttons = tuple(
        (Button(f"#{s.id} {s.title[:30]}", f"/brief {s.id}"), Button("🔕", f"/unfollow {s.id}"))
        for s in stories
    )
    data: dict[str, object] = {"following": [{"story_id": s.id, "title": s.title} for s in stories]}
    return Reply(paragraphs=(tuple(lines),), buttons=buttons, data=data)


async def unfollow(cmds: Commands, args: str, caller: Caller) -> Reply:
    """Stop following a story (the only followed one when no story is named)."""
    stories = _followed(cmds, caller.chat_id)
    ref = args.strip().lstrip("#")
    if not ref:
        if len(stories) != 1:
            if not stories:
                return simple("You follow no story.")
            return simple(cmds.usage("unfollow"), "/following lists the stories you follow.")
        story: Story | Reply = stories[0]
    elif ref.isascii() and ref.isdigit() and len(ref) <= 18:
        story = next((s for s in stories if s.id == int(ref)), None) or simple(
            f"You don't follow story #{ref}. /following lists the stories you follow."
        )
    else:
        story = await cmds.resolve(args, "unfollow")
    if isinstance(story, Reply):
        return story
    if not _follows(cmds).unfollow(caller.chat_id, story.id):
        return simple(f"You don't follow story #{story.id}.")
    return Reply(
        paragraphs=(para(line(text(f"🔕 No more alerts for #{story.id} {story.title}."))),),
        buttons=((Button("🔔 Follow again", f"/follow {story.id}"),),),
        data={"story_id": story.id, "following": False},
    )


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("follow", "[story | words]", "Alerts when a story gains coverage", run=follow),
    CommandSpec("following", "", "The stories you follow", run=following),
    CommandSpec("unfollow", "[story]", "Stop a story's alerts", run=unfollow),
)
