"""Per-chat filters: /mute outlet NAME, /mute word WORD, /only word WORD, /unmute, /filters.

They apply to /stories, the briefing, digests and follow alerts (``summarizer.brief.filters``):
a story is hidden when all its coverage is muted; a muted outlet stays in the credits but its
words are never shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from bot.chat.reply import Button, Reply, bold, line, para, simple, text
from bot.chat.spec import Caller, CommandSpec
from bot.store.filters import ChatFilters, Prefs
from summarizer.models import Briefing, Story

if TYPE_CHECKING:
    from bot.chat.commands import Commands
    from bot.store import Store

MAX_FILTERS = 50
MAX_VALUE = 60
_KIND = {"outlet": "outlet", "word": "word"}


def visible_stories(store: Store, chat_id: int, stories: Sequence[Story]) -> list[Story]:
    """The stories a chat's filters let through (all of them when it has none)."""
    flt = Prefs(store.conn).rule(chat_id)
    if flt.empty:
        return list(stories)
    out = []
    for s in stories:
        coverage = [(a.outlet, a.title) for a in store.articles(s.article_ids)]
        if flt.story_visible(s.title, coverage):
            out.append(s)
    return out


def shown_briefing(store: Store, chat_id: int, briefing: Briefing) -> Briefing:
    """The briefing without the sentences a chat's filters keep from being shown."""
    flt = Prefs(store.conn).rule(chat_id)
    if flt.empty:
        return briefing
    story = store.story(briefing.story_id)
    arts = store.articles(story.article_ids) if story else []
    return replace(
        briefing,
        sentences=flt.sentences(briefing.sentences, arts),
        exclusives=flt.sentences(briefing.exclusives, arts),
        framings=tuple(f for f in briefing.framings if not flt.article_muted(f.outlet, f.title)),
    )


def _parse(args: str) -> tuple[str, str] | None:
    """'outlet Meridian Post' -> ('outlet', 'Meridian Post'); None if malformed."""
    kind, _, value = args.strip().partition(" ")
    value = " ".join(value.split())
    if kind.lower() not in _KIND or not value or len(value) > MAX_VALUE:
        return None
    if kind.lower() == "word" and " " in value:
        return None
    return _KIND[kind.lower()], value


def _listing(f: ChatFilters) -> Reply:
    if f.empty:
        return simple(
            "No filters. /mute outlet NAME, /mute word WORD and /only word WORD set some."
        )
    lines = [line(bold("Your filters"))]
    if f.outlets:
        lines.append(line(text("Muted outlets: " + ", ".join(f.outlets))))
    if f.words:
        lines.append(line(text("Muted words: " + ", ".join(f.words))))
    if f.only:
        lines.append(line(text("Only stories naming: " + ", ".join(f.only))))
    buttons = [
        (Button(f"Unmute {v}"[:40], f"/unmute {kind} {v}"),)
        for kind, values in (("outlet", f.outlets), ("word", f.words), ("only", f.only))
        for v in values
    ]
    buttons.append((Button("Clear all", "/unmute all"),))
    data: dict[str, object] = {
        "outlets": list(f.outlets),
        "words": list(f.words),
        "only": list(f.only),
    }
    return Reply(paragraphs=(tuple(lines),), buttons=tuple(buttons), data=data)


async def _add(cmds: Commands, caller: Caller, kind: str, value: str) -> Reply:
    prefs = Prefs(cmds.store.conn)
    current = prefs.filters(caller.chat_id)
    if len(current.outlets) + len(current.words) + len(current.only) >= MAX_FILTERS:
        return simple(f"You have {MAX_FILTERS} filters already. /filters lists them.")
    added = prefs.add_filter(caller.chat_id, kind, value)
    reply = _listing(prefs.filters(caller.chat_id))
    note = {
        "outlet": f"Muted outlet “{value}”.",
        "word": f"Muted the word “{value}”.",
        "only": f"Only stories naming “{value}” now.",
    }[kind]
    if not added:
        note = "You had that filter already."
    return Reply(
        paragraphs=(para(line(text(note))), *reply.paragraphs),
        buttons=reply.buttons,
        data=reply.data,
    )


async def mute(cmds: Commands, args: str, caller: Caller) -> Reply:
    """Mute an outlet or a word in this chat."""
    parsed = _parse(args)
    if parsed is None:
        return simple(
            cmds.usage("mute"), "For example: /mute outlet Meridian Post, /mute word sport"
        )
    return await _add(cmds, caller, *parsed)


async def only(cmds: Commands, args: str, caller: Caller) -> Reply:
    """Show only stories naming a word (several /only words: any of them)."""
    parsed = _parse(args)
    if parsed is None or parsed[0] != "word":
        return simple(cmds.usage("only"))
    return await _add(cmds, caller, "only", parsed[1])


async def unmute(cmds: Commands, args: str, caller: Caller) -> Reply:
    """Remove a filter, or all of them."""
    prefs = Prefs(cmds.store.conn)
    if args.strip().lower() == "all":
        n = prefs.clear_filters(caller.chat_id)
        return simple(f"Removed {n} filter{'s' if n != 1 else ''}.")
    kind, _, value = args.strip().partition(" ")
    value = " ".join(value.split())
    if kind.lower() not in ("outlet", "word", "only") or not value:
        return simple(cmds.usage("unmute"))
    if not prefs.remove_filter(caller.chat_id, kind.lower(), value):
        return simple("There is no such filter. /filters lists yours.")
    return _listing(prefs.filters(caller.chat_id))


async def filters(cmds: Commands, args: str, caller: Caller) -> Reply:
    """This chat's filters."""
    return _listing(Prefs(cmds.store.conn).filters(caller.chat_id))


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("mute", "outlet NAME | word WORD", "Hide an outlet or a word", run=mute),
    CommandSpec("only", "word WORD", "Show only stories naming a word", run=only),
    CommandSpec(
        "unmute", "outlet NAME | word WORD | only WORD | all", "Remove a filter", run=unmute
    ),
    CommandSpec("filters", "", "Your filters", run=filters),
)
