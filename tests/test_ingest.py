"""Ingest end to end: `briefbot ingest` (main(argv), in this process) on messy files, real SQLite.

Fixtures under tests/fixtures/ingest are invented articles (one story about a dam, in .md, a .txt
dump of the same article, .txt, .html and a nested .htm). Messy inputs (encodings, binary junk,
a sparse 200 MB file, broken front matter, 600 small files) are generated in tmp_path.
"""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cli_runner import CliResult, run_cli

from bot.sources.ingest import content_hash
from bot.store import Store

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
DAM = FIXTURES / "dam"
ARTICLE_KEYS = {"id", "title", "outlet", "author", "published", "url", "text", "quotes"}


# --- helpers -----------------------------------------------------------------------------------


def run(cwd: Path, db: Path, *args: str) -> CliResult:
    """`briefbot --db DB ARGS` in this process, from ``cwd``, without briefbot/Telegram settings."""
    return run_cli(cwd, "--db", str(db), *args)


def ingest(cwd: Path, db: Path, *inputs: str | Path) -> tuple[int, dict[str, Any], str]:
    """Run `briefbot ingest --json`; (exit code, report, stderr)."""
    proc = run(cwd, db, "ingest", "--json", *map(str, inputs))
    assert "Traceback" not in proc.stderr, proc.stderr
    report = json.loads(proc.stdout)
    assert set(report) >= {"ingested", "errors"}
    for entry in report["ingested"]:
        assert set(entry) >= {"id", "input", "title", "outlet", "story_id", "duplicate_of"}
    for err in report["errors"]:
        assert set(err) >= {"input", "error"}
        assert err["error"].strip(), err
        assert "\n" not in err["error"], err  # one line
    return proc.returncode, report, proc.stderr


