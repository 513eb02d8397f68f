"""/chart [story]: the story's coverage chart (coverage_chart) as a PNG file with a short caption."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from bot.chat.reply import Reply, bold, italic, line, para, simple
from bot.chat.spec import Caller, CommandSpec
from bot.reply import Attachment

if TYPE_CHECKING:
    from bot.chat.commands import Commands


async def chart(cmds: Commands, args: str, caller: Caller) -> Reply:
    """Which outlets covered a story and when, as a chart."""
    from bot.chat.coverage_chart import render_chart

    found = await cmds.resolve(args, "chart")
    if isinstance(found, Reply):
        return found
    story = found
    arts = cmds.store.articles(story.article_ids)
    try:
        png = await asyncio.to_thread(render_chart, story.title, arts)
    except ValueError as exc:
        return simple(f"No chart for story #{story.id}: {exc}.")
    n = len(story.outlets)
    caption = para(
        line(bold(f"Coverage of #{story.id} {story.title}")),
        line(
            italic(f"{n} outlet{'s' if n != 1 else ''} · {len(arts)} articles · red: first report")
        ),
    )
    return Reply(
        paragraphs=(caption,),
        data={"story_id": story.id, "png_bytes": len(png)},
        file=Attachment(f"story-{story.id}-coverage.png", png),
    )


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("chart", "[story | words]", "Who covered a story and when, as a chart", run=chart),
)
