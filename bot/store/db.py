"""One SQLite connection shared by every part of the store: atomic units of work and error wrapping."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from summarizer.read.dates import date_iso, from_iso


def _fields(value: object) -> dict[str, Any]:
    """A dataclass's fields in order, for the JSON encoder to walk (it raises on anything else)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def to_json(value: object) -> str:
    """JSON of values holding dataclasses, as ``json.dumps(dataclasses.asdict(...))`` writes it,
    without asdict's deep copy of every field (the larger part of saving a story's views)."""
    return json.dumps(value, default=_fields)


@contextmanager
def _without_numpy_and_pandas() -> Iterator[None]:
    """Hide numpy and pandas while sqlite-utils is imported.

    sqlite-utils imports both, if installed, only to map their scalar types when inserting; we
    never insert them, and numpy alone costs 0.6 s of every CLI start. A ``None`` entry in
    sys.modules makes ``import numpy`` raise ImportError, which sqlite-utils handles.
    """
    hidden = [name for name in ("numpy", "pandas") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]


with _without_numpy_and_pandas():
    import sqlite_utils

Params = Sequence[Any]


#: Page cache per connection, at most (SQLite's default is 2 MiB). An ingest into a database of
#: 100k articles (1.6 GB) inserts into indexes far bigger than that, and every page evicted
#: between two articles was read back through a system call.
CACHE_KIB = 64 * 1024


def _enable_wal(db: sqlite_utils.Database, timeout: float) -> None:
    """Switch a database to WAL. Switching takes an exclusive lock without SQLite's busy
    handler, so a connection opening a new file while another switches it is told "locked" at
    once (3 in 200 runs of four simultaneous openings): retried here until ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            db.enable_wal()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(0.02)


class StorageError(Exception):
    """Any failure of the database (locked, corrupt, full, bad SQL), with a one-line reason."""


def _storage_error(exc: sqlite3.Error) -> StorageError:
    return StorageError(f"database error: {exc}")


class Connection:
    """A sqlite-utils Database over one sqlite3 connection, WAL mode, foreign keys on.

    Every write goes through ``atomic()``: the outermost block is one ``BEGIN IMMEDIATE``
    transaction, nested blocks are savepoints. (sqlite-utils opens its outermost block with a
    deferred BEGIN, whose first write must upgrade the lock and fails at once, without waiting,
    if another connection committed since the block's first read; taking the write lock up
    front waits instead.) Nothing here commits a caller's transaction.
    """

    def __init__(self, path: str | Path, timeout: float = 30.0) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(self.path, timeout=timeout)
            self.db = sqlite_utils.Database(conn, execute_plugins=False)
            if self.path != ":memory:":
                _enable_wal(self.db, timeout)
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        except sqlite3.Error as exc:
            raise _storage_error(exc) from exc
        # Called once when the transaction this connection opened ends: committed or not.
        self._on_end: list[Callable[[bool], None]] = []
        self._ours = False  # the open transaction was begun by atomic() or snapshot()
        self._savepoints = 0

    def in_own_transaction(self) -> bool:
        """Whether a transaction begun by ``atomic()`` or ``snapshot()`` is open."""
        return self._ours and self.db.conn.in_transaction

    def on_end(self, callback: Callable[[bool], None]) -> None:
        """Call ``callback(committed)`` when the open transaction ends: now with True when none
        is open, now with False inside a transaction not begun here (its end is not seen)."""
        if not self.db.conn.in_transaction:
            callback(True)
        elif not self._ours:
            callback(False)
        else:
            self._on_end.append(callback)

    def _ended(self, committed: bool) -> None:
        self._ours = False
        callbacks, self._on_end = self._on_end, []
        for callback in callbacks:
            callback(committed)

    def close(self) -> None:
        """Close the connection (an open transaction is rolled back)."""
        self.db.close()

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """One atomic unit of work; nestable. On any error everything inside is undone and the
        original error propagates (a sqlite3 error as StorageError)."""
        conn = self.db.conn
        outermost = not conn.in_transaction
        try:
            if not outermost:
                with self._savepoint():  # undone alone, the caller's work stays
                    yield
                return
            conn.execute("BEGIN IMMEDIATE")
            self._ours = True
            try:
                yield
            except BaseException:
                self.db.rollback()
                self._ended(False)
                raise
            conn.execute("COMMIT")
            self._ended(True)
        except sqlite3.Error as exc:
            if outermost:
                self.db.rollback()
                if self._ours:
                    self._ended(False)
            raise _storage_error(exc) from exc

    @contextmanager
    def _savepoint(self) -> Iterator[None]:
        """A nested unit of work (sqlite-utils' ``db.atomic()`` names each savepoint with random
        bytes, a system call per nested block; a counter is as unique)."""
        conn = self.db.conn
        self._savepoints += 1
        name = f"briefbot_{self._savepoints}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            # An error that destroyed the whole transaction took the savepoint with it.
            if conn.in_transaction:
                conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        conn.execute(f"RELEASE SAVEPOINT {name}")

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads inside see one consistent state of the database (a read transaction; in WAL
        mode writers go on meanwhile). Inside ``atomic()`` it adds nothing."""
        conn = self.db.conn
        if conn.in_transaction:
            yield
            return
        try:
            conn.execute("BEGIN DEFERRED")
        except sqlite3.Error as exc:
            raise _storage_error(exc) from exc
        self._ours = True
        try:
            yield
        except BaseException:
            self.db.rollback()
            self._ended(False)
            raise
        try:  # for reads only: should a write slip in, it is kept, not silently undone
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self.db.rollback()
            self._ended(False)
            raise _storage_error(exc) from exc
        self._ended(True)

    def execute(self, sql: str, params: Params = ()) -> sqlite3.Cursor:
        """Run one statement (a write outside ``atomic()`` is its own transaction)."""
        try:
            return self.db.execute(sql, list(params))
        except sqlite3.Error as exc:
            raise _storage_error(exc) from exc

    def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one statement per parameter row, atomically."""
        if not self.db.conn.in_transaction:
            with self.atomic():
                self.executemany(sql, rows)
            return
        try:
            self.db.conn.executemany(sql, rows)
        except sqlite3.Error as exc:
            raise _storage_error(exc) from exc

    def one(self, sql: str, params: Params = ()) -> tuple[Any, ...] | None:
        """The first row of a query, or None."""
        row = self.execute(sql, params).fetchone()
        return tuple(row) if row is not None else None

    def all(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        """Every row of a query."""
        return [tuple(r) for r in self.execute(sql, params).fetchall()]

    def scalar(self, sql: str, params: Params = ()) -> Any:
        """The first column of the first row, or None."""
        row = self.one(sql, params)
        return row[0] if row else None


def marks(values: Sized) -> str:
    """``?,?,?`` for an IN list of ``values``."""
    return ",".join("?" * len(values))


def now() -> str:
    """The current UTC time as an ISO string to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def parse_dt(value: str | None) -> datetime | None:
    """A stored ISO date, or None when empty or unreadable (no offset: a source's zone-less date,
    read back in ``UNKNOWN_ZONE``, see :mod:`summarizer.read.dates`)."""
    return from_iso(value)


def iso(value: datetime | None) -> str | None:
    """ISO form of a datetime as given (naive values taken as UTC; a date in ``UNKNOWN_ZONE``
    is written without an offset, so it is never stored as UTC)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return date_iso(value)


def utc(value: datetime | None) -> str | None:
    """ISO string in UTC, comparable as text (for min/max and ordering)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="seconds")
