"""The store on a real SQLite file: migrations, FTS quoting, digest sent-log, feeds."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.store.store import Store, fts_query


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "t.db")
    yield s
    s.close()


def test_migrations_apply_once_and_wal(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    Store(path).close()
    s = Store(path)  # reopening applies nothing twice
    assert s.migrations() == ["0001_articles", "0002_chat", "0003_story_title_article"]
    assert s.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert "articles_fts" in s.db.table_names()
    s.close()


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


def test_subscriptions_and_feeds(store: Store) -> None:
    store.subscribe(1, "07:00", "UTC", 5)
    store.subscribe(1, "08:15", "Asia/Tokyo", 3)
    assert store.subscription(1) == ("08:15", "Asia/Tokyo", 3)
    assert store.unsubscribe(1) and not store.unsubscribe(1)
    assert store.add_feed("https://a.test/rss") and not store.add_feed("https://a.test/rss")
    fid = store.feeds()[0]["id"]
    assert store.remove_feed(fid) == "https://a.test/rss" and store.remove_feed(fid) is None


def test_transaction_rolls_back_everything(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.create_story()
        raise RuntimeError("boom")
    assert store.db.execute("SELECT count(*) FROM stories").fetchone()[0] == 0


def test_database_is_a_plain_sqlite_file(store: Store, tmp_path: Path) -> None:
    store.add_feed("https://a.test/rss")
    with sqlite3.connect(tmp_path / "t.db") as other:
        assert other.execute("SELECT url FROM feeds").fetchall() == [("https://a.test/rss",)]
