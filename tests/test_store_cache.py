"""Ingest at speed without stale reads: the per-connection story cache and batch transactions.

Each Store keeps the candidate stories it decoded, valid for one ``version`` of their row; these
tests change stories behind its back (another connection, a rolled-back transaction) and check
that the next article is decided on what the database holds. The stored columns ingest updates
incrementally (window, count, outlets) are compared with an aggregate over the members.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.sources.ingest import IngestReport, ingest_paths, prepare, read_file, save_article
from bot.sources.prepared import Prepared
from bot.sources.sandbox import Sandbox
from bot.store import Store
from summarizer.models import CleanDoc

START = datetime(2026, 4, 7, 6, tzinfo=UTC)
# Six differently worded reports of one invented happening (none is a copy of another).
REPORTS = [
    "Divers inspecting the Quillon lock on the Harrowgate canal found a split gate hinge, and "
    "the waterways board closed the lock to all boats until further notice. Skippers moored "
    "above the lock said dozens of narrowboats were stranded.",
    "The Quillon lock will stay shut for weeks after a hinge on its upper gate cracked, the "
    "Harrowgate waterways board said. A cast replacement must be made by a foundry in "
    "Pellingford, an engineer explained at the lockside.",
    "Holiday hire firms on the Harrowgate canal are cancelling bookings because the Quillon "
    "lock closed when divers discovered the broken hinge. One firm said half its fleet was "
    "trapped on the wrong side of the gates.",
    "Boat owners asked the waterways board to let them pass the Quillon lock under manual "
    "supervision, but the board refused: with the hinge split, the upper gate cannot hold "
    "back the water of the Harrowgate pound.",
    "A Pellingford foundry has started casting a new hinge for the Quillon lock, where the "
    "Harrowgate canal has been closed since divers spotted the crack. The foundry expects to "
    "deliver the part within a fortnight.",
    "Lock keepers at Quillon described how the split hinge was found during a routine dive, "
    "and the Harrowgate waterways board confirmed that boats will be stopped until the "
    "replacement gate fitting is installed.",
]
OUTLETS = ["Canal Gazette", "Harrowgate Post", "Towpath Weekly", "Lock News", "Valley Wire"]


def _doc(i: int, outlet: str | None = None) -> CleanDoc:
    return CleanDoc(
        title=f"Quillon lock on the Harrowgate canal shut after hinge split (report {i})",
        text=REPORTS[i % len(REPORTS)],
        outlet=outlet or OUTLETS[i % len(OUTLETS)],
        published=START + timedelta(hours=3 * i),
        url=f"https://news{i}.example/quillon-lock/{i}",
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "cache.db"


@pytest.fixture
def store(db: Path) -> Iterator[Store]:
    s = Store(db)
    yield s
    s.close()


def _aggregate(db: Path, story_id: int) -> tuple[object, ...]:
    """(first, last, count, outlets) recomputed from the story's members with plain SQL."""
    with sqlite3.connect(db) as conn:
        first, last, count = conn.execute(
            "SELECT min(strftime('%Y-%m-%dT%H:%M:%S+00:00', published)), "
            "max(strftime('%Y-%m-%dT%H:%M:%S+00:00', published)), count(*) "
            "FROM articles WHERE story_id = ? AND duplicate_of IS NULL",
            [story_id],
        ).fetchone()
        outlets = [
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT outlet FROM articles WHERE story_id = ? AND duplicate_of IS NULL "
                "ORDER BY outlet",
                [story_id],
            )
        ]
    return first, last, count, outlets


def _stored(db: Path, story_id: int) -> tuple[object, ...]:
    import json

    with sqlite3.connect(db) as conn:
        first, last, count, outlets = conn.execute(
            "SELECT first_published, last_published, article_count, outlets FROM stories "
            "WHERE id = ?",
            [story_id],
        ).fetchone()
    return first, last, count, json.loads(outlets)


