"""/settings: the digest (time, zone), briefing length, digest size and quiet hours, each
changed with a button (the page edits itself in place) or `/settings length short`,
`/settings digest 3`, `/settings quiet 22:00-07:00`, `/settings quiet off`."""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace
from typing import TYPE_CHECKING

from bot.chat.reply import Button, Line, Reply, bold, italic, line, para, simple, text
from bot.chat.spec import Caller
from bot.store.filters import LENGTH_SCALE, LENGTHS, ChatSettings, Prefs
from summarizer.models import Briefing, BriefSentence, Story

if TYPE_CHECKING:
    from bot.chat.commands import Commands

SIZES = (3, 5, 10)
QUIET_CHOICES = ("22:00-07:00", "23:00-08:00")
USAGE = "Usage: /settings [length short|standard|long | digest N | quiet HH:MM-HH:MM | quiet off]"
_QUIET_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)-([01]?\d|2[0-3]):([0-5]\d)$")


def _prefs(cmds: Commands) -> Prefs:
    return Prefs(cmds.store.conn)


def _choice(label: str, current: bool, data: str) -> Button:
    return Button(("• " if current else "") + label, data)


def settings_page(cmds: Commands, chat_id: int, note: str = "") -> Reply:
    """The settings page with a row of buttons per setting."""
    mine = _prefs(cmds).settings(chat_id)
    sub = cmds.store.subscription(chat_id)
    size = sub[2] if sub else (mine.digest_size or cmds.settings.digest_stories)
    quiet = f"{mine.quiet_start}–{mine.quiet_end}" if mine.quiet_start else "off"
    if sub:
        lines: list[Line] = [
            line(bold("Your digest")),
            line(text(f"Time: {sub[0]}")),
            line(text(f"Time zone: {sub[1]}")),
            line(text(f"Length: up to {size} stories, each with a short briefing")),
        ]
    else:
        at = cmds.settings.digest_time.strftime("%H:%M")
        lines = [
            line(bold("No daily digest for this chat.")),
            line(
                text(
                    f"/subscribe starts one at {at} ({cmds.settings.digest_zone}); "
                    "/subscribe 07:30 Europe/Berlin picks the time and zone."
                )
            ),
        ]
    lines.append(line(text(f"Briefing length: {mine.length}")))
    lines.append(line(text(f"Quiet hours for follow alerts: {quiet}")))
    paras = [tuple(lines)]
    if note:
        paras.insert(0, para(line(italic(note))))
    buttons = (
        tuple(_choice(v.capitalize(), v == mine.length, f"/settings length {v}") for v in LENGTHS),
        tuple(_choice(f"{n} stories", n == size, f"/settings digest {n}") for n in SIZES),
        (
            _choice("No quiet hours", not mine.quiet_start, "/settings quiet off"),
            *(
                _choice(q.replace("-", "–"), quiet == q.replace("-", "–"), f"/settings quiet {q}")
                for q in QUIET_CHOICES
            ),
        ),
    )
    data: dict[str, object] = {
        "length": mine.length,
        "digest_size": size,
        "quiet": None if not mine.quiet_start else [mine.quiet_start, mine.quiet_end],
        "subscribed": sub is not None,
    }
    return Reply(paragraphs=tuple(paras), buttons=buttons, data=data)


async def settings(cmds: Commands, args: str, caller: Caller) -> Reply:
    """Show or change this chat's settings."""
    parts = args.lower().split()
    if not parts:
        return settings_page(cmds, caller.chat_id)
    prefs = _prefs(cmds)
    mine = prefs.settings(caller.chat_id)
    what, value = parts[0], " ".join(parts[1:])
    if what == "length" and value in LENGTHS:
        prefs.save_settings(caller.chat_id, replace(mine, length=value))
        return settings_page(cmds, caller.chat_id, f"Briefings are now {value}.")
    if what == "digest" and value.isascii() and value.isdigit() and 1 <= int(value) <= 20:
        n = int(value)
        prefs.save_settings(caller.chat_id, replace(mine, digest_size=n))
        sub = cmds.store.subscription(caller.chat_id)
        if sub:  # the digest job reads the size from the subscription
            cmds.store.subscribe(caller.chat_id, sub[0], sub[1], n, since=cmds.clock())
        return settings_page(cmds, caller.chat_id, f"Digests now hold up to {n} stories.")
    if what == "quiet" and value in ("off", "none"):
        prefs.save_settings(caller.chat_id, replace(mine, quiet_start="", quiet_end=""))
        return settings_page(cmds, caller.chat_id, "No quiet hours: alerts come any time.")
    m = _QUIET_RE.match(value.replace("–", "-").replace(" ", ""))
    if what == "quiet" and m and m.group(1, 2) != m.group(3, 4):
        start, end = (f"{int(m.group(i)):02d}:{m.group(i + 1)}" for i in (1, 3))
        prefs.save_settings(caller.chat_id, replace(mine, quiet_start=start, quiet_end=end))
        return settings_page(cmds, caller.chat_id, f"Quiet hours {start}–{end}: alerts wait.")
    return simple(USAGE)


def chat_settings(cmds: Commands, chat_id: int) -> ChatSettings:
    """A chat's settings (defaults when never set)."""
    return _prefs(cmds).settings(chat_id)


async def sized_briefing(
    cmds: Commands, chat_id: int, story: Story, briefing: Briefing
) -> Briefing:
    """The briefing at this chat's length: the cached one, its first half, or a longer one."""
    length = chat_settings(cmds, chat_id).length
    if length == "standard":
        return briefing
    words = max(30, int(cmds.settings.brief_words * LENGTH_SCALE[length]))
    if length == "short":
        kept: list[BriefSentence] = []
        used = 0
        for s in briefing.sentences:
            n = len(s.text.split())
            if kept and used + n > words:
                break
            kept.append(s)
            used += n
        return replace(briefing, sentences=tuple(kept))
    from summarizer.brief.briefing import build_briefing

    articles = cmds.store.articles(story.article_ids)
    return await asyncio.to_thread(build_briefing, story.id, story.title, articles, words)
