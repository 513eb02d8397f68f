"""What every command module shares: the command spec, the caller, events and small helpers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.chat.reply import Reply
from summarizer.models import CleanDoc

if TYPE_CHECKING:
    from bot.chat.commands import Commands

Fetcher = Callable[[str], Awaitable[CleanDoc]]
# Every article behind a URL: one for a page, one per entry for a feed (errors as strings).
FetchMany = Callable[[str], Awaitable[list[tuple[str, CleanDoc] | str]]]
PAGE_SIZE = 8
NO_STORIES = "No stories yet. An admin can add articles with /add URL or by sending a file."


@dataclass(frozen=True)
class Caller:
    """Who is asking: a Telegram user in a chat, or the local console (an admin)."""

    chat_id: int
    user_id: int | None = None
    is_admin: bool = False


# A command's implementation: (command layer, argument text, caller) -> reply.
Handler = Callable[["Commands", str, Caller], Awaitable[Reply]]


@dataclass(frozen=True)
class CommandSpec:
    """One command: name, argument synopsis, description, admin-only, and what runs it."""

    name: str
    args: str
    description: str
    admin: bool = False
    run: Handler | None = None


@dataclass(frozen=True)
class SubscriptionChanged:
    """Event: a chat subscribed, changed its digest time or zone, or unsubscribed."""

    chat_id: int
    subscribed: bool


SubscriptionListener = Callable[[SubscriptionChanged], None]


def usage(spec: CommandSpec) -> str:
    """'Usage: /brief [story | words]'."""
    return f"Usage: /{spec.name} {spec.args}".rstrip()


def two_ids(args: str) -> tuple[int, int] | None:
    """Exactly two ids ("12 40", "#12 #40"), else None."""
    parts = [p.removeprefix("#") for p in args.split()]
    if len(parts) != 2 or not all(p.isascii() and p.isdigit() and len(p) <= 18 for p in parts):
        return None
    return int(parts[0]), int(parts[1])
