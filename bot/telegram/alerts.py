"""The follow-alert job: read due follows, compute updates off the store's threads, claim,
send, record (bot.follow.alerts)."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

from telegram.ext import Application, CallbackContext

from bot.follow.alerts import (
    PlannedAlert,
    claim_alerts,
    compute_update,
    due_alerts,
    record_alert,
)
from bot.telegram.jobs import Retry, retry_later, store_locked

log = logging.getLogger(__name__)

ALERT_INTERVAL = timedelta(minutes=5)  # how often followed stories are checked
FIRST_ROUND = 2.0  # seconds after start: coverage ingested while the bot was down

AnyApp = Application[Any, Any, Any, Any, Any, Any]
AnyContext = CallbackContext[Any, Any, Any, Any]


async def alert_round(app: AnyApp) -> dict[int, str]:
    """One round: every chat with new coverage on a followed story gets one alert message."""
    rt = app.bot_data["runtime"]
    cmds = rt.commands
    now = cmds.clock()
    zone = rt.settings.digest_zone
    due = await cmds.db(lambda store: due_alerts(store, now, zone))
    # The updates are computed off the store's threads (fact grouping is CPU work).
    updates = await asyncio.to_thread(lambda: [compute_update(d) for d in due])
    planned = await cmds.db(lambda store: claim_alerts(store, now, due, updates))
    done: dict[int, str] = {}
    for alert in planned:
        error = await _send(app, alert)
        status = await cmds.db(lambda store, a=alert, e=error: record_alert(store, a, e, now))
        if done.get(alert.chat_id, "sent") == "sent":  # a chat's alerts to several topics
            done[alert.chat_id] = status
    log.debug("alert round: %d chats", len(done))
    if done:
        log.info("follow alerts: %s", done)
    return done


async def _send(app: AnyApp, alert: PlannedAlert) -> Exception | None:
    """Send one alert to its topic (to the chat itself if that topic was deleted); the error."""
    rt = app.bot_data["runtime"]
    try:
        await rt.send_digest(app, alert.chat_id, alert.reply, thread_id=alert.thread_id)
    except Exception as exc:
        if alert.thread_id is None or "thread not found" not in str(exc).lower():
            return exc
        log.info(
            "chat %s: topic %s is gone; alert sent to the chat", alert.chat_id, alert.thread_id
        )
        try:
            await rt.send_digest(app, alert.chat_id, alert.reply)
        except Exception as again:
            return again
    return None


async def alert_job(context: AnyContext) -> None:
    """The scheduled round; one that met a locked store runs again shortly (bounded backoff)."""
    app = context.application
    job = context.job
    retry = job.data if job is not None and isinstance(job.data, Retry) else None
    try:
        await alert_round(app)
    except Exception as exc:
        if not store_locked(exc):
            raise
        clock = app.bot_data["runtime"].commands.clock
        retry_later(app, "alerts-retry", alert_job, retry or Retry(0, clock()))


def schedule_alerts(app: AnyApp) -> None:
    """Check followed stories soon after start, then every ALERT_INTERVAL."""
    if app.job_queue is not None:
        app.job_queue.run_repeating(
            alert_job, interval=ALERT_INTERVAL, first=FIRST_ROUND, name="alerts"
        )
