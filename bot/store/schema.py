"""The database schema as sqlite-utils migrations, applied once under the write lock."""

from __future__ import annotations

import sqlite3

import sqlite_utils
from sqlite_utils.migrations import Migrations

from bot.store.db import Connection, StorageError
from bot.store.index import OPEN_WINDOW, window_hours

MIGRATIONS = Migrations("briefbot")
LEGACY_TABLE = "_migrations"  # where databases made before sqlite-utils migrations kept their names


def _run(db: sqlite_utils.Database, sql: str) -> None:
    for statement in (s for s in sql.split(";") if s.strip()):
        db.execute(statement)


@MIGRATIONS(name="0001_articles")
def _articles(db: sqlite_utils.Database) -> None:
    _run(
        db,
        """
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL DEFAULT '',
            outlet TEXT NOT NULL DEFAULT '',
            author TEXT NOT NULL DEFAULT '',
            published TEXT,
            url TEXT NOT NULL DEFAULT '',
            url_key TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            ingested_at TEXT NOT NULL,
            story_id INTEGER,
            duplicate_of INTEGER REFERENCES articles(id),
            images TEXT NOT NULL DEFAULT '[]',
            input TEXT NOT NULL DEFAULT '',
            terms TEXT NOT NULL DEFAULT '{}',
            entities TEXT NOT NULL DEFAULT '[]',
            quotes TEXT
        );
        CREATE INDEX articles_url_key ON articles(url_key) WHERE url_key != '';
        CREATE INDEX articles_hash ON articles(content_hash);
        CREATE INDEX articles_story ON articles(story_id);
        CREATE TABLE article_lsh (
            band TEXT NOT NULL,
            article_id INTEGER NOT NULL REFERENCES articles(id)
        );
        CREATE INDEX article_lsh_band ON article_lsh(band);
        CREATE TABLE term_df (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE stories (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL DEFAULT '',
            centroid TEXT NOT NULL DEFAULT '{}',
            entities TEXT NOT NULL DEFAULT '[]',
            first_published TEXT,
            last_published TEXT,
            updated_at TEXT NOT NULL,
            article_count INTEGER NOT NULL DEFAULT 0,
            outlets TEXT NOT NULL DEFAULT '[]',
            briefing TEXT,
            quotes TEXT
        );
        CREATE INDEX stories_updated ON stories(updated_at);
        CREATE TABLE story_terms (
            term TEXT NOT NULL,
            story_id INTEGER NOT NULL REFERENCES stories(id),
            PRIMARY KEY (term, story_id)
        ) WITHOUT ROWID;
        CREATE INDEX story_terms_story ON story_terms(story_id)
        """,
    )


@MIGRATIONS(name="0002_chat")
def _chat(db: sqlite_utils.Database) -> None:
    _run(
        db,
        """
        CREATE TABLE subscriptions (
            chat_id INTEGER PRIMARY KEY,
            at_time TEXT NOT NULL,
            zone TEXT NOT NULL,
            stories INTEGER NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE digest_log (
            chat_id INTEGER NOT NULL,
            day TEXT NOT NULL,
            status TEXT NOT NULL,
            story_ids TEXT NOT NULL DEFAULT '[]',
            started_at TEXT NOT NULL,
            finished_at TEXT,
            error TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (chat_id, day)
        );
        CREATE TABLE digest_items (
            chat_id INTEGER NOT NULL,
            story_id INTEGER NOT NULL,
            article_count INTEGER NOT NULL,
            day TEXT NOT NULL,
            PRIMARY KEY (chat_id, story_id)
        );
        CREATE TABLE feeds (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            etag TEXT NOT NULL DEFAULT '',
            last_modified TEXT NOT NULL DEFAULT '',
            failures INTEGER NOT NULL DEFAULT 0,
            next_poll_at TEXT,
            last_error TEXT NOT NULL DEFAULT '',
            added_at TEXT NOT NULL
        )
        """,
    )


@MIGRATIONS(name="0003_story_title_article")
def _story_title_article(db: sqlite_utils.Database) -> None:
    """The story's headline article (big stories update their title incrementally), and a
    partial index so counting original articles on every insert does not scan article text."""
    _run(
        db,
        """
        ALTER TABLE stories ADD COLUMN title_article INTEGER;
        CREATE INDEX IF NOT EXISTS articles_original ON articles(id) WHERE duplicate_of IS NULL
        """,
    )


@MIGRATIONS(name="0004_articles_fts")
def _articles_fts(db: sqlite_utils.Database) -> None:
    """Full-text search over titles and texts (databases of the old layout already have it)."""
    if "articles_fts" not in db.table_names():
        db.table("articles").enable_fts(["title", "text"], create_triggers=True)


