"""Followed stories: which chats follow which story, what each has seen, and the alert log
(claimed before sending, so an update is alerted at most once per chat, story and version)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from bot.store.db import Connection, parse_dt, utc


@dataclass(frozen=True)
class Follow:
    """A chat following a story, with the coverage it has already been told about."""

    chat_id: int
    story_id: int
    followed_at: datetime | None
    seen_version: int
    seen_articles: frozenset[int]
    last_alert_at: datetime | None
    thread_id: int | None = None  # the forum topic it was followed from (None: the chat itself)


class AlertAttempt(NamedTuple):
    """One row of the alert log."""

    chat_id: int
    story_id: int
    version: int
    status: str
    article_ids: tuple[int, ...]


_COLUMNS = "chat_id, story_id, followed_at, seen_version, seen_articles, last_alert_at, thread_id"


def _follow(row: tuple[object, ...]) -> Follow:
    return Follow(
        chat_id=int(str(row[0])),
        story_id=int(str(row[1])),
        followed_at=parse_dt(str(row[2])),
        seen_version=int(str(row[3])),
        seen_articles=frozenset(int(i) for i in json.loads(str(row[4]))),
        last_alert_at=parse_dt(str(row[5])) if row[5] is not None else None,
        thread_id=int(str(row[6])) if row[6] is not None else None,
    )


class Follows:
    """Tables ``follows`` and ``follow_alerts``."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def follow(
        self,
        chat_id: int,
        story_id: int,
        version: int,
        article_ids: Iterable[int],
        at: datetime,
        thread_id: int | None = None,
    ) -> bool:
        """Follow a story as it is now (its current articles count as seen); False if already."""
        cur = self.conn.execute(
            f"INSERT OR IGNORE INTO follows ({_COLUMNS}) VALUES (?,?,?,?,?,NULL,?)",
            [chat_id, story_id, utc(at), version, json.dumps(sorted(set(article_ids))), thread_id],
        )
        return cur.rowcount > 0

    def set_thread(self, chat_id: int, story_id: int, thread_id: int | None) -> bool:
        """Alerts of this follow go to forum topic ``thread_id`` (None: the chat); False if no
        such follow."""
        cur = self.conn.execute(
            "UPDATE follows SET thread_id = ? WHERE chat_id = ? AND story_id = ?",
            [thread_id, chat_id, story_id],
        )
        return cur.rowcount > 0

    def unfollow(self, chat_id: int, story_id: int) -> bool:
        """Stop following; True if the chat did follow the story."""
        cur = self.conn.execute(
            "DELETE FROM follows WHERE chat_id = ? AND story_id = ?", [chat_id, story_id]
        )
        return cur.rowcount > 0

    def move_story(self, old: int, new: int) -> None:
        """Story ``old`` was merged into ``new``: its followers follow ``new``, having seen what
        they saw of either (a chat that followed both keeps one follow)."""
        with self.conn.atomic():
            for f in self._by_story(old):
                there = self.get(f.chat_id, new)
                seen = f.seen_articles | (there.seen_articles if there else frozenset())
                self.conn.execute(
                    "DELETE FROM follows WHERE chat_id = ? AND story_id IN (?, ?)",
                    [f.chat_id, old, new],
                )
                self.conn.execute(
                    f"INSERT INTO follows ({_COLUMNS}) VALUES (?,?,?,?,?,?,?)",
                    [
                        f.chat_id,
                        new,
                        utc(there.followed_at if there else f.followed_at),
                        0,
                        json.dumps(sorted(seen)),
                        utc(there.last_alert_at if there else f.last_alert_at),
                        there.thread_id if there else f.thread_id,
                    ],
                )

    def _by_story(self, story_id: int) -> list[Follow]:
        return [
            _follow(r)
            for r in self.conn.all(
                f"SELECT {_COLUMNS} FROM follows WHERE story_id = ? ORDER BY chat_id", [story_id]
            )
        ]

    def get(self, chat_id: int, story_id: int) -> Follow | None:
        """One follow, or None."""
        row = self.conn.one(
            f"SELECT {_COLUMNS} FROM follows WHERE chat_id = ? AND story_id = ?",
            [chat_id, story_id],
        )
        return _follow(row) if row else None

    def following(self, chat_id: int) -> list[Follow]:
        """The stories a chat follows, oldest follow first."""
        return [
            _follow(r)
            for r in self.conn.all(
                f"SELECT {_COLUMNS} FROM follows WHERE chat_id = ? ORDER BY followed_at, story_id",
                [chat_id],
            )
        ]

    def changed(self) -> list[Follow]:
        """Follows whose story changed since the chat last saw it, by chat and story."""
        cols = ", ".join(f"f.{c.strip()}" for c in _COLUMNS.split(","))
        return [
            _follow(r)
            for r in self.conn.all(
                f"""SELECT {cols} FROM follows f JOIN stories s ON s.id = f.story_id
                    WHERE s.version > f.seen_version ORDER BY f.chat_id, f.story_id"""
            )
        ]

    def alert_status(self, chat_id: int, story_id: int, version: int) -> str | None:
        """'sending', 'sent' or 'failed' for the alert of one story version, or None."""
        found = self.conn.scalar(
            "SELECT status FROM follow_alerts WHERE chat_id = ? AND story_id = ? AND version = ?",
            [chat_id, story_id, version],
        )
        return str(found) if found is not None else None

    def claim_alert(
        self, chat_id: int, story_id: int, version: int, article_ids: Iterable[int], at: datetime
    ) -> bool:
        """Record that an alert is about to be sent; False if this version was claimed already
        (a 'failed' attempt, one Telegram refused, may be claimed again)."""
        with self.conn.atomic():
            status = self.alert_status(chat_id, story_id, version)
            if status is not None and status != "failed":
                return False
            self.conn.execute(
                """INSERT INTO follow_alerts (chat_id, story_id, version, status, article_ids,
                   started_at) VALUES (?,?,?,?,?,?) ON CONFLICT(chat_id, story_id, version)
                   DO UPDATE SET status = excluded.status, article_ids = excluded.article_ids,
                   started_at = excluded.started_at, error = ''""",
                [chat_id, story_id, version, "sending", json.dumps(sorted(article_ids)), utc(at)],
            )
        return True

    def finish_alert(
        self, chat_id: int, story_id: int, version: int, status: str, at: datetime, error: str = ""
    ) -> None:
        """Mark a claimed alert 'sent' or 'failed'."""
        self.conn.execute(
            """UPDATE follow_alerts SET status = ?, finished_at = ?, error = ?
               WHERE chat_id = ? AND story_id = ? AND version = ?""",
            [status, utc(at), error, chat_id, story_id, version],
        )

    def mark_seen(
        self,
        chat_id: int,
        story_id: int,
        version: int,
        article_ids: Iterable[int],
        alerted_at: datetime | None = None,
    ) -> None:
        """The chat now knows the story up to ``version`` (``alerted_at``: an alert was sent)."""
        self.conn.execute(
            """UPDATE follows SET seen_version = MAX(seen_version, ?), seen_articles = ?,
               last_alert_at = COALESCE(?, last_alert_at) WHERE chat_id = ? AND story_id = ?""",
            [version, json.dumps(sorted(set(article_ids))), utc(alerted_at), chat_id, story_id],
        )

    def alert_log(self) -> list[AlertAttempt]:
        """Every alert attempt, by chat, story and version."""
        return [
            AlertAttempt(int(r[0]), int(r[1]), int(r[2]), str(r[3]), tuple(json.loads(str(r[4]))))
            for r in self.conn.all(
                "SELECT chat_id, story_id, version, status, article_ids FROM follow_alerts "
                "ORDER BY 1, 2, 3"
            )
        ]
