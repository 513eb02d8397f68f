"""Alerts for followed stories: plan (claim) on the store's thread, send, then record.

A followed story whose version moved past what the chat has seen gets an alert holding only
what is new since (``summarizer.brief.since``: facts no earlier article stated, new outlets'
headlines), after the chat's filters. Alerts are batched (one message per chat and round), at
most one per story per ``ALERT_GAP``, and held during the chat's quiet hours. Exactly once:
each (chat, story, version) is claimed in the alert log before the send; a send Telegram
refused is retried next round, an ambiguous one counts as sent, as digests do.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from itertools import groupby
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.digest.digest import ChatGone, SendAmbiguous
from bot.digest.updates import update_lines
from bot.reply import Button, Line, Reply, bold, italic, line, para
from bot.store.filters import LENGTH_SCALE, ChatSettings, Prefs
from bot.store.follows import Follow, Follows
from summarizer.brief.filters import Filter
from summarizer.brief.since import Update, story_update
from summarizer.models import Article, Story

if TYPE_CHECKING:
    from bot.store import Store

log = logging.getLogger(__name__)

ALERT_GAP = timedelta(hours=1)  # at most one alert per story per this long
ALERT_WORDS = 80  # about this many words of new facts per story
MAX_STORIES = 5  # per alert message; the rest wait for the next round


@dataclass(frozen=True)
class Claim:
    """One story version an alert carries, and the coverage the chat will then have seen."""

    story_id: int
    version: int
    article_ids: tuple[int, ...]


@dataclass(frozen=True)
class PlannedAlert:
    """A claimed alert, ready to send."""

    chat_id: int
    reply: Reply
    claims: tuple[Claim, ...]
    thread_id: int | None = None  # the forum topic its stories were followed from


def parse_hhmm(value: str) -> time | None:
    """'22:30' -> time(22, 30); None if not a time."""
    hh, _, mm = value.strip().partition(":")
    if not (hh.isdigit() and mm.isdigit() and len(mm) == 2 and len(hh) <= 2):
        return None
    if int(hh) > 23 or int(mm) > 59:
        return None
    return time(int(hh), int(mm))


def quiet(now: datetime, settings: ChatSettings, zone: str) -> bool:
    """Is ``now`` inside the chat's quiet hours (local time; may wrap past midnight)?"""
    start, end = parse_hhmm(settings.quiet_start), parse_hhmm(settings.quiet_end)
    if start is None or end is None or start == end:
        return False
    local = now.astimezone(ZoneInfo(zone)).time().replace(tzinfo=None)
    if start < end:
        return start <= local < end
    return local >= start or local < end


def gap_passed(follow: Follow, now: datetime) -> bool:
    """Has the last alert of this story to this chat been at least ALERT_GAP ago?"""
    return follow.last_alert_at is None or now - follow.last_alert_at >= ALERT_GAP


def unseen(follow: Follow) -> Callable[[Article], bool]:
    """The rule "an article the chat has not been told about"."""
    seen = follow.seen_articles
    return lambda a: a.id not in seen


def _filtered(update: Update, flt: Filter, articles: Sequence[Article]) -> Update:
    outlets = tuple(f for f in update.new_outlets if not flt.article_muted(f.outlet, f.title))
    shown = flt.sentences(update.sentences, articles)
    return Update(update.story_id, update.title, shown, outlets, update.article_ids)


def alert_reply(updates: Sequence[Update]) -> Reply:
    """One alert message: each story's title, then only what is new in it."""
    paras: list[tuple[Line, ...]] = [para(line(bold("🔔 New on stories you follow")))]
    buttons: list[tuple[Button, ...]] = []
    for u in updates:
        n = len(u.article_ids)
        paras.append(
            para(
                line(bold(u.title or f"Story {u.story_id}")),
                line(italic(f"#{u.story_id} · {n} new article{'s' if n != 1 else ''}")),
            )
        )
        paras += update_lines(u)
        label = u.title if len(u.title) <= 30 else u.title[:29] + "…"
        buttons.append(
            (
                Button(f"#{u.story_id} {label}", f"/brief {u.story_id}"),
                Button("🔕", f"/unfollow {u.story_id}"),
            )
        )
    data: dict[str, object] = {
        "alert": [{"story_id": u.story_id, "article_ids": list(u.article_ids)} for u in updates]
    }
    return Reply(paragraphs=tuple(paras), buttons=tuple(buttons), data=data)


def _chat_zone(store: Store, chat_id: int, default_zone: str) -> str:
    sub = store.subscription(chat_id)
    return sub[1] if sub else default_zone


