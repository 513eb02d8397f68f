"""Daily digests: what goes in one, when it is due, and exactly-once delivery through a sent-log.

Framework-free: the Telegram layer passes a ``send`` coroutine and schedules ``deliver`` calls.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.chat.reply import Button, Line, Reply, bold, italic, line, para, text
from summarizer.stories.toplist import rank_stories

if TYPE_CHECKING:
    from bot.chat.commands import Commands

log = logging.getLogger(__name__)

EMPTY_NOTE = "No new stories today. I'll be back tomorrow."
DIGEST_SENTENCES = 3
DIGEST_WORDS = 70
WINDOW = timedelta(hours=24)


class ChatGone(Exception):
    """The chat blocked the bot or no longer exists: unsubscribe it."""


class SendFailed(Exception):
    """Telegram refused the message for a reason that retrying later may fix."""


@dataclass(frozen=True)
class DigestItem:
    """One story in a digest and its coverage when sent."""

    story_id: int
    article_count: int
    updated: bool


@dataclass(frozen=True)
class BuiltDigest:
    """A digest ready to send."""

    reply: Reply
    items: tuple[DigestItem, ...]


def local_day(now: datetime, zone: str) -> date:
    """The calendar day at ``now`` in a time zone."""
    return now.astimezone(ZoneInfo(zone)).date()


def due_at(day: date, at: time, zone: str) -> datetime:
    """The aware instant of a local wall-clock time on a local day (DST-safe: fold=0, gaps shift)."""
    tz = ZoneInfo(zone)
    naive = datetime.combine(day, at)
    aware = naive.replace(tzinfo=tz)
    # A time inside a spring-forward gap does not exist: round-tripping through UTC moves it on.
    return aware.astimezone(UTC).astimezone(tz)


def is_due(now: datetime, at: time, zone: str) -> bool:
    """True when today's digest time in that zone has passed (so a missed digest can be caught up)."""
    day = local_day(now, zone)
    return now >= due_at(day, at, zone)


def _summary(sentences: tuple[str, ...]) -> str:
    out: list[str] = []
    count = 0
    for s in sentences[:DIGEST_SENTENCES]:
        n = len(s.split())
        if out and count + n > DIGEST_WORDS:
            break
        out.append(s)
        count += n
    return " ".join(out)


async def build_digest(commands: Commands, chat_id: int, zone: str, n: int) -> BuiltDigest:
    """The day's top stories for a chat: new ones, and sent ones only if coverage grew."""
    store = commands.store
    now = commands.clock()
    sent = store.sent_coverage(chat_id)
    candidates = rank_stories(store.stories_between(now - WINDOW, now + timedelta(minutes=1)), now)
    picked: list[tuple[DigestItem, Line, Line, str]] = []
    for story in candidates:
        count = len(story.article_ids)
        before = sent.get(story.id)
        if before is not None and count <= before:
            continue
        briefing, _ = await commands.story_views(story.id)
        summary = _summary(tuple(s.text for s in briefing.sentences))
        if not summary:
            continue
        outlets = len(story.outlets)
        head = line(
            bold(
                ("Updated: " if before is not None else "") + (story.title or f"Story {story.id}")
            ),
            italic(f" · {outlets} outlet{'s' if outlets != 1 else ''} · #{story.id}"),
        )
        picked.append(
            (
                DigestItem(story.id, count, before is not None),
                head,
                line(text(summary)),
                story.title,
            )
        )
        if len(picked) >= n:
            break
    day = local_day(now, zone)
    paras: list[tuple[Line, ...]] = [para(line(bold(f"Your briefing for {day:%A, %d %B}")))]
    buttons: list[tuple[Button, ...]] = []
    for item, head, body, title in picked:
        paras.append(para(head, body))
        label = title if len(title) <= 36 else title[:35] + "…"
        buttons.append((Button(f"#{item.story_id} {label}", f"/brief {item.story_id}"),))
    return BuiltDigest(
        Reply(paragraphs=tuple(paras), buttons=tuple(buttons)), tuple(i for i, *_ in picked)
    )


Send = Callable[[int, Reply], Awaitable[None]]


async def deliver(
    commands: Commands, chat_id: int, zone: str, n: int, send: Send, *, empty_note: bool
) -> str:
    """Send a chat's digest for its current local day at most once; returns the logged status.

    The (chat, day) row is claimed before sending and marked after, so a restart never sends a
    day's digest twice. A chat that blocked the bot is unsubscribed.
    """
    store = commands.store
    day = local_day(commands.clock(), zone).isoformat()
    built = await build_digest(commands, chat_id, zone, n)
    if not store.claim_digest(chat_id, day, [i.story_id for i in built.items]):
        return store.digest_status(chat_id, day) or "sent"
    try:
        if built.items:
            await send(chat_id, built.reply)
        elif empty_note:
            await send(chat_id, Reply(paragraphs=(para(line(EMPTY_NOTE)),)))
    except ChatGone as exc:
        store.finish_digest(chat_id, day, "failed", [], error=f"chat gone: {exc}")
        store.unsubscribe(chat_id)
        log.info("chat %s blocked the bot: unsubscribed", chat_id)
        return "unsubscribed"
    except Exception as exc:
        store.finish_digest(chat_id, day, "failed", [], error=str(exc)[:200])
        log.warning("digest for chat %s failed: %s", chat_id, exc)
        return "failed"
    status = "sent" if built.items else "empty"
    store.finish_digest(chat_id, day, status, [(i.story_id, i.article_count) for i in built.items])
    return status


async def catch_up(commands: Commands, send: Send, *, empty_note: bool) -> dict[int, str]:
    """On start: send every digest whose time has passed today and that was never attempted."""
    out: dict[int, str] = {}
    now = commands.clock()
    for chat_id, at, zone, n in commands.store.subscriptions():
        hh, mm = (int(x) for x in at.split(":"))
        day = local_day(now, zone).isoformat()
        if is_due(now, time(hh, mm), zone) and commands.store.digest_status(chat_id, day) in (
            None,
            "failed",
        ):
            out[chat_id] = await deliver(commands, chat_id, zone, n, send, empty_note=empty_note)
    return out
