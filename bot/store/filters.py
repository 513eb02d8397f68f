"""Per-chat preferences: filters (muted outlets and words, "only" words) and settings (briefing
length, digest size, quiet hours)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.store.db import Connection
from summarizer.brief.filters import Filter

KINDS = ("outlet", "word", "only")
LENGTHS = ("short", "standard", "long")
#: Briefing (and alert) words per length, as a share of the standard length.
LENGTH_SCALE = {"short": 0.5, "standard": 1.0, "long": 2.0}


@dataclass(frozen=True)
class ChatFilters:
    """A chat's filters as entered (display case kept)."""

    outlets: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    only: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """No filter set."""
        return not (self.outlets or self.words or self.only)


@dataclass(frozen=True)
class ChatSettings:
    """A chat's settings; ``digest_size`` None: the digest's own; quiet hours "" when unset."""

    length: str = "standard"
    digest_size: int | None = None
    quiet_start: str = ""
    quiet_end: str = ""


class Prefs:
    """Tables ``chat_filters`` and ``chat_settings``."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add_filter(self, chat_id: int, kind: str, value: str) -> bool:
        """Add a filter (kind: outlet, word or only); False if the chat had it already."""
        if kind not in KINDS:
            raise ValueError(f"unknown filter kind {kind!r}")
        cur = self.conn.execute(
            "INSERT OR IGNORE INTO chat_filters (chat_id, kind, value) VALUES (?,?,?)",
            [chat_id, kind, value],
        )
        return cur.rowcount > 0

    def remove_filter(self, chat_id: int, kind: str, value: str) -> bool:
        """Remove a filter (the value compared without case); True if there was one."""
        cur = self.conn.execute(
            "DELETE FROM chat_filters WHERE chat_id = ? AND kind = ? AND lower(value) = lower(?)",
            [chat_id, kind, value],
        )
        return cur.rowcount > 0

    def clear_filters(self, chat_id: int) -> int:
        """Remove every filter of a chat; how many there were."""
        return self.conn.execute("DELETE FROM chat_filters WHERE chat_id = ?", [chat_id]).rowcount

    def filters(self, chat_id: int) -> ChatFilters:
        """A chat's filters, each kind sorted."""
        got: dict[str, list[str]] = {k: [] for k in KINDS}
        for kind, value in self.conn.all(
            "SELECT kind, value FROM chat_filters WHERE chat_id = ? ORDER BY kind, lower(value)",
            [chat_id],
        ):
            got.setdefault(str(kind), []).append(str(value))
        return ChatFilters(tuple(got["outlet"]), tuple(got["word"]), tuple(got["only"]))

    def rule(self, chat_id: int) -> Filter:
        """A chat's filters as the pure rule (``summarizer.brief.filters``)."""
        f = self.filters(chat_id)
        return Filter(f.outlets, f.words, f.only)

    def settings(self, chat_id: int) -> ChatSettings:
        """A chat's settings (defaults when never set)."""
        row = self.conn.one(
            "SELECT length, digest_size, quiet_start, quiet_end FROM chat_settings "
            "WHERE chat_id = ?",
            [chat_id],
        )
        if row is None:
            return ChatSettings()
        size = int(row[1]) if row[1] is not None else None
        return ChatSettings(str(row[0]), size, str(row[2]), str(row[3]))

    def save_settings(self, chat_id: int, value: ChatSettings) -> None:
        """Store a chat's settings."""
        if value.length not in LENGTHS:
            raise ValueError(f"unknown briefing length {value.length!r}")
        self.conn.execute(
            """INSERT INTO chat_settings (chat_id, length, digest_size, quiet_start, quiet_end)
               VALUES (?,?,?,?,?) ON CONFLICT(chat_id) DO UPDATE SET length = excluded.length,
               digest_size = excluded.digest_size, quiet_start = excluded.quiet_start,
               quiet_end = excluded.quiet_end""",
            [chat_id, value.length, value.digest_size, value.quiet_start, value.quiet_end],
        )
