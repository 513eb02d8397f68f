"""Scheduled work: daily digests, the start-up catch-up and refresh, feed polling."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from telegram.ext import Application, CallbackContext

from bot.chat.reply import Reply
from bot.digest import digest
from bot.store import Subscription
from bot.telegram.shared_views import warm_up
from bot.telegram.workers import StoreBusy, is_locked

log = logging.getLogger(__name__)

AnyApp = Application[Any, Any, Any, Any, Any, Any]
AnyContext = CallbackContext[Any, Any, Any, Any]


def _runtime(app: AnyApp) -> Any:
    """The BotRuntime (typed as Any here to keep this module free of an import cycle)."""
    return app.bot_data["runtime"]


def _sender(app: AnyApp) -> digest.Send:
    rt = _runtime(app)

    async def send(cid: int, reply: Reply) -> None:
        await rt.send_digest(app, cid, reply)

    return send


@dataclass(frozen=True)
class Retry:
    """A scheduled run that met a locked store: how many retries so far, and when it first ran."""

    attempt: int
    started: datetime


def store_locked(exc: BaseException) -> bool:
    """True when a job failed because another connection held the store's write lock."""
    return isinstance(exc, StoreBusy) or is_locked(exc)


def retry_later(
    app: AnyApp,
    name: str,
    callback: Callable[[AnyContext], Coroutine[Any, Any, None]],
    retry: Retry,
    chat_id: int | None = None,
) -> bool:
    """Run ``callback`` again after the next of the runtime's store-retry delays (backoff,
    bounded); False when the delays are used up or there is no job queue."""
    delays = _runtime(app).store_retry_delays
    jq = app.job_queue
    if jq is None or retry.attempt >= len(delays):
        log.error("%s: the store stayed locked; giving up until the next scheduled run", name)
        return False
    for job in jq.get_jobs_by_name(name):
        job.schedule_removal()
    delay = delays[retry.attempt]
    jq.run_once(
        callback,
        when=delay,
        chat_id=chat_id,
        name=name,
        data=Retry(retry.attempt + 1, retry.started),
    )
    log.warning("%s: the store is locked; trying again in %.0f s", name, delay)
    return True


async def digest_job(context: AnyContext) -> None:
    """Send one chat's daily digest (exactly once per local day, see bot.digest.digest); if the
    store is locked, try again a little later the same local day."""
    app = context.application
    job = context.job
    if job is None or job.chat_id is None:
        return
    chat_id = job.chat_id
    rt = _runtime(app)
    retry = job.data if isinstance(job.data, Retry) else Retry(0, rt.commands.clock())
    try:
        status = await _deliver(app, chat_id, retry.started)
    except Exception as exc:
        if not store_locked(exc):
            raise
        retry_later(app, f"digest-retry:{chat_id}", digest_job, retry, chat_id)
        return
    if status is None:
        return
    log.info("digest for chat %s: %s", chat_id, status)
    if status == "unsubscribed":
        schedule_chat(app, chat_id, None)


async def _deliver(app: AnyApp, chat_id: int, started: datetime) -> str | None:
    """Deliver the digest of the local day ``started`` fell on (a retry past it gives up)."""
    rt = _runtime(app)
    sub = await rt.commands.db(lambda store: store.subscription(chat_id))
    if sub is None:
        return None
    zone = sub[1]
    if digest.local_day(rt.commands.clock(), zone) != digest.local_day(started, zone):
        return "missed (the store stayed locked all day)"
    return await digest.deliver(
        rt.commands,
        chat_id,
        zone,
        sub[2],
        _sender(app),
        empty_note=rt.settings.digest_empty_note,
        gate=rt.digest_gate.slot,
        retry_delays=digest.RETRY_DELAYS,
    )


async def catch_up_job(context: AnyContext) -> None:
    """At start: send digests that were missed while the bot was down (same local day only)."""
    app = context.application
    rt = _runtime(app)
    job = context.job
    retry = job.data if job is not None and isinstance(job.data, Retry) else None
    try:
        done = await digest.catch_up(
            rt.commands,
            _sender(app),
            empty_note=rt.settings.digest_empty_note,
            gate=rt.digest_gate.slot,
            retry_delays=digest.RETRY_DELAYS,
        )
    except Exception as exc:
        if not store_locked(exc):
            raise
        retry_later(app, "catch-up-retry", catch_up_job, retry or Retry(0, rt.commands.clock()))
        return
    if done:
        log.info("caught up %d digests", len(done))
        for chat_id, status in done.items():
            if status == "unsubscribed":
                schedule_chat(app, chat_id, None)


async def refresh_stories(rt: Any) -> int:
    """Compute the missing cached views (each on a store thread, via the command layer)."""
    dirty = await rt.commands.db(lambda store: store.dirty_stories())
    for sid in dirty:
        with contextlib.suppress(LookupError):  # a story emptied meanwhile
            await rt.commands.story_views(sid)
    return len(dirty)


async def refresh_job(context: AnyContext) -> None:
    """At start: fill in briefings that were never computed (e.g. after `briefbot ingest`);
    with none to compute, warm the summarizer up so the first briefing asked for is quick."""
    n = await refresh_stories(_runtime(context.application))
    if n:
        log.info("computed %d story briefings", n)
    else:
        await asyncio.to_thread(warm_up)


async def poll_job(context: AnyContext) -> None:
    """One feed polling round and the refresh of changed stories, on the writer thread."""
    rt = _runtime(context.application)
    result = await rt.commands.poll()
    log.info(
        "poll: %d/%d feeds, %d new articles, %d errors",
        result.polled,
        result.feeds,
        len(result.report.ingested),
        len(result.feed_errors) + len(result.report.errors),
    )


def schedule_chat(app: AnyApp, chat_id: int, sub: Subscription | None) -> None:
    """(Re)schedule a chat's daily digest job for its subscription (None: no job)."""
    jq = app.job_queue
    if jq is None:
        return
    name = f"digest:{chat_id}"
    for job in jq.get_jobs_by_name(name):
        job.schedule_removal()
    if sub is None:
        return
    hh, mm = (int(x) for x in sub[0].split(":"))
    jq.run_daily(digest_job, time=time(hh, mm, tzinfo=ZoneInfo(sub[1])), chat_id=chat_id, name=name)
