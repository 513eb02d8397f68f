"""Chats: digest subscriptions and the digest sent-log (exactly one digest per chat and day)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from bot.store.db import Connection, now, parse_dt, utc


class Subscription(NamedTuple):
    """A chat's daily digest: local time HH:MM, IANA zone, number of stories."""

    at_time: str
    zone: str
    stories: int


class Subscriber(NamedTuple):
    """A subscribed chat and its digest settings."""

    chat_id: int
    at_time: str
    zone: str
    stories: int


class DigestAttempt(NamedTuple):
    """One row of the digest sent-log."""

    chat_id: int
    day: str
    status: str


class Chats:
    """Tables ``subscriptions``, ``digest_log`` and ``digest_items``."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def subscribe(
        self, chat_id: int, at_time: str, zone: str, stories: int, since: datetime | None = None
    ) -> None:
        """Create or change a chat's subscription; ``since`` (default now): when its time was set."""
        self.conn.execute(
            """INSERT INTO subscriptions (chat_id, at_time, zone, stories, created_at, since)
               VALUES (?,?,?,?,?,?) ON CONFLICT(chat_id) DO UPDATE SET
               since = CASE WHEN subscriptions.at_time = excluded.at_time
                             AND subscriptions.zone = excluded.zone
                            THEN subscriptions.since ELSE excluded.since END,
               at_time = excluded.at_time, zone = excluded.zone, stories = excluded.stories""",
            [chat_id, at_time, zone, stories, now(), utc(since) if since else now()],
        )

    def subscribed_since(self, chat_id: int) -> datetime | None:
        """When the chat's digest time was last set (None: no subscription)."""
        return parse_dt(
            self.conn.scalar("SELECT since FROM subscriptions WHERE chat_id = ?", [chat_id])
        )

    def unsubscribe(self, chat_id: int) -> bool:
        """Remove a subscription; True if there was one."""
        cur = self.conn.execute("DELETE FROM subscriptions WHERE chat_id = ?", [chat_id])
        return cur.rowcount > 0

    def subscription(self, chat_id: int) -> Subscription | None:
        """A chat's subscription, or None."""
        row = self.conn.one(
            "SELECT at_time, zone, stories FROM subscriptions WHERE chat_id = ?", [chat_id]
        )
        return Subscription(str(row[0]), str(row[1]), int(row[2])) if row else None

    def subscriptions(self) -> list[Subscriber]:
        """All subscriptions, by chat id."""
        return [
            Subscriber(int(r[0]), str(r[1]), str(r[2]), int(r[3]))
            for r in self.conn.all(
                "SELECT chat_id, at_time, zone, stories FROM subscriptions ORDER BY chat_id"
            )
        ]

    def digest_status(self, chat_id: int, day: str) -> str | None:
        """'sending', 'sent', 'empty' or 'failed' for a chat's digest of a local day."""
        found = self.conn.scalar(
            "SELECT status FROM digest_log WHERE chat_id = ? AND day = ?", [chat_id, day]
        )
        return str(found) if found is not None else None

    def claim_digest(self, chat_id: int, day: str, story_ids: Sequence[int]) -> bool:
        """Record that a digest is about to be sent; False if this (chat, day) was already claimed.

        A 'failed' attempt (an error Telegram answered) may be claimed again.
        """
        with self.conn.atomic():
            status = self.digest_status(chat_id, day)
            if status is not None and status != "failed":
                return False
            self.conn.execute(
                """INSERT INTO digest_log (chat_id, day, status, story_ids, started_at)
                   VALUES (?,?,?,?,?) ON CONFLICT(chat_id, day) DO UPDATE SET
                   status = excluded.status, story_ids = excluded.story_ids,
                   started_at = excluded.started_at, error = ''""",
                [chat_id, day, "sending", json.dumps(list(story_ids)), now()],
            )
        return True

    def finish_digest(
        self, chat_id: int, day: str, status: str, items: Sequence[tuple[int, int]], error: str = ""
    ) -> None:
        """Mark a claimed digest sent/empty/failed; remember which stories (and coverage) it had."""
        with self.conn.atomic():
            self.conn.execute(
                "UPDATE digest_log SET status = ?, finished_at = ?, error = ? "
                "WHERE chat_id = ? AND day = ?",
                [status, now(), error, chat_id, day],
            )
            if status == "sent":
                self.conn.executemany(
                    """INSERT INTO digest_items (chat_id, story_id, article_count, day)
                       VALUES (?,?,?,?) ON CONFLICT(chat_id, story_id) DO UPDATE SET
                       article_count = excluded.article_count, day = excluded.day""",
                    [(chat_id, sid, n, day) for sid, n in items],
                )

    def sent_coverage(self, chat_id: int) -> dict[int, int]:
        """story_id -> article count at the time it was last sent to this chat."""
        return {
            int(r[0]): int(r[1])
            for r in self.conn.all(
                "SELECT story_id, article_count FROM digest_items WHERE chat_id = ?", [chat_id]
            )
        }

    def digest_log(self) -> list[DigestAttempt]:
        """Every digest attempt, by chat and day."""
        return [
            DigestAttempt(int(r[0]), str(r[1]), str(r[2]))
            for r in self.conn.all("SELECT chat_id, day, status FROM digest_log ORDER BY 1, 2")
        ]
