"""Daily digests: what goes in one, when it is due, and exactly-once delivery through a sent-log.

Framework-free: the Telegram layer passes a ``send`` coroutine (and a ``gate`` that paces sends)
and schedules ``deliver`` calls.

Exactly once: a chat's (chat, day) row is claimed immediately before its send call, inside the
gate, so a crash can only catch the one digest whose request is in flight. Definite failures
(the server answered 5xx or 429 past its retries, or the request never left) are retried with
backoff the same day; an ambiguous outcome (timeout or dropped connection after the request was
written) counts as sent, because sending again could deliver it twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from typing import TYPE_CHECKING, Protocol, TypeVar
from zoneinfo import ZoneInfo

from bot.digest.updates import digest_lines, digest_update, visible
from bot.reply import Button, Line, Reply, bold, italic, line, para, text
from bot.store.filters import Prefs
from summarizer.stories.toplist import rank_stories

if TYPE_CHECKING:
    from bot.store import Store
    from summarizer.models import Briefing, StoryQuote

log = logging.getLogger(__name__)

T = TypeVar("T")


class DigestSource(Protocol):
    """What digests need from the bot: store access, the clock and a story's cached views.

    The command layer provides it (bot.chat.commands, store calls inline); the Telegram layer
    provides one whose store calls run on a worker thread, never on the event loop. Digests never
    import the command layer.
    """

    @property
    def clock(self) -> Callable[[], datetime]:
        """The current time (aware)."""
        ...

    async def db(self, fn: Callable[[Store], T]) -> T:
        """The result of a store function, run where the store may be used."""
        ...

    async def story_views(self, story_id: int) -> tuple[Briefing, list[StoryQuote]]:
        """A story's briefing and quotes, computed if they are not cached."""
        ...


EMPTY_NOTE = "No new stories today. I'll be back tomorrow."
DIGEST_SENTENCES = 3
DIGEST_WORDS = 70
WINDOW = timedelta(hours=24)


class ChatGone(Exception):
    """The chat blocked the bot or no longer exists: unsubscribe it."""


class SendFailed(Exception):
    """Definitely not delivered, and retrying later may work (5xx, 429 past retries, no connection)."""


class SendAmbiguous(Exception):
    """The request left but no answer came back (timeout, dropped connection): maybe delivered."""


# Backoff between attempts of one digest on one day (seconds); attempts stop when the day ends.
RETRY_DELAYS: tuple[float, ...] = (10.0, 60.0, 300.0, 1800.0, 3600.0)


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


async def build_digest(commands: DigestSource, chat_id: int, zone: str, n: int) -> BuiltDigest:
    """The day's top stories for a chat: new ones, and sent ones only if coverage grew."""
    now = commands.clock()
    sent, recent = await commands.db(
        lambda store: (
            store.sent_coverage(chat_id),
            store.stories_between(now - WINDOW, now + timedelta(minutes=1)),
        )
    )
    candidates = rank_stories(recent, now)
    flt = await commands.db(lambda store: Prefs(store.conn).rule(chat_id))  # the chat's /filters
    picked: list[tuple[DigestItem, Line, Line, str]] = []
    for story in candidates:
        count = len(story.article_ids)
        before = sent.get(story.id)
        if before is not None and count <= before:
            continue
        if not flt.empty and not await commands.db(partial(visible, story=story, flt=flt)):
            continue
        if before is not None:  # sent before: only what is new since, not the briefing again
            update = await commands.db(
                partial(digest_update, story=story, sent_count=before, flt=flt, words=DIGEST_WORDS)
            )
            if update.empty:
                continue
            body = digest_lines(update)
        else:
            briefing, _ = await commands.story_views(story.id)
            summary = _summary(tuple(s.text for s in flt.sentences(briefing.sentences)))
            if not summary:
                continue
            body = line(text(summary))
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
                body,
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
Gate = Callable[[], AbstractAsyncContextManager[object]]


def _no_gate() -> AbstractAsyncContextManager[object]:
    return contextlib.nullcontext()


