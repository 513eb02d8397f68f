"""Scheduled work: daily digests, the start-up catch-up and refresh, feed polling."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import time
from typing import Any
from zoneinfo import ZoneInfo

from telegram.ext import Application, CallbackContext

from bot.chat.reply import Reply
from bot.digest import digest
from bot.store import Subscription
from bot.telegram.shared_views import warm_up

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


async def digest_job(context: AnyContext) -> None:
    """Send one chat's daily digest (exactly once per local day, see bot.digest.digest)."""
    app = context.application
    rt = _runtime(app)
    job = context.job
    if job is None or job.chat_id is None:
        return
    chat_id = job.chat_id
    sub = await rt.commands.db(lambda store: store.subscription(chat_id))
    if sub is None:
        return
    status = await digest.deliver(
        rt.commands,
        chat_id,
        sub[1],
        sub[2],
        _sender(app),
        empty_note=rt.settings.digest_empty_note,
        gate=rt.digest_gate.slot,
        retry_delays=digest.RETRY_DELAYS,
    )
    log.info("digest for chat %s: %s", chat_id, status)
    if status == "unsubscribed":
        job.schedule_removal()


async def catch_up_job(context: AnyContext) -> None:
    """At start: send digests that were missed while the bot was down (same local day only)."""
    app = context.application
    rt = _runtime(app)
    done = await digest.catch_up(
        rt.commands,
        _sender(app),
        empty_note=rt.settings.digest_empty_note,
        gate=rt.digest_gate.slot,
        retry_delays=digest.RETRY_DELAYS,
    )
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