@MIGRATIONS(name="0005_story_version")
def _story_version(db: sqlite_utils.Database) -> None:
    """A counter bumped on every change of a story: the freshness token of its cached views."""
    _run(db, "ALTER TABLE stories ADD COLUMN version INTEGER NOT NULL DEFAULT 0")


@MIGRATIONS(name="0006_list_and_member_indexes")
def _list_and_member_indexes(db: sqlite_utils.Database) -> None:
    """Indexes so no hot query reads every story or article row (issue 17).

    ``stories_recent`` covers the story lists (ordered by latest activity) without touching the
    big rows with their cached JSON; ``stories_nonempty`` counts them; ``stories_dirty`` finds
    the stories whose views need computing; ``articles_story_members`` (replacing the plain
    story_id index) answers "which original articles, published when, by which outlets" for a
    story from the index alone.
    """
    _run(
        db,
        """
        DROP INDEX IF EXISTS stories_updated;
        DROP INDEX IF EXISTS articles_story;
        CREATE INDEX stories_recent ON stories(coalesce(last_published, updated_at), id, title,
            outlets, first_published, last_published, updated_at, article_count, version)
            WHERE article_count > 0;
        CREATE INDEX stories_nonempty ON stories(article_count) WHERE article_count > 0;
        CREATE INDEX stories_dirty ON stories(id, article_count, briefing)
            WHERE article_count > 0 AND briefing IS NULL;
        CREATE INDEX articles_story_members ON articles(story_id, id, published, outlet)
            WHERE duplicate_of IS NULL
        """,
    )


@MIGRATIONS(name="0007_story_assignment")
def _story_assignment(db: sqlite_utils.Database) -> None:
    """Issue 10: headline-only articles are flagged ``short``; each article keeps its assignment
    evidence and each story its decision state (``summarizer.stories.records``), so admins can
    merge and split stories and have them rebuilt from their members."""
    _run(
        db,
        """
        ALTER TABLE articles ADD COLUMN short INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE articles ADD COLUMN evidence TEXT NOT NULL DEFAULT '{}';
        ALTER TABLE stories ADD COLUMN state TEXT NOT NULL DEFAULT '{}'
        """,
    )


@MIGRATIONS(name="0008_subscription_since")
def _subscription_since(db: sqlite_utils.Database) -> None:
    """When a subscription's time was last set: a digest due before that is never "missed"."""
    _run(
        db,
        "ALTER TABLE subscriptions ADD COLUMN since TEXT; UPDATE subscriptions SET since = created_at",
    )


@MIGRATIONS(name="0010_follows_filters_settings")
def _follows_filters_settings(db: sqlite_utils.Database) -> None:
    """Issue 15: followed stories and their alert log, per-chat filters and settings."""
    _run(
        db,
        """
        CREATE TABLE follows (
            chat_id INTEGER NOT NULL,
            story_id INTEGER NOT NULL,
            followed_at TEXT NOT NULL,
            seen_version INTEGER NOT NULL DEFAULT 0,
            seen_articles TEXT NOT NULL DEFAULT '[]',
            last_alert_at TEXT,
            PRIMARY KEY (chat_id, story_id)
        );
        CREATE INDEX follows_story ON follows(story_id);
        CREATE TABLE follow_alerts (
            chat_id INTEGER NOT NULL,
            story_id INTEGER NOT NULL,
            version INTEGER NOT NULL,
            status TEXT NOT NULL,
            article_ids TEXT NOT NULL DEFAULT '[]',
            started_at TEXT NOT NULL,
            finished_at TEXT,
            error TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (chat_id, story_id, version)
        );
        CREATE TABLE chat_filters (
            chat_id INTEGER NOT NULL,
            kind TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (chat_id, kind, value)
        );
        CREATE TABLE chat_settings (
            chat_id INTEGER PRIMARY KEY,
            length TEXT NOT NULL DEFAULT 'standard',
            digest_size INTEGER,
            quiet_start TEXT NOT NULL DEFAULT '',
            quiet_end TEXT NOT NULL DEFAULT ''
        )
        """,
    )


@MIGRATIONS(name="0011_entry_backoff")
def _entry_backoff(db: sqlite_utils.Database) -> None:
    """Issue 16: failed feed entries back off across restarts, like feeds."""
    _run(
        db,
        """
        CREATE TABLE entry_backoff (
            url TEXT PRIMARY KEY,
            failures INTEGER NOT NULL,
            retry_at TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX entry_backoff_retry ON entry_backoff(retry_at)
        """,
    )


@MIGRATIONS(name="0012_follow_thread")
def _follow_thread(db: sqlite_utils.Database) -> None:
    """A follow remembers the forum topic it was made in: its alerts go to that topic."""
    _run(db, "ALTER TABLE follows ADD COLUMN thread_id INTEGER")