def test_story_changed_by_another_connection_is_read_again(store: Store, db: Path) -> None:
    first = save_article(store, _doc(0), "a0")
    save_article(store, _doc(1), "a1")
    sid = first.story_id
    assert sid is not None and store.story_cache.rows  # the story is kept decoded
    with Store(db) as other:  # e.g. the bot adding a feed item meanwhile
        joined = save_article(other, _doc(2, outlet="Elsewhere Times"), "b2")
    assert joined.story_id == sid
    latest = save_article(store, _doc(3), "a3")
    assert latest.story_id == sid
    assert _stored(db, sid) == _aggregate(db, sid)
    assert _stored(db, sid)[2] == 4 and "Elsewhere Times" in _stored(db, sid)[3]  # type: ignore[operator]


def test_rolled_back_article_leaves_no_trace_in_the_cache(store: Store, db: Path) -> None:
    sid = save_article(store, _doc(0), "a0").story_id
    save_article(store, _doc(1), "a1")
    with pytest.raises(RuntimeError), store.atomic():
        assert save_article(store, _doc(2), "a2").story_id == sid
        raise RuntimeError("the caller's transaction fails after the article was saved")
    assert store.article_count() == 2
    assert sid is not None and _stored(db, sid)[2] == 2
    with Store(db) as other:  # brings the story to the version the undone write had reached
        assert save_article(other, _doc(3, outlet="Elsewhere Times"), "b3").story_id == sid
    assert save_article(store, _doc(4), "a4").story_id == sid
    assert _stored(db, sid) == _aggregate(db, sid)
    assert _stored(db, sid)[2] == 4


def test_incremental_story_columns_match_their_members(store: Store, db: Path) -> None:
    outcomes = [save_article(store, _doc(i), f"a{i}") for i in range(6)]
    for sid in {o.story_id for o in outcomes}:
        assert sid is not None
        assert _stored(db, sid) == _aggregate(db, sid)


# --- batch transactions never hold the write lock while a reader works ------------------------


def _read_slowly(path: Path) -> Prepared:
    """A reader that waits for a go-ahead file before reading files named slow*."""
    if path.name.startswith("slow"):
        go = path.with_name("go")
        deadline = time.monotonic() + 30
        while not go.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
    return prepare(read_file(path))


def test_batch_is_committed_before_waiting_on_a_slow_reader(tmp_path: Path, db: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i, name in enumerate(["fast.md", "slow.md"]):
        doc = _doc(i)
        (folder / name).write_text(f"# {doc.title}\n\n{doc.text}\n", encoding="utf-8")
    probe: dict[str, object] = {}

    def other_writer() -> None:
        with Store(db) as watcher:  # reads never wait on the ingest's transaction (WAL)
            deadline = time.monotonic() + 30
            while watcher.article_count() < 1 and time.monotonic() < deadline:
                time.sleep(0.01)
        conn = sqlite3.connect(db, timeout=0)  # no busy wait at all
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
            probe["lock"] = "free"
        except sqlite3.OperationalError as exc:
            probe["lock"] = str(exc)
        finally:
            conn.close()
            (folder / "go").write_text("go")

    with Store(db) as store, Sandbox(workers=1).start() as box:
        thread = threading.Thread(target=other_writer)
        thread.start()
        report = ingest_paths(
            store, [str(folder / "fast.md"), str(folder / "slow.md")], IngestReport(),
            sandbox=box, read=_read_slowly,
        )
        thread.join(30)
    assert probe.get("lock") == "free"
    assert report.errors == [] and len(report.ingested) == 2


def test_kept_story_equals_the_story_read_back(store: Store, db: Path) -> None:
    """What the cache keeps after a write is exactly what decoding the stored row gives (the
    story window as stored: UTC to the second, whatever zone and precision the article had)."""
    from dataclasses import replace

    zone = timezone(timedelta(hours=2))
    docs = [_doc(i) for i in range(4)]
    last = docs[3].published
    assert last is not None
    docs[3] = replace(docs[3], published=last.astimezone(zone).replace(microsecond=5))
    outcomes = [save_article(store, doc, f"a{i}") for i, doc in enumerate(docs)]
    for sid in {o.story_id for o in outcomes}:
        assert sid is not None
        version, kept = store.story_cache.rows[sid]
        with Store(db) as fresh:
            assert fresh.story_candidates([]) == []
            [(stored_version, stored)] = fresh.parts_assignment._load([sid])
        assert (version, kept) == (stored_version, stored)
