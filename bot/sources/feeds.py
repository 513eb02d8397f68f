"""Feed polling rounds: conditional GET of every due feed, then the pages of its new entries.

No database here: the caller passes the feeds' ``FeedState`` values and a ``known_url`` callback,
and gets back one ``FeedPollResult`` per feed (same order) with the new state to persist.

A round runs in two phases so that its outcome does not depend on network timing:

1. every due feed is fetched and parsed concurrently;
2. in feed order, entries whose URL is neither ``known_url`` nor already taken by an earlier
   feed of this round are selected (at most ``max_entries`` per feed: the rest wait for the next
   round, and that feed's validators are not kept so the next round reads it again), and their
   pages are fetched concurrently. With ``on_entry`` each page is handed over as soon as it and
   every page before it have arrived (in order, a few requests ahead), so a round never holds
   more than a handful of pages; without it the pages come back in the results.

One ``asyncio.Semaphore(limits.concurrency)`` bounds every request of the round, feeds and pages
alike; it is held only around single requests, so nothing waits on itself. Each feed and each
page is fetched under its own ``try``: one failure never stops the others.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import httpx

from bot.sources.fetch import FetchError, FetchLimits, FetchResult, fetch_url, make_client
from summarizer.errors import InputError
from summarizer.read.feeds import FeedEntry, parse_feed

__all__ = [
    "MAX_BACKOFF",
    "POLL_INTERVAL",
    "FeedPollResult",
    "FeedState",
    "PolledEntry",
    "backoff_delay",
    "is_due",
    "poll_feeds",
]

log = logging.getLogger(__name__)

#: Delay before the next poll of a healthy feed; doubled per consecutive failure.
POLL_INTERVAL = timedelta(minutes=5)
#: Upper bound of the backoff delay.
MAX_BACKOFF = timedelta(hours=6)
#: New entries fetched per feed per round by default.
MAX_ENTRIES = 100

_PAGE_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class FeedState:
    """What must be remembered about one feed between rounds."""

    url: str
    etag: str = ""
    last_modified: str = ""
    failures: int = 0
    next_poll_at: datetime | None = None
    last_error: str = ""


@dataclass(frozen=True)
class PolledEntry:
    """A new entry and its fetched page; ``page`` is None (with ``page_error``) if that failed."""

    entry: FeedEntry
    page: FetchResult | None
    page_error: str = ""


@dataclass(frozen=True)
class FeedPollResult:
    """The outcome for one feed: the state to persist, its new entries, an error line or ""."""

    state: FeedState
    entries: tuple[PolledEntry, ...] = ()
    error: str = ""
    not_modified: bool = False


def backoff_delay(failures: int, interval: timedelta = POLL_INTERVAL) -> timedelta:
    """``interval * 2**failures``, at most ``MAX_BACKOFF`` (``interval`` when healthy)."""
    if failures <= 0:
        return interval
    factor: int = 2 ** min(failures, 32)
    return min(interval * factor, MAX_BACKOFF)


def is_due(state: FeedState, now: datetime) -> bool:
    """True when the feed has never been polled or its next poll time has come."""
    return state.next_poll_at is None or state.next_poll_at <= now


def _succeeded(
    state: FeedState, now: datetime, interval: timedelta, etag: str, last_modified: str
) -> FeedState:
    return replace(
        state,
        etag=etag,
        last_modified=last_modified,
        failures=0,
        next_poll_at=now + interval,
        last_error="",
    )


def _failed(state: FeedState, now: datetime, interval: timedelta, error: str) -> FeedState:
    failures = state.failures + 1
    return replace(
        state,
        failures=failures,
        next_poll_at=now + backoff_delay(failures, interval),
        last_error=error,
    )


@dataclass(frozen=True)
class _FeedOutcome:
    """Phase-1 result for one feed: the result without pages, plus the parsed entries."""

    result: FeedPollResult
    entries: tuple[FeedEntry, ...] = ()


async def poll_feeds(
    states: Sequence[FeedState],
    limits: FetchLimits,
    *,
    known_url: Callable[[str], bool],
    now: datetime,
    client: httpx.AsyncClient | None = None,
    interval: timedelta = POLL_INTERVAL,
    max_entries: int = MAX_ENTRIES,
    on_entry: Callable[[int, PolledEntry], Awaitable[None]] | None = None,
) -> list[FeedPollResult]:
    """Poll every due feed and fetch the pages of its unknown entries; one result per state.

    ``now`` must be timezone-aware. Feeds not due come back unchanged with no entries.
    Without ``client`` a client is made with ``make_client(limits)`` and closed afterwards.
    ``known_url`` gets normalised URLs and is called on the event-loop thread (so it may read a
    thread-bound SQLite connection); an exception from it is not caught and ends the round.
    """
    if now.tzinfo is None:
        raise ValueError("poll_feeds needs a timezone-aware 'now'")
    gate = asyncio.Semaphore(max(1, limits.concurrency))
    http = client if client is not None else make_client(limits)
    try:
        due = [i for i, state in enumerate(states) if is_due(state, now)]
        outcomes = await asyncio.gather(
            *(_poll_feed(http, gate, states[i], limits, now, interval) for i in due)
        )
        results = [FeedPollResult(state=state) for state in states]
        taken: set[str] = set()
        jobs: list[tuple[int, FeedEntry]] = []
        for i, outcome in zip(due, outcomes, strict=True):
            results[i] = outcome.result
            fresh = 0
            for entry in outcome.entries:
                if entry.url in taken or known_url(entry.url):
                    continue
                if fresh >= max_entries:  # the rest next round: forget the validators
                    results[i] = replace(
                        results[i], state=replace(results[i].state, etag="", last_modified="")
                    )
                    log.info("feed %s: more than %d new entries", states[i].url, max_entries)
                    break
                taken.add(entry.url)
                jobs.append((i, entry))
                fresh += 1
        collected: dict[int, list[PolledEntry]] = {}

        async def keep(i: int, polled: PolledEntry) -> None:
            collected.setdefault(i, []).append(polled)

        window = 2 * max(1, limits.concurrency)
        await _fetch_in_order(http, gate, jobs, limits, on_entry or keep, window)
        for i, polled in collected.items():
            results[i] = replace(results[i], entries=tuple(polled))
        return results
    finally:
        if client is None:
            await http.aclose()


async def _fetch_in_order(
    client: httpx.AsyncClient,
    gate: asyncio.Semaphore,
    jobs: Sequence[tuple[int, FeedEntry]],
    limits: FetchLimits,
    on_entry: Callable[[int, PolledEntry], Awaitable[None]],
    window: int,
) -> None:
    """Fetch pages at most ``window`` ahead and hand each to ``on_entry`` in job order."""
    ahead: deque[tuple[int, asyncio.Task[PolledEntry]]] = deque()
    try:
        for i, entry in jobs:
            ahead.append((i, asyncio.create_task(_fetch_page(client, gate, entry, limits))))
            if len(ahead) >= window:
                first, task = ahead.popleft()
                await on_entry(first, await task)
        while ahead:
            first, task = ahead.popleft()
            await on_entry(first, await task)
    finally:
        for _, task in ahead:
            task.cancel()


async def _poll_feed(
    client: httpx.AsyncClient,
    gate: asyncio.Semaphore,
    state: FeedState,
    limits: FetchLimits,
    now: datetime,
    interval: timedelta,
) -> _FeedOutcome:
    """Fetch and parse one feed; every failure becomes an error result with backoff."""
    try:
        async with gate:
            fetched = await fetch_url(client, state.url, limits, state.etag, state.last_modified)
        if fetched.not_modified:
            new_state = _succeeded(
                state,
                now,
                interval,
                fetched.etag or state.etag,
                fetched.last_modified or state.last_modified,
            )
            log.info("feed %s: not modified", state.url)
            return _FeedOutcome(FeedPollResult(state=new_state, not_modified=True))
        parsed = await asyncio.to_thread(parse_feed, fetched.content, fetched.final_url)
    except (FetchError, InputError) as exc:
        error = str(exc)
    except Exception as exc:  # a bug or an odd library error must not stop the other feeds
        log.exception("feed %s: unexpected error", state.url)
        error = f"unexpected error: {type(exc).__name__}: {exc}"
    else:
        new_state = _succeeded(state, now, interval, fetched.etag, fetched.last_modified)
        log.info("feed %s: %d entries", state.url, len(parsed.entries))
        return _FeedOutcome(FeedPollResult(state=new_state), parsed.entries)
    error = " ".join(error.split())
    log.warning("feed %s: %s (failure %d)", state.url, error, state.failures + 1)
    return _FeedOutcome(FeedPollResult(state=_failed(state, now, interval, error), error=error))


async def _fetch_page(
    client: httpx.AsyncClient, gate: asyncio.Semaphore, entry: FeedEntry, limits: FetchLimits
) -> PolledEntry:
    """Fetch one entry's page; a failure gives ``page=None`` and the reason."""
    try:
        async with gate:
            page = await fetch_url(client, entry.url, limits)
    except FetchError as exc:
        error = str(exc)
    except Exception as exc:  # never let one page stop the round
        log.exception("page %s: unexpected error", entry.url)
        error = f"unexpected error: {type(exc).__name__}: {exc}"
    else:
        media_type = page.content_type.partition(";")[0].strip().lower()
        if not media_type or media_type in _PAGE_TYPES:
            return PolledEntry(entry=entry, page=page)
        error = f"not an HTML page ({media_type})"
    log.info("page %s: %s", entry.url, error)
    return PolledEntry(entry=entry, page=None, page_error=error)
