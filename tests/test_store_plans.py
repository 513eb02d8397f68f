"""Every lookup on the ingest path and behind the story lists uses an index (issue 17).

The SQL is captured from the real code paths (ingest of articles with URLs, /stories pages, the
digest window, dirty-story refresh) with its bound parameters, then run through
``EXPLAIN QUERY PLAN``: a full scan of ``articles`` or ``stories`` fails the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.sources.ingest import save_article
from bot.store import Store
from summarizer.models import CleanDoc

TOWNS = ["Arlow", "Brenmoor", "Cazzle", "Dunmere", "Eskby", "Fallowmere"]
TOPICS = [
    ("bridge", "The old river bridge at {town} closed after engineers found cracked bearings."),
    ("ferry", "Ferry crossings from {town} were cancelled as a gale battered the estuary."),
    ("school", "Parents in {town} protested against the plan to merge two primary schools."),
]


def _doc(town: str, topic: str, lead: str, n: int) -> CleanDoc:
    body = lead.format(town=town) + (
        f" Officials in {town} said repairs on the {topic} would take weeks, and residents"
        f" asked the council for a clear timetable. Report number {n} from the {topic} desk"
        " described long queues, angry commuters and a hastily arranged public meeting."
    )
    return CleanDoc(
        title=f"{town} {topic} news {n}",
        text=body,
        outlet=f"Outlet {n % 4}",
        published=datetime(2026, 3, 1, 8, tzinfo=UTC) + timedelta(hours=n),
        url=f"https://news{n % 4}.example/{town.lower()}/{topic}/{n}",
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "plans.db")
    yield s
    s.close()


def _captured(store: Store, action: Any) -> list[tuple[str, list[Any]]]:
    """(sql, params) of every SELECT the action ran."""
    seen: list[tuple[str, list[Any]]] = []

    def trace(sql: str, params: Any) -> None:
        if sql.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append((sql, list(params or [])))

    with store.db.tracer(trace):
        action()
    return seen


#: Whole-table scans of a table that grows with the database (by name or by query alias).
SCANS = {f"SCAN {name}" for name in ("articles", "stories", "article_lsh", "article_shingles",
                                      "a", "s", "f")}


def _full_scans(store: Store, statements: list[tuple[str, list[Any]]]) -> list[str]:
    bad = []
    for sql, params in statements:
        plan = [str(r[3]) for r in store.db.execute("EXPLAIN QUERY PLAN " + sql, params)]
        for step in plan:
            if step in SCANS:
                bad.append(f"{step}: {' '.join(sql.split())[:140]}")
    return bad


def test_ingest_path_uses_indexes(store: Store) -> None:
    pairs = [(town, topic) for town in TOWNS for topic in TOPICS]
    docs = [_doc(town, name, lead, i) for i, (town, (name, lead)) in enumerate(pairs)]
    for i, doc in enumerate(docs[:-1]):
        save_article(store, doc, f"in{i}")
    last = docs[-1]
    statements = _captured(store, lambda: save_article(store, last, "last"))
    statements += _captured(store, lambda: save_article(store, last, "again"))  # duplicate path
    assert any("url_key" in sql for sql, _ in statements)
    assert _full_scans(store, statements) == []


def test_story_lists_use_indexes(store: Store) -> None:
    pairs = [(town, topic) for town in TOWNS[:3] for topic in TOPICS]
    for i, (town, (name, lead)) in enumerate(pairs):
        save_article(store, _doc(town, name, lead, i), f"in{i}")

    def lists() -> None:
        store.story_count()
        store.stories(limit=10, offset=0)
        store.stories(limit=10, offset=10)
        store.stories_between(datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 2, tzinfo=UTC))
        store.dirty_stories()

    statements = _captured(store, lists)
    assert len(statements) >= 5
    assert _full_scans(store, statements) == []
    for sql, params in statements:
        plan = " | ".join(str(r[3]) for r in store.db.execute("EXPLAIN QUERY PLAN " + sql, params))
        assert "TEMP B-TREE FOR ORDER BY" not in plan, plan
        if "FROM stories" in sql:  # answered from an index alone: no big story row is read
            assert "COVERING INDEX" in plan, plan


def test_chat_story_list_and_top_brief_use_indexes(store: Store) -> None:
    """/stories and /brief (the top story, views cached) as a chat message runs them."""
    import asyncio

    from bot.chat.commands import Caller, Commands
    from bot.config import Settings

    pairs = [(town, topic) for town in TOWNS[:4] for topic in TOPICS]
    for i, (town, (name, lead)) in enumerate(pairs):
        save_article(store, _doc(town, name, lead, i), f"in{i}")
    now = datetime(2026, 3, 2, 9, tzinfo=UTC)
    commands = Commands(store, Settings.from_env({}), clock=lambda: now)
    caller = Caller(chat_id=1, user_id=1)

    def handle(*lines: str) -> None:
        for line in lines:
            assert asyncio.run(commands.handle(line, caller)).paragraphs

    handle("/brief")  # computes and caches the top story's views
    statements = _captured(store, lambda: handle("/stories", "/stories 2", "/brief"))
    assert any("FROM stories" in sql for sql, _ in statements)
    assert _full_scans(store, statements) == []
    for sql, params in statements:  # a list is read in index order, never sorted whole
        if "FROM stories" in sql and "ORDER BY" in sql:
            plan = " | ".join(
                str(r[3]) for r in store.db.execute("EXPLAIN QUERY PLAN " + sql, params)
            )
            assert "TEMP B-TREE" not in plan, plan


def test_candidate_lookup_is_a_range_scan_of_recent_story_terms(store: Store) -> None:
    """Candidate stories are found among those in reach of the article's time (issue 17)."""
    pairs = [(town, topic) for town in TOWNS for topic in TOPICS]
    docs = [_doc(town, name, lead, i) for i, (town, (name, lead)) in enumerate(pairs)]
    for i, doc in enumerate(docs[:-1]):
        save_article(store, doc, f"in{i}")
    statements = _captured(store, lambda: save_article(store, docs[-1], "last"))
    lookups = [
        (sql, params)
        for sql, params in statements
        if "FROM story_terms" in sql and "term IN" in sql
    ]
    assert lookups and all("last_hour >=" in sql for sql, _ in lookups), lookups
    for sql, params in lookups:
        plan = " | ".join(str(r[3]) for r in store.db.execute("EXPLAIN QUERY PLAN " + sql, params))
        assert "USING COVERING INDEX story_terms_recent (term=? AND last_hour>?)" in plan, plan
