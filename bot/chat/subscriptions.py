"""Digest commands: /subscribe, /unsubscribe, /settings and the /digest preview."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.chat import prefs
from bot.chat.reply import Reply, simple
from bot.chat.spec import Caller, CommandSpec, SubscriptionChanged
from bot.config import ConfigError, parse_hhmm, parse_zone
from bot.digest import digest

if TYPE_CHECKING:
    from bot.chat.commands import Commands


async def subscribe(cmds: Commands, args: str, caller: Caller) -> Reply:
    """Subscribe this chat to the daily digest."""
    at, zone = cmds.settings.digest_time, cmds.settings.digest_zone
    existing = cmds.store.subscription(caller.chat_id)
    if existing:
        at, zone = parse_hhmm(existing[0]), existing[1]
    try:
        for part in args.split():
            if re.fullmatch(r"\d{1,2}:\d{2}", part):
                at = parse_hhmm(part)
            else:
                parse_zone(part)
                zone = part
    except ConfigError as exc:
        return simple(f"{exc}.", cmds.usage("subscribe") + "  e.g. /subscribe 07:30 Europe/Berlin")
    size = prefs.chat_settings(cmds, caller.chat_id).digest_size or cmds.settings.digest_stories
    cmds.store.subscribe(caller.chat_id, at.strftime("%H:%M"), zone, size, since=cmds.clock())
    cmds.on_subscription_change(SubscriptionChanged(caller.chat_id, subscribed=True))
    return simple(
        f"Subscribed: your digest arrives every day at {at.strftime('%H:%M')} ({zone}).",
        "Change it with /subscribe HH:MM Area/City, stop it with /unsubscribe.",
    )


async def unsubscribe(cmds: Commands, args: str, caller: Caller) -> Reply:
    """Stop the digest."""
    if cmds.store.unsubscribe(caller.chat_id):
        cmds.on_subscription_change(SubscriptionChanged(caller.chat_id, subscribed=False))
        return simple("Unsubscribed: no more daily digests. /subscribe brings them back.")
    return simple("This chat has no digest subscription. /subscribe starts one.")


async def settings(cmds: Commands, args: str, caller: Caller) -> Reply:
    """This chat's settings with buttons: digest, briefing length, digest size, quiet hours."""
    return await prefs.settings(cmds, args, caller)


async def preview(cmds: Commands, args: str, caller: Caller) -> Reply:
    """Preview today's digest for this chat (nothing is recorded as sent)."""
    sub = cmds.store.subscription(caller.chat_id)
    zone = sub[1] if sub else cmds.settings.digest_zone
    n = sub[2] if sub else cmds.settings.digest_stories
    built = await digest.build_digest(cmds, caller.chat_id, zone, n)
    return built.reply if built.items else simple(digest.EMPTY_NOTE)


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("subscribe", "[HH:MM] [Area/City]", "Get a daily digest", run=subscribe),
    CommandSpec("unsubscribe", "", "Stop the daily digest", run=unsubscribe),
    CommandSpec(
        "settings",
        "[length L | digest N | quiet HH:MM-HH:MM]",
        "Digest, briefing length and quiet hours, with buttons",
        run=settings,
    ),
    CommandSpec("digest", "", "Preview today's digest now", run=preview),
)