def by_name(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Report entries (ingested or errors) keyed by the input's file name."""
    out: dict[str, dict[str, Any]] = {}
    for entry in [*report["ingested"], *report["errors"]]:
        name = Path(entry["input"]).name
        assert name not in out, f"{name} reported twice"
        out[name] = entry
    return out


def article_json(cwd: Path, db: Path, article_id: int) -> dict[str, Any]:
    proc = run(cwd, db, "article", str(article_id), "--json")
    assert proc.returncode == 0, proc.stderr
    data: dict[str, Any] = json.loads(proc.stdout)
    return data


def assert_consistent(db: Path) -> None:
    """Nothing half-written: every article has a live story, FTS matches, SQLite is intact."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        orphans = conn.execute(
            "SELECT a.id FROM articles a LEFT JOIN stories s ON s.id = a.story_id "
            "WHERE a.story_id IS NULL OR s.id IS NULL"
        ).fetchall()
        assert orphans == []
        # Every stored story has articles, and its article_count matches the originals in it.
        mismatched = conn.execute(
            "SELECT s.id FROM stories s WHERE s.article_count != (SELECT count(*) FROM articles a "
            "WHERE a.story_id = s.id AND a.duplicate_of IS NULL)"
        ).fetchall()
        assert mismatched == []
        assert (
            conn.execute("SELECT count(*) FROM stories WHERE article_count = 0").fetchone()[0] == 0
        )
        # The FTS index holds exactly the articles (external-content integrity check).
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES('integrity-check')")
        n_articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        n_fts = conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
        assert n_fts == n_articles
    finally:
        conn.close()


# --- formats, folders, stored fields -----------------------------------------------------------


@pytest.fixture(scope="module")
def dam_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, int, dict[str, Any]]:
    """The dam fixture folder ingested once: (cwd, db, exit code, report)."""
    cwd = tmp_path_factory.mktemp("dam")
    db = cwd / "dam.db"
    rc, report, _ = ingest(cwd, db, DAM)
    return cwd, db, rc, report


def test_every_format_and_nested_folders_are_ingested(
    dam_run: tuple[Path, Path, int, dict[str, Any]],
) -> None:
    _, _, rc, report = dam_run
    assert rc == 0
    assert report["errors"] == []
    got = by_name(report)
    assert set(got) == {
        "clarion.md",
        "clarion_dump.txt",
        "fernbank-daily.txt",
        "riverside-dispatch.html",
        "upland-observer.htm",
    }
    assert Path(got["upland-observer.htm"]["input"]).parent.name == "nested"
    expected = {
        "clarion.md": (
            "The Glenhollow Clarion",
            "Glenhollow shuts Marrowby Dam spillway after engineers find cracked gate",
        ),
        "fernbank-daily.txt": (
            "Fernbank Daily",
            "Cracked gate forces closure of Marrowby Dam spillway, repairs to take ten days",
        ),
        "riverside-dispatch.html": (
            "Riverside Dispatch",
            "Marrowby Dam gate crack: what we know about the spillway closure",
        ),
        "upland-observer.htm": (
            "Upland Observer",
            "Anglers told to keep clear of river as Marrowby Dam repairs begin",
        ),
    }
    for name, (outlet, title) in expected.items():
        assert (got[name]["outlet"], got[name]["title"]) == (outlet, title), name
        assert got[name]["duplicate_of"] is None
    # One event: all four originals land in one story.
    assert len({e["story_id"] for e in report["ingested"]}) == 1
    assert len({got[n]["id"] for n in expected}) == 4


def test_markdown_and_its_text_dump_are_one_article(
    dam_run: tuple[Path, Path, int, dict[str, Any]],
) -> None:
    _, db, _, report = dam_run
    got = by_name(report)
    md, dump = got["clarion.md"], got["clarion_dump.txt"]
    assert md["duplicate_of"] is None
    assert dump["duplicate_of"] == md["id"]
    assert dump["id"] == md["id"]
    assert dump["story_id"] == md["story_id"]
    with Store(db) as store:
        assert store.article_count() == 4


def test_stored_fields_through_article_json(
    dam_run: tuple[Path, Path, int, dict[str, Any]],
) -> None:
    cwd, db, _, report = dam_run
    got = by_name(report)
    md = article_json(cwd, db, got["clarion.md"]["id"])
    assert set(md) >= ARTICLE_KEYS
    assert md["id"] == got["clarion.md"]["id"]
    assert md["title"] == "Glenhollow shuts Marrowby Dam spillway after engineers find cracked gate"
    assert md["outlet"] == "The Glenhollow Clarion"
    assert md["author"] == "Ottilie Brannagh"
    assert md["url"] == (
        "https://www.glenhollowclarion.example/news/2026/04/14/marrowby-dam-spillway-closed/"
    )
    published = datetime.fromisoformat(md["published"])
    assert published.tzinfo is not None
    assert published == datetime(2026, 4, 14, 17, 20, tzinfo=UTC)
    # Clean text: the body, without front matter, heading, byline or newsletter plug.
    text = md["text"]
    assert text.startswith("Glenhollow's water board closed the main spillway")
    assert "Cobb's Ferry were told they do not need to leave their homes" in text
    for junk in ("---", "title:", "Sign up for", "By Ottilie", "# Glenhollow"):
        assert junk not in text
    assert isinstance(md["quotes"], list)
    assert any("no danger to anyone living below the dam" in q["text"] for q in md["quotes"])
    assert all(set(q) >= {"text", "speaker"} for q in md["quotes"])

    html = article_json(cwd, db, got["riverside-dispatch.html"]["id"])
    assert html["author"] == "Henrietta Quillon"
    assert html["url"].startswith("https://www.riversidedispatch.example/region/2026/04/15/")
    assert datetime.fromisoformat(html["published"]) == datetime(2026, 4, 15, 6, 45, tzinfo=UTC)
    assert "Home" not in html["text"].split()  # the nav is gone
    assert "All rights reserved" not in html["text"]
    assert "\u201cThere is no danger" in html["text"]  # &#8220; decoded

    txt = article_json(cwd, db, got["fernbank-daily.txt"]["id"])
    assert txt["author"] == "Casimir Oduya"
    assert txt["url"] == ""  # nothing invented
    txt_published = datetime.fromisoformat(txt["published"])
    assert txt_published.tzinfo is None  # the page gives no zone: none is invented
    assert txt["published_zone"] == "unknown"
    assert txt_published.date().isoformat() == "2026-04-15"
    assert "Media Group" not in txt["text"]

    # Fields the JSON does not show: content hash and ingestion time.
    with Store(db) as store:
        for entry in report["ingested"]:
            a = store.article(entry["id"])
            assert a is not None
            assert a.content_hash == content_hash(a.text)
            assert a.ingested_at is not None and a.ingested_at.tzinfo is not None
            assert abs(datetime.now(UTC) - a.ingested_at) < timedelta(hours=1)
            assert a.story_id == entry["story_id"]


def test_reingesting_a_folder_is_idempotent(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    rc1, first, _ = ingest(tmp_path, db, DAM)
    stories1 = run(tmp_path, db, "stories", "--json")
    with Store(db) as store:
        counts1 = (store.article_count(), store.story_count())
    rc2, second, _ = ingest(tmp_path, db, DAM)
    stories2 = run(tmp_path, db, "stories", "--json")
    assert rc1 == rc2 == 0
    assert [(e["input"], e["id"]) for e in first["ingested"]] == [
        (e["input"], e["id"]) for e in second["ingested"]
    ]
    assert all(e["duplicate_of"] == e["id"] for e in second["ingested"])
    with Store(db) as store:
        assert (store.article_count(), store.story_count()) == counts1 == (4, 1)
    assert stories1.returncode == stories2.returncode == 0
    assert json.loads(stories1.stdout) == json.loads(stories2.stdout)
    assert_consistent(db)


def _md(title: str, url: str, body: str) -> str:
    return f'---\ntitle: "{title}"\nurl: "{url}"\nsource: "Saltmarsh Echo"\n---\n\n{body}\n'


def test_same_url_with_different_text_is_a_duplicate(tmp_path: Path) -> None:
    url = "https://saltmarsh-echo.example/news/2026/05/02/ferry-timetable"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.md").write_text(
        _md(
            "Winter ferry timetable extended to May",
            url,
            "The island ferry will keep its winter timetable until the end of May, the operator "
            "said on Friday, because one of its two boats is still in dry dock for hull repairs "
            "that took longer than planned. Summer sailings will start on June 1.",
        ),
        encoding="utf-8",
    )
    (tmp_path / "in" / "b.md").write_text(
        _md(
            "Island bakery wins regional bread prize",
            url + "?utm_source=newsletter&utm_medium=email#comments",
            "A bakery on the island won first prize for its rye loaf at the regional bread "
            "fair on Saturday, beating forty other entries. The owner said she would put the "
            "prize money towards a second oven before the tourist season begins.",
        ),
        encoding="utf-8",
    )
    rc, report, _ = ingest(tmp_path, tmp_path / "t.db", tmp_path / "in")
    assert rc == 0
    got = by_name(report)
    assert got["a.md"]["duplicate_of"] is None
    assert got["b.md"]["duplicate_of"] == got["a.md"]["id"]
    with Store(tmp_path / "t.db") as store:
        assert store.article_count() == 1


def test_unsupported_extension_and_missing_path_are_per_input_errors(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "report.pdf").write_bytes(b"%PDF-1.4\n% invented\n")
    (folder / "notes.docx").write_bytes(b"PK\x03\x04 not really a document")
    (folder / "story.txt").write_text((DAM / "fernbank-daily.txt").read_text("utf-8"), "utf-8")
    missing = tmp_path / "no-such-file.txt"
    rc, report, stderr = ingest(tmp_path, tmp_path / "t.db", folder, missing)
    assert rc == 1
    got = by_name(report)
    assert "story.txt" in {Path(e["input"]).name for e in report["ingested"]}
    for name, ext in (("report.pdf", ".pdf"), ("notes.docx", ".docx")):
        assert "error" in got[name]
        assert "unsupported" in got[name]["error"] and ext in got[name]["error"]
    assert got["no-such-file.txt"]["input"] == str(missing)
    assert "no such file" in got["no-such-file.txt"]["error"]
    # Errors are also reported on stderr, one line each.
    for err in report["errors"]:
        assert err["error"] in stderr


def test_exit_code_is_zero_without_errors_and_one_with(tmp_path: Path) -> None:
    ok = run(tmp_path, tmp_path / "t.db", "ingest", str(DAM / "fernbank-daily.txt"))
    assert ok.returncode == 0, ok.stderr
    assert "1 ingested, 0 errors" in ok.stdout  # human output
    bad = run(tmp_path, tmp_path / "t.db", "ingest", str(FIXTURES / "no_article.html"))
    assert bad.returncode == 1
    assert "no_article.html" in bad.stderr
    assert "0 ingested, 1 errors" in bad.stdout


# --- messy inputs ------------------------------------------------------------------------------

CP1252_TEXT = (
    "Café on Rue Verlaine reopens after flood\n\n"
    "The owner of the Café Lumière on Rue Verlaine, René Achard, said “we will open the doors "
    "again on Friday” after water from the burst main drained away from the cellar. Workers from "
    "the city’s water department spent three days pumping out the basement and drying the "
    "wiring, and the health inspector approved the kitchen on Wednesday afternoon.\n\n"
    "Achard said the repairs cost about €14,000 — most of it covered by insurance.\n"
)
LATIN1_TEXT = (
    "Señor Ibáñez opens a bakery in the old tannery\n\n"
    "Señor Joaquín Ibáñez opened a bakery on Thursday in the former tannery building by the "
    "canal, selling rye loaves, croissants and a cake he calls the Müller torte after his "
    "grandmother. The façade was restored with help from a heritage grant of 9,000 pounds, "
    "and the queue reached the bridge before seven o'clock in the morning.\n"
)
UTF16_TEXT = (
    "Tram drivers in Oskarvik end nine-day strike\n\n"
    "Tram drivers in Oskarvik returned to work on Monday after a nine-day strike over shift "
    "rosters ended with a deal, the drivers' union Spårfack said. Passengers crowded the first "
    "trams of the morning and the city transport office said timetables would be back to normal "
    "by Wednesday, with night services restored at the weekend — “finally”, said one commuter.\n"
)
FM_UNTERMINATED = (
    "---\ntitle: Kiln fire closes pottery studio in Larchford\nauthor: Wren Halvorsen\n\n"
    "A kiln fire closed a pottery studio in Larchford on Sunday night, firefighters said. No one "
    "was hurt, but smoke damaged most of the glazed pieces that students had made for the spring "
    "exhibition, which has now been postponed until the autumn.\n"
)
FM_INVALID_YAML = (
    "---\ntitle: [an unclosed list\nauthor: : :\n  - {broken\n---\n"
    "The rowing club at Brackenmouth has bought its first new boat in twenty years after members "
    "raised 18,000 pounds with a sponsored row along the estuary. The eight-seat shell arrives in "
    "June and will be named after the club's oldest member, who is ninety-one.\n"
)
NAV_ONLY_HTML = (FIXTURES / "no_article.html").read_text("utf-8")
HUGE = 200 * 1024 * 1024


def _write_messy(folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.md").write_bytes(b"  \n\n\t \n")
    junk = bytearray(random.Random(6000).randbytes(6000))  # deterministic junk
    junk[100:110] = b"\x00" * 10
    junk[0] = 0x41  # not a known magic number
    (folder / "junk.txt").write_bytes(bytes(junk))
    (folder / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(800).randbytes(800))
    (folder / "cp1252.txt").write_bytes(CP1252_TEXT.encode("cp1252"))
    (folder / "latin1.txt").write_bytes(LATIN1_TEXT.encode("latin-1"))
    (folder / "utf16.txt").write_bytes(UTF16_TEXT.encode("utf-16"))  # with BOM
    (folder / "unterminated.md").write_text(FM_UNTERMINATED, encoding="utf-8")
    (folder / "badyaml.md").write_text(FM_INVALID_YAML, encoding="utf-8")
    (folder / "nav-only.html").write_text(NAV_ONLY_HTML, encoding="utf-8")
    with (folder / "huge.txt").open("wb") as fh:
        fh.truncate(HUGE)  # sparse: fast to make, 200 MB to read
    (folder / "good.txt").write_text((DAM / "fernbank-daily.txt").read_text("utf-8"), "utf-8")


@pytest.fixture(scope="module")
def messy(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, dict[str, Any]]:
    """A folder of messy inputs ingested once: (db, exit code, report)."""
    cwd = tmp_path_factory.mktemp("messy")
    _write_messy(cwd / "in")
    db = cwd / "messy.db"
    rc, report, _ = ingest(cwd, db, cwd / "in")
    return db, rc, report


def _text_of(db: Path, entry: dict[str, Any]) -> str:
    with Store(db) as store:
        a = store.article(entry["id"])
        assert a is not None
        return a.title + "\n" + a.text


def test_messy_folder_reports_every_input_once(messy: tuple[Path, int, dict[str, Any]]) -> None:
    _, rc, report = messy
    assert rc == 1
    got = by_name(report)
    assert set(got) == {
        "empty.txt",
        "blank.md",
        "junk.txt",
        "image.html",
        "cp1252.txt",
        "latin1.txt",
        "utf16.txt",
        "unterminated.md",
        "badyaml.md",
        "nav-only.html",
        "huge.txt",
        "good.txt",
    }
    assert len(report["ingested"]) + len(report["errors"]) == 12
    # Good and readable inputs are still ingested, each as its own article.
    ingested = {Path(e["input"]).name for e in report["ingested"]}
    assert {"good.txt", "cp1252.txt", "latin1.txt", "utf16.txt"} <= ingested
    originals = [e for e in report["ingested"] if e["duplicate_of"] is None]
    assert len({e["id"] for e in originals}) == len(originals)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("empty.txt", ["empty"]),
        ("blank.md", ["empty"]),
        ("junk.txt", ["binary"]),
        ("image.html", ["png"]),
        ("nav-only.html", ["no article"]),
        ("huge.txt", ["too large", "200"]),
    ],
)
def test_bad_input_gives_a_clear_one_line_error(
    messy: tuple[Path, int, dict[str, Any]], name: str, words: list[str]
) -> None:
    _, _, report = messy
    entry = by_name(report)[name]
    assert "error" in entry, f"{name} was ingested: {entry}"
    assert "internal error" not in entry["error"]
    for w in words:
        assert w in entry["error"].lower()


@pytest.mark.parametrize(
    ("name", "must_contain"),
    [
        (
            "cp1252.txt",
            [
                "Café Lumière",
                "René Achard",
                "“we will open the doors again on Friday”",
                "city’s",
                "€14,000",
                "—",
            ],
        ),
        ("latin1.txt", ["Señor Joaquín Ibáñez", "Müller torte", "façade"]),
        ("utf16.txt", ["Oskarvik", "Spårfack", "“finally”", "—"]),
    ],
)
def test_legacy_encodings_are_read_correctly(
    messy: tuple[Path, int, dict[str, Any]], name: str, must_contain: list[str]
) -> None:
    db, _, report = messy
    entry = by_name(report)[name]
    assert "error" not in entry, entry
    assert entry["duplicate_of"] is None
    text = _text_of(db, entry)
    for s in must_contain:
        assert s in text, (s, text)
    for mojibake in ("Ã", "â€", "\ufffd", "\x00", "þÿ", "ÿþ"):
        assert mojibake not in text


@pytest.mark.parametrize(
    ("name", "body_start", "fm_junk"),
    [
        ("unterminated.md", "A kiln fire closed a pottery studio", ["---"]),
        ("badyaml.md", "The rowing club at Brackenmouth", ["---", "[an unclosed", "{broken"]),
    ],
)
def test_broken_front_matter_is_an_error_or_read_correctly(
    messy: tuple[Path, int, dict[str, Any]], name: str, body_start: str, fm_junk: list[str]
) -> None:
    db, _, report = messy
    entry = by_name(report)[name]
    if "error" in entry:
        assert "internal error" not in entry["error"]
        return
    assert entry["duplicate_of"] is None
    with Store(db) as store:
        a = store.article(entry["id"])
        assert a is not None
    assert body_start in a.text
    for junk in fm_junk:
        assert junk not in a.text


def test_a_200_mb_file_is_rejected_without_reading_it(tmp_path: Path) -> None:
    huge = tmp_path / "huge.md"
    with huge.open("wb") as fh:
        fh.truncate(HUGE)
    rc, report, _ = ingest(tmp_path, tmp_path / "t.db", huge)
    assert rc == 1
    assert report["ingested"] == []
    assert [e["input"] for e in report["errors"]] == [str(huge)]
    # The size comes from the file's metadata, checked before any byte is read (no timing here:
    # speed is measured in bench/, and a busy machine must not fail this test).
    assert "too large" in report["errors"][0]["error"]
    assert "200.0 MB" in report["errors"][0]["error"]


def test_nothing_is_half_written_after_a_run_with_errors(
    messy: tuple[Path, int, dict[str, Any]],
) -> None:
    db, _, report = messy
    assert_consistent(db)
    with Store(db) as store:
        originals = [e for e in report["ingested"] if e["duplicate_of"] is None]
        assert store.article_count() == len(originals)
        story_ids = {e["story_id"] for e in report["ingested"]}
        assert {s.id for s in store.stories()} == story_ids
        # Full-text search finds each ingested article's story by a word only it contains.
        for word, name in (("Oskarvik", "utf16.txt"), ("Ibáñez", "latin1.txt")):
            hits = [sid for sid, _ in store.search_stories(word)]
            assert hits and hits[0] == by_name(report)[name]["story_id"], word
        assert store.search_stories("zzyzxnotaword") == []


# --- many files --------------------------------------------------------------------------------

_TOWNS = ["Ardle", "Briskow", "Colwen", "Dunmere", "Eskby", "Farrow", "Gorsey", "Holtby"]
_PLACES = ["library", "bridge", "school", "bakery", "harbour", "museum", "market", "clinic"]
_EVENTS = ["reopened", "closed for repairs", "won an award", "was flooded", "was sold"]


def _small_article(i: int) -> str:
    town = _TOWNS[i % len(_TOWNS)]
    place = _PLACES[(i // len(_TOWNS)) % len(_PLACES)]
    event = _EVENTS[(i // 64) % len(_EVENTS)]
    return (
        f"Notice {i}: the {place} in {town} {event}\n\n"
        f"The {place} in the town of {town} {event} on day {i} of the year, officials said in "
        f"notice number {i * 7 + 3} to residents. A spokesperson said the change affects about "
        f"{i * 3 + 11} households and {i % 17 + 2} local firms, and promised a public meeting "
        f"about case {i} at the hall next week.\n"
    )


MANY = 600  # enough for every worker to get many files; ingest speed at scale: bench/ingest.py


def test_a_folder_of_many_small_files(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    bad = set(range(7, MANY, 101))  # a few broken files among them: empty (odd) and binary
    for i in range(MANY):
        path = folder / f"n{i:04d}.txt"
        if i in bad:
            path.write_bytes(b"" if i % 2 else b"\x00\x01\x02junk\x00" * 40)
        else:
            path.write_text(_small_article(i), encoding="utf-8")
    rc, report, _ = ingest(tmp_path, tmp_path / "t.db", folder)  # throughput: bench/ingest.py
    names = [Path(e["input"]).name for e in [*report["ingested"], *report["errors"]]]
    assert len(names) == MANY
    assert set(names) == {f"n{i:04d}.txt" for i in range(MANY)}
    assert {Path(e["input"]).name for e in report["errors"]} == {f"n{i:04d}.txt" for i in bad}
    assert all("internal error" not in e["error"] for e in report["errors"])
    assert rc == 1
    with Store(tmp_path / "t.db") as store:
        originals = {e["id"] for e in report["ingested"] if e["duplicate_of"] is None}
        assert store.article_count() == len(originals) >= MANY - len(bad) - 30
    assert_consistent(tmp_path / "t.db")
