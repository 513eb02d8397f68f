"""/start and /help."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.chat.reply import Button, Reply, bold, italic, line, para, text
from bot.chat.spec import Caller, CommandSpec

if TYPE_CHECKING:
    from bot.chat.commands import Commands


async def start(cmds: Commands, args: str, caller: Caller) -> Reply:
    """Welcome."""
    n = cmds.store.story_count()
    return Reply(
        paragraphs=(
            para(line(bold("Hi! I read the news so you don't read the same story five times."))),
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


async def help_(cmds: Commands, args: str, caller: Caller) -> Reply:
    """Every command with its arguments (admin commands only for admins)."""
    lines = [line(bold("Commands"))]
    for c in cmds.specs:
        if c.admin and not caller.is_admin:
            continue
        lines.append(
            line(bold(f"/{c.name}"), text(f" {c.args}".rstrip()), text(f" — {c.description}"))
        )
    tail = para(line(italic("A story is its number (#12) or a few words to search for.")))
    return Reply(paragraphs=(tuple(lines), tail))


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("start", "", "Welcome and a quick tour", run=start),
    CommandSpec("help", "", "Every command", run=help_),
)
