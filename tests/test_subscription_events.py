"""Subscription changes are events the command layer reports, not text a caller has to re-parse."""

from __future__ import annotations

from pathlib import Path

from bot.chat.commands import Caller, Commands, SubscriptionChanged
from bot.config import Settings
from bot.store import Store


async def test_subscribe_and_unsubscribe_report_events(tmp_path: Path) -> None:
    events: list[SubscriptionChanged] = []
    with Store(tmp_path / "t.db") as store:
        commands = Commands(store, Settings())
        commands.on_subscription_change = events.append
        alice, bob = Caller(chat_id=11), Caller(chat_id=22)

        await commands.handle("/subscribe 07:30 Europe/Berlin", alice)
        await commands.handle("/subscribe 25:99", bob)  # refused: nothing changed
        await commands.handle("/subscribe Not/AZone", bob)
        await commands.handle("/unsubscribe", bob)  # bob was never subscribed
        await commands.handle("/settings", alice)
        await commands.handle("/subscribe 06:00", alice)  # a change of time is a change too
        await commands.handle("/unsubscribe", alice)

        assert events == [
            SubscriptionChanged(11, subscribed=True),
            SubscriptionChanged(11, subscribed=True),
            SubscriptionChanged(11, subscribed=False),
        ]
        assert store.subscription(22) is None and store.subscription(11) is None
