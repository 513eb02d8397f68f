"""Stored article parts (``summarizer.brief.parts``): an article's briefing work, kept as bytes.

Rows are tagged with the format they were written in; only rows of the current format are read,
so a change of layout or of the fitted data makes old rows invisible until they are rewritten.
An article's title and text never change once stored, so neither do its parts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.store.db import Connection, marks

_CHUNK = 500  # ids per IN list (SQLite's bound-parameter limit is far above)


class StoredParts:
    """The ``article_parts`` table."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def article_parts(self, article_ids: Sequence[int], fmt: int) -> dict[int, bytes]:
        """The stored parts of these articles in format ``fmt`` (others are absent)."""
        out: dict[int, bytes] = {}
        ids = list(dict.fromkeys(article_ids))
        for k in range(0, len(ids), _CHUNK):
            chunk = ids[k : k + _CHUNK]
            rows = self.conn.all(
                f"SELECT article_id, data FROM article_parts "
                f"WHERE format = ? AND article_id IN ({marks(chunk)})",
                [fmt, *chunk],
            )
            out.update((int(aid), bytes(data)) for aid, data in rows)
        return out

    def save_article_parts(self, parts: Mapping[int, bytes], fmt: int) -> None:
        """Store (or replace) parts in format ``fmt``; an article deleted meanwhile is skipped."""
        self.conn.executemany(
            "INSERT OR REPLACE INTO article_parts (article_id, format, data) "
            "SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM articles WHERE id = ?)",
            [(aid, fmt, data, aid) for aid, data in parts.items()],
        )
