"""Feed entries whose article failed: how often, and when to try again (survives restarts)."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.store.db import Connection, parse_dt, utc

#: Rows older than this past their retry time are forgotten (the entry has left its feed).
FORGET_AFTER = timedelta(days=7)


class EntryBackoffs:
    """The entry_backoff table: one row per failing entry URL, removed when it succeeds.

    The policy (how long to wait after n failures) is the caller's; this only remembers. At most
    ``limit`` rows are kept: the ones due soonest are dropped first.
    """

    def __init__(self, conn: Connection, limit: int = 10_000) -> None:
        self.conn = conn
        self.limit = limit

    def entry_failures(self, url: str) -> tuple[int, datetime | None]:
        """``(failures so far, time of the next try)`` of an entry; ``(0, None)`` if none."""
        row = self.conn.one("SELECT failures, retry_at FROM entry_backoff WHERE url = ?", [url])
        return (0, None) if row is None else (int(row[0]), parse_dt(row[1]))

    def entry_waiting(self, url: str, now: datetime) -> bool:
        """True while the entry is backing off."""
        retry_at = self.entry_failures(url)[1]
        return retry_at is not None and retry_at > now

    def entry_failed(self, url: str, failures: int, retry_at: datetime, now: datetime) -> None:
        """Remember an entry's failure count and its next try; prune forgotten rows."""
        with self.conn.atomic():
            self.conn.execute(
                "INSERT INTO entry_backoff (url, failures, retry_at) VALUES (?, ?, ?) "
                "ON CONFLICT(url) DO UPDATE SET failures = excluded.failures, "
                "retry_at = excluded.retry_at",
                [url, failures, utc(retry_at)],
            )
            self.conn.execute(
                "DELETE FROM entry_backoff WHERE retry_at < ?", [utc(now - FORGET_AFTER)]
            )
            extra = int(self.conn.scalar("SELECT COUNT(*) FROM entry_backoff")) - self.limit
            if extra > 0:
                self.conn.execute(
                    "DELETE FROM entry_backoff WHERE url IN "
                    "(SELECT url FROM entry_backoff ORDER BY retry_at LIMIT ?)",
                    [extra],
                )

    def entry_succeeded(self, url: str) -> None:
        """Forget an entry's failures (no write when it had none)."""
        if self.conn.scalar("SELECT 1 FROM entry_backoff WHERE url = ?", [url]):
            self.conn.execute("DELETE FROM entry_backoff WHERE url = ?", [url])