@MIGRATIONS(name="0013_article_parts")
def _article_parts(db: sqlite_utils.Database) -> None:
    """Issue 17: an article's briefing parts (sentence candidates, quotes), computed once and kept.

    ``format`` names the layout of ``data``: rows of an older format are recomputed, not misread.
    """
    _run(
        db,
        """
        CREATE TABLE article_parts (
            article_id INTEGER PRIMARY KEY REFERENCES articles(id),
            format INTEGER NOT NULL,
            data BLOB NOT NULL
        )
        """,
    )


@MIGRATIONS(name="0014_story_terms_window")
def _story_terms_window(db: sqlite_utils.Database) -> None:
    """Issue 17: each ``story_terms`` row keeps its story's coverage window in whole hours, and
    ``story_terms_recent`` finds a term's stories near a time by a range scan, so the candidate
    lookup reads only stories an article could still join, however big the database grows.

    Rows get the open window first (every article may reach them), then their story's own.
    """
    low, high = OPEN_WINDOW
    _run(
        db,
        f"""
        ALTER TABLE story_terms ADD COLUMN first_hour INTEGER NOT NULL DEFAULT ({low});
        ALTER TABLE story_terms ADD COLUMN last_hour INTEGER NOT NULL DEFAULT ({high})
        """,
    )
    rows = db.execute(
        "SELECT id, first_published, last_published FROM stories "
        "WHERE id IN (SELECT DISTINCT story_id FROM story_terms)"
    ).fetchall()
    updates = [(*window_hours(first, last), sid) for sid, first, last in rows]
    db.conn.executemany(
        "UPDATE story_terms SET first_hour = ?, last_hour = ? WHERE story_id = ?",
        [u for u in updates if (u[0], u[1]) != OPEN_WINDOW],
    )
    _run(db, "CREATE INDEX story_terms_recent ON story_terms(term, last_hour, first_hour)")


@MIGRATIONS(name="0015_article_shingles")
def _article_shingles(db: sqlite_utils.Database) -> None:
    """Issue 17: each original article's shingle fingerprint, so a near-duplicate candidate is
    confirmed without splitting its text again (articles stored earlier fall back to the text),
    and band lookups read ``article_lsh`` from one covering index."""
    _run(
        db,
        """
        CREATE TABLE article_shingles (
            article_id INTEGER PRIMARY KEY REFERENCES articles(id),
            shingles BLOB NOT NULL
        );
        CREATE INDEX article_lsh_key ON article_lsh(band, article_id);
        DROP INDEX article_lsh_band
        """,
    )


@MIGRATIONS(name="0016_fts_follows_text")
def _fts_follows_text(db: sqlite_utils.Database) -> None:
    """Issue 17: the full-text index is rewritten when an article's title or text changes, not
    on every update of the row. The trigger sqlite-utils makes fires on any column, so storing an
    article's quotes (once per article, at its story's first view) or moving it to another story
    deleted and re-inserted its whole text in the index. One statement per call: the trigger
    body holds semicolons."""
    if "articles_fts" not in db.table_names():
        return
    db.execute("DROP TRIGGER IF EXISTS articles_au")
    db.execute(
        """
        CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
          INSERT INTO articles_fts (articles_fts, rowid, title, text)
            VALUES ('delete', old.rowid, old.title, old.text);
          INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
        END
        """
    )


def _import_legacy(db: sqlite_utils.Database) -> None:
    """Record the migrations an old-layout database applied (its own ``_migrations`` table)."""
    if LEGACY_TABLE not in db.table_names():
        return
    MIGRATIONS.ensure_migrations_table(db)
    applied = {m.name for m in MIGRATIONS.applied(db)}
    rows = db.execute(f"SELECT name, applied_at FROM {LEGACY_TABLE} ORDER BY name").fetchall()
    for name, applied_at in rows:
        if name not in applied:
            db.table(MIGRATIONS.migrations_table).insert(
                {"migration_set": MIGRATIONS.name, "name": name, "applied_at": applied_at}
            )
    db.execute(f"DROP TABLE {LEGACY_TABLE}")


def migrate(conn: Connection) -> None:
    """Bring the schema up to date; safe when several processes open a new database at once.

    The check is a read; only when something is pending is the write lock taken, and the check
    repeated under it, so a second process waits and then finds nothing left to do.
    """
    db = conn.db
    try:
        if not MIGRATIONS.pending(db) and LEGACY_TABLE not in db.table_names():
            return
    except sqlite3.Error as exc:
        raise StorageError(f"database error: {exc}") from exc
    with conn.atomic():
        _import_legacy(db)
        MIGRATIONS.apply(db)


def applied_migrations(conn: Connection) -> list[str]:
    """Names of the applied migrations, in order."""
    return [m.name for m in MIGRATIONS.applied(conn.db)]