@dataclass(frozen=True)
class Due:
    """A followed story with coverage the chat has not seen, read for computing its update."""

    follow: Follow
    story: Story
    articles: tuple[Article, ...]
    flt: Filter
    words: int


def due_alerts(
    store: Store, now: datetime, default_zone: str = "UTC", words: int = ALERT_WORDS
) -> list[Due]:
    """The follows to look at this round (reads only): changed stories outside the chat's
    quiet hours, at least ALERT_GAP after the story's last alert, MAX_STORIES per chat."""
    follows, prefs = Follows(store.conn), Prefs(store.conn)
    due: list[Due] = []
    for chat_id, group in groupby(follows.changed(), key=lambda f: f.chat_id):
        mine = prefs.settings(chat_id)
        if quiet(now, mine, _chat_zone(store, chat_id, default_zone)):
            continue
        flt = prefs.rule(chat_id)
        size = max(30, int(words * LENGTH_SCALE.get(mine.length, 1.0)))
        picked = 0
        for f in group:
            if picked >= MAX_STORIES or not gap_passed(f, now):
                continue
            with store.snapshot():
                story = store.story(f.story_id)
                arts = tuple(store.articles(story.article_ids)) if story else ()
            if story is None:
                continue  # merged away or emptied: nothing to tell
            due.append(Due(f, story, arts, flt, size))
            picked += 1
    return due


def compute_update(due: Due) -> Update | None:
    """What a due follow's alert would say (pure, CPU-bound); None when nothing to show."""
    story, flt = due.story, due.flt
    if not flt.story_visible(story.title, [(a.outlet, a.title) for a in due.articles]):
        return None
    found = story_update(story.id, story.title, due.articles, unseen(due.follow), due.words)
    update = _filtered(found, flt, due.articles)
    return None if update.empty else update


def claim_alerts(
    store: Store, now: datetime, due: Sequence[Due], updates: Sequence[Update | None]
) -> list[PlannedAlert]:
    """Claim the alerts to send (one message per chat and forum topic followed from); follows
    with nothing new to show (only repeats, or everything filtered) are marked seen silently."""
    follows = Follows(store.conn)
    by_chat: dict[tuple[int, int | None], list[tuple[Update, Claim]]] = {}
    for d, update in zip(due, updates, strict=True):
        chat_id, story = d.follow.chat_id, d.story
        everything = tuple(a.id for a in d.articles)
        if update is None or not follows.claim_alert(
            chat_id, story.id, story.version, update.article_ids, now
        ):
            follows.mark_seen(chat_id, story.id, story.version, everything)
            continue
        where = (chat_id, d.follow.thread_id)
        by_chat.setdefault(where, []).append((update, Claim(story.id, story.version, everything)))
    return [
        PlannedAlert(chat, alert_reply([u for u, _ in items]), tuple(c for _, c in items), thread)
        for (chat, thread), items in by_chat.items()
    ]


def plan_alerts(
    store: Store, now: datetime, default_zone: str = "UTC", words: int = ALERT_WORDS
) -> list[PlannedAlert]:
    """A whole round's planning in one call: read, compute, claim (the Telegram job does the
    three steps apart, computing off the store's thread)."""
    due = due_alerts(store, now, default_zone, words)
    return claim_alerts(store, now, due, [compute_update(d) for d in due])


def record_alert(
    store: Store, alert: PlannedAlert, error: BaseException | None, now: datetime
) -> str:
    """Log a sent (or failed) alert; returns 'sent', 'failed' or 'gone'."""
    follows = Follows(store.conn)
    with store.atomic():
        if error is None or isinstance(error, SendAmbiguous):
            note = "" if error is None else f"ambiguous: {error}"[:200]
            for c in alert.claims:
                follows.finish_alert(alert.chat_id, c.story_id, c.version, "sent", now, note)
                follows.mark_seen(alert.chat_id, c.story_id, c.version, c.article_ids, now)
            return "sent"
        for c in alert.claims:
            follows.finish_alert(
                alert.chat_id, c.story_id, c.version, "failed", now, str(error)[:200]
            )
        if isinstance(error, ChatGone):
            for f in follows.following(alert.chat_id):
                follows.unfollow(alert.chat_id, f.story_id)
            log.info("chat %s blocked the bot: its follows removed", alert.chat_id)
            return "gone"
    log.warning("alert for chat %s failed, will retry next round: %s", alert.chat_id, error)
    return "failed"
