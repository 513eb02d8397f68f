"""The follow-alert job: read due follows, compute updates off the store's threads, claim,
send, record (bot.follow.alerts)."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

from telegram.ext import Application, CallbackContext

from bot.follow.alerts import claim_alerts, compute_update, due_alerts, record_alert

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
        error: BaseException | None = None
        try:
            await rt.send_digest(app, alert.chat_id, alert.reply)
        except Exception as exc:
            error = exc
        done[alert.chat_id] = await cmds.db(
            lambda store, a=alert, e=error: record_alert(store, a, e, now)
        )
    log.debug("alert round: %d chats", len(done))
    if done:
        log.info("follow alerts: %s", done)
    return done


async def alert_job(context: AnyContext) -> None:
    """The scheduled round."""
    await alert_round(context.application)


def schedule_alerts(app: AnyApp) -> None:
    """Check followed stories soon after start, then every ALERT_INTERVAL."""
    if app.job_queue is not None:
        app.job_queue.run_repeating(
            alert_job, interval=ALERT_INTERVAL, first=FIRST_ROUND, name="alerts"
        )
