"""The store on a real SQLite file: migrations, transactions, freshness, FTS quoting, chats, feeds."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
import sqlite_utils

from bot.store import Feed, StorageError, Store, fts_query
from bot.store.schema import MIGRATIONS
from summarizer.models import Article, Briefing

# Every registered migration, in order (other parts of the store add theirs at the end).
ALL_MIGRATIONS = [m.name for m in MIGRATIONS._migrations]
FIRST_MIGRATIONS = [
    "0001_articles",
    "0002_chat",
    "0003_story_title_article",
    "0004_articles_fts",
    "0005_story_version",
    "0006_list_and_member_indexes",
    "0007_story_assignment",
]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "t.db")
    yield s
    s.close()


def _article(n: int, story_id: int | None = None) -> Article:
    return Article(
        id=0,
        title=f"Ferry timetable change number {n}",
        text=f"The harbour ferry will run a new timetable, change number {n}, from next month.",
        outlet=f"Outlet {n}",
        content_hash=f"hash-{n}",
        story_id=story_id,
    )


def _add_to_story(store: Store, story_id: int, n: int) -> int:
    """Insert article ``n`` into a story and refresh the story, as ingest does."""
    with store.atomic():
        aid = store.insert_article(
            article=_article(n, story_id),
            url_key=f"example.test/ferry/{n}",
            input_name=f"in{n}",
            terms={"ferri": 1.0},
            entities=[],
            bands=[f"0:{n:08x}"],
            term_set=["ferri", "timet"],
        )
        store.update_story(
            story_id, title="Ferry", centroid={"ferri": 1.0}, entities=[], index_terms=["ferri"]
        )
    return aid


def test_migrations_apply_once_and_wal(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    Store(path).close()
    s = Store(path)  # reopening applies nothing twice
    assert s.migrations() == ALL_MIGRATIONS
    assert ALL_MIGRATIONS[: len(FIRST_MIGRATIONS)] == FIRST_MIGRATIONS
    assert s.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert "articles_fts" in s.db.table_names()
    s.close()


def _legacy_database(path: Path) -> None:
    """A database laid out as the single-module store left it: its own ``_migrations`` table."""
    db = sqlite_utils.Database(sqlite3.connect(path))
    legacy = ["0001_articles", "0002_chat", "0003_story_title_article"]
    with db.atomic():
        for migration in MIGRATIONS._migrations:
            if migration.name in legacy:
                migration.fn(db)
        db.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        for name in legacy:
            db.execute("INSERT INTO _migrations VALUES (?, '2026-01-01T00:00:00+00:00')", [name])
        db.table("articles").enable_fts(["title", "text"], create_triggers=True)
        db.execute("INSERT INTO stories (title, updated_at, article_count) VALUES ('Old', 'x', 1)")
        db.execute("INSERT INTO subscriptions VALUES (5, '07:00', 'UTC', 3, 'x')")
    db.close()


def test_database_of_the_old_layout_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _legacy_database(path)
    with Store(path) as s:
        assert s.migrations() == ALL_MIGRATIONS
        assert "_migrations" not in s.db.table_names()
        assert s.subscription(5) == ("07:00", "UTC", 3)
        assert s.story_version(1) == 0
    with Store(path) as s:  # and opens again without applying anything
        assert s.migrations() == ALL_MIGRATIONS


def _open_at_once(path: Path, n: int) -> list[BaseException]:
    """Open ``n`` stores on one path from ``n`` threads released together; their errors."""
    start = threading.Barrier(n)
    errors: list[BaseException] = []

    def open_store() -> None:
        start.wait()
        try:
            Store(path).close()
        except BaseException as exc:  # collected and asserted by the caller
            errors.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_new_database_opened_by_several_connections_at_once(tmp_path: Path) -> None:
    """Schema creation takes the write lock first: no 'table already exists' race."""
    for trial in range(5):
        path = tmp_path / f"race{trial}.db"
        assert _open_at_once(path, 4) == []
        with Store(path) as s:
            assert s.migrations() == ALL_MIGRATIONS


def test_failure_inside_atomic_rolls_back_and_raises_the_real_error(store: Store) -> None:
    """Writes that used to commit on their own (subscribe, add_feed) are undone too."""
    with pytest.raises(RuntimeError, match="boom"), store.atomic():
        store.create_story()
        store.subscribe(1, "07:00", "UTC", 5)
        store.add_feed("https://a.test/rss")
        raise RuntimeError("boom")
    assert store.db.execute("SELECT count(*) FROM stories").fetchone()[0] == 0
    assert store.subscription(1) is None and store.feeds() == []
    assert not store.db.conn.in_transaction


def test_nested_atomic_undoes_only_the_inner_block(store: Store) -> None:
    with store.atomic():
        store.subscribe(1, "07:00", "UTC", 5)
        with pytest.raises(ValueError), store.atomic():
            store.subscribe(2, "08:00", "UTC", 5)
            raise ValueError("inner")
        store.add_feed("https://a.test/rss")
    assert store.subscription(1) is not None and store.subscription(2) is None
    assert [f.url for f in store.feeds()] == ["https://a.test/rss"]


def test_sqlite_errors_become_storage_errors(store: Store, tmp_path: Path) -> None:
    bad = Article(id=0, title="t", text=None, content_hash="h")  # type: ignore[arg-type]
    with pytest.raises(StorageError, match="NOT NULL"):
        store.insert_article(
            article=bad, url_key="", input_name="x", terms={}, entities=[], bands=[], term_set=[]
        )
    assert store.article_count() == 0
    (tmp_path / "folder.db").mkdir()
    with pytest.raises(StorageError):
        Store(tmp_path / "folder.db")


def test_view_from_three_articles_is_stale_after_a_fourth_in_the_same_second(store: Store) -> None:
    """The freshness token is a version counter, not a timestamp to the second."""
    sid = store.create_story()
    for n in range(3):
        _add_to_story(store, sid, n)
    version = store.story_version(sid)
    briefing = Briefing(story_id=sid, title="Ferry", sentences=())
    _add_to_story(store, sid, 3)  # arrives while the view is being computed
    assert store.story_version(sid) == version + 1
    assert not store.save_story_views(sid, briefing, [], version)
    assert store.cached_briefing(sid) is None and store.dirty_stories() == [sid]
    assert store.save_story_views(sid, briefing, [], version + 1)
    assert store.cached_briefing(sid) == briefing and store.dirty_stories() == []
    story = store.story(sid)
    assert story is not None and story.version == version + 1 and len(story.article_ids) == 4


@pytest.mark.parametrize(
    "raw", ["U.S.-Russia", "Trump's call", '"unbalanced', "NEAR(a b)", "a OR b*", "-x ^y"]
)
def test_fts_query_never_breaks_fts5(store: Store, raw: str) -> None:
    q = fts_query(raw)
    store.db.execute("SELECT * FROM articles_fts WHERE articles_fts MATCH ?", [q]).fetchall()
    assert store.search_stories(raw) == []


def test_fts_query_of_punctuation_is_empty() -> None:
    assert fts_query(" ?? -- ") == ""


def test_digest_claims_are_exactly_once(store: Store) -> None:
    store.subscribe(7, "07:30", "Europe/Berlin", 5)
    assert store.claim_digest(7, "2026-03-03", [1, 2])
    assert not store.claim_digest(7, "2026-03-03", [1, 2])  # a second claim (restart) loses
    store.finish_digest(7, "2026-03-03", "sent", [(1, 3), (2, 1)])
    assert store.digest_status(7, "2026-03-03") == "sent"
    assert store.sent_coverage(7) == {1: 3, 2: 1}
    assert store.claim_digest(7, "2026-03-04", [])  # next day is a new digest


def test_failed_digest_can_be_claimed_again(store: Store) -> None:
    assert store.claim_digest(9, "2026-03-03", [])
    store.finish_digest(9, "2026-03-03", "failed", [], error="network")
    assert store.claim_digest(9, "2026-03-03", [])


def test_subscriptions_and_feeds_are_typed(store: Store) -> None:
    store.subscribe(1, "07:00", "UTC", 5)
    store.subscribe(1, "08:15", "Asia/Tokyo", 3)
    sub = store.subscription(1)
    assert sub is not None and (sub.at_time, sub.zone, sub.stories) == ("08:15", "Asia/Tokyo", 3)
    assert [s.chat_id for s in store.subscriptions()] == [1]
    assert store.unsubscribe(1) and not store.unsubscribe(1)
    assert store.add_feed("https://a.test/rss") and not store.add_feed("https://a.test/rss")
    [feed] = store.feeds()
    assert isinstance(feed, Feed) and feed.url == "https://a.test/rss" and feed.failures == 0
    assert store.remove_feed(feed.id) == "https://a.test/rss" and store.remove_feed(feed.id) is None


def test_database_is_a_plain_sqlite_file(store: Store, tmp_path: Path) -> None:
    store.add_feed("https://a.test/rss")
    with sqlite3.connect(tmp_path / "t.db") as other:
        assert other.execute("SELECT url FROM feeds").fetchall() == [("https://a.test/rss",)]


def test_store_imports_neither_the_clusterer_nor_numpy_nor_nltk() -> None:
    code = (
        "import sys, bot.store; "
        "bad = [m for m in ('numpy', 'nltk', 'summarizer.stories.cluster') if m in sys.modules]; "
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_story_inputs_carry_the_version_of_what_was_read(store: Store, tmp_path: Path) -> None:
    """A 4th article committed by another process while a story's inputs are being read does
    not leak in: the inputs are one snapshot, and a view made from them is refused."""
    from bot.chat import views

    sid = store.create_story()
    for n in range(3):
        _add_to_story(store, sid, n)
    real_articles = store.articles

    def articles_while_another_process_writes(ids: Iterable[int]) -> list[Article]:
        with Store(tmp_path / "t.db") as other:
            _add_to_story(other, sid, 3)
        return real_articles(ids)

    store.articles = articles_while_another_process_writes
    inputs = views.load_inputs(store, sid)
    store.articles = real_articles
    assert inputs is not None and len(inputs.articles) == 3
    assert store.story_version(sid) == inputs.version + 1
    briefing = Briefing(story_id=sid, title="Ferry", sentences=())
    assert not store.save_story_views(sid, briefing, [], inputs.version)
    assert store.dirty_stories() == [sid]


def test_full_text_index_is_rewritten_only_when_title_or_text_change(store: Store) -> None:
    """Storing an article's quotes or moving it to another story leaves its full-text entry
    alone (one row changed, no index rows); a new text replaces the old one in the index."""
    sid = store.create_story()
    aid = _add_to_story(store, sid, 1)
    conn = store.db.conn
    before = conn.total_changes
    store.db.execute("UPDATE articles SET quotes = '[]', story_id = NULL WHERE id = ?", [aid])
    assert conn.total_changes - before == 1
    before = conn.total_changes
    store.db.execute("UPDATE articles SET text = 'The lighthouse reopens.' WHERE id = ?", [aid])
    assert conn.total_changes - before > 1  # the row and the index's own tables

    def found(word: str) -> list[int]:
        rows = store.db.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", [word]
        ).fetchall()
        return [r[0] for r in rows]

    assert found("lighthouse") == [aid]
    assert found("harbour") == []  # the old text's words are gone from the index


def test_views_json_is_what_asdict_writes() -> None:
    """Views and quotes are stored as ``json.dumps(asdict(...))`` wrote them (stored rows stay
    readable), without the deep copy; anything that is no dataclass or JSON value is refused."""
    from dataclasses import asdict

    from bot.store.db import to_json
    from summarizer.models import BriefSentence, Framing, Quote

    sentence = BriefSentence("The ferry “returns” on Monday.", (1, 2), ("A", "B"), 0.5, "A")
    briefing = Briefing(7, "Ferry", (sentence,), (Framing("A", 1, "The return"),), (sentence,))
    quotes = [Quote("We are ready", "Ines Marr", "captain", "ctx", True, 12)]
    assert to_json(briefing) == json.dumps(asdict(briefing))
    assert to_json(quotes) == json.dumps([asdict(q) for q in quotes])
    with pytest.raises(TypeError):
        to_json({"when": object()})