async def deliver(
    commands: DigestSource,
    chat_id: int,
    zone: str,
    n: int,
    send: Send,
    *,
    empty_note: bool,
    gate: Gate = _no_gate,
    retry_delays: Sequence[float] = (),
) -> str:
    """Send a chat's digest for its current local day at most once; returns the logged status.

    Inside ``gate`` (the pacer: at most one digest in flight), the (chat, day) row is claimed
    right before the send call and marked right after, so a restart never sends a day's digest
    twice. A chat that blocked the bot is unsubscribed. A definite failure is retried after each
    of ``retry_delays`` while the local day lasts; an ambiguous one is logged and counts as sent.
    """
    day = local_day(commands.clock(), zone).isoformat()
    delays = list(retry_delays)
    while True:
        status = await commands.db(lambda store: store.digest_status(chat_id, day))
        if status not in (None, "failed"):
            return status or "sent"
        built = await build_digest(commands, chat_id, zone, n)
        reply = built.reply if built.items else Reply(paragraphs=(para(line(EMPTY_NOTE)),))
        wanted = bool(built.items) or empty_note
        items = [(i.story_id, i.article_count) for i in built.items]
        async with gate() if wanted else contextlib.nullcontext():
            ids = [i.story_id for i in built.items]
            taken = await commands.db(partial(_claim, chat_id=chat_id, day=day, story_ids=ids))
            if taken is not None:
                return taken
            error = await _attempt(send, chat_id, reply if wanted else None)
        # Logged outside the gate: the next chat's send need not wait for this write, and a
        # crash before it leaves this (answered) digest "sending", which is never sent again.
        status = await commands.db(
            partial(_record, chat_id=chat_id, day=day, items=items, error=error)
        )
        if status != "retry":
            return status
        if not delays or local_day(commands.clock(), zone).isoformat() != day:
            return "failed"
        await asyncio.sleep(delays.pop(0))
        if local_day(commands.clock(), zone).isoformat() != day:
            return "failed"


def _claim(store: Store, chat_id: int, day: str, story_ids: list[int]) -> str | None:
    """Claim (chat, day) for sending: None when claimed, else the status that was already there."""
    if store.claim_digest(chat_id, day, story_ids):
        return None
    return store.digest_status(chat_id, day) or "sent"


async def _attempt(send: Send, chat_id: int, reply: Reply | None) -> Exception | None:
    """One send call (none when there is nothing to send); the error it raised, if any."""
    try:
        if reply is not None:
            await send(chat_id, reply)
    except Exception as exc:
        return exc
    return None


def _record(
    store: Store,
    chat_id: int,
    day: str,
    items: list[tuple[int, int]],
    error: Exception | None,
) -> str:
    """Log a claimed attempt's outcome; 'retry' for a definite failure worth another try."""
    if error is None:
        status = "sent" if items else "empty"
        store.finish_digest(chat_id, day, status, items)
        return status
    if isinstance(error, ChatGone):
        store.finish_digest(chat_id, day, "failed", [], error=f"chat gone: {error}")
        store.unsubscribe(chat_id)
        log.info("chat %s blocked the bot: unsubscribed", chat_id)
        return "unsubscribed"
    if isinstance(error, SendAmbiguous):
        # Maybe delivered: sending again could duplicate it, so it counts as sent.
        store.finish_digest(chat_id, day, "sent", items, error=f"ambiguous: {error}"[:200])
        log.warning("digest for chat %s: outcome unknown (%s); counted as sent", chat_id, error)
        return "sent"
    store.finish_digest(chat_id, day, "failed", [], error=str(error)[:200])
    if isinstance(error, SendFailed):
        log.warning("digest for chat %s failed, will retry: %s", chat_id, error)
        return "retry"
    log.warning("digest for chat %s failed: %s", chat_id, error)
    return "failed"


def catch_up_due(now: datetime, at: time, zone: str, since: datetime | None) -> bool:
    """True when today's digest time has passed and the subscription existed before it.

    A chat that subscribed (or changed its time) after that day's time had passed starts the
    next day: its first digest is never a "missed" one.
    """
    if not is_due(now, at, zone):
        return False
    return since is None or since < due_at(local_day(now, zone), at, zone)


def _missed(store: Store, now: datetime) -> list[tuple[int, str, int]]:
    """(chat, zone, stories) of every subscription whose digest today is due and not yet sent."""
    due: list[tuple[int, str, int]] = []
    for chat_id, at, zone, n in store.subscriptions():
        hh, mm = (int(x) for x in at.split(":"))
        day = local_day(now, zone).isoformat()
        if not catch_up_due(now, time(hh, mm), zone, store.subscribed_since(chat_id)):
            continue
        if store.digest_status(chat_id, day) in (None, "failed"):
            due.append((chat_id, zone, n))
    return due


async def catch_up(
    commands: DigestSource,
    send: Send,
    *,
    empty_note: bool,
    gate: Gate = _no_gate,
    retry_delays: Sequence[float] = (),
) -> dict[int, str]:
    """On start: send every digest whose time has passed today and that was never attempted.

    The chats go through ``deliver`` together (the gate paces them), so one chat waiting to retry
    does not hold up the others.
    """
    now = commands.clock()
    due = await commands.db(lambda store: _missed(store, now))
    statuses = await asyncio.gather(
        *(
            deliver(
                commands,
                chat_id,
                zone,
                n,
                send,
                empty_note=empty_note,
                gate=gate,
                retry_delays=retry_delays,
            )
            for chat_id, zone, n in due
        )
    )
    return {chat_id: status for (chat_id, _, _), status in zip(due, statuses, strict=True)}
