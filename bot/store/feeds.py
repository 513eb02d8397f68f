"""Feeds: the subscribed feed URLs and their polling state (conditional GET, backoff)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.store.db import Connection, now, parse_dt, utc


@dataclass(frozen=True)
class Feed:
    """A feed and its polling state."""

    id: int
    url: str
    etag: str = ""
    last_modified: str = ""
    failures: int = 0
    next_poll_at: datetime | None = None
    last_error: str = ""
    added_at: datetime | None = None


class Feeds:
    """The feeds table."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add_feed(self, url: str) -> bool:
        """Add a feed URL; False if it was there already."""
        cur = self.conn.execute(
            "INSERT OR IGNORE INTO feeds (url, added_at) VALUES (?, ?)", [url, now()]
        )
        return cur.rowcount > 0

    def remove_feed(self, feed_id: int) -> str | None:
        """Remove a feed by its id; returns its URL, or None if there was none."""
        with self.conn.atomic():
            url = self.conn.scalar("SELECT url FROM feeds WHERE id = ?", [feed_id])
            if url is None:
                return None
            self.conn.execute("DELETE FROM feeds WHERE id = ?", [feed_id])
        return str(url)

    def feeds(self) -> list[Feed]:
        """All feeds with their polling state, by id."""
        return [
            Feed(
                id=int(r[0]),
                url=str(r[1]),
                etag=str(r[2]),
                last_modified=str(r[3]),
                failures=int(r[4]),
                next_poll_at=parse_dt(r[5]),
                last_error=str(r[6]),
                added_at=parse_dt(r[7]),
            )
            for r in self.conn.all(
                "SELECT id, url, etag, last_modified, failures, next_poll_at, last_error, added_at "
                "FROM feeds ORDER BY id"
            )
        ]

    def save_feed_state(
        self,
        url: str,
        etag: str,
        last_modified: str,
        failures: int,
        next_poll_at: datetime | None,
        last_error: str,
    ) -> None:
        """Persist a feed's conditional-GET and backoff state."""
        self.conn.execute(
            """UPDATE feeds SET etag = ?, last_modified = ?, failures = ?, next_poll_at = ?,
               last_error = ? WHERE url = ?""",
            [etag, last_modified, failures, utc(next_poll_at), last_error, url],
        )
